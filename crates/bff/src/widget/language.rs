//! The language a page is shown in: the partner's choice for its placement, then the one
//! the link asks for (`?lang=`), then the browser's preference, among the market's.

use onboarding_core::{Language, Market};

/// The language to show `market`'s journey in.
pub fn page_language(
    partner_choice: Option<Language>,
    asked: Option<&str>,
    accept_language: Option<&str>,
    market: Market,
) -> Language {
    let offered = market.languages();
    let of_market = |language: &Language| offered.contains(language);
    partner_choice
        .filter(of_market)
        .or_else(|| asked.and_then(Language::from_tag).filter(of_market))
        .or_else(|| accept_language.and_then(|header| preferred(header, offered)))
        .unwrap_or(offered[0])
}

/// The language of a page whose market may be unknown: the one asked for, else the
/// browser's, among every market's; English otherwise.
pub fn any_language(asked: Option<&str>, accept_language: Option<&str>) -> Language {
    asked
        .and_then(Language::from_tag)
        .or_else(|| accept_language.and_then(|header| preferred(header, &Language::ALL)))
        .unwrap_or(Language::English)
}

/// The most preferred of `offered` in an `Accept-Language` header (`pl-PL,pl;q=0.9,en;q=0.8`).
fn preferred(header: &str, offered: &[Language]) -> Option<Language> {
    let mut ranges: Vec<(u16, Language)> = header
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';');
            let language = Language::from_tag(parts.next()?)?;
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), thousandths)?;
            (quality > 0 && offered.contains(&language)).then_some((quality, language))
        })
        .collect();
    // Stable: among equal weights the header's order decides.
    ranges.sort_by_key(|(quality, _)| std::cmp::Reverse(*quality));
    ranges.first().map(|(_, language)| *language)
}

/// A quality value (`0.8`) in thousandths; `None` when it is not one.
fn thousandths(q: &str) -> Option<u16> {
    let value: f32 = q.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&value)
        .then(|| (value * 1000.0).round() as u16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::*;

    #[test]
    fn the_partner_then_the_link_then_the_browser_decide() {
        let pl = Market::Poland;
        assert_eq!(
            page_language(Some(English), Some("pl"), Some("pl"), pl),
            English
        );
        assert_eq!(page_language(None, Some("pl"), Some("en"), pl), Polish);
        assert_eq!(
            page_language(None, None, Some("pl-PL,en;q=0.5"), pl),
            Polish
        );
        assert_eq!(page_language(None, None, None, pl), English);
    }

    #[test]
    fn only_the_markets_languages_are_shown() {
        // Polish is not a language of Hong Kong, whatever asks for it.
        let hk = Market::HongKong;
        assert_eq!(
            page_language(Some(Polish), Some("pl"), Some("pl"), hk),
            English
        );
        assert_eq!(
            page_language(None, Some("ar"), Some("de,zh-HK;q=0.7,en;q=0.6"), hk),
            TraditionalChinese
        );
    }

    #[test]
    fn weights_rank_the_browsers_languages() {
        let offered = Market::UnitedArabEmirates.languages();
        assert_eq!(preferred("en;q=0.4, ar;q=0.9", offered), Some(Arabic));
        assert_eq!(preferred("ar;q=0, en", offered), Some(English));
        assert_eq!(preferred("ar;q=2, en;q=0.1", offered), Some(English));
        assert_eq!(preferred("fr, de", offered), None);
        assert_eq!(preferred("", offered), None);
    }
}

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
        .or_else(|| accept_language.and_then(|header| Language::preferred(header, offered)))
        .unwrap_or(offered[0])
}

/// The language of a page whose market may be unknown: the one asked for, else the
/// browser's, among every market's; English otherwise.
pub fn any_language(asked: Option<&str>, accept_language: Option<&str>) -> Language {
    asked
        .and_then(Language::from_tag)
        .or_else(|| accept_language.and_then(|header| Language::preferred(header, &Language::ALL)))
        .unwrap_or(Language::English)
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
}

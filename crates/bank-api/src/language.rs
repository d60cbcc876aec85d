//! The languages customers are served in, as the wire spells them, and the one reading of
//! `Accept-Language`: the BFF's pages read a browser's with it, the sandbox the BFF's.

use serde::{Deserialize, Serialize};

/// A language a customer may use, serialised as its BCP 47 tag, which `Accept-Language`
/// and `Content-Language` carry between the BFF and the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    /// English (`en`).
    #[serde(rename = "en")]
    English,
    /// Chinese in traditional characters, as written in Hong Kong (`zh-Hant`).
    #[serde(rename = "zh-Hant")]
    TraditionalChinese,
    /// Thai (`th`).
    #[serde(rename = "th")]
    Thai,
    /// Vietnamese (`vi`).
    #[serde(rename = "vi")]
    Vietnamese,
    /// Indonesian (`id`).
    #[serde(rename = "id")]
    Indonesian,
    /// Malay (`ms`).
    #[serde(rename = "ms")]
    Malay,
    /// Polish (`pl`).
    #[serde(rename = "pl")]
    Polish,
    /// Russian (`ru`).
    #[serde(rename = "ru")]
    Russian,
    /// Arabic (`ar`).
    #[serde(rename = "ar")]
    Arabic,
}

impl Language {
    /// Every language of any market.
    pub const ALL: [Self; 9] = [
        Self::English,
        Self::TraditionalChinese,
        Self::Thai,
        Self::Vietnamese,
        Self::Indonesian,
        Self::Malay,
        Self::Polish,
        Self::Russian,
        Self::Arabic,
    ];

    /// The BCP 47 tag, for `lang` attributes, `Accept-Language` and `Content-Language`.
    pub const fn tag(self) -> &'static str {
        match self {
            Self::English => "en",
            Self::TraditionalChinese => "zh-Hant",
            Self::Thai => "th",
            Self::Vietnamese => "vi",
            Self::Indonesian => "id",
            Self::Malay => "ms",
            Self::Polish => "pl",
            Self::Russian => "ru",
            Self::Arabic => "ar",
        }
    }

    /// The language of a BCP 47 tag such as a browser sends, ignoring case and region:
    /// `en-GB` is English. Chinese is Traditional Chinese only when the tag says so, by
    /// script (`zh-Hant`) or by a region that writes it (`zh-HK`, `zh-TW`, `zh-MO`): no
    /// market is served in simplified Chinese, and a reader of it is better served by
    /// English. `None` for a language no market offers.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let mut subtags = tag.trim().split(['-', '_']);
        let primary = subtags.next()?;
        if primary.eq_ignore_ascii_case("zh") {
            let mut traditional = false;
            for subtag in subtags {
                if subtag.eq_ignore_ascii_case("Hans") {
                    return None;
                }
                traditional |= ["Hant", "HK", "TW", "MO"]
                    .iter()
                    .any(|t| subtag.eq_ignore_ascii_case(t));
            }
            return traditional.then_some(Self::TraditionalChinese);
        }
        Self::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    /// Whether the language is written right to left (its text needs `dir="rtl"`).
    pub const fn is_right_to_left(self) -> bool {
        matches!(self, Self::Arabic)
    }

    /// The most preferred of `offered` in an `Accept-Language` header
    /// (`pl-PL,pl;q=0.9,en;q=0.8`): by `q` weight, then by the header's order. A range
    /// with `q=0` is refused, one with a weight that is not a quality value ignored; `None`
    /// when no range names an offered language.
    pub fn preferred(header: &str, offered: &[Self]) -> Option<Self> {
        let mut ranges: Vec<(u16, Self)> = header
            .split(',')
            .filter_map(|range| {
                let mut parts = range.split(';');
                let language = Self::from_tag(parts.next()?)?;
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
    fn every_tag_parses_back_and_serialises_as_itself() {
        for language in Language::ALL {
            assert_eq!(Language::from_tag(language.tag()), Some(language));
            let json = serde_json::to_string(&language).unwrap();
            assert_eq!(json, format!("\"{}\"", language.tag()));
        }
    }

    #[test]
    fn regions_are_ignored_and_case_does_not_matter() {
        for (tag, language) in [
            ("en-GB", Language::English),
            ("EN_us", Language::English),
            ("th-TH", Language::Thai),
            ("th_TH", Language::Thai),
            ("ms-MY", Language::Malay),
            ("id-ID", Language::Indonesian),
            ("ar-AE", Language::Arabic),
            ("AR-ae", Language::Arabic),
            ("pl", Language::Polish),
            ("ru-RU", Language::Russian),
            ("vi-VN", Language::Vietnamese),
        ] {
            assert_eq!(Language::from_tag(tag), Some(language), "{tag}");
        }
    }

    #[test]
    fn chinese_is_traditional_only_when_the_tag_says_so() {
        for tag in ["zh-HK", "zh-TW", "zh-Hant", "zh-hant-hk", "ZH-MO"] {
            assert_eq!(
                Language::from_tag(tag),
                Some(Language::TraditionalChinese),
                "{tag}"
            );
        }
        for tag in ["zh", "zh-CN", "zh-Hans", "zh-Hans-HK", "zh-SG"] {
            assert_eq!(Language::from_tag(tag), None, "{tag}");
        }
    }

    #[test]
    fn unknown_and_empty_tags_are_none() {
        for tag in ["", "fr-FR", "e", "english", "-en"] {
            assert_eq!(Language::from_tag(tag), None, "{tag}");
        }
    }

    #[test]
    fn only_arabic_is_right_to_left() {
        let rtl: Vec<_> = Language::ALL
            .into_iter()
            .filter(|l| l.is_right_to_left())
            .collect();
        assert_eq!(rtl, [Language::Arabic]);
    }

    #[test]
    fn weights_rank_the_browsers_languages() {
        let preferred = Language::preferred;
        let offered = &[English, Arabic];
        assert_eq!(preferred("en;q=0.4, ar;q=0.9", offered), Some(Arabic));
        assert_eq!(preferred("ar;q=0, en", offered), Some(English));
        assert_eq!(preferred("ar;q=2, en;q=0.1", offered), Some(English));
        assert_eq!(preferred("fr, de", offered), None);
        assert_eq!(preferred("", offered), None);
    }

    #[test]
    fn the_most_preferred_offered_language_wins() {
        let pick = |header| Language::preferred(header, &Language::ALL);
        assert_eq!(pick("ar-AE,ar;q=0.9,en;q=0.8"), Some(Arabic));
        assert_eq!(
            pick("fr-FR, zh-TW;q=0.5, en;q=0.4"),
            Some(TraditionalChinese)
        );
        assert_eq!(pick("en;q=0.3, th;q=0.9"), Some(Thai));
        assert_eq!(pick("vi, id"), Some(Vietnamese), "ties keep the order");
        assert_eq!(pick("ru;q=0, pl;q=0.1"), Some(Polish), "q=0 refuses");
        assert_eq!(pick("zh-CN, ms;q=0.2"), Some(Malay));
        for nothing in ["", "*", "fr, de;q=0.8", "zh-Hans"] {
            assert_eq!(pick(nothing), None, "{nothing}");
        }
    }

    #[test]
    fn a_language_not_offered_is_passed_over() {
        let thai_market = [English, Thai];
        assert_eq!(
            Language::preferred("pl, th;q=0.5", &thai_market),
            Some(Thai)
        );
        assert_eq!(Language::preferred("pl", &thai_market), None);
    }
}

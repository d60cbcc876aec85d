//! The languages the journey may be shown in.

use serde::{Deserialize, Serialize};

/// A language a customer may use, serialised as its BCP 47 tag.
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

    /// The BCP 47 tag, for `lang` attributes and `Accept-Language`.
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
    /// script (`zh-Hant`) or by a region that writes it (`zh-HK`, `zh-TW`, `zh-MO`);
    /// `None` for a language no market offers.
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

    /// Whether the language is written right to left (the page needs `dir="rtl"`).
    pub const fn is_right_to_left(self) -> bool {
        matches!(self, Self::Arabic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ("ms-MY", Language::Malay),
            ("id-ID", Language::Indonesian),
            ("ar-AE", Language::Arabic),
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
}

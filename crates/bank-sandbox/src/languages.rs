//! The languages the bank writes to customers in: labels of reference data and the messages
//! of the outbox. A customer's language is read from `Accept-Language` in one place, here.

use serde::Serialize;

/// A language the sandbox writes, serialised as its BCP 47 tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Language {
    /// English (`en`), also the answer when no language asked for is written.
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
    /// Every language the sandbox writes.
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

    /// The BCP 47 tag, for `lang` attributes and `Content-Language`.
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

    /// Whether the language is written right to left (its text needs `dir="rtl"`).
    pub const fn is_right_to_left(self) -> bool {
        matches!(self, Self::Arabic)
    }

    /// The language of one BCP 47 tag, ignoring case and region (`th-TH` is Thai).
    /// Chinese counts only when the tag says traditional characters, by script (`zh-Hant`)
    /// or by a region that writes them (`zh-HK`, `zh-TW`, `zh-MO`): the sandbox writes no
    /// simplified Chinese, and a reader of it is better served by English.
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

    /// The customer's language from an `Accept-Language` header: the most preferred (by
    /// `q` weight, then by order) of the languages `offered`; English when there is none.
    /// A market is served in its own languages only, as the bank's are: a Polish reader in
    /// Thailand gets English, not Polish.
    pub fn preferred(header: Option<&str>, offered: &[Self]) -> Self {
        let mut ranges: Vec<(f32, Self)> = header
            .unwrap_or_default()
            .split(',')
            .filter_map(|range| {
                let mut parts = range.split(';');
                let language = Self::from_tag(parts.next()?)?;
                let weight = parts
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                // q=0 means "not this one".
                (weight > 0.0 && offered.contains(&language)).then_some((weight, language))
            })
            .collect();
        // A stable sort keeps the header's order between equal weights.
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranges
            .first()
            .map_or(Self::English, |(_, language)| *language)
    }
}

/// One text in every language the sandbox writes. The fields are named, not indexed, so
/// that a reader of a table sees which language each string is in and none can be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Translated {
    /// English.
    pub en: &'static str,
    /// Traditional Chinese.
    pub zh_hant: &'static str,
    /// Thai.
    pub th: &'static str,
    /// Vietnamese.
    pub vi: &'static str,
    /// Indonesian.
    pub id: &'static str,
    /// Malay.
    pub ms: &'static str,
    /// Polish.
    pub pl: &'static str,
    /// Russian.
    pub ru: &'static str,
    /// Arabic.
    pub ar: &'static str,
}

impl Translated {
    /// The text in `language`.
    pub const fn get(&self, language: Language) -> &'static str {
        match language {
            Language::English => self.en,
            Language::TraditionalChinese => self.zh_hant,
            Language::Thai => self.th,
            Language::Vietnamese => self.vi,
            Language::Indonesian => self.id,
            Language::Malay => self.ms,
            Language::Polish => self.pl,
            Language::Russian => self.ru,
            Language::Arabic => self.ar,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tag_reads_back_as_its_language() {
        for language in Language::ALL {
            assert_eq!(Language::from_tag(language.tag()), Some(language));
            let json = serde_json::to_string(&language).unwrap();
            assert_eq!(json, format!("\"{}\"", language.tag()));
        }
        assert_eq!(Language::from_tag("AR-ae"), Some(Language::Arabic));
        assert_eq!(Language::from_tag("th_TH"), Some(Language::Thai));
    }

    #[test]
    fn chinese_is_traditional_only_when_the_tag_says_so() {
        for tag in ["zh-Hant", "zh-HK", "zh-TW", "zh-hant-hk", "ZH-MO"] {
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
    fn the_most_preferred_offered_language_wins() {
        let pick = |header| Language::preferred(Some(header), &Language::ALL);
        assert_eq!(pick("ar-AE,ar;q=0.9,en;q=0.8"), Language::Arabic);
        assert_eq!(
            pick("fr-FR, zh-TW;q=0.5, en;q=0.4"),
            Language::TraditionalChinese
        );
        assert_eq!(pick("en;q=0.3, th;q=0.9"), Language::Thai);
        assert_eq!(pick("vi, id"), Language::Vietnamese, "ties keep the order");
        assert_eq!(pick("ru;q=0, pl;q=0.1"), Language::Polish, "q=0 refuses");
        assert_eq!(pick("zh-CN, ms;q=0.2"), Language::Malay);
    }

    #[test]
    fn a_language_the_market_is_not_served_in_is_passed_over() {
        let thai_market = [Language::English, Language::Thai];
        assert_eq!(
            Language::preferred(Some("pl, th;q=0.5"), &thai_market),
            Language::Thai
        );
        assert_eq!(
            Language::preferred(Some("pl"), &thai_market),
            Language::English
        );
    }

    #[test]
    fn anything_else_is_english() {
        for header in [
            None,
            Some(""),
            Some("*"),
            Some("fr, de;q=0.8"),
            Some("zh-Hans"),
        ] {
            assert_eq!(
                Language::preferred(header, &Language::ALL),
                Language::English,
                "{header:?}"
            );
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

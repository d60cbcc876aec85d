//! The languages the bank writes to customers in: labels of reference data and the messages
//! of the outbox. A customer's language is read from `Accept-Language` in one place, here.

use bank_api::Language;

/// The customer's language from an `Accept-Language` header: the most preferred of the
/// languages `offered` (bank-api reads the header); English when there is none. A market
/// is served in its own languages only, as the bank's are: a Polish reader in Thailand gets
/// English, not Polish.
pub fn customer_language(accept_language: Option<&str>, offered: &[Language]) -> Language {
    accept_language
        .and_then(|header| Language::preferred(header, offered))
        .unwrap_or(Language::English)
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
    fn a_language_the_market_is_not_served_in_is_passed_over() {
        let thai_market = [Language::English, Language::Thai];
        assert_eq!(
            customer_language(Some("pl, th;q=0.5"), &thai_market),
            Language::Thai
        );
        assert_eq!(
            customer_language(Some("pl"), &thai_market),
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
                customer_language(header, &Language::ALL),
                Language::English,
                "{header:?}"
            );
        }
    }
}

use super::{nfc, plain_text, required, Composition};
use crate::ValidationError;

/// The name of the applicant's employer or business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerName(String);

impl EmployerName {
    /// The longest name accepted (the stricter of the bank's and connectFi's limits).
    pub const MAX_CHARS: usize = 50;

    /// Parses a name, composed to NFC: 1 to 50 characters, not only spaces, no angle
    /// brackets, controls or invisible formatting.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::parse_in(&nfc(raw), Composition::Nfc)
    }

    /// Parses a name already composed, or as typed (the widget).
    pub(crate) fn parse_in(text: &str, composition: Composition) -> Result<Self, ValidationError> {
        let name = composition.at_most(required(text)?, Self::MAX_CHARS)?;
        Ok(Self(plain_text(name)?.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn follows_the_length_and_character_rules() {
        assert!(EmployerName::parse("Acme Pte. Ltd.").is_ok());
        assert_eq!(EmployerName::parse("   "), Err(ValidationError::Required));
        assert_eq!(
            EmployerName::parse("a<b"),
            Err(ValidationError::InvalidCharacters)
        );
        assert_eq!(
            EmployerName::parse(&"a".repeat(51)),
            Err(ValidationError::TooLong)
        );
    }

    #[test]
    fn refuses_invisible_formatting_but_keeps_joiners_between_letters() {
        for name in [
            "Acme\u{202E}Ltd",
            "\u{200E}Acme",
            "Acme\u{200F}",
            "Acme\u{2066}Ltd\u{2069}",
            "Acme\u{AD}Ltd",
            "Acme\u{FEFF}",
            "Acme \u{200D}Ltd",
            "Acme\u{2028}Ltd",
            "a\u{338}b\u{226E}c",
        ] {
            assert_eq!(
                EmployerName::parse(name),
                Err(ValidationError::InvalidCharacters),
                "{name:?}"
            );
        }
        for name in ["क्\u{200D}ष Traders", "می\u{200C}نا", "Công ty Hường"] {
            assert!(EmployerName::parse(name).is_ok(), "{name:?}");
        }
        // Composed for the bank, and counted as composed (connectFi's limit is 50).
        let decomposed = "Cong ty Hu\u{31B}o\u{31B}\u{300}ng ".repeat(2);
        assert_eq!(
            EmployerName::parse(&decomposed).unwrap().as_str(),
            "Cong ty Hường Cong ty Hường"
        );
    }

    /// Characters of employers' and streets' names, and some free text must not hold.
    const POOL: &[char] = &[
        'a', 'Z', '1', ' ', '.', '&', '#', '-', '(', 'é', 'ệ', 'ก', '\u{E49}', 'क', '\u{94D}',
        '\u{93E}', '\u{301}', '\u{323}', '\u{338}', '<', '>', '=', '\u{200C}', '\u{200D}',
        '\u{200E}', '\u{202E}', '\u{2067}', '\u{AD}', '\u{FEFF}', '\u{2028}', '\t', '陳',
        '\u{1112}', '\u{1161}',
    ];

    /// Markup, and the bidirectional controls.
    const REFUSED: [char; 13] = [
        '<', '>', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
        '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
    ];

    proptest! {
        #[test]
        fn the_widget_refuses_no_free_text_the_bank_would_get(
            chars in prop::collection::vec(prop::sample::select(POOL), 0..70)
        ) {
            let raw: String = chars.into_iter().collect();
            let decomposed: String = raw.nfd().collect();
            if EmployerName::parse(&raw).is_ok() {
                prop_assert!(EmployerName::parse_in(&raw, Composition::AsTyped).is_ok());
                prop_assert!(EmployerName::parse_in(&decomposed, Composition::AsTyped).is_ok());
            }
            prop_assert_eq!(EmployerName::parse(&raw), EmployerName::parse(&decomposed));
        }

        #[test]
        fn parsed_free_text_is_composed_and_has_no_invisible_formatting(raw in "\\PC{0,70}") {
            if let Ok(name) = EmployerName::parse(&raw) {
                prop_assert_eq!(nfc(name.as_str()), name.as_str());
                let refused = name.as_str().contains(REFUSED);
                prop_assert!(!refused);
            }
        }
    }
}

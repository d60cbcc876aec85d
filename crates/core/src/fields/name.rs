use super::{at_most, required};
use crate::ValidationError;

/// A given name or surname: letters in any script, with spaces, hyphens, apostrophes and
/// full stops between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    /// The longest name the bank's systems store.
    pub const MAX_CHARS: usize = 40;

    /// Parses a name as the customer typed it.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let name = at_most(required(raw)?, Self::MAX_CHARS)?;
        let starts_with_letter = name.chars().next().is_some_and(char::is_alphabetic);
        let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.' | '’');
        if starts_with_letter && name.chars().all(allowed) {
            Ok(Self(name.split_whitespace().collect::<Vec<_>>().join(" ")))
        } else {
            Err(ValidationError::InvalidCharacters)
        }
    }

    /// The name, with runs of spaces folded.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_names_in_any_script() {
        for name in [
            "Tan",
            "O'Brien",
            "Nur Aisyah",
            "Jean-Luc",
            "陈",
            "Đặng",
            "Wong Jr.",
        ] {
            assert!(PersonName::parse(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn refuses_digits_markup_and_blank() {
        assert_eq!(PersonName::parse("  "), Err(ValidationError::Required));
        assert_eq!(
            PersonName::parse("R2D2"),
            Err(ValidationError::InvalidCharacters)
        );
        assert_eq!(
            PersonName::parse("<b>"),
            Err(ValidationError::InvalidCharacters)
        );
        assert_eq!(
            PersonName::parse("-Tan"),
            Err(ValidationError::InvalidCharacters)
        );
        assert_eq!(
            PersonName::parse(&"a".repeat(41)),
            Err(ValidationError::TooLong)
        );
    }

    proptest! {
        #[test]
        fn parsed_names_are_trimmed_and_short(raw in "\\PC{0,60}") {
            if let Ok(name) = PersonName::parse(&raw) {
                prop_assert_eq!(name.as_str().trim(), name.as_str());
                prop_assert!(name.as_str().chars().count() <= PersonName::MAX_CHARS);
                prop_assert!(!name.as_str().contains(['<', '>']));
            }
        }
    }
}

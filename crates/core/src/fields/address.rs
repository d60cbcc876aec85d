use super::{nfc, plain_text, required, Composition};
use crate::ValidationError;

/// One line of a postal address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressLine(String);

impl AddressLine {
    /// The longest line the bank stores.
    pub const MAX_CHARS: usize = 60;

    /// Parses a required address line, composed to NFC.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::parse_in(&nfc(raw), Composition::Nfc)
    }

    /// Parses an optional line, composed to NFC: blank is `None`.
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, ValidationError> {
        Self::parse_optional_in(&nfc(raw), Composition::Nfc)
    }

    /// Parses a required line already composed, or as typed (the widget).
    pub(crate) fn parse_in(text: &str, composition: Composition) -> Result<Self, ValidationError> {
        let line = composition.at_most(required(text)?, Self::MAX_CHARS)?;
        Ok(Self(plain_text(line)?.to_owned()))
    }

    /// Parses an optional line already composed, or as typed: blank is `None`.
    pub(crate) fn parse_optional_in(
        text: &str,
        composition: Composition,
    ) -> Result<Option<Self>, ValidationError> {
        if text.trim().is_empty() {
            Ok(None)
        } else {
            Self::parse_in(text, composition).map(Some)
        }
    }

    /// The line.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whole years lived at the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearsAtAddress(u8);

impl YearsAtAddress {
    /// Parses a whole number from 0 to 99.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let text = required(raw)?;
        match text.parse::<u8>() {
            Ok(years) if years <= 99 && text.bytes().all(|b| b.is_ascii_digit()) => Ok(Self(years)),
            _ => Err(ValidationError::OutOfRange),
        }
    }

    /// The number of years.
    pub fn years(self) -> u8 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn address_lines_refuse_markup_and_overlong_text() {
        assert!(AddressLine::parse("10 Anson Road #12-01").is_ok());
        assert_eq!(
            AddressLine::parse("<script>"),
            Err(ValidationError::InvalidCharacters)
        );
        assert_eq!(
            AddressLine::parse(&"x".repeat(61)),
            Err(ValidationError::TooLong)
        );
        assert_eq!(AddressLine::parse_optional("  "), Ok(None));
        assert_eq!(
            AddressLine::parse("99 Sukhumvit\u{202E}Road"),
            Err(ValidationError::InvalidCharacters)
        );
        assert_eq!(
            AddressLine::parse_optional("ซอย 11 ถนนสุขุมวิท").map(|l| l.is_some()),
            Ok(true)
        );
    }

    proptest! {
        #[test]
        fn years_parse_exactly_0_to_99(n in 0u32..1000) {
            let parsed = YearsAtAddress::parse(&n.to_string());
            prop_assert_eq!(parsed.is_ok(), n <= 99);
        }
    }
}

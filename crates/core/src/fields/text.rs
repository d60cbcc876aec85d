use super::{at_most, plain_text, required};
use crate::ValidationError;

/// The name of the applicant's employer or business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerName(String);

impl EmployerName {
    /// The longest name accepted (the stricter of the bank's and connectFi's limits).
    pub const MAX_CHARS: usize = 50;

    /// Parses a name: 1 to 50 characters, not only spaces, no angle brackets.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Ok(Self(
            plain_text(at_most(required(raw)?, Self::MAX_CHARS)?)?.to_owned(),
        ))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

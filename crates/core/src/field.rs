//! Field names and the errors a field can have, shared by the widget and the BFF.

use crate::phrase::fill;
use crate::{Market, Phrase};
use serde::{Deserialize, Serialize};

/// Every field the customer fills in, named as in the API's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    GivenName,
    Surname,
    DateOfBirth,
    MobileNumber,
    Email,
    TermsConsent,
    IdType,
    IdNumber,
    AddressLine1,
    AddressLine2,
    PostalCode,
    Country,
    YearsAtAddress,
    EmploymentStatus,
    Occupation,
    Industry,
    EmployerName,
    AnnualIncome,
    Education,
    ResidenceType,
}

impl Field {
    /// The field's name in the API's JSON and the id of its input in the widget.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::GivenName => "given_name",
            Self::Surname => "surname",
            Self::DateOfBirth => "date_of_birth",
            Self::MobileNumber => "mobile_number",
            Self::Email => "email",
            Self::TermsConsent => "terms_consent",
            Self::IdType => "id_type",
            Self::IdNumber => "id_number",
            Self::AddressLine1 => "address_line1",
            Self::AddressLine2 => "address_line2",
            Self::PostalCode => "postal_code",
            Self::Country => "country",
            Self::YearsAtAddress => "years_at_address",
            Self::EmploymentStatus => "employment_status",
            Self::Occupation => "occupation",
            Self::Industry => "industry",
            Self::EmployerName => "employer_name",
            Self::AnnualIncome => "annual_income",
            Self::Education => "education",
            Self::ResidenceType => "residence_type",
        }
    }
}

/// Why a field's value was refused. The code is the message key in every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidationError {
    Required,
    TooLong,
    InvalidCharacters,
    InvalidDate,
    TooYoung,
    TooOld,
    InvalidMobileNumber,
    InvalidEmail,
    InvalidIdFormat,
    InvalidCheckCharacter,
    InvalidPostalCode,
    OutOfRange,
    InvalidAmount,
    TooManyDecimals,
    UnknownOption,
    ConsentRequired,
}

impl ValidationError {
    /// The stable code clients key their messages on.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong => "too_long",
            Self::InvalidCharacters => "invalid_characters",
            Self::InvalidDate => "invalid_date",
            Self::TooYoung => "too_young",
            Self::TooOld => "too_old",
            Self::InvalidMobileNumber => "invalid_mobile_number",
            Self::InvalidEmail => "invalid_email",
            Self::InvalidIdFormat => "invalid_id_format",
            Self::InvalidCheckCharacter => "invalid_check_character",
            Self::InvalidPostalCode => "invalid_postal_code",
            Self::OutOfRange => "out_of_range",
            Self::InvalidAmount => "invalid_amount",
            Self::TooManyDecimals => "too_many_decimals",
            Self::UnknownOption => "unknown_option",
            Self::ConsentRequired => "consent_required",
        }
    }

    /// The message in English, with the market's specifics.
    pub fn message_in(self, market: Market) -> String {
        self.message_with(market, Phrase::english)
    }

    /// The message in the words `words` gives each phrase, with the market's specifics
    /// (its minimum age, an example mobile number or postal code) filled in.
    pub fn message_with<'a>(self, market: Market, words: impl Fn(Phrase) -> &'a str) -> String {
        let phrase = Phrase::error(self, market.has_postal_code());
        let example = match phrase {
            Phrase::InvalidPostalCodeLike => market.postal_code_example().unwrap_or_default(),
            _ => market.mobile_plan().example,
        };
        let age = market.minimum_age().to_string();
        fill(words(phrase), &[("age", &age), ("example", example)])
    }
}

/// A refused field and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub error: ValidationError,
}

/// Collects the errors of a form while its fields are parsed one by one.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    /// Keeps a field's value, or records why it was refused.
    pub fn check<T>(&mut self, field: Field, parsed: Result<T, ValidationError>) -> Option<T> {
        parsed
            .map_err(|error| self.0.push(FieldError { field, error }))
            .ok()
    }

    /// The form's value when no field was refused.
    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, Vec<FieldError>> {
        match (self.0.is_empty(), build()) {
            (true, Some(value)) => Ok(value),
            _ => Err(self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_markets_specifics() {
        let sg = Market::Singapore;
        assert_eq!(
            ValidationError::TooYoung.message_in(sg),
            "You must be at least 21 years old to apply."
        );
        assert_eq!(
            ValidationError::InvalidMobileNumber.message_in(sg),
            "Enter a mobile number like 9123 4567."
        );
        assert_eq!(
            ValidationError::InvalidPostalCode.message_in(Market::Poland),
            "Enter the postal code of the address, for example 00-950."
        );
        assert_eq!(
            ValidationError::InvalidPostalCode.message_in(Market::HongKong),
            "Check the postal code of the address."
        );
        assert_eq!(
            ValidationError::Required.message_in(sg),
            "This is required."
        );
    }

    #[test]
    fn messages_are_in_the_words_given() {
        let polish = |p: Phrase| p.in_language(crate::Language::Polish);
        let message = ValidationError::TooYoung.message_with(Market::Poland, polish);
        assert!(message.contains("18"), "{message}");
        assert_ne!(
            message,
            ValidationError::TooYoung.message_in(Market::Poland)
        );
    }
}

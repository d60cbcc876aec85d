//! Field names and the errors a field can have, shared by the widget and the BFF.

use crate::Market;
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

    /// The English message, written for the customer.
    pub const fn message(self) -> &'static str {
        match self {
            Self::Required => "This is required.",
            Self::TooLong => "This is too long.",
            Self::InvalidCharacters => "This contains characters we can't accept.",
            Self::InvalidDate => "Enter a real date.",
            Self::TooYoung => "You are younger than the card's minimum age.",
            Self::TooOld => "Check the year of birth.",
            Self::InvalidMobileNumber => "Enter a mobile number of the country you apply in.",
            Self::InvalidEmail => "Enter an e-mail address like name@example.com.",
            Self::InvalidIdFormat => "This doesn't look like a number of the ID type you chose.",
            Self::InvalidCheckCharacter => {
                "Check the ID number: its check digit or letter doesn't match."
            }
            Self::InvalidPostalCode => "Check the postal code of the address.",
            Self::OutOfRange => "Enter a number between 0 and 99.",
            Self::InvalidAmount => "Enter an amount greater than 0, in numbers only.",
            Self::TooManyDecimals => "Use at most 2 decimal places.",
            Self::UnknownOption => "Choose one of the options.",
            Self::ConsentRequired => "Read and accept the Terms and Conditions to continue.",
        }
    }
}

impl ValidationError {
    /// The English message with the market's specifics (its minimum age, an example mobile
    /// number, the shape of its postal codes); `message` for errors that have none.
    pub fn message_in(self, market: Market) -> String {
        match (self, market.postal_code_format()) {
            (Self::TooYoung, _) => format!(
                "You must be at least {} years old to apply.",
                market.minimum_age()
            ),
            (Self::InvalidMobileNumber, _) => format!(
                "Enter a mobile number like {}.",
                market.mobile_plan().example
            ),
            // Only where the market has postal codes: an address abroad has its own rule.
            (Self::InvalidPostalCode, Some(format)) => format!(
                "Enter the postal code of the address ({format} in {}).",
                market.name_in_sentence()
            ),
            _ => self.message().to_owned(),
        }
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
            ValidationError::InvalidPostalCode.message_in(Market::Philippines),
            "Enter the postal code of the address (4 digits in the Philippines)."
        );
        assert_eq!(
            ValidationError::InvalidPostalCode.message_in(Market::HongKong),
            ValidationError::InvalidPostalCode.message()
        );
        assert_eq!(
            ValidationError::Required.message_in(sg),
            ValidationError::Required.message()
        );
    }
}

//! One newtype per kind of field value. Each has a parse-don't-validate constructor: a
//! value of the type is proof that the rules held.

mod address;
mod date_of_birth;
mod email;
mod id_number;
mod income;
mod mobile_number;
mod name;
mod postal_code;
mod text;

pub use address::{AddressLine, YearsAtAddress};
pub use date_of_birth::DateOfBirth;
pub use email::EmailAddress;
pub use id_number::{IdNumber, IdType};
pub use income::AnnualIncome;
pub use mobile_number::{MobileNumber, MobilePlan};
pub use name::PersonName;
pub use postal_code::{PostalCode, PostalCodeFormat};
pub use text::EmployerName;

use crate::ValidationError;

/// Trims the value and refuses it when nothing is left.
fn required(raw: &str) -> Result<&str, ValidationError> {
    match raw.trim() {
        "" => Err(ValidationError::Required),
        value => Ok(value),
    }
}

/// Refuses a value longer than `max` characters.
fn at_most(value: &str, max: usize) -> Result<&str, ValidationError> {
    if value.chars().count() > max {
        Err(ValidationError::TooLong)
    } else {
        Ok(value)
    }
}

/// Free text must not carry markup or control characters into the bank's systems.
fn plain_text(value: &str) -> Result<&str, ValidationError> {
    if value
        .chars()
        .any(|c| c == '<' || c == '>' || c.is_control())
    {
        Err(ValidationError::InvalidCharacters)
    } else {
        Ok(value)
    }
}

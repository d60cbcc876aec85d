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
mod unicode;

pub use address::{AddressLine, YearsAtAddress};
pub use date_of_birth::{date_from_parts, DateOfBirth};
pub use email::EmailAddress;
pub use id_number::{IdNumber, IdType};
pub use income::AnnualIncome;
pub use mobile_number::{MobileNumber, MobilePlan};
pub use name::PersonName;
pub use postal_code::{PostalCode, PostalCodeFormat};
pub use text::EmployerName;
pub use unicode::nfc;
pub(crate) use unicode::Composition;

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

/// Free text must not carry markup, control characters or invisible formatting into the
/// bank's systems: a right-to-left override (U+202E) stored in an address reverses it on
/// every screen and letter that shows it. ZWJ and ZWNJ between letters are not formatting
/// but spelling (Devanagari half forms, Persian), so they stay.
fn plain_text(value: &str) -> Result<&str, ValidationError> {
    let mut chars = value.chars().peekable();
    let mut previous = None;
    while let Some(c) = chars.next() {
        let refused = match c {
            // ≮ and ≯ are < and > with a stroke, which decomposition takes off again.
            '<' | '>' | '\u{226E}' | '\u{226F}' => true,
            // Line and paragraph separators would break the line in the bank's records.
            '\u{2028}' | '\u{2029}' => true,
            _ if unicode::is_joiner(c) => !unicode::joins_letters(previous, &mut chars),
            _ => c.is_control() || unicode::is_format(c),
        };
        if refused {
            return Err(ValidationError::InvalidCharacters);
        }
        previous = Some(c);
    }
    Ok(value)
}

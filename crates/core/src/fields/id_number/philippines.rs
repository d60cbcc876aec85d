//! The Philippines: the PhilSys card and the UMID. Neither publishes a check digit, so
//! only their formats are checked.

use super::digits;
use crate::ValidationError;

/// Checks a PhilSys number: the PhilSys Card Number printed on the card, or the PhilSys
/// Number itself, both 16 digits.
pub(super) fn check_philsys(number: &str) -> Result<(), ValidationError> {
    digits(number, 16)
}

/// The UMID's Common Reference Number as printed, without its "CRN" label.
pub(super) fn without_crn_label(number: &str) -> String {
    number.strip_prefix("CRN").unwrap_or(number).to_owned()
}

/// Checks a UMID Common Reference Number: 12 digits, printed as CRN-0111-2345678-9.
pub(super) fn check_umid(number: &str) -> Result<(), ValidationError> {
    digits(number, 12)
}

#[cfg(test)]
mod tests {
    use crate::fields::{IdNumber, IdType};
    use crate::ValidationError;

    #[test]
    fn philsys_numbers_are_16_digits() {
        assert_eq!(
            IdNumber::parse("1234-5678-9012-3456", IdType::PhilSys)
                .unwrap()
                .as_str(),
            "1234567890123456"
        );
        for number in [
            "1234-5678-9012-345",
            "1234-5678-9012-34567",
            "1234-5678-9012-345X",
        ] {
            assert_eq!(
                IdNumber::parse(number, IdType::PhilSys),
                Err(ValidationError::InvalidIdFormat),
                "{number}"
            );
        }
    }

    #[test]
    fn umid_numbers_are_12_digits_with_or_without_their_label() {
        for number in ["CRN-0111-2345678-9", "0111-2345678-9", "crn 011123456789"] {
            assert_eq!(
                IdNumber::parse(number, IdType::Umid).unwrap().as_str(),
                "011123456789",
                "{number}"
            );
        }
        for number in ["CRN-0111-2345678", "0111-2345678-90", "CRX-0111-2345678-9"] {
            assert_eq!(
                IdNumber::parse(number, IdType::Umid),
                Err(ValidationError::InvalidIdFormat),
                "{number}"
            );
        }
    }
}

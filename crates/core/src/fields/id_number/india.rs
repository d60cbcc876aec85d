//! India: the Aadhaar number (Verhoeff check digit) and the PAN (format only).

use super::checksum::verhoeff_is_valid;
use super::digits;
use crate::ValidationError;

/// Checks an Aadhaar number: 12 digits, never starting with 0 or 1, the last a Verhoeff
/// check digit.
pub(super) fn check_aadhaar(number: &str) -> Result<(), ValidationError> {
    digits(number, 12)?;
    if number.starts_with(['0', '1']) {
        return Err(ValidationError::InvalidIdFormat);
    }
    if verhoeff_is_valid(number) {
        Ok(())
    } else {
        Err(ValidationError::InvalidCheckCharacter)
    }
}

/// The PAN's fourth letter says who holds it: a person, company, Hindu undivided family,
/// firm, association of persons, trust, body of individuals, local authority, artificial
/// juridical person or government.
const PAN_HOLDER_TYPES: &str = "PCHFATBLJG";

/// Checks a PAN's shape, `AAAAA9999A`, and its holder type. Its last letter is a check
/// letter whose algorithm the tax department does not publish, so it is not checked.
pub(super) fn check_pan(number: &str) -> Result<(), ValidationError> {
    let b = number.as_bytes();
    let shape_ok = b.len() == 10
        && b[..5].iter().all(u8::is_ascii_uppercase)
        && PAN_HOLDER_TYPES.as_bytes().contains(&b[3])
        && b[5..9].iter().all(u8::is_ascii_digit)
        && b[9].is_ascii_uppercase();
    shape_ok
        .then_some(())
        .ok_or(ValidationError::InvalidIdFormat)
}

#[cfg(test)]
mod tests {
    use super::super::checksum::verhoeff_check_digit;
    use crate::fields::{IdNumber, IdType};
    use crate::ValidationError;
    use proptest::prelude::*;

    fn aadhaar(number: &str) -> Result<IdNumber, ValidationError> {
        IdNumber::parse(number, IdType::Aadhaar)
    }

    #[test]
    fn accepts_known_valid_aadhaar_numbers() {
        for number in ["2341 2341 2346", "499118665246", "9876-5432-1012"] {
            assert!(aadhaar(number).is_ok(), "{number}");
        }
    }

    #[test]
    fn refuses_aadhaar_numbers_with_a_wrong_check_digit_or_shape() {
        assert_eq!(
            aadhaar("234123412347"),
            Err(ValidationError::InvalidCheckCharacter)
        );
        // Two adjacent digits swapped.
        assert_eq!(
            aadhaar("234123412364"),
            Err(ValidationError::InvalidCheckCharacter)
        );
        for number in [
            "23412341234",
            "2341234123466",
            "134123412346",
            "02341234123",
            "23412341234A",
        ] {
            assert_eq!(
                aadhaar(number),
                Err(ValidationError::InvalidIdFormat),
                "{number}"
            );
        }
    }

    #[test]
    fn pan_follows_its_format_and_holder_types() {
        for number in ["ABCPE1234F", "aaapl1234c", "AAACC1234D"] {
            assert!(IdNumber::parse(number, IdType::Pan).is_ok(), "{number}");
        }
        for number in [
            "ABCXE1234F",
            "ABCPE12345",
            "ABCP1234F",
            "1BCPE1234F",
            "ABCPE1234FF",
        ] {
            assert_eq!(
                IdNumber::parse(number, IdType::Pan),
                Err(ValidationError::InvalidIdFormat),
                "{number}"
            );
        }
    }

    proptest! {
        #[test]
        fn an_aadhaar_number_with_its_check_digit_parses_and_any_other_does_not(
            payload in "[2-9][0-9]{10}",
            other in 0u32..10,
        ) {
            let check = verhoeff_check_digit(&payload);
            let valid = format!("{payload}{check}");
            prop_assert!(aadhaar(&valid).is_ok(), "{}", valid);
            if other != check {
                prop_assert_eq!(aadhaar(&format!("{payload}{other}")), Err(ValidationError::InvalidCheckCharacter));
            }
        }
    }
}

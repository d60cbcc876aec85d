//! Australia: driver licences (format only) and the Medicare card (check digit).

use super::checksum::weighted_sum;
use super::digits;
use crate::ValidationError;

/// Checks a driver licence number. Each state and territory numbers its own licences
/// (digits in some, letters and digits in others) and none publishes a check digit, so
/// only what all share is checked: 4 to 10 letters and digits, at least one a digit.
pub(super) fn check_driver_licence(number: &str) -> Result<(), ValidationError> {
    let shape_ok = (4..=10).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_alphanumeric())
        && number.bytes().any(|b| b.is_ascii_digit());
    shape_ok
        .then_some(())
        .ok_or(ValidationError::InvalidIdFormat)
}

/// Checks a Medicare card number: ten digits, the first 2 to 6, the ninth a check digit
/// over the first eight and the tenth the card's issue number. The individual reference
/// number printed beside each name is not part of it.
pub(super) fn check_medicare(number: &str) -> Result<(), ValidationError> {
    digits(number, 10)?;
    if !matches!(number.as_bytes()[0], b'2'..=b'6') {
        return Err(ValidationError::InvalidIdFormat);
    }
    if number[8..9].starts_with(medicare_check_digit(&number[..8])) {
        Ok(())
    } else {
        Err(ValidationError::InvalidCheckCharacter)
    }
}

/// The Medicare check digit: weights 1, 3, 7, 9, 1, 3, 7, 9 over the first eight digits,
/// modulo 10.
pub(super) fn medicare_check_digit(first_eight: &str) -> char {
    let sum = weighted_sum(first_eight, &[1, 3, 7, 9, 1, 3, 7, 9]);
    char::from_digit(sum % 10, 10).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{IdNumber, IdType};
    use proptest::prelude::*;

    fn medicare(number: &str) -> Result<IdNumber, ValidationError> {
        IdNumber::parse(number, IdType::Medicare)
    }

    #[test]
    fn driver_licences_are_4_to_10_letters_and_digits() {
        for number in ["12345678", "S12345", "ab 12 34 5", "1234"] {
            assert!(
                IdNumber::parse(number, IdType::AuDriverLicence).is_ok(),
                "{number}"
            );
        }
        for number in ["123", "12345678901", "ABCDEF", "1234/567"] {
            assert_eq!(
                IdNumber::parse(number, IdType::AuDriverLicence),
                Err(ValidationError::InvalidIdFormat),
                "{number}"
            );
        }
    }

    #[test]
    fn accepts_known_valid_medicare_numbers() {
        // 2123 45670 1 is Services Australia's sample card.
        for number in ["2123 45670 1", "2950123481", "6123456743"] {
            assert!(medicare(number).is_ok(), "{number}");
        }
    }

    #[test]
    fn refuses_wrong_medicare_check_digits_and_shapes() {
        assert_eq!(
            medicare("2123456711"),
            Err(ValidationError::InvalidCheckCharacter)
        );
        assert_eq!(
            medicare("2132456701"),
            Err(ValidationError::InvalidCheckCharacter)
        );
        for number in [
            "1123456701",
            "7123456701",
            "212345670",
            "21234567011",
            "2123456A01",
        ] {
            assert_eq!(
                medicare(number),
                Err(ValidationError::InvalidIdFormat),
                "{number}"
            );
        }
    }

    proptest! {
        #[test]
        fn a_medicare_number_with_its_check_digit_parses_and_any_other_does_not(
            first_eight in "[2-6][0-9]{7}",
            issue in 0u32..10,
            other in 0u32..10,
        ) {
            let check = medicare_check_digit(&first_eight);
            let valid = format!("{first_eight}{check}{issue}");
            prop_assert!(medicare(&valid).is_ok(), "{}", valid);
            let other = char::from_digit(other, 10).unwrap();
            if other != check {
                prop_assert_eq!(medicare(&format!("{first_eight}{other}{issue}")), Err(ValidationError::InvalidCheckCharacter));
            }
        }
    }
}

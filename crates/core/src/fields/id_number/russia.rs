//! Russia: the internal passport (format only: it has no check digit) and the individual's
//! taxpayer number, INN, with its two check digits.

use super::checksum::weighted_sum;
use super::digits;
use crate::ValidationError;

/// Checks an internal passport: a 4-digit series and a 6-digit number.
pub(super) fn check_passport(number: &str) -> Result<(), ValidationError> {
    digits(number, 10)
}

/// Checks an individual's INN: ten digits and two check digits, the second computed over
/// the first eleven.
pub(super) fn check_inn(number: &str) -> Result<(), ValidationError> {
    digits(number, 12)?;
    if inn_check_digits(&number[..10]) == number[10..] {
        Ok(())
    } else {
        Err(ValidationError::InvalidCheckCharacter)
    }
}

/// The two check digits of an individual's INN: each a weighted sum modulo 11, then 10.
pub(super) fn inn_check_digits(first_ten: &str) -> String {
    let digit = |number: &str, weights: &[u32]| {
        char::from_digit(weighted_sum(number, weights) % 11 % 10, 10).unwrap_or('0')
    };
    let eleventh = digit(first_ten, &[7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
    let first_eleven = format!("{first_ten}{eleventh}");
    let twelfth = digit(&first_eleven, &[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
    format!("{eleventh}{twelfth}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{IdNumber, IdType};
    use proptest::prelude::*;

    fn inn(number: &str) -> Result<IdNumber, ValidationError> {
        IdNumber::parse(number, IdType::Inn)
    }

    #[test]
    fn passports_are_a_series_and_a_number() {
        assert_eq!(
            IdNumber::parse("45 06 123456", IdType::RussianPassport)
                .unwrap()
                .as_str(),
            "4506123456"
        );
        for number in ["4506 12345", "4506 1234567", "45O6 123456"] {
            assert_eq!(
                IdNumber::parse(number, IdType::RussianPassport),
                Err(ValidationError::InvalidIdFormat),
                "{number}"
            );
        }
    }

    #[test]
    fn accepts_known_valid_inns() {
        for number in [
            "500100732259",
            "7707 0838 9324",
            "783000229357",
            "772512345622",
            "123456789047",
        ] {
            assert!(inn(number).is_ok(), "{number}");
        }
    }

    #[test]
    fn refuses_wrong_check_digits_and_shapes() {
        for number in ["500100732258", "500100732269", "500100732295"] {
            assert_eq!(
                inn(number),
                Err(ValidationError::InvalidCheckCharacter),
                "{number}"
            );
        }
        // A company's INN has 10 digits; the journey takes people only.
        for number in ["7707083893", "5001007322599", "50010073225A"] {
            assert_eq!(
                inn(number),
                Err(ValidationError::InvalidIdFormat),
                "{number}"
            );
        }
    }

    proptest! {
        #[test]
        fn an_inn_with_its_check_digits_parses_and_any_other_pair_does_not(
            first_ten in "[0-9]{10}",
            other in "[0-9]{2}",
        ) {
            let checks = inn_check_digits(&first_ten);
            let valid = format!("{first_ten}{checks}");
            prop_assert!(inn(&valid).is_ok(), "{}", valid);
            if other != checks {
                prop_assert_eq!(inn(&format!("{first_ten}{other}")), Err(ValidationError::InvalidCheckCharacter));
            }
        }
    }
}

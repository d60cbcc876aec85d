//! Thailand: the 13-digit national ID with its check digit.

use super::checksum::weighted_sum;
use super::digits;
use crate::ValidationError;

/// Checks a Thai national ID: twelve digits and a check digit.
pub(super) fn check_id(number: &str) -> Result<(), ValidationError> {
    digits(number, 13)?;
    if number.ends_with(check_digit(&number[..12])) {
        Ok(())
    } else {
        Err(ValidationError::InvalidCheckCharacter)
    }
}

/// The check digit: weights 13 down to 2 over the twelve digits, then
/// (11 − sum mod 11) mod 10.
pub(super) fn check_digit(first_twelve: &str) -> char {
    const WEIGHTS: [u32; 12] = [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2];
    let check = (11 - weighted_sum(first_twelve, &WEIGHTS) % 11) % 10;
    char::from_digit(check, 10).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{IdNumber, IdType};
    use proptest::prelude::*;

    fn parse(number: &str) -> Result<IdNumber, ValidationError> {
        IdNumber::parse(number, IdType::ThaiId)
    }

    #[test]
    fn accepts_known_valid_numbers_as_printed_or_plain() {
        for number in ["1-1017-00230-70-8", "3100500569308", "1 2345 67890 12 1"] {
            assert!(parse(number).is_ok(), "{number}");
        }
    }

    #[test]
    fn refuses_wrong_check_digits_and_shapes() {
        assert_eq!(
            parse("1-1017-00230-70-9"),
            Err(ValidationError::InvalidCheckCharacter)
        );
        assert_eq!(
            parse("1234567890122"),
            Err(ValidationError::InvalidCheckCharacter)
        );
        for number in ["110170023070", "11017002307089", "110170023070X"] {
            assert_eq!(
                parse(number),
                Err(ValidationError::InvalidIdFormat),
                "{number}"
            );
        }
    }

    proptest! {
        #[test]
        fn a_number_with_its_check_digit_parses_and_any_other_does_not(
            first_twelve in "[1-8][0-9]{11}",
            other in 0u32..10,
        ) {
            let check = check_digit(&first_twelve);
            let valid = format!("{first_twelve}{check}");
            prop_assert!(parse(&valid).is_ok(), "{}", valid);
            let other = char::from_digit(other, 10).unwrap();
            if other != check {
                prop_assert_eq!(parse(&format!("{first_twelve}{other}")), Err(ValidationError::InvalidCheckCharacter));
            }
        }
    }
}

//! The United Arab Emirates: the Emirates ID, 784-YYYY-NNNNNNN-C.

use super::checksum::luhn_is_valid;
use super::digits;
use crate::ValidationError;

/// Checks an Emirates ID: 15 digits, the UAE's ISO numeric code 784, the holder's year of
/// birth, a serial and a Luhn check digit.
pub(super) fn check_emirates_id(number: &str) -> Result<(), ValidationError> {
    digits(number, 15)?;
    let year_ok = matches!(&number[3..5], "19" | "20");
    if !number.starts_with("784") || !year_ok {
        return Err(ValidationError::InvalidIdFormat);
    }
    if luhn_is_valid(number) {
        Ok(())
    } else {
        Err(ValidationError::InvalidCheckCharacter)
    }
}

#[cfg(test)]
mod tests {
    use super::super::checksum::luhn_check_digit;
    use crate::fields::{IdNumber, IdType};
    use crate::ValidationError;
    use proptest::prelude::*;

    fn parse(number: &str) -> Result<IdNumber, ValidationError> {
        IdNumber::parse(number, IdType::EmiratesId)
    }

    #[test]
    fn accepts_known_valid_numbers_as_printed_or_plain() {
        for number in [
            "784-1990-6570305-2",
            "784196856789019",
            "784 2001 1234567 1",
        ] {
            assert!(parse(number).is_ok(), "{number}");
        }
    }

    #[test]
    fn refuses_wrong_check_digits_and_shapes() {
        assert_eq!(
            parse("784-1990-6570305-3"),
            Err(ValidationError::InvalidCheckCharacter)
        );
        // Two adjacent digits of the serial swapped.
        assert_eq!(
            parse("784-1990-5670305-2"),
            Err(ValidationError::InvalidCheckCharacter)
        );
        for number in [
            "785-1990-6570305-2",
            "784-1890-6570305-2",
            "784-1990-657030-2",
            "784-1990-65703051-2",
            "784-1990-657O305-2",
        ] {
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
            year in 1920u32..2030,
            serial in "[0-9]{7}",
            other in 0u32..10,
        ) {
            let payload = format!("784{year}{serial}");
            let check = luhn_check_digit(&payload);
            let valid = format!("{payload}{check}");
            prop_assert!(parse(&valid).is_ok(), "{}", valid);
            if other != check {
                prop_assert_eq!(parse(&format!("{payload}{other}")), Err(ValidationError::InvalidCheckCharacter));
            }
        }
    }
}

//! Poland: the PESEL number and the identity card (dowód osobisty), both with check digits.

use super::checksum::weighted_sum;
use super::{digits, two_digits};
use crate::{CalendarDate, ValidationError};

/// The PESEL's weights over its first ten digits.
const PESEL_WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

/// Checks a PESEL: 11 digits, YYMMDD of birth (the month carries the century), a serial,
/// and a check digit.
pub(super) fn check_pesel(number: &str) -> Result<(), ValidationError> {
    digits(number, 11)?;
    let encoded_month = two_digits(number, 2);
    // The month is offset by 80 in the 1800s, 0 in the 1900s, 20 in the 2000s and so on.
    let (century, month) = match encoded_month {
        81..=92 => (1800, encoded_month - 80),
        1..=12 => (1900, encoded_month),
        21..=32 => (2000, encoded_month - 20),
        41..=52 => (2100, encoded_month - 40),
        61..=72 => (2200, encoded_month - 60),
        _ => return Err(ValidationError::InvalidIdFormat),
    };
    let year = century + i32::from(two_digits(number, 0));
    if CalendarDate::new(year, month, two_digits(number, 4)).is_none() {
        return Err(ValidationError::InvalidIdFormat);
    }
    if number.ends_with(pesel_check_digit(&number[..10])) {
        Ok(())
    } else {
        Err(ValidationError::InvalidCheckCharacter)
    }
}

/// The PESEL check digit of the first ten digits: what brings the weighted sum to a
/// multiple of 10.
pub(super) fn pesel_check_digit(first_ten: &str) -> char {
    let check = (10 - weighted_sum(first_ten, &PESEL_WEIGHTS) % 10) % 10;
    char::from_digit(check, 10).unwrap_or('0')
}

/// Checks an identity card number: three letters (the series), the check digit, and five
/// digits.
pub(super) fn check_id_card(number: &str) -> Result<(), ValidationError> {
    let b = number.as_bytes();
    let shape_ok = b.len() == 9
        && b[..3].iter().all(u8::is_ascii_uppercase)
        && b[3..].iter().all(u8::is_ascii_digit);
    if !shape_ok {
        return Err(ValidationError::InvalidIdFormat);
    }
    if id_card_check_digit(&number[..3], &number[4..]) == char::from(b[3]) {
        Ok(())
    } else {
        Err(ValidationError::InvalidCheckCharacter)
    }
}

/// The identity card's check digit: weights 7, 3, 1, 7, 3, 1, 7, 3 over the series' letters
/// (A=10 … Z=35) and the five digits after the check digit, modulo 10.
pub(super) fn id_card_check_digit(series: &str, serial: &str) -> char {
    let sum = weighted_sum(&format!("{series}{serial}"), &[7, 3, 1, 7, 3, 1, 7, 3]);
    char::from_digit(sum % 10, 10).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{IdNumber, IdType};
    use proptest::prelude::*;

    fn pesel(number: &str) -> Result<IdNumber, ValidationError> {
        IdNumber::parse(number, IdType::Pesel)
    }

    fn id_card(number: &str) -> Result<IdNumber, ValidationError> {
        IdNumber::parse(number, IdType::PolishIdCard)
    }

    #[test]
    fn accepts_known_valid_pesel_numbers_of_each_century() {
        for number in [
            // The Ministry's example: a man born 14 May 1944.
            "44051401359",
            // 8 July 2002, 31 December 1999, 1 January 1880, 29 February 2000.
            "02270803624",
            "99123100010",
            "80810100004",
            "00222900122",
        ] {
            assert!(pesel(number).is_ok(), "{number}");
        }
    }

    #[test]
    fn refuses_wrong_pesel_check_digits_dates_and_shapes() {
        assert_eq!(
            pesel("44051401358"),
            Err(ValidationError::InvalidCheckCharacter)
        );
        assert_eq!(
            pesel("02270803620"),
            Err(ValidationError::InvalidCheckCharacter)
        );
        for number in [
            // Month 13, month 0, 31 April, 29 February of 1999, 1900 and 2100.
            "44131401359",
            "44001401359",
            "44043101359",
            "99022900010",
            "00022900126",
            "00422900128",
            "4405140135",
            "440514013590",
            "4405140135X",
        ] {
            assert_eq!(
                pesel(number),
                Err(ValidationError::InvalidIdFormat),
                "{number}"
            );
        }
    }

    #[test]
    fn accepts_known_valid_identity_cards() {
        // ABA300000 is the specimen card's number.
        for number in ["ABA300000", "aba 300000", "AXB023456", "CAY665432"] {
            assert!(id_card(number).is_ok(), "{number}");
        }
    }

    #[test]
    fn refuses_wrong_identity_card_check_digits_and_shapes() {
        assert_eq!(
            id_card("ABA400000"),
            Err(ValidationError::InvalidCheckCharacter)
        );
        assert_eq!(
            id_card("AXB123456"),
            Err(ValidationError::InvalidCheckCharacter)
        );
        for number in [
            "AB3000000",
            "ABA30000",
            "ABA3000000",
            "1BA300000",
            "ABAX00000",
        ] {
            assert_eq!(
                id_card(number),
                Err(ValidationError::InvalidIdFormat),
                "{number}"
            );
        }
    }

    proptest! {
        #[test]
        fn a_pesel_with_its_check_digit_parses_and_any_other_does_not(
            days in -60_000i64..40_000,
            serial in "[0-9]{4}",
            other in 0u32..10,
        ) {
            let date = CalendarDate::from_days_since_epoch(days);
            let text = date.to_string();
            let offset = match date.year() / 100 { 18 => 80, 19 => 0, 20 => 20, _ => 40 };
            let month: u8 = text[5..7].parse().unwrap();
            let first_ten = format!("{}{:02}{}{serial}", &text[2..4], month + offset, &text[8..10]);
            let check = pesel_check_digit(&first_ten);
            let valid = format!("{first_ten}{check}");
            prop_assert!(pesel(&valid).is_ok(), "{}", valid);
            let other = char::from_digit(other, 10).unwrap();
            if other != check {
                prop_assert_eq!(pesel(&format!("{first_ten}{other}")), Err(ValidationError::InvalidCheckCharacter));
            }
        }

        #[test]
        fn an_identity_card_with_its_check_digit_parses_and_any_other_does_not(
            series in "[A-Z]{3}",
            serial in "[0-9]{5}",
            other in 0u32..10,
        ) {
            let check = id_card_check_digit(&series, &serial);
            let valid = format!("{series}{check}{serial}");
            prop_assert!(id_card(&valid).is_ok(), "{}", valid);
            let other = char::from_digit(other, 10).unwrap();
            if other != check {
                prop_assert_eq!(id_card(&format!("{series}{other}{serial}")), Err(ValidationError::InvalidCheckCharacter));
            }
        }
    }
}

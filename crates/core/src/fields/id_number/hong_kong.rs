//! Hong Kong: the HKID, one or two letters, six digits and a check digit (0-9 or A).

use super::checksum::{value, weighted_sum};
use crate::ValidationError;

/// The number without the brackets people type around its check digit (`A123456(3)`);
/// anything else is left for the shape check to refuse.
pub(super) fn without_brackets(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    match chars.as_slice() {
        [head @ .., '(', check, ')'] => head.iter().chain([check]).collect(),
        _ => number.to_owned(),
    }
}

/// Checks the shape and the check digit.
pub(super) fn check_hkid(number: &str) -> Result<(), ValidationError> {
    let letters = number.len().saturating_sub(7);
    let shape_ok = number.is_ascii()
        && (1..=2).contains(&letters)
        && number[..letters].bytes().all(|b| b.is_ascii_uppercase())
        && number[letters..letters + 6]
            .bytes()
            .all(|b| b.is_ascii_digit())
        && matches!(number.as_bytes()[letters + 6], b'0'..=b'9' | b'A');
    if !shape_ok {
        return Err(ValidationError::InvalidIdFormat);
    }
    let expected = check_character(&number[..letters], &number[letters..letters + 6]);
    if number.ends_with(expected) {
        Ok(())
    } else {
        Err(ValidationError::InvalidCheckCharacter)
    }
}

/// The check character of the letters and six digits: weights 9 to 2 over two letter
/// positions (a lone letter is preceded by a space, worth 36) and the digits; the sum
/// plus the check value is a multiple of 11, and a check value of 10 is written `A`.
pub(super) fn check_character(letters: &str, digits: &str) -> char {
    let first = match letters.len() {
        1 => 36 * 9,
        _ => value(letters.chars().next().unwrap_or(' ')) * 9,
    };
    let second = value(letters.chars().last().unwrap_or(' ')) * 8;
    let sum = first + second + weighted_sum(digits, &[7, 6, 5, 4, 3, 2]);
    match (11 - sum % 11) % 11 {
        10 => 'A',
        check => char::from_digit(check, 10).unwrap_or('0'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{IdNumber, IdType};
    use proptest::prelude::*;

    fn parse(number: &str) -> Result<IdNumber, ValidationError> {
        IdNumber::parse(number, IdType::Hkid)
    }

    #[test]
    fn accepts_known_valid_numbers_with_or_without_brackets() {
        // A123456(3) is the Immigration Department's own example.
        for number in [
            "A123456(3)",
            "A1234563",
            "a123456 (3)",
            "AB987654(3)",
            "Z683365(A)",
            "K000000(0)",
        ] {
            assert!(parse(number).is_ok(), "{number}");
        }
        assert_eq!(parse("Z683365(a)").unwrap().as_str(), "Z683365A");
    }

    #[test]
    fn refuses_wrong_check_digits() {
        for number in ["A123456(4)", "AB987654(A)", "Z6833650"] {
            assert_eq!(
                parse(number),
                Err(ValidationError::InvalidCheckCharacter),
                "{number}"
            );
        }
    }

    #[test]
    fn refuses_wrong_shapes() {
        for number in [
            "123456(3)",
            "ABC123456(3)",
            "A12345(3)",
            "A123456(B)",
            "A12(3456)3",
            "A123456(3",
            "中123456(3)",
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
        fn a_number_with_its_check_character_parses_and_any_other_does_not(
            letters in "[A-Z]{1,2}",
            digits in "[0-9]{6}",
            other in prop::sample::select("0123456789A".chars().collect::<Vec<_>>()),
        ) {
            let check = check_character(&letters, &digits);
            let valid = format!("{letters}{digits}({check})");
            prop_assert!(parse(&valid).is_ok(), "{}", valid);
            if other != check {
                prop_assert_eq!(parse(&format!("{letters}{digits}{other}")), Err(ValidationError::InvalidCheckCharacter));
            }
        }
    }
}

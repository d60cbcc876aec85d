//! Singapore: NRIC and FIN, whose last letter is a check letter.

use crate::ValidationError;

/// Checks an NRIC or FIN: a prefix of the series, seven digits and the check letter.
pub(super) fn check(number: &str, prefixes: &[char]) -> Result<(), ValidationError> {
    let chars: Vec<char> = number.chars().collect();
    let shape_ok = chars.len() == 9
        && prefixes.contains(&chars[0])
        && chars[1..8].iter().all(char::is_ascii_digit)
        && chars[8].is_ascii_uppercase();
    if !shape_ok {
        return Err(ValidationError::InvalidIdFormat);
    }
    if check_letter(chars[0], &chars[1..8]) == Some(chars[8]) {
        Ok(())
    } else {
        Err(ValidationError::InvalidCheckCharacter)
    }
}

/// The check letter for a prefix and seven digits; `None` for an unknown prefix. A
/// weighted sum of the digits, offset by the prefix's series, indexes a series-specific
/// letter table.
pub(super) fn check_letter(prefix: char, digits: &[char]) -> Option<char> {
    const WEIGHTS: [u32; 7] = [2, 7, 6, 5, 4, 3, 2];
    let (offset, table) = match prefix {
        'S' => (0, "JZIHGFEDCBA"),
        'T' => (4, "JZIHGFEDCBA"),
        'F' => (0, "XWUTRQPNMLK"),
        'G' => (4, "XWUTRQPNMLK"),
        'M' => (3, "XWUTRQPNJLK"),
        _ => return None,
    };
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| d.to_digit(10).unwrap_or(0) * w)
        .sum();
    table.chars().nth(((sum + offset) % 11) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{IdNumber, IdType};
    use proptest::prelude::*;

    #[test]
    fn accepts_known_valid_numbers() {
        for (number, kind) in [
            ("S1234567D", IdType::Nric),
            ("T0123456G", IdType::Nric),
            ("F1234567N", IdType::Fin),
            ("G1234567X", IdType::Fin),
            ("M1234567K", IdType::Fin),
            ("s1234567d", IdType::Nric),
        ] {
            assert!(IdNumber::parse(number, kind).is_ok(), "{number}");
        }
    }

    #[test]
    fn refuses_wrong_check_letters_and_shapes() {
        assert_eq!(
            IdNumber::parse("S1234567A", IdType::Nric),
            Err(ValidationError::InvalidCheckCharacter)
        );
        assert_eq!(
            IdNumber::parse("F1234567D", IdType::Nric),
            Err(ValidationError::InvalidIdFormat)
        );
        assert_eq!(
            IdNumber::parse("S123456D", IdType::Nric),
            Err(ValidationError::InvalidIdFormat)
        );
        assert_eq!(
            IdNumber::parse("S1234567D", IdType::Fin),
            Err(ValidationError::InvalidIdFormat)
        );
    }

    proptest! {
        #[test]
        fn a_number_with_its_computed_letter_parses_and_any_other_letter_does_not(
            prefix in prop::sample::select(vec!['S', 'T', 'F', 'G', 'M']),
            digits in "[0-9]{7}",
            other in "[A-Z]",
        ) {
            let ds: Vec<char> = digits.chars().collect();
            let letter = check_letter(prefix, &ds).unwrap();
            let kind = if matches!(prefix, 'S' | 'T') { IdType::Nric } else { IdType::Fin };
            let valid = format!("{prefix}{digits}{letter}");
            prop_assert!(IdNumber::parse(&valid, kind).is_ok());
            let other = other.chars().next().unwrap();
            if other != letter {
                prop_assert_eq!(IdNumber::parse(&format!("{prefix}{digits}{other}"), kind), Err(ValidationError::InvalidCheckCharacter));
            }
        }
    }
}

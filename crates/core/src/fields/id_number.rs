use super::required;
use crate::ValidationError;

/// The kinds of government ID the bank accepts, each with its own number rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdType {
    /// Singapore's National Registration Identity Card (citizens and permanent residents).
    Nric,
    /// Singapore's Foreign Identification Number (long-term pass holders).
    Fin,
    /// A passport of any country.
    Passport,
}

impl IdType {
    /// The type from its reference-data code.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "NRIC" => Some(Self::Nric),
            "FIN" => Some(Self::Fin),
            "PASSPORT" => Some(Self::Passport),
            _ => None,
        }
    }
}

/// A government ID number that passed its type's format and check-character rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber(String);

impl IdNumber {
    /// Parses a number for the given ID type, upper-casing it and dropping spaces.
    pub fn parse(raw: &str, id_type: IdType) -> Result<Self, ValidationError> {
        let number: String = required(raw)?
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        match id_type {
            IdType::Nric => singapore_check(&number, &['S', 'T'])?,
            IdType::Fin => singapore_check(&number, &['F', 'G', 'M'])?,
            IdType::Passport => {
                let shape_ok = (6..=9).contains(&number.len())
                    && number.chars().all(|c| c.is_ascii_alphanumeric())
                    && number.chars().any(|c| c.is_ascii_digit());
                if !shape_ok {
                    return Err(ValidationError::InvalidIdFormat);
                }
            }
        }
        Ok(Self(number))
    }

    /// The number, upper-case, without spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The NRIC/FIN check letter: a weighted sum of the seven digits, offset by the prefix's
/// series, indexes a series-specific letter table.
fn singapore_check(number: &str, prefixes: &[char]) -> Result<(), ValidationError> {
    let chars: Vec<char> = number.chars().collect();
    let shape_ok = chars.len() == 9
        && prefixes.contains(&chars[0])
        && chars[1..8].iter().all(char::is_ascii_digit)
        && chars[8].is_ascii_uppercase();
    if !shape_ok {
        return Err(ValidationError::InvalidIdFormat);
    }
    if singapore_check_letter(chars[0], &chars[1..8]) == Some(chars[8]) {
        Ok(())
    } else {
        Err(ValidationError::InvalidCheckCharacter)
    }
}

/// The check letter for a prefix and seven digits; `None` for an unknown prefix.
pub(crate) fn singapore_check_letter(prefix: char, digits: &[char]) -> Option<char> {
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
        assert_eq!(
            IdNumber::parse("ABCDEFG", IdType::Passport),
            Err(ValidationError::InvalidIdFormat)
        );
        assert!(IdNumber::parse("E1234567A", IdType::Passport).is_ok());
    }

    proptest! {
        #[test]
        fn a_number_with_its_computed_letter_parses_and_any_other_letter_does_not(
            prefix in prop::sample::select(vec!['S', 'T', 'F', 'G', 'M']),
            digits in "[0-9]{7}",
            other in "[A-Z]",
        ) {
            let ds: Vec<char> = digits.chars().collect();
            let letter = singapore_check_letter(prefix, &ds).unwrap();
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

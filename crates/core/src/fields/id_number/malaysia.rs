//! Malaysia: the MyKad number, YYMMDD-PB-###G.

use super::{date_exists_in_a_recent_century, digits, two_digits};
use crate::ValidationError;

/// Checks a MyKad number: 12 digits, the holder's date of birth, a place-of-birth code of
/// the National Registration Department's table, and a serial whose last digit is odd
/// for men and even for women. It has no check digit; the date and the place are what
/// can be checked.
pub(super) fn check_mykad(number: &str) -> Result<(), ValidationError> {
    digits(number, 12)?;
    let (year, month, day) = (
        two_digits(number, 0),
        two_digits(number, 2),
        two_digits(number, 4),
    );
    let valid = date_exists_in_a_recent_century(year, month, day)
        && is_place_of_birth(two_digits(number, 6));
    valid.then_some(()).ok_or(ValidationError::InvalidIdFormat)
}

/// The place-of-birth codes in use: states (01-16, 21-59), neighbouring countries (60-68),
/// born abroad before 2001 (71, 72), other countries and regions (74-79, 82-93), stateless
/// (98) and unspecified nationality (99).
fn is_place_of_birth(code: u8) -> bool {
    matches!(code, 1..=16 | 21..=59 | 60..=68 | 71 | 72 | 74..=79 | 82..=93 | 98 | 99)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{IdNumber, IdType};
    use proptest::prelude::*;

    fn parse(number: &str) -> Result<IdNumber, ValidationError> {
        IdNumber::parse(number, IdType::MyKad)
    }

    #[test]
    fn accepts_real_dates_and_places_with_or_without_hyphens() {
        for number in [
            // Born 1 January 1990 in Kuala Lumpur.
            "900101-14-5678",
            "900101145678",
            // Born 29 February 2000 in Johor, 31 December 1965 in Singapore.
            "000229-01-1234",
            "651231-66-0001",
        ] {
            assert!(parse(number).is_ok(), "{number}");
        }
    }

    #[test]
    fn refuses_impossible_dates_unknown_places_and_wrong_shapes() {
        for number in [
            "900230-14-5678",
            "901301-14-5678",
            "970229-14-5678",
            "900101-00-5678",
            "900101-17-5678",
            "900101-73-5678",
            "900101-94-5678",
            "900101-14-567",
            "900101-14-56789",
            "90O101-14-5678",
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
        fn exactly_the_published_place_codes_are_accepted(code in 0u8..100) {
            let valid = matches!(code, 1..=16 | 21..=68 | 71..=72 | 74..=79 | 82..=93 | 98..=99);
            prop_assert_eq!(parse(&format!("900101{code:02}5678")).is_ok(), valid);
        }
    }
}

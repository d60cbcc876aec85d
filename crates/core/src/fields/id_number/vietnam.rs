//! Vietnam: the citizen identity card (CCCD) and the old identity card (CMND).

use super::digits;
use crate::ValidationError;

/// The province codes of the CCCD, Circular 07/2016/TT-BCA: the 63 provinces and
/// centrally run cities as they were before the 2025 mergers, which numbers issued
/// earlier keep.
const PROVINCES: [&str; 63] = [
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
    "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
    "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
    "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
    "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
];

/// Checks a CCCD: 12 digits, the province of birth registration, a digit for sex and
/// century, the year of birth's last two digits and a serial. It has no check digit.
/// Only the century digits of the 1900s and 2000s (0 and 1, 2 and 3) are taken: the
/// others belong to people not alive or not born.
pub(super) fn check_cccd(number: &str) -> Result<(), ValidationError> {
    digits(number, 12)?;
    let valid = PROVINCES.contains(&&number[..3]) && matches!(number.as_bytes()[3], b'0'..=b'3');
    valid.then_some(()).ok_or(ValidationError::InvalidIdFormat)
}

/// Checks a CMND: 9 digits, format only (it has no check digit).
pub(super) fn check_cmnd(number: &str) -> Result<(), ValidationError> {
    digits(number, 9)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{IdNumber, IdType};
    use proptest::prelude::*;

    fn cccd(number: &str) -> Result<IdNumber, ValidationError> {
        IdNumber::parse(number, IdType::Cccd)
    }

    #[test]
    fn accepts_cccd_numbers_of_real_provinces_and_centuries() {
        for number in [
            // A man from Hanoi born in 1990; a woman from Ho Chi Minh City born in 2001.
            "001090012345",
            "079 301 234567",
            "096190000001",
        ] {
            assert!(cccd(number).is_ok(), "{number}");
        }
    }

    #[test]
    fn refuses_unknown_provinces_centuries_and_shapes() {
        for number in [
            "000090012345",
            "003090012345",
            "097090012345",
            "001490012345",
            "001890012345",
            "00109001234",
            "0010900123456",
            "00109001234X",
        ] {
            assert_eq!(
                cccd(number),
                Err(ValidationError::InvalidIdFormat),
                "{number}"
            );
        }
    }

    #[test]
    fn cmnd_numbers_are_9_digits() {
        assert!(IdNumber::parse("123 456 789", IdType::Cmnd).is_ok());
        for number in ["12345678", "1234567890", "12345678A"] {
            assert_eq!(
                IdNumber::parse(number, IdType::Cmnd),
                Err(ValidationError::InvalidIdFormat),
                "{number}"
            );
        }
    }

    proptest! {
        #[test]
        fn exactly_the_listed_provinces_are_accepted(province in 0u32..1000, rest in "[0-3][0-9]{8}") {
            let code = format!("{province:03}");
            prop_assert_eq!(cccd(&format!("{code}{rest}")).is_ok(), PROVINCES.contains(&code.as_str()));
        }
    }
}

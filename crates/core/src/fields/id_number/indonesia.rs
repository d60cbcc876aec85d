//! Indonesia: the NIK, whose digits 7 to 12 are the holder's date of birth.

use super::{date_exists_in_a_recent_century, digits, two_digits};
use crate::ValidationError;

/// Checks a NIK: 16 digits (province, regency, district, DDMMYY of birth, serial), where
/// women's birth days have 40 added. It has no check digit, so the date is what can be
/// checked: a day that never existed is a typing mistake.
pub(super) fn check_nik(number: &str) -> Result<(), ValidationError> {
    digits(number, 16)?;
    let encoded_day = two_digits(number, 6);
    let day = match encoded_day {
        41..=71 => encoded_day - 40,
        _ => encoded_day,
    };
    let (month, year) = (two_digits(number, 8), two_digits(number, 10));
    if date_exists_in_a_recent_century(year, month, day) {
        Ok(())
    } else {
        Err(ValidationError::InvalidIdFormat)
    }
}

#[cfg(test)]
mod tests {
    use crate::fields::{IdNumber, IdType};
    use crate::{CalendarDate, ValidationError};
    use proptest::prelude::*;

    fn parse(number: &str) -> Result<IdNumber, ValidationError> {
        IdNumber::parse(number, IdType::Nik)
    }

    #[test]
    fn accepts_men_and_women_born_on_real_days() {
        for number in [
            // A man born on 25 May 1985 in Bandung.
            "3273012505850003",
            // A woman born on 7 August 1990 in Central Jakarta: 07 + 40.
            "3171 0147 0890 0001",
            // 29 February 2000.
            "3171012902000002",
        ] {
            assert!(parse(number).is_ok(), "{number}");
        }
    }

    #[test]
    fn refuses_impossible_dates_and_wrong_shapes() {
        for number in [
            // Day 32 is neither a man's nor a woman's day.
            "3273013205850003",
            "3273017205850003",
            "3273010013850003",
            "3273013104850003",
            "3273012902970003",
            "3273010005850003",
            "327301250585000",
            "32730125058500031",
            "327301250585000A",
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
        fn every_real_birth_date_of_either_sex_makes_a_valid_nik(
            days in -25_000i64..12_000,
            woman in any::<bool>(),
            region in "[1-9][0-9]{5}",
            serial in "[0-9]{4}",
        ) {
            let date = CalendarDate::from_days_since_epoch(days).to_string();
            let (y, m, d) = (&date[2..4], &date[5..7], &date[8..10]);
            let day: u8 = d.parse().unwrap();
            let day = if woman { day + 40 } else { day };
            let valid = format!("{region}{day:02}{m}{y}{serial}");
            prop_assert!(parse(&valid).is_ok(), "{}", valid);
        }
    }
}

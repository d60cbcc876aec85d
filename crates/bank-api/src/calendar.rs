//! Calendar dates without a date library, as the bank writes them (`YYYY-MM-DD`: a date of
//! birth, an offer's expiry). One implementation for every crate: the widget (through
//! onboarding-core) stays small and its rules pure, and the sandbox, which keeps its own
//! tables of the bank's facts, shares this arithmetic, which is no fact of anyone's.

use std::fmt;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    year: i32,
    month: u8,
    day: u8,
}

impl CalendarDate {
    /// A date from its parts, or `None` when the day does not exist.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Self { year, month, day })
    }

    /// Parses the ISO 8601 form `YYYY-MM-DD` (what `<input type="date">` gives).
    pub fn parse_iso(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = &text[range];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let year = digits(0..4)? as i32;
        let month = digits(5..7)? as u8;
        let day = digits(8..10)? as u8;
        Self::new(year, month, day)
    }

    /// The date `days` days after 1970-01-01 (negative before it).
    pub fn from_days_since_epoch(days: i64) -> Self {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let month = i64::from(self.month);
        let mp = if month > 2 { month - 3 } else { month + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// This date `days` days later.
    pub fn plus_days(self, days: i64) -> Self {
        Self::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// Whole years from `self` (a birth date) to `today`.
    pub fn years_until(self, today: Self) -> i32 {
        let before_birthday = (today.month, today.day) < (self.month, self.day);
        today.year - self.year - i32::from(before_birthday)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_iso_dates_and_rejects_impossible_days() {
        assert_eq!(
            CalendarDate::parse_iso("2000-02-29"),
            CalendarDate::new(2000, 2, 29)
        );
        assert_eq!(CalendarDate::parse_iso("1900-02-29"), None);
        assert_eq!(CalendarDate::parse_iso("2024-13-01"), None);
        assert_eq!(CalendarDate::parse_iso("2024-1-01"), None);
        assert_eq!(CalendarDate::parse_iso("+024-01-01"), None);
    }

    #[test]
    fn counts_whole_years_up_to_the_birthday() {
        let born = CalendarDate::new(2000, 6, 15).unwrap();
        assert_eq!(
            born.years_until(CalendarDate::new(2021, 6, 14).unwrap()),
            20
        );
        assert_eq!(
            born.years_until(CalendarDate::new(2021, 6, 15).unwrap()),
            21
        );
    }

    #[test]
    fn epoch_days_are_known_values() {
        assert_eq!(
            CalendarDate::from_days_since_epoch(0).to_string(),
            "1970-01-01"
        );
        assert_eq!(
            CalendarDate::new(2026, 11, 22).unwrap().days_since_epoch(),
            20_779
        );
    }

    proptest! {
        #[test]
        fn epoch_days_round_trip(days in -1_000_000i64..1_000_000) {
            let date = CalendarDate::from_days_since_epoch(days);
            prop_assert_eq!(date.days_since_epoch(), days);
            if (0..=9999).contains(&date.year()) {
                prop_assert_eq!(CalendarDate::parse_iso(&date.to_string()), Some(date));
            }
        }
    }

    fn date(text: &str) -> CalendarDate {
        CalendarDate::parse_iso(text).unwrap()
    }

    #[test]
    fn the_epoch_is_day_zero() {
        assert_eq!(date("1970-01-01").days_since_epoch(), 0);
        assert_eq!(
            CalendarDate::from_days_since_epoch(0).to_string(),
            "1970-01-01"
        );
        assert_eq!(
            CalendarDate::from_days_since_epoch(-1).to_string(),
            "1969-12-31"
        );
        assert_eq!(date("2000-03-01").days_since_epoch(), 11_017);
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let start = date("1900-01-01").days_since_epoch();
        let end = date("2300-12-31").days_since_epoch();
        let mut previous: Option<CalendarDate> = None;
        for days in start..=end {
            let d = CalendarDate::from_days_since_epoch(days);
            assert_eq!(d.days_since_epoch(), days);
            assert_eq!(CalendarDate::parse_iso(&d.to_string()), Some(d));
            if let Some(p) = previous {
                assert!(p < d);
            }
            previous = Some(d);
        }
    }

    #[test]
    fn leap_years_follow_the_gregorian_rules() {
        assert_eq!(date("2024-02-28").plus_days(1), date("2024-02-29"));
        assert_eq!(date("2023-02-28").plus_days(1), date("2023-03-01"));
        assert_eq!(date("2000-02-28").plus_days(1), date("2000-02-29"));
        assert_eq!(date("1900-02-28").plus_days(1), date("1900-03-01"));
        assert_eq!(date("2100-02-28").plus_days(1), date("2100-03-01"));
        assert_eq!(CalendarDate::parse_iso("2023-02-29"), None);
        assert_eq!(CalendarDate::parse_iso("1900-02-29"), None);
        assert!(CalendarDate::parse_iso("2000-02-29").is_some());
    }

    #[test]
    fn thirty_days_on_crosses_months_and_years() {
        assert_eq!(date("2026-01-15").plus_days(30), date("2026-02-14"));
        assert_eq!(date("2025-12-15").plus_days(30), date("2026-01-14"));
        assert_eq!(date("2024-02-10").plus_days(30), date("2024-03-11"));
        assert_eq!(date("2023-02-10").plus_days(30), date("2023-03-12"));
        assert_eq!(date("2026-03-01").plus_days(-1), date("2026-02-28"));
    }

    #[test]
    fn only_well_formed_existing_dates_parse() {
        for bad in [
            "",
            "2026-1-01",
            "2026/01/01",
            "26-01-01",
            "2026-00-10",
            "2026-13-01",
            "2026-04-31",
            "2026-01-00",
            "+026-01-01",
            "2026-01-1a",
            "2026-01-01T00:00",
        ] {
            assert_eq!(CalendarDate::parse_iso(bad), None, "{bad}");
        }
        assert_eq!(date("2026-12-31").to_string(), "2026-12-31");
    }
}

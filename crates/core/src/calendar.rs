//! Calendar dates without a date library: the widget stays small and the rules stay pure.

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
}

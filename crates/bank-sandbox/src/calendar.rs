//! Civil dates in UTC without a date crate: the sandbox needs only "today", "plus N days"
//! and YYYY-MM-DD, and Howard Hinnant's days-from-civil algorithms give those exactly.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A proleptic Gregorian date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    year: i64,
    month: u32,
    day: u32,
}

impl Date {
    /// A valid date, or `None` for a month or day that does not exist.
    pub fn new(year: i64, month: u32, day: u32) -> Option<Self> {
        let exists = (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
        exists.then_some(Self { year, month, day })
    }

    /// Today in UTC, from the system clock.
    pub fn today_utc() -> Self {
        Self::from_days(unix_seconds().div_euclid(86_400))
    }

    /// Reads `YYYY-MM-DD` (four-digit year), refusing dates that do not exist.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| {
            let part = &text[range];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse::<u32>().ok())
                .flatten()
        };
        Self::new(i64::from(digits(0..4)?), digits(5..7)?, digits(8..10)?)
    }

    /// The date `days` days later (earlier when negative).
    pub fn plus_days(self, days: i64) -> Self {
        Self::from_days(self.to_days() + days)
    }

    /// Days since 1970-01-01 (days-from-civil).
    pub fn to_days(self) -> i64 {
        let y = if self.month <= 2 {
            self.year - 1
        } else {
            self.year
        };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (civil-from-days).
    pub fn from_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        // Both are in range by construction: day in 1..=31, month in 1..=12.
        Self {
            year,
            month: month as u32,
            day: day as u32,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The system clock's time in UTC as `YYYY-MM-DDTHH:MM:SSZ`, for records people read.
pub fn timestamp_utc() -> String {
    timestamp(unix_seconds())
}

/// A time given in seconds since the epoch, as `YYYY-MM-DDTHH:MM:SSZ`.
fn timestamp(secs: i64) -> String {
    let of_day = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        Date::from_days(secs.div_euclid(86_400)),
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

fn unix_seconds() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        // A clock before 1970 is a broken clock; its absolute value is still a time.
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn the_epoch_is_day_zero() {
        assert_eq!(date("1970-01-01").to_days(), 0);
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(-1).to_string(), "1969-12-31");
        assert_eq!(date("2000-03-01").to_days(), 11_017);
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let start = date("1900-01-01").to_days();
        let end = date("2300-12-31").to_days();
        let mut previous: Option<Date> = None;
        for days in start..=end {
            let d = Date::from_days(days);
            assert_eq!(d.to_days(), days);
            assert_eq!(Date::parse(&d.to_string()), Some(d));
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
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("1900-02-29"), None);
        assert!(Date::parse("2000-02-29").is_some());
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
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert_eq!(date("2026-12-31").to_string(), "2026-12-31");
    }

    #[test]
    fn timestamps_are_utc_to_the_second() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(86_399), "1970-01-01T23:59:59Z");
        assert_eq!(timestamp(1_772_451_296), "2026-03-02T11:34:56Z");
        assert_eq!(timestamp(-1), "1969-12-31T23:59:59Z");
        assert!(timestamp_utc().starts_with(&Date::today_utc().to_string()[..4]));
    }

    #[test]
    fn today_is_a_plausible_date() {
        let today = Date::today_utc();
        assert!(today >= date("2024-01-01"), "{today}");
        assert_eq!(Date::parse(&today.to_string()), Some(today));
    }
}

//! The system clock, read in one place: today's date in UTC and the time as the outbox
//! records it. The calendar arithmetic is bank-api's ([`CalendarDate`]), the BFF's too.

use bank_api::CalendarDate;
use std::time::{SystemTime, UNIX_EPOCH};

/// Today in UTC, from the system clock.
pub fn today_utc() -> CalendarDate {
    CalendarDate::from_days_since_epoch(unix_seconds().div_euclid(86_400))
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
        CalendarDate::from_days_since_epoch(secs.div_euclid(86_400)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_to_the_second() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(86_399), "1970-01-01T23:59:59Z");
        assert_eq!(timestamp(1_772_451_296), "2026-03-02T11:34:56Z");
        assert_eq!(timestamp(-1), "1969-12-31T23:59:59Z");
        assert!(timestamp_utc().starts_with(&today_utc().to_string()[..4]));
    }

    #[test]
    fn today_is_a_plausible_date() {
        let today = today_utc();
        assert!(
            today >= CalendarDate::parse_iso("2024-01-01").unwrap(),
            "{today}"
        );
        assert_eq!(CalendarDate::parse_iso(&today.to_string()), Some(today));
    }
}

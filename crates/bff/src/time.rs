//! The clock, read in one place.

use jiff::{tz::TimeZone, Timestamp};
use onboarding_core::{CalendarDate, Market};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Milliseconds since the Unix epoch.
pub fn now_unix_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, millis)
}

/// A duration in whole milliseconds, as the store keeps times; saturates rather than wraps.
pub fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// The RFC 3339 UTC form of a time in seconds since the epoch, e.g. `2026-01-01T00:00:00Z`.
pub fn format_utc(unix: i64) -> String {
    let date = CalendarDate::from_days_since_epoch(unix.div_euclid(86_400));
    let second = unix.rem_euclid(86_400);
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        second / 3_600,
        second / 60 % 60,
        second % 60
    )
}

/// Today's date in the market's time zone: what a customer's age is checked on.
pub fn today_in(market: Market) -> CalendarDate {
    date_in(market, Timestamp::now())
}

/// The date in the market's time zone at `instant`, daylight saving included (Sydney and
/// Warsaw keep it in their summers).
pub fn date_in(market: Market, instant: Timestamp) -> CalendarDate {
    // The zones are compiled into the binary (jiff's bundled database) and a test looks up
    // every market's, so the lookup cannot fail at run time.
    let zone = TimeZone::get(market.time_zone()).expect("every market's zone is bundled");
    let local = instant.as_second() + i64::from(zone.to_offset(instant).seconds());
    CalendarDate::from_days_since_epoch(local.div_euclid(86_400))
}

/// Seconds since the Unix epoch of an RFC 3339 UTC time such as `2026-11-22T10:00:00.000Z`
/// (fractions ignored); `None` for any other form.
pub fn parse_utc(text: &str) -> Option<i64> {
    let (date, time) = text.strip_suffix('Z')?.split_once('T')?;
    let date = CalendarDate::parse_iso(date)?;
    let time = time.split('.').next()?;
    let mut parts = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(date.days_since_epoch() * 86_400 + h * 3_600 + m * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use onboarding_core::{fields::DateOfBirth, ValidationError};

    #[test]
    fn utc_times_are_read_to_the_second() {
        assert_eq!(parse_utc("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(parse_utc("2022-10-07T08:18:57.360Z"), Some(1_665_130_737));
        assert_eq!(parse_utc("2022-10-07T08:18:57Z"), Some(1_665_130_737));
        assert_eq!(parse_utc("2022-10-07T08:18:57+02:00"), None);
        assert_eq!(parse_utc("2022-10-07 08:18:57Z"), None);
        assert_eq!(parse_utc("2022-10-07T24:00:00Z"), None);
    }

    /// The instant of an RFC 3339 time, for the tests' readability.
    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn date(text: &str) -> CalendarDate {
        CalendarDate::parse_iso(text).unwrap()
    }

    #[test]
    fn every_market_has_a_zone_in_the_bundled_database() {
        for market in Market::ALL {
            let zone = TimeZone::get(market.time_zone());
            assert!(zone.is_ok(), "{market:?}: {zone:?}");
        }
    }

    /// Asserts that each UTC instant falls on its local date in `market`.
    fn assert_local_dates(market: Market, cases: &[(&str, &str)]) {
        for &(instant, local) in cases {
            assert_eq!(
                date_in(market, at(instant)),
                date(local),
                "{market:?} at {instant}"
            );
        }
    }

    #[test]
    fn sydney_turns_over_at_its_own_midnight_in_daylight_saving_time_and_out_of_it() {
        assert_local_dates(
            Market::Australia,
            &[
                // AEDT (UTC+11): 13:30 UTC is already 00:30 the next day in Sydney.
                ("2026-01-14T13:30:00Z", "2026-01-15"),
                ("2026-01-14T12:30:00Z", "2026-01-14"),
                // AEST (UTC+10) in the southern winter.
                ("2026-07-01T14:30:00Z", "2026-07-02"),
                ("2026-07-01T13:30:00Z", "2026-07-01"),
            ],
        );
    }

    #[test]
    fn warsaw_turns_over_at_its_own_midnight_in_summer_time_and_out_of_it() {
        assert_local_dates(
            Market::Poland,
            &[
                // CEST (UTC+2): 22:30 UTC is already 00:30 the next day in Warsaw.
                ("2026-07-01T22:30:00Z", "2026-07-02"),
                ("2026-07-01T21:30:00Z", "2026-07-01"),
                // CET (UTC+1) in winter.
                ("2026-01-14T23:30:00Z", "2026-01-15"),
                ("2026-01-14T22:30:00Z", "2026-01-14"),
            ],
        );
    }

    #[test]
    fn markets_without_daylight_saving_keep_their_offset() {
        let instant = at("2026-07-01T16:30:00Z");
        assert_eq!(date_in(Market::Singapore, instant), date("2026-07-02"));
        assert_eq!(date_in(Market::India, instant), date("2026-07-01"));
        assert_eq!(
            date_in(Market::India, at("2026-07-01T18:30:00Z")),
            date("2026-07-02")
        );
        assert_eq!(
            date_in(Market::UnitedArabEmirates, instant),
            date("2026-07-01")
        );
    }

    #[test]
    fn a_sydney_customer_is_18_from_sydneys_midnight_on_their_birthday() {
        // 00:30 on 15 January 2026 in Sydney (AEDT), still 14 January in UTC.
        let today = date_in(Market::Australia, at("2026-01-14T13:30:00Z"));
        let born = "2008-01-15";
        assert_eq!(
            DateOfBirth::parse(born, Market::Australia, today).map(|_| ()),
            Ok(())
        );
        let utc_today = date("2026-01-14");
        assert_eq!(
            DateOfBirth::parse(born, Market::Australia, utc_today).map(|_| ()),
            Err(ValidationError::TooYoung)
        );
    }

    #[test]
    fn utc_times_are_written_as_they_are_read() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(1_767_225_600), "2026-01-01T00:00:00Z");
        assert_eq!(format_utc(1_665_130_737), "2022-10-07T08:18:57Z");
        for t in [0, 59, 86_399, 951_782_400, 1_767_225_599] {
            assert_eq!(parse_utc(&format_utc(t)), Some(t));
        }
    }
}

//! The clock, read in one place.

use onboarding_core::{CalendarDate, Market};
use std::time::{SystemTime, UNIX_EPOCH};

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
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
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

/// Today's date in the market's time zone.
pub fn today_in(market: Market) -> CalendarDate {
    let local = now_unix() + i64::from(utc_offset_minutes(market)) * 60;
    CalendarDate::from_days_since_epoch(local.div_euclid(86_400))
}

/// The market's standard offset from UTC, in the capital's zone where a country spans
/// several: Jakarta's WIB for Indonesia, Moscow's MSK for Russia, and for Australia Sydney's
/// AEST (also Melbourne's and Brisbane's: where most Australians live). Australia's
/// south-east and Poland observe daylight saving and this ignores it (a known limitation):
/// in their summer "today" turns over an hour late, so in the hour after local midnight an
/// age check uses yesterday's date. None of the other markets observes daylight saving.
fn utc_offset_minutes(market: Market) -> i32 {
    match market {
        Market::Australia => 10 * 60,
        Market::HongKong | Market::Malaysia | Market::Philippines | Market::Singapore => 8 * 60,
        Market::India => 5 * 60 + 30,
        Market::Indonesia | Market::Thailand | Market::Vietnam => 7 * 60,
        Market::Poland => 60,
        Market::Russia => 3 * 60,
        Market::UnitedArabEmirates => 4 * 60,
    }
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

    #[test]
    fn utc_times_are_read_to_the_second() {
        assert_eq!(parse_utc("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(parse_utc("2022-10-07T08:18:57.360Z"), Some(1_665_130_737));
        assert_eq!(parse_utc("2022-10-07T08:18:57Z"), Some(1_665_130_737));
        assert_eq!(parse_utc("2022-10-07T08:18:57+02:00"), None);
        assert_eq!(parse_utc("2022-10-07 08:18:57Z"), None);
        assert_eq!(parse_utc("2022-10-07T24:00:00Z"), None);
    }

    #[test]
    fn market_offsets_are_the_standard_ones() {
        let hours = |m| f64::from(utc_offset_minutes(m)) / 60.0;
        assert_eq!(hours(Market::Singapore), 8.0);
        assert_eq!(hours(Market::India), 5.5);
        assert_eq!(hours(Market::Australia), 10.0);
        assert_eq!(hours(Market::Poland), 1.0);
        assert_eq!(hours(Market::UnitedArabEmirates), 4.0);
        for market in Market::ALL {
            assert!((0..=14 * 60).contains(&utc_offset_minutes(market)));
        }
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

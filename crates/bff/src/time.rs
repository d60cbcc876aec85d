//! The clock, read in one place.

use onboarding_core::{CalendarDate, Market};
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Today's date in the market's time zone.
pub fn today_in(market: Market) -> CalendarDate {
    let local = now_unix() + i64::from(utc_offset_minutes(market)) * 60;
    CalendarDate::from_days_since_epoch(local.div_euclid(86_400))
}

/// The market's offset from UTC (none of the markets observes daylight saving).
fn utc_offset_minutes(market: Market) -> i32 {
    match market {
        Market::Singapore => 8 * 60,
    }
}

//! The pause before a retry, for every retrying loop in the BFF (bank calls, webhook
//! deliveries): a cap that doubles with each failed attempt, and a jittered draw under it,
//! so instances that failed together do not retry together.

use std::time::Duration;

/// The pause after failed attempt `attempt` (1 for the first): a cap doubling from `base`
/// up to `max`, from which `draw` picks the pause in milliseconds (clamped to the cap).
pub fn backoff(
    base: Duration,
    max: Duration,
    attempt: u32,
    draw: impl FnOnce(u64) -> u64,
) -> Duration {
    let doubling = 1u32
        .checked_shl(attempt.saturating_sub(1))
        .unwrap_or(u32::MAX);
    let cap = base.saturating_mul(doubling).min(max);
    let cap_ms = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(draw(cap_ms).min(cap_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_doubles_up_to_the_maximum_and_the_draw_stays_under_it() {
        let base = Duration::from_secs(1);
        let hour = Duration::from_secs(3600);
        let caps: Vec<u64> = [1, 2, 3, 12, 13, 40, u32::MAX]
            .into_iter()
            .map(|attempt| backoff(base, hour, attempt, |cap| cap).as_secs())
            .collect();
        assert_eq!(caps, [1, 2, 4, 2048, 3600, 3600, 3600]);
        assert_eq!(backoff(base, hour, 1, |_| u64::MAX), base);
        assert_eq!(backoff(base, hour, 1, |_| 0), Duration::ZERO);
    }
}

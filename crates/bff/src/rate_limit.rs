//! Rate limits, kept in memory: a token bucket per client address and one per partner.
//!
//! Each bucket holds a minute's allowance and refills evenly, so a customer's burst (a
//! session start, a reload, three stages) passes at once while a script hammering the API
//! is slowed to the configured rate.
//!
//! A fleet of `BFF_INSTANCES` instances counts per instance, each allowing its share of
//! every limit (rounded up): no request pays for a database write to be counted. With the
//! load balancer spreading requests evenly the fleet allows about the configured limit; with
//! a sticky one a client gets one share, stricter, never looser. That is right for what the
//! limits are for (keeping one client or one partner's page from using up the bank's
//! capacity), not a quota; docs/operations.md has the measured cost of the alternative.

use crate::config::RateLimitSettings;
use crate::error::AppError;
use crate::telemetry::Metrics;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Buckets kept before full (idle) ones are dropped; a full bucket is the same as none.
const PRUNE_AT: usize = 10_000;

/// Token buckets of `per_minute` requests, one per key. Each bucket is kept as a single
/// time, the moment it will be full again (the "generic cell rate algorithm"), so the
/// arithmetic is exact and a full bucket is simply one whose time has passed.
#[derive(Debug)]
pub struct RateLimiter<K> {
    /// The time one token takes to come back.
    interval: Duration,
    /// How far ahead of now a bucket's full-again time may be and still give a token:
    /// the tokens of a full bucket but one.
    burst: Duration,
    buckets: Mutex<Buckets<K>>,
}

#[derive(Debug)]
struct Buckets<K> {
    full_at: HashMap<K, Instant>,
    prune_at: usize,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// A limiter allowing `per_minute` requests a minute per key, all of them at once.
    pub fn new(per_minute: u32) -> Self {
        let per_minute = per_minute.max(1);
        let interval = Duration::from_secs(60) / per_minute;
        Self {
            interval,
            burst: interval * (per_minute - 1),
            buckets: Mutex::new(Buckets {
                full_at: HashMap::new(),
                prune_at: PRUNE_AT,
            }),
        }
    }

    /// Counts one request of `key`; when its allowance is used up, how long until it may
    /// send the next one.
    pub fn take(&self, key: &K) -> Result<(), Duration> {
        self.take_at(key, Instant::now())
    }

    fn take_at(&self, key: &K, now: Instant) -> Result<(), Duration> {
        // Every critical section leaves the map consistent, so a poisoned lock is usable.
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.full_at.len() >= buckets.prune_at {
            buckets.full_at.retain(|_, full_at| *full_at > now);
            // Many busy clients at once: prune again only when the map has doubled, so
            // pruning stays a small share of the work.
            buckets.prune_at = PRUNE_AT.max(buckets.full_at.len() * 2);
        }
        let full_at = buckets.full_at.entry(key.clone()).or_insert(now);
        let due = (*full_at).max(now);
        let allowed_until = now + self.burst;
        if due <= allowed_until {
            *full_at = due + self.interval;
            Ok(())
        } else {
            Err(due - allowed_until)
        }
    }
}

/// The limits every request passes: its client address's and its partner's.
#[derive(Debug)]
pub struct RateLimits {
    per_address: RateLimiter<IpAddr>,
    per_partner: RateLimiter<String>,
    /// Where refusals are counted.
    metrics: Metrics,
}

impl RateLimits {
    /// Limits as configured, their refusals counted in `metrics`.
    pub fn new(settings: &RateLimitSettings, metrics: Metrics) -> Self {
        let share = |limit: u32| limit.div_ceil(settings.instances.max(1));
        Self {
            per_address: RateLimiter::new(share(settings.per_address)),
            per_partner: RateLimiter::new(share(settings.per_partner)),
            metrics,
        }
    }

    /// Counts a request from `address`.
    pub fn address(&self, address: IpAddr) -> Result<(), AppError> {
        self.per_address.take(&client_of(address)).map_err(|wait| {
            self.metrics.rate_limited("address");
            AppError::too_many_requests("from this address", wait)
        })
    }

    /// Counts a request for a placement of `partner_id` (a known partner: unknown ids are
    /// refused before, so they cannot fill the map).
    pub fn partner(&self, partner_id: &str) -> Result<(), AppError> {
        self.per_partner
            .take(&partner_id.to_owned())
            .map_err(|wait| {
                self.metrics.rate_limited("partner");
                AppError::too_many_requests("for this partner", wait)
            })
    }
}

/// The key of a client address. An IPv6 customer is usually given a whole /64, so any
/// address in it is theirs; an IPv4 address written as IPv6 is the IPv4 address.
fn client_of(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_instance_of_a_fleet_allows_its_share_rounded_up() {
        let settings = RateLimitSettings {
            per_address: 10,
            per_partner: 7,
            instances: 3,
        };
        let limits = RateLimits::new(&settings, Metrics::new());
        let address: IpAddr = "192.0.2.7".parse().unwrap();
        for _ in 0..4 {
            assert!(limits.address(address).is_ok());
        }
        assert!(limits.address(address).is_err(), "10 / 3 is 4 per instance");
        for _ in 0..3 {
            assert!(limits.partner("p").is_ok());
        }
        assert!(limits.partner("p").is_err(), "7 / 3 is 3 per instance");
        let metrics = limits.metrics.render();
        assert!(metrics.contains("bff_rate_limited_total"), "{metrics}");
    }

    #[test]
    fn a_full_bucket_allows_a_burst_then_refills_evenly() {
        let limiter = RateLimiter::new(6);
        let start = Instant::now();
        for _ in 0..6 {
            assert_eq!(limiter.take_at(&"a", start), Ok(()));
        }
        // Six a minute: the next token comes ten seconds after the burst.
        assert_eq!(limiter.take_at(&"a", start), Err(Duration::from_secs(10)));
        assert_eq!(
            limiter.take_at(&"b", start),
            Ok(()),
            "another key is unaffected"
        );
        let later = start + Duration::from_secs(4);
        assert_eq!(limiter.take_at(&"a", later), Err(Duration::from_secs(6)));
        assert_eq!(
            limiter.take_at(&"a", start + Duration::from_secs(10)),
            Ok(())
        );
        assert!(limiter
            .take_at(&"a", start + Duration::from_secs(11))
            .is_err());
        // An idle minute refills the bucket, never beyond a minute's allowance.
        let idle = start + Duration::from_secs(600);
        for _ in 0..6 {
            assert_eq!(limiter.take_at(&"a", idle), Ok(()));
        }
        assert!(limiter.take_at(&"a", idle).is_err());
    }

    #[test]
    fn idle_buckets_are_dropped_once_there_are_many() {
        let limiter = RateLimiter::new(60);
        let start = Instant::now();
        limiter.take_at(&0, start).unwrap();
        for n in 0..PRUNE_AT as u32 {
            limiter.take_at(&n, start).unwrap();
        }
        limiter
            .take_at(&u32::MAX, start + Duration::from_millis(1500))
            .unwrap();
        let buckets = limiter.buckets.lock().unwrap();
        assert_eq!(
            buckets.full_at.len(),
            2,
            "every refilled bucket went; the one used twice is not full yet"
        );
    }

    #[test]
    fn an_ipv6_client_is_its_slash_64_and_a_mapped_ipv4_is_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_of(a), client_of(b));
        assert_ne!(client_of(a), client_of(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_of(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }
}

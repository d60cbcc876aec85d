//! Rate limits, kept in memory: a token bucket per client address, one per partner, and a
//! small one per client address for CSP violation reports.
//!
//! Each bucket holds a minute's allowance and refills evenly, so a customer's burst (a
//! session start, a reload, three stages) passes at once while a script hammering the API
//! is slowed to the configured rate.
//!
//! The partner's budget is charged only for work that reaches the bank (see
//! [`RateLimits::partner`]): anything cheaper is left to the per-address limit, so a handful
//! of addresses sending reads or invalid forms cannot use up a partner's budget and lock all
//! of its customers out.
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

/// CSP violation reports taken a minute from one client address. Fixed and apart from the
/// API's limit: a page whose policy breaks sends a report per violation, which must not
/// use up its customer's allowance for the journey, and nobody needs more than a few to
/// see that a policy is wrong.
pub const CSP_REPORTS_PER_MINUTE: u32 = 30;

/// The share of a partner's budget in use past which it is warned of, before it is refused.
const PARTNER_WARN_AT: f64 = 0.8;

/// How often a partner near its limit is warned of at most: a partner at its limit would
/// otherwise log a line per request.
const PARTNER_WARN_EVERY: Duration = Duration::from_secs(60);

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

    /// Counts one request of `key`: the share of its minute's allowance now in use (0 to
    /// 1), or, when it is used up, how long until it may send the next one.
    pub fn take(&self, key: &K) -> Result<f64, Duration> {
        self.take_at(key, Instant::now())
    }

    fn take_at(&self, key: &K, now: Instant) -> Result<f64, Duration> {
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
            let in_use = *full_at - now;
            Ok(in_use.as_secs_f64() / (self.burst + self.interval).as_secs_f64())
        } else {
            Err(due - allowed_until)
        }
    }
}

/// The limits requests pass: their client address's, their partner's, and the one of CSP
/// reports.
#[derive(Debug)]
pub struct RateLimits {
    per_address: RateLimiter<IpAddr>,
    per_partner: RateLimiter<String>,
    csp_reports: RateLimiter<IpAddr>,
    /// When each partner was last warned of as near its limit.
    partner_warned: Mutex<HashMap<String, Instant>>,
    /// Where refusals and warnings are counted.
    metrics: Metrics,
}

impl RateLimits {
    /// Limits as configured, their refusals counted in `metrics`.
    pub fn new(settings: &RateLimitSettings, metrics: Metrics) -> Self {
        let share = |limit: u32| limit.div_ceil(settings.instances.max(1));
        Self {
            per_address: RateLimiter::new(share(settings.per_address)),
            per_partner: RateLimiter::new(share(settings.per_partner)),
            csp_reports: RateLimiter::new(share(CSP_REPORTS_PER_MINUTE)),
            partner_warned: Mutex::new(HashMap::new()),
            metrics,
        }
    }

    /// Counts a request from `address`.
    pub fn address(&self, address: IpAddr) -> Result<(), AppError> {
        self.per_address
            .take(&client_of(address))
            .map(drop)
            .map_err(|wait| {
                self.metrics.rate_limited("address");
                AppError::too_many_requests("from this address", wait)
            })
    }

    /// Counts a CSP violation report from `address`.
    pub fn csp_report(&self, address: IpAddr) -> Result<(), AppError> {
        self.csp_reports
            .take(&client_of(address))
            .map(drop)
            .map_err(|wait| {
                self.metrics.rate_limited("csp_reports");
                AppError::too_many_requests("from this address", wait)
            })
    }

    /// Charges `partner_id`'s budget for work about to reach the bank or connectFi (a known
    /// partner: unknown ids are refused before, so they cannot fill the map). Only such work
    /// is charged, after the request's own checks passed: reads, page loads and refused
    /// requests cost the bank nothing, and charging them would let anyone lock a partner's
    /// customers out from a few addresses.
    pub fn partner(&self, partner_id: &str) -> Result<(), AppError> {
        match self.per_partner.take(&partner_id.to_owned()) {
            Ok(used) => {
                if used >= PARTNER_WARN_AT {
                    self.warn_partner(partner_id, used, Instant::now());
                }
                Ok(())
            }
            Err(wait) => {
                self.metrics.rate_limited("partner");
                self.warn_partner(partner_id, 1.0, Instant::now());
                Err(AppError::too_many_requests("for this partner", wait))
            }
        }
    }

    /// Warns that `partner_id` has `used` of its budget, at most once a minute: its
    /// customers are about to be refused, which the partner's operators should hear of
    /// before they do.
    fn warn_partner(&self, partner_id: &str, used: f64, now: Instant) {
        {
            let mut warned = self
                .partner_warned
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match warned.get_mut(partner_id) {
                Some(last) if now.saturating_duration_since(*last) < PARTNER_WARN_EVERY => return,
                Some(last) => *last = now,
                None => {
                    warned.insert(partner_id.to_owned(), now);
                }
            }
        }
        let used_percent = (used * 100.0).round() as u32;
        tracing::warn!(
            partner = %partner_id,
            used_percent,
            "a partner's rate limit is nearly used up"
        );
        self.metrics.partner_budget_warning(partner_id);
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
        for n in 1..=6 {
            assert_eq!(limiter.take_at(&"a", start), Ok(f64::from(n) / 6.0));
        }
        // Six a minute: the next token comes ten seconds after the burst.
        assert_eq!(limiter.take_at(&"a", start), Err(Duration::from_secs(10)));
        assert_eq!(
            limiter.take_at(&"b", start),
            Ok(1.0 / 6.0),
            "another key is unaffected"
        );
        let later = start + Duration::from_secs(4);
        assert_eq!(limiter.take_at(&"a", later), Err(Duration::from_secs(6)));
        assert_eq!(
            limiter.take_at(&"a", start + Duration::from_secs(10)),
            Ok(1.0)
        );
        assert!(limiter
            .take_at(&"a", start + Duration::from_secs(11))
            .is_err());
        // An idle minute refills the bucket, never beyond a minute's allowance.
        let idle = start + Duration::from_secs(600);
        for _ in 0..6 {
            assert!(limiter.take_at(&"a", idle).is_ok());
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
    fn a_partner_near_its_limit_is_warned_of_once_a_minute() {
        let settings = RateLimitSettings {
            per_address: 10,
            per_partner: 10,
            instances: 1,
        };
        let limits = RateLimits::new(&settings, Metrics::new());
        for _ in 0..7 {
            limits.partner("p").unwrap();
        }
        let warnings = |limits: &RateLimits| {
            limits
                .metrics
                .render()
                .lines()
                .find(|l| l.starts_with("bff_partner_budget_warnings_total{"))
                .map(str::to_owned)
        };
        assert_eq!(warnings(&limits), None, "70 % is not near yet");
        for _ in 0..3 {
            limits.partner("p").unwrap();
        }
        assert!(limits.partner("p").is_err());
        assert_eq!(
            warnings(&limits).as_deref(),
            Some(r#"bff_partner_budget_warnings_total{partner="p"} 1"#),
            "80 %, 90 %, 100 % and a refusal, within a minute: one warning"
        );
        let later = Instant::now() + PARTNER_WARN_EVERY;
        limits.warn_partner("p", 0.9, later);
        assert!(warnings(&limits).unwrap().ends_with(" 2"));
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

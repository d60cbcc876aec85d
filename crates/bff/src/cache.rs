//! A per-instance cache of values fetched from the bank (its token, its reference data),
//! refreshed so that a refresh never blocks every request:
//! - each key has its own refresh lock, so a slow refresh of one market's data holds up
//!   no other market;
//! - once a value is due for refresh, one caller fetches it while the others are served the
//!   value they had; a failed refresh keeps serving it;
//! - a value is served stale only up to its bound, after which callers wait for a fresh one
//!   (and fail if the bank cannot give one).

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::time::Instant;

/// A fetched value and how long it may be used.
pub struct Fetched<V> {
    pub value: V,
    /// Served as it is for this long, then refreshed by the next caller.
    pub fresh_for: Duration,
    /// Served, while a refresh runs or after one failed, for at most this long.
    pub usable_for: Duration,
}

#[derive(Clone)]
struct Cached<V> {
    value: V,
    refresh_at: Instant,
    usable_until: Instant,
}

struct Slot<V> {
    cached: Mutex<Option<Cached<V>>>,
    /// Held by the one caller refreshing the value.
    refresh: tokio::sync::Mutex<()>,
}

impl<V: Clone> Slot<V> {
    fn current(&self) -> Option<Cached<V>> {
        self.cached
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn store(&self, fetched: Fetched<V>) -> V {
        let now = Instant::now();
        let value = fetched.value.clone();
        *self.cached.lock().unwrap_or_else(PoisonError::into_inner) = Some(Cached {
            value: fetched.value,
            refresh_at: now + fetched.fresh_for,
            usable_until: now + fetched.usable_for.max(fetched.fresh_for),
        });
        value
    }
}

/// Values by key, each refreshed by one caller at a time.
pub struct RefreshingCache<K, V> {
    slots: Mutex<HashMap<K, Arc<Slot<V>>>>,
}

impl<K, V> Default for RefreshingCache<K, V> {
    fn default() -> Self {
        Self {
            slots: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Hash + Eq + Clone, V: Clone> RefreshingCache<K, V> {
    fn slot(&self, key: &K) -> Arc<Slot<V>> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots
            .entry(key.clone())
            .or_insert_with(|| {
                Arc::new(Slot {
                    cached: Mutex::new(None),
                    refresh: tokio::sync::Mutex::new(()),
                })
            })
            .clone()
    }

    /// The value of `key`: the cached one while it is fresh; once it is due, fetched anew
    /// by this caller unless another is already fetching it, in which case (and if the fetch
    /// fails) the cached one while it is still usable; with nothing usable, fetched after
    /// any fetch under way, which this caller then shares.
    pub async fn get<F, Fut, E>(&self, key: &K, fetch: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Fetched<V>, E>>,
        E: std::fmt::Display,
    {
        let slot = self.slot(key);
        let now = Instant::now();
        if let Some(cached) = slot.current().filter(|c| now < c.usable_until) {
            if now < cached.refresh_at {
                return Ok(cached.value);
            }
            let Ok(_refreshing) = slot.refresh.try_lock() else {
                return Ok(cached.value);
            };
            return match fetch().await {
                Ok(fetched) => Ok(slot.store(fetched)),
                Err(error) => {
                    tracing::warn!(%error, "refresh failed; serving the cached value");
                    Ok(cached.value)
                }
            };
        }
        // Waiting for another caller's fetch is waiting for the bank, as the request's
        // latency metrics count it.
        let waiting = crate::telemetry::UpstreamClock::call_started();
        let _refreshing = slot.refresh.lock().await;
        drop(waiting);
        // The refresh this caller waited for may have stored a value.
        if let Some(cached) = slot.current().filter(|c| Instant::now() < c.refresh_at) {
            return Ok(cached.value);
        }
        Ok(slot.store(fetch().await?))
    }

    /// Forgets the value of `key` if `refused` says it is no good (the bank refused it),
    /// unless it was replaced already.
    pub fn forget_if(&self, key: &K, refused: impl Fn(&V) -> bool) {
        let slot = self.slot(key);
        let mut cached = slot.cached.lock().unwrap_or_else(PoisonError::into_inner);
        if cached.as_ref().is_some_and(|c| refused(&c.value)) {
            *cached = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn fetched(value: &str, fresh_for: u64, usable_for: u64) -> Fetched<String> {
        Fetched {
            value: value.to_owned(),
            fresh_for: Duration::from_secs(fresh_for),
            usable_for: Duration::from_secs(usable_for),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_due_value_is_refreshed_by_one_caller_while_the_others_get_it_at_once() {
        let cache = Arc::new(RefreshingCache::<&str, String>::default());
        let first = cache
            .get(&"SG", || async { Ok::<_, String>(fetched("v1", 60, 600)) })
            .await;
        assert_eq!(first.as_deref(), Ok("v1"));
        tokio::time::advance(Duration::from_secs(61)).await;

        let fetches = Arc::new(AtomicUsize::new(0));
        let slow_refresh = {
            let (cache, fetches) = (cache.clone(), fetches.clone());
            tokio::spawn(async move {
                cache
                    .get(&"SG", || async move {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_secs(5)).await;
                        Ok::<_, String>(fetched("v2", 60, 600))
                    })
                    .await
            })
        };
        tokio::task::yield_now().await;
        let started = Instant::now();
        let meanwhile = cache
            .get(&"SG", || async {
                fetches.fetch_add(1, Ordering::SeqCst);
                Ok::<_, String>(fetched("never", 60, 600))
            })
            .await;
        assert_eq!(meanwhile.as_deref(), Ok("v1"), "the stale value, at once");
        assert_eq!(started.elapsed(), Duration::ZERO);
        // Another key is not held up by this key's refresh.
        let other = cache
            .get(&"HK", || async { Ok::<_, String>(fetched("hk", 60, 600)) })
            .await;
        assert_eq!(other.as_deref(), Ok("hk"));

        assert_eq!(slow_refresh.await.unwrap().as_deref(), Ok("v2"));
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        let after = cache
            .get(&"SG", || async {
                Ok::<_, String>(fetched("never", 60, 600))
            })
            .await;
        assert_eq!(after.as_deref(), Ok("v2"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_refresh_serves_the_stale_value_until_its_bound_then_fails() {
        let cache = RefreshingCache::<&str, String>::default();
        cache
            .get(&"SG", || async { Ok::<_, String>(fetched("v1", 60, 600)) })
            .await
            .unwrap();
        tokio::time::advance(Duration::from_secs(300)).await;
        let down = cache
            .get(&"SG", || async {
                Err::<Fetched<String>, _>("bank down".to_owned())
            })
            .await;
        assert_eq!(down.as_deref(), Ok("v1"));
        tokio::time::advance(Duration::from_secs(301)).await;
        let past_bound = cache
            .get(&"SG", || async {
                Err::<Fetched<String>, _>("bank down".to_owned())
            })
            .await;
        assert_eq!(past_bound, Err("bank down".to_owned()));
    }

    #[tokio::test]
    async fn with_nothing_cached_concurrent_callers_share_one_fetch() {
        let cache = Arc::new(RefreshingCache::<&str, String>::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (cache, fetches) = (cache.clone(), fetches.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get(&"SG", || async move {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok::<_, String>(fetched("t1", 1800, 1800))
                    })
                    .await
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap().as_deref(), Ok("t1"));
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_refused_value_is_forgotten_unless_replaced() {
        let cache = RefreshingCache::<&str, String>::default();
        cache
            .get(&"SG", || async { Ok::<_, String>(fetched("v1", 60, 60)) })
            .await
            .unwrap();
        cache.forget_if(&"SG", |v| v == "other");
        let kept = cache
            .get(&"SG", || async { Ok::<_, String>(fetched("v2", 60, 60)) })
            .await;
        assert_eq!(kept.as_deref(), Ok("v1"));
        cache.forget_if(&"SG", |v| v == "v1");
        let replaced = cache
            .get(&"SG", || async { Ok::<_, String>(fetched("v2", 60, 60)) })
            .await;
        assert_eq!(replaced.as_deref(), Ok("v2"));
    }
}

//! The OAuth2 client-credentials token, cached per market and refreshed before it expires:
//! one request fetches the new token while the others go on with the old one, which is
//! still valid (see `cache.rs`).

use crate::cache::{Fetched, RefreshingCache};
use std::time::Duration;

/// Refresh this long before expiry, so a token never expires in the middle of a journey.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// Never served closer to its expiry than this: a call sent with it must reach the bank
/// before it lapses.
const EXPIRY_SAFETY: Duration = Duration::from_secs(5);

/// Tokens by country code.
#[derive(Default)]
pub struct TokenCache {
    tokens: RefreshingCache<&'static str, String>,
}

impl TokenCache {
    /// The cached token for a country, or a fresh one from `fetch` (then cached).
    pub async fn get_or_refresh<F, Fut, E>(
        &self,
        country: &'static str,
        fetch: F,
    ) -> Result<String, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<(String, Duration), E>>,
        E: std::fmt::Display,
    {
        self.tokens
            .get(&country, || async {
                let (value, lifetime) = fetch().await?;
                Ok(Fetched {
                    value,
                    fresh_for: lifetime.saturating_sub(REFRESH_MARGIN),
                    usable_for: lifetime.saturating_sub(EXPIRY_SAFETY),
                })
            })
            .await
    }

    /// Forgets a token the bank refused, unless another request already replaced it.
    pub async fn invalidate(&self, country: &'static str, refused: &str) {
        self.tokens.forget_if(&country, |token| token == refused);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[tokio::test]
    async fn concurrent_requests_share_one_refresh() {
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (cache, fetches) = (cache.clone(), fetches.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_refresh("SG", || async {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok::<_, String>(("t1".to_owned(), Duration::from_secs(1800)))
                    })
                    .await
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap(), Ok("t1".to_owned()));
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_token_near_expiry_is_refreshed_and_a_refused_one_forgotten() {
        let cache = TokenCache::default();
        let short = cache
            .get_or_refresh("SG", || async {
                Ok::<_, String>(("short".into(), Duration::from_secs(30)))
            })
            .await;
        assert_eq!(short, Ok("short".into()));
        let next = cache
            .get_or_refresh("SG", || async {
                Ok::<_, String>(("next".into(), Duration::from_secs(1800)))
            })
            .await;
        assert_eq!(
            next,
            Ok("next".into()),
            "a token inside the refresh margin is replaced"
        );
        cache.invalidate("SG", "next").await;
        let after = cache
            .get_or_refresh("SG", || async {
                Ok::<_, String>(("after".into(), Duration::from_secs(1800)))
            })
            .await;
        assert_eq!(after, Ok("after".into()));
    }
}

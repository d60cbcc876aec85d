//! The state every bank handler shares: the configuration, the tokens issued, the
//! applications and prospects, the outbox and the faults.
//!
//! It sits above the parts it holds, so none of them knows it: a handler of one part takes
//! only that part (`State<Outbox>`, `State<FaultControl>`), which axum cuts out of this
//! state ([`FromRef`]). Only the routes (`lib.rs`) and the bank's handlers see it whole.

use crate::config::SandboxConfig;
use crate::faults::{FaultControl, Faults};
use crate::lock::lock;
use crate::notifications::Outbox;
use crate::store::{Applications, Prospects};
use crate::tokens::IssuedTokens;
use axum::extract::FromRef;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// State shared by every handler.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
    outbox: Outbox,
    faults: FaultControl,
}

struct Inner {
    config: SandboxConfig,
    tokens: IssuedTokens,
    applications: Mutex<Applications>,
    prospects: Mutex<Prospects>,
}

impl AppState {
    /// Empty state for a configuration.
    pub fn new(config: SandboxConfig) -> Self {
        let faults = Faults {
            latency_ms: u64::try_from(config.latency.as_millis()).unwrap_or(u64::MAX),
            fail_every: config.fail_every,
            hang: false,
        };
        Self {
            inner: Arc::new(Inner {
                config,
                tokens: IssuedTokens::default(),
                applications: Mutex::new(Applications::new()),
                prospects: Mutex::new(Prospects::new()),
            }),
            outbox: Outbox::default(),
            faults: FaultControl::new(faults),
        }
    }

    /// The configuration the sandbox was started with.
    pub fn config(&self) -> &SandboxConfig {
        &self.inner.config
    }

    /// Remembers a token until `expires_at`, forgetting tokens that have expired.
    pub fn remember_token(&self, token: String, expires_at: Instant) {
        self.inner.tokens.remember(token, expires_at);
    }

    /// Whether we issued this token and it has not expired.
    pub fn token_is_valid(&self, token: &str) -> bool {
        self.inner.tokens.is_valid(token)
    }

    /// Forgets every issued token.
    pub fn forget_tokens(&self) {
        self.inner.tokens.forget_all();
    }

    /// The applications, locked; never hold the guard across an await.
    pub fn applications(&self) -> MutexGuard<'_, Applications> {
        lock(&self.inner.applications)
    }

    /// The prospects, locked; never hold the guard across an await.
    pub fn prospects(&self) -> MutexGuard<'_, Prospects> {
        lock(&self.inner.prospects)
    }

    /// The messages sent to customers.
    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    /// The faults bank calls get.
    pub fn faults(&self) -> &FaultControl {
        &self.faults
    }
}

impl FromRef<AppState> for Outbox {
    fn from_ref(state: &AppState) -> Self {
        state.outbox.clone()
    }
}

impl FromRef<AppState> for FaultControl {
    fn from_ref(state: &AppState) -> Self {
        state.faults.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_expire() {
        let state = AppState::new(SandboxConfig::default());
        let now = Instant::now();
        state.remember_token("live".into(), now + std::time::Duration::from_secs(60));
        state.remember_token("dead".into(), now);
        assert!(state.token_is_valid("live"));
        assert!(!state.token_is_valid("dead"));
        assert!(!state.token_is_valid("never-issued"));
    }
}

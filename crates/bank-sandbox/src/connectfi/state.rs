//! What the connectFi side keeps: its one user, the tokens issued and the credit
//! applications received.

use crate::config::SandboxConfig;
use crate::lock::lock;
use crate::tokens::IssuedTokens;
use connectfi_api::{CreditApplication, CreditApplicationRequest};
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// State of the connectFi side: its one user, issued tokens and credit applications.
#[derive(Clone)]
pub struct ConnectFiState {
    inner: Arc<Inner>,
}

struct Inner {
    login: String,
    password: String,
    token_lifetime: Duration,
    tokens: IssuedTokens,
    applications: Mutex<Vec<StoredApplication>>,
}

/// A credit application as the sandbox keeps it: what was asked and what was answered.
#[derive(Debug, Clone, Serialize)]
pub struct StoredApplication {
    /// The request as received.
    pub request: CreditApplicationRequest,
    /// The answer's data.
    pub application: CreditApplication,
}

impl ConnectFiState {
    /// Empty state with the connectFi user and token lifetime of `config`.
    pub fn new(config: &SandboxConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                login: config.connectfi_login.clone(),
                password: config.connectfi_password.clone(),
                token_lifetime: config.token_lifetime,
                tokens: IssuedTokens::default(),
                applications: Mutex::new(Vec::new()),
            }),
        }
    }

    /// How long a token lives.
    pub fn token_lifetime(&self) -> Duration {
        self.inner.token_lifetime
    }

    /// Whether these are the configured user's login and password.
    pub fn is_user(&self, login: &str, password: &str) -> bool {
        login == self.inner.login && password == self.inner.password
    }

    /// Remembers a token until `expires_at`, forgetting tokens that have expired.
    pub fn remember_token(&self, token: String, expires_at: Instant) {
        self.inner.tokens.remember(token, expires_at);
    }

    /// Whether we issued this token and it has not expired.
    pub fn token_is_valid(&self, token: &str) -> bool {
        self.inner.tokens.is_valid(token)
    }

    /// Keeps a credit application, in arrival order.
    pub fn store(&self, application: StoredApplication) {
        lock(&self.inner.applications).push(application);
    }

    /// Every credit application, oldest first.
    pub fn applications(&self) -> Vec<StoredApplication> {
        lock(&self.inner.applications).clone()
    }
}

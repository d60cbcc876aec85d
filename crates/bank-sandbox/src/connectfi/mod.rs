//! An imitation of connectFi (PayGears' API), the credit provider some partners use instead
//! of the bank: login (`/auth/get-token`), KYC status (`/akepa/status`) and the credit-card
//! application (`/ibis/credit-card/application`), served under `/connectfi`.
//!
//! Wire types and request rules come from the `connectfi-api` crate, so the sandbox and a
//! client cannot disagree on them. Like the bank's side, everything is in memory and has
//! test inputs (see `test_inputs` and the README) that reach every outcome.

mod auth;
mod credit;
mod error;
mod ids;
mod json;
mod kyc;
pub mod test_inputs;

use crate::config::SandboxConfig;
use axum::routing::{get, post};
use axum::Router;
use connectfi_api::{paths, CreditApplication, CreditApplicationRequest};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Where connectFi's routes are nested: a client's `CONNECTFI_BASE_URL` ends with it.
pub const PREFIX: &str = "/connectfi";

/// The inspection route listing stored credit applications (not connectFi's).
pub const APPLICATIONS_INSPECTION: &str = "/sandbox/connectfi/applications";

/// connectFi's routes, relative to [`PREFIX`], with their own state; nest them before the
/// fault layer so the configured faults reach them too.
pub fn routes<S>(state: ConnectFiState) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route(paths::GET_TOKEN, post(auth::get_token))
        .route(paths::KYC_STATUS, post(kyc::status))
        .route(paths::CREDIT_APPLICATION, post(credit::apply))
        // A connectFi client reads errors as connectFi's envelope, also for a wrong path.
        .fallback(error::unknown_route)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(state)
}

/// The inspection route, kept apart from [`routes`] so faults never reach it.
pub fn inspection_routes<S>(state: ConnectFiState) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route(APPLICATIONS_INSPECTION, get(credit::list))
        .with_state(state)
}

/// State of the connectFi side: its one user, issued tokens and credit applications.
#[derive(Clone)]
pub struct ConnectFiState {
    inner: Arc<Inner>,
}

struct Inner {
    login: String,
    password: String,
    token_lifetime: Duration,
    tokens: Mutex<HashMap<String, Instant>>,
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
                tokens: Mutex::new(HashMap::new()),
                applications: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Whether these are the configured user's login and password.
    fn is_user(&self, login: &str, password: &str) -> bool {
        login == self.inner.login && password == self.inner.password
    }

    /// Remembers a token until `expires_at`, forgetting tokens that have expired.
    fn remember_token(&self, token: String, expires_at: Instant) {
        let now = Instant::now();
        let mut tokens = lock(&self.inner.tokens);
        tokens.retain(|_, expiry| *expiry > now);
        tokens.insert(token, expires_at);
    }

    /// Whether we issued this token and it has not expired.
    fn token_is_valid(&self, token: &str) -> bool {
        lock(&self.inner.tokens)
            .get(token)
            .is_some_and(|expiry| *expiry > Instant::now())
    }

    /// Keeps a credit application, in arrival order.
    fn store(&self, application: StoredApplication) {
        lock(&self.inner.applications).push(application);
    }

    /// Every credit application, oldest first.
    fn applications(&self) -> Vec<StoredApplication> {
        lock(&self.inner.applications).clone()
    }
}

/// Every critical section finishes without panicking, so a poisoned lock still holds
/// consistent data and the sandbox keeps serving.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

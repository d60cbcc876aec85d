//! An imitation of the bank's onboarding API (OAuth2 client credentials, APAC and EMEA
//! applications, background screening, in-principle approval, status and inquiry,
//! prospects, reference data)
//! for development, tests and demos, where the real API needs contracts and mutual TLS. It
//! serves the twelve markets of the bank's Lead Capture journey, each on the API the bank
//! takes it on, and keeps the messages the bank sends customers in an outbox.
//! It also imitates connectFi (login, KYC status, credit-card application) under
//! `/connectfi`, for partners whose credit provider that is.
//!
//! Everything lives in memory: restarting the sandbox forgets every token and application.
//! Decisions follow documented, deterministic rules and test inputs (see the README), so
//! every outcome of the IPA contract can be produced on purpose.

mod applications;
mod auth;
mod clock;
mod config;
mod connectfi;
mod decision_rules;
mod error;
mod extract;
mod faults;
mod inspection;
mod languages;
mod lock;
mod markets;
mod notifications;
mod prospects;
mod reference_data;
mod state;
mod store;
mod tls;
mod tokens;
mod validation;

use axum::middleware;
use axum::routing::{delete, get, post, put};
use axum::{Extension, Router};
use bank_api::paths::{self, ApplicationApi};
use markets::ApiVariant;
use state::AppState;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use config::{SandboxConfig, TlsConfig};
/// Customer ids that make the connectFi side answer a chosen outcome.
pub use connectfi::test_inputs as connectfi_test_inputs;
pub use decision_rules::{
    COUNTER_OFFER_SURNAME, CROSS_SELL_PRODUCT, CROSS_SELL_SURNAME, OTHER_CARD_PRODUCT,
};
pub use faults::{
    Faults, DROP_SURNAME, FLAKY_FAILURES, FLAKY_SURNAME, SLOW_LATENCY, SLOW_SURNAME,
    TIMEOUT_SURNAME,
};
pub use tls::TlsListener;

/// Prefix of the bank routes: the bank's base URL ends in `/api`.
const BANK_PREFIX: &str = "/api";

/// The sandbox's routes: the bank's API under `/api`, connectFi's under `/connectfi`,
/// inspection, outbox and fault routes under `/sandbox`.
pub fn app(config: SandboxConfig) -> Router {
    let connectfi = connectfi::ConnectFiState::new(&config);
    let state = AppState::new(config);
    // Route templates come from bank_api::paths so the sandbox and the BFF cannot drift apart.
    Router::new()
        .route(
            &bank(&paths::token("{country_code}")),
            post(auth::issue_token),
        )
        .merge(application_routes(ApplicationApi::Apac))
        .merge(application_routes(ApplicationApi::Emea))
        .route(
            &bank(paths::PROSPECTS),
            post(prospects::submit).layer(Extension(ApiVariant::Prospect)),
        )
        .route(
            &bank(&paths::reference_data("{reference_code}")),
            get(reference_data::reference_data),
        )
        .nest(connectfi::PREFIX, connectfi::routes(connectfi.clone()))
        // Only the bank's and connectFi's routes above get the configured faults: tests must
        // still be able to inspect the sandbox and switch the faults off.
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            faults::global,
        ))
        .route("/sandbox/applications", get(inspection::list))
        .route(
            "/sandbox/applications/{application_id}",
            get(inspection::one),
        )
        .route("/sandbox/prospects", get(inspection::prospects))
        .route("/sandbox/notifications", get(notifications::list))
        .route(
            "/sandbox/notifications/page",
            get(notifications::page::page),
        )
        .route(
            "/sandbox/notifications/page.css",
            get(notifications::page::stylesheet),
        )
        .route("/sandbox/faults", get(faults::get).post(faults::set))
        .route("/sandbox/tokens", delete(auth::revoke_tokens))
        .merge(connectfi::inspection_routes(connectfi))
        .fallback(error::unknown_route)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(state)
}

/// A bank path under the bank's base URL.
fn bank(path: &str) -> String {
    format!("{BANK_PREFIX}{path}")
}

/// The application calls of one of the bank's application APIs. Both run the same
/// handlers; the [`ApiVariant`] each route carries makes the header check refuse the other
/// API's markets, and those of Submit Prospect.
fn application_routes(api: ApplicationApi) -> Router<AppState> {
    let id = "{application_id}";
    Router::new()
        .route(&bank(api.applications()), post(applications::create))
        .route(
            &bank(&api.application(id)),
            put(applications::update).get(applications::inquiry),
        )
        .route(&bank(&api.status(id)), get(applications::status))
        .route(
            &bank(&api.background_screening(id)),
            post(applications::background_screening),
        )
        .route(
            &bank(&api.in_principle_approvals(id)),
            post(applications::in_principle_approval),
        )
        .route(
            &bank(&api.offer_acceptance(id)),
            post(applications::offer_acceptance),
        )
        .route(&bank(&api.submission(id)), post(applications::submission))
        .route(
            &bank(&api.save_for_later(id)),
            post(applications::save_for_later),
        )
        .layer(Extension(ApiVariant::from(api)))
}

/// A sandbox serving on a free local port of this process; dropping it stops the server.
#[derive(Debug)]
pub struct SpawnedSandbox {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
}

impl SpawnedSandbox {
    /// The bank's base URL, as a BFF configures its upstream: `http://127.0.0.1:<port>/api`.
    pub fn base_url(&self) -> String {
        format!("{}{BANK_PREFIX}", self.origin())
    }

    /// connectFi's base URL, as a BFF configures `CONNECTFI_BASE_URL`:
    /// `http://127.0.0.1:<port>/connectfi`.
    pub fn connectfi_base_url(&self) -> String {
        format!("{}{}", self.origin(), connectfi::PREFIX)
    }

    /// Scheme, host and port, for the inspection routes: `http://127.0.0.1:<port>`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for SpawnedSandbox {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // The server may already be gone with its runtime; nothing is left to stop then.
            let _ = shutdown.send(());
        }
    }
}

/// Serves `app(config)` on 127.0.0.1 at a free port, on a task of the current tokio runtime.
pub async fn spawn(config: SandboxConfig) -> std::io::Result<SpawnedSandbox> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let (shutdown, stopped) = oneshot::channel::<()>();
    let router = app(config);
    tokio::spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
        if let Err(error) = served {
            tracing::error!(%error, "bank sandbox stopped with an error");
        }
    });
    tracing::debug!(%addr, "bank sandbox spawned");
    Ok(SpawnedSandbox {
        addr,
        shutdown: Some(shutdown),
    })
}

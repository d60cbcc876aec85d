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
mod state;
pub mod test_inputs;

pub use state::ConnectFiState;

use axum::routing::{get, post};
use axum::Router;
use connectfi_api::paths;

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

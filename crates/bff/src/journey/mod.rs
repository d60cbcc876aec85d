//! The customer's journey through the JSON API: sessions, the three stages, the decision.

mod connectfi;
mod decision;
mod idempotency;
mod offers;
mod reference_data;
mod request;
mod session;
mod stages;
mod terms;

pub use decision::{outcome_of, BankOutcome};
pub use offers::accept_offer;
pub use reference_data::ReferenceDataCache;
pub use session::{check_placement, current_session, start_session};
pub use stages::{submit_about_you, submit_finances, submit_identity};
pub use terms::current_terms;

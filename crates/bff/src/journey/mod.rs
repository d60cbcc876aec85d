//! The customer's journey through the JSON API: sessions, the three stages, the decision,
//! and handing the customer to the bank without one (a lead, "Save and exit").

mod application;
mod connectfi;
mod context;
mod decision;
mod handover;
mod idempotency;
mod offers;
mod provider;
mod reference_data;
mod request;
mod session;
mod session_record;
mod stages;
mod terms;

pub use application::{ApplicationRecord, BankOffer, BankOffers, BankStep, Handover};
pub use context::Journeys;
pub use decision::{outcome_of, BankOutcome};
pub use handover::{save_application, submit_lead};
pub use offers::accept_offer;
pub use reference_data::ReferenceDataCache;
pub use request::{token_hash, ApiJson};
pub use session::{check_placement, current_session, new_secret, resume_session, start_session};
pub use session_record::SessionRecord;
pub use stages::{submit_about_you, submit_finances, submit_identity};
pub use terms::current_terms;

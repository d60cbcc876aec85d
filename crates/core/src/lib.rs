//! The shared domain of the card application: markets, stages, the rules of every field,
//! reference data, decisions and the widget<->BFF API. It does no I/O and builds for wasm
//! and native, so the widget (instant feedback) and the BFF (the authoritative check) run
//! the very same rules and report the very same error codes.

pub mod api;
pub mod decision;
pub mod embed;
pub mod field;
pub mod fields;
pub mod forms;
pub mod market;
pub mod outcome;
pub mod phrase;
pub mod plan;
pub mod reference_data;
pub mod stage;

/// The calendar is the wire's (bank-api), shared with the sandbox.
pub use bank_api::CalendarDate;
pub use decision::{CreditLimit, Decision, DeclineReason, Offer};
pub use field::{Field, FieldError, ValidationError};
pub use market::{ApiVariant, FollowUp, Language, Market};
pub use outcome::Outcome;
pub use phrase::Phrase;
pub use plan::{JourneyPlan, Provider};
pub use reference_data::{Code, ReferenceData, ReferenceField};
pub use stage::Stage;

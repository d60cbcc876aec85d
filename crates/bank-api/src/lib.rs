//! The bank's onboarding API on the wire: the subset of the documented models that the
//! BFF sends and the sandbox answers. Field names follow the bank's camelCase exactly;
//! optional fields are omitted rather than sent as null, as the bank's clients do.
//!
//! Beside the models, the words both ends of the wire must spell alike live here once: the
//! paths ([`paths`]), the country codes ([`Country`]), the language tags and the one
//! `Accept-Language` reading ([`Language`]), the stage names ([`ApplicationStage`]) and the
//! dates ([`CalendarDate`]). The facts of each market (its languages, ID types, salutations)
//! are not words of the wire: the BFF and the sandbox keep their own tables of them, so that
//! a mistake in one is caught by the other rather than copied into it.

mod application;
mod calendar;
#[cfg(test)]
mod contract_tests;
mod country;
mod decision;
mod error;
mod inquiry;
mod language;
pub mod paths;
mod prospect;
mod reference_data;
mod stage;
mod token;

pub use application::*;
pub use calendar::CalendarDate;
pub use country::Country;
pub use decision::*;
pub use error::*;
pub use inquiry::*;
pub use language::Language;
pub use prospect::*;
pub use reference_data::*;
pub use stage::ApplicationStage;
pub use token::*;

/// The OpenAPI 3.1 description of the bank's API (`openapi.yaml`): the sandbox's and the BFF's contract.
// Embedded so that tests of any crate check against it without knowing where it lies on disk.
pub const OPENAPI_YAML: &str = include_str!("../openapi.yaml");

/// Names of the headers the bank requires on resource calls.
pub mod headers {
    /// The client id issued at registration.
    pub const CLIENT_ID: &str = "client_id";
    /// A fresh UUID for every request, for the bank's tracing.
    pub const UUID: &str = "uuid";
    /// Two-letter ISO 3166 country of the application.
    pub const COUNTRY_CODE: &str = "countryCode";
}

/// Names of the query parameters of the bank's GET calls.
pub mod query {
    /// The application's flow id, which a GET carries in its query instead of a body.
    pub const CONTROL_FLOW_ID: &str = "controlFlowId";
}

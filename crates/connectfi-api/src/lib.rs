//! connectFi (PayGears' API) on the wire: the token, KYC status and credit-card application
//! calls a partner's backend makes. Field names follow connectFi's camelCase exactly;
//! optional fields are omitted rather than sent as null.
//!
//! The request rules (`validate`) are connectFi's JSON-schema constraints, written once here
//! so that a client checks a request exactly as connectFi will before sending it.

mod auth;
mod credit;
mod envelope;
mod kyc;
mod validation;

pub use auth::*;
pub use credit::*;
pub use envelope::*;
pub use kyc::*;
pub use validation::ValidationFailure;

/// Paths of connectFi's API, relative to its base URL (`CONNECTFI_BASE_URL`).
pub mod paths {
    /// Log in: a token for every later call.
    pub const GET_TOKEN: &str = "/auth/get-token";
    /// The KYC/KYB status of a customer's verification application.
    pub const KYC_STATUS: &str = "/akepa/status";
    /// Start a credit-card application.
    pub const CREDIT_APPLICATION: &str = "/ibis/credit-card/application";
}

/// The header every call but the login carries the token in.
pub const TOKEN_HEADER: &str = "x-connectfi-token";

#[cfg(test)]
mod tests;

//! The bank's onboarding API as the BFF speaks it.

mod client;
mod mapping;
mod paths;
pub mod resilience;
pub mod tls;
mod token;

pub(crate) use client::body_mismatch;
pub use client::{BankClient, BankError, CustomerLocale};
pub use mapping::{
    about_you_request, finances_update, identity_update, prospect_request, TERMS_CONSENT_TYPE,
};
pub use paths::application_api;
pub use tls::ClientTls;
pub use token::TokenCache;

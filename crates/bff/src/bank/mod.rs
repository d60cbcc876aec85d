//! The bank's onboarding API as the BFF speaks it.

mod client;
mod mapping;
pub mod resilience;
mod token;

pub(crate) use client::body_mismatch;
pub use client::{BankClient, BankError};
pub use mapping::{about_you_request, finances_update, identity_update, TERMS_CONSENT_TYPE};
pub use token::TokenCache;

//! A live session: the partner and placement it came from, and whom it is for.

use onboarding_core::forms::Prefill;
use onboarding_core::{Language, Market};

/// A live session.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    /// The SHA-256 of the session's first token: its key, whichever token named it.
    pub token_hash: String,
    pub partner_id: String,
    pub market: Market,
    pub return_url: String,
    /// The customer's id at the partner's provider, when that provider knows the customer.
    pub customer_id: Option<String>,
    /// The language the customer reads, and the bank writes to them in.
    pub language: Language,
    /// What stage 1 starts with, when the session came from a placement with a prefill.
    pub prefill: Option<Prefill>,
    /// The partner's opaque state, when the session came from a placement with one: it
    /// goes back to the partner with the result.
    pub partner_state: Option<String>,
}

impl SessionRecord {
    /// Whom the session's bank calls are made for.
    pub fn locale(&self) -> crate::bank::CustomerLocale {
        crate::bank::CustomerLocale {
            market: self.market,
            language: self.language,
        }
    }
}

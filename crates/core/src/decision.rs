//! The bank's answer, as the customer is told it.

use serde::{Deserialize, Serialize};

/// A credit limit in whole units of a currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditLimit {
    pub amount: u64,
    /// ISO 4217 code.
    pub currency: String,
}

/// The in-principle decision on an application. Externally tagged on the wire
/// (`{"approved": {..}}`, `"referred"`): an internally tagged enum would make the widget
/// carry serde's buffering deserializer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Approved in principle with a credit limit, valid until `expires_on` (YYYY-MM-DD).
    Approved {
        credit_limit: CreditLimit,
        expires_on: String,
    },
    /// No instant decision: the bank reviews the application and contacts the customer.
    Referred,
    /// Not approved.
    Declined,
}

impl Decision {
    /// The outcome's name, as events and records carry it.
    pub const fn outcome(&self) -> &'static str {
        match self {
            Self::Approved { .. } => "approved",
            Self::Referred => "referred",
            Self::Declined => "declined",
        }
    }
}

//! The bank's answer, as the customer is told it.

use crate::Outcome;
use serde::{Deserialize, Serialize};

/// A credit limit in whole units of a currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditLimit {
    pub amount: u64,
    /// ISO 4217 code.
    pub currency: String,
}

/// A card the bank offers instead of, or beside, the one applied for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// The bank's sequence id of the offer, which accepting it names.
    pub id: String,
    /// The card's name, as the customer knows it.
    pub card: String,
    pub credit_limit: CreditLimit,
    /// Whether the customer has accepted it.
    #[serde(default)]
    pub accepted: bool,
}

/// Why an application was declined, when the provider says; the widget words each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclineReason {
    /// The income is too low for the credit asked for.
    InsufficientIncome,
    /// Past or present credit obligations are in arrears.
    DelinquentCredit,
    /// The customer's credit report is frozen, so it could not be checked.
    CreditFreeze,
    /// The customer's identity check is not complete or did not pass.
    IdentityNotVerified,
}

/// The in-principle decision on an application. Externally tagged on the wire
/// (`{"approved": {..}}`, `"referred"`): an internally tagged enum would make the widget
/// carry serde's buffering deserializer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Approved in principle with a credit limit, valid until `expires_on` (YYYY-MM-DD).
    Approved {
        /// The card approved; `None` for the one applied for.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        card: Option<String>,
        credit_limit: CreditLimit,
        expires_on: String,
        /// Further products the bank offers beside this card (cross-sell).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        offers: Vec<Offer>,
    },
    /// Not approved as applied for, but the bank offers these instead (a lower limit or
    /// another card); the customer may accept one.
    CounterOffered { offers: Vec<Offer> },
    /// No instant decision: the bank reviews the application and contacts the customer.
    Referred,
    /// The bank needed the full application, which was submitted for review by hand.
    UnderReview,
    /// Not approved, with the provider's reasons when it gives them.
    Declined {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        reasons: Vec<DeclineReason>,
    },
}

impl Decision {
    /// A decline without stated reasons.
    pub const fn declined() -> Self {
        Self::Declined {
            reasons: Vec::new(),
        }
    }

    /// The outcome a partner is told of this decision.
    pub const fn outcome(&self) -> Outcome {
        match self {
            Self::Approved { .. } => Outcome::Approved,
            Self::CounterOffered { .. } => Outcome::CounterOffered,
            Self::Referred => Outcome::Referred,
            Self::UnderReview => Outcome::UnderReview,
            Self::Declined { .. } => Outcome::Declined,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_keep_their_wire_shape() {
        let approved = Decision::Approved {
            card: None,
            credit_limit: CreditLimit {
                amount: 5_000,
                currency: "SGD".into(),
            },
            expires_on: "2026-12-22".into(),
            offers: Vec::new(),
        };
        assert_eq!(
            serde_json::to_string(&approved).unwrap(),
            r#"{"approved":{"credit_limit":{"amount":5000,"currency":"SGD"},"expires_on":"2026-12-22"}}"#
        );
        assert_eq!(
            serde_json::to_string(&Decision::declined()).unwrap(),
            r#"{"declined":{}}"#
        );
        assert_eq!(
            serde_json::to_string(&Decision::UnderReview).unwrap(),
            r#""under_review""#
        );
        let reasons: Decision =
            serde_json::from_str(r#"{"declined":{"reasons":["credit_freeze"]}}"#).unwrap();
        assert_eq!(
            reasons,
            Decision::Declined {
                reasons: vec![DeclineReason::CreditFreeze]
            }
        );
    }
}

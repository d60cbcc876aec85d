//! The bank's application behind a session: how far the bank has been told, its decision
//! and the offers that come with it, or how it left the widget without one.

use onboarding_core::{CreditLimit, Decision, Outcome};
use serde::{Deserialize, Serialize};

/// The bank's application behind a session.
#[derive(Debug, Clone)]
pub struct ApplicationRecord {
    pub reference: String,
    pub control_flow_id: String,
    pub bank_step: BankStep,
    pub decision: Option<Decision>,
    /// What accepting one of the decision's offers needs.
    pub offers: Option<BankOffers>,
    /// How the application left the widget without a decision, if it did.
    pub handover: Option<Handover>,
    /// The `uuid` of the in-principle-approval request last sent, recorded before it was
    /// sent: with no decision stored, the bank may have decided and its answer been lost.
    pub ipa_uuid: Option<String>,
}

/// How the bank came to have an application without deciding it online.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handover {
    /// Lead Capture handed the customer's details to the bank.
    Lead,
    /// The customer saved it to continue on the bank's channel ("Save and exit").
    Saved,
}

impl Handover {
    /// The outcome the partner is told, in the signed return URL.
    pub const fn outcome(self) -> Outcome {
        match self {
            Self::Lead => Outcome::LeadReceived,
            Self::Saved => Outcome::Saved,
        }
    }
}

/// The offers of a decision as the bank names them, and when they lapse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankOffers {
    /// YYYY-MM-DD, the approval date an accepted counter-offer gets.
    pub expires_on: String,
    pub offers: Vec<BankOffer>,
}

/// One offer: the id the widget knows it by, and what the bank needs to accept it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankOffer {
    /// The bank's `offerSequenceId`, also the offer's id in the decision.
    pub id: String,
    pub product_code: String,
    /// A counter-offer replaces the card applied for; a cross-sell offer adds to it.
    pub counter: bool,
    pub card: String,
    pub credit_limit: CreditLimit,
}

/// How far the bank has been told about an application, in the order of the calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BankStep {
    Created,
    IdentitySent,
    FinancesSent,
    ScreeningRequested,
    Decided,
}

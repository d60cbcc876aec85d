//! Which of the bank's APIs a market's applications go to.

use serde::{Deserialize, Serialize};

/// The bank API a market's journey calls, as the Lead Capture journey assigns them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiVariant {
    /// APAC onboarding: create and update an application, screening, in-principle approval.
    ApacApplication,
    /// APAC prospects: the lead is submitted and the bank's staff follow up; no decision.
    Prospect,
    /// EMEA onboarding: an application on the EMEA host, `countryCode` header required.
    Emea,
}

/// How the bank carries on with a customer whose application it has but has not decided
/// (a lead, or an application saved for later): what the customer is told happens next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUp {
    /// The bank texts a link to continue the application on its online channel.
    ContinueOnline,
    /// A representative of the bank calls the customer.
    RepresentativeCalls,
    /// The bank texts the reference number and the next steps.
    BankWrites,
}

impl ApiVariant {
    /// Whether the API decides an application online (an in-principle approval); a
    /// prospect is followed up by the bank's staff instead.
    pub const fn decides_online(self) -> bool {
        !matches!(self, Self::Prospect)
    }
}

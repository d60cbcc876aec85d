//! Which of the bank's APIs a market's applications go to.

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

//! `POST /ibis/credit-card/application`: a credit-card application and its decision.

use crate::envelope::amount;
use crate::validation::{self, ValidationFailure};
use serde::{Deserialize, Serialize};

/// The application request: `{"customerId","employer","totalAnnualIncome","totalAnnualIncomeCurrency"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditApplicationRequest {
    /// The customer's id in connectFi (`common-id`).
    pub customer_id: String,
    /// The card holder's employer (1 to 50 characters, no `<` or `>`, not only whitespace).
    pub employer: String,
    /// Total annual income: above 0, at most 2 decimal places.
    #[serde(serialize_with = "amount::serialize")]
    pub total_annual_income: f64,
    /// The income's ISO 4217 alphabetic currency code (three letters A-Z).
    pub total_annual_income_currency: String,
}

impl CreditApplicationRequest {
    /// Checks connectFi's rules for the application, in field order; the first broken rule
    /// is reported. The one definition of these rules: clients run it before sending and the
    /// sandbox runs it on what it receives.
    pub fn validate(&self) -> Result<(), ValidationFailure> {
        validation::id("customerId", &self.customer_id)?;
        validation::text50("employer", &self.employer)?;
        validation::amount("totalAnnualIncome", self.total_annual_income)?;
        validation::currency(
            "totalAnnualIncomeCurrency",
            &self.total_annual_income_currency,
        )
    }
}

/// The `data` of an application answer: the decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditApplication {
    /// The credit application's id (`gsa_...`); every request makes a new one.
    pub application_id: String,
    /// The customer's id.
    pub customer_id: String,
    /// Whether the customer's credit file is frozen (the application cannot proceed).
    pub credit_freeze: bool,
    /// The approved limit; 0 when declined.
    #[serde(serialize_with = "amount::serialize")]
    pub credit_limit: f64,
    /// The limit's currency code.
    pub credit_limit_currency: String,
    /// [`DECISION_APPROVE`] or [`DECISION_DECLINE`].
    pub decision: String,
    /// Adverse action codes explaining a decline (empty when approved).
    #[serde(default)]
    pub adverse_action: Vec<String>,
}

impl CreditApplication {
    /// Whether credit was granted.
    pub fn is_approved(&self) -> bool {
        self.decision == DECISION_APPROVE
    }
}

/// The decision granting credit.
pub const DECISION_APPROVE: &str = "Approve";
/// The decision refusing credit.
pub const DECISION_DECLINE: &str = "Decline";

/// Adverse action: the income does not support the credit.
pub const INSUFFICIENT_INCOME: &str = "INSUFFICIENT_INCOME";
/// Adverse action: past or present credit obligations are delinquent.
pub const DELINQUENT_CREDIT_OBLIGATIONS: &str = "DELINQUENT_CREDIT_OBLIGATIONS";
/// Adverse action: the customer's credit file is frozen.
pub const CREDIT_FREEZE: &str = "CREDIT_FREEZE";
/// Adverse action: the customer's identity could not be verified.
pub const UNABLE_TO_VERIFY_IDENTITY: &str = "UNABLE_TO_VERIFY_IDENTITY";

//! `POST /akepa/status`: the outcome of a customer's KYC/KYB verification application.

use crate::validation::{self, ValidationFailure};
use serde::{Deserialize, Serialize};

/// The status request: `{"customerId":"...","applicationId":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KycStatusRequest {
    /// The customer's id in connectFi (`common-id`).
    pub customer_id: String,
    /// The KYC application's id (`common-id`); without it the customer's latest application
    /// is answered (see the sandbox's README on this point).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
}

impl KycStatusRequest {
    /// Checks connectFi's rules for the status request; the first broken rule is reported.
    pub fn validate(&self) -> Result<(), ValidationFailure> {
        validation::id("customerId", &self.customer_id)?;
        match &self.application_id {
            Some(application_id) => validation::id("applicationId", application_id),
            None => Ok(()),
        }
    }
}

/// The `data` of a status answer: the verification application ("journey") and its entities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KycStatus {
    /// The KYC application's id (`iapp_...`).
    pub application_id: String,
    /// The customer's id.
    pub customer_id: String,
    /// The journey's status, e.g. `completed`, `waiting_review`, `pending_step_up`.
    pub status: String,
    /// `Approved` or `Denied`; absent while the journey is not completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// One verification per entity: the customer, and a business's representatives.
    #[serde(default)]
    pub entity_applications: Vec<EntityApplication>,
}

/// The verification of one entity (a person or a business).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityApplication {
    /// The entity's id; an individual customer's equals the customer id.
    pub entity_id: String,
    /// Whether the entity is the customer itself (not a representative).
    pub is_customer: bool,
    /// The entity's verification status.
    pub status: String,
    /// `approved` or `denied` (lower case); absent while not decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
}

/// The journey's outcome when the customer passed.
pub const KYC_APPROVED: &str = "Approved";
/// The journey's outcome when the customer failed.
pub const KYC_DENIED: &str = "Denied";
/// An entity's outcome when it passed.
pub const ENTITY_APPROVED: &str = "approved";
/// An entity's outcome when it failed.
pub const ENTITY_DENIED: &str = "denied";

impl KycStatus {
    /// Whether the customer passed KYC: the outcome is `Approved` and every entity
    /// application is `approved`.
    pub fn is_approved(&self) -> bool {
        // connectFi resolves the outcome to Approved only when every entity is approved, and
        // leaves that check to the client; both are checked so that an inconsistent answer
        // never opens credit. No entity at all is no evidence of a verified customer.
        self.outcome.as_deref() == Some(KYC_APPROVED)
            && !self.entity_applications.is_empty()
            && self
                .entity_applications
                .iter()
                .all(|entity| entity.outcome.as_deref() == Some(ENTITY_APPROVED))
    }
}

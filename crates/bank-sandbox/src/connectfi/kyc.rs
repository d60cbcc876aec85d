//! `POST /akepa/status`: the outcome of a customer's KYC verification, by test input.

use super::auth::Authorized;
use super::error::ConnectFiError;
use super::ids;
use super::json::ConnectFiJson;
use super::test_inputs::{KYC_DENIED, KYC_PARTIAL, KYC_PARTIAL_REPRESENTATIVE, KYC_PENDING};
use axum::Json;
use connectfi_api::{
    EntityApplication, Envelope, KycStatus, KycStatusRequest, ENTITY_APPROVED, ENTITY_DENIED,
    KYC_APPROVED, KYC_DENIED as OUTCOME_DENIED,
};

/// The journey status of a finished verification.
const COMPLETED: &str = "completed";
/// The journey status of a verification under manual review.
const WAITING_REVIEW: &str = "waiting_review";

/// `POST /akepa/status`: the customer's KYC application, the one named or else the latest.
pub async fn status(
    _authorized: Authorized,
    ConnectFiJson(request): ConnectFiJson<KycStatusRequest>,
) -> Result<Json<Envelope<KycStatus>>, ConnectFiError> {
    request.validate()?;
    let status = status_of(&request.customer_id, request.application_id.as_deref());
    tracing::info!(status = %status.status, outcome = ?status.outcome, "connectFi KYC status answered");
    Ok(Json(Envelope::success(status, ids::request_id())))
}

/// The id of a customer's (only) KYC application: the same in every call and every run,
/// so a client may compare it with one it stored.
pub fn application_id_of(customer_id: &str) -> String {
    ids::stable("iapp_", customer_id)
}

/// The KYC status the sandbox answers for a customer; an unknown `application_id` is
/// answered as if it were the customer's.
pub fn status_of(customer_id: &str, application_id: Option<&str>) -> KycStatus {
    let entity = |entity_id: &str, is_customer: bool, status: &str, outcome: Option<&str>| {
        EntityApplication {
            entity_id: entity_id.to_owned(),
            is_customer,
            status: status.to_owned(),
            outcome: outcome.map(str::to_owned),
        }
    };
    let (status, outcome, entity_applications) = match customer_id {
        KYC_DENIED => (
            COMPLETED,
            Some(OUTCOME_DENIED),
            vec![entity(customer_id, true, COMPLETED, Some(ENTITY_DENIED))],
        ),
        KYC_PENDING => (
            WAITING_REVIEW,
            None,
            vec![entity(customer_id, true, WAITING_REVIEW, None)],
        ),
        // A business whose representative failed while the journey still reads Approved.
        KYC_PARTIAL => (
            COMPLETED,
            Some(KYC_APPROVED),
            vec![
                entity(customer_id, true, COMPLETED, Some(ENTITY_APPROVED)),
                entity(
                    KYC_PARTIAL_REPRESENTATIVE,
                    false,
                    COMPLETED,
                    Some(ENTITY_DENIED),
                ),
            ],
        ),
        _ => (
            COMPLETED,
            Some(KYC_APPROVED),
            vec![entity(customer_id, true, COMPLETED, Some(ENTITY_APPROVED))],
        ),
    };
    KycStatus {
        application_id: application_id
            .map_or_else(|| application_id_of(customer_id), str::to_owned),
        customer_id: customer_id.to_owned(),
        status: status.to_owned(),
        outcome: outcome.map(str::to_owned),
        entity_applications,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_other_customer_is_approved_with_one_entity_itself() {
        let status = status_of("cstap_7uvAC6nLftLGCq7yic3TfI", None);
        assert!(status.is_approved());
        assert_eq!(status.status, "completed");
        assert_eq!(status.entity_applications.len(), 1);
        let entity = &status.entity_applications[0];
        assert_eq!(entity.entity_id, "cstap_7uvAC6nLftLGCq7yic3TfI");
        assert!(entity.is_customer);
    }

    #[test]
    fn each_test_input_has_its_outcome() {
        let denied = status_of(KYC_DENIED, None);
        assert_eq!(denied.outcome.as_deref(), Some("Denied"));
        assert_eq!(
            denied.entity_applications[0].outcome.as_deref(),
            Some("denied")
        );
        assert!(!denied.is_approved());

        let pending = status_of(KYC_PENDING, None);
        assert_eq!(pending.status, "waiting_review");
        assert_eq!(pending.outcome, None);
        assert!(!pending.is_approved());

        let partial = status_of(KYC_PARTIAL, None);
        assert_eq!(partial.outcome.as_deref(), Some("Approved"));
        assert_eq!(partial.entity_applications.len(), 2);
        assert!(!partial.is_approved());
    }

    #[test]
    fn application_ids_are_stable_per_customer_unless_named() {
        let id = status_of("cstap_a", None).application_id;
        assert!(id.starts_with("iapp_"), "{id}");
        assert_eq!(status_of("cstap_a", None).application_id, id);
        assert_ne!(status_of("cstap_b", None).application_id, id);
        assert_eq!(
            status_of("cstap_a", Some("iapp_other")).application_id,
            "iapp_other"
        );
    }
}

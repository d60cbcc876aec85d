use crate::{
    Applicant, InPrincipleApprovalResponse, Product, ProductOffer, RequestedProductDecision,
};
use serde::{Deserialize, Serialize};

/// Answer to `GET .../applications/{applicationId}/status`: where the application is and,
/// once the IPA has decided, that decision.
///
/// The decision fields are the IPA answer's own types, so a client that lost the IPA answer
/// reads the same decision here; before a decision the lists are empty and absent.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationStatusResponse {
    /// Reference data `applicationStage`: where the application is now (the sandbox's are
    /// [`crate::ApplicationStage`]'s names; a string, for the bank's others).
    pub application_stage: String,
    /// When the in-principle approval and its offers lapse (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipa_expiry_date: Option<String>,
    /// The decision on the product applied for, as the IPA answered it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requested_product_decision: Vec<RequestedProductDecision>,
    /// Products offered instead of the one applied for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counter_offers: Vec<ProductOffer>,
    /// Further products offered beside the one applied for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cross_sell_offers: Vec<ProductOffer>,
}

impl ApplicationStatusResponse {
    /// The IPA answer this status repeats once the IPA has decided; `None` before.
    pub fn in_principle_approval(&self) -> Option<InPrincipleApprovalResponse> {
        in_principle_approval(
            Some(self.application_stage.as_str()),
            self.ipa_expiry_date.as_deref(),
            &self.requested_product_decision,
            &self.counter_offers,
            &self.cross_sell_offers,
        )
    }
}

/// Answer to `GET .../applications/{applicationId}`: the whole application as the bank
/// keeps it, with the same decision fields as the status.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationInquiryResponse {
    /// Reference data `applicationStage`. Optional here, unlike on the status: the bank's
    /// notes require it only there (the sandbox always sends it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_stage: Option<String>,
    /// Whether a supplementary card holder applies too (never, in this project's journeys).
    #[serde(default)]
    pub has_any_supplementary_flag: bool,
    /// When the in-principle approval and its offers lapse (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipa_expiry_date: Option<String>,
    /// The product applied for, as the create sent it.
    // The create's own types rather than open JSON: the bank answers what it was sent, and
    // fields of its fuller model that this project never sends are skipped when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
    /// The applicant, every section sent so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant: Option<Applicant>,
    /// The decision on the product applied for, as the IPA answered it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requested_product_decision: Vec<RequestedProductDecision>,
    /// Products offered instead of the one applied for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counter_offers: Vec<ProductOffer>,
    /// Further products offered beside the one applied for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cross_sell_offers: Vec<ProductOffer>,
}

impl ApplicationInquiryResponse {
    /// The IPA answer this application repeats once the IPA has decided; `None` before.
    /// Its `applicationStage` is empty if the answer gave none.
    pub fn in_principle_approval(&self) -> Option<InPrincipleApprovalResponse> {
        in_principle_approval(
            self.application_stage.as_deref(),
            self.ipa_expiry_date.as_deref(),
            &self.requested_product_decision,
            &self.counter_offers,
            &self.cross_sell_offers,
        )
    }
}

/// The IPA answer made of a read call's decision fields. A decision is a `creditDecision`
/// on the product applied for: before one, the bank may still list the product.
fn in_principle_approval(
    application_stage: Option<&str>,
    ipa_expiry_date: Option<&str>,
    requested_product_decision: &[RequestedProductDecision],
    counter_offers: &[ProductOffer],
    cross_sell_offers: &[ProductOffer],
) -> Option<InPrincipleApprovalResponse> {
    requested_product_decision
        .iter()
        .any(|d| d.credit_decision.is_some())
        .then(|| InPrincipleApprovalResponse {
            application_stage: application_stage.unwrap_or_default().to_owned(),
            ipa_expiry_date: ipa_expiry_date.map(str::to_owned),
            requested_product_decision: requested_product_decision.to_vec(),
            counter_offers: counter_offers.to_vec(),
            cross_sell_offers: cross_sell_offers.to_vec(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CreditSpecificRecommendations;
    use serde_json::json;

    fn approved() -> InPrincipleApprovalResponse {
        InPrincipleApprovalResponse {
            application_stage: "APPROVAL".into(),
            ipa_expiry_date: Some("2026-04-01".into()),
            requested_product_decision: vec![RequestedProductDecision {
                product_code: "VC830".into(),
                organisation_code: Some("888".into()),
                source_code: "WW5ARCE1".into(),
                credit_decision: Some("000".into()),
                credit_specific_recommendations: vec![CreditSpecificRecommendations {
                    recommended_credit_limit: Some(10_000.0),
                }],
            }],
            counter_offers: Vec::new(),
            cross_sell_offers: vec![ProductOffer {
                offer_product_code: "RC100".into(),
                offer_product_organisation_code: Some("888".into()),
                offer_source_code: Some("WW5ARCE1".into()),
                offer_sequence_id: "1".into(),
                credit_specific_recommendations: Vec::new(),
            }],
        }
    }

    #[test]
    fn a_decided_status_gives_back_the_ipa_answer() {
        let ipa = approved();
        let status: ApplicationStatusResponse =
            serde_json::from_value(serde_json::to_value(&ipa).unwrap()).unwrap();
        assert_eq!(status.in_principle_approval(), Some(ipa.clone()));
        let inquiry: ApplicationInquiryResponse =
            serde_json::from_value(serde_json::to_value(&ipa).unwrap()).unwrap();
        assert_eq!(inquiry.in_principle_approval(), Some(ipa));
    }

    #[test]
    fn before_a_decision_there_is_none_and_the_lists_are_left_out() {
        let status = ApplicationStatusResponse {
            application_stage: "BACKGROUND_SCREENING".into(),
            ipa_expiry_date: None,
            requested_product_decision: Vec::new(),
            counter_offers: Vec::new(),
            cross_sell_offers: Vec::new(),
        };
        assert_eq!(status.in_principle_approval(), None);
        assert_eq!(
            serde_json::to_value(&status).unwrap(),
            json!({ "applicationStage": "BACKGROUND_SCREENING" })
        );
        // The product listed without a creditDecision is not a decision yet.
        let listed: ApplicationStatusResponse = serde_json::from_value(json!({
            "applicationStage": "BACKGROUND_SCREENING",
            "requestedProductDecision": [{ "productCode": "VC830", "sourceCode": "WW5ARCE1" }]
        }))
        .unwrap();
        assert_eq!(listed.in_principle_approval(), None);
        let empty: ApplicationInquiryResponse = serde_json::from_value(json!({})).unwrap();
        assert!(!empty.has_any_supplementary_flag);
        assert_eq!(empty.in_principle_approval(), None);
    }
}

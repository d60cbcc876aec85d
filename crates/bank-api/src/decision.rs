use serde::{Deserialize, Serialize};

/// The swagger's `InPrincipleApprovalResponse` (the parts this project reads and writes).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct InPrincipleApprovalResponse {
    pub application_stage: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipa_expiry_date: Option<String>,
    #[serde(default)]
    pub requested_product_decision: Vec<RequestedProductDecision>,
    /// Products offered instead of the one applied for (a lower limit or another card).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counter_offers: Vec<ProductOffer>,
    /// Further products offered beside the one applied for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cross_sell_offers: Vec<ProductOffer>,
}

/// The swagger's `CounterOffer` and `CrossSellOffer`, which share one shape (the parts
/// this project reads and writes).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProductOffer {
    pub offer_product_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_product_organisation_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_source_code: Option<String>,
    /// Identifies the offer when it is accepted.
    pub offer_sequence_id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credit_specific_recommendations: Vec<CreditSpecificRecommendations>,
}

/// Body of `POST .../offerAcceptance`: the offers the customer accepts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OfferAcceptanceRequest {
    pub control_flow_id: String,
    pub accepted_offers: Vec<AcceptedOffer>,
}

/// One accepted offer, named as the IPA answer listed it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AcceptedOffer {
    pub offer_sequence_id: String,
    pub offer_product_code: String,
}

/// The decision on the product applied for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RequestedProductDecision {
    pub product_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_code: Option<String>,
    pub source_code: String,
    /// `000` approved, `002` referred, `003` rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_decision: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credit_specific_recommendations: Vec<CreditSpecificRecommendations>,
}

/// The credit limit the bank recommends.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CreditSpecificRecommendations {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended_credit_limit: Option<f64>,
}

/// The swagger's `creditDecision` codes, kept in one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditDecision {
    Approved,
    Referred,
    Rejected,
}

impl CreditDecision {
    /// The code on the wire.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Approved => "000",
            Self::Referred => "002",
            Self::Rejected => "003",
        }
    }

    /// Reads a code; `None` for a code the swagger does not define.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "000" => Some(Self::Approved),
            "002" => Some(Self::Referred),
            "003" => Some(Self::Rejected),
            _ => None,
        }
    }
}

use crate::{
    Address, Demographics, Education, Email, EmploymentDetail, FinancialInformation,
    IdentificationDocumentDetail, Name, Phone,
};
use serde::{Deserialize, Serialize};

/// Body of `POST /v1/apac/onboarding/prospects`: a lead for Indonesia, Thailand or Vietnam.
///
/// Required fields are required here too, so a body without one does not deserialise and
/// the error names the field. The documented `additionalData`, `selfDeclaration` and
/// `kycInformation` sections are not modelled; a receiver ignores them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProspectAddRequest {
    /// The product the customer is interested in.
    pub interest: Interest,
    /// Who the customer is and how to reach them.
    pub prospect: Prospect,
}

/// The product group a prospect asks about, and the campaign that brought them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Interest {
    /// The bank's product group (e.g. `CREDIT_CARD`).
    pub product_group: String,
    /// The marketing campaign, when the lead came from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<String>,
    /// The wave of that campaign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave_id: Option<String>,
}

/// The person behind a lead: name and contact details required, the rest optional.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Prospect {
    /// The customer's name.
    pub name: Name,
    /// At least one address.
    pub address: Vec<Address>,
    /// At least one e-mail address.
    pub email: Vec<Email>,
    /// At least one phone number; the bank's representative calls it.
    pub phone: Vec<Phone>,
    /// How the customer wants to hear from the bank.
    pub contact_preference: ContactPreference,
    /// Asked by some markets to identify the customer on the phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mother_maiden_name: Option<String>,
    /// Date of birth and residence type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demographics: Option<Demographics>,
    /// Income.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub financial_information: Option<FinancialInformation>,
    /// Highest education level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub education: Option<Education>,
    /// Current employment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub employment_details: Vec<EmploymentDetail>,
    /// Government identity documents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identification_document_details: Vec<IdentificationDocumentDetail>,
}

/// The customer's contact preferences, as the bank's `contactPreference` model has them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ContactPreference {
    /// Whether the customer wants advices by SMS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_sms_advice_flag: Option<bool>,
    /// Whether the customer wants advices by e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_email_advice_flag: Option<bool>,
    /// Which address mail goes to (reference data `addressType`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_mailing_address: Option<String>,
    /// Whether statements are sent electronically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e_statement_enrollment_flag: Option<bool>,
}

/// Answer to a prospect: its reference, which the customer is told. No decision follows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProspectAddResponse {
    /// The lead's reference number.
    pub prospect_id: String,
}

use serde::{Deserialize, Serialize};

/// Body of `POST .../applications`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationAddRequest {
    pub product: Product,
    pub applicant: Applicant,
}

/// The product applied for; this project only applies for credit cards.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub credit_card_product: CreditCardProduct,
}

/// The card product the partner's placement offers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CreditCardProduct {
    pub product_code: String,
    pub source_code: String,
    pub organization: String,
    pub logo: String,
}

/// The applicant; every section is optional on update, and only what a stage collects is sent.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Applicant {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Name>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phone: Vec<Phone>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email: Vec<Email>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demographics: Option<Demographics>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<Address>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consent_details: Vec<ConsentDetail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub financial_information: Option<FinancialInformation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub education: Option<Education>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub employment_details: Vec<EmploymentDetail>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identification_document_details: Vec<IdentificationDocumentDetail>,
}

/// The applicant's name; `salutation` is what the customer sees as "title".
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Name {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salutation: Option<String>,
    pub given_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
}

/// A phone number, split the way the bank stores it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Phone {
    pub phone_type: String,
    pub phone_country_code: String,
    pub phone_number: String,
}

/// An e-mail address.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Email {
    pub email_address: String,
}

/// Date of birth (YYYY-MM-DD) and the coded residence type.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Demographics {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residence_type: Option<String>,
}

/// A postal address.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub address_type: String,
    pub address_line1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line2: Option<String>,
    pub postal_code: String,
    pub country_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residence_duration_in_years: Option<u32>,
}

/// One consent flag (terms and conditions, data sharing).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ConsentDetail {
    pub consent_type: String,
    pub is_consent_given: bool,
}

/// Income, as the bank's list of income details.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FinancialInformation {
    pub income_details: Vec<IncomeDetail>,
}

/// One income: its kind, amount and frequency (`ANNUAL` for this widget).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IncomeDetail {
    pub income_type: String,
    pub fixed_amount: f64,
    pub frequency: String,
}

/// The highest education level reached.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Education {
    pub highest_education_level: String,
}

/// Current employment.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EmploymentDetail {
    pub employment_status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer_name: Option<String>,
    pub occupation_code: String,
    pub industry_code: String,
}

/// A government identity document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IdentificationDocumentDetail {
    pub id_type: String,
    pub id_number: String,
    pub id_issue_country: String,
    pub is_primary_id: bool,
}

/// Answer to a create: the reference number and the flow id every later call must echo.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationAddResponse {
    pub application_id: String,
    pub application_stage: String,
    pub control_flow_id: String,
}

/// Body of `PUT .../applications/{applicationId}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationUpdateRequest {
    pub applicant: Applicant,
    pub control_flow_id: String,
}

/// Answer to an update or a screening request.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationStageResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_stage: Option<String>,
}

/// Body of the calls that only carry the flow id (background screening, IPA).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ControlFlowRequest {
    pub control_flow_id: String,
}

//! The customer's stages in the bank's words: which section of the bank's applicant each
//! field goes to, and the codes the bank expects around them.

use crate::partners::CardProduct;
use bank_api::*;
use onboarding_core::forms::{AboutYou, Finances, Identity, Lead};
use onboarding_core::Market;

/// The consent type the bank records acceptance of the Terms and Conditions under.
pub const TERMS_CONSENT_TYPE: &str = "TERMS_AND_CONDITIONS";

/// Stage 1 as the bank's create-application request.
pub fn about_you_request(
    about: &AboutYou,
    market: Market,
    product: &CardProduct,
) -> ApplicationAddRequest {
    ApplicationAddRequest {
        product: Product {
            credit_card_product: CreditCardProduct {
                product_code: product.product_code.clone(),
                source_code: product.source_code.clone(),
                organization: product.organization.clone(),
                logo: product.logo.clone(),
            },
        },
        applicant: applicant_of(about, market),
    }
}

/// Stage 1's sections of the bank's applicant, shared by applications and prospects.
fn applicant_of(about: &AboutYou, market: Market) -> Applicant {
    Applicant {
        name: Some(Name {
            salutation: Some(about.title.as_str().to_owned()),
            given_name: about.given_name.as_str().to_owned(),
            surname: Some(about.surname.as_str().to_owned()),
        }),
        phone: vec![Phone {
            phone_type: "MOBILE".into(),
            phone_country_code: market.phone_country_code().into(),
            phone_number: about.mobile_number.national().into(),
        }],
        email: vec![Email {
            email_address: about.email.as_str().into(),
        }],
        demographics: Some(Demographics {
            date_of_birth: Some(about.date_of_birth.date().to_string()),
            residence_type: None,
        }),
        consent_details: vec![ConsentDetail {
            consent_type: TERMS_CONSENT_TYPE.into(),
            is_consent_given: true,
        }],
        ..Applicant::default()
    }
}

/// A lead as the bank's Submit Prospect: the customer's name, contact details, date of
/// birth and home address, and their wish to hear by SMS (the bank texts them).
pub fn prospect_request(lead: &Lead, market: Market) -> ProspectAddRequest {
    let about = &lead.about;
    let applicant = applicant_of(about, market);
    ProspectAddRequest {
        interest: Interest {
            product_group: "CREDIT_CARD".into(),
            campaign_id: None,
            wave_id: None,
        },
        prospect: Prospect {
            name: applicant.name.unwrap_or_else(|| Name {
                salutation: None,
                given_name: about.given_name.as_str().into(),
                surname: None,
            }),
            address: lead
                .address
                .iter()
                .map(|address| Address {
                    address_type: "RESIDENTIAL".into(),
                    address_line1: address.line1.as_str().into(),
                    address_line2: address.line2.as_ref().map(|l| l.as_str().into()),
                    postal_code: address
                        .postal_code
                        .as_ref()
                        .map_or_else(String::new, |code| code.as_str().into()),
                    country_code: market.code().into(),
                    residence_duration_in_years: None,
                })
                .collect(),
            email: applicant.email,
            phone: applicant.phone,
            contact_preference: ContactPreference {
                send_sms_advice_flag: Some(true),
                ..ContactPreference::default()
            },
            mother_maiden_name: None,
            demographics: applicant.demographics,
            financial_information: None,
            education: None,
            employment_details: Vec::new(),
            identification_document_details: Vec::new(),
        },
    }
}

/// Stage 2 as an update of the application.
pub fn identity_update(
    identity: &Identity,
    market: Market,
    control_flow_id: &str,
) -> ApplicationUpdateRequest {
    ApplicationUpdateRequest {
        applicant: Applicant {
            identification_document_details: vec![IdentificationDocumentDetail {
                id_type: identity.id_type.as_str().into(),
                id_number: identity.id_number.as_str().into(),
                // Local identity cards are issued by the market; a passport's issuer is not asked.
                id_issue_country: market.code().into(),
                is_primary_id: true,
            }],
            address: vec![Address {
                address_type: "RESIDENTIAL".into(),
                address_line1: identity.address_line1.as_str().into(),
                address_line2: identity.address_line2.as_ref().map(|l| l.as_str().into()),
                // The bank's address takes a postal code; where the country has none
                // (Hong Kong, the UAE) it is sent empty.
                postal_code: identity
                    .postal_code
                    .as_ref()
                    .map_or_else(String::new, |code| code.as_str().into()),
                country_code: identity.country.as_str().into(),
                residence_duration_in_years: Some(identity.years_at_address.years().into()),
            }],
            ..Applicant::default()
        },
        control_flow_id: control_flow_id.into(),
    }
}

/// Stage 3 as an update of the application.
pub fn finances_update(finances: &Finances, control_flow_id: &str) -> ApplicationUpdateRequest {
    ApplicationUpdateRequest {
        applicant: Applicant {
            financial_information: Some(FinancialInformation {
                income_details: vec![IncomeDetail {
                    income_type: "DECLARED_FIXED".into(),
                    fixed_amount: finances.annual_income.as_units(),
                    frequency: "ANNUAL".into(),
                }],
            }),
            education: Some(Education {
                highest_education_level: finances.education.as_str().into(),
            }),
            employment_details: vec![EmploymentDetail {
                employment_status: finances.employment_status.as_str().into(),
                employer_name: finances.employer_name.as_ref().map(|n| n.as_str().into()),
                occupation_code: finances.occupation.as_str().into(),
                industry_code: finances.industry.as_str().into(),
            }],
            demographics: Some(Demographics {
                date_of_birth: None,
                residence_type: Some(finances.residence_type.as_str().into()),
            }),
            ..Applicant::default()
        },
        control_flow_id: control_flow_id.into(),
    }
}

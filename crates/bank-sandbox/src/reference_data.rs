//! Reference data for Singapore in English: the valid codes of every coded field the
//! journey uses. The same tables validate the codes an application carries, so whatever
//! the widget offers, the sandbox accepts.

use crate::auth::BankHeaders;
use crate::error::BankError;
use crate::extract::BankPath;
use axum::Json;
use bank_api::{ReferenceDataResponse, ReferenceValue};

type Table = &'static [(&'static str, &'static str)];

/// Every reference code the sandbox knows, with its values (code, description).
pub const TABLES: [(&str, Table); 8] = [
    (
        "salutation",
        &[
            ("MR", "Mr"),
            ("MRS", "Mrs"),
            ("MS", "Ms"),
            ("MDM", "Mdm"),
            ("DR", "Dr"),
        ],
    ),
    (
        "idType",
        &[
            ("NRIC", "NRIC (Singapore citizen or permanent resident)"),
            ("FIN", "FIN (foreigner with a long-term pass)"),
            ("PASSPORT", "Passport"),
        ],
    ),
    (
        "country",
        &[
            ("SG", "Singapore"),
            ("MY", "Malaysia"),
            ("ID", "Indonesia"),
            ("CN", "China"),
            ("IN", "India"),
            ("PH", "Philippines"),
            ("TH", "Thailand"),
            ("VN", "Vietnam"),
            ("HK", "Hong Kong"),
            ("AU", "Australia"),
            ("GB", "United Kingdom"),
            ("US", "United States"),
        ],
    ),
    (
        "employmentStatus",
        &[
            ("EMPLOYED", "Employed (salaried)"),
            ("SELF_EMPLOYED", "Self-employed"),
            ("RETIRED", "Retired"),
            ("STUDENT", "Student"),
            ("UNEMPLOYED", "Not employed"),
        ],
    ),
    (
        "occupationCode",
        &[
            ("MANAGER", "Manager or senior official"),
            ("PROFESSIONAL", "Professional"),
            ("TECHNICIAN", "Technician or associate professional"),
            ("CLERICAL", "Clerical or administrative worker"),
            ("SALES", "Sales worker"),
            ("SERVICE", "Service worker"),
            ("TRADES", "Craft or trade worker"),
            ("OPERATOR", "Plant or machine operator, or driver"),
            ("HOMEMAKER", "Homemaker"),
            ("OTHER", "Other"),
        ],
    ),
    (
        "industryCode",
        &[
            ("BANKING_FINANCE", "Banking and finance"),
            ("GOVERNMENT", "Government and public service"),
            ("HEALTHCARE", "Healthcare"),
            ("EDUCATION", "Education"),
            ("IT_TELECOM", "IT and telecommunications"),
            ("MANUFACTURING", "Manufacturing"),
            ("RETAIL", "Retail and wholesale"),
            ("HOSPITALITY", "Hospitality and food services"),
            ("CONSTRUCTION", "Construction and real estate"),
            ("OTHER", "Other"),
        ],
    ),
    (
        "highestEducationLevel",
        &[
            ("PRIMARY", "Primary school"),
            ("SECONDARY", "Secondary school"),
            ("DIPLOMA", "Diploma or A level"),
            ("BACHELOR", "Bachelor's degree"),
            ("POSTGRADUATE", "Postgraduate degree"),
            ("OTHER", "Other"),
        ],
    ),
    (
        "residenceType",
        &[
            ("OWNED", "Owned, fully paid"),
            ("MORTGAGED", "Owned, with a mortgage"),
            ("RENTED", "Rented"),
            ("FAMILY", "Living with family"),
            ("EMPLOYER", "Employer-provided"),
        ],
    ),
];

/// The values of a reference code; `None` for a code the sandbox does not know.
pub fn values(reference_code: &str) -> Option<ReferenceDataResponse> {
    let (name, table) = TABLES.iter().find(|(name, _)| *name == reference_code)?;
    Some(ReferenceDataResponse {
        reference_code: (*name).to_owned(),
        values: table
            .iter()
            .map(|(code, description)| ReferenceValue {
                code: (*code).to_owned(),
                description: (*description).to_owned(),
            })
            .collect(),
    })
}

/// Whether `code` is one of the values of `reference_code`.
pub fn is_valid(reference_code: &str, code: &str) -> bool {
    TABLES
        .iter()
        .find(|(name, _)| *name == reference_code)
        .is_some_and(|(_, table)| table.iter().any(|(c, _)| *c == code))
}

/// `GET /api/v1/apac/utilities/referenceData/{referenceCode}`.
pub async fn reference_data(
    _headers: BankHeaders,
    BankPath(reference_code): BankPath<String>,
) -> Result<Json<ReferenceDataResponse>, BankError> {
    values(&reference_code)
        .map(Json)
        .ok_or_else(|| BankError::resource_not_found(format!("Reference data {reference_code:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_unique_codes_and_descriptions() {
        for (name, table) in TABLES {
            assert!(!table.is_empty(), "{name}");
            for (i, (code, description)) in table.iter().enumerate() {
                assert!(!description.is_empty(), "{name}.{code}");
                assert!(
                    table[..i].iter().all(|(c, _)| c != code),
                    "{name}.{code} twice"
                );
            }
        }
    }

    #[test]
    fn codes_are_checked_per_field() {
        assert!(is_valid("employmentStatus", "SELF_EMPLOYED"));
        assert!(!is_valid("employmentStatus", "self_employed"));
        assert!(!is_valid("idType", "SG"));
        assert!(!is_valid("unknownField", "SG"));
        assert_eq!(values("country").map(|v| v.values.len()), Some(12));
        assert_eq!(values("Country"), None);
    }
}

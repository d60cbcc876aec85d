//! Reference data for Singapore in English.

use crate::support::*;
use axum::http::{Method, StatusCode};
use bank_api::ReferenceDataResponse;

const BASE: &str = "/api/v1/apac/utilities/referenceData";

async fn codes(sandbox: &Sandbox, field: &str) -> Vec<(String, String)> {
    let (status, body) = sandbox
        .call(Method::GET, &format!("{BASE}/{field}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{field}: {body}");
    let data: ReferenceDataResponse = serde_json::from_value(body).unwrap();
    assert_eq!(data.reference_code, field);
    data.values
        .into_iter()
        .map(|v| (v.code, v.description))
        .collect()
}

fn only_codes(values: &[(String, String)]) -> Vec<&str> {
    values.iter().map(|(c, _)| c.as_str()).collect()
}

#[tokio::test]
async fn every_field_has_its_singapore_values() {
    let sandbox = Sandbox::instant().await;
    let owned = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(c, d)| ((*c).to_owned(), (*d).to_owned()))
            .collect()
    };
    assert_eq!(
        codes(&sandbox, "salutation").await,
        owned(&[
            ("MR", "Mr"),
            ("MRS", "Mrs"),
            ("MS", "Ms"),
            ("MDM", "Mdm"),
            ("DR", "Dr")
        ])
    );
    assert_eq!(
        codes(&sandbox, "idType").await,
        owned(&[
            ("NRIC", "NRIC (Singapore citizen or permanent resident)"),
            ("FIN", "FIN (foreigner with a long-term pass)"),
            ("PASSPORT", "Passport"),
        ])
    );
    let countries = codes(&sandbox, "country").await;
    assert_eq!(
        only_codes(&countries),
        ["SG", "MY", "ID", "CN", "IN", "PH", "TH", "VN", "HK", "AU", "GB", "US"]
    );
    assert_eq!(countries[0].1, "Singapore");
    assert_eq!(
        codes(&sandbox, "employmentStatus").await,
        owned(&[
            ("EMPLOYED", "Employed (salaried)"),
            ("SELF_EMPLOYED", "Self-employed"),
            ("RETIRED", "Retired"),
            ("STUDENT", "Student"),
            ("UNEMPLOYED", "Not employed"),
        ])
    );
    assert_eq!(
        only_codes(&codes(&sandbox, "occupationCode").await),
        [
            "MANAGER",
            "PROFESSIONAL",
            "TECHNICIAN",
            "CLERICAL",
            "SALES",
            "SERVICE",
            "TRADES",
            "OPERATOR",
            "HOMEMAKER",
            "OTHER"
        ]
    );
    assert_eq!(
        only_codes(&codes(&sandbox, "industryCode").await),
        [
            "BANKING_FINANCE",
            "GOVERNMENT",
            "HEALTHCARE",
            "EDUCATION",
            "IT_TELECOM",
            "MANUFACTURING",
            "RETAIL",
            "HOSPITALITY",
            "CONSTRUCTION",
            "OTHER"
        ]
    );
    assert_eq!(
        only_codes(&codes(&sandbox, "highestEducationLevel").await),
        [
            "PRIMARY",
            "SECONDARY",
            "DIPLOMA",
            "BACHELOR",
            "POSTGRADUATE",
            "OTHER"
        ]
    );
    assert_eq!(
        codes(&sandbox, "residenceType").await,
        owned(&[
            ("OWNED", "Owned, fully paid"),
            ("MORTGAGED", "Owned, with a mortgage"),
            ("RENTED", "Rented"),
            ("FAMILY", "Living with family"),
            ("EMPLOYER", "Employer-provided"),
        ])
    );
}

#[tokio::test]
async fn an_unknown_reference_code_is_resource_not_found() {
    let sandbox = Sandbox::instant().await;
    for field in ["maritalStatus", "SALUTATION", "salutation%20"] {
        let answer = sandbox
            .call(Method::GET, &format!("{BASE}/{field}"), None)
            .await;
        assert_error(&answer, 404, "error", "resourceNotFound", None);
    }
}

#[tokio::test]
async fn reference_data_needs_the_bank_headers() {
    let sandbox = Sandbox::instant().await;
    let mut request = sandbox
        .request(Method::GET, &format!("{BASE}/salutation"))
        .body(axum::body::Body::empty())
        .unwrap();
    request.headers_mut().remove("countrycode");
    let answer = sandbox.send(request).await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("countryCode"),
    );
}

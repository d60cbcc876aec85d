//! Market routing: each of the twelve markets is served on the API the bank's Lead Capture
//! journey assigns it, and every other API answers its calls with the bank's error, naming
//! the API that does take it.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

/// A create body any market's reference data accepts.
fn plain_create() -> Value {
    json!({
        "product": product(),
        "applicant": {
            "name": { "givenName": "Alex", "surname": "Tan" },
            "phone": [{ "phoneType": "MOBILE", "phoneCountryCode": "65", "phoneNumber": "91234567" }],
            "consentDetails": [{ "consentType": "TERMS_AND_CONDITIONS", "isConsentGiven": true }]
        }
    })
}

/// Asserts the bank's refusal of a market on the wrong API, naming the right call.
#[track_caller]
fn assert_refused(answer: &(StatusCode, Value), market: &str, right_path: &str) {
    assert_error(
        answer,
        400,
        "invalid",
        "invalidRequest",
        Some("countryCode"),
    );
    let details = answer.1["errors"][0]["details"].as_str().unwrap();
    assert!(details.contains(&format!("{market} (")), "{details}");
    assert!(details.contains(right_path), "{details}");
}

fn in_market(code: &'static str) -> Market {
    Market { code, ..SG }
}

#[tokio::test]
async fn apac_application_paths_refuse_emea_and_prospect_markets() {
    let sandbox = Sandbox::instant().await;
    let existing = sandbox.create("Tan").await;
    let calls = [
        (Method::POST, APPLICATIONS.to_owned()),
        (Method::PUT, format!("{APPLICATIONS}/{}", existing.id)),
        (
            Method::POST,
            format!("{APPLICATIONS}/{}/backgroundScreening", existing.id),
        ),
        (
            Method::POST,
            format!("{APPLICATIONS}/{}/inPrincipleApprovals", existing.id),
        ),
    ];
    for (market, right) in [
        ("PL", "/v1/emea/onboarding/applications"),
        ("RU", "/v1/emea/onboarding/applications"),
        ("AE", "/v1/emea/onboarding/applications"),
        ("ID", "/v1/apac/onboarding/prospects"),
        ("TH", "/v1/apac/onboarding/prospects"),
        ("VN", "/v1/apac/onboarding/prospects"),
    ] {
        for (method, path) in &calls {
            let answer = sandbox
                .call_in(
                    in_market(market),
                    method.clone(),
                    path,
                    Some(plain_create()),
                )
                .await;
            assert_refused(&answer, market, right);
        }
    }
    let sent = sandbox.notifications(None).await;
    assert_eq!(sent.len(), 2, "only the SG create's SMS and e-mail");
    assert!(sent.iter().all(|m| m["reference"] == existing.id.as_str()));
}

#[tokio::test]
async fn emea_paths_refuse_apac_and_prospect_markets() {
    let sandbox = Sandbox::instant().await;
    for (market, right) in [
        ("SG", "/v1/apac/onboarding/products/unsecured/applications"),
        ("HK", "/v1/apac/onboarding/products/unsecured/applications"),
        ("IN", "/v1/apac/onboarding/products/unsecured/applications"),
        ("TH", "/v1/apac/onboarding/prospects"),
    ] {
        let answer = sandbox
            .call_in(
                in_market(market),
                Method::POST,
                EMEA_APPLICATIONS,
                Some(plain_create()),
            )
            .await;
        assert_refused(&answer, market, right);
        let ipa = sandbox
            .call_in(
                in_market(market),
                Method::POST,
                &format!("{EMEA_APPLICATIONS}/123456789012/inPrincipleApprovals"),
                Some(json!({ "controlFlowId": "x" })),
            )
            .await;
        assert_refused(&ipa, market, right);
    }
}

#[tokio::test]
async fn the_market_is_checked_after_the_other_headers() {
    let sandbox = Sandbox::instant().await;
    let mut request = sandbox
        .request_in(in_market("PL"), Method::POST, APPLICATIONS)
        .body(axum::body::Body::from(plain_create().to_string()))
        .unwrap();
    request.headers_mut().remove("uuid");
    assert_error(
        &sandbox.send(request).await,
        400,
        "invalid",
        "invalidRequest",
        Some("uuid"),
    );
    // A body the API cannot read still gets the market's refusal first.
    let answer = sandbox
        .call_in(
            in_market("PL"),
            Method::POST,
            APPLICATIONS,
            Some(json!({ "no": "body" })),
        )
        .await;
    assert_refused(&answer, "PL", "/v1/emea/onboarding/applications");
}

#[tokio::test]
async fn every_apac_application_market_opens_applications() {
    let sandbox = Sandbox::instant().await;
    for market in ["AU", "HK", "IN", "MY", "PH", "SG"] {
        let (status, body) = sandbox
            .call_in(
                in_market(market),
                Method::POST,
                APPLICATIONS,
                Some(plain_create()),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{market} {body}");
    }
}

#[tokio::test]
async fn an_application_is_not_found_from_another_market() {
    let sandbox = Sandbox::instant().await;
    let app = sandbox.create("Tan").await;
    let answer = sandbox
        .call_in(
            HK,
            Method::PUT,
            &format!("{APPLICATIONS}/{}", app.id),
            Some(json!({ "applicant": {}, "controlFlowId": app.control_flow_id })),
        )
        .await;
    assert_error(&answer, 404, "error", "resourceNotFound", None);
    let (status, _) = sandbox.update(&app, identity()).await;
    assert_eq!(status, StatusCode::OK, "still there in SG");
}

#[tokio::test]
async fn codes_of_another_market_are_refused() {
    let sandbox = Sandbox::instant().await;
    let mut hk_identity = identity();
    hk_identity.identification_document_details[0].id_type = "HKID".into();
    let app = sandbox.create("Tan").await;
    let answer = sandbox.update(&app, hk_identity).await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("applicant.identificationDocumentDetails[0].idType"),
    );
    // MDM is a Singapore salutation, not a Hong Kong one.
    let mut hk_create = create_body("Chan");
    hk_create["applicant"]["name"]["salutation"] = json!("MDM");
    let answer = sandbox
        .call_in(HK, Method::POST, APPLICATIONS, Some(hk_create))
        .await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("applicant.name.salutation"),
    );
}

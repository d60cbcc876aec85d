//! The EMEA onboarding API for Poland, Russia and the UAE: the APAC journey (create,
//! update, screening, in-principle approval) on the EMEA paths, decided by the same rules.

use crate::support::*;
use axum::http::{Method, StatusCode};
use bank_api::InPrincipleApprovalResponse;
use serde_json::json;

#[tokio::test]
async fn poland_russia_and_the_uae_are_approved_on_the_emea_api() {
    let sandbox = Sandbox::instant().await;
    for market in [PL, RU, AE] {
        let applicant = customer_in(market, "Anna", "Nowak", None);
        let (app, (status, body)) = sandbox
            .decided_in(market, applicant, "EMPLOYED", 60_000.0)
            .await;
        assert_eq!(status, StatusCode::OK, "{} {body}", market.code);
        let ipa: InPrincipleApprovalResponse = serde_json::from_value(body).unwrap();
        assert_eq!(ipa.application_stage, "APPROVAL");
        let decision = &ipa.requested_product_decision[0];
        assert_eq!(decision.credit_decision.as_deref(), Some("000"));
        assert_eq!(
            decision.credit_specific_recommendations[0].recommended_credit_limit,
            Some(10_000.0)
        );
        assert!(ipa.ipa_expiry_date.is_some());
        let shown = sandbox.inspect(&app).await;
        assert_eq!(shown["market"], market.code);
        assert_eq!(shown["creditDecision"], "000");
    }
}

#[tokio::test]
async fn poland_russia_and_the_uae_are_declined_by_the_same_rules() {
    let sandbox = Sandbox::instant().await;
    for market in [PL, RU, AE] {
        let by_surname = customer_in(market, "Anna", "Decline", None);
        let (_, (status, body)) = sandbox
            .decided_in(market, by_surname, "EMPLOYED", 60_000.0)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["applicationStage"], "REJECTED");
        assert_eq!(body["requestedProductDecision"][0]["creditDecision"], "003");

        let by_income = customer_in(market, "Anna", "Nowak", None);
        let (_, (status, body)) = sandbox
            .decided_in(market, by_income, "EMPLOYED", 29_999.0)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["requestedProductDecision"][0]["creditDecision"], "003");
    }
}

#[tokio::test]
async fn the_emea_ipa_keeps_the_order_of_calls_and_the_test_surnames() {
    let sandbox = Sandbox::instant().await;
    let app = sandbox
        .create_in(PL, customer_in(PL, "Jan", "Kowalski", None))
        .await;
    let answer = sandbox
        .call_in(
            PL,
            Method::POST,
            &format!("{EMEA_APPLICATIONS}/{}/inPrincipleApprovals", app.id),
            Some(json!({ "controlFlowId": app.control_flow_id })),
        )
        .await;
    assert_error(
        &answer,
        400,
        "error",
        "performBackgroundScreeningFirst",
        None,
    );

    let manual = customer_in(RU, "Ivan", "applicationNeedsManualReview", None);
    let (app, answer) = sandbox.decided_in(RU, manual, "EMPLOYED", 60_000.0).await;
    assert_error(&answer, 400, "error", "applicationNeedsManualReview", None);
    let submitted = sandbox
        .call_in(
            RU,
            Method::POST,
            &format!("{EMEA_APPLICATIONS}/{}/submission", app.id),
            Some(json!({ "controlFlowId": app.control_flow_id })),
        )
        .await;
    assert_eq!(
        submitted,
        (StatusCode::OK, json!({ "applicationStage": "SUBMITTED" }))
    );
}

#[tokio::test]
async fn an_emea_create_is_refused_for_singapore_and_an_sg_application_is_not_emeas() {
    let sandbox = Sandbox::instant().await;
    let answer = sandbox
        .call_in(
            SG,
            Method::POST,
            EMEA_APPLICATIONS,
            Some(create_body("Tan")),
        )
        .await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("countryCode"),
    );
    let details = answer.1["errors"][0]["details"].as_str().unwrap();
    assert!(details.contains("SG (Singapore)"), "{details}");
    assert!(
        details.contains("/v1/apac/onboarding/products/unsecured/applications"),
        "{details}"
    );

    // An application opened on the APAC API is not the EMEA API's, whatever the market says.
    let app = sandbox.create("Tan").await;
    let answer = sandbox
        .call_in(
            PL,
            Method::PUT,
            &format!("{EMEA_APPLICATIONS}/{}", app.id),
            Some(json!({ "applicant": {}, "controlFlowId": app.control_flow_id })),
        )
        .await;
    assert_error(&answer, 404, "error", "resourceNotFound", None);
}

#[tokio::test]
async fn an_emea_create_needs_the_country_code() {
    let sandbox = Sandbox::instant().await;
    let mut request = sandbox
        .request_in(PL, Method::POST, EMEA_APPLICATIONS)
        .body(axum::body::Body::from(create_body("Nowak").to_string()))
        .unwrap();
    request.headers_mut().remove("countrycode");
    assert_error(
        &sandbox.send(request).await,
        400,
        "invalid",
        "invalidRequest",
        Some("countryCode"),
    );
}

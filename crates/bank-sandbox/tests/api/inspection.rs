//! The sandbox's own inspection routes.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

#[tokio::test]
async fn inspection_lists_applications_in_creation_order() {
    let sandbox = Sandbox::instant().await;
    let empty = sandbox
        .send(
            Request::get("/sandbox/applications")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(empty, (StatusCode::OK, json!([])));

    let first = sandbox.create("Tan").await;
    let second = sandbox.screened("Lim", "EMPLOYED", 150_000.0).await;
    assert_eq!(sandbox.ipa(&second).await.0, StatusCode::OK);
    let third = sandbox.create("Ng").await;

    let (status, body) = sandbox
        .send(
            Request::get("/sandbox/applications")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!([
            { "applicationId": first.id, "market": "SG", "language": "en", "surname": "Tan", "stage": "BASIC_DETAILS",
              "creditDecision": null, "recommendedCreditLimit": null, "acceptedOffers": [] },
            { "applicationId": second.id, "market": "SG", "language": "en", "surname": "Lim", "stage": "APPROVAL",
              "creditDecision": "000", "recommendedCreditLimit": 50000.0, "acceptedOffers": [] },
            { "applicationId": third.id, "market": "SG", "language": "en", "surname": "Ng", "stage": "BASIC_DETAILS",
              "creditDecision": null, "recommendedCreditLimit": null, "acceptedOffers": [] },
        ])
    );
}

#[tokio::test]
async fn inspecting_an_unknown_application_is_not_found() {
    let sandbox = Sandbox::instant().await;
    let answer = sandbox
        .send(
            Request::get("/sandbox/applications/000000000000")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_error(&answer, 404, "error", "resourceNotFound", None);
}

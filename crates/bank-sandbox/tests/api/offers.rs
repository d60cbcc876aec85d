//! Counter-offers, cross-sell offers and their acceptance, and the full submission after
//! `applicationNeedsManualReview`.

use crate::support::*;
use axum::http::{Method, StatusCode};
use bank_api::{paths, InPrincipleApprovalResponse};
use bank_sandbox::{CROSS_SELL_PRODUCT, OTHER_CARD_PRODUCT};
use serde_json::{json, Value};

const API: &str = "/api";

async fn decided(sandbox: &Sandbox, surname: &str) -> (App, InPrincipleApprovalResponse) {
    let app = sandbox.screened(surname, "EMPLOYED", 60_000.0).await;
    let (status, body) = sandbox.ipa(&app).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (app, serde_json::from_value(body).unwrap())
}

async fn accept(sandbox: &Sandbox, app: &App, offers: Value) -> (StatusCode, Value) {
    sandbox
        .call(
            Method::POST,
            &format!("{API}{}", paths::offer_acceptance(&app.id)),
            Some(json!({ "controlFlowId": app.control_flow_id, "acceptedOffers": offers })),
        )
        .await
}

async fn submit(sandbox: &Sandbox, app: &App) -> (StatusCode, Value) {
    sandbox
        .call(
            Method::POST,
            &format!("{API}{}", paths::submission(&app.id)),
            Some(json!({ "controlFlowId": app.control_flow_id })),
        )
        .await
}

#[tokio::test]
async fn the_counteroffer_surname_rejects_the_card_with_a_lower_limit_and_another_card() {
    let sandbox = Sandbox::instant().await;
    let (app, ipa) = decided(&sandbox, "Counteroffer").await;
    assert_eq!(ipa.application_stage, "COUNTER_OFFER");
    assert_eq!(
        ipa.requested_product_decision[0].credit_decision.as_deref(),
        Some("003")
    );
    assert!(ipa.ipa_expiry_date.is_some(), "offers lapse on a date");
    let offers: Vec<_> = ipa
        .counter_offers
        .iter()
        .map(|o| {
            (
                o.offer_sequence_id.as_str(),
                o.offer_product_code.as_str(),
                o.credit_specific_recommendations[0].recommended_credit_limit,
            )
        })
        .collect();
    assert_eq!(
        offers,
        vec![
            ("1", "VC830", Some(5_000.0)),
            ("2", OTHER_CARD_PRODUCT, Some(10_000.0))
        ]
    );
    assert!(ipa.cross_sell_offers.is_empty());
    assert_eq!(sandbox.inspect(&app).await["stage"], "COUNTER_OFFER");
}

#[tokio::test]
async fn one_counter_offer_can_be_accepted_and_accepting_it_again_answers_the_same() {
    let sandbox = Sandbox::instant().await;
    let (app, _) = decided(&sandbox, "Counteroffer").await;
    let offer = json!([{ "offerSequenceId": "2", "offerProductCode": OTHER_CARD_PRODUCT }]);
    for _ in 0..2 {
        let (status, body) = accept(&sandbox, &app, offer.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({ "applicationStage": "APPROVAL" }));
    }
    let inspected = sandbox.inspect(&app).await;
    assert_eq!(inspected["acceptedOffers"], json!(["2"]));
    // Counter-offers are alternatives: the other one can no longer be taken.
    let (status, body) = accept(
        &sandbox,
        &app,
        json!([{ "offerSequenceId": "1", "offerProductCode": "VC830" }]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"][0]["code"], "invalidRequest", "{body}");
    assert_eq!(body["errors"][0]["location"], "acceptedOffers[0]", "{body}");
}

#[tokio::test]
async fn an_offer_that_was_not_made_is_refused() {
    let sandbox = Sandbox::instant().await;
    let (app, _) = decided(&sandbox, "Counteroffer").await;
    for offers in [
        json!([{ "offerSequenceId": "9", "offerProductCode": OTHER_CARD_PRODUCT }]),
        json!([{ "offerSequenceId": "2", "offerProductCode": "VC830" }]),
        json!([]),
    ] {
        let (status, body) = accept(&sandbox, &app, offers.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{offers}");
        assert_eq!(body["errors"][0]["code"], "invalidRequest", "{body}");
    }
    assert_eq!(sandbox.inspect(&app).await["acceptedOffers"], json!([]));
}

#[tokio::test]
async fn accepting_before_the_decision_is_out_of_sequence() {
    let sandbox = Sandbox::instant().await;
    let app = sandbox.screened("Counteroffer", "EMPLOYED", 60_000.0).await;
    let (status, body) = accept(
        &sandbox,
        &app,
        json!([{ "offerSequenceId": "1", "offerProductCode": "VC830" }]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["errors"][0]["code"], "invalidRequestSequence",
        "{body}"
    );
}

#[tokio::test]
async fn the_crosssell_surname_is_approved_with_a_credit_line_that_can_be_accepted() {
    let sandbox = Sandbox::instant().await;
    let (app, ipa) = decided(&sandbox, "Crosssell").await;
    assert_eq!(ipa.application_stage, "APPROVAL");
    let product = &ipa.requested_product_decision[0];
    assert_eq!(product.credit_decision.as_deref(), Some("000"));
    assert_eq!(
        product.credit_specific_recommendations[0].recommended_credit_limit,
        Some(10_000.0)
    );
    assert!(ipa.counter_offers.is_empty());
    let offer = &ipa.cross_sell_offers[0];
    assert_eq!(offer.offer_product_code, CROSS_SELL_PRODUCT);
    assert_eq!(
        offer.credit_specific_recommendations[0].recommended_credit_limit,
        Some(5_000.0)
    );
    let (status, body) = accept(
        &sandbox,
        &app,
        json!([{ "offerSequenceId": "1", "offerProductCode": CROSS_SELL_PRODUCT }]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(sandbox.inspect(&app).await["acceptedOffers"], json!(["1"]));
}

#[tokio::test]
async fn manual_review_is_followed_by_the_full_submission() {
    let sandbox = Sandbox::instant().await;
    let app = sandbox
        .screened("applicationNeedsManualReview", "EMPLOYED", 60_000.0)
        .await;
    let (status, body) = sandbox.ipa(&app).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["errors"][0]["code"], "applicationNeedsManualReview",
        "{body}"
    );
    assert_eq!(sandbox.inspect(&app).await["stage"], "AWAITING_SUBMISSION");
    for _ in 0..2 {
        let (status, body) = submit(&sandbox, &app).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({ "applicationStage": "SUBMITTED" }));
    }
    // Submitted applications are with the underwriters: no IPA any more.
    let (status, body) = sandbox.ipa(&app).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["errors"][0]["code"], "invalidRequestSequence",
        "{body}"
    );
}

#[tokio::test]
async fn a_submission_without_manual_review_is_out_of_sequence() {
    let sandbox = Sandbox::instant().await;
    let (app, _) = decided(&sandbox, "Tan").await;
    let (status, body) = submit(&sandbox, &app).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["errors"][0]["code"], "invalidRequestSequence",
        "{body}"
    );
    assert_eq!(sandbox.inspect(&app).await["stage"], "APPROVAL");
}

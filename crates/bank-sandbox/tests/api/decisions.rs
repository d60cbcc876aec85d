//! Whole journeys to each credit decision.

use crate::support::*;
use axum::http::StatusCode;
use bank_api::{CreditDecision, InPrincipleApprovalResponse};
use serde_json::{json, Value};
use std::time::{SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 of a YYYY-MM-DD date (days-from-civil), to check expiry dates
/// independently of the sandbox's own calendar.
fn days_from_civil(date: &str) -> i64 {
    let parts: Vec<i64> = date.split('-').map(|p| p.parse().unwrap()).collect();
    let (y, m, d) = (parts[0] - i64::from(parts[1] <= 2), parts[1], parts[2]);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn today() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    i64::try_from(secs / 86_400).unwrap()
}

/// Runs a whole journey and reads the IPA.
async fn decided(
    sandbox: &Sandbox,
    surname: &str,
    status: &str,
    income: f64,
) -> (App, InPrincipleApprovalResponse) {
    let app = sandbox.screened(surname, status, income).await;
    let (code, body) = sandbox.ipa(&app).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    (app, serde_json::from_value(body).unwrap())
}

#[track_caller]
fn assert_not_approved(ipa: &InPrincipleApprovalResponse, stage: &str, decision: CreditDecision) {
    assert_eq!(ipa.application_stage, stage);
    assert_eq!(ipa.ipa_expiry_date, None);
    let product = &ipa.requested_product_decision[0];
    assert_eq!(product.credit_decision.as_deref(), Some(decision.code()));
    assert!(product.credit_specific_recommendations.is_empty());
}

#[tokio::test]
async fn an_employed_applicant_is_approved_with_a_limit_and_an_expiry_date() {
    let sandbox = Sandbox::instant().await;
    let before = today();
    let app = sandbox.screened("Tan", "EMPLOYED", 60_000.0).await;
    let (status, body) = sandbox.ipa(&app).await;
    let after = today();
    assert_eq!(status, StatusCode::OK, "{body}");
    let expiry = body["ipaExpiryDate"].as_str().unwrap().to_owned();
    assert!(
        (before + 30..=after + 30).contains(&days_from_civil(&expiry)),
        "{expiry}"
    );
    assert_eq!(
        body,
        json!({
            "applicationStage": "APPROVAL",
            "ipaExpiryDate": expiry,
            "requestedProductDecision": [{
                "productCode": "VC830",
                "organisationCode": "888",
                "sourceCode": "WW5ARCE1",
                "creditDecision": "000",
                "creditSpecificRecommendations": [{ "recommendedCreditLimit": 10000.0 }]
            }]
        })
    );
    let shown = sandbox.inspect(&app).await;
    assert_eq!(
        shown,
        json!({
            "applicationId": app.id,
            "market": "SG",
            "language": "en",
            "acceptedOffers": [],
            "surname": "Tan",
            "stage": "APPROVAL",
            "creditDecision": "000",
            "recommendedCreditLimit": 10000.0
        })
    );
}

#[tokio::test]
async fn a_high_income_is_approved_with_four_months_of_income() {
    let sandbox = Sandbox::instant().await;
    let (_, ipa) = decided(&sandbox, "Tan", "EMPLOYED", 150_000.0).await;
    let limit = ipa.requested_product_decision[0].credit_specific_recommendations[0]
        .recommended_credit_limit;
    assert_eq!(limit, Some(50_000.0));
    let (_, ipa) = decided(&sandbox, "Tan", "EMPLOYED", 900_000.0).await;
    let limit = ipa.requested_product_decision[0].credit_specific_recommendations[0]
        .recommended_credit_limit;
    assert_eq!(limit, Some(200_000.0), "capped");
}

#[tokio::test]
async fn a_self_employed_applicant_is_referred() {
    let sandbox = Sandbox::instant().await;
    let (app, ipa) = decided(&sandbox, "Tan", "SELF_EMPLOYED", 80_000.0).await;
    assert_not_approved(&ipa, "MANUAL_REVIEW", CreditDecision::Referred);
    let shown = sandbox.inspect(&app).await;
    assert_eq!(shown["creditDecision"], "002");
    assert_eq!(shown["recommendedCreditLimit"], Value::Null);
}

#[tokio::test]
async fn a_retired_applicant_is_referred() {
    let sandbox = Sandbox::instant().await;
    let (_, ipa) = decided(&sandbox, "Tan", "RETIRED", 80_000.0).await;
    assert_not_approved(&ipa, "MANUAL_REVIEW", CreditDecision::Referred);
}

#[tokio::test]
async fn an_income_below_30000_is_rejected() {
    let sandbox = Sandbox::instant().await;
    let (app, ipa) = decided(&sandbox, "Tan", "EMPLOYED", 29_999.0).await;
    assert_not_approved(&ipa, "REJECTED", CreditDecision::Rejected);
    assert_eq!(sandbox.inspect(&app).await["creditDecision"], "003");
}

#[tokio::test]
async fn the_unemployed_and_students_are_rejected() {
    let sandbox = Sandbox::instant().await;
    for status in ["UNEMPLOYED", "STUDENT"] {
        let (_, ipa) = decided(&sandbox, "Tan", status, 250_000.0).await;
        assert_not_approved(&ipa, "REJECTED", CreditDecision::Rejected);
    }
}

#[tokio::test]
async fn the_referral_surname_is_referred() {
    let sandbox = Sandbox::instant().await;
    let (_, ipa) = decided(&sandbox, "Referral", "EMPLOYED", 250_000.0).await;
    assert_not_approved(&ipa, "MANUAL_REVIEW", CreditDecision::Referred);
}

#[tokio::test]
async fn the_decline_surname_is_rejected() {
    let sandbox = Sandbox::instant().await;
    let (_, ipa) = decided(&sandbox, "DECLINE", "EMPLOYED", 250_000.0).await;
    assert_not_approved(&ipa, "REJECTED", CreditDecision::Rejected);
}

//! A partner whose provider is connectFi: the customer's KYC status, the credit
//! application and every decision it can give, through the sandbox's connectFi.

use crate::helpers::{about_you_form, finances_form, identity_form, spawn_app, TestApp, FINTECH};
use connectfi_api::paths;
use onboarding_core::api::{ErrorCode, Journey, Progress};
use onboarding_core::{CreditLimit, Decision, DeclineReason, Stage};
use serde_json::Value;

/// A session of the connectFi placement for this customer (placed by the partner's
/// server), through stage 1.
pub async fn after_stage_one(app: &TestApp, customer: &str) -> (String, Journey, Progress) {
    let token = crate::placements::placed_customer(app, customer).await;
    let journey = app.start_placed(FINTECH, &token).await;
    let started: onboarding_core::api::SessionStarted =
        serde_json::from_str(&journey.body).unwrap();
    let progress = app
        .about_you(&started.token, &about_you_form(&started.journey, "Tan"))
        .await
        .progress();
    (started.token, started.journey, progress)
}

/// Stage 3 for a customer connectFi has verified: the decision.
pub async fn decided(app: &TestApp, customer: &str, status: &str, income: &str) -> Decision {
    let (token, journey, progress) = after_stage_one(app, customer).await;
    assert_eq!(progress.stage, Stage::Finances, "{progress:?}");
    let reference = progress.reference.expect("a reference after stage 1");
    let progress = app
        .finances(&token, &reference, &finances_form(&journey, status, income))
        .await
        .progress();
    assert_eq!(progress.stage, Stage::Result);
    progress.decision.expect("stage 3 answers the decision")
}

async fn connectfi_applications(app: &TestApp) -> Vec<Value> {
    app.client
        .get(format!(
            "{}/sandbox/connectfi/applications",
            app.bank.origin
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_verified_customer_skips_the_identity_stage_and_is_approved_by_connectfi() {
    let app = spawn_app().await;
    let (token, journey, progress) = after_stage_one(&app, "cstap_7uvAC6nLftLGCq7yic3TfI").await;
    assert_eq!(journey.stages, vec![Stage::AboutYou, Stage::Finances]);
    assert_eq!(progress.stage, Stage::Finances);
    let reference = progress.reference.clone().unwrap();
    assert!(reference.starts_with("CF"), "{reference}");
    assert_eq!(app.bank.connectfi_calls_to(paths::KYC_STATUS), 1);
    assert_eq!(
        app.bank.calls_to("POST", bank_api::paths::APPLICATIONS),
        0,
        "nothing applied for at the bank"
    );

    app.identity(&token, &reference, &identity_form(&journey))
        .await
        .refused_with(ErrorCode::StageOutOfOrder);

    let progress = app
        .finances(
            &token,
            &reference,
            &finances_form(&journey, "EMPLOYED", "60000"),
        )
        .await
        .progress();
    assert_eq!(
        progress.decision,
        Some(Decision::Approved {
            card: None,
            credit_limit: CreditLimit {
                amount: 6_000,
                currency: "SGD".into()
            },
            expires_on: progress_expiry(&progress),
            offers: Vec::new(),
        })
    );
    assert_eq!(progress.reference.as_deref(), Some(reference.as_str()));
    let applications = connectfi_applications(&app).await;
    assert_eq!(applications.len(), 1, "{applications:?}");
    assert_eq!(
        applications[0]["request"]["customerId"],
        "cstap_7uvAC6nLftLGCq7yic3TfI"
    );
    assert_eq!(applications[0]["request"]["employer"], "Acme Pte. Ltd.");
    assert_eq!(applications[0]["request"]["totalAnnualIncome"], 60000.0);
    assert_eq!(
        applications[0]["request"]["totalAnnualIncomeCurrency"],
        "SGD"
    );
    // A reload shows the decision without applying again.
    assert_eq!(
        crate::helpers::unsigned(app.current(&token).await.journey().progress),
        crate::helpers::unsigned(progress.clone())
    );
    assert_eq!(app.bank.connectfi_calls_to(paths::CREDIT_APPLICATION), 1);
}

fn progress_expiry(progress: &Progress) -> String {
    match &progress.decision {
        Some(Decision::Approved { expires_on, .. }) => expires_on.clone(),
        other => panic!("approved: {other:?}"),
    }
}

#[tokio::test]
async fn a_connectfi_placement_takes_its_customer_only_from_the_partners_server() {
    // Each id's rule is checked when the server places it (see placements.rs); the widget
    // cannot start a connectFi session without a placement.
    let app = spawn_app().await;
    app.start_refused(FINTECH, None, "opens only with a placement token")
        .await;
}

#[tokio::test]
async fn a_customer_connectfi_has_not_verified_is_told_after_stage_one() {
    let app = spawn_app().await;
    for customer in [
        "cstap_sandboxKycDenied",
        "cstap_sandboxKycPending",
        "cstap_sandboxKycPartial",
    ] {
        let (_, _, progress) = after_stage_one(&app, customer).await;
        assert_eq!(progress.stage, Stage::Result, "{customer}");
        assert_eq!(
            progress.decision,
            Some(Decision::Declined {
                reasons: vec![DeclineReason::IdentityNotVerified]
            }),
            "{customer}"
        );
    }
    assert!(connectfi_applications(&app).await.is_empty());
}

#[tokio::test]
async fn connectfi_declines_are_shown_with_their_reasons() {
    let app = spawn_app().await;
    let cases = [
        (
            "cstap_sandboxDecline",
            "60000",
            DeclineReason::DelinquentCredit,
        ),
        ("cstap_sandboxFreeze", "60000", DeclineReason::CreditFreeze),
        (
            "cstap_lowIncome",
            "15000",
            DeclineReason::InsufficientIncome,
        ),
    ];
    for (customer, income, reason) in cases {
        let decision = decided(&app, customer, "EMPLOYED", income).await;
        assert_eq!(
            decision,
            Decision::Declined {
                reasons: vec![reason]
            },
            "{customer}"
        );
    }
}

#[tokio::test]
async fn customers_without_an_employer_are_described_by_their_status() {
    let app = spawn_app().await;
    let (token, journey, progress) = after_stage_one(&app, "cstap_retired").await;
    let mut form = finances_form(&journey, "RETIRED", "80000");
    form.employer_name = String::new();
    let reference = progress.reference.unwrap();
    let progress = app.finances(&token, &reference, &form).await.progress();
    assert!(matches!(progress.decision, Some(Decision::Approved { .. })));
    let applications = connectfi_applications(&app).await;
    let employer = applications[0]["request"]["employer"].as_str().unwrap();
    assert!(employer.to_lowercase().contains("retired"), "{employer}");
}

#[tokio::test]
async fn a_failed_credit_application_is_not_retried_and_the_customer_can_try_again() {
    let app = spawn_app().await;
    let (token, journey, progress) = after_stage_one(&app, "cstap_retryLater").await;
    let reference = progress.reference.unwrap();
    app.bank
        .set_faults(&app.client, serde_json::json!({ "failEvery": 1 }))
        .await;
    let form = finances_form(&journey, "EMPLOYED", "60000");
    app.finances(&token, &reference, &form)
        .await
        .refused_with(ErrorCode::BankUnavailable);
    // connectFi opens an application per request: one attempt only.
    assert_eq!(app.bank.connectfi_calls_to(paths::CREDIT_APPLICATION), 1);
    app.bank
        .set_faults(&app.client, serde_json::json!({}))
        .await;
    let progress = app.finances(&token, &reference, &form).await.progress();
    assert!(matches!(progress.decision, Some(Decision::Approved { .. })));
    assert_eq!(connectfi_applications(&app).await.len(), 1);
}

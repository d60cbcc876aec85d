//! The order the bank enforces: screening first, a result only once screening completes,
//! and one decision per application.

use crate::support::*;
use axum::http::StatusCode;
use bank_sandbox::SandboxConfig;
use std::time::Duration;

#[tokio::test]
async fn an_ipa_before_screening_is_perform_background_screening_first() {
    let sandbox = Sandbox::instant().await;
    let app = sandbox.create("Tan").await;
    sandbox.update(&app, identity()).await;
    sandbox.update(&app, finances("EMPLOYED", 60_000.0)).await;
    let answer = sandbox.ipa(&app).await;
    assert_error(
        &answer,
        400,
        "error",
        "performBackgroundScreeningFirst",
        None,
    );
}

#[tokio::test]
async fn an_ipa_while_screening_runs_is_awaiting_the_result() {
    let sandbox = Sandbox::new(SandboxConfig {
        screening_delay: Duration::from_secs(600),
        ..SandboxConfig::default()
    })
    .await;
    let app = sandbox.screened("Tan", "EMPLOYED", 60_000.0).await;
    for _ in 0..2 {
        let answer = sandbox.ipa(&app).await;
        assert_error(
            &answer,
            400,
            "error",
            "awaitingBackgroundScreeningResult",
            None,
        );
    }
    assert_eq!(sandbox.inspect(&app).await["stage"], "BACKGROUND_SCREENING");
}

#[tokio::test]
async fn screening_completes_after_the_configured_delay() {
    let sandbox = Sandbox::new(SandboxConfig {
        screening_delay: Duration::from_millis(400),
        ..SandboxConfig::default()
    })
    .await;
    let app = sandbox.screened("Tan", "EMPLOYED", 60_000.0).await;
    let answer = sandbox.ipa(&app).await;
    assert_error(
        &answer,
        400,
        "error",
        "awaitingBackgroundScreeningResult",
        None,
    );
    // Asking for screening again does not restart it: 450 ms after the first request the
    // result is there, though only 300 ms after the second.
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(sandbox.screen(&app).await.0, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, body) = sandbox.ipa(&app).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["requestedProductDecision"][0]["creditDecision"], "000");
}

#[tokio::test]
async fn a_second_ipa_is_already_given() {
    let sandbox = Sandbox::instant().await;
    let app = sandbox.screened("Tan", "EMPLOYED", 60_000.0).await;
    assert_eq!(sandbox.ipa(&app).await.0, StatusCode::OK);
    let answer = sandbox.ipa(&app).await;
    assert_error(
        &answer,
        400,
        "error",
        "inPrincipalApprovalAlreadyGiven",
        None,
    );
    // A rejection is a decision too.
    let declined = sandbox.screened("Decline", "EMPLOYED", 60_000.0).await;
    assert_eq!(sandbox.ipa(&declined).await.0, StatusCode::OK);
    let answer = sandbox.ipa(&declined).await;
    assert_error(
        &answer,
        400,
        "error",
        "inPrincipalApprovalAlreadyGiven",
        None,
    );
}

#[tokio::test]
async fn screening_after_the_decision_is_out_of_sequence() {
    let sandbox = Sandbox::instant().await;
    let app = sandbox.screened("Tan", "EMPLOYED", 60_000.0).await;
    assert_eq!(sandbox.ipa(&app).await.0, StatusCode::OK);
    let answer = sandbox.screen(&app).await;
    assert_error(&answer, 400, "error", "invalidRequestSequence", None);
}

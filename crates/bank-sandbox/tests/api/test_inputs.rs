//! Surnames that make the IPA answer one of the swagger's error codes, once the order of
//! calls is right. Nothing is remembered, so the same error answers every retry.

use crate::support::*;
use bank_api::BankErrorCode;
use bank_sandbox::SandboxConfig;
use std::time::Duration;

/// Runs a whole journey for `surname` and checks the IPA answers `code` twice.
async fn assert_surname_answers(surname: &str, code: BankErrorCode) {
    let sandbox = Sandbox::instant().await;
    let app = sandbox.screened(surname, "EMPLOYED", 60_000.0).await;
    let location = (code == BankErrorCode::InvalidRequest).then_some("applicant.name.surname");
    let kind = serde_json::to_value(code.kind()).unwrap();
    for _ in 0..2 {
        let answer = sandbox.ipa(&app).await;
        assert_error(
            &answer,
            code.http_status(),
            kind.as_str().unwrap(),
            code.code(),
            location,
        );
        assert_eq!(answer.1["errors"][0]["details"], code.details());
    }
    let shown = sandbox.inspect(&app).await;
    // Only manual review, after which the bank waits for the full submission, and an
    // outright rejection change the stage.
    let stage = match code {
        BankErrorCode::ApplicationNeedsManualReview => "AWAITING_SUBMISSION",
        BankErrorCode::ApplicationRejected => "REJECTED",
        _ => "BACKGROUND_SCREENING",
    };
    assert_eq!(shown["stage"], stage);
    assert_eq!(shown["creditDecision"], serde_json::Value::Null);
}

macro_rules! surname_tests {
    ($($name:ident: $surname:literal => $code:ident;)*) => {$(
        #[tokio::test]
        async fn $name() {
            assert_surname_answers($surname, BankErrorCode::$code).await;
        }
    )*};
}

surname_tests! {
    surname_invalid_request: "invalidRequest" => InvalidRequest;
    surname_application_rejected: "applicationRejected" => ApplicationRejected;
    surname_application_needs_manual_review: "applicationNeedsManualReview" => ApplicationNeedsManualReview;
    surname_awaiting_background_screening_result: "awaitingBackgroundScreeningResult" => AwaitingBackgroundScreeningResult;
    surname_perform_background_screening_first: "performBackgroundScreeningFirst" => PerformBackgroundScreeningFirst;
    surname_in_principal_approval_already_given: "inPrincipalApprovalAlreadyGiven" => InPrincipalApprovalAlreadyGiven;
    surname_product_agreement_expired: "productAgreementExpired" => ProductAgreementExpired;
    surname_invalid_request_sequence: "invalidRequestSequence" => InvalidRequestSequence;
    surname_ipa_not_initiated: "ipaNotInitiated" => IpaNotInitiated;
    surname_ipa_failed: "ipaFailed" => IpaFailed;
    surname_un_authorized: "unAuthorized" => UnAuthorized;
    surname_access_not_configured: "accessNotConfigured" => AccessNotConfigured;
    surname_server_unavailable: "serverUnavailable" => ServerUnavailable;
}

#[tokio::test]
async fn error_surnames_ignore_case_and_surrounding_spaces() {
    assert_surname_answers(" IPAFAILED ", BankErrorCode::IpaFailed).await;
}

#[tokio::test]
async fn an_error_surname_still_needs_screening_first() {
    let sandbox = Sandbox::instant().await;
    let app = sandbox.create("ipaFailed").await;
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
async fn the_awaiting_surname_never_completes_screening() {
    let sandbox = Sandbox::new(SandboxConfig {
        screening_delay: Duration::from_millis(20),
        ..SandboxConfig::default()
    })
    .await;
    let app = sandbox
        .screened("awaitingBackgroundScreeningResult", "EMPLOYED", 60_000.0)
        .await;
    tokio::time::sleep(Duration::from_millis(60)).await;
    for _ in 0..3 {
        let answer = sandbox.ipa(&app).await;
        assert_error(
            &answer,
            400,
            "error",
            "awaitingBackgroundScreeningResult",
            None,
        );
    }
}

//! What the customer is told for every error code of the bank's IPA swagger. The sandbox
//! answers the IPA with the error code an applicant's surname names.

use crate::helpers::{finances_form, spawn_app, TestApp, DECISION_WAIT};
use bank_api::{paths, BankErrorCode};
use onboarding_core::api::ErrorCode;
use onboarding_core::{Decision, Stage};
use std::time::{Duration, Instant};

/// The widget-facing answer to a bank error code.
#[derive(Debug, Clone, PartialEq)]
enum Expected {
    /// 200 with this decision.
    Decided(Decision),
    /// An API error with this code (its status and retryability follow from the code).
    Fails(ErrorCode),
}

/// The designed table (see `outcome_of` in the BFF's journey/decision.rs), written out
/// again here so that a change of the BFF's table fails this test. The match is exhaustive:
/// a new code in the swagger does not compile until its answer is designed.
fn designed(code: BankErrorCode) -> Expected {
    use BankErrorCode::*;
    match code {
        ApplicationRejected => Expected::Decided(Decision::declined()),
        ApplicationNeedsManualReview => Expected::Decided(Decision::UnderReview),
        IpaNotInitiated => Expected::Decided(Decision::Referred),
        AwaitingBackgroundScreeningResult => Expected::Fails(ErrorCode::DecisionPending),
        PerformBackgroundScreeningFirst => Expected::Fails(ErrorCode::BankUnavailable),
        InvalidRequest => Expected::Fails(ErrorCode::DetailsRejected),
        InPrincipalApprovalAlreadyGiven => Expected::Fails(ErrorCode::AlreadyDecided),
        ProductAgreementExpired => Expected::Fails(ErrorCode::OfferExpired),
        InvalidRequestSequence
        | IpaFailed
        | UnAuthorized
        | AccessNotConfigured
        | ServerUnavailable => Expected::Fails(ErrorCode::BankUnavailable),
    }
}

#[tokio::test]
async fn every_bank_error_code_gets_its_designed_answer() {
    let app = spawn_app().await;
    // All codes at once: each journey waits on the sandbox's screening, not on the others.
    let results =
        futures_util::future::join_all(BankErrorCode::ALL.map(|code| check(&app, code))).await;
    let failures: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    assert!(
        failures.is_empty(),
        "codes answered wrongly:\n{}",
        failures.join("\n")
    );
}

/// Runs a journey whose IPA answers `code`; describes every way the answer is wrong.
async fn check(app: &TestApp, code: BankErrorCode) -> Result<(), String> {
    let name = code.code();
    let customer = app.through_identity(name).await;
    let form = finances_form(&customer.journey, "EMPLOYED", "60000");
    let started = Instant::now();
    let answer = app
        .finances(&customer.token, &customer.reference, &form)
        .await;
    let elapsed = started.elapsed();
    let mut problems = Vec::new();

    match designed(code) {
        Expected::Decided(decision) if answer.status.as_u16() == 200 => {
            let progress = answer.progress();
            if progress.stage != Stage::Result || progress.decision.as_ref() != Some(&decision) {
                problems.push(format!("expected {decision:?}, got {progress:?}"));
            }
            // The decision is kept: a reload shows it without asking the bank again.
            let resumed = app.current(&customer.token).await.journey().progress;
            if crate::helpers::unsigned(resumed.clone())
                != crate::helpers::unsigned(progress.clone())
            {
                problems.push(format!(
                    "after a reload {resumed:?} instead of {progress:?}"
                ));
            }
        }
        Expected::Decided(decision) => {
            problems.push(format!(
                "expected 200 {decision:?}, got {} {}",
                answer.status, answer.body
            ));
        }
        Expected::Fails(expected) => {
            match serde_json::from_str::<onboarding_core::api::ApiError>(&answer.body) {
                Ok(error) => {
                    if error.code != expected
                        || answer.status.as_u16() != expected.http_status()
                        || error.retryable != expected.retryable()
                    {
                        problems.push(format!(
                            "expected {} {expected:?} (retryable {}), got {} {}",
                            expected.http_status(),
                            expected.retryable(),
                            answer.status,
                            answer.body
                        ));
                    }
                    if !error.fields.is_empty() {
                        problems.push(format!("fields in a bank error: {:?}", error.fields));
                    }
                }
                Err(e) => problems.push(format!(
                    "not an ApiError ({e}): {} {}",
                    answer.status, answer.body
                )),
            }
        }
    }

    // The bank's internals stay in the BFF's logs.
    let lower = answer.body.to_ascii_lowercase();
    for internal in [
        name.to_ascii_lowercase(),
        "controlflow".into(),
        code.details().to_ascii_lowercase(),
    ] {
        if lower.contains(&internal) {
            problems.push(format!("the answer reveals {internal:?}: {}", answer.body));
        }
    }

    // Screening runs once, and once more only when the bank asks for it.
    let screenings = app
        .bank
        .calls_to("POST", &paths::background_screening(&customer.reference));
    let expected_screenings = if code == BankErrorCode::PerformBackgroundScreeningFirst {
        2
    } else {
        1
    };
    if screenings != expected_screenings {
        problems.push(format!(
            "{screenings} screening requests instead of {expected_screenings}"
        ));
    }

    if code == BankErrorCode::AwaitingBackgroundScreeningResult {
        // "Pending" comes after waiting and asking again, and within the configured wait.
        let asked = app
            .bank
            .calls_to("POST", &paths::in_principle_approvals(&customer.reference));
        if asked < 2 {
            problems.push(format!("asked for the IPA {asked} times before giving up"));
        }
        if elapsed > DECISION_WAIT + Duration::from_secs(2) {
            problems.push(format!("waited {elapsed:?}, longer than DECISION_WAIT"));
        }
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{name}: {}", problems.join("; ")))
    }
}

#[tokio::test]
async fn a_pending_decision_is_asked_for_again_without_resending_the_stage() {
    let app = spawn_app().await;
    let customer = app
        .through_identity(BankErrorCode::AwaitingBackgroundScreeningResult.code())
        .await;
    let form = finances_form(&customer.journey, "EMPLOYED", "60000");
    let update = paths::application(&customer.reference);
    let screening = paths::background_screening(&customer.reference);
    let ipa = paths::in_principle_approvals(&customer.reference);

    app.finances(&customer.token, &customer.reference, &form)
        .await
        .refused_with(ErrorCode::DecisionPending);
    let asked = app.bank.calls_to("POST", &ipa);
    // The customer is told to try again; the application is where the bank has it.
    let resumed = app.current(&customer.token).await.journey().progress;
    assert_eq!(resumed.stage, Stage::Finances);
    app.finances(&customer.token, &customer.reference, &form)
        .await
        .refused_with(ErrorCode::DecisionPending);

    // Stages 2 and 3 went to the bank once each, screening was requested once; the retry
    // only asked for the decision again.
    assert_eq!(app.bank.calls_to("PUT", &update), 2);
    assert_eq!(app.bank.calls_to("POST", &screening), 1);
    assert!(app.bank.calls_to("POST", &ipa) > asked);
}

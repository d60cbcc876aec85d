//! A slow, flaky, silent or connection-dropping bank: the customer gets a decision when
//! retries can get one, `bank_unavailable` within a bounded time when they cannot, and the
//! bank never holds a second application. Faults come from the sandbox's fault surnames
//! and from `POST /sandbox/faults`.

use crate::helpers::{about_you_form, finances_form, identity_form, spawn_app, spawn_app_with};
use bank_api::paths;
use onboarding_core::api::ErrorCode;
use onboarding_core::{Decision, Stage};
use serde_json::json;
use std::time::{Duration, Instant};

/// Quick retries, so a test waits milliseconds where production waits a second.
const QUICK_RETRIES: [(&str, &str); 4] = [
    ("BANK_TIMEOUT_MS", "1000"),
    ("BANK_RETRIES", "2"),
    ("BANK_BACKOFF_BASE_MS", "10"),
    ("BANK_BACKOFF_MAX_MS", "40"),
];

fn approved(decision: Option<&Decision>) -> bool {
    matches!(decision, Some(Decision::Approved { .. }))
}

#[tokio::test]
async fn a_flaky_bank_still_decides_with_exactly_one_application() {
    let app = spawn_app_with(&QUICK_RETRIES).await;
    // Every kind of call answers 500, then 503, then works.
    let customer = app.through_identity(bank_sandbox::FLAKY_SURNAME).await;
    app.finances_approved(&customer.token, &customer.reference, &customer.journey)
        .await;
    let at_bank = app.bank.applications(&app.client).await;
    assert_eq!(at_bank.len(), 1, "{at_bank:?}");
    assert_eq!(at_bank[0]["applicationId"], customer.reference.as_str());
    assert_eq!(app.bank.calls_to("POST", paths::APPLICATIONS), 3);
    let screening = paths::background_screening(&customer.reference);
    assert_eq!(app.bank.calls_to("POST", &screening), 3);
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_retried_into_the_same_application() {
    let app = spawn_app_with(&QUICK_RETRIES).await;
    let (token, journey) = app.start_session().await;
    // The bank stores the application, then closes the connection without answering.
    let progress = app
        .about_you(
            &token,
            &about_you_form(&journey, bank_sandbox::DROP_SURNAME),
        )
        .await
        .progress();

    let reference = progress.reference.expect("the customer gets the reference");
    let at_bank = app.bank.applications(&app.client).await;
    assert_eq!(
        at_bank.len(),
        1,
        "a retry opened a second application: {at_bank:?}"
    );
    assert_eq!(at_bank[0]["applicationId"], reference.as_str());
    assert_eq!(app.bank.calls_to("POST", paths::APPLICATIONS), 2);

    // Every later call loses its first answer too, the IPA's decision included: its retry
    // must get the decision, not "already given".
    app.identity(&token, &reference, &identity_form(&journey))
        .await
        .progress();
    let decided = app
        .finances(
            &token,
            &reference,
            &finances_form(&journey, "EMPLOYED", "60000"),
        )
        .await
        .progress();
    assert!(approved(decided.decision.as_ref()), "{decided:?}");
    assert_eq!(app.bank.applications(&app.client).await.len(), 1);
}

#[tokio::test]
async fn a_create_lost_beyond_the_retries_is_found_again_when_the_customer_retries() {
    // No retries: the one lost answer reaches the customer as "bank unavailable".
    let app = spawn_app_with(&[("BANK_RETRIES", "0")]).await;
    let (token, journey) = app.start_session().await;
    let form = about_you_form(&journey, bank_sandbox::DROP_SURNAME);
    let answer = app.about_you(&token, &form).await;
    assert!(answer.refused_with(ErrorCode::BankUnavailable).retryable);
    assert_eq!(app.bank.applications(&app.client).await.len(), 1);

    // The customer presses Continue again: a new request of the widget, the same create.
    let progress = app.about_you(&token, &form).await.progress();
    let at_bank = app.bank.applications(&app.client).await;
    assert_eq!(
        at_bank.len(),
        1,
        "the retry opened a second application: {at_bank:?}"
    );
    assert_eq!(
        at_bank[0]["applicationId"],
        progress.reference.expect("a reference").as_str()
    );
}

#[tokio::test]
async fn a_bank_that_never_answers_is_unavailable_within_a_bounded_time_then_recovers() {
    let app = spawn_app_with(&[
        ("BANK_TIMEOUT_MS", "300"),
        ("BANK_RETRIES", "1"),
        ("BANK_BACKOFF_BASE_MS", "10"),
        ("BANK_BACKOFF_MAX_MS", "20"),
    ])
    .await;
    let (token, journey) = app.start_session().await;
    let form = about_you_form(&journey, "Tan");
    app.bank
        .set_faults(&app.client, json!({ "hang": true }))
        .await;

    let started = Instant::now();
    let answer = app.about_you(&token, &form).await;
    let elapsed = started.elapsed();
    let error = answer.refused_with(ErrorCode::BankUnavailable);
    assert!(error.retryable);
    assert_eq!(answer.status.as_u16(), 503);
    // Two attempts of 300 ms and a pause of at most 20 ms, and no more.
    assert!(elapsed >= Duration::from_millis(600), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    assert_eq!(app.bank.calls_to("POST", paths::APPLICATIONS), 2);

    app.bank.set_faults(&app.client, json!({})).await;
    let progress = app.about_you(&token, &form).await.progress();
    assert_eq!(progress.stage, Stage::Identity);
    let at_bank = app.bank.applications(&app.client).await;
    assert_eq!(at_bank.len(), 1, "{at_bank:?}");
    assert_eq!(
        at_bank[0]["applicationId"],
        progress.reference.unwrap().as_str()
    );
}

#[tokio::test]
async fn latency_below_the_timeout_is_waited_for() {
    // No retries: a call given up on would fail the stage.
    let app = spawn_app_with(&[("BANK_TIMEOUT_MS", "1000"), ("BANK_RETRIES", "0")]).await;
    let started = Instant::now();
    let customer = app.through_identity(bank_sandbox::SLOW_SURNAME).await;
    // The create and the update were each late.
    assert!(
        started.elapsed() >= bank_sandbox::SLOW_LATENCY * 2,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(app.bank.applications(&app.client).await.len(), 1);
    assert!(!customer.reference.is_empty());
}

#[tokio::test]
async fn the_breaker_opens_after_repeated_failures_and_closes_after_the_cool_down() {
    let mut settings = QUICK_RETRIES.to_vec();
    settings.extend([
        ("BANK_BREAKER_FAILURES", "3"),
        ("BANK_BREAKER_COOLDOWN_MS", "500"),
    ]);
    let app = spawn_app_with(&settings).await;
    let (token, journey) = app.start_session().await;
    let form = about_you_form(&journey, "Tan");
    app.bank
        .set_faults(&app.client, json!({ "failEvery": 1 }))
        .await;

    // Three failed attempts (the first and two retries) open the breaker.
    app.about_you(&token, &form)
        .await
        .refused_with(ErrorCode::BankUnavailable);
    assert_eq!(app.bank.calls_to("POST", paths::APPLICATIONS), 3);

    // Open: the next stage fails at once, without reaching the bank, even though the bank
    // has recovered meanwhile.
    app.bank.set_faults(&app.client, json!({})).await;
    let calls = app.bank.calls_total();
    let started = Instant::now();
    let answer = app.about_you(&token, &form).await;
    assert!(answer.refused_with(ErrorCode::BankUnavailable).retryable);
    assert!(started.elapsed() < Duration::from_millis(300));
    assert_eq!(
        app.bank.calls_total(),
        calls,
        "an open breaker called the bank"
    );

    // After the cool-down a trial call goes through and closes it.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let progress = app.about_you(&token, &form).await.progress();
    let reference = progress.reference.expect("a reference");
    app.identity(&token, &reference, &identity_form(&journey))
        .await
        .progress();
    assert_eq!(app.bank.applications(&app.client).await.len(), 1);
}

#[tokio::test]
async fn a_revoked_token_is_refreshed_once_and_the_call_sent_again() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;
    let token_path = paths::token("SG");
    assert_eq!(app.bank.calls_to("POST", &token_path), 1);
    app.bank.revoke_tokens(&app.client).await;

    let progress = app
        .about_you(&token, &about_you_form(&journey, "Tan"))
        .await
        .progress();

    assert!(progress.reference.is_some());
    assert_eq!(app.bank.calls_to("POST", &token_path), 2);
    assert_eq!(app.bank.calls_to("POST", paths::APPLICATIONS), 2);
    assert_eq!(app.bank.applications(&app.client).await.len(), 1);
}

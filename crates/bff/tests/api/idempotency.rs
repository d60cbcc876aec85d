//! A repeated or concurrent stage 1 creates one application at the bank, whatever the
//! network or a double click does.

use crate::helpers::{about_you_form, identity_form, new_key, spawn_app, TestApp};
use bank_api::paths;
use onboarding_core::api::{routes, ErrorCode};
use onboarding_core::forms::IdentityForm;
use onboarding_core::Stage;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn the_same_key_twice_replays_the_first_answer() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;
    let form = about_you_form(&journey, "Tan");
    let key = new_key();

    let first = app.about_you_with_key(&token, &form, &key).await.progress();
    let second = app.about_you_with_key(&token, &form, &key).await.progress();

    assert!(first.reference.is_some());
    assert_eq!(second, first);
    assert_eq!(app.bank.applications(&app.client).await.len(), 1);
    assert_eq!(app.bank.calls_to("POST", paths::APPLICATIONS), 1);

    // A new key (the customer pressed Continue again after a reload) still finds the one
    // application of the session instead of opening a second one.
    let again = app.about_you(&token, &form).await.progress();
    assert_eq!(again.reference, first.reference);
    assert_eq!(app.bank.applications(&app.client).await.len(), 1);

    // A replay is the first answer itself, not the stage run again: after stage 2, the
    // key of stage 1 still answers "identity next", as its lost response said.
    let reference = first.reference.clone().unwrap();
    let after_two = app
        .identity(&token, &reference, &identity_form(&journey))
        .await
        .progress();
    assert_eq!(after_two.stage, Stage::Finances);
    let replayed = app.about_you_with_key(&token, &form, &key).await.progress();
    assert_eq!(replayed, first);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_stages_create_one_application() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;
    let form = about_you_form(&journey, "Tan");
    let keys: Vec<String> = (0..4).map(|_| new_key()).collect();

    // A double click, a second tab: the same stage with different keys at the same time.
    let answers = futures_util::future::join_all(
        keys.iter()
            .map(|key| app.about_you_with_key(&token, &form, key)),
    )
    .await;

    let mut references = Vec::new();
    for (answer, key) in answers.iter().zip(&keys) {
        let progress = if answer.status == StatusCode::CONFLICT {
            let error = answer.refused_with(ErrorCode::RequestInProgress);
            assert!(error.retryable);
            // The others are done now: the retry gets the application they created.
            app.about_you_with_key(&token, &form, key).await.progress()
        } else {
            answer.progress()
        };
        references.push(progress.reference.expect("a reference"));
    }
    references.dedup();
    assert_eq!(
        references.len(),
        1,
        "one application per session: {references:?}"
    );
    let at_bank = app.bank.applications(&app.client).await;
    assert_eq!(at_bank.len(), 1, "{at_bank:?}");
    assert_eq!(at_bank[0]["applicationId"], references[0].as_str());
    assert_eq!(app.bank.calls_to("POST", paths::APPLICATIONS), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_racing_the_first_request_never_run_the_stage_twice() {
    let app = spawn_app().await;
    // Several rounds, because a retry must land in the instant the first request finishes.
    for _ in 0..10 {
        let (token, journey) = app.start_session().await;
        let reference = app.about_you_reference(&token, &journey, "Tan").await;
        let form = identity_form(&journey);
        let key = new_key();
        // Impatient clients resend the same request until it is answered.
        let resend = || async {
            loop {
                let answer = app.identity_with_key(&token, &reference, &form, &key).await;
                if answer.status == StatusCode::OK {
                    return answer.progress();
                }
                answer.refused_with(ErrorCode::RequestInProgress);
            }
        };
        let answers = futures_util::future::join_all((0..4).map(|_| resend())).await;
        assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
        let updates = app.bank.calls_to("PUT", &paths::application(&reference));
        assert_eq!(
            updates, 1,
            "the bank got stage 2 {updates} times for one key"
        );
    }
}

#[tokio::test]
async fn a_key_reused_on_another_stage_does_not_replay_the_first_stage() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;
    let key = new_key();
    let first = app
        .about_you_with_key(&token, &about_you_form(&journey, "Tan"), &key)
        .await
        .progress();
    let reference = first.reference.expect("a reference after stage 1");
    let second = app
        .identity_with_key(&token, &reference, &identity_form(&journey), &key)
        .await
        .progress();
    assert_eq!(
        second.stage,
        Stage::Finances,
        "stage 2 ran instead of replaying stage 1's answer"
    );
}

/// Stage 2 as the customer corrected it: another body for the same stage.
fn corrected(form: &IdentityForm) -> IdentityForm {
    IdentityForm {
        address_line2: "#21-05".into(),
        ..form.clone()
    }
}

/// Stage 2 sent with this key as raw JSON text.
async fn identity_as_text(
    app: &TestApp,
    token: &str,
    reference: &str,
    key: &str,
    body: String,
) -> crate::helpers::Answer {
    let request = app
        .api(
            Method::PUT,
            &routes::identity(reference),
            Some(token),
            Some(key),
        )
        .header(CONTENT_TYPE, "application/json")
        .body(body);
    app.send(request).await
}

#[tokio::test]
async fn a_key_sent_again_with_another_body_is_refused_not_replayed() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;
    let reference = app.about_you_reference(&token, &journey, "Tan").await;
    let form = identity_form(&journey);
    let key = new_key();
    let first = app
        .identity_with_key(&token, &reference, &form, &key)
        .await
        .progress();

    let error = app
        .identity_with_key(&token, &reference, &corrected(&form), &key)
        .await
        .refused_with(ErrorCode::IdempotencyKeyReused);
    assert!(!error.retryable);
    assert_eq!(
        app.bank.calls_to("PUT", &paths::application(&reference)),
        1,
        "the bank got the second body"
    );

    // The same request again, even encoded otherwise (fields sorted, spaced), is a replay.
    let replayed = app
        .identity_with_key(&token, &reference, &form, &key)
        .await
        .progress();
    assert_eq!(replayed, first);
    let sorted = serde_json::to_value(&form).unwrap();
    let reencoded = serde_json::to_string_pretty(&sorted).unwrap();
    assert_ne!(reencoded, serde_json::to_string(&form).unwrap());
    let replayed = identity_as_text(&app, &token, &reference, &key, reencoded)
        .await
        .progress();
    assert_eq!(replayed, first);
    assert_eq!(app.bank.calls_to("PUT", &paths::application(&reference)), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_key_with_two_bodies_at_once_runs_one_and_refuses_the_other() {
    let app = spawn_app().await;
    // The bank is slow, so the second request comes while the first runs and waits for it.
    app.bank
        .set_faults(&app.client, serde_json::json!({ "latencyMs": 300 }))
        .await;
    for _ in 0..3 {
        let (token, journey) = app.start_session().await;
        let reference = app.about_you_reference(&token, &journey, "Tan").await;
        let form = identity_form(&journey);
        let other = corrected(&form);
        let key = new_key();
        let (a, b) = tokio::join!(
            app.identity_with_key(&token, &reference, &form, &key),
            app.identity_with_key(&token, &reference, &other, &key),
        );
        let (ran, refused) = match (a.status, b.status) {
            (StatusCode::OK, _) => ((a, &form), (b, &other)),
            (_, StatusCode::OK) => ((b, &other), (a, &form)),
            _ => panic!("neither ran: {} / {}", a.body, b.body),
        };
        let (refused, body) = refused;
        let refused = if refused.status == StatusCode::CONFLICT {
            // Waited longer than it may: once the first is done, it is refused all the same.
            refused.refused_with(ErrorCode::RequestInProgress);
            app.identity_with_key(&token, &reference, body, &key).await
        } else {
            refused
        };
        refused.refused_with(ErrorCode::IdempotencyKeyReused);
        let (ran, body) = ran;
        let replayed = app
            .identity_with_key(&token, &reference, body, &key)
            .await
            .progress();
        assert_eq!(replayed, ran.progress());
        assert_eq!(
            app.bank.calls_to("PUT", &paths::application(&reference)),
            1,
            "one key, one stage 2 at the bank"
        );
    }
    app.bank
        .set_faults(&app.client, serde_json::json!({}))
        .await;
}

//! What customers meet when something between them and the bank goes away: their own
//! connection during stage 3, or the BFF's database.

use crate::database::{create_postgres_database, postgres_server};
use crate::helpers::{
    app_dir, finances_form, identity_form, new_key, spawn_app, spawn_bff_process_on, Bank,
    PARTNERS_FILE,
};
use onboarding_core::api::{routes, ErrorCode, IDEMPOTENCY_KEY_HEADER, SESSION_HEADER};
use onboarding_core::{Decision, Stage};
use reqwest::StatusCode;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn a_customer_who_disconnects_during_stage_3_finds_the_decision_stored_and_their_retry_gets_it(
) {
    let app = spawn_app().await;
    let customer = app.through_identity("Tan").await;
    let form = finances_form(&customer.journey, "EMPLOYED", "60000");
    // Each bank call takes 600 ms: stage 3's update, screening and approval outlast the
    // customer's patience.
    app.bank
        .set_faults(&app.client, json!({ "latencyMs": 600 }))
        .await;
    let impatient = crate::helpers::widget_client(&app.address);
    let key = new_key();
    let cut = impatient
        .put(app.url(&routes::finances(&customer.reference)))
        .header(SESSION_HEADER, format!("Bearer {}", customer.token))
        .header(IDEMPOTENCY_KEY_HEADER, &key)
        .timeout(Duration::from_secs(1))
        .json(&form)
        .send()
        .await;
    assert!(
        cut.as_ref().is_err_and(|e| e.is_timeout()),
        "the customer gave up after a second: {cut:?}"
    );

    // Nobody retries yet: the stage's bank work went on without its request.
    let stored = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let journey = app.current(&customer.token).await.journey();
            if journey.progress.stage == Stage::Result {
                break journey.progress.decision;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the decision is stored without a retry");
    assert!(
        matches!(stored, Some(Decision::Approved { .. })),
        "{stored:?}"
    );

    // The retry, with the same key and with a new one, is answered that decision.
    app.bank.set_faults(&app.client, json!({})).await;
    let same_key = app
        .send(
            app.api(
                reqwest::Method::PUT,
                &routes::finances(&customer.reference),
                Some(&customer.token),
                Some(&key),
            )
            .json(&form),
        )
        .await
        .progress();
    assert_eq!(same_key.decision, stored);
    let new_key = app
        .finances(&customer.token, &customer.reference, &form)
        .await
        .progress();
    assert_eq!(new_key.decision, stored);
    assert_eq!(app.bank.applications(&app.client).await.len(), 1);
}

#[tokio::test]
async fn a_retry_while_the_dropped_stage_still_runs_waits_for_it_rather_than_being_refused() {
    let app = spawn_app().await;
    let customer = app.through_identity("Tan").await;
    let form = finances_form(&customer.journey, "EMPLOYED", "60000");
    app.bank
        .set_faults(&app.client, json!({ "latencyMs": 600 }))
        .await;
    let cut = crate::helpers::widget_client(&app.address)
        .put(app.url(&routes::finances(&customer.reference)))
        .header(SESSION_HEADER, format!("Bearer {}", customer.token))
        .header(IDEMPOTENCY_KEY_HEADER, new_key())
        .timeout(Duration::from_secs(1))
        .json(&form)
        .send()
        .await;
    assert!(cut.is_err());
    // At once, as a customer clicking "Continue" again would: not 409 for minutes, but
    // the decision as soon as the first request's work has it.
    let retry = app
        .finances(&customer.token, &customer.reference, &form)
        .await
        .progress();
    assert_eq!(retry.stage, Stage::Result);
    assert!(matches!(retry.decision, Some(Decision::Approved { .. })));
}

#[tokio::test]
async fn a_database_restart_answers_a_retryable_503_writes_nothing_half_and_the_journey_finishes() {
    // The PostgreSQL run of the suite restarts a server of its own; the SQLite run has no
    // server to restart.
    if postgres_server().is_none() {
        println!("skipped: the suite runs on SQLite (set TEST_DATABASE_URL for PostgreSQL)");
        return;
    }
    let mut cluster = tokio::task::spawn_blocking(test_postgres::Cluster::start)
        .await
        .unwrap()
        .expect("a private PostgreSQL server");
    let database_url = create_postgres_database(&cluster.url()).await;
    let bank = Arc::new(Bank::spawn_with(true).await);
    let dir = Arc::new(app_dir(PARTNERS_FILE));
    let (app, _output) = spawn_bff_process_on(bank, dir, database_url, &[]).await;
    let (token, journey) = app.start_session().await;
    let reference = app.about_you_reference(&token, &journey, "Tan").await;
    let ready = |app: &crate::helpers::TestApp| {
        let url = app.url("/readyz");
        async move { reqwest::get(url).await.expect("the BFF answers").status() }
    };
    assert_eq!(ready(&app).await, StatusCode::OK);

    cluster = tokio::task::spawn_blocking(move || {
        cluster.stop().expect("the server stops");
        cluster
    })
    .await
    .unwrap();
    let calls_before = app.bank.calls_total();
    let key = new_key();
    let during = app
        .identity_with_key(&token, &reference, &identity_form(&journey), &key)
        .await;
    let error = during.refused_with(ErrorCode::ServiceUnavailable);
    assert!(error.retryable, "{}", during.body);
    app.current(&token)
        .await
        .refused_with(ErrorCode::ServiceUnavailable);
    assert_eq!(ready(&app).await, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        app.bank.calls_total(),
        calls_before,
        "nothing reached the bank while the database was down"
    );

    let cluster = tokio::task::spawn_blocking(move || {
        let mut cluster = cluster;
        cluster.start_again().expect("the server starts again");
        cluster
    })
    .await
    .unwrap();
    tokio::time::timeout(Duration::from_secs(20), async {
        while ready(&app).await != StatusCode::OK {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await
    .expect("ready again once the database is back");

    // The same request, retried, goes through; so does the rest of the journey.
    let progress = app
        .identity_with_key(&token, &reference, &identity_form(&journey), &key)
        .await
        .progress();
    assert_eq!(progress.stage, Stage::Finances);
    let decided = app
        .finances(
            &token,
            &reference,
            &finances_form(&journey, "EMPLOYED", "60000"),
        )
        .await
        .progress();
    assert!(matches!(decided.decision, Some(Decision::Approved { .. })));
    assert_eq!(app.bank.applications(&app.client).await.len(), 1);
    drop(app);
    drop(cluster);
}

#[tokio::test]
async fn sigterm_lets_a_stage_under_way_finish_then_the_process_exits_cleanly() {
    let bank = Arc::new(Bank::spawn_with(true).await);
    let dir = Arc::new(app_dir(PARTNERS_FILE));
    let database_url = crate::database::fresh_database_url(dir.path()).await;
    let (mut app, output) = spawn_bff_process_on(bank, dir, database_url, &[]).await;
    let customer = app.through_identity("Tan").await;
    let form = finances_form(&customer.journey, "EMPLOYED", "60000");
    app.bank
        .set_faults(&app.client, json!({ "latencyMs": 400 }))
        .await;
    let calls_before = app.bank.calls_total();
    let stage = {
        let request = app
            .client
            .put(app.url(&routes::finances(&customer.reference)))
            .header(SESSION_HEADER, format!("Bearer {}", customer.token))
            .header(IDEMPOTENCY_KEY_HEADER, new_key())
            .json(&form);
        tokio::spawn(async move { request.send().await })
    };
    // The stage is at the bank (each call takes 400 ms) when the instance is told to stop.
    tokio::time::timeout(Duration::from_secs(10), async {
        while app.bank.calls_total() == calls_before {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the stage reaches the bank");
    let address = app.address.clone();
    let status = app.terminate(Duration::from_secs(30)).await;

    let answer = stage
        .await
        .unwrap()
        .expect("the stage under way is answered");
    assert_eq!(answer.status(), StatusCode::OK);
    let progress: onboarding_core::api::Progress = answer.json().await.unwrap();
    assert!(
        matches!(progress.decision, Some(Decision::Approved { .. })),
        "{progress:?}"
    );
    assert!(status.success(), "exit {status:?}:\n{}", output.text());
    assert!(
        reqwest::get(format!("{address}/healthz")).await.is_err(),
        "nothing listens after the shutdown"
    );
}

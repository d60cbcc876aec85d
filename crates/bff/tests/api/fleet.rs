//! A fleet, as a bank runs the BFF: several real `bff` processes on one database (the
//! suite's backend: a shared SQLite file, or PostgreSQL in the PostgreSQL run) and one bank,
//! any request landing on any instance. Instances are killed with SIGKILL at each point of
//! stage 3, with the sandbox honouring repeated uuids and with it treating them as the real
//! bank does (for tracing only); each time, the customer's retry on the other instance gets
//! the bank's decision, the partner's webhook is accepted once, and the bank holds one
//! application.

use crate::database::{fresh_database_url, query_count};
use crate::helpers::{
    app_dir, finances_form, identity_form, new_key, partners_with_webhook, spawn_bff_process_on,
    Bank, Output, TestApp,
};
use crate::webhooks::{verified, Receiver};
use onboarding_core::api::{routes, IDEMPOTENCY_KEY_HEADER, SESSION_HEADER};
use onboarding_core::{Decision, Stage};
use reqwest::StatusCode;
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;

/// A short lease, so a killed instance's hold on the session lapses within the test.
const LEASE_MS: &str = "1000";

/// Every instance of the fleet, and what they share.
struct Fleet {
    bank: Arc<Bank>,
    receiver: Receiver,
    database_url: String,
    instances: Vec<(TestApp, Output)>,
    _dir: Arc<TempDir>,
}

impl Fleet {
    /// One instance per entry of `hooks`, each stopping dead at its fault point if it has
    /// one, with the sandbox's uuid de-duplication as given.
    async fn start(uuid_deduplication: bool, hooks: &[Option<&str>]) -> Self {
        let bank = Arc::new(Bank::spawn_with(uuid_deduplication).await);
        let receiver = Receiver::spawn(&[]).await;
        let dir = Arc::new(app_dir(&partners_with_webhook(&receiver.url)));
        let database_url = fresh_database_url(dir.path()).await;
        let mut instances = Vec::new();
        for hook in hooks {
            let mut extra = vec![
                ("SESSION_LEASE_MS", LEASE_MS.to_owned()),
                ("WEBHOOK_BACKOFF_BASE_MS", "50".to_owned()),
                ("WEBHOOK_MAX_ATTEMPTS", "100".to_owned()),
            ];
            if let Some(point) = hook {
                extra.push(("BFF_FAULT_HOOK", (*point).to_owned()));
            }
            instances.push(
                spawn_bff_process_on(bank.clone(), dir.clone(), database_url.clone(), &extra).await,
            );
        }
        Self {
            bank,
            receiver,
            database_url,
            instances,
            _dir: dir,
        }
    }

    fn instance(&self, n: usize) -> &TestApp {
        &self.instances[n].0
    }

    /// The bank's applications.
    async fn applications_at_bank(&self) -> usize {
        let client = &self.instance(0).client;
        self.bank.applications(client).await.len()
    }

    /// Decisions and webhook events the fleet's database holds.
    async fn stored(&self) -> (i64, i64) {
        let decisions = query_count(
            &self.database_url,
            "SELECT COUNT(*) FROM applications WHERE decision IS NOT NULL",
        )
        .await;
        let events = query_count(&self.database_url, "SELECT COUNT(*) FROM webhook_outbox").await;
        (decisions, events)
    }

    /// Waits for the partner to have accepted one event, then a little longer, and answers
    /// every delivery it accepted.
    async fn accepted_webhooks(&self) -> Vec<crate::webhooks::Delivery> {
        self.receiver
            .until("a webhook accepted", |d| d.iter().any(|d| d.status == 200))
            .await;
        // Long enough for a second instance's delivery task to send a duplicate, if the
        // outbox let one through.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        self.receiver
            .deliveries()
            .into_iter()
            .filter(|d| d.status == 200)
            .collect()
    }
}

/// Stage 3 sent by hand, so a request whose instance dies is an error, not a panic.
async fn send_finances(
    app: &TestApp,
    token: &str,
    reference: &str,
    key: &str,
    form: &onboarding_core::forms::FinancesForm,
) -> Result<(StatusCode, String), reqwest::Error> {
    let response = app
        .client
        .put(app.url(&routes::finances(reference)))
        .header(SESSION_HEADER, format!("Bearer {token}"))
        .header(IDEMPOTENCY_KEY_HEADER, key)
        .json(form)
        .send()
        .await?;
    let status = response.status();
    Ok((status, response.text().await?))
}

fn decision_in(body: &str) -> Decision {
    let progress: onboarding_core::api::Progress =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(progress.stage, Stage::Result, "{body}");
    progress
        .decision
        .expect("stage 3 answers with the decision")
}

#[tokio::test]
async fn one_journey_alternates_between_two_instances_and_a_double_submit_to_both_decides_once() {
    let fleet = Fleet::start(true, &[None, None]).await;
    let (a, b) = (fleet.instance(0), fleet.instance(1));

    let (token, journey) = a.start_session().await;
    let reference = b.about_you_reference(&token, &journey, "Tan").await;
    let progress = a
        .identity(&token, &reference, &identity_form(&journey))
        .await
        .progress();
    assert_eq!(progress.stage, Stage::Finances);
    assert_eq!(
        b.current(&token).await.journey().progress.stage,
        Stage::Finances
    );

    // A double click that reached both instances: two keys, sent at once.
    let form = finances_form(&journey, "EMPLOYED", "60000");
    let (key_a, key_b) = (new_key(), new_key());
    let (first, second) = tokio::join!(
        send_finances(a, &token, &reference, &key_a, &form),
        send_finances(b, &token, &reference, &key_b, &form),
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(first.0, StatusCode::OK, "{}", first.1);
    assert_eq!(second.0, StatusCode::OK, "{}", second.1);
    let decision = decision_in(&first.1);
    assert!(
        matches!(decision, Decision::Approved { .. }),
        "{decision:?}"
    );
    assert_eq!(decision_in(&second.1), decision);

    // And one key sent to both, as a retry after a lost answer.
    let (token2, journey2) = b.start_session().await;
    let reference2 = a.about_you_reference(&token2, &journey2, "Lim").await;
    b.identity(&token2, &reference2, &identity_form(&journey2))
        .await
        .progress();
    let key = new_key();
    let form2 = finances_form(&journey2, "EMPLOYED", "60000");
    let (first, second) = tokio::join!(
        send_finances(a, &token2, &reference2, &key, &form2),
        send_finances(b, &token2, &reference2, &key, &form2),
    );
    assert_eq!(first.as_ref().unwrap().1, second.as_ref().unwrap().1);

    assert_eq!(fleet.applications_at_bank().await, 2);
    assert_eq!(fleet.stored().await, (2, 2));
    let accepted = fleet.accepted_webhooks().await;
    let references: Vec<String> = accepted
        .iter()
        .map(|d| verified(d)["reference"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(references.len(), 2, "{accepted:#?}");
    assert!(references.contains(&reference) && references.contains(&reference2));
}

/// Kills the instance that runs stage 3 at `point`, retries on the other, and checks that
/// nothing was lost or doubled.
async fn killed_at(point: &str, uuid_deduplication: bool) {
    let mut fleet = Fleet::start(uuid_deduplication, &[Some(point), None]).await;
    // Refused until the crash is over, so the only delivery the partner accepts is the one
    // that must arrive exactly once.
    fleet.receiver.fail_with(Some(503));
    let (token, journey, reference, form) = {
        let a = fleet.instance(0);
        let (token, journey) = a.start_session().await;
        let reference = a.about_you_reference(&token, &journey, "Tan").await;
        fleet
            .instance(1)
            .identity(&token, &reference, &identity_form(&journey))
            .await
            .progress();
        let form = finances_form(&journey, "EMPLOYED", "60000");
        (token, journey, reference, form)
    };
    let _ = journey;
    let key = new_key();

    let stalled = {
        let a = fleet.instance(0);
        let (client, url) = (a.client.clone(), a.url(&routes::finances(&reference)));
        let (token, key, form) = (token.clone(), key.clone(), form.clone());
        tokio::spawn(async move {
            client
                .put(url)
                .header(SESSION_HEADER, format!("Bearer {token}"))
                .header(IDEMPOTENCY_KEY_HEADER, key)
                .json(&form)
                .send()
                .await
        })
    };
    let output = fleet.instances[0].1.clone();
    let paused = format!("fault hook: paused at {point}");
    tokio::time::timeout(Duration::from_secs(20), async {
        while !output.text().contains(&paused) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("never paused at {point}:\n{}", output.text()));
    fleet.instances[0].0.kill().await;
    assert!(
        stalled.await.unwrap().is_err(),
        "the killed instance answered"
    );

    // The customer's retry reaches the other instance: the same key, then a new one.
    let b = fleet.instance(1);
    let (status, body) = send_finances(b, &token, &reference, &key, &form)
        .await
        .unwrap();
    assert_eq!(status, StatusCode::OK, "{point}: {body}");
    let decision = decision_in(&body);
    let Decision::Approved { credit_limit, .. } = &decision else {
        panic!("{point}: {decision:?}");
    };
    let at_bank = fleet.bank.application(&b.client, &reference).await;
    assert_eq!(at_bank["creditDecision"], "000", "{point}: {at_bank}");
    assert_eq!(
        at_bank["recommendedCreditLimit"]
            .as_f64()
            .map(|l| l.floor() as u64),
        Some(credit_limit.amount),
        "{point}: the limit shown is the bank's: {at_bank}"
    );
    let (status, again) = send_finances(b, &token, &reference, &new_key(), &form)
        .await
        .unwrap();
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(decision_in(&again), decision);

    fleet.receiver.fail_with(None);
    let accepted = fleet.accepted_webhooks().await;
    assert_eq!(accepted.len(), 1, "{point}: {accepted:#?}");
    assert_eq!(verified(&accepted[0])["reference"], reference.as_str());
    assert_eq!(fleet.applications_at_bank().await, 1, "{point}");
    assert_eq!(
        fleet.stored().await,
        (1, 1),
        "{point}: decisions and events stored"
    );
    println!(
        "killed at {point} (uuid de-duplication {}): 1 application at the bank, 1 decision stored, {} webhook accepted",
        if uuid_deduplication { "on" } else { "off" },
        accepted.len()
    );
}

#[tokio::test]
async fn killed_before_the_decision_the_retry_on_another_instance_decides_once() {
    killed_at("before-decision", true).await;
    killed_at("before-decision", false).await;
}

#[tokio::test]
async fn killed_after_the_bank_decided_the_retry_recovers_the_banks_decision() {
    killed_at("after-decision", true).await;
    killed_at("after-decision", false).await;
}

#[tokio::test]
async fn killed_after_the_decision_was_stored_the_retry_answers_it_and_the_webhook_goes_once() {
    killed_at("after-decision-stored", true).await;
    killed_at("after-decision-stored", false).await;
}

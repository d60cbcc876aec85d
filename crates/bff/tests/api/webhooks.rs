//! Partners' webhooks over real HTTP: retried until accepted with the same id and a
//! signature that the Standard Webhooks library verifies, numbered per application, sent only to partners that asked for them, once per decision however it was
//! reached, and resumed after a restart.

use crate::decisions::decision_of;
use crate::helpers::{
    finances_form, identity_form, spawn_app_with_webhook, TestApp, FINTECH_SIGNING_SECRET, MARKET,
    OTHER_PARTNER, RETURN_URL, SIGNING_SECRET,
};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use base64::Engine;
use bff::config::Secret;
use bff::signing::{verify_webhook, WebhookHeaders};
use bff::store::Store;
use onboarding_core::api::SessionStarted;
use onboarding_core::Decision;
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// Short pauses between attempts, so a retry comes within the test.
const FAST_RETRIES: [(&str, &str); 2] = [
    ("WEBHOOK_BACKOFF_BASE_MS", "50"),
    ("WEBHOOK_MAX_ATTEMPTS", "100"),
];

/// One delivery as the partner received it.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub(crate) id: String,
    timestamp: String,
    signature: String,
    content_type: String,
    /// Every header, for the Standard Webhooks library.
    headers: HeaderMap,
    pub(crate) body: String,
    /// What the receiver answered.
    pub(crate) status: u16,
}

#[derive(Default)]
struct Inbox {
    deliveries: Vec<Delivery>,
    /// The statuses of the next answers, in turn; 200 once none are left.
    script: VecDeque<u16>,
    /// Answered while the script is empty, instead of 200.
    failing: Option<u16>,
}

/// A partner's webhook endpoint on 127.0.0.1:0.
pub(crate) struct Receiver {
    pub(crate) url: String,
    inbox: Arc<Mutex<Inbox>>,
    _stop: oneshot::Sender<()>,
}

impl Receiver {
    pub(crate) async fn spawn(script: &[u16]) -> Self {
        let inbox = Arc::new(Mutex::new(Inbox {
            script: script.iter().copied().collect(),
            ..Inbox::default()
        }));
        let router = Router::new()
            .route("/hooks/cards", post(receive))
            .with_state(inbox.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks/cards", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        Self {
            url,
            inbox,
            _stop: stop,
        }
    }

    pub(crate) fn deliveries(&self) -> Vec<Delivery> {
        self.inbox.lock().unwrap().deliveries.clone()
    }

    pub(crate) fn fail_with(&self, status: Option<u16>) {
        self.inbox.lock().unwrap().failing = status;
    }

    /// Waits until `done` holds for the deliveries so far (at most 15 s).
    pub(crate) async fn until(
        &self,
        what: &str,
        done: impl Fn(&[Delivery]) -> bool,
    ) -> Vec<Delivery> {
        for _ in 0..300 {
            let deliveries = self.deliveries();
            if done(&deliveries) {
                return deliveries;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{what}: only {:#?}", self.deliveries());
    }
}

async fn receive(
    State(inbox): State<Arc<Mutex<Inbox>>>,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let mut inbox = inbox.lock().unwrap();
    let status = inbox.script.pop_front().or(inbox.failing).unwrap_or(200);
    let header = |name: &str| {
        headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    inbox.deliveries.push(Delivery {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        content_type: header("content-type"),
        headers: headers.clone(),
        body,
        status,
    });
    StatusCode::from_u16(status).unwrap()
}

/// Checks a delivery's signature as the test partner would, and answers its body.
pub(crate) fn verified(delivery: &Delivery) -> Value {
    verified_with(SIGNING_SECRET, delivery)
}

/// A partner's secret as Standard Webhooks libraries take it, made here as partners are
/// told to (`whsec_` and the secret's bytes in base64) rather than by the BFF.
fn whsec(secret: &str) -> String {
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(secret)
    )
}

/// Checks a delivery's signature with the BFF's own check, as the tests did before.
fn verified_by_the_bff(secret: &str, delivery: &Delivery) -> Result<i64, String> {
    let headers = WebhookHeaders {
        id: &delivery.id,
        timestamp: &delivery.timestamp,
        signature: &delivery.signature,
    };
    verify_webhook(
        &Secret::new(secret),
        &headers,
        delivery.body.as_bytes(),
        bff::time::now_unix(),
        Duration::from_secs(300),
    )
    .map_err(|e| e.to_string())
}

/// Checks a delivery's signature with a partner's secret, by the Standard Webhooks crate
/// (an implementation independent of the BFF's), and answers its body.
fn verified_with(secret: &str, delivery: &Delivery) -> Value {
    standardwebhooks::Webhook::new(&whsec(secret))
        .expect("a whsec_ secret")
        .verify(delivery.body.as_bytes(), &delivery.headers)
        .unwrap_or_else(|e| panic!("{e}: {delivery:?}"));
    verified_by_the_bff(secret, delivery).unwrap_or_else(|e| panic!("{e}: {delivery:?}"));
    assert_eq!(delivery.content_type, "application/json");
    serde_json::from_str(&delivery.body).expect("a JSON event")
}

async fn outbox(app: &TestApp) -> Vec<bff::store::OutboxRecord> {
    Store::connect(&app.database_url)
        .await
        .unwrap()
        .outbox()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_failed_delivery_is_retried_with_the_same_id_and_a_signature_that_verifies() {
    let receiver = Receiver::spawn(&[500]).await;
    let app = spawn_app_with_webhook(&receiver.url, &FAST_RETRIES).await;
    let customer = app.through_identity("Tan").await;
    let form = finances_form(&customer.journey, "EMPLOYED", "60000");
    let decision = app
        .finances(&customer.token, &customer.reference, &form)
        .await
        .progress()
        .decision
        .expect("decided");
    let Decision::Approved { credit_limit, .. } = &decision else {
        panic!("approved: {decision:?}");
    };

    let deliveries = receiver
        .until("a failed delivery then an accepted one", |d| d.len() >= 2)
        .await;
    let [failed, accepted] = &deliveries[..] else {
        panic!("exactly two deliveries: {deliveries:#?}");
    };
    assert_eq!((failed.status, accepted.status), (500, 200));
    assert!(failed.id.starts_with("msg_"), "{failed:?}");
    assert_eq!(failed.id, accepted.id, "one event, one webhook-id");
    assert_eq!(failed.body, accepted.body, "the same bytes every attempt");
    for delivery in [failed, accepted] {
        let event = verified(delivery);
        assert_eq!(event["type"], "application.decided");
        assert_eq!(event["reference"], customer.reference.as_str());
        assert_eq!(event["outcome"], "approved");
        assert_eq!(event["credit_limit"]["amount"], credit_limit.amount);
        assert_eq!(event["credit_limit"]["currency"], "SGD");
        let decided_at = event["decided_at"].as_str().unwrap();
        let at = bff::time::parse_utc(decided_at).expect("RFC 3339 UTC");
        assert!((bff::time::now_unix() - at).abs() < 60, "{decided_at}");
        assert_eq!(event["sequence"], 1, "the application's first event");
        assert_eq!(
            event.as_object().unwrap().len(),
            6,
            "exactly the documented fields: {event}"
        );
    }
    // A signature made with another partner's secret does not verify, by either check.
    let other = "other-partner-signing-secret-0123456789";
    let library = standardwebhooks::Webhook::new(&whsec(other)).unwrap();
    assert!(library
        .verify(accepted.body.as_bytes(), &accepted.headers)
        .is_err());
    assert!(verified_by_the_bff(other, accepted).is_err());
    // Nor does the delivery with its id replaced: the id is signed too.
    let mut replayed = accepted.headers.clone();
    replayed.insert("webhook-id", "msg_another".parse().unwrap());
    let library = standardwebhooks::Webhook::new(&whsec(SIGNING_SECRET)).unwrap();
    assert!(library.verify(accepted.body.as_bytes(), &replayed).is_err());
    // The old `t=…,v1=…` format is no longer sent.
    assert!(accepted.signature.starts_with("v1,"), "{accepted:?}");
    assert!(accepted.timestamp.parse::<i64>().is_ok(), "{accepted:?}");

    // Accepted once: never sent again, and recorded as delivered after two attempts.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(receiver.deliveries().len(), 2);
    let rows = outbox(&app).await;
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].event.id, accepted.id);
    assert_eq!(rows[0].event.body, accepted.body);
    assert_eq!(rows[0].sequence, 1);
    assert_eq!(rows[0].attempts, 2);
    assert!(rows[0].delivered_at.is_some());
    assert_eq!(rows[0].last_error, None);
}

#[tokio::test]
async fn a_partner_without_a_webhook_url_gets_nothing() {
    let receiver = Receiver::spawn(&[]).await;
    let app = spawn_app_with_webhook(&receiver.url, &FAST_RETRIES).await;

    // A customer of the partner without a webhook_url, decided first.
    let started = app
        .start_session_with(OTHER_PARTNER, MARKET, RETURN_URL)
        .await;
    let started: SessionStarted = serde_json::from_str(&started.body).expect("a session");
    let (token, journey) = (started.token, started.journey);
    let reference = app.about_you_reference(&token, &journey, "Tan").await;
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
    assert!(decided.decision.is_some());

    // Then one of the partner with a webhook_url, whose event shows delivery is running.
    assert_eq!(
        decision_of(&app, "Referral", "EMPLOYED", "80000").await,
        Decision::Referred
    );
    let deliveries = receiver
        .until("the hooked partner's event", |d| !d.is_empty())
        .await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(receiver.deliveries().len(), 1, "{deliveries:#?}");
    let event = verified(&deliveries[0]);
    assert_eq!(event["outcome"], "referred");
    assert_eq!(event["credit_limit"], Value::Null);
    assert_ne!(event["reference"], reference.as_str());
    // Nothing was even written for the other partner.
    let rows = outbox(&app).await;
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert!(rows.iter().all(|r| r.event.reference != reference));
}

#[tokio::test]
async fn delivery_resumes_after_a_restart() {
    let receiver = Receiver::spawn(&[]).await;
    receiver.fail_with(Some(503));
    let app = spawn_app_with_webhook(&receiver.url, &FAST_RETRIES).await;
    let decision = decision_of(&app, "Decline", "EMPLOYED", "80000").await;
    assert_eq!(decision, Decision::declined());
    let failed = receiver.until("a failed attempt", |d| !d.is_empty()).await;
    let id = failed[0].id.clone();

    // Stopped while the partner is still failing: the event is pending in the database.
    let app = app.restart().await;
    let pending = outbox(&app).await;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].delivered_at, None);
    assert!(pending[0].attempts >= 1);
    assert!(
        pending[0].last_error.as_deref().unwrap().contains("503"),
        "{pending:?}"
    );

    receiver.fail_with(None);
    let deliveries = receiver
        .until("an accepted delivery after the restart", |d| {
            d.iter().any(|d| d.status == 200)
        })
        .await;
    assert!(
        deliveries.iter().all(|d| d.id == id),
        "one event: {deliveries:#?}"
    );
    let accepted = deliveries.iter().find(|d| d.status == 200).unwrap();
    assert_eq!(verified(accepted)["outcome"], "declined");
    tokio::time::sleep(Duration::from_millis(400)).await;
    let after = receiver.deliveries();
    assert_eq!(
        after.iter().filter(|d| d.status == 200).count(),
        1,
        "{after:#?}"
    );
    assert!(outbox(&app).await[0].delivered_at.is_some());
}

#[tokio::test]
async fn every_way_to_a_decision_tells_the_partner_once() {
    let receiver = Receiver::spawn(&[]).await;
    let app = spawn_app_with_webhook(&receiver.url, &FAST_RETRIES).await;

    // Counter-offers, then one taken: the decision on the card changes, so two events.
    let counter = app.through_identity("Counteroffer").await;
    let form = finances_form(&counter.journey, "EMPLOYED", "60000");
    app.finances(&counter.token, &counter.reference, &form)
        .await
        .progress();
    app.accept_offer(&counter.token, &counter.reference, "2")
        .await
        .progress();
    // An approval with a cross-sell offer taken: the card's decision stands, one event.
    let cross = app.through_identity("Crosssell").await;
    let form = finances_form(&cross.journey, "EMPLOYED", "60000");
    app.finances(&cross.token, &cross.reference, &form)
        .await
        .progress();
    app.accept_offer(&cross.token, &cross.reference, "1")
        .await
        .progress();
    // Manual review, connectFi's decision, and connectFi's refusal at stage 1.
    let review = app.through_identity("applicationNeedsManualReview").await;
    let form = finances_form(&review.journey, "EMPLOYED", "60000");
    let progress = app
        .finances(&review.token, &review.reference, &form)
        .await
        .progress();
    assert_eq!(progress.decision, Some(Decision::UnderReview));
    let approved = crate::connectfi::decided(&app, "cstap_demo1", "EMPLOYED", "60000").await;
    assert!(
        matches!(approved, Decision::Approved { .. }),
        "{approved:?}"
    );
    let (_, _, unverified) =
        crate::connectfi::after_stage_one(&app, "cstap_sandboxKycDenied").await;
    assert!(unverified.decision.is_some(), "{unverified:?}");

    let deliveries = receiver.until("six events", |d| d.len() >= 6).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(receiver.deliveries().len(), 6, "{deliveries:#?}");
    let events: Vec<Value> = deliveries
        .iter()
        .map(|d| {
            let body: Value = serde_json::from_str(&d.body).unwrap();
            let fintech = body["reference"].as_str().unwrap().starts_with("CF");
            verified_with(
                if fintech {
                    FINTECH_SIGNING_SECRET
                } else {
                    SIGNING_SECRET
                },
                d,
            )
        })
        .collect();
    // Ordered by their sequence, as a partner would, whatever order they arrived in.
    let of = |reference: &str| -> Vec<(String, Value)> {
        let mut mine: Vec<&Value> = events
            .iter()
            .filter(|e| e["reference"] == reference)
            .collect();
        mine.sort_by_key(|e| e["sequence"].as_i64().unwrap());
        let sequences: Vec<i64> = mine
            .iter()
            .map(|e| e["sequence"].as_i64().unwrap())
            .collect();
        assert_eq!(
            sequences,
            (1..=mine.len() as i64).collect::<Vec<_>>(),
            "{reference}"
        );
        mine.iter()
            .map(|e| {
                (
                    e["outcome"].as_str().unwrap().to_owned(),
                    e["credit_limit"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(
        of(&counter.reference),
        [
            ("counter_offered".to_owned(), Value::Null),
            (
                "approved".to_owned(),
                serde_json::json!({ "amount": 10_000, "currency": "SGD" })
            ),
        ]
    );
    assert_eq!(of(&cross.reference).len(), 1);
    assert_eq!(of(&cross.reference)[0].0, "approved");
    let outcomes: Vec<&str> = events
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert!(outcomes.contains(&"under_review"), "{outcomes:?}");
    assert_eq!(
        outcomes.iter().filter(|o| **o == "declined").count(),
        1,
        "{outcomes:?}"
    );
    let ids: std::collections::HashSet<&str> = deliveries.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), 6, "every event has an id of its own");
}

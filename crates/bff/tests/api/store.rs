//! The database's own rules, on whichever backend the suite runs: a session's lease has
//! one owner, the first decision stored stands with its offers, migrations run once however
//! many instances start together, and the retention job deletes what is past its period and
//! keeps the evidence.

use crate::database::{fresh_database_url, query_count};
use bff::journey::{BankOffer, BankOffers, BankStep, SessionRecord};
use bff::store::{NewApplication, RetentionPeriods, Store};
use onboarding_core::{CreditLimit, Decision, Language, Market, Offer};
use std::time::Duration;

fn session(token_hash: &str) -> SessionRecord {
    SessionRecord {
        token_hash: token_hash.into(),
        partner_id: "test-partner".into(),
        market: Market::from_code("SG").unwrap(),
        return_url: "http://partner.test/done".into(),
        customer_id: None,
        language: Language::from_tag("en").unwrap(),
        prefill: None,
        partner_state: None,
    }
}

async fn new_store() -> (Store, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    (
        Store::connect(&url).await.expect("the store opens"),
        url,
        dir,
    )
}

#[tokio::test]
async fn a_lease_has_one_owner_who_alone_renews_and_releases_it_and_it_lapses_when_they_die() {
    let (store, _, _dir) = new_store().await;
    store
        .create_session(&session("s1"), None, 0, i64::MAX)
        .await
        .unwrap();
    let now = 1_000_000;
    assert!(store
        .claim_session("s1", "a", now, now + 1000)
        .await
        .unwrap());
    assert!(
        !store
            .claim_session("s1", "b", now + 10, now + 1010)
            .await
            .unwrap(),
        "held by a"
    );
    // b cannot release or renew a's lease.
    store.release_session("s1", "b").await.unwrap();
    assert!(!store.renew_lease("s1", "b", now + 5000).await.unwrap());
    assert!(!store
        .claim_session("s1", "b", now + 20, now + 1020)
        .await
        .unwrap());
    // a renews it; past the first expiry it still holds.
    assert!(store.renew_lease("s1", "a", now + 3000).await.unwrap());
    assert!(!store
        .claim_session("s1", "b", now + 2000, now + 3000)
        .await
        .unwrap());
    // a dies: past the lease, b takes it over, and a's late release leaves it with b.
    assert!(store
        .claim_session("s1", "b", now + 3000, now + 4000)
        .await
        .unwrap());
    store.release_session("s1", "a").await.unwrap();
    let lease = store.lease("s1").await.unwrap().unwrap();
    assert_eq!(lease.owner.as_deref(), Some("b"));
    store.release_session("s1", "b").await.unwrap();
    assert_eq!(store.lease("s1").await.unwrap().unwrap().owner, None);
    assert!(store
        .claim_session("s1", "c", now + 3001, now + 4001)
        .await
        .unwrap());
}

#[tokio::test]
async fn a_decision_stored_second_leaves_the_standing_decision_and_its_offers() {
    let (store, _, _dir) = new_store().await;
    store
        .create_session(&session("s1"), None, 0, i64::MAX)
        .await
        .unwrap();
    let new = NewApplication {
        reference: "APP-1",
        control_flow_id: "cf-1",
        partner_id: "test-partner",
        consent_type: "TERMS",
        terms_version: "SG-EN-2026-11",
        step: BankStep::FinancesSent,
        decision: None,
        event: None,
        handover: None,
    };
    store.insert_application("s1", &new, 0).await.unwrap();
    let offers = |id: &str| BankOffers {
        expires_on: "2026-12-22".into(),
        offers: vec![BankOffer {
            id: id.into(),
            product_code: format!("product-{id}"),
            counter: true,
            card: format!("card {id}"),
            credit_limit: CreditLimit {
                amount: 1000,
                currency: "SGD".into(),
            },
        }],
    };
    let counter_offered = |offers: &BankOffers| Decision::CounterOffered {
        offers: offers
            .offers
            .iter()
            .map(|o| Offer {
                id: o.id.clone(),
                card: o.card.clone(),
                credit_limit: o.credit_limit.clone(),
                accepted: false,
            })
            .collect(),
    };
    let first = offers("a");
    assert!(store
        .store_decision("s1", &counter_offered(&first), Some(&first), None, 1)
        .await
        .unwrap());
    // Another instance's attempt, decided on an answer of its own, comes second.
    let second = offers("b");
    assert!(!store
        .store_decision("s1", &counter_offered(&second), Some(&second), None, 2)
        .await
        .unwrap());
    let app = store.find_application("s1").await.unwrap().unwrap();
    assert_eq!(app.decision, Some(counter_offered(&first)));
    assert_eq!(
        app.offers,
        Some(first),
        "the offers the standing decision shows"
    );
}

#[tokio::test]
async fn instances_starting_together_apply_the_migrations_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let starts = (0..4).map(|_| Store::connect(&url));
    for store in futures_util::future::join_all(starts).await {
        store
            .expect("every instance starts")
            .is_ready()
            .await
            .unwrap();
    }
    let applied = query_count(&url, "SELECT COUNT(*) FROM _sqlx_migrations").await;
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .count();
    assert_eq!(applied, files as i64);
}

#[tokio::test]
async fn retention_deletes_what_is_past_its_period_and_keeps_the_evidence() {
    let (store, url, _dir) = new_store().await;
    const DAY: i64 = 86_400;
    let now = 100 * 365 * DAY;
    let periods = RetentionPeriods {
        expired_sessions: Duration::from_secs(DAY as u64),
        idempotency: Duration::from_secs(DAY as u64),
        delivered_events: Duration::from_secs(30 * DAY as u64),
        evidence: Duration::from_secs(2557 * DAY as u64),
    };
    // An abandoned visit, expired two days ago; one that expired an hour ago.
    store
        .create_session(&session("abandoned"), None, now - 3 * DAY, now - 2 * DAY)
        .await
        .unwrap();
    store
        .create_session(&session("recent"), None, now - DAY, now - 3600)
        .await
        .unwrap();
    // Decided applications: one eight years old, one decided last year.
    for (hash, at) in [("old", now - 8 * 365 * DAY), ("kept", now - 365 * DAY)] {
        store
            .create_session(&session(hash), None, at, at + 7200)
            .await
            .unwrap();
        let reference = format!("ref-{hash}");
        let new = NewApplication {
            reference: &reference,
            control_flow_id: "cf",
            partner_id: "test-partner",
            consent_type: "TERMS",
            terms_version: "SG-EN-2026-11",
            step: BankStep::Created,
            decision: None,
            event: None,
            handover: None,
        };
        store.insert_application(hash, &new, at).await.unwrap();
        let event = bff::store::WebhookEvent {
            id: format!("evt-{hash}"),
            partner_id: "test-partner".into(),
            reference: reference.clone(),
            body: "{}".into(),
        };
        assert!(store
            .store_decision(hash, &Decision::Referred, None, Some(&event), at)
            .await
            .unwrap());
        store.event_delivered(&event.id, at * 1000).await.unwrap();
        store
            .save_idempotent_response(hash, "key", "{}", "", at)
            .await
            .unwrap();
    }
    store
        .save_idempotent_response("recent", "key", "{}", "", now - 60)
        .await
        .unwrap();

    let purged = store.purge(&periods, 20, now).await.unwrap();
    assert_eq!(purged.sessions, 1, "{purged:?}");
    assert_eq!(purged.applications, 1, "{purged:?}");
    assert_eq!(
        purged.events, 2,
        "both delivered over 30 days ago: {purged:?}"
    );

    let count = |sql: &'static str| query_count(&url, sql);
    assert_eq!(
        count("SELECT COUNT(*) FROM sessions WHERE token_hash IN ('abandoned', 'old')").await,
        0
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM sessions WHERE token_hash IN ('recent', 'kept')").await,
        2
    );
    assert_eq!(count("SELECT COUNT(*) FROM applications").await, 1);
    assert_eq!(
        count("SELECT COUNT(*) FROM consents WHERE reference = 'ref-kept'").await,
        1,
        "the evidence inside its period is kept"
    );
    assert_eq!(count("SELECT COUNT(*) FROM consents").await, 1);
    assert_eq!(
        count("SELECT COUNT(*) FROM idempotent_responses").await,
        1,
        "only the answer of a minute ago"
    );
    // A second pass finds nothing more.
    assert_eq!(
        store.purge(&periods, 20, now).await.unwrap(),
        bff::store::Purged::default()
    );
}

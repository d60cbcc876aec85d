//! Everything a journey needs is in the database: a new BFF process continues it.

use crate::helpers::{finances_form, spawn_app};
use onboarding_core::{Decision, Stage};

#[tokio::test]
async fn a_journey_continues_on_a_restarted_bff() {
    let app = spawn_app().await;
    let customer = app.through_identity("Tan").await;
    let old_address = app.address.clone();

    let app = app.restart().await;

    // The old process is gone (a fresh client, so no pooled connection can answer).
    assert!(reqwest::get(format!("{old_address}/healthz"))
        .await
        .is_err());
    let resumed = app.current(&customer.token).await.journey();
    assert_eq!(resumed.progress.stage, Stage::Finances);
    assert_eq!(
        resumed.progress.reference.as_deref(),
        Some(customer.reference.as_str())
    );

    let form = finances_form(&resumed, "EMPLOYED", "60000");
    let progress = app
        .finances(&customer.token, &customer.reference, &form)
        .await
        .progress();
    assert_eq!(progress.stage, Stage::Result);
    assert!(
        matches!(progress.decision, Some(Decision::Approved { .. })),
        "{progress:?}"
    );
    // The new process continued the bank's application rather than opening another.
    assert_eq!(app.bank.applications(&app.client).await.len(), 1);
}

//! Everything a journey needs is in the database: a new BFF process continues it.

use crate::helpers::spawn_app;
use onboarding_core::Stage;

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

    app.finances_approved(&customer.token, &customer.reference, &resumed)
        .await;
    // The new process continued the bank's application rather than opening another.
    assert_eq!(app.bank.applications(&app.client).await.len(), 1);
}

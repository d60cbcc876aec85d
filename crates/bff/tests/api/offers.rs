//! The bank's offers and what the customer can do with them: counter-offers instead of the
//! card applied for, cross-sell offers beside an approval, and the full submission when the
//! bank wants to review the application by hand.

use crate::decisions::decision_of;
use crate::helpers::{spawn_app, TestApp};
use bank_api::paths;
use onboarding_core::api::ErrorCode;
use onboarding_core::{CreditLimit, Decision, Offer};
use serde_json::json;

fn sgd(amount: u64) -> CreditLimit {
    CreditLimit {
        amount,
        currency: "SGD".into(),
    }
}

fn offer(id: &str, card: &str, amount: u64, accepted: bool) -> Offer {
    Offer {
        id: id.into(),
        card: card.into(),
        credit_limit: sgd(amount),
        accepted,
    }
}

/// A customer decided with this surname: token, reference and the decision.
async fn decided(app: &TestApp, surname: &str) -> (String, String, Decision) {
    let customer = app.through_identity(surname).await;
    let decision = decision_of_customer(app, &customer).await;
    (customer.token, customer.reference, decision)
}

#[tokio::test]
async fn a_counter_offer_is_shown_with_card_names_and_one_can_be_accepted() {
    let app = spawn_app().await;
    let (token, reference, decision) = decided(&app, "Counteroffer").await;
    assert_eq!(
        decision,
        Decision::CounterOffered {
            offers: vec![
                offer("1", "Rewards Card", 5_000, false),
                offer("2", "Simplicity Card", 10_000, false),
            ]
        }
    );

    let progress = app.accept_offer(&token, &reference, "2").await.progress();
    let Some(Decision::Approved {
        card,
        credit_limit,
        offers,
        ..
    }) = &progress.decision
    else {
        panic!("an accepted counter-offer is an approval: {progress:?}")
    };
    assert_eq!(card.as_deref(), Some("Simplicity Card"));
    assert_eq!(*credit_limit, sgd(10_000));
    assert!(offers.is_empty());
    let at_bank = app.bank.application(&app.client, &reference).await;
    assert_eq!(at_bank["acceptedOffers"], json!(["2"]));
    assert_eq!(at_bank["stage"], "APPROVAL");
    // The accepted offer is what a reload shows.
    assert_eq!(
        crate::helpers::unsigned(app.current(&token).await.journey().progress),
        crate::helpers::unsigned(progress.clone())
    );

    // Counter-offers are alternatives: the other one is no longer open.
    app.accept_offer(&token, &reference, "1")
        .await
        .refused_with(ErrorCode::OfferNotFound);
    assert_eq!(
        app.bank
            .calls_to("POST", &paths::offer_acceptance(&reference)),
        1
    );
}

#[tokio::test]
async fn a_cross_sell_offer_beside_an_approval_can_be_added_once() {
    let app = spawn_app().await;
    let (token, reference, decision) = decided(&app, "Crosssell").await;
    let Decision::Approved {
        card,
        credit_limit,
        offers,
        ..
    } = &decision
    else {
        panic!("approved: {decision:?}")
    };
    assert_eq!(*card, None, "the card applied for");
    assert_eq!(*credit_limit, sgd(10_000));
    assert_eq!(*offers, vec![offer("1", "Ready Credit", 5_000, false)]);

    let progress = app.accept_offer(&token, &reference, "1").await.progress();
    let Some(Decision::Approved { offers, .. }) = &progress.decision else {
        panic!("still approved: {progress:?}")
    };
    assert_eq!(*offers, vec![offer("1", "Ready Credit", 5_000, true)]);
    assert_eq!(
        app.bank.application(&app.client, &reference).await["acceptedOffers"],
        json!(["1"])
    );
    app.accept_offer(&token, &reference, "1")
        .await
        .refused_with(ErrorCode::OfferNotFound);
}

#[tokio::test]
async fn offers_that_were_not_made_are_not_found_and_the_bank_is_not_asked() {
    let app = spawn_app().await;
    // Before any decision.
    let customer = app.through_identity("Counteroffer").await;
    app.accept_offer(&customer.token, &customer.reference, "1")
        .await
        .refused_with(ErrorCode::OfferNotFound);
    // A plain approval has no offers.
    let (token, reference, _) = decided(&app, "Tan").await;
    app.accept_offer(&token, &reference, "1")
        .await
        .refused_with(ErrorCode::OfferNotFound);
    // An id the decision did not list.
    let (token, reference, _) = decided(&app, "Counteroffer").await;
    app.accept_offer(&token, &reference, "7")
        .await
        .refused_with(ErrorCode::OfferNotFound);
    // Another session's application.
    app.accept_offer(&token, &customer.reference, "1")
        .await
        .refused_with(ErrorCode::ApplicationNotFound);
    let acceptances = app
        .bank
        .exchanges()
        .iter()
        .filter(|e| e.path.ends_with("/offerAcceptance"))
        .count();
    assert_eq!(acceptances, 0);
}

#[tokio::test]
async fn manual_review_submits_the_full_application_and_says_it_is_under_review() {
    let app = spawn_app().await;
    let customer = app.through_identity("applicationNeedsManualReview").await;
    let decision = decision_of_customer(&app, &customer).await;
    assert_eq!(decision, Decision::UnderReview);
    let at_bank = app.bank.application(&app.client, &customer.reference).await;
    assert_eq!(at_bank["stage"], "SUBMITTED");
    assert_eq!(
        app.bank
            .calls_to("POST", &paths::submission(&customer.reference)),
        1
    );
    // A reload shows the same screen without submitting again.
    let resumed = app.current(&customer.token).await.journey().progress;
    assert_eq!(resumed.decision, Some(Decision::UnderReview));
    assert_eq!(
        app.bank
            .calls_to("POST", &paths::submission(&customer.reference)),
        1
    );
}

async fn decision_of_customer(app: &TestApp, customer: &crate::helpers::Customer) -> Decision {
    let form = crate::helpers::finances_form(&customer.journey, "EMPLOYED", "60000");
    app.finances(&customer.token, &customer.reference, &form)
        .await
        .progress()
        .decision
        .expect("decided")
}

#[tokio::test]
async fn the_decision_table_still_holds_for_a_plain_journey() {
    let app = spawn_app().await;
    assert!(matches!(
        decision_of(&app, "Tan", "EMPLOYED", "60000").await,
        Decision::Approved { ref offers, .. } if offers.is_empty()
    ));
}

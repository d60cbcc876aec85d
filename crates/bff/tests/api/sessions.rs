//! Starting a session from a partner's placement, and resuming it.

use crate::helpers::{
    about_you_form, finances_form, identity_form, spawn_app, spawn_app_with, MARKET, PARTNER,
    PARTNER_ORIGIN, RETURN_URL,
};
use bank_api::paths;
use onboarding_core::api::ErrorCode;
use onboarding_core::{Decision, Stage};
use reqwest::StatusCode;
use std::time::Duration;

#[tokio::test]
async fn placements_off_the_allowlist_are_refused() {
    let app = spawn_app().await;
    let refused = [
        ("nobody", MARKET, RETURN_URL),
        ("", MARKET, RETURN_URL),
        ("TEST-PARTNER", MARKET, RETURN_URL),
        (PARTNER, "MY", RETURN_URL),
        (PARTNER, "XX", RETURN_URL),
        (PARTNER, "", RETURN_URL),
        // Look-alike hosts, paths and schemes of the allowed return URL.
        (PARTNER, MARKET, "http://partner.test.evil/done"),
        (PARTNER, MARKET, "http://partner.test/done-evil"),
        (PARTNER, MARKET, "http://partner.test/don"),
        (PARTNER, MARKET, "http://partner.test/"),
        (PARTNER, MARKET, "https://partner.test/done"),
        (PARTNER, MARKET, "http://partner.test:8080/done"),
        (PARTNER, MARKET, "http://evil.test/done"),
        (
            PARTNER,
            MARKET,
            "http://evil.test/?http://partner.test/done",
        ),
        (PARTNER, MARKET, "http://partner.test@evil.test/done"),
        (PARTNER, MARKET, "http://user@partner.test/done"),
        (PARTNER, MARKET, "http://partner.test/done#fragment"),
        (PARTNER, MARKET, "javascript:alert(1)//partner.test/done"),
        (PARTNER, MARKET, "//partner.test/done"),
        (PARTNER, MARKET, "/done"),
        (PARTNER, MARKET, ""),
    ];
    for (partner, market, return_url) in refused {
        let answer = app.start_session_with(partner, market, return_url).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{partner:?} {market:?} {return_url:?}: {}",
            answer.body
        );
        let error = answer.refused_with(ErrorCode::UnknownPartner);
        assert!(!error.retryable);
    }

    // At or below the allowed path, the market's code in any case: accepted.
    for return_url in [
        RETURN_URL,
        "http://partner.test/done/sg?order=42",
        "http://PARTNER.test/done",
    ] {
        let answer = app.start_session_with(PARTNER, "sg", return_url).await;
        assert_eq!(
            answer.status,
            StatusCode::CREATED,
            "{return_url}: {}",
            answer.body
        );
    }
}

#[tokio::test]
async fn a_new_session_carries_everything_the_widget_needs() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;

    assert_eq!(token.len(), 64, "a 256-bit token");
    assert_eq!(journey.partner.id, PARTNER);
    assert_eq!(journey.partner.name, "Test Partner");
    assert_eq!(journey.partner.origin, PARTNER_ORIGIN);
    assert_eq!(journey.partner.return_url, RETURN_URL);
    assert_eq!(journey.market.currency, "SGD");
    assert!(!journey.terms.version.is_empty());
    assert!(!journey.terms.paragraphs.is_empty());
    for list in &journey.reference_data.lists {
        assert!(!list.options.is_empty(), "{:?} has no options", list.field);
    }
    assert_eq!(
        journey.reference_data.lists.len(),
        onboarding_core::ReferenceField::ALL.len()
    );
    assert_eq!(journey.progress.stage, Stage::AboutYou);
    assert_eq!(journey.progress.reference, None);

    // Two visits are two sessions.
    let (other, _) = app.start_session().await;
    assert_ne!(token, other);
}

#[tokio::test]
async fn a_session_resumes_where_the_customer_left_it() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;

    let fresh = app.current(&token).await.journey();
    assert_eq!(fresh.progress.stage, Stage::AboutYou);
    assert_eq!(fresh.progress.reference, None);

    let reference = app.about_you_reference(&token, &journey, "Tan").await;
    let after_one = app.current(&token).await.journey();
    assert_eq!(after_one.progress.stage, Stage::Identity);
    assert_eq!(
        after_one.progress.reference.as_deref(),
        Some(reference.as_str())
    );
    assert_eq!(after_one.progress.decision, None);
    assert_eq!(after_one.partner, journey.partner);
    assert_eq!(after_one.terms, journey.terms);

    app.identity(&token, &reference, &identity_form(&journey))
        .await
        .progress();
    let after_two = app.current(&token).await.journey();
    assert_eq!(after_two.progress.stage, Stage::Finances);
    assert_eq!(
        after_two.progress.reference.as_deref(),
        Some(reference.as_str())
    );
}

#[tokio::test]
async fn an_expired_session_is_refused_and_its_application_left_alone() {
    let app = spawn_app_with(&[("SESSION_TTL_SECS", "2")]).await;
    let (token, journey) = app.start_session().await;
    let reference = app.about_you_reference(&token, &journey, "Tan").await;
    app.current(&token).await.journey();

    // Past its lifetime (stored to the second, so wait a whole second more).
    tokio::time::sleep(Duration::from_secs(3)).await;

    let error = app
        .current(&token)
        .await
        .refused_with(ErrorCode::SessionRequired);
    assert!(error.message.contains("expired"), "{}", error.message);
    app.identity(&token, &reference, &identity_form(&journey))
        .await
        .refused_with(ErrorCode::SessionRequired);
    app.about_you(&token, &about_you_form(&journey, "Tan"))
        .await
        .refused_with(ErrorCode::SessionRequired);
    assert_eq!(app.bank.calls_to("PUT", &paths::application(&reference)), 0);
    assert_eq!(app.bank.applications(&app.client).await.len(), 1);
}

#[tokio::test]
async fn a_session_cannot_read_or_change_another_sessions_application() {
    let app = spawn_app().await;
    // The owner is decided with two counter-offers open; the stranger has an application too.
    let owner = app.through_identity("Counteroffer").await;
    let form = finances_form(&owner.journey, "EMPLOYED", "60000");
    let decided = app
        .finances(&owner.token, &owner.reference, &form)
        .await
        .progress();
    assert!(
        matches!(decided.decision, Some(Decision::CounterOffered { .. })),
        "{decided:?}"
    );
    let (stranger, journey) = app.start_session().await;
    let own = app.about_you_reference(&stranger, &journey, "Lim").await;

    app.accept_offer(&stranger, &owner.reference, "1")
        .await
        .refused_with(ErrorCode::ApplicationNotFound);
    app.identity(&stranger, &owner.reference, &identity_form(&journey))
        .await
        .refused_with(ErrorCode::ApplicationNotFound);
    app.finances(&stranger, &owner.reference, &form)
        .await
        .refused_with(ErrorCode::ApplicationNotFound);

    // Each session reads its own application only.
    let seen = app.current(&stranger).await.journey().progress;
    assert_eq!(seen.reference.as_deref(), Some(own.as_str()));
    assert_eq!(seen.stage, Stage::Identity);
    assert_eq!(seen.decision, None);
    assert_eq!(
        crate::helpers::unsigned(app.current(&owner.token).await.journey().progress),
        crate::helpers::unsigned(decided.clone())
    );
    // Nothing reached the bank on the owner's application.
    assert_eq!(
        app.bank
            .calls_to("POST", &paths::offer_acceptance(&owner.reference)),
        0
    );
    assert_eq!(
        app.bank
            .calls_to("PUT", &paths::application(&owner.reference)),
        2,
        "the owner's own two updates"
    );
    // The owner still has both offers to choose from.
    app.accept_offer(&owner.token, &owner.reference, "1")
        .await
        .progress();
}

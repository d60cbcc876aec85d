//! Resuming with a handle, where the browser keeps no token for the widget's frame: the
//! partner's page keeps the handle, but only the widget's own page can exchange it, once.

use crate::helpers::{
    about_you_form, identity_form, spawn_app, spawn_app_with, Answer, TestApp, MARKET,
    OTHER_PARTNER, PARTNER, PARTNER_ORIGIN, RETURN_URL,
};
use onboarding_core::api::{routes, ErrorCode, ResumeSession, SessionStarted, StartSession};
use onboarding_core::Stage;
use reqwest::header::ORIGIN;
use reqwest::StatusCode;
use std::time::Duration;

/// A new session of the test partner's placement, with its resume handle.
async fn start(app: &TestApp) -> SessionStarted {
    let body = StartSession {
        partner: PARTNER.into(),
        market: MARKET.into(),
        return_url: RETURN_URL.into(),
        placement: None,
        language: None,
    };
    let answer = app
        .send(app.client.post(app.url(routes::SESSIONS)).json(&body))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    serde_json::from_str(&answer.body).expect("a SessionStarted")
}

/// The exchange of `handle` for the test partner's placement, sent with `origin` (the
/// widget's own when `None`, as its page sends it).
async fn exchange(app: &TestApp, handle: &str, origin: Option<&str>) -> Answer {
    exchange_for(app, handle, PARTNER, origin).await
}

async fn exchange_for(app: &TestApp, handle: &str, partner: &str, origin: Option<&str>) -> Answer {
    let body = ResumeSession {
        handle: handle.into(),
        partner: partner.into(),
        market: MARKET.into(),
    };
    let request = reqwest::Client::new()
        .post(app.url(routes::RESUME_SESSION))
        .header(ORIGIN, origin.unwrap_or(&app.address))
        .json(&body);
    app.send(request).await
}

/// The session an exchange answered.
fn resumed(answer: &Answer) -> SessionStarted {
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    serde_json::from_str(&answer.body).expect("a SessionStarted")
}

/// Asserts an exchange was refused as a handle that resumes nothing, and says why.
fn assert_resumes_nothing(answer: &Answer, what: &str) {
    let error = answer.refused_with(ErrorCode::SessionRequired);
    assert!(!error.retryable, "{what}");
    assert!(
        error.message.contains("resume handle") && error.message.contains("start a new session"),
        "{what}: {}",
        error.message
    );
}

#[tokio::test]
async fn a_handle_resumes_the_same_application_only_from_the_widgets_own_page() {
    let app = spawn_app().await;
    let started = start(&app).await;
    let handle = started.resume_handle.clone();
    assert_eq!(handle.len(), 64, "a 256-bit handle");
    assert_ne!(handle, started.token);
    let reference = app
        .about_you(&started.token, &about_you_form(&started.journey, "Tan"))
        .await
        .progress()
        .reference
        .expect("stage 1 gives a reference");

    // Replayed from the partner's page, which holds it, or any other: refused before anything.
    for origin in [PARTNER_ORIGIN, "http://evil.test", "null"] {
        let answer = exchange(&app, &handle, Some(origin)).await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{origin}: {}",
            answer.body
        );
        assert_eq!(answer.error().code, ErrorCode::ForbiddenOrigin, "{origin}");
        assert!(!answer.body.contains("token"), "{origin}: {}", answer.body);
    }
    let without_origin = reqwest::Client::new()
        .post(app.url(routes::RESUME_SESSION))
        .json(&serde_json::json!({ "handle": handle, "partner": PARTNER, "market": MARKET }));
    assert_eq!(app.send(without_origin).await.status, StatusCode::FORBIDDEN);
    // Not a token either: it reads nothing.
    app.current(&handle)
        .await
        .refused_with(ErrorCode::SessionRequired);

    // From the widget's own page it gives the same application, with a new token and handle.
    let first = resumed(&exchange(&app, &handle, None).await);
    assert_eq!(
        first.journey.progress.reference.as_deref(),
        Some(&*reference)
    );
    assert_eq!(first.journey.progress.stage, Stage::Identity);
    assert_eq!(first.journey.partner.id, PARTNER);
    assert_ne!(first.token, started.token);
    assert_ne!(first.resume_handle, handle);
    let journey = app.current(&first.token).await.journey();
    assert_eq!(journey.progress.reference.as_deref(), Some(&*reference));
    // The new token carries the application on.
    let progress = app
        .identity(&first.token, &reference, &identity_form(&journey))
        .await
        .progress();
    assert_eq!(progress.stage, Stage::Finances);

    // Used once, the handle resumes nothing more, from anywhere.
    assert_resumes_nothing(&exchange(&app, &handle, None).await, "a used handle");

    // The new handle resumes it again, and the token of the last exchange stops working:
    // the page it was given to is gone.
    let second = resumed(&exchange(&app, &first.resume_handle, None).await);
    assert_eq!(
        second.journey.progress.reference.as_deref(),
        Some(&*reference)
    );
    assert_eq!(second.journey.progress.stage, Stage::Finances);
    app.current(&first.token)
        .await
        .refused_with(ErrorCode::SessionRequired);
    app.current(&second.token).await.journey();
    assert_eq!(app.bank.applications(&app.client).await.len(), 1);
}

#[tokio::test]
async fn a_handle_sent_twice_at_once_is_used_once() {
    let app = spawn_app().await;
    let started = start(&app).await;
    let (one, two) = tokio::join!(
        exchange(&app, &started.resume_handle, None),
        exchange(&app, &started.resume_handle, None)
    );
    let mut statuses = [one.status, two.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::UNAUTHORIZED],
        "{} / {}",
        one.body,
        two.body
    );
}

#[tokio::test]
async fn unknown_foreign_or_ended_handles_are_refused_with_a_clear_error() {
    let app = spawn_app_with(&[("SESSION_TTL_SECS", "2")]).await;
    let started = start(&app).await;

    assert_resumes_nothing(
        &exchange(&app, &"0".repeat(64), None).await,
        "an unknown handle",
    );
    assert_resumes_nothing(&exchange(&app, "", None).await, "an empty handle");
    // A handle resumes its own placement only, and is not used up by another's.
    assert_resumes_nothing(
        &exchange_for(&app, &started.resume_handle, OTHER_PARTNER, None).await,
        "another partner's placement",
    );
    assert_resumes_nothing(
        &exchange_for(&app, &started.resume_handle, "nobody", None).await,
        "an unknown partner",
    );
    let malformed = reqwest::Client::new()
        .post(app.url(routes::RESUME_SESSION))
        .header(ORIGIN, &app.address)
        .json(&serde_json::json!({ "handle": started.resume_handle }));
    app.send(malformed)
        .await
        .refused_with(ErrorCode::MalformedRequest);

    // Past the session's lifetime (stored to the second, so a whole second more), its
    // handle ends with it.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let error = exchange(&app, &started.resume_handle, None).await;
    assert_resumes_nothing(&error, "an ended session's handle");
    assert!(error.body.contains("ended"), "{}", error.body);
}

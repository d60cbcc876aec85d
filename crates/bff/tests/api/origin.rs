//! State-changing API calls are only taken from the widget's own page: a forged form or a
//! script on another site is refused before anything happens.

use crate::helpers::{about_you_form, identity_form, new_key, spawn_app, spawn_app_with, TestApp};
use bank_api::paths;
use onboarding_core::api::{routes, ApiError, ErrorCode, IDEMPOTENCY_KEY_HEADER, SESSION_HEADER};
use reqwest::header::ORIGIN;
use reqwest::{Method, StatusCode};

/// Sends a state-changing call with `origin` (or none) and asserts it was refused as foreign.
async fn assert_refused(app: &TestApp, request: reqwest::RequestBuilder, what: &str) {
    let answer = app.send(request).await;
    assert_eq!(
        answer.status,
        StatusCode::FORBIDDEN,
        "{what}: {}",
        answer.body
    );
    let error: ApiError = serde_json::from_str(&answer.body).expect("an ApiError");
    assert_eq!(error.code, ErrorCode::ForbiddenOrigin, "{what}");
    assert!(!error.retryable, "{what}");
    assert!(
        error.message.contains("Origin"),
        "{what}: {}",
        error.message
    );
}

/// A call of the widget's API with `origin`, from a client that adds no origin of its own.
fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    origin: Option<&str>,
) -> reqwest::RequestBuilder {
    let mut request = reqwest::Client::new()
        .request(method, app.url(path))
        .header(SESSION_HEADER, format!("Bearer {token}"))
        .header(IDEMPOTENCY_KEY_HEADER, new_key());
    if let Some(origin) = origin {
        request = request.header(ORIGIN, origin);
    }
    request
}

#[tokio::test]
async fn calls_from_another_site_or_without_an_origin_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;
    let customer = app.through_identity("Tan").await;
    let before = app.bank.applications(&app.client).await.len();
    let updates = app
        .bank
        .calls_to("PUT", &paths::application(&customer.reference));

    let foreign = [
        Some("http://evil.test"),
        Some("http://partner.test"),
        Some("null"),
        // Our host on another scheme or port is another origin.
        Some(&*app.address.replace("http://", "https://")),
        Some(&*format!("{}1", app.address)),
        None,
    ];
    for origin in foreign {
        let what = format!("origin {origin:?}");
        let stage_one = call(&app, Method::POST, routes::APPLICATIONS, &token, origin)
            .json(&about_you_form(&journey, "Tan"));
        assert_refused(&app, stage_one, &what).await;
        let identity = routes::identity(&customer.reference);
        let stage_two = call(&app, Method::PUT, &identity, &customer.token, origin)
            .json(&identity_form(&journey));
        assert_refused(&app, stage_two, &what).await;
        let mut start =
            reqwest::Client::new()
                .post(app.url(routes::SESSIONS))
                .json(&serde_json::json!({
                    "partner": crate::helpers::PARTNER,
                    "market": crate::helpers::MARKET,
                    "return_url": crate::helpers::RETURN_URL,
                }));
        if let Some(origin) = origin {
            start = start.header(ORIGIN, origin);
        }
        assert_refused(&app, start, &what).await;
    }

    // Nothing reached the bank, and both sessions stand where they were.
    assert_eq!(app.bank.applications(&app.client).await.len(), before);
    assert_eq!(
        app.bank
            .calls_to("PUT", &paths::application(&customer.reference)),
        updates
    );
    let fresh = app.current(&token).await.journey();
    assert_eq!(fresh.progress.reference, None);

    // Reads need no origin, and the widget's own origin is taken.
    let read = reqwest::Client::new()
        .get(app.url(routes::CURRENT_SESSION))
        .header(SESSION_HEADER, format!("Bearer {token}"))
        .header(ORIGIN, "http://evil.test");
    assert_eq!(app.send(read).await.status, StatusCode::OK);
    let stage_one = call(
        &app,
        Method::POST,
        routes::APPLICATIONS,
        &token,
        Some(&app.address),
    )
    .json(&about_you_form(&journey, "Tan"));
    app.send(stage_one).await.progress();
    assert_eq!(app.bank.applications(&app.client).await.len(), before + 1);
}

#[tokio::test]
async fn with_a_public_origin_only_that_origin_is_taken() {
    let app = spawn_app_with(&[("PUBLIC_ORIGIN", "https://cards.bank.example")]).await;
    let start = |origin: &str| {
        reqwest::Client::new()
            .post(app.url(routes::SESSIONS))
            .header(ORIGIN, origin)
            .json(&serde_json::json!({
                "partner": crate::helpers::PARTNER,
                "market": crate::helpers::MARKET,
                "return_url": crate::helpers::RETURN_URL,
            }))
    };
    // Behind a proxy that ends TLS, the host the BFF sees is not the one the browser used.
    assert_refused(&app, start(&app.address), "the address the BFF listens on").await;
    let answer = app.send(start("https://cards.bank.example")).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let error = app
        .send(
            app.client
                .post(app.url(routes::APPLICATIONS))
                .header(ORIGIN, "https://cards.bank.example")
                .json(&serde_json::json!({})),
        )
        .await;
    // Past the origin check: refused for the missing session instead.
    error.refused_with(ErrorCode::SessionRequired);
}

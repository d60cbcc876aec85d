//! Rate limits per client address and per partner: 429 with Retry-After past the limit,
//! and nobody else slowed down.

use crate::helpers::{
    spawn_app_with, widget_client, TestApp, MARKET, OTHER_PARTNER, PARTNER, RETURN_URL,
};
use onboarding_core::api::{
    routes, ApiError, ErrorCode, SessionStarted, StartSession, SESSION_HEADER,
};
use reqwest::header::RETRY_AFTER;
use reqwest::StatusCode;
use std::net::IpAddr;

/// A client calling from another local address, as another customer would.
fn client_at(app: &TestApp, address: &str) -> reqwest::Client {
    let local: IpAddr = address.parse().unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, app.address.parse().unwrap());
    reqwest::Client::builder()
        .local_address(local)
        .default_headers(headers)
        .build()
        .unwrap()
}

fn start(app: &TestApp, client: &reqwest::Client, partner: &str) -> reqwest::RequestBuilder {
    client.post(app.url(routes::SESSIONS)).json(&StartSession {
        partner: partner.into(),
        market: MARKET.into(),
        return_url: RETURN_URL.into(),
        customer: None,
        language: None,
    })
}

fn apply(app: &TestApp, client: &reqwest::Client, partner: &str) -> reqwest::RequestBuilder {
    client.get(app.url("/apply")).query(&[
        ("partner", partner),
        ("market", MARKET),
        ("return_url", RETURN_URL),
    ])
}

/// Asserts a 429 that says when to come back, at most `max_secs` from now.
fn assert_limited(answer: &crate::helpers::Answer, max_secs: u64, what: &str) {
    assert_eq!(
        answer.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{what}: {}",
        answer.body
    );
    let retry_after: u64 = answer.headers[RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After in seconds");
    assert!(
        (1..=max_secs).contains(&retry_after),
        "{what}: {retry_after}"
    );
}

fn assert_limited_call(answer: &crate::helpers::Answer, max_secs: u64, what: &str) {
    assert_limited(answer, max_secs, what);
    let error: ApiError = serde_json::from_str(&answer.body).expect("an ApiError");
    assert_eq!(error.code, ErrorCode::TooManyRequests, "{what}");
    assert!(error.retryable, "{what}");
}

#[tokio::test]
async fn an_address_over_its_limit_waits_and_other_addresses_do_not() {
    // Four a minute: one every fifteen seconds once the burst is used.
    let app = spawn_app_with(&[("RATE_LIMIT_PER_ADDRESS", "4")]).await;
    let (token, _) = app.start_session().await;
    app.current(&token).await.journey();
    assert_eq!(
        app.send(apply(&app, &app.client, PARTNER)).await.status,
        StatusCode::OK
    );
    app.current(&token).await.journey();

    assert_limited_call(&app.current(&token).await, 15, "a read");
    assert_limited_call(
        &app.send(start(&app, &app.client, PARTNER)).await,
        15,
        "a session start",
    );
    let page = app.send(apply(&app, &app.client, PARTNER)).await;
    assert_limited(&page, 15, "the widget page");
    assert!(page.body.contains("busy"), "{}", page.body);
    // The widget's files and the health check are not counted.
    let health = app.send(app.client.get(app.url("/healthz"))).await;
    assert_eq!(health.status, StatusCode::OK);

    // Another customer, at another address, is served as usual.
    let other = client_at(&app, "127.0.0.2");
    let started = app.send(start(&app, &other, PARTNER)).await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    let started: SessionStarted = serde_json::from_str(&started.body).unwrap();
    let resumed = other
        .get(app.url(routes::CURRENT_SESSION))
        .header(SESSION_HEADER, format!("Bearer {}", started.token));
    assert_eq!(app.send(resumed).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_partner_over_its_limit_waits_and_other_partners_do_not() {
    let app = spawn_app_with(&[("RATE_LIMIT_PER_PARTNER", "3")]).await;
    // Each customer at an address of their own: only the partner's limit can apply.
    let customers: Vec<_> = (2..8)
        .map(|n| client_at(&app, &format!("127.0.0.{n}")))
        .collect();
    let first = app.send(start(&app, &customers[0], PARTNER)).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let token = serde_json::from_str::<SessionStarted>(&first.body)
        .unwrap()
        .token;
    assert_eq!(
        app.send(start(&app, &customers[1], PARTNER)).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.send(apply(&app, &customers[2], PARTNER)).await.status,
        StatusCode::OK
    );

    // Three a minute: one every twenty seconds once the burst is used.
    let what = "a session start";
    assert_limited_call(
        &app.send(start(&app, &customers[3], PARTNER)).await,
        20,
        what,
    );
    let resumed = customers[4]
        .get(app.url(routes::CURRENT_SESSION))
        .header(SESSION_HEADER, format!("Bearer {token}"));
    assert_limited_call(
        &app.send(resumed).await,
        20,
        "a call of a session of the partner",
    );
    assert_limited(
        &app.send(apply(&app, &customers[5], PARTNER)).await,
        20,
        "the widget page",
    );

    // Another partner's customers are served as usual.
    let other = app.send(start(&app, &customers[0], OTHER_PARTNER)).await;
    assert_eq!(other.status, StatusCode::CREATED, "{}", other.body);
    let page = app
        .send(apply(&app, &widget_client(&app.address), OTHER_PARTNER))
        .await;
    assert_eq!(page.status, StatusCode::OK);
}

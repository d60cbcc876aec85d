//! Rate limits per client address, per partner (charged only for work that reaches the
//! bank) and for CSP reports: 429 with Retry-After past the limit, and nobody else slowed
//! down.

use crate::helpers::{
    about_you_form, new_key, spawn_app_with, TestApp, MARKET, OTHER_PARTNER, PARTNER, RETURN_URL,
};
use bff::rate_limit::CSP_REPORTS_PER_MINUTE;
use onboarding_core::api::{
    routes, ApiError, ErrorCode, SessionStarted, StartSession, IDEMPOTENCY_KEY_HEADER,
    SESSION_HEADER,
};
use onboarding_core::forms::AboutYouForm;
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
        placement: None,
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

/// A stage 1 sent by `client`, as a customer at its address would.
fn about_you_at(
    app: &TestApp,
    client: &reqwest::Client,
    token: &str,
    form: &AboutYouForm,
) -> reqwest::RequestBuilder {
    client
        .post(app.url(routes::APPLICATIONS))
        .header(SESSION_HEADER, format!("Bearer {token}"))
        .header(IDEMPOTENCY_KEY_HEADER, new_key())
        .json(form)
}

/// A session of `partner` started by `client`.
async fn session_at(app: &TestApp, client: &reqwest::Client, partner: &str) -> SessionStarted {
    let started = app.send(start(app, client, partner)).await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    serde_json::from_str(&started.body).unwrap()
}

#[tokio::test]
async fn a_partner_over_its_limit_waits_and_other_partners_do_not() {
    let app = spawn_app_with(&[("RATE_LIMIT_PER_PARTNER", "3")]).await;
    // Each customer at an address of their own: only the partner's limit can apply.
    let customers: Vec<_> = (2..6)
        .map(|n| client_at(&app, &format!("127.0.0.{n}")))
        .collect();
    let mut sessions = Vec::new();
    for customer in &customers {
        sessions.push(session_at(&app, customer, PARTNER).await);
    }
    // Three stages reach the bank: the partner's whole minute.
    for (customer, session) in customers.iter().zip(&sessions).take(3) {
        let form = about_you_form(&session.journey, "Tan");
        let created = app
            .send(about_you_at(&app, customer, &session.token, &form))
            .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    }
    let bank_calls = app.bank.calls_total();

    // Three a minute: one every twenty seconds once the burst is used.
    let form = about_you_form(&sessions[3].journey, "Tan");
    assert_limited_call(
        &app.send(about_you_at(&app, &customers[3], &sessions[3].token, &form))
            .await,
        20,
        "a stage that would reach the bank",
    );
    assert_eq!(
        app.bank.calls_total(),
        bank_calls,
        "refused before the bank"
    );
    let metrics = app.metrics();
    assert!(
        metrics.contains(r#"bff_partner_budget_warnings_total{partner="test-partner"} 1"#),
        "{metrics}"
    );

    // What does not reach the bank is still served to the partner's customers.
    let read = customers[3]
        .get(app.url(routes::CURRENT_SESSION))
        .header(SESSION_HEADER, format!("Bearer {}", sessions[0].token));
    assert_eq!(app.send(read).await.status, StatusCode::OK);
    session_at(&app, &customers[3], PARTNER).await;
    assert_eq!(
        app.send(apply(&app, &customers[3], PARTNER)).await.status,
        StatusCode::OK
    );

    // Another partner's customers are served as usual.
    let other = session_at(&app, &customers[0], OTHER_PARTNER).await;
    let form = about_you_form(&other.journey, "Tan");
    let created = app
        .send(about_you_at(&app, &customers[0], &other.token, &form))
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
}

#[tokio::test]
async fn requests_that_do_not_reach_the_bank_cannot_use_up_a_partners_limit() {
    let app = spawn_app_with(&[("RATE_LIMIT_PER_PARTNER", "3")]).await;
    // An attacker at ten addresses, each well within its own limit, all against one partner.
    for n in 10..20 {
        let attacker = client_at(&app, &format!("127.0.0.{n}"));
        let session = session_at(&app, &attacker, PARTNER).await;
        assert_eq!(
            app.send(apply(&app, &attacker, PARTNER)).await.status,
            StatusCode::OK
        );
        for _ in 0..3 {
            let read = attacker
                .get(app.url(routes::CURRENT_SESSION))
                .header(SESSION_HEADER, format!("Bearer {}", session.token));
            assert_eq!(app.send(read).await.status, StatusCode::OK);
        }
        // A form the BFF's checks refuse, and a body that is no form at all.
        let mut invalid = about_you_form(&session.journey, "Tan");
        invalid.email = "not an email".into();
        let refused = app
            .send(about_you_at(&app, &attacker, &session.token, &invalid))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        let malformed = attacker
            .post(app.url(routes::APPLICATIONS))
            .header(SESSION_HEADER, format!("Bearer {}", session.token))
            .header(IDEMPOTENCY_KEY_HEADER, new_key())
            .json(&serde_json::json!({ "surname": "Tan" }));
        assert_eq!(app.send(malformed).await.status, StatusCode::BAD_REQUEST);
    }
    assert_eq!(
        app.bank.calls_to("POST", bank_api::paths::APPLICATIONS),
        0,
        "nothing reached the bank"
    );

    // The partner's real customer still gets through, its stage reaching the bank.
    let customer = client_at(&app, "127.0.0.2");
    let session = session_at(&app, &customer, PARTNER).await;
    let form = about_you_form(&session.journey, "Tan");
    let created = app
        .send(about_you_at(&app, &customer, &session.token, &form))
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let metrics = app.metrics();
    assert!(!metrics.contains(r#"limit="partner""#), "{metrics}");
}

#[tokio::test]
async fn csp_reports_are_limited_per_address_apart_from_the_api() {
    let app = spawn_app_with(&[("RATE_LIMIT_PER_ADDRESS", "4")]).await;
    let report = || {
        app.client.post(app.url("/csp-reports")).body(
            r#"{"csp-report":{"effective-directive":"img-src","blocked-uri":"https://evil.example/x.png"}}"#,
        )
    };
    for _ in 0..CSP_REPORTS_PER_MINUTE {
        assert_eq!(app.send(report()).await.status, StatusCode::NO_CONTENT);
    }
    // Thirty a minute: one every two seconds once the burst is used.
    assert_limited_call(&app.send(report()).await, 2, "a flood of reports");
    let metrics = app.metrics();
    assert!(
        metrics.contains(r#"bff_rate_limited_total{limit="csp_reports"} 1"#),
        "{metrics}"
    );

    // The flood cost the customer's journey nothing: the API's allowance is whole.
    let (token, _) = app.start_session().await;
    for _ in 0..3 {
        app.current(&token).await.journey();
    }
    // Another address may still report.
    let other = client_at(&app, "127.0.0.2")
        .post(app.url("/csp-reports"))
        .body(r#"{"csp-report":{"effective-directive":"img-src","blocked-uri":"inline"}}"#);
    assert_eq!(app.send(other).await.status, StatusCode::NO_CONTENT);
}

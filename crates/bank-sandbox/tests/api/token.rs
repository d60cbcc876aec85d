//! The OAuth2 client-credentials token endpoint.

use crate::support::*;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use bank_sandbox::SandboxConfig;
use std::time::Duration;

#[tokio::test]
async fn good_credentials_get_a_bearer_token() {
    let sandbox = Sandbox::instant().await;
    let (status, body) = sandbox
        .send(token_request(&basic(CLIENT_ID, CLIENT_SECRET), FORM))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token: bank_api::TokenResponse = serde_json::from_value(body).unwrap();
    assert_eq!(token.token_type, "bearer");
    assert_eq!(token.expires_in, 1800);
    assert_eq!(token.scope, "/api");
    assert_eq!(token.access_token.len(), 32);
    assert_ne!(token.access_token, sandbox.token, "every token is new");

    // The token opens resource calls.
    let (status, body) = sandbox
        .call(
            Method::GET,
            "/api/v1/apac/utilities/referenceData/salutation",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn the_configured_credentials_and_lifetime_are_used() {
    let config = SandboxConfig {
        client_id: "partner-7".into(),
        client_secret: "p@ss:word".into(),
        token_lifetime: Duration::from_secs(60),
        ..SandboxConfig::default()
    };
    let router = bank_sandbox::app(config);
    let request = token_request(&basic("partner-7", "p@ss:word"), FORM);
    let response = tower::ServiceExt::oneshot(router, request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let token: bank_api::TokenResponse = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(token.expires_in, 60);
}

#[tokio::test]
async fn bad_credentials_are_unauthorized() {
    let sandbox = Sandbox::instant().await;
    for authorization in [
        basic(CLIENT_ID, "wrong-secret"),
        basic("someone-else", CLIENT_SECRET),
        basic(CLIENT_ID, ""),
        format!("Bearer {}", sandbox.token),
        "Basic not-base64!".to_owned(),
        format!("Basic {}", "c2FuZGJveC1jbGllbnQ="), // "sandbox-client" without a colon
        String::new(),
    ] {
        let answer = sandbox.send(token_request(&authorization, FORM)).await;
        assert_error(&answer, 401, "error", "unAuthorized", None);
    }
    let no_header = Request::post(TOKEN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(FORM))
        .unwrap();
    assert_error(
        &sandbox.send(no_header).await,
        401,
        "error",
        "unAuthorized",
        None,
    );
}

#[tokio::test]
async fn wrong_grant_type_is_an_invalid_request() {
    let sandbox = Sandbox::instant().await;
    let auth = basic(CLIENT_ID, CLIENT_SECRET);
    for form in [
        "grant_type=password&scope=%2Fapi",
        "grant_type=authorization_code&scope=/api",
        "scope=%2Fapi",
    ] {
        let answer = sandbox.send(token_request(&auth, form)).await;
        assert_error(
            &answer,
            400,
            "invalid",
            "invalidRequest",
            Some("grant_type"),
        );
    }
}

#[tokio::test]
async fn a_scope_without_api_is_an_invalid_request() {
    let sandbox = Sandbox::instant().await;
    let auth = basic(CLIENT_ID, CLIENT_SECRET);
    for form in [
        "grant_type=client_credentials",
        "grant_type=client_credentials&scope=%2Fother",
    ] {
        let answer = sandbox.send(token_request(&auth, form)).await;
        assert_error(&answer, 400, "invalid", "invalidRequest", Some("scope"));
    }
    let several = "grant_type=client_credentials&scope=openid+%2Fapi";
    let (status, body) = sandbox.send(token_request(&auth, several)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn the_token_form_must_be_url_encoded() {
    let sandbox = Sandbox::instant().await;
    let request = Request::post(TOKEN)
        .header(header::AUTHORIZATION, basic(CLIENT_ID, CLIENT_SECRET))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            r#"{"grant_type":"client_credentials","scope":"/api"}"#,
        ))
        .unwrap();
    let answer = sandbox.send(request).await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("Content-Type"),
    );
}

#[tokio::test]
async fn a_market_the_sandbox_does_not_serve_gets_no_token() {
    let sandbox = Sandbox::instant().await;
    let request = Request::post("/api/clientCredentials/oauth2/token/gb/gcb")
        .header(header::AUTHORIZATION, basic(CLIENT_ID, CLIENT_SECRET))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(FORM))
        .unwrap();
    let answer = sandbox.send(request).await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("countryCode"),
    );
    // The bank's path uses the lowercase code; the uppercase one is accepted too.
    let request = Request::post("/api/clientCredentials/oauth2/token/SG/gcb")
        .header(header::AUTHORIZATION, basic(CLIENT_ID, CLIENT_SECRET))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(FORM))
        .unwrap();
    assert_eq!(sandbox.send(request).await.0, StatusCode::OK);
}

#[tokio::test]
async fn expired_tokens_are_unauthorized() {
    let sandbox = Sandbox::new(SandboxConfig {
        token_lifetime: Duration::ZERO,
        ..instant_screening()
    })
    .await;
    let answer = sandbox
        .call(
            Method::GET,
            "/api/v1/apac/utilities/referenceData/salutation",
            None,
        )
        .await;
    assert_error(&answer, 401, "error", "unAuthorized", None);
}

#[tokio::test]
async fn every_market_of_the_lead_capture_journey_gets_a_token() {
    let sandbox = Sandbox::instant().await;
    for market in [
        "au", "hk", "in", "id", "my", "ph", "pl", "ru", "sg", "th", "ae", "vn",
    ] {
        let request = Request::post(format!("/api/clientCredentials/oauth2/token/{market}/gcb"))
            .header(header::AUTHORIZATION, basic(CLIENT_ID, CLIENT_SECRET))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(FORM))
            .unwrap();
        let (status, body) = sandbox.send(request).await;
        assert_eq!(status, StatusCode::OK, "{market}: {body}");
    }
}

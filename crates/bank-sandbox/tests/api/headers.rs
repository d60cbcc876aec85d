//! The headers every resource call must carry, checked in the bank's order.

use crate::support::*;
use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode};
use serde_json::Value;

const REFERENCE: &str = "/api/v1/apac/utilities/referenceData/salutation";

/// A create request with one header changed (`None` removes it).
fn create_with(sandbox: &Sandbox, name: &str, value: Option<&str>) -> Request<Body> {
    with(
        sandbox.request(Method::POST, APPLICATIONS),
        create_body("Tan"),
        name,
        value,
    )
}

fn with(
    builder: axum::http::request::Builder,
    body: Value,
    name: &str,
    value: Option<&str>,
) -> Request<Body> {
    let mut request = builder.body(Body::from(body.to_string())).unwrap();
    let headers = request.headers_mut();
    headers.remove(name);
    if let Some(value) = value {
        headers.insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    request
}

#[tokio::test]
async fn a_missing_or_unknown_bearer_token_is_unauthorized() {
    let sandbox = Sandbox::instant().await;
    let other = Sandbox::instant().await;
    for value in [
        None,
        Some("Bearer not-a-token".to_owned()),
        Some(format!("Bearer {}", other.token)),
        Some(basic(CLIENT_ID, CLIENT_SECRET)),
        Some(sandbox.token.clone()),
    ] {
        let request = create_with(&sandbox, "authorization", value.as_deref());
        assert_error(
            &sandbox.send(request).await,
            401,
            "error",
            "unAuthorized",
            None,
        );
    }
    let lowercase_scheme = create_with(
        &sandbox,
        "authorization",
        Some(&format!("bearer {}", sandbox.token)),
    );
    assert_eq!(sandbox.send(lowercase_scheme).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn a_wrong_client_id_is_access_not_configured() {
    let sandbox = Sandbox::instant().await;
    for value in [None, Some("another-client"), Some("")] {
        let request = create_with(&sandbox, "client_id", value);
        let answer = sandbox.send(request).await;
        assert_error(
            &answer,
            403,
            "invalid",
            "accessNotConfigured",
            Some("client_id"),
        );
    }
}

#[tokio::test]
async fn a_missing_or_malformed_uuid_is_an_invalid_request() {
    let sandbox = Sandbox::instant().await;
    for value in [
        None,
        Some(""),
        Some("12345"),
        Some("0b7d5f3e-8f7a-4d43-9b0e-1f0c6a0d2f1"),
    ] {
        let request = create_with(&sandbox, "uuid", value);
        let answer = sandbox.send(request).await;
        assert_error(&answer, 400, "invalid", "invalidRequest", Some("uuid"));
    }
}

#[tokio::test]
async fn an_accept_without_json_is_an_invalid_request() {
    let sandbox = Sandbox::instant().await;
    for value in [None, Some("text/html"), Some("application/xml")] {
        let request = create_with(&sandbox, "accept", value);
        let answer = sandbox.send(request).await;
        assert_error(&answer, 400, "invalid", "invalidRequest", Some("Accept"));
    }
    let several = create_with(
        &sandbox,
        "accept",
        Some("text/html, application/json;q=0.9"),
    );
    assert_eq!(sandbox.send(several).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn post_and_put_need_a_json_content_type() {
    let sandbox = Sandbox::instant().await;
    for value in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let request = create_with(&sandbox, "content-type", value);
        let answer = sandbox.send(request).await;
        assert_error(
            &answer,
            400,
            "invalid",
            "invalidRequest",
            Some("Content-Type"),
        );
    }
    let app = sandbox.create("Tan").await;
    let update = with(
        sandbox.request(Method::PUT, &format!("{APPLICATIONS}/{}", app.id)),
        serde_json::json!({ "applicant": {}, "controlFlowId": app.control_flow_id }),
        "content-type",
        Some("text/plain"),
    );
    let answer = sandbox.send(update).await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("Content-Type"),
    );
    let charset = create_with(
        &sandbox,
        "content-type",
        Some("application/json; charset=utf-8"),
    );
    assert_eq!(sandbox.send(charset).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn a_get_needs_no_content_type() {
    let sandbox = Sandbox::instant().await;
    let mut request = sandbox
        .request(Method::GET, REFERENCE)
        .body(Body::empty())
        .unwrap();
    request.headers_mut().remove("content-type");
    let (status, body) = sandbox.send(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_missing_or_unserved_country_code_is_an_invalid_request() {
    let sandbox = Sandbox::instant().await;
    for value in [None, Some("GB"), Some("sg"), Some("SGP")] {
        let request = create_with(&sandbox, "countrycode", value);
        let answer = sandbox.send(request).await;
        assert_error(
            &answer,
            400,
            "invalid",
            "invalidRequest",
            Some("countryCode"),
        );
    }
}

#[tokio::test]
async fn headers_are_checked_in_the_banks_order() {
    let sandbox = Sandbox::instant().await;
    let bearer = format!("Bearer {}", sandbox.token);
    let headers = [
        ("authorization", bearer.as_str()),
        ("client_id", CLIENT_ID),
        ("uuid", "0b7d5f3e-8f7a-4d43-9b0e-1f0c6a0d2f11"),
        ("accept", "application/json"),
        ("content-type", "application/json"),
        ("countrycode", "SG"),
    ];
    let expected = [
        (401, "error", "unAuthorized", None),
        (403, "invalid", "accessNotConfigured", Some("client_id")),
        (400, "invalid", "invalidRequest", Some("uuid")),
        (400, "invalid", "invalidRequest", Some("Accept")),
        (400, "invalid", "invalidRequest", Some("Content-Type")),
        (400, "invalid", "invalidRequest", Some("countryCode")),
    ];
    // With only the first n headers sent, the answer names header n.
    for (n, (status, kind, code, location)) in expected.into_iter().enumerate() {
        let mut request = Request::post(APPLICATIONS);
        for (name, value) in &headers[..n] {
            request = request.header(*name, *value);
        }
        let request = request
            .body(Body::from(create_body("Tan").to_string()))
            .unwrap();
        assert_error(&sandbox.send(request).await, status, kind, code, location);
    }
}

#[tokio::test]
async fn a_body_that_does_not_fit_is_an_invalid_request_saying_why() {
    let sandbox = Sandbox::instant().await;
    let mut no_given_name = create_body("Tan");
    no_given_name["applicant"]["name"]
        .as_object_mut()
        .unwrap()
        .remove("givenName");
    let answer = sandbox
        .call(Method::POST, APPLICATIONS, Some(no_given_name))
        .await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("applicant.name.givenName"),
    );
    let details = answer.1["errors"][0]["details"].as_str().unwrap();
    assert!(details.contains("missing field `givenName`"), "{details}");

    let mut wrong_type = create_body("Tan");
    wrong_type["applicant"]["phone"][0]["phoneNumber"] = serde_json::json!(91234567);
    let answer = sandbox
        .call(Method::POST, APPLICATIONS, Some(wrong_type))
        .await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("applicant.phone[0].phoneNumber"),
    );

    let app = sandbox.create("Tan").await;
    let no_flow_id = sandbox
        .call(
            Method::POST,
            &format!("{APPLICATIONS}/{}/backgroundScreening", app.id),
            Some(serde_json::json!({})),
        )
        .await;
    assert_error(
        &no_flow_id,
        400,
        "invalid",
        "invalidRequest",
        Some("controlFlowId"),
    );

    let not_json = sandbox
        .send(
            sandbox
                .request(Method::POST, APPLICATIONS)
                .body(Body::from("{\"product\": "))
                .unwrap(),
        )
        .await;
    assert_error(&not_json, 400, "invalid", "invalidRequest", None);
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_bank_errors() {
    let sandbox = Sandbox::instant().await;
    let answer = sandbox
        .call(Method::GET, "/api/v1/apac/nothing-here", None)
        .await;
    assert_error(&answer, 404, "error", "resourceNotFound", None);
    let answer = sandbox.call(Method::DELETE, APPLICATIONS, None).await;
    assert_error(&answer, 405, "invalid", "invalidRequest", None);
}

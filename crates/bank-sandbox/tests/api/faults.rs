//! Faults on purpose: the fault surnames, the configured and runtime faults, and `uuid` as
//! the idempotency key of a create and of the deciding IPA.

use crate::support::{
    create_body, finances, identity, instant_screening, Sandbox, APPLICATIONS, CLIENT_ID,
    CLIENT_SECRET, FORM, TOKEN,
};
use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode};
use bank_sandbox::{spawn, SandboxConfig, SLOW_LATENCY};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A resource request with this `uuid` instead of a fresh one.
fn with_uuid(
    sandbox: &Sandbox,
    method: Method,
    path: &str,
    body: Value,
    uuid: &str,
) -> Request<Body> {
    let mut request = sandbox
        .request(method, path)
        .body(Body::from(body.to_string()))
        .unwrap();
    request
        .headers_mut()
        .insert("uuid", HeaderValue::from_str(uuid).unwrap());
    request
}

async fn application_count(sandbox: &Sandbox) -> usize {
    let request = Request::get("/sandbox/applications")
        .body(Body::empty())
        .unwrap();
    let (status, body) = sandbox.send(request).await;
    assert_eq!(status, StatusCode::OK);
    body.as_array().unwrap().len()
}

#[tokio::test]
async fn a_slowbank_call_is_late_but_answered() {
    let sandbox = Sandbox::instant().await;
    let started = Instant::now();
    let app = sandbox.create("Slowbank").await;
    assert!(started.elapsed() >= SLOW_LATENCY, "{:?}", started.elapsed());
    let started = Instant::now();
    let (status, body) = sandbox.update(&app, identity()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(started.elapsed() >= SLOW_LATENCY);
}

#[tokio::test]
async fn a_flakybank_call_answers_500_then_503_then_works_for_each_kind() {
    let sandbox = Sandbox::instant().await;
    let flaky = |status: StatusCode, body: &Value| {
        assert_eq!(body["errors"][0]["code"], "serverUnavailable", "{body}");
        assert_eq!(body["errors"][0]["type"], "fatal", "{body}");
        status.as_u16()
    };
    let create = || sandbox.call(Method::POST, APPLICATIONS, Some(create_body("Flakybank")));
    let (s, b) = create().await;
    assert_eq!(flaky(s, &b), 500);
    let (s, b) = create().await;
    assert_eq!(flaky(s, &b), 503);
    assert_eq!(
        application_count(&sandbox).await,
        0,
        "a failed create stores nothing"
    );
    let app = sandbox.create("Flakybank").await;

    for _ in 0..2 {
        let (s, b) = sandbox.update(&app, identity()).await;
        assert!(flaky(s, &b) >= 500);
    }
    assert_eq!(sandbox.update(&app, identity()).await.0, StatusCode::OK);
    // Updates are one kind: stage 3's update goes through at once.
    let (s, b) = sandbox.update(&app, finances("EMPLOYED", 60_000.0)).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    for _ in 0..2 {
        let (s, b) = sandbox.screen(&app).await;
        assert!(flaky(s, &b) >= 500);
    }
    assert_eq!(sandbox.screen(&app).await.0, StatusCode::OK);
    for _ in 0..2 {
        let (s, b) = sandbox.ipa(&app).await;
        assert!(flaky(s, &b) >= 500);
    }
    let (s, body) = sandbox.ipa(&app).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["requestedProductDecision"][0]["creditDecision"], "000");
    assert_eq!(application_count(&sandbox).await, 1);
}

#[tokio::test]
async fn a_timeoutbank_call_never_answers_and_stores_nothing() {
    let sandbox = Sandbox::instant().await;
    let create = sandbox.call(Method::POST, APPLICATIONS, Some(create_body("Timeoutbank")));
    let answer = tokio::time::timeout(Duration::from_millis(500), create).await;
    assert!(answer.is_err(), "answered: {answer:?}");
    assert_eq!(application_count(&sandbox).await, 0);
}

#[tokio::test]
async fn a_create_repeated_with_its_uuid_answers_the_first_application() {
    let sandbox = Sandbox::instant().await;
    let uuid = "6f1c3b7e-2d4a-4f8e-9a51-0c2b7d9e4a11";
    let first = sandbox
        .send(with_uuid(
            &sandbox,
            Method::POST,
            APPLICATIONS,
            create_body("Tan"),
            uuid,
        ))
        .await;
    let again = sandbox
        .send(with_uuid(
            &sandbox,
            Method::POST,
            APPLICATIONS,
            create_body("Tan"),
            uuid,
        ))
        .await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
    assert_eq!(again, first);
    assert_eq!(application_count(&sandbox).await, 1);

    let (status, body) = sandbox
        .send(with_uuid(
            &sandbox,
            Method::POST,
            APPLICATIONS,
            create_body("Lim"),
            uuid,
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"][0]["code"], "invalidRequest");
    assert_eq!(body["errors"][0]["location"], "uuid");
    // A fresh uuid is a new application, whatever the body.
    sandbox.create("Tan").await;
    assert_eq!(application_count(&sandbox).await, 2);
}

#[tokio::test]
async fn the_deciding_ipa_repeated_with_its_uuid_gets_the_same_decision() {
    let sandbox = Sandbox::instant().await;
    let app = sandbox.screened("Tan", "EMPLOYED", 60_000.0).await;
    let path = format!("{APPLICATIONS}/{}/inPrincipleApprovals", app.id);
    let body = json!({ "controlFlowId": app.control_flow_id });
    let uuid = "0d9a4c1e-7b3f-4e52-8c6a-9f1e2d3c4b5a";
    let first = sandbox
        .send(with_uuid(&sandbox, Method::POST, &path, body.clone(), uuid))
        .await;
    assert_eq!(first.0, StatusCode::OK, "{}", first.1);
    let again = sandbox
        .send(with_uuid(&sandbox, Method::POST, &path, body, uuid))
        .await;
    assert_eq!(again, first);
    let (status, other) = sandbox.ipa(&app).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        other["errors"][0]["code"],
        "inPrincipalApprovalAlreadyGiven"
    );
}

#[tokio::test]
async fn configured_faults_fail_every_nth_bank_call_and_delay_them() {
    let config = SandboxConfig {
        latency: Duration::from_millis(100),
        fail_every: 2,
        ..instant_screening()
    };
    // Call 1 is the token Sandbox::new fetches.
    let sandbox = Sandbox::new(config).await;
    let started = Instant::now();
    let (status, body) = sandbox
        .call(Method::POST, APPLICATIONS, Some(create_body("Tan")))
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert_eq!(body["errors"][0]["code"], "serverUnavailable");
    assert!(started.elapsed() >= Duration::from_millis(100));
    sandbox.create("Tan").await;
    assert_eq!(
        application_count(&sandbox).await,
        1,
        "inspection is never faulted"
    );
}

#[tokio::test]
async fn faults_set_at_runtime_apply_until_cleared() {
    let sandbox = Sandbox::instant().await;
    let set = |faults: Value| {
        Request::post("/sandbox/faults")
            .header("Content-Type", "application/json")
            .body(Body::from(faults.to_string()))
            .unwrap()
    };
    let (status, body) = sandbox.send(set(json!({ "hang": true }))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({ "latencyMs": 0, "failEvery": 0, "hang": true })
    );
    let create = sandbox.call(Method::POST, APPLICATIONS, Some(create_body("Tan")));
    assert!(tokio::time::timeout(Duration::from_millis(300), create)
        .await
        .is_err());

    let (status, _) = sandbox.send(set(json!({ "failEvery": 1 }))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = sandbox
        .call(Method::POST, APPLICATIONS, Some(create_body("Tan")))
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);

    sandbox.send(set(json!({}))).await;
    let (_, now) = sandbox
        .send(Request::get("/sandbox/faults").body(Body::empty()).unwrap())
        .await;
    assert_eq!(
        now,
        json!({ "latencyMs": 0, "failEvery": 0, "hang": false })
    );
    sandbox.create("Tan").await;
    assert_eq!(application_count(&sandbox).await, 1);

    let (status, body) = sandbox.send(set(json!({ "sometimes": true }))).await;
    assert!(status.is_client_error(), "{body}");
}

#[tokio::test]
async fn revoked_tokens_are_unauthorized() {
    let sandbox = Sandbox::instant().await;
    let revoke = Request::delete("/sandbox/tokens")
        .body(Body::empty())
        .unwrap();
    assert_eq!(sandbox.send(revoke).await.0, StatusCode::NO_CONTENT);
    let (status, body) = sandbox
        .call(Method::POST, APPLICATIONS, Some(create_body("Tan")))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["errors"][0]["code"], "unAuthorized");
}

/// Over a real connection with a real HTTP client, as a BFF sees it.
#[tokio::test]
async fn a_dropbank_create_is_stored_then_its_connection_closed_unanswered() {
    let sandbox = spawn(instant_screening()).await.unwrap();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let token: Value = client
        .post(format!("{}{TOKEN}", sandbox.origin()))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .body(FORM)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_owned();
    let create = |uuid: &str| {
        client
            .post(format!("{}{APPLICATIONS}", sandbox.origin()))
            .bearer_auth(&token)
            .header("client_id", CLIENT_ID)
            .header("uuid", uuid)
            .header("countryCode", "SG")
            .header("Accept", "application/json")
            .json(&create_body("Dropbank"))
            .send()
    };
    let listed = || async {
        client
            .get(format!("{}/sandbox/applications", sandbox.origin()))
            .send()
            .await
            .unwrap()
            .json::<Vec<Value>>()
            .await
            .unwrap()
    };
    let uuid = uuid::Uuid::new_v4().to_string();

    let lost = match create(&uuid).await {
        Ok(response) => response.bytes().await.map(|_| ()),
        Err(e) => Err(e),
    };
    let error = lost.expect_err("the answer must be lost");
    assert!(!error.is_timeout(), "closed, not timed out: {error}");
    let stored = listed().await;
    assert_eq!(stored.len(), 1, "stored before the connection closed");

    let retried = create(&uuid).await.unwrap();
    assert_eq!(retried.status(), StatusCode::CREATED);
    let retried: Value = retried.json().await.unwrap();
    assert_eq!(retried["applicationId"], stored[0]["applicationId"]);
    assert_eq!(listed().await.len(), 1);

    // A client that retries with a fresh uuid opens a second application.
    let naive = create(&uuid::Uuid::new_v4().to_string()).await.unwrap();
    assert_eq!(naive.status(), StatusCode::CREATED);
    assert_eq!(listed().await.len(), 2);
}

//! connectFi's side of the sandbox: login, token check, KYC status and credit applications,
//! with every test input and rule, answered in connectFi's envelopes.

use crate::support::Sandbox;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use bank_sandbox::connectfi_test_inputs as inputs;
use bank_sandbox::SandboxConfig;
use connectfi_api::{
    paths, CreditApplication, CreditApplicationRequest, Envelope, ErrorEnvelope, GetTokenRequest,
    KycStatus, KycStatusRequest, Token, User, TOKEN_HEADER,
};
use serde_json::{json, Value};
use std::time::Duration;

const LOGIN: &str = "sandbox_connectfi";
const PASSWORD: &str = "sandbox-connectfi-secret";
const PREFIX: &str = "/connectfi";
const INSPECTION: &str = "/sandbox/connectfi/applications";

/// A sandbox and a connectFi token it issued.
struct ConnectFi {
    sandbox: Sandbox,
    token: String,
}

impl ConnectFi {
    async fn new(config: SandboxConfig) -> Self {
        let sandbox = Sandbox::new(config).await;
        let (status, body) = sandbox
            .send(post(paths::GET_TOKEN, None, login_body(LOGIN, PASSWORD)))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let answer: Envelope<Token> = serde_json::from_value(body).unwrap();
        Self {
            sandbox,
            token: answer.data.token,
        }
    }

    async fn default() -> Self {
        Self::new(SandboxConfig::default()).await
    }

    /// A call with the token.
    async fn call(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.sandbox.send(post(path, Some(&self.token), body)).await
    }

    async fn kyc(&self, customer_id: &str, application_id: Option<&str>) -> KycStatus {
        let request = KycStatusRequest {
            customer_id: customer_id.into(),
            application_id: application_id.map(Into::into),
        };
        let (status, body) = self
            .call(paths::KYC_STATUS, serde_json::to_value(request).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let answer: Envelope<KycStatus> = serde_json::from_value(body).unwrap();
        assert_eq!(answer.code, "0");
        assert_request_id(answer.request_id.as_deref());
        answer.data
    }

    async fn apply(&self, request: &CreditApplicationRequest) -> CreditApplication {
        let (status, body) = self
            .call(
                paths::CREDIT_APPLICATION,
                serde_json::to_value(request).unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let answer: Envelope<CreditApplication> = serde_json::from_value(body).unwrap();
        assert_eq!(answer.code, "0");
        assert_request_id(answer.request_id.as_deref());
        answer.data
    }

    async fn stored(&self) -> Vec<Value> {
        let (status, body) = self
            .sandbox
            .send(Request::get(INSPECTION).body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body.as_array().unwrap().clone()
    }
}

fn post(path: &str, token: Option<&str>, body: Value) -> Request<Body> {
    let mut request =
        Request::post(format!("{PREFIX}{path}")).header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(TOKEN_HEADER, token);
    }
    request.body(Body::from(body.to_string())).unwrap()
}

fn login_body(login: &str, password: &str) -> Value {
    serde_json::to_value(GetTokenRequest {
        user: User {
            login: login.into(),
            password: password.into(),
        },
    })
    .unwrap()
}

fn credit(customer_id: &str, income: f64) -> CreditApplicationRequest {
    CreditApplicationRequest {
        customer_id: customer_id.into(),
        employer: "ABC123 Inc.".into(),
        total_annual_income: income,
        total_annual_income_currency: "USD".into(),
    }
}

#[track_caller]
fn assert_request_id(request_id: Option<&str>) {
    let id = request_id.expect("a requestId");
    assert_eq!(id.len(), 32, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
}

/// Asserts a connectFi error answer and returns its context's `field`.
#[track_caller]
fn assert_error((status, body): &(StatusCode, Value), expected: u16, code: &str) -> Option<String> {
    assert_eq!(status.as_u16(), expected, "{body}");
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, ["code", "context", "message", "requestId"], "{body}");
    let error: ErrorEnvelope = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(error.code, code, "{body}");
    assert!(!error.message.is_empty(), "{body}");
    assert_request_id(Some(&error.request_id));
    error
        .context
        .get("field")
        .map(|field| field.as_str().unwrap().to_owned())
}

#[track_caller]
fn assert_unauthorized(answer: &(StatusCode, Value)) {
    assert_eq!(assert_error(answer, 401, "unauthorized"), None);
    assert_eq!(answer.1["message"], "Authentication error");
    assert_eq!(answer.1["context"], json!({}));
}

// ----- login and token -----

#[tokio::test]
async fn token_a_good_login_gets_a_long_token_in_an_envelope() {
    let cf = ConnectFi::default().await;
    let (status, body) = cf
        .sandbox
        .send(post(paths::GET_TOKEN, None, login_body(LOGIN, PASSWORD)))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3, "{body}");
    assert_eq!(body["code"], "0");
    let answer: Envelope<Token> = serde_json::from_value(body.clone()).unwrap();
    assert_request_id(answer.request_id.as_deref());
    let token = answer.data.token;
    assert_eq!(token.len(), 66, "{token}");
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric()), "{token}");
    assert_ne!(token, cf.token, "every login gets a new token");
    // 2026-11-22T10:00:00.000Z
    let expiry = answer.data.dts_expire_at.as_bytes();
    assert_eq!(expiry.len(), 24, "{body}");
    for (i, byte) in expiry.iter().enumerate() {
        match i {
            4 | 7 => assert_eq!(*byte, b'-', "{body}"),
            10 => assert_eq!(*byte, b'T', "{body}"),
            13 | 16 => assert_eq!(*byte, b':', "{body}"),
            19 => assert_eq!(*byte, b'.', "{body}"),
            23 => assert_eq!(*byte, b'Z', "{body}"),
            _ => assert!(byte.is_ascii_digit(), "{body}"),
        }
    }
    // Both tokens open calls.
    for token in [&token, &cf.token] {
        let answer = cf
            .sandbox
            .send(post(
                paths::KYC_STATUS,
                Some(token),
                json!({ "customerId": "cstap_1" }),
            ))
            .await;
        assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    }
}

#[tokio::test]
async fn token_a_wrong_login_or_password_is_unauthorized() {
    let cf = ConnectFi::default().await;
    for (login, password) in [
        (LOGIN, "wrong-password"),
        ("someone_else", PASSWORD),
        ("SANDBOX_CONNECTFI", PASSWORD),
        (LOGIN, "Sandbox-connectfi-secret"),
        // The bank's credentials open nothing here.
        ("sandbox_client", "sandbox-secret"),
    ] {
        let answer = cf
            .sandbox
            .send(post(paths::GET_TOKEN, None, login_body(login, password)))
            .await;
        assert_unauthorized(&answer);
    }
}

#[tokio::test]
async fn token_the_configured_credentials_are_used() {
    let config = SandboxConfig {
        connectfi_login: "partner_7".into(),
        connectfi_password: "p@ss word".into(),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::new(config).await;
    let answer = sandbox
        .send(post(
            paths::GET_TOKEN,
            None,
            login_body("partner_7", "p@ss word"),
        ))
        .await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    let default = sandbox
        .send(post(paths::GET_TOKEN, None, login_body(LOGIN, PASSWORD)))
        .await;
    assert_unauthorized(&default);
}

#[tokio::test]
async fn token_a_login_breaking_the_rules_is_a_validation_error() {
    let cf = ConnectFi::default().await;
    let login = |body: Value| cf.sandbox.send(post(paths::GET_TOKEN, None, body));
    let field = |answer| assert_error(&answer, 400, "validationError");
    assert_eq!(
        field(login(login_body("has-dash", PASSWORD)).await).as_deref(),
        Some("user.login")
    );
    assert_eq!(
        field(login(login_body(&"l".repeat(37), PASSWORD)).await).as_deref(),
        Some("user.login")
    );
    assert_eq!(
        field(login(login_body(LOGIN, &"p".repeat(51))).await).as_deref(),
        Some("user.password")
    );
    assert_eq!(
        field(login(json!({ "user": { "login": LOGIN } })).await).as_deref(),
        Some("user.password")
    );
    assert_eq!(field(login(json!({})).await).as_deref(), Some("user"));
    assert_eq!(
        field(login(json!({ "login": LOGIN, "password": PASSWORD })).await).as_deref(),
        Some("user")
    );
    let not_json = Request::post(format!("{PREFIX}{}", paths::GET_TOKEN))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"user\":"))
        .unwrap();
    assert_eq!(field(cf.sandbox.send(not_json).await), None);
    let form = Request::post(format!("{PREFIX}{}", paths::GET_TOKEN))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("login=sandbox_connectfi"))
        .unwrap();
    assert_eq!(field(cf.sandbox.send(form).await), None);
}

#[tokio::test]
async fn token_calls_without_a_live_token_are_unauthorized() {
    let cf = ConnectFi::default().await;
    let body = || serde_json::to_value(credit("cstap_1", 50_000.0)).unwrap();
    let path = paths::CREDIT_APPLICATION;
    // No header, an empty one, one never issued, the bank's bearer token.
    assert_unauthorized(&cf.sandbox.send(post(path, None, body())).await);
    assert_unauthorized(&cf.sandbox.send(post(path, Some(""), body())).await);
    assert_unauthorized(
        &cf.sandbox
            .send(post(path, Some(&"x".repeat(66)), body()))
            .await,
    );
    assert_unauthorized(
        &cf.sandbox
            .send(post(path, Some(&cf.sandbox.token), body()))
            .await,
    );
    // The token in the bank's header is not connectFi's header.
    let bearer = Request::post(format!("{PREFIX}{path}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {}", cf.token))
        .body(Body::from(body().to_string()))
        .unwrap();
    assert_unauthorized(&cf.sandbox.send(bearer).await);
    // The token is checked before the body: no hint about the request's shape.
    assert_unauthorized(
        &cf.sandbox
            .send(post(
                paths::KYC_STATUS,
                None,
                json!({ "customerId": "bad-id" }),
            ))
            .await,
    );
    assert!(cf.stored().await.is_empty());
}

#[tokio::test]
async fn token_an_expired_token_is_unauthorized() {
    let cf = ConnectFi::new(SandboxConfig {
        token_lifetime: Duration::ZERO,
        ..SandboxConfig::default()
    })
    .await;
    let answer = cf
        .call(paths::KYC_STATUS, json!({ "customerId": "cstap_1" }))
        .await;
    assert_unauthorized(&answer);
}

// ----- KYC status -----

#[tokio::test]
async fn kyc_any_other_customer_is_completed_and_approved() {
    let cf = ConnectFi::default().await;
    let (status, body) = cf
        .call(
            paths::KYC_STATUS,
            json!({ "customerId": "cstap_5WMvWpL6XzfkmntDJeeHm2" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let application_id = body["data"]["applicationId"].as_str().unwrap().to_owned();
    assert!(application_id.starts_with("iapp_"), "{body}");
    assert_eq!(
        body["data"],
        json!({
            "applicationId": application_id,
            "customerId": "cstap_5WMvWpL6XzfkmntDJeeHm2",
            "status": "completed",
            "outcome": "Approved",
            "entityApplications": [{
                "entityId": "cstap_5WMvWpL6XzfkmntDJeeHm2",
                "isCustomer": true,
                "status": "completed",
                "outcome": "approved"
            }]
        })
    );
    let answer: Envelope<KycStatus> = serde_json::from_value(body).unwrap();
    assert!(answer.data.is_approved());
}

#[tokio::test]
async fn kyc_denied_customer_is_completed_and_denied() {
    let cf = ConnectFi::default().await;
    let status = cf.kyc(inputs::KYC_DENIED, None).await;
    assert_eq!(status.status, "completed");
    assert_eq!(status.outcome.as_deref(), Some("Denied"));
    assert_eq!(status.entity_applications.len(), 1);
    assert_eq!(status.entity_applications[0].entity_id, inputs::KYC_DENIED);
    assert_eq!(
        status.entity_applications[0].outcome.as_deref(),
        Some("denied")
    );
    assert!(!status.is_approved());
}

#[tokio::test]
async fn kyc_pending_customer_waits_for_review_without_an_outcome() {
    let cf = ConnectFi::default().await;
    let (status, body) = cf
        .call(
            paths::KYC_STATUS,
            json!({ "customerId": inputs::KYC_PENDING }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["status"], "waiting_review");
    // Absent, not null.
    assert_eq!(body["data"].get("outcome"), None, "{body}");
    assert_eq!(
        body["data"]["entityApplications"][0].get("outcome"),
        None,
        "{body}"
    );
    let answer: Envelope<KycStatus> = serde_json::from_value(body).unwrap();
    assert!(!answer.data.is_approved());
}

#[tokio::test]
async fn kyc_partial_customer_reads_approved_but_is_not() {
    let cf = ConnectFi::default().await;
    let status = cf.kyc(inputs::KYC_PARTIAL, None).await;
    assert_eq!(status.outcome.as_deref(), Some("Approved"));
    let outcomes: Vec<_> = status
        .entity_applications
        .iter()
        .map(|e| (e.is_customer, e.outcome.as_deref()))
        .collect();
    assert_eq!(
        outcomes,
        [(true, Some("approved")), (false, Some("denied"))]
    );
    assert!(!status.is_approved(), "one entity is denied");
}

#[tokio::test]
async fn kyc_application_ids_are_stable_per_customer_or_as_asked() {
    let cf = ConnectFi::default().await;
    let first = cf.kyc("cstap_a", None).await.application_id;
    assert_eq!(cf.kyc("cstap_a", None).await.application_id, first);
    assert_ne!(cf.kyc("cstap_b", None).await.application_id, first);
    // An id the sandbox never issued is answered as the customer's application.
    let named = cf.kyc("cstap_a", Some("iapp_1BGgJeDQJFo5MCup15zq9A")).await;
    assert_eq!(named.application_id, "iapp_1BGgJeDQJFo5MCup15zq9A");
    assert!(named.is_approved());
    // The sandbox is restarted (a new router): the same customer, the same id.
    let again = ConnectFi::default().await;
    assert_eq!(again.kyc("cstap_a", None).await.application_id, first);
}

#[tokio::test]
async fn kyc_ids_breaking_the_rules_are_validation_errors() {
    let cf = ConnectFi::default().await;
    for (body, field) in [
        (json!({ "customerId": "cstap-1" }), "customerId"),
        (json!({ "customerId": "" }), "customerId"),
        (json!({ "customerId": "c".repeat(37) }), "customerId"),
        (json!({}), "customerId"),
        (json!({ "customerId": 7 }), "customerId"),
        (
            json!({ "customerId": "cstap_1", "applicationId": "iapp 1" }),
            "applicationId",
        ),
        (
            json!({ "customerId": "cstap_1", "applicationId": "" }),
            "applicationId",
        ),
        (
            json!({ "customerId": "cstap_1", "applicationId": "i".repeat(37) }),
            "applicationId",
        ),
    ] {
        let answer = cf.call(paths::KYC_STATUS, body.clone()).await;
        assert_eq!(
            assert_error(&answer, 400, "validationError").as_deref(),
            Some(field),
            "{body}"
        );
    }
    // Boundary: 36 characters pass.
    cf.kyc(&"c".repeat(36), Some(&"i".repeat(36))).await;
}

// ----- credit applications -----

#[tokio::test]
async fn credit_the_documented_request_is_approved_in_the_documented_shape() {
    let cf = ConnectFi::default().await;
    // The seed's request body, byte for byte.
    let body: Value = serde_json::from_str(
        r#"{
            "customerId" : "cstap_7uvAC6nLftLGCq7yic3TfI",
            "employer" : "Amazon",
            "totalAnnualIncome" : 50000,
            "totalAnnualIncomeCurrency" : "USD"
        }"#,
    )
    .unwrap();
    let (status, answer) = cf.call(paths::CREDIT_APPLICATION, body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let application_id = answer["data"]["applicationId"].as_str().unwrap().to_owned();
    let request_id = answer["requestId"].as_str().unwrap().to_owned();
    assert_eq!(
        answer,
        json!({
            "code": "0",
            "data": {
                "applicationId": application_id,
                "customerId": "cstap_7uvAC6nLftLGCq7yic3TfI",
                "creditFreeze": false,
                "creditLimit": 5000,
                "creditLimitCurrency": "USD",
                "decision": "Approve",
                "adverseAction": []
            },
            "requestId": request_id
        })
    );
    let digits = application_id.strip_prefix("gsa_").unwrap();
    assert_eq!(digits.len(), 22, "{application_id}");
    assert!(digits.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_request_id(Some(&request_id));
}

#[tokio::test]
async fn credit_decline_customer_has_delinquent_credit_obligations() {
    let cf = ConnectFi::default().await;
    let application = cf.apply(&credit(inputs::DECLINE, 90_000.0)).await;
    assert_eq!(application.decision, "Decline");
    assert_eq!(
        application.adverse_action,
        ["DELINQUENT_CREDIT_OBLIGATIONS"]
    );
    assert_eq!(application.credit_limit, 0.0);
    assert!(!application.credit_freeze);
}

#[tokio::test]
async fn credit_freeze_customer_is_frozen_and_declined() {
    let cf = ConnectFi::default().await;
    let application = cf.apply(&credit(inputs::FREEZE, 90_000.0)).await;
    assert!(application.credit_freeze);
    assert_eq!(application.decision, "Decline");
    assert_eq!(application.adverse_action, ["CREDIT_FREEZE"]);
    assert_eq!(application.credit_limit, 0.0);
}

#[tokio::test]
async fn credit_kyc_denied_customer_cannot_get_credit() {
    let cf = ConnectFi::default().await;
    let application = cf.apply(&credit(inputs::KYC_DENIED, 90_000.0)).await;
    assert_eq!(application.decision, "Decline");
    assert_eq!(application.adverse_action, ["UNABLE_TO_VERIFY_IDENTITY"]);
    assert_eq!(application.credit_limit, 0.0);
}

#[tokio::test]
async fn credit_income_decides_the_rest() {
    let cf = ConnectFi::default().await;
    let low = cf.apply(&credit("cstap_1", 19_999.99)).await;
    assert_eq!(low.decision, "Decline");
    assert_eq!(low.adverse_action, ["INSUFFICIENT_INCOME"]);
    assert_eq!(low.credit_limit, 0.0);
    for (income, limit) in [
        (20_000.0, 2_000.0),
        (27_450.5, 2_700.0),
        (50_000.0, 5_000.0),
        (250_000.0, 25_000.0),
        (900_000.0, 25_000.0),
    ] {
        let approved = cf.apply(&credit("cstap_1", income)).await;
        assert_eq!(approved.decision, "Approve", "{income}");
        assert_eq!(approved.credit_limit, limit, "{income}");
        assert!(approved.adverse_action.is_empty());
        assert!(!approved.credit_freeze);
    }
    // The limit is in the income's currency; pending and partial KYC do not stop credit
    // (checking KYC first is the client's duty, as connectFi documents).
    for customer in [inputs::KYC_PENDING, inputs::KYC_PARTIAL] {
        let sgd = cf
            .apply(&CreditApplicationRequest {
                total_annual_income_currency: "SGD".into(),
                ..credit(customer, 60_000.0)
            })
            .await;
        assert_eq!(sgd.decision, "Approve");
        assert_eq!(sgd.credit_limit_currency, "SGD");
        assert_eq!(sgd.credit_limit, 6_000.0);
    }
}

#[tokio::test]
async fn credit_every_rule_is_a_validation_error_naming_its_field() {
    let cf = ConnectFi::default().await;
    let documented = json!({
        "customerId": "cstap_7uvAC6nLftLGCq7yic3TfI",
        "employer": "Amazon",
        "totalAnnualIncome": 50000,
        "totalAnnualIncomeCurrency": "USD"
    });
    let with = |field: &str, value: Value| {
        let mut body = documented.clone();
        body[field] = value;
        body
    };
    let without = |field: &str| {
        let mut body = documented.clone();
        body.as_object_mut().unwrap().remove(field);
        body
    };
    let cases = [
        (with("customerId", json!("c".repeat(37))), "customerId"),
        (with("customerId", json!("")), "customerId"),
        (with("customerId", json!("cstap-7uv")), "customerId"),
        (without("customerId"), "customerId"),
        (with("employer", json!("e".repeat(51))), "employer"),
        (with("employer", json!("")), "employer"),
        (with("employer", json!("   ")), "employer"),
        (with("employer", json!("<b>")), "employer"),
        (with("employer", json!(42)), "employer"),
        (without("employer"), "employer"),
        (with("totalAnnualIncome", json!(0)), "totalAnnualIncome"),
        (with("totalAnnualIncome", json!(-1)), "totalAnnualIncome"),
        (
            with("totalAnnualIncome", json!(12.345)),
            "totalAnnualIncome",
        ),
        (
            with("totalAnnualIncome", json!("50000")),
            "totalAnnualIncome",
        ),
        (with("totalAnnualIncome", Value::Null), "totalAnnualIncome"),
        (without("totalAnnualIncome"), "totalAnnualIncome"),
        (
            with("totalAnnualIncomeCurrency", json!("usd")),
            "totalAnnualIncomeCurrency",
        ),
        (
            with("totalAnnualIncomeCurrency", json!("US")),
            "totalAnnualIncomeCurrency",
        ),
        (
            with("totalAnnualIncomeCurrency", json!("USDX")),
            "totalAnnualIncomeCurrency",
        ),
        (
            without("totalAnnualIncomeCurrency"),
            "totalAnnualIncomeCurrency",
        ),
    ];
    for (body, field) in cases {
        let answer = cf.call(paths::CREDIT_APPLICATION, body.clone()).await;
        assert_eq!(
            assert_error(&answer, 400, "validationError").as_deref(),
            Some(field),
            "{body}"
        );
        assert!(
            answer.1["message"].as_str().unwrap().contains(field),
            "{}",
            answer.1
        );
    }
    // Boundaries that pass: 36 and 50 characters, two decimal places.
    for body in [
        with("customerId", json!("c".repeat(36))),
        with("employer", json!("e".repeat(50))),
        with("totalAnnualIncome", json!(50000.12)),
    ] {
        let (status, answer) = cf.call(paths::CREDIT_APPLICATION, body).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    // Refused requests are not applications.
    assert_eq!(cf.stored().await.len(), 3);
}

#[tokio::test]
async fn credit_identical_requests_make_separate_applications_listed_in_order() {
    let cf = ConnectFi::default().await;
    assert!(cf.stored().await.is_empty());
    let request = credit("cstap_1Vu13vFOsYLXR2Tsvm68jW", 50_000.0);
    let first = cf.apply(&request).await;
    let second = cf.apply(&request).await;
    assert_ne!(first.application_id, second.application_id);
    let third = cf.apply(&credit(inputs::DECLINE, 50_000.0)).await;

    let stored = cf.stored().await;
    assert_eq!(stored.len(), 3);
    let ids: Vec<&str> = stored
        .iter()
        .map(|s| s["application"]["applicationId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            first.application_id.as_str(),
            second.application_id.as_str(),
            third.application_id.as_str()
        ]
    );
    assert_eq!(
        stored[0],
        json!({
            "request": serde_json::to_value(&request).unwrap(),
            "application": serde_json::to_value(&first).unwrap()
        })
    );
}

// ----- routing and faults -----

#[tokio::test]
async fn connectfi_unknown_paths_and_methods_answer_in_connectfis_format() {
    let cf = ConnectFi::default().await;
    let unknown = cf.call("/ibis/credit-card/nothing", json!({})).await;
    assert_error(&unknown, 404, "notFound");
    let get = Request::get(format!("{PREFIX}{}", paths::CREDIT_APPLICATION))
        .header(TOKEN_HEADER, &cf.token)
        .body(Body::empty())
        .unwrap();
    assert_error(&cf.sandbox.send(get).await, 405, "methodNotAllowed");
    // The bank's side keeps the bank's format.
    let (status, body) = cf
        .sandbox
        .send(Request::get("/api/nothing").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["errors"].is_array(), "{body}");
}

#[tokio::test]
async fn connectfi_calls_get_the_configured_faults_but_its_inspection_does_not() {
    let cf = ConnectFi::default().await;
    let set = |faults: Value| {
        Request::post("/sandbox/faults")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(faults.to_string()))
            .unwrap()
    };
    assert_eq!(
        cf.sandbox.send(set(json!({ "failEvery": 1 }))).await.0,
        StatusCode::OK
    );
    let failed = cf
        .call(paths::KYC_STATUS, json!({ "customerId": "cstap_1" }))
        .await;
    assert_eq!(failed.0, StatusCode::INTERNAL_SERVER_ERROR, "{}", failed.1);
    let login = cf
        .sandbox
        .send(post(paths::GET_TOKEN, None, login_body(LOGIN, PASSWORD)))
        .await;
    assert_eq!(login.0, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(cf.stored().await.is_empty());

    cf.sandbox.send(set(json!({}))).await;
    cf.kyc("cstap_1", None).await;
}

#[tokio::test]
async fn connectfi_a_spawned_sandbox_serves_connectfi_at_its_base_url() {
    let sandbox = bank_sandbox::spawn(SandboxConfig::default()).await.unwrap();
    let base = sandbox.connectfi_base_url();
    assert_eq!(base, format!("{}/connectfi", sandbox.origin()));
    let client = reqwest::Client::new();

    let login: Envelope<Token> = client
        .post(format!("{base}{}", paths::GET_TOKEN))
        .json(&GetTokenRequest {
            user: User {
                login: LOGIN.into(),
                password: PASSWORD.into(),
            },
        })
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login.data.token;

    let kyc: Envelope<KycStatus> = client
        .post(format!("{base}{}", paths::KYC_STATUS))
        .header(TOKEN_HEADER, &token)
        .json(&KycStatusRequest {
            customer_id: "cstap_7uvAC6nLftLGCq7yic3TfI".into(),
            application_id: None,
        })
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(kyc.data.is_approved());

    let response = client
        .post(format!("{base}{}", paths::CREDIT_APPLICATION))
        .header(TOKEN_HEADER, &token)
        .json(&credit("cstap_7uvAC6nLftLGCq7yic3TfI", 50_000.0))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let decided: Envelope<CreditApplication> = response.json().await.unwrap();
    assert!(decided.data.is_approved());
    assert_eq!(decided.data.credit_limit, 5_000.0);

    let refused = client
        .post(format!("{base}{}", paths::CREDIT_APPLICATION))
        .header(TOKEN_HEADER, "not-a-token")
        .json(&credit("cstap_7uvAC6nLftLGCq7yic3TfI", 50_000.0))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    let error: ErrorEnvelope = refused.json().await.unwrap();
    assert_eq!(error.code, "unauthorized");

    let stored: Vec<Value> = client
        .get(format!("{}{INSPECTION}", sandbox.origin()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
}

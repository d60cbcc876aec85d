//! The bank's contract (`crates/bank-api/openapi.yaml`), checked on the wire: every request
//! the BFF sends and every answer the sandbox gives during these journeys is validated
//! against it (see `contract.rs`). Every other test of this binary is checked the same way
//! when its bank is dropped; these tests make sure each part of the contract is reached.

use crate::contract::{Exchange, CONTRACT};
use crate::helpers::{finances_form, spawn_app, TestApp};
use bank_api::{paths, BankErrorCode, CreditDecision, ErrorList, InPrincipleApprovalResponse};
use onboarding_core::ReferenceField;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A journey through stage 3 with this surname, employment status and income.
async fn journey(app: &TestApp, surname: &str, status: &str, income: &str) {
    let customer = app.through_identity(surname).await;
    let form = finances_form(&customer.journey, status, income);
    app.finances(&customer.token, &customer.reference, &form)
        .await;
}

/// The recorded answers to `method` on paths of `template_end`, parsed as `T`.
fn answers<T: serde::de::DeserializeOwned>(
    exchanges: &[Exchange],
    method: &str,
    template_end: &str,
    status: u16,
) -> Vec<T> {
    exchanges
        .iter()
        .filter(|e| e.method == method && e.path.ends_with(template_end))
        .filter_map(|e| e.response.as_ref())
        .filter(|(s, _)| *s == status)
        .filter_map(|(_, body)| serde_json::from_slice(body).ok())
        .collect()
}

fn assert_conforms(app: &TestApp) {
    let violations = app.bank.contract_violations();
    assert!(
        violations.is_empty(),
        "bank calls break the contract:\n{}",
        violations.join("\n")
    );
}

#[tokio::test]
async fn approved_referred_declined_and_every_error_journey_keep_the_contract() {
    let app = spawn_app().await;
    let mut journeys = vec![
        journey(&app, "Tan", "EMPLOYED", "60000"),
        journey(&app, "Referral", "EMPLOYED", "60000"),
        journey(&app, "Decline", "EMPLOYED", "60000"),
        journey(&app, "Lim", "SELF_EMPLOYED", "60000"),
        journey(&app, "Ong", "EMPLOYED", "1000"),
    ];
    for code in BankErrorCode::ALL {
        journeys.push(journey(&app, code.code(), "EMPLOYED", "60000"));
    }
    futures_util::future::join_all(journeys).await;

    assert_conforms(&app);
    let exchanges = app.bank.exchanges();
    a_changed_field_of_a_recorded_call_breaks_the_contract(&exchanges);
    let decisions: Vec<String> =
        answers::<InPrincipleApprovalResponse>(&exchanges, "POST", "/inPrincipleApprovals", 200)
            .into_iter()
            .flat_map(|r| r.requested_product_decision)
            .filter_map(|d| d.credit_decision)
            .collect();
    for decision in [
        CreditDecision::Approved,
        CreditDecision::Referred,
        CreditDecision::Rejected,
    ] {
        assert!(
            decisions.iter().any(|d| d == decision.code()),
            "no IPA answered {decision:?}: {decisions:?}"
        );
    }
    for code in BankErrorCode::ALL {
        let answered = answers::<ErrorList>(
            &exchanges,
            "POST",
            "/inPrincipleApprovals",
            code.http_status(),
        )
        .iter()
        .any(|list| list.errors.iter().any(|e| e.code == code.code()));
        assert!(answered, "no IPA answered {}", code.code());
    }
    for (method, end, status) in [
        ("POST", "/gcb", 200),
        ("POST", paths::APPLICATIONS, 201),
        ("POST", "/backgroundScreening", 200),
    ] {
        let seen = exchanges.iter().any(|e| {
            e.method == method
                && e.path.ends_with(end)
                && e.response.as_ref().is_some_and(|(s, _)| *s == status)
        });
        assert!(seen, "no {method} ...{end} answered {status}");
    }
    let updates = exchanges
        .iter()
        .filter(|e| e.method == "PUT" && e.response.as_ref().is_some_and(|(s, _)| *s == 200))
        .count();
    assert!(updates > 0, "no update answered 200");
}

/// The checker is not vacuous on real traffic: the recorded calls fail once one field of an
/// answer or a request is changed.
fn a_changed_field_of_a_recorded_call_breaks_the_contract(exchanges: &[Exchange]) {
    let approval = exchanges
        .iter()
        .find(|e| {
            e.path.ends_with("/inPrincipleApprovals")
                && e.response.as_ref().is_some_and(|(s, _)| *s == 200)
        })
        .expect("an IPA answered 200");
    let (status, body) = approval.response.clone().expect("an answer");
    let mut answer: Value = serde_json::from_slice(&body).expect("JSON");
    answer["requestedProductDecision"][0]["creditDecision"] = json!(0);
    let mut changed = approval.clone();
    changed.response = Some((status, serde_json::to_vec(&answer).expect("JSON")));
    assert!(
        !CONTRACT.violations(&changed).is_empty(),
        "a numeric creditDecision passes"
    );

    let update = exchanges
        .iter()
        .find(|e| e.method == "PUT")
        .expect("an update");
    let mut request: Value = serde_json::from_slice(&update.request_body).expect("JSON");
    request["applicant"]["surname"] = json!("Tan");
    let mut changed = update.clone();
    changed.request_body = serde_json::to_vec(&request).expect("JSON");
    assert!(
        !CONTRACT.violations(&changed).is_empty(),
        "a misplaced surname passes"
    );
}

#[tokio::test]
async fn reference_data_of_every_field_keeps_the_contract() {
    let app = spawn_app().await;
    app.start_session().await;
    let exchanges = app.bank.exchanges();
    for field in ReferenceField::ALL {
        let path = format!("/api{}", paths::reference_data(field.reference_code()));
        let answered = exchanges.iter().any(|e| {
            e.method == "GET"
                && e.path == path
                && e.response.as_ref().is_some_and(|(s, _)| *s == 200)
        });
        assert!(answered, "the BFF never fetched {path}");
    }
    assert_conforms(&app);
}

/// A direct caller of the sandbox, sending what the contract asks for.
struct Direct<'a> {
    app: &'a TestApp,
    token: String,
}

impl<'a> Direct<'a> {
    async fn new(app: &'a TestApp) -> Self {
        let token: Value = app
            .client
            .post(format!("{}{}", app.bank.base_url(), paths::token("SG")))
            .basic_auth(
                &app.bank.config.client_id,
                Some(&app.bank.config.client_secret),
            )
            .header("Accept", "application/json")
            .form(&[("grant_type", "client_credentials"), ("scope", "/api")])
            .send()
            .await
            .expect("the sandbox answers")
            .json()
            .await
            .expect("a token");
        let token = token["access_token"].as_str().expect("a token").to_owned();
        Self { app, token }
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self
            .app
            .client
            .request(method, format!("{}{path}", self.app.bank.base_url()))
            .bearer_auth(&self.token)
            .header("client_id", &self.app.bank.config.client_id)
            .header("uuid", uuid::Uuid::new_v4().to_string())
            .header("countryCode", "SG")
            .header("Accept", "application/json");
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the sandbox answers");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

fn create_body(salutation: &str, consent: &str) -> Value {
    json!({
        "product": {"creditCardProduct": {
            "productCode": "VC830", "sourceCode": "WW5ARCE1", "organization": "888", "logo": "830"}},
        "applicant": {
            "name": {"salutation": salutation, "givenName": "Mei Ling", "surname": "Tan"},
            "phone": [{"phoneType": "MOBILE", "phoneCountryCode": "65", "phoneNumber": "91234567"}],
            "consentDetails": [{"consentType": consent, "isConsentGiven": true}]
        }
    })
}

fn first_error(body: &Value) -> (String, String) {
    let error = &body["errors"][0];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    (text(&error["code"]), text(&error["location"]))
}

#[tokio::test]
async fn the_sandboxs_validation_errors_keep_the_contract() {
    let app = spawn_app().await;
    let bank = Direct::new(&app).await;
    use reqwest::Method;

    let (status, body) = bank
        .send(
            Method::POST,
            paths::APPLICATIONS,
            Some(create_body("ZZ", "TERMS_AND_CONDITIONS")),
        )
        .await;
    assert_eq!(
        (status, first_error(&body).0.as_str()),
        (400, "invalidRequest"),
        "{body}"
    );
    let (status, body) = bank
        .send(
            Method::POST,
            paths::APPLICATIONS,
            Some(create_body("MR", "MARKETING")),
        )
        .await;
    assert_eq!(
        (status, first_error(&body)),
        (
            400,
            ("invalidRequest".into(), "applicant.consentDetails".into())
        ),
        "{body}"
    );

    let (status, created) = bank
        .send(
            Method::POST,
            paths::APPLICATIONS,
            Some(create_body("MR", "TERMS_AND_CONDITIONS")),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["applicationId"].as_str().expect("an id").to_owned();
    let flow = created["controlFlowId"]
        .as_str()
        .expect("a flow id")
        .to_owned();

    let update =
        |applicant: Value, flow: &str| json!({"applicant": applicant, "controlFlowId": flow});
    let bad_id = json!({"identificationDocumentDetails": [
        {"idType": "BOGUS", "idNumber": "S1234567D", "idIssueCountry": "SG", "isPrimaryId": true}]});
    let (status, body) = bank
        .send(
            Method::PUT,
            &paths::application(&id),
            Some(update(bad_id, &flow)),
        )
        .await;
    assert_eq!(
        (status, first_error(&body).1.as_str()),
        (400, "applicant.identificationDocumentDetails[0].idType"),
        "{body}"
    );
    let (status, body) = bank
        .send(
            Method::PUT,
            &paths::application(&id),
            Some(update(json!({}), "not-the-flow")),
        )
        .await;
    assert_eq!(
        (status, first_error(&body).1.as_str()),
        (400, "controlFlowId"),
        "{body}"
    );
    let (status, body) = bank
        .send(
            Method::PUT,
            &paths::application("999999999999"),
            Some(update(json!({}), &flow)),
        )
        .await;
    assert_eq!(
        (status, first_error(&body).0.as_str()),
        (404, "resourceNotFound"),
        "{body}"
    );

    let flow_only = json!({"controlFlowId": flow});
    let (status, body) = bank
        .send(
            Method::POST,
            &paths::in_principle_approvals(&id),
            Some(flow_only.clone()),
        )
        .await;
    assert_eq!(
        (status, first_error(&body).0.as_str()),
        (400, BankErrorCode::PerformBackgroundScreeningFirst.code()),
        "{body}"
    );
    let (status, body) = bank
        .send(
            Method::POST,
            &paths::background_screening(&id),
            Some(flow_only),
        )
        .await;
    assert_eq!(
        (status, first_error(&body).0.as_str()),
        (400, BankErrorCode::InvalidRequestSequence.code()),
        "{body}"
    );
    let (status, body) = bank
        .send(Method::GET, &paths::reference_data("noSuchField"), None)
        .await;
    assert!(status == 404 || status == 400, "{status} {body}");

    assert_conforms(&app);
}

#[tokio::test]
async fn the_token_endpoint_refuses_bad_credentials_in_the_contract_format() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(format!("{}{}", app.bank.base_url(), paths::token("SG")))
        .basic_auth(&app.bank.config.client_id, Some("not-the-secret"))
        .header("Accept", "application/json")
        .header("uuid", uuid::Uuid::new_v4().to_string())
        .form(&[("grant_type", "client_credentials"), ("scope", "/api")])
        .send()
        .await
        .expect("the sandbox answers");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: ErrorList = response.json().await.expect("an ErrorList");
    assert_eq!(body.errors[0].code, BankErrorCode::UnAuthorized.code());
    assert_eq!(app.bank.exchanges().len(), 1);
    assert_conforms(&app);
}

/// A request the BFF would send, as the recording layer sees it.
fn recorded_create(headers: &[(&str, &str)], body: Value) -> Exchange {
    Exchange {
        method: "POST".into(),
        path: format!("/api{}", paths::APPLICATIONS),
        query: String::new(),
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        request_body: serde_json::to_vec(&body).expect("JSON"),
        response: Some((
            201,
            br#"{"applicationId":"000000000001","applicationStage":"BASIC_DETAILS","controlFlowId":"ab"}"#
                .to_vec(),
        )),
    }
}

const GOOD_HEADERS: [(&str, &str); 6] = [
    ("authorization", "Bearer 0123456789abcdef"),
    ("client_id", "sandbox-client"),
    ("uuid", "6f1c1f7e-4a0e-4b8e-9d3c-2f4b8a1e5c77"),
    ("countrycode", "SG"),
    ("accept", "application/json"),
    ("content-type", "application/json"),
];

#[test]
fn the_checker_catches_an_extra_a_missing_and_a_mistyped_field() {
    let good = create_body("MR", "TERMS_AND_CONDITIONS");
    CONTRACT
        .validate_schema("ApplicationAddRequest", &good)
        .expect("the hand-made create is valid");
    assert!(CONTRACT
        .violations(&recorded_create(&GOOD_HEADERS, good.clone()))
        .is_empty());

    let mut extra = good.clone();
    extra["applicant"]["name"]["nickname"] = json!("Mei");
    let mut missing = good.clone();
    missing["applicant"]["name"]
        .as_object_mut()
        .expect("a name")
        .remove("givenName");
    let mut mistyped = good.clone();
    mistyped["applicant"]["consentDetails"][0]["isConsentGiven"] = json!("yes");
    for (what, bad) in [
        ("extra", extra),
        ("missing", missing),
        ("mistyped", mistyped),
    ] {
        assert!(
            CONTRACT
                .validate_schema("ApplicationAddRequest", &bad)
                .is_err(),
            "an {what} field passes"
        );
        assert!(
            !CONTRACT
                .violations(&recorded_create(&GOOD_HEADERS, bad))
                .is_empty(),
            "a recorded create with a {what} field passes"
        );
    }

    let approved = json!({
        "applicationStage": "APPROVAL", "ipaExpiryDate": "2030-01-31",
        "requestedProductDecision": [{"productCode": "VC830", "sourceCode": "WW5ARCE1",
            "organisationCode": "888", "creditDecision": "000",
            "creditSpecificRecommendations": [{"recommendedCreditLimit": 12000.0}]}]
    });
    CONTRACT
        .validate_schema("InPrincipleApprovalResponse", &approved)
        .expect("the hand-made approval is valid");
    let decision = "/requestedProductDecision/0";
    for (pointer, bad) in [
        (format!("{decision}/creditDecision"), json!("001")),
        (
            format!("{decision}/creditSpecificRecommendations/0/recommendedCreditLimit"),
            json!("12000"),
        ),
        ("/ipaExpiryDate".to_owned(), json!("31/01/2030")),
        (
            format!("{decision}/creditSpecificRecommendations/0/creditLimit"),
            json!(1),
        ),
    ] {
        let mut body = approved.clone();
        let (parent, field) = pointer.rsplit_once('/').expect("a field");
        body.pointer_mut(parent).expect("the parent")[field] = bad.clone();
        assert!(
            CONTRACT
                .validate_schema("InPrincipleApprovalResponse", &body)
                .is_err(),
            "{pointer} = {bad} passes"
        );
    }
    let mut no_stage = approved.clone();
    no_stage
        .as_object_mut()
        .expect("an object")
        .remove("applicationStage");
    assert!(CONTRACT
        .validate_schema("InPrincipleApprovalResponse", &no_stage)
        .is_err());

    for bad in [
        json!({"errors": [{"type": "oops", "code": "ipaFailed"}]}),
        json!({"errors": [{"type": "error"}]}),
        json!({"errors": [{"type": "error", "code": "ipaFailed", "hint": "x"}]}),
        json!({"errors": []}),
    ] {
        assert!(
            CONTRACT.validate_schema("ErrorList", &bad).is_err(),
            "{bad} passes"
        );
    }
    assert!(CONTRACT
        .validate_schema("TokenResponse", &json!({"access_token": "a", "token_type": "bearer", "expires_in": "1800", "scope": "/api"}))
        .is_err());
}

#[test]
fn the_checker_catches_an_undescribed_call_and_a_missing_query() {
    let mut unknown = recorded_create(&GOOD_HEADERS, json!({}));
    unknown.path = "/api/v1/apac/onboarding/products/secured/applications".into();
    assert!(
        !CONTRACT.violations(&unknown).is_empty(),
        "an undescribed path passes"
    );

    // The inquiry is described but not served: its GET needs `controlFlowId` in the query.
    let mut inquiry = recorded_create(&GOOD_HEADERS, json!({}));
    inquiry.method = "GET".into();
    inquiry.path = format!("/api{}", paths::application("000000000001"));
    inquiry.request_body.clear();
    inquiry.response = Some((200, b"{}".to_vec()));
    assert!(
        !CONTRACT.violations(&inquiry).is_empty(),
        "a GET without controlFlowId passes"
    );
    inquiry.query = "controlFlowId=ab12".into();
    assert_eq!(CONTRACT.violations(&inquiry), Vec::<String>::new());
}

#[test]
fn the_checker_catches_bad_headers() {
    let body = create_body("MR", "TERMS_AND_CONDITIONS");
    let with = |name: &str, value: Option<&str>| {
        let mut headers: Vec<(&str, &str)> = GOOD_HEADERS
            .iter()
            .copied()
            .filter(|(n, _)| *n != name)
            .collect();
        if let Some(value) = value {
            headers.push((name, value));
        }
        recorded_create(&headers, body.clone())
    };
    for (name, value) in [
        ("uuid", Some("not-a-uuid")),
        ("uuid", None),
        ("countrycode", Some("sg")),
        ("countrycode", None),
        ("authorization", Some("Basic c2FuZGJveDpzZWNyZXQ=")),
        ("client_id", None),
        ("accept", None),
        ("content-type", Some("text/plain")),
    ] {
        assert!(
            !CONTRACT.violations(&with(name, value)).is_empty(),
            "{name}: {value:?} passes"
        );
    }
}

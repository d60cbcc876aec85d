//! Submit Prospect: the lead capture of Indonesia, Thailand and Vietnam, answered with a
//! prospect id and no decision; refused for every other market.

use crate::support::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{json, Value};

/// A change that breaks a prospect's body.
type Breakage = fn(&mut Value);

fn in_market(code: &'static str) -> Market {
    Market { code, ..SG }
}

async fn recorded(sandbox: &Sandbox) -> Vec<Value> {
    let (status, body) = sandbox
        .send(
            Request::get("/sandbox/prospects")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array().unwrap().clone()
}

#[tokio::test]
async fn indonesia_thailand_and_vietnam_take_prospects() {
    let sandbox = Sandbox::instant().await;
    let mut ids = Vec::new();
    for (market, salutation, language) in [
        ("ID", "MISS", "id-ID"),
        ("TH", "MR", "th-TH"),
        ("VN", "MRS", "vi"),
    ] {
        let (status, body) = sandbox
            .call_in(
                in_market(market).speaking(language),
                Method::POST,
                PROSPECTS,
                Some(prospect_body(market, salutation, "Dewi", "Lestari")),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{market} {body}");
        let id = body["prospectId"].as_str().unwrap().to_owned();
        assert!(id.starts_with("PR") && id.len() == 12, "{id}");
        assert_eq!(body, json!({ "prospectId": id }), "no decision, no flow id");
        ids.push(id);
    }
    let listed = recorded(&sandbox).await;
    assert_eq!(
        listed,
        [
            json!({ "prospectId": ids[0], "market": "ID", "language": "id", "surname": "Lestari", "productGroup": "CREDIT_CARD" }),
            json!({ "prospectId": ids[1], "market": "TH", "language": "th", "surname": "Lestari", "productGroup": "CREDIT_CARD" }),
            json!({ "prospectId": ids[2], "market": "VN", "language": "vi", "surname": "Lestari", "productGroup": "CREDIT_CARD" }),
        ]
    );
}

#[tokio::test]
async fn singapore_and_poland_are_refused_naming_their_api() {
    let sandbox = Sandbox::instant().await;
    for (market, right) in [
        ("SG", "/v1/apac/onboarding/products/unsecured/applications"),
        ("PL", "/v1/emea/onboarding/applications"),
    ] {
        let answer = sandbox
            .call_in(
                in_market(market),
                Method::POST,
                PROSPECTS,
                Some(prospect_body(market, "MR", "Jan", "Kowalski")),
            )
            .await;
        assert_error(
            &answer,
            400,
            "invalid",
            "invalidRequest",
            Some("countryCode"),
        );
        let details = answer.1["errors"][0]["details"].as_str().unwrap();
        assert!(details.contains(&format!("{market} (")), "{details}");
        assert!(details.contains(right), "{details}");
    }
    assert!(recorded(&sandbox).await.is_empty());
    assert!(sandbox.notifications(None).await.is_empty());
}

#[tokio::test]
async fn a_missing_required_field_is_named() {
    let sandbox = Sandbox::instant().await;
    let th = in_market("TH");
    // Each case: where the answer points, a word its details must say, and the change.
    let cases: [(&str, &str, Breakage); 6] = [
        ("interest", "interest", |b| {
            b.as_object_mut().unwrap().remove("interest");
        }),
        ("interest.productGroup", "productGroup", |b| {
            b["interest"]
                .as_object_mut()
                .unwrap()
                .remove("productGroup");
        }),
        ("prospect.contactPreference", "contactPreference", |b| {
            b["prospect"]
                .as_object_mut()
                .unwrap()
                .remove("contactPreference");
        }),
        ("prospect.name.givenName", "givenName", |b| {
            b["prospect"]["name"]
                .as_object_mut()
                .unwrap()
                .remove("givenName");
        }),
        ("prospect.phone", "phone", |b| {
            b["prospect"]["phone"] = json!([])
        }),
        ("prospect.address[0].countryCode", "country", |b| {
            b["prospect"]["address"][0]["countryCode"] = json!("XX")
        }),
    ];
    for (location, word, edit) in cases {
        let mut body = prospect_body("TH", "MR", "Somchai", "Jaidee");
        edit(&mut body);
        let answer = sandbox
            .call_in(th, Method::POST, PROSPECTS, Some(body))
            .await;
        assert_error(&answer, 400, "invalid", "invalidRequest", Some(location));
        let details = answer.1["errors"][0]["details"].as_str().unwrap();
        assert!(details.contains(word), "{location}: {details}");
    }
    assert!(recorded(&sandbox).await.is_empty());
}

#[tokio::test]
async fn a_prospect_repeated_with_its_uuid_is_recorded_and_acknowledged_once() {
    let sandbox = Sandbox::instant().await;
    let uuid = uuid::Uuid::new_v4().to_string();
    let send = |body: Value| {
        let mut request = sandbox
            .request_in(in_market("VN"), Method::POST, PROSPECTS)
            .body(Body::from(body.to_string()))
            .unwrap();
        request.headers_mut().insert("uuid", uuid.parse().unwrap());
        sandbox.send(request)
    };
    let body = prospect_body("VN", "MR", "Minh", "Nguyen");
    let (status, first) = send(body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(send(body).await, (StatusCode::OK, first.clone()));
    assert_eq!(recorded(&sandbox).await.len(), 1);
    let reference = first["prospectId"].as_str().unwrap();
    assert_eq!(
        sandbox.notifications(Some(reference)).await.len(),
        2,
        "one SMS and one e-mail"
    );
    let other = prospect_body("VN", "MR", "Minh", "Tran");
    assert_error(
        &send(other).await,
        400,
        "invalid",
        "invalidRequest",
        Some("uuid"),
    );
}

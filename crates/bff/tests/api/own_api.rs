//! The BFF's own description (`crates/bff/openapi.yaml`): OpenAPI 3.1 that says what the
//! BFF serves, every route and every error code, and a checker that fails a wrong answer.
//! `TestApp::send` holds every answer of the suite to it (see `helpers::check_answer`).

use crate::contract::{Answered, OWN_API};
use crate::helpers::{check_answer, new_key, spawn_app};
use onboarding_core::api::{routes, ErrorCode};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Paths that are the API's, described or not: whatever routes.rs serves under them must
/// be described.
const API_PREFIXES: [&str; 2] = ["/api/", "/partner/"];

/// The methods a route may take.
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

fn name_of(code: ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .expect("a code is a string")
}

/// The strings a schema allows by `enum` or `const`.
fn allowed(schema: &Value) -> BTreeSet<String> {
    let listed = schema["enum"].as_array().cloned().unwrap_or_default();
    listed
        .iter()
        .chain(schema.get("const"))
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// The error codes a response allows (none for one without the error envelope).
fn error_codes(response: &Value) -> BTreeSet<String> {
    response["content"]["application/json"]["schema"]["allOf"]
        .as_array()
        .and_then(|parts| parts.get(1))
        .map(|narrowed| allowed(&narrowed["properties"]["code"]))
        .unwrap_or_default()
}

/// Every described operation: (METHOD, path template) and the operation.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut found = Vec::new();
    for (template, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            if METHODS.contains(&method.to_ascii_uppercase().as_str()) {
                found.push((method.to_ascii_uppercase(), template.clone(), operation));
            }
        }
    }
    found
}

#[test]
fn the_description_is_openapi_3_1_with_every_error_code_at_its_status() {
    let doc = OWN_API.document();
    assert_eq!(doc["openapi"], "3.1.0");
    // Loading OWN_API compiled every schema of it as JSON Schema 2020-12, every `$ref`
    // resolved.
    let every = ErrorCode::ALL;
    let status_of = |name: &String| {
        every
            .iter()
            .find(|c| &name_of(**c) == name)
            .map(|c| c.http_status())
    };
    let mut ids = BTreeSet::new();
    for (method, template, operation) in operations(doc) {
        let id = operation["operationId"].as_str().expect("an operationId");
        assert!(ids.insert(id.to_owned()), "operationId {id} twice");
        let responses = operation["responses"].as_object().expect("responses");
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{method} {template} has no success"
        );
        for (status, response) in responses {
            let status: u16 = status.parse().expect("a status");
            for code in error_codes(OWN_API.resolve("", response).1) {
                assert_eq!(
                    status_of(&code),
                    Some(status),
                    "{method} {template} answers {code} with {status}"
                );
            }
        }
    }

    let described = allowed(&doc["components"]["schemas"]["ErrorCode"]);
    let known: BTreeSet<String> = every.iter().copied().map(name_of).collect();
    assert_eq!(described, known, "ErrorCode's enum");
    // Each code has its answer among the responses, one status to each.
    let mut answered = BTreeSet::new();
    for (name, response) in doc["components"]["responses"]
        .as_object()
        .expect("responses")
    {
        let codes = error_codes(response);
        let statuses: BTreeSet<Option<u16>> = codes.iter().map(status_of).collect();
        assert!(statuses.len() <= 1, "{name} answers codes of {statuses:?}");
        answered.extend(codes);
    }
    assert_eq!(answered, known, "the codes with a response");

    let rule = &doc["components"]["schemas"]["Error"]["allOf"][0];
    let retryable = allowed(&rule["if"]["properties"]["code"]);
    let expected: BTreeSet<String> = every
        .iter()
        .filter(|c| c.retryable())
        .copied()
        .map(name_of)
        .collect();
    assert_eq!(retryable, expected, "the retryable codes");
}

/// The API's routes, as (METHOD, path template), read from routes.rs's source (the router
/// `api`, which takes JSON bodies): a router cannot list its routes, and a route added
/// there must be described too.
fn served_routes() -> BTreeSet<(String, String)> {
    let source = include_str!("../../src/routes.rs");
    let api = source
        .split("let api = Router::new()")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .expect("routes.rs builds the router `api`");
    let mut served = BTreeSet::new();
    for call in api.split(".route(").skip(1) {
        // The call's arguments: up to the parenthesis that closes `.route(`.
        let mut depth = 1;
        let end = call
            .char_indices()
            .find(|(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map(|(i, _)| i)
            .expect("a closed .route(");
        let (path, handlers) = call[..end].split_once(',').expect("a path and handlers");
        let path = path_of(path.trim());
        for method in METHODS {
            let call = format!("{}(", method.to_ascii_lowercase());
            let named = handlers.match_indices(&call).any(|(i, _)| {
                handlers[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.' || c == ':'))
            });
            if named {
                served.insert((method.to_owned(), path.clone()));
            }
        }
    }
    served
}

/// The path a route of routes.rs names.
fn path_of(expression: &str) -> String {
    let reference = "{reference}";
    match expression {
        "routes::SESSIONS" => routes::SESSIONS.to_owned(),
        "routes::CURRENT_SESSION" => routes::CURRENT_SESSION.to_owned(),
        "routes::RESUME_SESSION" => routes::RESUME_SESSION.to_owned(),
        "routes::APPLICATIONS" => routes::APPLICATIONS.to_owned(),
        "routes::LEADS" => routes::LEADS.to_owned(),
        "&routes::identity(\"{reference}\")" => routes::identity(reference),
        "&routes::finances(\"{reference}\")" => routes::finances(reference),
        "&routes::offer_acceptance(\"{reference}\")" => routes::offer_acceptance(reference),
        "&routes::save(\"{reference}\")" => routes::save(reference),
        "PLACEMENTS_PATH" => bff::placements::PLACEMENTS_PATH.to_owned(),
        literal if literal.starts_with('"') && literal.ends_with('"') => {
            literal.trim_matches('"').to_owned()
        }
        other => panic!("routes.rs routes `{other}`: teach own_api.rs's path_of to read it"),
    }
}

#[tokio::test]
async fn every_api_route_is_described_and_every_described_operation_is_served() {
    let doc = OWN_API.document();
    let described: BTreeSet<(String, String)> = operations(doc)
        .into_iter()
        .map(|(method, template, _)| (method, template))
        .collect();
    let served = served_routes();
    for (_, path) in &served {
        assert!(
            API_PREFIXES.iter().any(|p| path.starts_with(p)),
            "{path} is not the API's"
        );
    }
    assert!(served.len() >= 9, "routes.rs read: {served:?}");
    assert_eq!(
        served, described,
        "the API's routes in routes.rs (left) and in crates/bff/openapi.yaml (right)"
    );

    // And the running BFF serves each: the router refuses no described operation, and
    // every other method on a described path is its 405.
    let app = spawn_app().await;
    let paths: BTreeSet<&String> = described.iter().map(|(_, path)| path).collect();
    for template in paths {
        let path = template.replace("{reference}", "000000000001");
        for method in METHODS {
            let request = app.client.request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                app.url(&path),
            );
            let answer = app.send(request).await;
            let routed_away = matches!(answer.status.as_u16(), 404 | 405) && answer.body.is_empty();
            if described.contains(&(method.to_owned(), template.clone())) {
                assert!(!routed_away, "{method} {path} is not served");
            } else {
                assert_eq!(
                    answer.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path} is served but not described"
                );
            }
        }
    }
}

fn answered<'a>(
    method: &'a str,
    path: &'a str,
    status: u16,
    headers: &[(&str, &str)],
    body: &'a [u8],
) -> Answered<'a> {
    Answered {
        method,
        path,
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body,
    }
}

const JSON: (&str, &str) = ("content-type", "application/json");

#[tokio::test]
async fn the_check_fails_a_wrong_answer() {
    let app = spawn_app().await;
    let started = app
        .start_session_with(
            crate::helpers::PARTNER,
            crate::helpers::MARKET,
            crate::helpers::RETURN_URL,
        )
        .await;
    assert_eq!(started.status, StatusCode::CREATED);
    let good: Value = serde_json::from_str(&started.body).expect("JSON");
    let check = |status: u16, headers: &[(&str, &str)], body: &Value| {
        let body = serde_json::to_vec(body).expect("JSON");
        OWN_API.answer_violations(&answered("POST", routes::SESSIONS, status, headers, &body))
    };
    assert_eq!(check(201, &[JSON], &good), Vec::<String>::new());

    let changed = |pointer: &str, value: Option<Value>| {
        let mut body = good.clone();
        let (parent, field) = pointer.rsplit_once('/').expect("a field");
        let parent = body.pointer_mut(parent).expect("the parent");
        match value {
            Some(value) => parent[field] = value,
            None => {
                parent.as_object_mut().expect("an object").remove(field);
            }
        }
        body
    };
    for (what, body) in [
        ("a missing field", changed("/journey/market/today", None)),
        (
            "an extra field",
            changed("/journey/partner/logo", Some(json!("x"))),
        ),
        (
            "a mistyped field",
            changed("/journey/saveable", Some(json!("yes"))),
        ),
        ("a malformed token", changed("/token", Some(json!("XYZ")))),
        (
            "an unknown stage",
            changed("/journey/progress/stage", Some(json!("review"))),
        ),
        (
            "a decision of two outcomes",
            changed(
                "/journey/progress/decision",
                Some(json!({"referred": {}, "declined": {}})),
            ),
        ),
    ] {
        assert!(!check(201, &[JSON], &body).is_empty(), "{what} passes");
    }
    assert!(
        !check(200, &[JSON], &good).is_empty(),
        "an undescribed status passes"
    );
    assert!(
        !check(201, &[("content-type", "text/plain")], &good).is_empty(),
        "an undescribed media type passes"
    );

    // A real refusal, then the envelope's rules broken one by one.
    let refused = app.current("not-a-token").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let error: Value = serde_json::from_str(&refused.body).expect("JSON");
    let check_error = |status: u16, headers: &[(&str, &str)], body: &Value| {
        let body = serde_json::to_vec(body).expect("JSON");
        OWN_API.answer_violations(&answered(
            "GET",
            routes::CURRENT_SESSION,
            status,
            headers,
            &body,
        ))
    };
    assert_eq!(check_error(401, &[JSON], &error), Vec::<String>::new());
    let with = |field: &str, value: Value| {
        let mut body = error.clone();
        body[field] = value;
        body
    };
    for (what, body) in [
        (
            "a code of another status",
            with("code", json!("unknown_partner")),
        ),
        ("an unknown code", with("code", json!("nope"))),
        ("a wrong retryable", with("retryable", json!(true))),
        (
            "fields without invalid_input",
            with("fields", json!([{"field": "title", "error": "required"}])),
        ),
        ("an extra field", with("hint", json!("x"))),
    ] {
        assert!(
            !check_error(401, &[JSON], &body).is_empty(),
            "{what} passes"
        );
    }

    // 429 must say when to come back.
    let limited = json!({"code": "too_many_requests", "message": "slow down", "retryable": true});
    assert_eq!(
        check_error(429, &[JSON, ("retry-after", "2")], &limited),
        Vec::<String>::new()
    );
    assert!(!check_error(429, &[JSON], &limited).is_empty());
    assert!(!check_error(429, &[JSON, ("retry-after", "soon")], &limited).is_empty());

    // An answer from an undescribed API path; the router's own refusals and paths outside
    // the API are not the description's.
    let undescribed = answered("POST", "/api/v1/nothing", 200, &[JSON], b"{}");
    assert!(!OWN_API.answer_violations(&undescribed).is_empty());
    let routed = answered("POST", "/api/v1/nothing", 404, &[], b"");
    assert!(OWN_API.answer_violations(&routed).is_empty());
    let page = answered(
        "GET",
        "/apply",
        200,
        &[("content-type", "text/html")],
        b"<p>",
    );
    assert!(OWN_API.answer_violations(&page).is_empty());
}

/// Found while describing the API: axum's own rejection of a path parameter is plain text.
#[tokio::test]
async fn a_reference_that_is_not_utf_8_is_refused_in_the_envelope() {
    let app = spawn_app().await;
    let (token, _) = app.start_session().await;
    for (method, path) in [
        (Method::PUT, routes::identity("%FF")),
        (Method::PUT, routes::finances("%FF")),
        (Method::POST, routes::offer_acceptance("%FF")),
        (Method::POST, routes::save("%FF")),
    ] {
        let request = app
            .api(method, &path, Some(&token), Some(&new_key()))
            .json(&json!({}));
        app.send(request)
            .await
            .refused_with(ErrorCode::MalformedRequest);
    }
}

#[test]
#[should_panic(expected = "breaks crates/bff/openapi.yaml")]
fn a_wrong_answer_fails_the_test_that_got_it() {
    let url = reqwest::Url::parse("http://127.0.0.1:1/api/v1/sessions/current").unwrap();
    let mut headers = HeaderMap::new();
    headers.insert(
        reqwest::header::CONTENT_TYPE,
        "application/json".parse().unwrap(),
    );
    check_answer(&Method::GET, &url, StatusCode::OK, &headers, "{}");
}

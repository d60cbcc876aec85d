//! What the platform reads from the BFF: readiness, the metrics on their own listener, the
//! request id in every answer and every log line, and the client address behind proxies.

use crate::database::fresh_database_url;
use crate::helpers::{
    about_you_form, app_dir, finances_form, identity_form, spawn_app, spawn_app_with,
    spawn_bff_process_on, Answer, Bank, TestApp, MARKET, PARTNER, PARTNERS_FILE, RETURN_URL,
};
use bank_api::paths;
use onboarding_core::api::{routes, ErrorCode, StartSession};
use onboarding_core::Stage;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// The sum of the samples of `name` whose labels include every one of `labels`.
pub fn sample(metrics: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    metrics
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let (metric, rest) = series.split_once('{').unwrap_or((series, "}"));
            let found: Vec<(&str, &str)> = rest
                .trim_end_matches('}')
                .split(',')
                .filter_map(|label| label.split_once('='))
                .map(|(k, v)| (k, v.trim_matches('"')))
                .collect();
            let wanted = metric == name && labels.iter().all(|l| found.contains(l));
            wanted.then(|| value.parse::<f64>().expect("a sample's value"))
        })
        .sum()
}

/// The request id an answer carries, checked to be there.
fn request_id(answer: &Answer) -> String {
    answer
        .headers
        .get("x-request-id")
        .unwrap_or_else(|| panic!("no X-Request-Id on {} {}", answer.status, answer.body))
        .to_str()
        .unwrap()
        .to_owned()
}

/// A client calling from another local address, as another customer (or a proxy) would.
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

fn start(app: &TestApp, client: &reqwest::Client) -> reqwest::RequestBuilder {
    client.post(app.url(routes::SESSIONS)).json(&StartSession {
        partner: PARTNER.into(),
        market: MARKET.into(),
        return_url: RETURN_URL.into(),
        placement: None,
        language: None,
    })
}

#[tokio::test]
async fn readiness_is_200_with_the_breakers_reported_and_an_open_breaker_does_not_fail_it() {
    let app = spawn_app_with(&[
        ("BANK_RETRIES", "0"),
        ("BANK_BREAKER_FAILURES", "1"),
        ("BANK_BREAKER_COOLDOWN_MS", "60000"),
    ])
    .await;
    let ready = app.send(app.client.get(app.url("/readyz"))).await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    let body: Value = serde_json::from_str(&ready.body).expect("a JSON body");
    assert_eq!(
        body,
        json!({
            "status": "ready",
            "database": { "status": "ok" },
            "circuit_breakers": { "bank": "closed", "connectfi": "closed" },
        })
    );
    let health = app.send(app.client.get(app.url("/healthz"))).await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "ok")
    );

    // One failure opens the bank's breaker.
    let (token, journey) = app.start_session().await;
    app.bank
        .set_faults(&app.client, json!({ "failEvery": 1 }))
        .await;
    app.about_you(&token, &about_you_form(&journey, "Tan"))
        .await
        .refused_with(ErrorCode::BankUnavailable);
    app.bank.set_faults(&app.client, json!({})).await;

    let ready = app.send(app.client.get(app.url("/readyz"))).await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    let body: Value = serde_json::from_str(&ready.body).unwrap();
    assert_eq!(
        body["circuit_breakers"],
        json!({ "bank": "open", "connectfi": "closed" })
    );
    let metrics = app.metrics();
    let breaker = "bff_circuit_breaker_open";
    assert_eq!(
        sample(&metrics, breaker, &[("upstream", "bank")]),
        1.0,
        "{metrics}"
    );
    assert_eq!(sample(&metrics, breaker, &[("upstream", "connectfi")]), 0.0);
    assert_eq!(
        sample(
            &metrics,
            "bff_upstream_calls_total",
            &[("call", "create"), ("outcome", "refused")]
        ),
        1.0,
        "{metrics}"
    );
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_probes_are_never_rate_limited() {
    let app = spawn_app_with(&[("RATE_LIMIT_PER_ADDRESS", "1")]).await;
    let started = app.send(start(&app, &app.client)).await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    let limited = app.send(start(&app, &app.client)).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let mut ids = vec![request_id(&started), request_id(&limited)];
    for path in [
        "/healthz",
        "/readyz",
        "/healthz",
        "/readyz",
        "/no/such/page",
    ] {
        let answer = app.send(app.client.get(app.url(path))).await;
        let expected = if path.starts_with("/no/") {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        };
        assert_eq!(answer.status, expected, "{path}: {}", answer.body);
        ids.push(request_id(&answer));
    }
    let asset = app
        .send(app.client.get(app.url("/widget/index.html")))
        .await;
    ids.push(request_id(&asset));
    // A client's own id is not taken: it could make its lines pass for another's.
    let spoofed = app
        .send(
            app.client
                .get(app.url("/healthz"))
                .header("X-Request-Id", "chosen-by-me"),
        )
        .await;
    ids.push(request_id(&spoofed));
    assert!(!ids.contains(&"chosen-by-me".to_owned()));
    let distinct: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "{ids:?}");

    let metrics = app.metrics();
    assert_eq!(
        sample(&metrics, "bff_rate_limited_total", &[("limit", "address")]),
        1.0
    );
    let count = "bff_http_request_duration_seconds_count";
    let sessions = [("route", routes::SESSIONS), ("status", "429")];
    assert_eq!(sample(&metrics, count, &sessions), 1.0, "{metrics}");
    assert_eq!(sample(&metrics, count, &[("route", "/readyz")]), 2.0);
    assert_eq!(
        sample(
            &metrics,
            count,
            &[("route", "unmatched"), ("status", "404")]
        ),
        1.0
    );
    assert_eq!(
        sample(&metrics, count, &[("route", "/widget/{*file}")]),
        1.0
    );
    assert!(!metrics.contains("/no/such/page"), "{metrics}");
}

#[tokio::test]
async fn one_approved_journey_is_counted_exactly() {
    let app = spawn_app().await;
    let customer = app.through_identity("Tan").await;
    app.finances_approved(&customer.token, &customer.reference, &customer.journey)
        .await;

    let metrics = app.metrics();
    let bank = |call: &str, counter: &str| {
        sample(&metrics, counter, &[("upstream", "bank"), ("call", call)]) as usize
    };
    let attempts = "bff_upstream_attempts_total";
    let reference = &customer.reference;
    for (call, method, path) in [
        ("token", "POST", paths::token("SG")),
        ("create", "POST", paths::APPLICATIONS.to_owned()),
        ("update", "PUT", paths::application(reference)),
        (
            "background_screening",
            "POST",
            paths::background_screening(reference),
        ),
        (
            "in_principle_approval",
            "POST",
            paths::in_principle_approvals(reference),
        ),
    ] {
        let received = app.bank.calls_to(method, &path);
        assert!(received > 0, "{call}");
        assert_eq!(bank(call, attempts), received, "{call}:\n{metrics}");
        // Nothing failed, so each logical call took one attempt.
        assert_eq!(bank(call, "bff_upstream_calls_total"), received, "{call}");
    }
    let every_attempt = sample(&metrics, attempts, &[("upstream", "bank")]) as usize;
    assert_eq!(every_attempt, app.bank.exchanges().len(), "{metrics}");
    // Polls may be told screening still runs (a refusal, the designed one); nothing failed.
    for failed in ["unreachable", "unexpected", "circuit_open"] {
        assert_eq!(
            sample(&metrics, attempts, &[("outcome", failed)]),
            0.0,
            "{metrics}"
        );
    }

    let decisions = "bff_decisions_total";
    let approved = [
        ("provider", "bank"),
        ("outcome", "approved"),
        ("source", "decision"),
    ];
    assert_eq!(sample(&metrics, decisions, &approved), 1.0, "{metrics}");
    assert_eq!(sample(&metrics, decisions, &[]), 1.0);

    let finances = routes::finances("{reference}");
    let route = [("route", finances.as_str()), ("status", "200")];
    let count = "bff_http_request_duration_seconds_count";
    assert_eq!(sample(&metrics, count, &route), 1.0, "{metrics}");
    assert!(
        !metrics.contains(reference.as_str()),
        "a raw path in:\n{metrics}"
    );
    // The delivery task reads the outbox on each pass; this partner has no webhook.
    assert!(
        metrics.contains(r#"bff_webhook_outbox_events{state="pending"} 0"#),
        "{metrics}"
    );
}

#[tokio::test]
async fn the_latency_the_bff_adds_leaves_out_the_time_its_bank_calls_take() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;
    // Every bank call 150 ms late: stage 1 takes that long, the BFF's own part does not.
    app.bank
        .set_faults(&app.client, json!({ "latencyMs": 150 }))
        .await;
    let progress = app
        .about_you(&token, &about_you_form(&journey, "Tan"))
        .await
        .progress();
    assert!(progress.reference.is_some(), "{progress:?}");

    let metrics = app.metrics();
    let route = [("route", routes::APPLICATIONS)];
    let whole = sample(&metrics, "bff_http_request_duration_seconds_sum", &route);
    let own = sample(&metrics, "bff_http_request_overhead_seconds_sum", &route);
    assert_eq!(
        sample(&metrics, "bff_http_request_overhead_seconds_count", &route),
        1.0,
        "{metrics}"
    );
    assert!(whole >= 0.15, "stage 1 took {whole} s:\n{metrics}");
    // The bank call ran in the stage's own task: its time is the bank's all the same.
    assert!(
        own < whole - 0.14,
        "the BFF's own {own} s of {whole} s:\n{metrics}"
    );
    // Fine buckets where the BFF's own time lies, to tell 1 ms from 5.
    assert!(
        metrics.contains(
            r#"bff_http_request_overhead_seconds_bucket{route="/api/v1/applications",le="0.0005"}"#
        ),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_forwarded_address_is_believed_only_from_a_trusted_proxy() {
    let app = spawn_app_with(&[
        ("RATE_LIMIT_PER_ADDRESS", "2"),
        ("TRUSTED_PROXIES", "127.0.0.3, 127.0.0.4"),
    ])
    .await;
    let from = |client: &reqwest::Client, forwarded: &str| {
        start(&app, client).header("X-Forwarded-For", forwarded)
    };

    // An untrusted peer's header changes nothing: its own address is used up.
    let customer = client_at(&app, "127.0.0.2");
    for n in 1..=2 {
        let answer = app.send(from(&customer, &format!("203.0.113.{n}"))).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    }
    let spoofed = app.send(from(&customer, "203.0.113.3")).await;
    assert_eq!(spoofed.status, StatusCode::TOO_MANY_REQUESTS);

    // Through the proxy, each client is counted on its own, and not the proxy.
    let proxy = client_at(&app, "127.0.0.3");
    for _ in 0..2 {
        let answer = app.send(from(&proxy, "198.51.100.7")).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    }
    let used_up = app.send(from(&proxy, "198.51.100.7")).await;
    assert_eq!(used_up.status, StatusCode::TOO_MANY_REQUESTS);
    let other = app.send(from(&proxy, "198.51.100.8")).await;
    assert_eq!(other.status, StatusCode::CREATED, "{}", other.body);
    // Through two proxies of ours: the client before them. What the client wrote first
    // is its own and ignored.
    let chain = app
        .send(from(&proxy, "198.51.100.7, 198.51.100.9, 127.0.0.4"))
        .await;
    assert_eq!(chain.status, StatusCode::CREATED, "{}", chain.body);
    let chained_again = app.send(from(&proxy, "198.51.100.9")).await;
    assert_eq!(chained_again.status, StatusCode::CREATED);
    let chained_out = app.send(from(&proxy, "203.0.113.50, 198.51.100.9")).await;
    assert_eq!(chained_out.status, StatusCode::TOO_MANY_REQUESTS);

    // The proxy's request id is kept, a client's is not.
    let edge = app
        .send(
            proxy
                .get(app.url("/healthz"))
                .header("X-Request-Id", "edge-4f1c.7"),
        )
        .await;
    assert_eq!(request_id(&edge), "edge-4f1c.7");
    let unsafe_id = app
        .send(proxy.get(app.url("/healthz")).header("X-Request-Id", "a b"))
        .await;
    assert_ne!(request_id(&unsafe_id), "a b");
    let direct = app
        .send(
            customer
                .get(app.url("/healthz"))
                .header("X-Request-Id", "edge-4f1c.7"),
        )
        .await;
    assert_ne!(request_id(&direct), "edge-4f1c.7");
}

/// The `bff` binary with JSON logs and a metrics listener: the address it prints.
fn metrics_address(output: &str) -> String {
    output
        .split("metrics listening on ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap_or_else(|| panic!("no metrics listener in:\n{output}"))
        .trim()
        .to_owned()
}

/// Whether a JSON log line was written in a span named `name` with every field of `fields`.
fn in_span(line: &Value, name: &str, fields: &[(&str, &str)]) -> bool {
    line["spans"].as_array().is_some_and(|spans| {
        spans.iter().any(|span| {
            span["name"] == name && fields.iter().all(|(k, v)| span[*k].as_str() == Some(*v))
        })
    })
}

#[tokio::test]
async fn the_binary_serves_metrics_apart_and_logs_json_lines_with_the_request_id_and_the_bank_uuid()
{
    let bank = Arc::new(Bank::spawn_with(true).await);
    let dir = Arc::new(app_dir(PARTNERS_FILE));
    let database_url = fresh_database_url(dir.path()).await;
    let extra = [
        ("LOG_FORMAT", "json".to_owned()),
        ("METRICS_LISTEN_ADDR", "127.0.0.1:0".to_owned()),
        ("RUST_LOG", "info".to_owned()),
    ];
    let (app, output) = spawn_bff_process_on(bank, dir, database_url, &extra).await;
    let metrics_url = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let text = output.text();
            if text.contains("metrics listening on ") {
                break metrics_address(&text);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no metrics listener:\n{}", output.text()));

    // The widget page's query names a connectFi customer: only the path is logged.
    let page = app
        .send(app.client.get(app.url("/apply")).query(&[
            ("partner", PARTNER),
            ("market", MARKET),
            ("return_url", RETURN_URL),
            ("customer", "cstap_never_logged"),
        ]))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let (token, journey) = app.start_session().await;
    let created = app
        .about_you(&token, &about_you_form(&journey, "Tan"))
        .await;
    let stage_id = request_id(&created);
    let reference = created.progress().reference.expect("a reference");
    app.identity(&token, &reference, &identity_form(&journey))
        .await
        .progress();
    let decided = app
        .finances(
            &token,
            &reference,
            &finances_form(&journey, "EMPLOYED", "60000"),
        )
        .await
        .progress();
    assert_eq!(decided.stage, Stage::Result);

    // On the metrics listener, not the public one.
    let public = app.send(app.client.get(app.url("/metrics"))).await;
    assert_eq!(public.status, StatusCode::NOT_FOUND);
    let scraped = reqwest::get(&metrics_url)
        .await
        .expect("the metrics listener answers");
    assert_eq!(scraped.status(), StatusCode::OK);
    let metrics = scraped.text().await.unwrap();
    let attempts = sample(
        &metrics,
        "bff_upstream_attempts_total",
        &[("upstream", "bank")],
    );
    assert_eq!(attempts as usize, app.bank.exchanges().len(), "{metrics}");

    let create = app
        .bank
        .exchanges()
        .into_iter()
        .find(|e| e.method == "POST" && e.path == format!("/api{}", paths::APPLICATIONS))
        .expect("the create call");
    let uuid = create
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("uuid"))
        .map(|(_, value)| value.clone())
        .expect("the create call's uuid");

    tokio::time::sleep(Duration::from_millis(200)).await;
    let log = output.text();
    let banner = |line: &str| line.contains(" listening on http://");
    let lines: Vec<Value> = log
        .lines()
        .filter(|line| !banner(line))
        .map(|line| {
            let parsed: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
            assert!(
                parsed["timestamp"].is_string() && parsed["level"].is_string(),
                "{line}"
            );
            parsed
        })
        .collect();
    let stage = [("request_id", stage_id.as_str())];
    let created_line = lines
        .iter()
        .find(|l| l["message"] == "application created")
        .unwrap_or_else(|| panic!("no creation line in:\n{log}"));
    assert!(
        in_span(created_line, "request", &stage),
        "the stage's task lost the request's span: {created_line}"
    );
    let bank_call = [("call", "create"), ("uuid", uuid.as_str())];
    assert!(
        lines
            .iter()
            .any(|l| in_span(l, "request", &stage) && in_span(l, "bank_call", &bank_call)),
        "no line with request id {stage_id} and bank uuid {uuid}:\n{log}"
    );
    assert!(!log.contains("cstap_never_logged"), "{log}");
}

//! The bank sandbox the BFF talks to, recording every call it receives.

use super::answer::header_pairs;
use crate::contract::{Exchange, CONTRACT};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use bank_sandbox::SandboxConfig;
use reqwest::StatusCode;
use serde_json::Value;
use std::future::IntoFuture;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// Short, so a decision is ready at the BFF's second poll.
const SCREENING_DELAY: Duration = Duration::from_millis(50);

/// The bank sandbox, served with a layer that records every call it receives, so tests can
/// count the BFF's calls (one create per session, one repeated screening, polling). When the
/// last test app using it is dropped, every recorded call is checked against the bank's
/// contract, so each test of the suite is also a conformance test.
pub struct Bank {
    pub origin: String,
    pub config: SandboxConfig,
    calls: Arc<Mutex<Vec<Exchange>>>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Bank {
    /// `bank_sandbox::spawn` cannot take a layer, so this serves `bank_sandbox::app` itself.
    pub(super) async fn spawn() -> Self {
        Self::spawn_with(true).await
    }

    /// A sandbox that honours a repeated request's `uuid` as an idempotency key
    /// (`uuid_deduplication`), or treats it as the real bank documents it, for tracing only.
    pub async fn spawn_with(uuid_deduplication: bool) -> Self {
        Self::serve(uuid_deduplication, None).await
    }

    /// A sandbox served over TLS with `tls`: its certificate, and the CA whose client
    /// certificates it requires (the bank's production API requires one).
    pub async fn spawn_over_tls(tls: &bank_sandbox::TlsConfig) -> Self {
        Self::serve(true, Some(tls)).await
    }

    async fn serve(uuid_deduplication: bool, tls: Option<&bank_sandbox::TlsConfig>) -> Self {
        let config = SandboxConfig {
            screening_delay: SCREENING_DELAY,
            uuid_deduplication,
            ..SandboxConfig::default()
        };
        let calls = Arc::new(Mutex::new(Vec::new()));
        let router = bank_sandbox::app(config.clone())
            .layer(middleware::from_fn_with_state(calls.clone(), record_call));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let addr = listener.local_addr().unwrap();
        let (shutdown, stop) = oneshot::channel::<()>();
        let stopped = async {
            let _ = stop.await;
        };
        let (origin, served) = match tls {
            None => (
                format!("http://{addr}"),
                axum::serve(listener, router)
                    .with_graceful_shutdown(stopped)
                    .into_future(),
            ),
            Some(tls) => {
                let server = tls
                    .server_config()
                    .expect("the sandbox's TLS files are valid");
                let listener = bank_sandbox::TlsListener::new(listener, server).unwrap();
                (
                    format!("https://{addr}"),
                    axum::serve(listener, router)
                        .with_graceful_shutdown(stopped)
                        .into_future(),
                )
            }
        };
        tokio::spawn(async move { served.await.expect("the sandbox serves") });
        Self {
            origin,
            config,
            calls,
            shutdown: Some(shutdown),
        }
    }

    /// The sandbox's connectFi base, as the BFF is configured with it.
    pub fn connectfi_base_url(&self) -> String {
        format!("{}/connectfi", self.origin)
    }

    /// How many connectFi calls were received at `path` (a `connectfi_api::paths` path).
    pub fn connectfi_calls_to(&self, path: &str) -> usize {
        let wanted = format!("/connectfi{path}");
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|c| c.path == wanted)
            .count()
    }

    /// The bank's API base, as the BFF is configured with it.
    pub fn base_url(&self) -> String {
        format!("{}/api", self.origin)
    }

    /// How many `method` calls the bank received at `path` (a `bank_api::paths` path).
    pub fn calls_to(&self, method: &str, path: &str) -> usize {
        let wanted = format!("{method} /api{path}");
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|c| format!("{} {}", c.method, c.path) == wanted)
            .count()
    }

    /// Every call the bank received, of any kind.
    pub fn calls_total(&self) -> usize {
        self.calls.lock().unwrap().len()
    }

    /// Every call of the bank's API received so far, with its answer.
    pub fn exchanges(&self) -> Vec<Exchange> {
        let calls = self.calls.lock().unwrap();
        calls.iter().filter(|c| c.is_bank_call()).cloned().collect()
    }

    /// Every way the calls received so far break the bank's contract.
    pub fn contract_violations(&self) -> Vec<String> {
        self.exchanges()
            .iter()
            .flat_map(|e| CONTRACT.violations(e))
            .collect()
    }

    /// `POST /sandbox/faults`: the faults every bank call gets from now on (`{}`: none).
    pub async fn set_faults(&self, client: &reqwest::Client, faults: Value) {
        let url = format!("{}/sandbox/faults", self.origin);
        let response = client
            .post(url)
            .json(&faults)
            .send()
            .await
            .expect("the sandbox answers");
        assert_eq!(response.status(), StatusCode::OK);
    }

    /// `DELETE /sandbox/tokens`: the bank revokes every token it issued.
    pub async fn revoke_tokens(&self, client: &reqwest::Client) {
        let url = format!("{}/sandbox/tokens", self.origin);
        let response = client
            .delete(url)
            .send()
            .await
            .expect("the sandbox answers");
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }

    /// `GET /sandbox/applications`: every application the bank holds.
    pub async fn applications(&self, client: &reqwest::Client) -> Vec<Value> {
        let url = format!("{}/sandbox/applications", self.origin);
        let response = client.get(url).send().await.expect("the sandbox answers");
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("a JSON list")
    }

    /// `GET /sandbox/notifications?reference=`: the bank's messages to the customer about it.
    pub async fn notifications(&self, client: &reqwest::Client, reference: &str) -> Vec<Value> {
        let url = format!(
            "{}/sandbox/notifications?reference={reference}",
            self.origin
        );
        let response = client.get(url).send().await.expect("the sandbox answers");
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("a JSON list")
    }

    /// `GET /sandbox/applications/{reference}`: one application as the bank holds it.
    pub async fn application(&self, client: &reqwest::Client, reference: &str) -> Value {
        let url = format!("{}/sandbox/applications/{reference}", self.origin);
        let response = client.get(url).send().await.expect("the sandbox answers");
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "the bank has no {reference}"
        );
        response.json().await.expect("a JSON application")
    }
}

impl Drop for Bank {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        // A test that already failed keeps its own message.
        if !std::thread::panicking() {
            let violations = self.contract_violations();
            assert!(
                violations.is_empty(),
                "bank calls break crates/bank-api/openapi.yaml:\n{}",
                violations.join("\n")
            );
        }
    }
}

/// Records the call before it is served, so a call whose answer never comes still counts,
/// then records the answer. Both bodies are buffered and passed on unchanged.
async fn record_call(
    State(calls): State<Arc<Mutex<Vec<Exchange>>>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let request_body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let exchange = Exchange {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: header_pairs(&parts.headers),
        request_body: request_body.to_vec(),
        response: None,
    };
    let index = {
        let mut calls = calls.lock().unwrap();
        calls.push(exchange);
        calls.len() - 1
    };
    let response = next
        .run(Request::from_parts(parts, Body::from(request_body)))
        .await;
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            calls.lock().unwrap()[index].response = Some((parts.status.as_u16(), bytes.to_vec()));
            Response::from_parts(parts, Body::from(bytes))
        }
        // The sandbox dropped the connection on purpose: drop it too.
        Err(_) => {
            let failing = futures_util::stream::once(async {
                Err::<Bytes, _>(std::io::Error::other("dropped by the sandbox"))
            });
            Response::from_parts(parts, Body::from_stream(failing))
        }
    }
}

//! `spawn_app()`: a bank sandbox and a BFF on free local ports, a fresh database, and the
//! calls and forms of the widget's journey.

use crate::contract::{Exchange, CONTRACT};
use crate::database::fresh_database_url;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use bank_sandbox::SandboxConfig;
use bff::config::Settings;
use bff::AppState;
use onboarding_core::api::{
    routes, AcceptOffer, ApiError, ErrorCode, Journey, Progress, SessionStarted, StartSession,
    IDEMPOTENCY_KEY_HEADER, SESSION_HEADER,
};
use onboarding_core::forms::{AboutYouForm, FinancesForm, IdentityForm, LeadForm};
use onboarding_core::{ReferenceField, Stage};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const PARTNER: &str = "test-partner";
/// Another placement of the bank's card, for what one partner must not share with another.
pub const OTHER_PARTNER: &str = "other-partner";
pub const PARTNER_ORIGIN: &str = "http://partner.test";
pub const RETURN_URL: &str = "http://partner.test/done";
pub const MARKET: &str = "SG";
/// The signing secret of the test partner, as the BFF reads it from its environment.
pub const SIGNING_SECRET: &str = "test-partner-signing-secret-0123456789";

/// The signing secret of the connectFi partner.
pub const FINTECH_SIGNING_SECRET: &str = "test-fintech-signing-secret-0123456789";

/// Every partner's signing secret variable and value (each partner has its own).
const SIGNING_SECRETS: [(&str, &str); 6] = [
    (
        "TEST_MARKETS_SIGNING_SECRET",
        "test-markets-signing-secret-0123456789",
    ),
    (
        "TEST_LEADS_SIGNING_SECRET",
        "test-leads-signing-secret-0123456789",
    ),
    (
        "TEST_ENGLISH_SIGNING_SECRET",
        "test-english-signing-secret-0123456789",
    ),
    ("TEST_PARTNER_SIGNING_SECRET", SIGNING_SECRET),
    (
        "OTHER_PARTNER_SIGNING_SECRET",
        "other-partner-signing-secret-0123456789",
    ),
    ("TEST_FINTECH_SIGNING_SECRET", FINTECH_SIGNING_SECRET),
];

/// Short, so the "still screening" outcome is reached quickly, yet long enough for the
/// BFF to ask the bank more than once.
pub const DECISION_WAIT: Duration = Duration::from_millis(1500);
/// Short, so a decision is ready at the BFF's second poll.
const SCREENING_DELAY: Duration = Duration::from_millis(50);

pub const PARTNERS_FILE: &str = r##"
[[partner]]
id = "test-partner"
display_name = "Test Partner"
allowed_origins = ["http://partner.test"]
allowed_return_urls = ["http://partner.test/done"]
markets = ["SG"]
signing_secret_env = "TEST_PARTNER_SIGNING_SECRET"
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }

[[partner]]
id = "other-partner"
display_name = "Other Partner"
allowed_origins = ["http://partner.test"]
allowed_return_urls = ["http://partner.test/done"]
markets = ["SG"]
signing_secret_env = "OTHER_PARTNER_SIGNING_SECRET"
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }
theme = { colours = { brand = "#6b1d5c" }, radius = "12px", logo = "https://cdn.partner.test/logo.svg" }

[[partner]]
id = "test-fintech"
display_name = "Test Fintech"
allowed_origins = ["http://partner.test"]
allowed_return_urls = ["http://partner.test/done"]
markets = ["SG"]
provider = "connectfi"
signing_secret_env = "TEST_FINTECH_SIGNING_SECRET"
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }

# The in-principle approval wherever the bank decides online.
[[partner]]
id = "test-markets"
display_name = "Test Partner"
allowed_origins = ["http://partner.test"]
allowed_return_urls = ["http://partner.test/done"]
markets = ["AU", "HK", "IN", "MY", "PH", "SG", "PL", "RU", "AE"]
signing_secret_env = "TEST_MARKETS_SIGNING_SECRET"
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }

# Lead Capture in all twelve markets.
[[partner]]
id = "test-leads"
display_name = "Test Partner"
allowed_origins = ["http://partner.test"]
allowed_return_urls = ["http://partner.test/done"]
markets = ["AU", "HK", "IN", "ID", "MY", "PH", "PL", "RU", "SG", "TH", "AE", "VN"]
journey = "lead_capture"
signing_secret_env = "TEST_LEADS_SIGNING_SECRET"
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }

# A placement shown in English whatever the link or the browser ask for.
[[partner]]
id = "test-english"
display_name = "Test Partner"
allowed_origins = ["http://partner.test"]
allowed_return_urls = ["http://partner.test/done"]
markets = ["PL", "AE"]
language = "en"
signing_secret_env = "TEST_ENGLISH_SIGNING_SECRET"
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }

[cards]
VC830 = "Rewards Card"
VC410 = "Simplicity Card"
RC100 = "Ready Credit"
"##;

/// The smallest page shaped like trunk's output: an inline module script bootstraps the wasm.
pub const WIDGET_INDEX: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Apply</title><script type=\"module\">import init from \"/widget/widget.js\"; init();</script>\
</head><body><noscript><p>The card application needs JavaScript to run.</p></noscript></body></html>";

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
    async fn spawn() -> Self {
        Self::spawn_with(true).await
    }

    /// A sandbox that honours a repeated request's `uuid` as an idempotency key
    /// (`uuid_deduplication`), or treats it as the real bank documents it, for tracing only.
    pub async fn spawn_with(uuid_deduplication: bool) -> Self {
        let config = SandboxConfig {
            screening_delay: SCREENING_DELAY,
            uuid_deduplication,
            ..SandboxConfig::default()
        };
        let calls = Arc::new(Mutex::new(Vec::new()));
        let router = bank_sandbox::app(config.clone())
            .layer(middleware::from_fn_with_state(calls.clone(), record_call));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let (shutdown, stop) = oneshot::channel::<()>();
        tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stop.await;
                })
                .await
                .expect("the sandbox serves");
        });
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
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect(),
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

/// A running BFF, its database, and the bank it talks to.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    pub client: reqwest::Client,
    pub bank: Arc<Bank>,
    pub database_url: String,
    dir: Arc<TempDir>,
    server: Option<Server>,
    /// The real `bff` binary, when the test runs one instead of an in-process server.
    process: Option<tokio::process::Child>,
    /// The environment variables the test added, kept for a restart.
    extra: Vec<(&'static str, String)>,
    /// The in-process BFF's own metrics (a process's are on its metrics listener).
    metrics: Option<bff::telemetry::Metrics>,
}

struct Server {
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

/// A new bank sandbox and a new BFF with an empty database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// As [`spawn_app`], with these environment variables of the BFF added or replaced.
pub async fn spawn_app_with(vars: &[(&'static str, &str)]) -> TestApp {
    spawn_app_with_partners(PARTNERS_FILE, vars).await
}

/// As [`spawn_app_with`], with the test partner and the connectFi one sending their
/// webhooks to `webhook_url` (the other partner has none).
pub async fn spawn_app_with_webhook(webhook_url: &str, vars: &[(&'static str, &str)]) -> TestApp {
    spawn_app_with_partners(&partners_with_webhook(webhook_url), vars).await
}

/// The test partners file with the test partner and the connectFi one sending their
/// webhooks to `webhook_url`.
pub fn partners_with_webhook(webhook_url: &str) -> String {
    let mut partners = PARTNERS_FILE.to_owned();
    for variable in ["TEST_PARTNER_SIGNING_SECRET", "TEST_FINTECH_SIGNING_SECRET"] {
        let marker = format!("signing_secret_env = \"{variable}\"\n");
        assert!(partners.contains(&marker));
        partners = partners.replacen(
            &marker,
            &format!("{marker}webhook_url = \"{webhook_url}\"\n"),
            1,
        );
    }
    partners
}

async fn spawn_app_with_partners(partners: &str, vars: &[(&'static str, &str)]) -> TestApp {
    let bank = Arc::new(Bank::spawn().await);
    let dir = app_dir(partners);
    let extra = vars.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    let database_url = fresh_database_url(dir.path()).await;
    spawn_bff(bank, Arc::new(dir), database_url, extra).await
}

/// Why the BFF refuses to start with this partners file.
pub async fn refused_at_start(partners: &str) -> String {
    let bank = Bank::spawn().await;
    let dir = app_dir(partners);
    let database_url = fresh_database_url(dir.path()).await;
    let settings = settings_for(&bank, &dir, &database_url, &[]);
    match AppState::build(&settings, bank.base_url(), Some(bank.connectfi_base_url())).await {
        Ok(_) => panic!("the BFF started with:\n{partners}"),
        Err(error) => error.to_string(),
    }
}

/// A directory with the partners file and the widget's page, where the database goes too.
pub fn app_dir(partners: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("partners.toml"), partners).unwrap();
    std::fs::create_dir(dir.path().join("widget")).unwrap();
    std::fs::write(dir.path().join("widget/index.html"), WIDGET_INDEX).unwrap();
    dir
}

/// The BFF's settings for `bank`, the files in `dir`, the database and `extra` environment
/// variables.
fn settings_for(
    bank: &Bank,
    dir: &TempDir,
    database_url: &str,
    extra: &[(&'static str, String)],
) -> Settings {
    let mut vars: HashMap<&str, String> = HashMap::from([
        ("BANK_BASE_URL", bank.base_url()),
        ("BANK_CLIENT_ID", bank.config.client_id.clone()),
        ("BANK_CLIENT_SECRET", bank.config.client_secret.clone()),
        ("DATABASE_URL", database_url.to_owned()),
        (
            "PARTNERS_FILE",
            dir.path().join("partners.toml").display().to_string(),
        ),
        (
            "WIDGET_DIR",
            dir.path().join("widget").display().to_string(),
        ),
        ("DECISION_WAIT_MS", DECISION_WAIT.as_millis().to_string()),
    ]);
    vars.extend(SIGNING_SECRETS.map(|(name, value)| (name, value.to_owned())));
    vars.extend(extra.iter().cloned());
    let lookup: HashMap<String, String> =
        vars.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    Settings::from_lookup(move |name| lookup.get(name).cloned())
        .expect("the test settings are valid")
}

/// A BFF on `database_url`, with its files in `dir`, talking to `bank`, with `extra`
/// environment variables.
async fn spawn_bff(
    bank: Arc<Bank>,
    dir: Arc<TempDir>,
    database_url: String,
    extra: Vec<(&'static str, String)>,
) -> TestApp {
    let settings = settings_for(&bank, &dir, &database_url, &extra);
    let state = AppState::build(&settings, bank.base_url(), Some(bank.connectfi_base_url()))
        .await
        .expect("the BFF starts");
    let metrics = Some(state.metrics.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let address = format!("http://{}", listener.local_addr().unwrap());
    let (shutdown, stop) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        bff::serve(listener, state, async {
            let _ = stop.await;
        })
        .await
        .expect("the BFF serves");
    });
    let client = widget_client(&address);
    TestApp {
        address,
        client,
        bank,
        database_url,
        dir,
        server: Some(Server { shutdown, task }),
        process: None,
        extra,
        metrics,
    }
}

/// Everything the `bff` binary has printed so far (its log and its own lines).
#[derive(Clone, Default)]
pub struct Output(Arc<Mutex<String>>);

impl Output {
    pub fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }

    fn collect(&self, stream: impl tokio::io::AsyncRead + Unpin + Send + 'static) {
        use tokio::io::AsyncBufReadExt;
        let output = self.clone();
        tokio::spawn(async move {
            let mut lines = tokio::io::BufReader::new(stream).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let mut text = output.0.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
    }
}

/// The real `bff` binary (its own `main`, logging set up as in production, at `log_level`)
/// on a free port, with a new bank sandbox (connectFi's too) and an empty database.
pub async fn spawn_bff_process(log_level: &str) -> (TestApp, Output) {
    let bank = Arc::new(Bank::spawn().await);
    let dir = Arc::new(app_dir(PARTNERS_FILE));
    let database_url = fresh_database_url(dir.path()).await;
    spawn_bff_process_on(
        bank,
        dir,
        database_url,
        &[("RUST_LOG", log_level.to_owned())],
    )
    .await
}

/// The real `bff` binary on a free port, talking to `bank`, with the partners file and
/// widget in `dir`, on `database_url`, with `extra` environment variables: one instance of
/// a fleet, when several share the bank and the database.
pub async fn spawn_bff_process_on(
    bank: Arc<Bank>,
    dir: Arc<TempDir>,
    database_url: String,
    extra: &[(&'static str, String)],
) -> (TestApp, Output) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_bff"))
        .env("BFF_LISTEN_ADDR", "127.0.0.1:0")
        .env("BANK_BASE_URL", bank.base_url())
        .env("BANK_CLIENT_ID", &bank.config.client_id)
        .env("BANK_CLIENT_SECRET", &bank.config.client_secret)
        .env("CONNECTFI_BASE_URL", bank.connectfi_base_url())
        .env("CONNECTFI_LOGIN", &bank.config.connectfi_login)
        .env("CONNECTFI_PASSWORD", &bank.config.connectfi_password)
        .env("DATABASE_URL", &database_url)
        .env("PARTNERS_FILE", dir.path().join("partners.toml"))
        .env("WIDGET_DIR", dir.path().join("widget"))
        .env("DECISION_WAIT_MS", DECISION_WAIT.as_millis().to_string())
        .envs(SIGNING_SECRETS)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .envs(extra.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the bff binary starts");
    let output = Output::default();
    output.collect(child.stdout.take().expect("piped stdout"));
    output.collect(child.stderr.take().expect("piped stderr"));
    let address = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let text = output.text();
            if let Some(rest) = text.split("BFF listening on ").nth(1) {
                break rest.lines().next().unwrap_or_default().trim().to_owned();
            }
            assert!(
                child.try_wait().unwrap().is_none(),
                "the bff binary stopped:\n{text}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the bff binary did not listen:\n{}", output.text()));
    let app = TestApp {
        client: widget_client(&address),
        address,
        bank,
        database_url,
        dir,
        server: None,
        process: Some(child),
        extra: Vec::new(),
        metrics: None,
    };
    (app, output)
}

/// A client that calls the BFF as the widget does from its page: with the BFF's own origin
/// (browsers send it with every state-changing call, and the BFF refuses calls without it).
pub fn widget_client(address: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, address.parse().expect("an origin"));
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .default_headers(headers)
        .build()
        .unwrap()
}

/// A customer who has completed stages 1 and 2.
pub struct Customer {
    pub token: String,
    pub journey: Journey,
    pub reference: String,
}

/// An answer of the BFF.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// The progress of a successful stage.
    pub fn progress(&self) -> Progress {
        assert_eq!(
            self.status,
            StatusCode::OK,
            "expected progress, got {}",
            self.body
        );
        serde_json::from_str(&self.body).expect("a Progress")
    }

    /// The journey of `GET /sessions/current`.
    pub fn journey(&self) -> Journey {
        assert_eq!(
            self.status,
            StatusCode::OK,
            "expected a journey, got {}",
            self.body
        );
        serde_json::from_str(&self.body).expect("a Journey")
    }

    /// The API error of a refused call, checked to carry the status its code promises.
    pub fn error(&self) -> ApiError {
        let error: ApiError = serde_json::from_str(&self.body).unwrap_or_else(|e| {
            panic!(
                "expected an ApiError ({e}), got {} {}",
                self.status, self.body
            )
        });
        assert_eq!(
            self.status.as_u16(),
            error.code.http_status(),
            "status of {}",
            self.body
        );
        assert_eq!(
            error.retryable,
            error.code.retryable(),
            "retryable of {}",
            self.body
        );
        error
    }

    /// Asserts the call was refused with `code` and answers the error.
    pub fn refused_with(&self, code: ErrorCode) -> ApiError {
        let error = self.error();
        assert_eq!(error.code, code, "{}", self.body);
        error
    }
}

impl TestApp {
    /// This in-process BFF's metrics, in Prometheus' text format: its own, whatever other
    /// tests run beside it.
    pub fn metrics(&self) -> String {
        self.metrics
            .as_ref()
            .expect("an in-process BFF (a process's metrics are on METRICS_LISTEN_ADDR)")
            .render()
    }

    /// The folder the BFF serves the widget's files from.
    pub fn widget_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("widget")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Sends a request and reads the answer. The BFF never answers 500: every failure
    /// the tests provoke has a designed answer.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.expect("the BFF answers");
        let status = response.status();
        let headers = response.headers().clone();
        let url = response.url().clone();
        let body = response.text().await.expect("a body");
        assert_ne!(
            status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "500 from {url}: {body}"
        );
        Answer {
            status,
            headers,
            body,
        }
    }

    /// A state-changing API call with a session token and an idempotency key.
    pub fn api(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.header(SESSION_HEADER, format!("Bearer {token}"));
        }
        if let Some(key) = key {
            request = request.header(IDEMPOTENCY_KEY_HEADER, key);
        }
        request
    }

    pub async fn start_session_with(
        &self,
        partner: &str,
        market: &str,
        return_url: &str,
    ) -> Answer {
        self.start_session_for(partner, market, return_url, None)
            .await
    }

    /// Starts a session, with the customer's id at the partner's provider.
    pub async fn start_session_for(
        &self,
        partner: &str,
        market: &str,
        return_url: &str,
        customer: Option<&str>,
    ) -> Answer {
        let body = StartSession {
            partner: partner.into(),
            market: market.into(),
            return_url: return_url.into(),
            customer: customer.map(Into::into),
            language: None,
        };
        self.send(self.client.post(self.url(routes::SESSIONS)).json(&body))
            .await
    }

    /// A new session of `partner`'s placement in `market`, its page shown in `language`.
    pub async fn start_session_in(
        &self,
        partner: &str,
        market: &str,
        language: Option<&str>,
    ) -> (String, Journey) {
        let body = StartSession {
            partner: partner.into(),
            market: market.into(),
            return_url: RETURN_URL.into(),
            customer: None,
            language: language.map(Into::into),
        };
        let answer = self
            .send(self.client.post(self.url(routes::SESSIONS)).json(&body))
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        let started: SessionStarted = serde_json::from_str(&answer.body).expect("a SessionStarted");
        (started.token, started.journey)
    }

    /// `POST /api/v1/leads`.
    pub async fn lead(&self, token: &str, form: &LeadForm) -> Answer {
        let request = self.api(Method::POST, routes::LEADS, Some(token), Some(&new_key()));
        self.send(request.json(form)).await
    }

    /// `POST /api/v1/applications/{reference}/save`.
    pub async fn save(&self, token: &str, reference: &str) -> Answer {
        let path = routes::save(reference);
        self.send(self.api(Method::POST, &path, Some(token), Some(&new_key())))
            .await
    }

    /// A new session of the test partner's placement: its token and journey.
    pub async fn start_session(&self) -> (String, Journey) {
        let answer = self.start_session_with(PARTNER, MARKET, RETURN_URL).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        let started: SessionStarted = serde_json::from_str(&answer.body).expect("a SessionStarted");
        (started.token, started.journey)
    }

    /// `GET /api/v1/sessions/current`.
    pub async fn current(&self, token: &str) -> Answer {
        self.send(self.api(Method::GET, routes::CURRENT_SESSION, Some(token), None))
            .await
    }

    async fn stage(
        &self,
        method: Method,
        path: &str,
        token: &str,
        key: &str,
        form: &impl Serialize,
    ) -> Answer {
        self.send(self.api(method, path, Some(token), Some(key)).json(form))
            .await
    }

    pub async fn about_you(&self, token: &str, form: &AboutYouForm) -> Answer {
        self.about_you_with_key(token, form, &new_key()).await
    }

    pub async fn about_you_with_key(&self, token: &str, form: &AboutYouForm, key: &str) -> Answer {
        self.stage(Method::POST, routes::APPLICATIONS, token, key, form)
            .await
    }

    pub async fn identity(&self, token: &str, reference: &str, form: &IdentityForm) -> Answer {
        self.identity_with_key(token, reference, form, &new_key())
            .await
    }

    pub async fn identity_with_key(
        &self,
        token: &str,
        reference: &str,
        form: &IdentityForm,
        key: &str,
    ) -> Answer {
        let path = routes::identity(reference);
        self.stage(Method::PUT, &path, token, key, form).await
    }

    pub async fn finances(&self, token: &str, reference: &str, form: &FinancesForm) -> Answer {
        let path = routes::finances(reference);
        self.stage(Method::PUT, &path, token, &new_key(), form)
            .await
    }

    /// Accepts one of the decision's offers.
    pub async fn accept_offer(&self, token: &str, reference: &str, offer: &str) -> Answer {
        let path = routes::offer_acceptance(reference);
        let body = AcceptOffer {
            offer: offer.into(),
        };
        self.stage(Method::POST, &path, token, &new_key(), &body)
            .await
    }

    /// A new session through stage 1 (with this surname) and stage 2.
    /// Sends a valid stage 1 with this surname and returns the application's reference.
    pub async fn about_you_reference(
        &self,
        token: &str,
        journey: &Journey,
        surname: &str,
    ) -> String {
        self.about_you(token, &about_you_form(journey, surname))
            .await
            .progress()
            .reference
            .expect("stage 1 gives a reference")
    }

    pub async fn through_identity(&self, surname: &str) -> Customer {
        let (token, journey) = self.start_session().await;
        let reference = self.about_you_reference(&token, &journey, surname).await;
        let progress = self
            .identity(&token, &reference, &identity_form(&journey))
            .await
            .progress();
        assert_eq!(progress.stage, Stage::Finances);
        Customer {
            token,
            journey,
            reference,
        }
    }

    /// Stops this BFF (waiting until it has, its webhook delivery included) and starts a new
    /// one on the same database, bank and settings, as a deployment would.
    pub async fn restart(mut self) -> TestApp {
        if let Some(server) = self.server.take() {
            let _ = server.shutdown.send(());
            tokio::time::timeout(Duration::from_secs(10), server.task)
                .await
                .expect("the BFF stops within 10 s")
                .expect("the BFF stopped cleanly");
        }
        let extra = std::mem::take(&mut self.extra);
        let database_url = self.database_url.clone();
        spawn_bff(self.bank.clone(), self.dir.clone(), database_url, extra).await
    }
}

impl TestApp {
    /// Sends the `bff` process SIGTERM, as an orchestrator stopping an instance does, and
    /// answers its exit status once it has stopped (at most `within`).
    pub async fn terminate(&mut self, within: Duration) -> std::process::ExitStatus {
        let mut process = self.process.take().expect("a bff process to stop");
        let pid = process.id().expect("the process runs").to_string();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM was sent");
        tokio::time::timeout(within, process.wait())
            .await
            .expect("the BFF stops in time")
            .expect("the process is reaped")
    }

    /// Kills the `bff` process with SIGKILL, as a crashed machine or an OOM kill would:
    /// nothing of it runs after this, not even its shutdown.
    pub async fn kill(&mut self) {
        let mut process = self.process.take().expect("a bff process to kill");
        process.start_kill().expect("SIGKILL is sent");
        process.wait().await.expect("the killed process is reaped");
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            let _ = server.shutdown.send(());
        }
        if let Some(mut process) = self.process.take() {
            let _ = process.start_kill();
        }
    }
}

/// A fresh idempotency key, as the widget makes one per submission.
pub fn new_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `code` after checking the bank's reference data offers it for `field`.
pub fn offered(journey: &Journey, field: ReferenceField, code: &str) -> String {
    let options = journey.reference_data.options(field);
    assert!(
        options.iter().any(|o| o.code == code),
        "{field:?} offers no {code}: {options:?}"
    );
    code.to_owned()
}

/// The first option the bank offers for `field`, whatever it is.
pub fn first_option(journey: &Journey, field: ReferenceField) -> String {
    let options = journey.reference_data.options(field);
    options
        .first()
        .unwrap_or_else(|| panic!("no options for {field:?}"))
        .code
        .clone()
}

/// A valid stage 1, accepting the terms the session offered.
pub fn about_you_form(journey: &Journey, surname: &str) -> AboutYouForm {
    AboutYouForm {
        title: first_option(journey, ReferenceField::Salutation),
        given_name: "Mei Ling".into(),
        surname: surname.into(),
        date_of_birth: "1990-04-01".into(),
        mobile_number: "9123 4567".into(),
        email: "mei.ling@example.com".into(),
        accepted_terms_version: journey.terms.version.clone(),
    }
}

/// A valid NRIC (S1234567D has the right check letter) and a Singapore address.
pub fn identity_form(journey: &Journey) -> IdentityForm {
    IdentityForm {
        id_type: offered(journey, ReferenceField::IdType, "NRIC"),
        id_number: "S1234567D".into(),
        address_line1: "1 Raffles Place".into(),
        address_line2: "#20-01".into(),
        postal_code: "048616".into(),
        country: offered(journey, ReferenceField::Country, "SG"),
        years_at_address: "5".into(),
    }
}

/// A valid stage 3 with this employment status and annual income.
pub fn finances_form(
    journey: &Journey,
    employment_status: &str,
    annual_income: &str,
) -> FinancesForm {
    FinancesForm {
        employment_status: offered(journey, ReferenceField::EmploymentStatus, employment_status),
        occupation: first_option(journey, ReferenceField::OccupationCode),
        industry: first_option(journey, ReferenceField::IndustryCode),
        employer_name: "Acme Pte. Ltd.".into(),
        annual_income: annual_income.into(),
        education: first_option(journey, ReferenceField::HighestEducationLevel),
        residence_type: first_option(journey, ReferenceField::ResidenceType),
    }
}

/// The progress without its signed return URL, whose `ts` is the second it was answered.
pub fn unsigned(mut progress: Progress) -> Progress {
    progress.return_to = None;
    progress
}

//! `spawn_app()`: a bank sandbox and an in-process BFF on free local ports, with a fresh
//! database and the partners file in a folder of its own.

use super::bank::Bank;
use super::partners::{partners_with_webhook, PARTNERS_FILE, SIGNING_SECRETS};
use crate::database::fresh_database_url;
use bff::config::Settings;
use bff::AppState;
use reqwest::header::HeaderMap;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Short, so the "still screening" outcome is reached quickly, yet long enough for the
/// BFF to ask the bank more than once.
pub const DECISION_WAIT: Duration = Duration::from_millis(1500);

/// The smallest page shaped like trunk's output: an inline module script bootstraps the wasm.
pub const WIDGET_INDEX: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Apply</title><script type=\"module\">import init from \"/widget/widget.js\"; init();</script>\
</head><body><noscript><p>The card application needs JavaScript to run.</p></noscript></body></html>";

/// A running BFF, its database, and the bank it talks to.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    pub client: reqwest::Client,
    pub bank: Arc<Bank>,
    pub database_url: String,
    pub(super) dir: Arc<TempDir>,
    pub(super) server: Option<Server>,
    /// The real `bff` binary, when the test runs one instead of an in-process server.
    pub(super) process: Option<tokio::process::Child>,
    /// The environment variables the test added, kept for a restart.
    pub(super) extra: Vec<(&'static str, String)>,
    /// The in-process BFF's own metrics (a process's are on its metrics listener).
    pub(super) metrics: Option<bff::telemetry::Metrics>,
}

pub(super) struct Server {
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

/// As [`spawn_app_with`], with this partners file.
pub async fn spawn_app_with_partners(partners: &str, vars: &[(&'static str, &str)]) -> TestApp {
    spawn_app_on(Bank::spawn().await, partners, vars).await
}

/// A new BFF with an empty database and `partners`, talking to `bank`, with `vars` added.
pub async fn spawn_app_on(bank: Bank, partners: &str, vars: &[(&'static str, &str)]) -> TestApp {
    let bank = Arc::new(bank);
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
        ("CONNECTFI_LOGIN", bank.config.connectfi_login.clone()),
        ("CONNECTFI_PASSWORD", bank.config.connectfi_password.clone()),
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
    let metrics = Some(state.journeys.metrics.clone());
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

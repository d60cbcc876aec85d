//! The real `bff` binary as a process: started as an orchestrator would, stopped with
//! SIGTERM or killed with SIGKILL.

use super::app::{app_dir, widget_client, TestApp, DECISION_WAIT};
use super::bank::Bank;
use super::output::Output;
use super::partners::{PARTNERS_FILE, SIGNING_SECRETS};
use crate::database::fresh_database_url;
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, BufReader};

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

/// How a run of the `bff` binary by [`start_bff`] went.
pub struct BffRun {
    /// Whether it listened (it was stopped then).
    pub listened: bool,
    /// Its exit status, when it stopped by itself before listening.
    pub exited: Option<std::process::ExitStatus>,
    /// Everything it printed, on standard output and error alike.
    pub printed: String,
}

/// Runs the `bff` binary with `vars`, and no bank or partner secret but those, until it
/// listens (then stops it) or exits.
pub async fn start_bff(vars: &[(&str, &str)]) -> BffRun {
    let dir = tempfile::tempdir().unwrap();
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_bff"));
    command
        .env("BFF_LISTEN_ADDR", "127.0.0.1:0")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("bff.db").display()),
        )
        .env("WIDGET_DIR", dir.path())
        .env("RUST_LOG", "warn")
        .env("NO_COLOR", "1")
        .envs(vars.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    for name in [
        "BANK_BASE_URL",
        "BANK_CLIENT_ID",
        "BANK_CLIENT_SECRET",
        "BANK_CLIENT_CERT",
        "BANK_CLIENT_KEY",
        "BANK_CA",
        "TEST_PARTNER_SIGNING_SECRET",
        "OTHER_PARTNER_SIGNING_SECRET",
        "TEST_FINTECH_SIGNING_SECRET",
        "DEMO_TRAVEL_SIGNING_SECRET",
        "DEMO_FINTECH_SIGNING_SECRET",
    ] {
        if !vars.iter().any(|(n, _)| *n == name) {
            command.env_remove(name);
        }
    }
    let mut child = command.spawn().expect("the bff binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut printed = String::new();
    let mut stdout_open = true;
    let mut exited = None;
    let listened = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            tokio::select! {
                line = stdout.next_line(), if stdout_open => match line.unwrap() {
                    Some(line) if line.starts_with("BFF listening on ") => break true,
                    Some(line) => printed.push_str(&(line + "\n")),
                    None => stdout_open = false,
                },
                line = stderr.next_line() => match line.unwrap() {
                    Some(line) => printed.push_str(&(line + "\n")),
                    None => {
                        exited = Some(child.wait().await.unwrap());
                        break false;
                    }
                },
            }
        }
    })
    .await
    .expect("the bff binary listens or stops within 30 s");
    BffRun {
        listened,
        exited,
        printed,
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

//! Runs the BFF, with the bank sandbox inside the process unless `BANK_BASE_URL` is set.

use bff::config::{LogFormat, Settings};
use bff::AppState;
use std::process::ExitCode;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    // The settings come first: they say how to log.
    let result = match Settings::from_env() {
        Ok(settings) => {
            init_logging(settings.log_format);
            run(settings).await
        }
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bff: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to standard output at `RUST_LOG` (default `info`). JSON lines carry the fields of
/// every span they were written in: the request's id and the bank call's name and uuid.
fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(true)
            .init(),
    }
}

async fn run(settings: Settings) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    // Keeping the handle keeps the embedded sandbox running.
    let (bank_base_url, sandbox) = match &settings.bank.base_url {
        Some(url) => (url.clone(), None),
        None => {
            let config = bank_sandbox::SandboxConfig {
                client_id: settings.bank.client_id.clone(),
                client_secret: settings.bank.client_secret.expose().to_owned(),
                connectfi_login: settings.connectfi.login.clone(),
                connectfi_password: settings.connectfi.password.expose().to_owned(),
                ..bank_sandbox::SandboxConfig::from_env()?
            };
            let sandbox = bank_sandbox::spawn(config).await?;
            (sandbox.base_url(), Some(sandbox))
        }
    };
    let connectfi_base_url = settings
        .connectfi
        .base_url
        .clone()
        .or_else(|| sandbox.as_ref().map(|s| s.connectfi_base_url()));
    let state = AppState::build(&settings, bank_base_url, connectfi_base_url).await?;
    let listener = TcpListener::bind(settings.listen_addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", settings.listen_addr))?;
    let addr = listener.local_addr()?;
    println!("BFF listening on http://{addr}");
    let metrics = match settings.metrics_listen_addr {
        Some(metrics_addr) => {
            let listener = TcpListener::bind(metrics_addr).await.map_err(|e| {
                format!("cannot listen on {metrics_addr} (METRICS_LISTEN_ADDR): {e}")
            })?;
            println!(
                "metrics listening on http://{}/metrics",
                listener.local_addr()?
            );
            // Stopped when the BFF is: a scrape cut short at exit loses nothing.
            Some(tokio::spawn(bff::operations::serve_metrics(
                listener,
                state.metrics.clone(),
                std::future::pending(),
            )))
        }
        None => None,
    };
    if let Some(sandbox) = &sandbox {
        println!("bank sandbox (embedded) at {}", sandbox.origin());
        // At localhost the demo site is another origin than the widget's 127.0.0.1, as a
        // partner's site is.
        let port = addr.port();
        println!("demo partner page (iframe): http://localhost:{port}/demo/partner");
        println!("demo partner page (script tag): http://localhost:{port}/demo/script");
        println!(
            "the bank's messages to customers: {}/sandbox/notifications/page",
            sandbox.origin()
        );
    }
    let served = bff::serve(listener, state, shutdown_signal()).await;
    if let Some(metrics) = metrics {
        metrics.abort();
    }
    served?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}

//! Runs the BFF. Built with the `embedded-sandbox` feature, the bank sandbox runs inside
//! the process unless `BANK_BASE_URL` is set; without it, a bank must be configured.

use bff::config::{LogFormat, Settings};
use bff::AppState;
use std::process::ExitCode;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

/// Every request allocates its answer and its log line, on whichever thread runs it:
/// mimalloc's per-thread pages served about 25 % more session reads a second than glibc's
/// arenas (wrk, 2 cores), and kept less resident with 1,000 sessions open (41 MiB against
/// 47).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

type Error = Box<dyn std::error::Error + Send + Sync>;

async fn run(settings: Settings) -> Result<(), Error> {
    #[cfg(feature = "embedded-sandbox")]
    if settings.bank.base_url.is_none() {
        return run_with_embedded_sandbox(settings).await;
    }
    // Without the embedded sandbox, the settings have already required a bank.
    let bank_base_url =
        (settings.bank.base_url.clone()).ok_or("no bank is configured: set BANK_BASE_URL")?;
    let connectfi_base_url = settings.connectfi.base_url.clone();
    serve(settings, bank_base_url, connectfi_base_url, |_| {}).await
}

/// With no bank configured, the sandbox in this process is the bank, and connectFi unless
/// `CONNECTFI_BASE_URL` is set.
#[cfg(feature = "embedded-sandbox")]
async fn run_with_embedded_sandbox(settings: Settings) -> Result<(), Error> {
    // Dropping it stops the sandbox: it must live as long as the BFF serves.
    let sandbox = bff::embedded_sandbox::EmbeddedSandbox::start(&settings).await?;
    let connectfi_base_url = settings
        .connectfi
        .base_url
        .clone()
        .unwrap_or_else(|| sandbox.connectfi_base_url());
    serve(
        settings,
        sandbox.bank_base_url(),
        Some(connectfi_base_url),
        |bff_port| sandbox.print_addresses(bff_port),
    )
    .await
}

/// Serves until SIGTERM or Ctrl-C, calling `listening` with the port once it listens.
async fn serve(
    settings: Settings,
    bank_base_url: String,
    connectfi_base_url: Option<String>,
    listening: impl FnOnce(u16),
) -> Result<(), Error> {
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
                state.journeys.metrics.clone(),
                std::future::pending(),
            )))
        }
        None => None,
    };
    listening(addr.port());
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

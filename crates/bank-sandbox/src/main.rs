//! Runs the bank sandbox as its own process.

use bank_sandbox::{app, SandboxConfig, TlsConfig, TlsListener};
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

const DEFAULT_LISTEN_ADDR: &str = "127.0.0.1:8081";

#[tokio::main]
async fn main() -> ExitCode {
    // Logs go to stderr so stdout carries only the "listening" line scripts wait for.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bank sandbox: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let listen =
        std::env::var("SANDBOX_LISTEN_ADDR").unwrap_or_else(|_| DEFAULT_LISTEN_ADDR.to_owned());
    let addr: SocketAddr = listen
        .parse()
        .map_err(|e| format!("SANDBOX_LISTEN_ADDR {listen:?} is not a socket address: {e}"))?;
    let config = SandboxConfig::from_env()?;
    let tls = TlsConfig::from_env()?;
    let server_tls = tls.as_ref().map(TlsConfig::server_config).transpose()?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    tracing::info!(
        %local,
        client_id = %config.client_id,
        screening_delay_ms = config.screening_delay.as_millis() as u64,
        token_lifetime_secs = config.token_lifetime.as_secs(),
        latency_ms = config.latency.as_millis() as u64,
        fail_every = config.fail_every,
        uuid_deduplication = config.uuid_deduplication,
        tls = tls.is_some(),
        client_certificate_required = tls.as_ref().is_some_and(|t| t.client_ca.is_some()),
        "bank sandbox starting; state is in memory and is lost on restart"
    );
    let app = app(config);
    let served = match server_tls {
        None => {
            println!("bank sandbox listening on http://{local}");
            axum::serve(listener, app)
                .with_graceful_shutdown(ctrl_c())
                .await
        }
        Some(server_tls) => {
            let listener = TlsListener::new(listener, server_tls)
                .map_err(|e| format!("cannot listen on {local}: {e}"))?;
            println!("bank sandbox listening on https://{local}");
            axum::serve(listener, app)
                .with_graceful_shutdown(ctrl_c())
                .await
        }
    };
    served.map_err(|e| format!("server error: {e}"))
}

async fn ctrl_c() {
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::error!(%error, "cannot listen for ctrl-c; stop the process instead");
        std::future::pending::<()>().await;
    }
    tracing::info!("ctrl-c received, shutting down");
}

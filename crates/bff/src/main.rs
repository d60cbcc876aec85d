//! Runs the BFF, with the bank sandbox inside the process unless `BANK_BASE_URL` is set.

use bff::config::Settings;
use bff::AppState;
use std::process::ExitCode;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bff: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let settings = Settings::from_env()?;
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
    bff::serve(listener, state, shutdown_signal()).await?;
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

//! The bank sandbox inside the BFF's process, as its bank (and connectFi) when none is
//! configured: for `cargo xtask demo` and the tests. Compiled only with the
//! `embedded-sandbox` feature, so the production binary carries no test double; without it
//! the settings refuse to start unless a bank is configured (`config.rs`).

use crate::config::Settings;

/// The sandbox serving in this process; dropping it stops it.
pub struct EmbeddedSandbox(bank_sandbox::SpawnedSandbox);

impl EmbeddedSandbox {
    /// Starts the sandbox on a free local port. It is given the bank and connectFi
    /// credentials the BFF was configured with (its demo ones unless set), so the two agree
    /// whatever they are; its timings and faults are its own `SANDBOX_*` settings.
    pub async fn start(
        settings: &Settings,
    ) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let config = bank_sandbox::SandboxConfig {
            client_id: settings.bank.client_id.clone(),
            client_secret: settings.bank.client_secret.expose().to_owned(),
            connectfi_login: settings.connectfi.login.clone(),
            connectfi_password: settings.connectfi.password.expose().to_owned(),
            ..bank_sandbox::SandboxConfig::from_env()?
        };
        Ok(Self(bank_sandbox::spawn(config).await?))
    }

    /// The bank's base URL, `http://127.0.0.1:<port>/api`.
    pub fn bank_base_url(&self) -> String {
        self.0.base_url()
    }

    /// The sandbox's connectFi, for when `CONNECTFI_BASE_URL` names no other.
    pub fn connectfi_base_url(&self) -> String {
        self.0.connectfi_base_url()
    }

    /// Tells whoever started the BFF, listening on `bff_port`, where the sandbox and the
    /// demo partner pages are.
    pub fn print_addresses(&self, bff_port: u16) {
        let sandbox = self.0.origin();
        println!("bank sandbox (embedded) at {sandbox}");
        // At localhost the demo site is another origin than the widget's 127.0.0.1, as a
        // partner's site is.
        println!("demo partner page (iframe): http://localhost:{bff_port}/demo/partner");
        println!("demo partner page (script tag): http://localhost:{bff_port}/demo/script");
        println!("the bank's messages to customers: {sandbox}/sandbox/notifications/page");
    }
}

//! The whole application's state, built once from the settings, and the part of it each
//! handler, middleware and background job is given (see the `FromRef` impls): only this
//! module, the routes and `main.rs` see all of it.

use crate::bank::BankClient;
use crate::config::{RetentionSettings, Settings};
use crate::connectfi::ConnectFiClient;
use crate::faults;
use crate::journey::Journeys;
use crate::operations::Dependencies;
use crate::partners::{self, Partners};
use crate::placements::Placements;
use crate::proxies::TrustedProxies;
use crate::rate_limit::RateLimits;
use crate::retention::Retention;
use crate::stack::Stack;
use crate::store::Store;
use crate::telemetry::Metrics;
use crate::webhooks::{Delivery, Outbox};
use crate::widget::WidgetPage;
use axum::extract::FromRef;
use std::path::PathBuf;
use std::sync::Arc;
use tokio_util::task::TaskTracker;

/// The whole application's state.
#[derive(Clone)]
pub struct AppState {
    /// What the customer's journey reads and writes, the database and the bank's clients
    /// among it.
    pub journeys: Journeys,
    pub widget: Arc<WidgetPage>,
    pub widget_dir: PathBuf,
    /// Serve the demo partner site (only with the embedded sandbox).
    pub demo_pages: bool,
    /// The origin state-changing API calls must come from; unset: `http://` and `Host`.
    pub public_origin: Option<Arc<str>>,
    /// What the retention job deletes, and how often.
    pub retention: Arc<RetentionSettings>,
    /// The proxies whose `X-Forwarded-For` and `X-Request-Id` are believed.
    pub trusted_proxies: Arc<TrustedProxies>,
}

impl AppState {
    /// Opens the database, reads the partners and the widget, and sets up the clients of the
    /// bank at `bank_base_url` and of connectFi at `connectfi_base_url`.
    pub async fn build(
        settings: &Settings,
        bank_base_url: String,
        connectfi_base_url: Option<String>,
    ) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let store = Store::connect(settings.database_url.expose())
            .await
            .map_err(|e| format!("database {}: {e}", settings.database_url))?;
        let mut partners = Partners::load(&settings.partners_file)?;
        // The published demo secret only while no real bank is involved, like the sandbox's
        // own credentials.
        let demo = settings.bank.base_url.is_none();
        partners
            .read_signing_secrets(|name| settings.environment.get(name), demo)
            .and_then(|()| partners.check_webhook_urls(demo))
            .and_then(|()| partners.read_api_keys(demo))
            .map_err(|e| format!("partners file {}: {e}", settings.partners_file.display()))?;
        if connectfi_base_url.is_none() {
            if let Some(partner) = partners.using(partners::Provider::Connectfi) {
                return Err(format!(
                    "partner {partner} uses connectFi: set CONNECTFI_BASE_URL, CONNECTFI_LOGIN and CONNECTFI_PASSWORD"
                )
                .into());
            }
        }
        let metrics = Metrics::new();
        let journeys = Journeys {
            store,
            bank: Arc::new(BankClient::new(
                bank_base_url,
                settings.bank.clone(),
                metrics.clone(),
            )),
            connectfi: connectfi_base_url.map(|url| {
                Arc::new(ConnectFiClient::new(
                    url,
                    settings.connectfi.clone(),
                    metrics.clone(),
                ))
            }),
            partners: Arc::new(partners),
            settings: Arc::new(settings.journey.clone()),
            reference_data: Arc::default(),
            outbox: Arc::new(Outbox::new(settings.webhooks.clone())),
            tasks: TaskTracker::new(),
            faults: faults::FaultHook::new(settings.fault_hook),
            limits: Arc::new(RateLimits::new(&settings.rate_limits, metrics.clone())),
            metrics,
        };
        Ok(Self {
            journeys,
            widget: Arc::new(WidgetPage::load(&settings.widget_dir)),
            widget_dir: settings.widget_dir.clone(),
            demo_pages: settings.bank.base_url.is_none(),
            public_origin: settings.public_origin.as_deref().map(Arc::from),
            retention: Arc::new(settings.retention.clone()),
            trusted_proxies: Arc::new(settings.trusted_proxies.clone()),
        })
    }

    /// Starts delivering partners' webhooks in the background.
    pub fn start_delivery(&self) -> Delivery {
        let journeys = &self.journeys;
        Delivery::start(
            journeys.store.clone(),
            journeys.partners.clone(),
            journeys.outbox.clone(),
            journeys.metrics.clone(),
        )
    }

    /// Starts the retention job in the background.
    pub fn start_retention(&self) -> Retention {
        Retention::start(
            self.journeys.store.clone(),
            self.retention.clone(),
            self.journeys.outbox.settings.max_attempts,
        )
    }
}

impl FromRef<AppState> for Journeys {
    fn from_ref(state: &AppState) -> Self {
        state.journeys.clone()
    }
}

impl FromRef<AppState> for Store {
    fn from_ref(state: &AppState) -> Self {
        state.journeys.store.clone()
    }
}

impl FromRef<AppState> for Arc<Partners> {
    fn from_ref(state: &AppState) -> Self {
        state.journeys.partners.clone()
    }
}

impl FromRef<AppState> for Arc<WidgetPage> {
    fn from_ref(state: &AppState) -> Self {
        state.widget.clone()
    }
}

impl FromRef<AppState> for Placements {
    fn from_ref(state: &AppState) -> Self {
        Self {
            store: state.journeys.store.clone(),
            partners: state.journeys.partners.clone(),
            public_origin: state.public_origin.clone(),
            ttl: state.journeys.settings.placement_ttl,
        }
    }
}

impl FromRef<AppState> for Dependencies {
    fn from_ref(state: &AppState) -> Self {
        Self {
            store: state.journeys.store.clone(),
            bank: state.journeys.bank.clone(),
            connectfi: state.journeys.connectfi.clone(),
        }
    }
}

impl FromRef<AppState> for Stack {
    fn from_ref(state: &AppState) -> Self {
        Self {
            trusted_proxies: state.trusted_proxies.clone(),
            metrics: state.journeys.metrics.clone(),
            request_timeout: state.journeys.settings.request_timeout,
            limits: state.journeys.limits.clone(),
            public_origin: state.public_origin.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every other module is given its part (see the `FromRef` impls above), so what it
    /// reads is in its signature, and a test builds it without building the whole app.
    #[test]
    fn only_the_routes_main_and_state_see_the_whole_app() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut seen = Vec::new();
        let mut dirs = vec![src.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let file = path
                    .strip_prefix(&src)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let text = std::fs::read_to_string(&path).unwrap();
                // The crate root only names it for the crate's users.
                let text = match file.as_str() {
                    "lib.rs" => text.replace("pub use state::AppState;", ""),
                    _ => text,
                };
                if text.contains("AppState") {
                    seen.push(file);
                }
            }
        }
        seen.sort();
        assert_eq!(seen, ["main.rs", "routes.rs", "state.rs"]);
    }
}

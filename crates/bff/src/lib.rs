//! The backend-for-frontend: serves the widget, answers its JSON API, keeps sessions,
//! applications and consents in SQLite or PostgreSQL, and speaks the bank's onboarding API
//! with the credentials only it holds.

pub mod bank;
pub mod cache;
pub mod config;
pub mod connectfi;
pub mod demo;
pub mod embed;
pub mod error;
pub mod faults;
pub mod journey;
pub mod operations;
pub mod partners;
pub mod proxies;
pub mod rate_limit;
pub mod retention;
mod routes;
pub mod signing;
pub mod stack;
pub mod store;
pub mod telemetry;
pub mod theme;
pub mod time;
pub mod webhooks;
pub mod widget;

pub use routes::app;

use bank::BankClient;
use config::{JourneySettings, RetentionSettings, Settings};
use connectfi::ConnectFiClient;
use journey::ReferenceDataCache;
use partners::Partners;
use proxies::TrustedProxies;
use rate_limit::RateLimits;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use store::Store;
use telemetry::Metrics;
use tokio::net::TcpListener;
use tokio_util::task::TaskTracker;
use webhooks::{Delivery, Outbox};
use widget::WidgetPage;

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub bank: Arc<BankClient>,
    /// connectFi, when it is configured (or the sandbox's runs in this process).
    pub connectfi: Option<Arc<ConnectFiClient>>,
    pub partners: Arc<Partners>,
    pub journey: Arc<JourneySettings>,
    pub reference_data: Arc<ReferenceDataCache>,
    pub widget: Arc<WidgetPage>,
    pub widget_dir: PathBuf,
    /// Serve the demo partner site (only with the embedded sandbox).
    pub demo_pages: bool,
    /// The origin state-changing API calls must come from; unset: `http://` and `Host`.
    pub public_origin: Option<String>,
    /// Requests counted per client address and per partner.
    pub limits: Arc<RateLimits>,
    /// Partners' webhook events waiting to be delivered.
    pub outbox: Arc<Outbox>,
    /// The stages under way: each runs in a task of its own, so a dropped request does not
    /// cut its bank calls short, and shutdown waits for them.
    pub tasks: TaskTracker,
    /// What the retention job deletes, and how often.
    pub retention: Arc<RetentionSettings>,
    /// Where stage 3 stops dead, in the crash tests only.
    pub faults: faults::FaultHook,
    /// This BFF's metrics, its own even when tests run several BFFs in one process.
    pub metrics: Metrics,
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
        Ok(Self {
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
            journey: Arc::new(settings.journey.clone()),
            reference_data: Arc::default(),
            widget: Arc::new(WidgetPage::load(&settings.widget_dir)),
            widget_dir: settings.widget_dir.clone(),
            demo_pages: settings.bank.base_url.is_none(),
            public_origin: settings.public_origin.clone(),
            limits: Arc::new(RateLimits::new(&settings.rate_limits, metrics.clone())),
            outbox: Arc::new(Outbox::new(settings.webhooks.clone())),
            tasks: TaskTracker::new(),
            retention: Arc::new(settings.retention.clone()),
            faults: faults::FaultHook::new(settings.fault_hook),
            metrics,
            trusted_proxies: Arc::new(settings.trusted_proxies.clone()),
        })
    }
}

/// Serves the BFF on `listener` until `shutdown` completes: the routes, told each client's
/// address (for its rate limit), and beside them the delivery of partners' webhooks and the
/// retention job.
///
/// On `shutdown` the listener stops accepting, requests under way are answered, stages
/// under way finish (for at most `SHUTDOWN_GRACE_MS`), then the background tasks stop.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let delivery = Delivery::start(&state);
    let retention = retention::Retention::start(&state);
    let upkeep = operations::MetricsUpkeep::start(&state.metrics);
    let tasks = state.tasks.clone();
    let grace = state.journey.shutdown_grace;
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await;
    tasks.close();
    if tokio::time::timeout(grace, tasks.wait()).await.is_err() {
        tracing::error!(
            stages = tasks.len(),
            "stages still running at the end of the shutdown grace period; their retries recover them"
        );
    }
    retention.stop().await;
    delivery.stop().await;
    upkeep.stop();
    served
}

//! What the platform asks of the BFF: liveness and readiness on the public listener, for
//! the load balancer and the orchestrator, and `/metrics` on a listener of its own, so the
//! metrics are never reachable where customers are (see `docs/operations.md`).

use crate::bank::BankClient;
use crate::connectfi::ConnectFiClient;
use crate::store::Store;
use crate::telemetry::Metrics;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The path of the liveness check.
pub const HEALTH_PATH: &str = "/healthz";
/// The path of the readiness check.
pub const READY_PATH: &str = "/readyz";
/// The path of the metrics, on the metrics listener only.
pub const METRICS_PATH: &str = "/metrics";

/// Longer than the pool's wait for a connection, so a database that is down is reported
/// with its own reason; short enough that a database that hangs answers the probe in time.
const READINESS_TIMEOUT: Duration = Duration::from_secs(5);
/// How often histogram samples are folded into their buckets when nobody scrapes.
const UPKEEP_INTERVAL: Duration = Duration::from_secs(5);

/// `GET /healthz`: the process is alive and answering. Nothing else is checked: a
/// database outage must not get every instance restarted.
pub async fn health() -> &'static str {
    "ok"
}

/// What readiness looks at: the database, and the bank's and connectFi's circuit breakers.
#[derive(Clone)]
pub struct Dependencies {
    pub store: Store,
    pub bank: Arc<BankClient>,
    /// connectFi, when it is configured.
    pub connectfi: Option<Arc<ConnectFiClient>>,
}

/// The body of `GET /readyz`.
#[derive(Debug, Serialize)]
struct Readiness {
    /// `ready` or `not_ready`.
    status: &'static str,
    database: DatabaseCheck,
    /// Reported, never a reason to be taken out of the load balancer: an open breaker is
    /// the bank's outage, and every instance shares it.
    circuit_breakers: CircuitBreakers,
}

#[derive(Debug, Serialize)]
struct DatabaseCheck {
    /// `ok` or `unavailable`.
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

#[derive(Debug, Serialize)]
struct CircuitBreakers {
    bank: &'static str,
    /// Absent when connectFi is not configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    connectfi: Option<&'static str>,
}

/// `GET /readyz`: 200 when the database answers and has every migration this build needs,
/// else 503, so an instance whose database is gone or behind takes no customers. The
/// circuit breakers' states are reported beside it.
pub async fn readiness(State(state): State<Dependencies>) -> Response {
    let database = match tokio::time::timeout(READINESS_TIMEOUT, state.store.is_ready()).await {
        Ok(Ok(())) => None,
        Ok(Err(error)) => Some(unavailable_reason(&error)),
        Err(_) => Some(format!(
            "no answer within {} s",
            READINESS_TIMEOUT.as_secs()
        )),
    };
    let breaker = |open: bool| if open { "open" } else { "closed" };
    let body = Readiness {
        status: if database.is_none() {
            "ready"
        } else {
            "not_ready"
        },
        circuit_breakers: CircuitBreakers {
            bank: breaker(state.bank.is_circuit_open()),
            connectfi: state
                .connectfi
                .as_deref()
                .map(|c| breaker(c.is_circuit_open())),
        },
        database: DatabaseCheck {
            status: if database.is_none() {
                "ok"
            } else {
                "unavailable"
            },
            reason: database,
        },
    };
    match &body.database.reason {
        None => (StatusCode::OK, Json(body)).into_response(),
        Some(reason) => {
            tracing::warn!(%reason, "not ready: the database is unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}

/// Why the database is not ready, in words safe to show a prober: never a connection
/// string, only what failed.
fn unavailable_reason(error: &sqlx::Error) -> String {
    match error {
        // Written by `Store::is_ready`: the migration the database is at.
        sqlx::Error::Protocol(message) => message.clone(),
        sqlx::Error::Database(error) => format!("the database answered: {}", error.message()),
        sqlx::Error::Io(error) => format!("cannot reach the database: {}", error.kind()),
        sqlx::Error::Tls(_) => "TLS with the database failed".into(),
        sqlx::Error::PoolTimedOut => "no database connection within the pool's timeout".into(),
        sqlx::Error::PoolClosed => "the connection pool is closed".into(),
        _ => "the database check failed".into(),
    }
}

/// Serves `GET /metrics` (Prometheus' text format) on `listener` until `shutdown`.
pub async fn serve_metrics(
    listener: TcpListener,
    metrics: Metrics,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = Router::new()
        .route(METRICS_PATH, get(render))
        .with_state(metrics);
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}

async fn render(State(metrics): State<Metrics>) -> Response {
    let content_type = "text/plain; version=0.0.4; charset=utf-8";
    ([(header::CONTENT_TYPE, content_type)], metrics.render()).into_response()
}

/// The task that keeps histogram samples from piling up between scrapes (or forever, with
/// no metrics listener).
pub struct MetricsUpkeep(JoinHandle<()>);

impl MetricsUpkeep {
    /// Starts it for `metrics`.
    pub fn start(metrics: &Metrics) -> Self {
        let metrics = metrics.clone();
        Self(tokio::spawn(async move {
            let mut ticks = tokio::time::interval(UPKEEP_INTERVAL);
            loop {
                ticks.tick().await;
                metrics.run_upkeep();
            }
        }))
    }

    /// Stops it; nothing is lost, the next render folds what is left.
    pub fn stop(self) {
        self.0.abort();
    }
}

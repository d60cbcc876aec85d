//! The BFF's routes, and serving them beside its background jobs.

use crate::journey::{
    accept_offer, current_session, resume_session, save_application, start_session,
    submit_about_you, submit_finances, submit_identity, submit_lead,
};
use crate::operations::{health, readiness, MetricsUpkeep, HEALTH_PATH, READY_PATH};
use crate::placements::{create_placement, PLACEMENTS_PATH};
use crate::widget::{apply_page, assets, csp_report, CSP_REPORTS_PATH, MAX_REPORT_BYTES};
use crate::{demo, stack, AppState};
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::routing::{get, post, put};
use axum::Router;
use onboarding_core::api::{routes, MAX_BODY_BYTES};
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// Where the widget's files are served. A nested service has no route template, so the
/// request metrics name its route from this.
pub(crate) const WIDGET_FILES: &str = "/widget";

/// The whole application: the widget's page and assets, its JSON API, the partners' API
/// (placements), and (with the embedded sandbox) the demo partner site.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route(routes::SESSIONS, post(start_session))
        .route(routes::CURRENT_SESSION, get(current_session))
        .route(routes::RESUME_SESSION, post(resume_session))
        .route(routes::APPLICATIONS, post(submit_about_you))
        .route(&routes::identity("{reference}"), put(submit_identity))
        .route(&routes::finances("{reference}"), put(submit_finances))
        .route(&routes::offer_acceptance("{reference}"), post(accept_offer))
        .route(routes::LEADS, post(submit_lead))
        .route(&routes::save("{reference}"), post(save_application))
        .route(PLACEMENTS_PATH, post(create_placement))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    let mut router = Router::new()
        .merge(api)
        .route("/apply", get(apply_page))
        .route(HEALTH_PATH, get(health))
        .route(READY_PATH, get(readiness))
        .route(crate::embed::LOADER_PATH, get(crate::embed::loader))
        .route(crate::embed::LOADER_V1_PATH, get(crate::embed::loader_v1))
        .route("/theme/{partner}/{file}", get(crate::theme::stylesheet))
        .route(
            CSP_REPORTS_PATH,
            post(csp_report).layer(DefaultBodyLimit::max(MAX_REPORT_BYTES)),
        )
        .nest_service(WIDGET_FILES, assets(&state.widget_dir));
    if state.demo_pages {
        router = router.merge(demo::routes());
    }
    let stack = stack::Stack::from_ref(&state);
    stack::with_middleware(router.with_state(state), stack)
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
    let delivery = state.start_delivery();
    let retention = state.start_retention();
    let upkeep = MetricsUpkeep::start(&state.journeys.metrics);
    let tasks = state.journeys.tasks.clone();
    let grace = state.journeys.settings.shutdown_grace;
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

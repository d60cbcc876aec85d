//! The BFF's routes.

use crate::journey::{
    accept_offer, current_session, resume_session, save_application, start_session,
    submit_about_you, submit_finances, submit_identity, submit_lead,
};
use crate::operations::{health, readiness, HEALTH_PATH, READY_PATH};
use crate::widget::{apply_page, assets, csp_report, CSP_REPORTS_PATH, MAX_REPORT_BYTES};
use crate::{demo, stack, AppState};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::Router;
use onboarding_core::api::{routes, MAX_BODY_BYTES};

/// Where the widget's files are served. A nested service has no route template, so the
/// request metrics name its route from this.
pub(crate) const WIDGET_FILES: &str = "/widget";

/// The whole application: the widget's page and assets, its JSON API, and (with the
/// embedded sandbox) the demo partner site.
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
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    let mut router = Router::new()
        .merge(api)
        .route("/apply", get(apply_page))
        .route(HEALTH_PATH, get(health))
        .route(READY_PATH, get(readiness))
        .route(crate::embed::LOADER_PATH, get(crate::embed::loader))
        .route("/theme/{partner}/{file}", get(crate::theme::stylesheet))
        .route(
            CSP_REPORTS_PATH,
            post(csp_report).layer(DefaultBodyLimit::max(MAX_REPORT_BYTES)),
        )
        .nest_service(WIDGET_FILES, assets(&state.widget_dir));
    if state.demo_pages {
        router = router.merge(demo::routes());
    }
    stack::with_middleware(router.with_state(state.clone()), &state)
}

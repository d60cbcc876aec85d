//! The whole middleware stack, declared in one place.

use axum::http::{header, HeaderValue, StatusCode};
use axum::Router;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Longer than the slowest request (stage 3: the bounded decision wait plus bank timeouts).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Wraps the routes in tracing (method, path and status only: bodies carry personal data),
/// a timeout, and the headers every response carries.
pub fn with_middleware(routes: Router) -> Router {
    routes.layer(
        ServiceBuilder::new()
            .layer(TraceLayer::new_for_http())
            .layer(TimeoutLayer::with_status_code(
                StatusCode::GATEWAY_TIMEOUT,
                REQUEST_TIMEOUT,
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            )),
    )
}

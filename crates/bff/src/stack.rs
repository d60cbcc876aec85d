//! The whole middleware stack, declared in one place.

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::Router;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Longer than the slowest request (stage 3: the bounded decision wait plus bank timeouts).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// `Referrer-Policy`, stricter than `strict-origin-when-cross-origin`: the widget page's
/// address carries the placement (return URL, and a connectFi customer's id), and nothing
/// of ours reads a `Referer`. The widget's `fetch` calls are in `cors` mode, so browsers
/// still send their `Origin`, which the API checks.
pub const REFERRER_POLICY: &str = "no-referrer";

/// `Permissions-Policy`: the widget asks for nothing but keyboard, mouse and screen, so
/// every powerful feature is denied, to itself and to anything that might ever be framed in it.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), \
display-capture=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), \
magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), \
screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()";

/// `Strict-Transport-Security`: two years, subdomains included (browsers ignore it over
/// plain http, so local demos are unaffected).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

/// Wraps the routes in tracing (method, path and status only: bodies carry personal data),
/// a timeout, and the security headers every response carries.
pub fn with_middleware(routes: Router) -> Router {
    let always = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    routes.layer(
        ServiceBuilder::new()
            .layer(TraceLayer::new_for_http())
            .layer(always(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .layer(always(header::REFERRER_POLICY, REFERRER_POLICY))
            .layer(always(
                HeaderName::from_static("permissions-policy"),
                PERMISSIONS_POLICY,
            ))
            .layer(always(
                header::STRICT_TRANSPORT_SECURITY,
                STRICT_TRANSPORT_SECURITY,
            ))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::GATEWAY_TIMEOUT,
                REQUEST_TIMEOUT,
            )),
    )
}

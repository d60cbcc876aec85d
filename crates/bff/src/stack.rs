//! The whole middleware stack, declared in one place.

use crate::error::AppError;
use crate::rate_limit::RateLimits;
use crate::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
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
/// a timeout, the security headers every response carries, the limit per client address,
/// and the origin check of state-changing API calls (see [`own_origin`]).
///
/// The client address is the TCP peer's: serve the router with
/// `into_make_service_with_connect_info::<SocketAddr>()`, as [`crate::serve`] does.
/// `X-Forwarded-For` is not read: any client can write it.
pub fn with_middleware(routes: Router, state: &AppState) -> Router {
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
            ))
            .layer(middleware::from_fn_with_state(
                state.limits.clone(),
                limit_per_address,
            ))
            .layer(middleware::from_fn_with_state(
                state.public_origin.clone().map(Arc::<str>::from),
                same_origin_writes,
            )),
    )
}

/// Counts the API's and the widget page's requests against their client address's limit.
/// The widget's files and the health check are not counted: they are static, and a page
/// load fetches several of them.
async fn limit_per_address(
    State(limits): State<Arc<RateLimits>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if !(path.starts_with("/api/") || path == "/apply") {
        return next.run(request).await;
    }
    // Without the peer's address (a router served without connect info) every client
    // shares one allowance: stricter, never looser.
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    match limits.address(address) {
        Ok(()) => next.run(request).await,
        Err(refused) if path == "/apply" => {
            let language = crate::widget::notice_language(request.headers(), request.uri().query());
            crate::widget::busy_page(refused, language)
        }
        Err(refused) => refused.into_response(),
    }
}

/// Refuses a state-changing API call whose `Origin` is not the BFF's own. The widget runs
/// on the BFF's origin (inside the partner's frame), and browsers send `Origin` with every
/// such call, so another site's page (a forged form or script) is refused before anything
/// happens. Reads are left alone: they change nothing and CORS keeps their answers from
/// other sites.
async fn same_origin_writes(
    State(public_origin): State<Option<Arc<str>>>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let expected = own_origin(public_origin.as_deref(), &request);
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok());
    match (origin, expected) {
        (Some(origin), Some(expected)) if origin.eq_ignore_ascii_case(&expected) => {
            next.run(request).await
        }
        _ => AppError::foreign_origin().into_response(),
    }
}

/// The BFF's own origin: `PUBLIC_ORIGIN` when set (needed behind a proxy that ends TLS),
/// otherwise `http://` and the host the request was sent to. A browser's cross-site request
/// names our host too, so taking it from the request still tells our page from another.
pub fn own_origin(public_origin: Option<&str>, request: &Request) -> Option<String> {
    if let Some(origin) = public_origin {
        return Some(origin.to_owned());
    }
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()))?;
    Some(format!("http://{host}"))
}

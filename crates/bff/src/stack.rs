//! The whole middleware stack, declared in one place.

use crate::error::AppError;
use crate::operations::{HEALTH_PATH, READY_PATH};
use crate::proxies::{client_address, TrustedProxies};
use crate::rate_limit::RateLimits;
use crate::telemetry::{Metrics, UpstreamClock};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tracing::Instrument;

/// `Referrer-Policy`, stricter than `strict-origin-when-cross-origin`: the widget page's
/// address carries the placement (return URL, and a placement token), and nothing
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

/// `X-Request-Id`: the request's id, answered on every response and carried by every log
/// line of the request.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// `X-Forwarded-For`, read only from a trusted proxy.
const FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The id of a request, as its span, its logs and its `X-Request-Id` answer say it.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The address a request's rate limit counts it against (see [`client_address`]).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub IpAddr);

/// What the middleware reads.
#[derive(Clone)]
pub struct Stack {
    /// The proxies whose `X-Forwarded-For` and `X-Request-Id` are believed.
    pub trusted_proxies: Arc<TrustedProxies>,
    pub metrics: Metrics,
    /// `REQUEST_TIMEOUT_MS`.
    pub request_timeout: Duration,
    pub limits: Arc<RateLimits>,
    /// `PUBLIC_ORIGIN`; unset: `http://` and `Host`.
    pub public_origin: Option<Arc<str>>,
}

/// Wraps the routes in the request's id and client address (see `identify`), its span,
/// metrics and log line (method, path and status only: bodies and query strings carry
/// personal data), a timeout, the security headers every response carries, the limit per
/// client address, the origin check of state-changing API calls (see [`own_origin`]), and
/// the compression of the API's larger answers (see [`crate::compression::api_answers`]).
///
/// The client address is the TCP peer's, or a trusted proxy's `X-Forwarded-For`: serve
/// the router with `into_make_service_with_connect_info::<SocketAddr>()`, as
/// [`crate::serve`] does.
pub fn with_middleware(routes: Router, stack: Stack) -> Router {
    let always = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    routes.layer(
        ServiceBuilder::new()
            .layer(middleware::from_fn_with_state(
                stack.trusted_proxies,
                identify,
            ))
            .layer(middleware::from_fn_with_state(stack.metrics, observe))
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
            // `REQUEST_TIMEOUT_MS`, longer than a stage's worst case (checked at start): a
            // stage cut by it still runs to its end in its own task.
            .layer(TimeoutLayer::with_status_code(
                StatusCode::GATEWAY_TIMEOUT,
                stack.request_timeout,
            ))
            .layer(middleware::from_fn_with_state(
                stack.limits,
                limit_per_address,
            ))
            .layer(middleware::from_fn_with_state(
                stack.public_origin,
                same_origin_writes,
            ))
            // Innermost, so the request's latency and timeout count the compression.
            .layer(middleware::from_fn(crate::compression::api_answers)),
    )
}

/// Gives the request its id and its client address. Both come from the request's headers
/// only when the TCP peer is a trusted proxy: any client can write `X-Forwarded-For` and
/// `X-Request-Id`, and a client choosing its id could make its lines pass for another's.
/// The id is answered in `X-Request-Id` on every response, refusals included.
async fn identify(
    State(proxies): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    // Without the peer's address (a router served without connect info) every client
    // shares one allowance: stricter, never looser.
    let client = peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |peer| {
        let forwarded = request.headers().get_all(FORWARDED_FOR);
        client_address(
            peer,
            forwarded.iter().filter_map(|v| v.to_str().ok()),
            &proxies,
        )
    });
    let id = request
        .headers()
        .get(REQUEST_ID)
        .filter(|_| peer.is_some_and(|peer| proxies.contains(peer)))
        .and_then(|v| v.to_str().ok())
        .filter(|id| is_request_id(id))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    let header = HeaderValue::from_str(&id).expect("a request id is visible ASCII");
    request.extensions_mut().insert(ClientAddress(client));
    request.extensions_mut().insert(RequestId(id));
    let mut response = next.run(request).await;
    response.headers_mut().insert(REQUEST_ID, header);
    response
}

/// Whether a proxy's request id can be taken as it is: short, and of characters that
/// cannot break a log line or a header.
fn is_request_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// Runs the request in its span (its id, method and path: never the query string, which
/// on `/apply` carries a placement token), so every line logged for it carries its id,
/// then records its latency by route (and the part of it that was the BFF's own,
/// not its bank calls') and logs its answer. Health and readiness
/// probes are logged at debug only: they come every few seconds.
async fn observe(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = route_of(&request);
    let id = request
        .extensions()
        .get::<RequestId>()
        .map_or("", |id| id.0.as_str());
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    );
    let probe = matches!(request.uri().path(), HEALTH_PATH | READY_PATH);
    let (response, upstream) =
        UpstreamClock::measure(next.run(request).instrument(span.clone())).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    metrics.request(&route, status, elapsed, upstream);
    span.in_scope(|| {
        let duration_ms = elapsed.as_millis() as u64;
        if probe {
            tracing::debug!(status, duration_ms, "request answered");
        } else {
            tracing::info!(status, duration_ms, "request answered");
        }
    });
    response
}

/// The request's route template for its metrics, never its path: paths carry references,
/// and every distinct label value is a series kept forever.
fn route_of(request: &Request) -> String {
    if let Some(matched) = request.extensions().get::<MatchedPath>() {
        return matched.as_str().to_owned();
    }
    let widget_files = crate::routes::WIDGET_FILES;
    match request.uri().path().strip_prefix(widget_files) {
        Some(file) if file.starts_with('/') => format!("{widget_files}/{{*file}}"),
        _ => "unmatched".to_owned(),
    }
}

/// Counts the API's and the widget page's requests against their client address's limit,
/// and CSP violation reports against a smaller one of their own (see
/// [`crate::rate_limit::CSP_REPORTS_PER_MINUTE`]). The widget's files and the health checks
/// are not counted: they are static, and a page load fetches several of them.
async fn limit_per_address(
    State(limits): State<Arc<RateLimits>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let address = request
        .extensions()
        .get::<ClientAddress>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0);
    if path == crate::widget::CSP_REPORTS_PATH {
        return match limits.csp_report(address) {
            Ok(()) => next.run(request).await,
            Err(refused) => refused.into_response(),
        };
    }
    if !(path.starts_with("/api/") || path == "/apply") {
        return next.run(request).await;
    }
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

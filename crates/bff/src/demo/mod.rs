//! A demo partner site, served only with the embedded sandbox: a page that embeds the
//! widget by iframe, one that embeds it with the loader script, and the page customers
//! return to. Opened at `http://localhost:<port>`, the site is another origin than the
//! widget (`http://127.0.0.1:<port>`), as a partner's site is in production, and each page
//! carries a partner's strict policy with just the lines `docs/partners.md` asks for.

use axum::extract::{Query, Request};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::BTreeMap;

/// The demo partner's id in the shipped partners file.
pub const DEMO_PARTNER: &str = "demo-travel";
/// The demo partner whose provider is connectFi, in the shipped partners file.
pub const DEMO_CONNECTFI_PARTNER: &str = "demo-fintech";

/// The demo partner's pages, under `/demo`.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/demo/partner", get(partner_page))
        .route(
            "/demo/partner.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript")],
                    include_str!("partner.js"),
                )
            }),
        )
        .route(
            "/demo/partner.css",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/css")],
                    include_str!("partner.css"),
                )
            }),
        )
        .route("/demo/script", get(script_page))
        .route(
            "/demo/script.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript")],
                    include_str!("script.js"),
                )
            }),
        )
        .route("/demo/return", get(return_page))
        .route(
            "/demo/logo.svg",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "image/svg+xml")],
                    include_str!("logo.svg"),
                )
            }),
        )
        // Declared by every page, so no browser asks for a /favicon.ico nobody serves.
        .route(
            "/demo/icon.svg",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "image/svg+xml")],
                    include_str!("icon.svg"),
                )
            }),
        )
        .layer(middleware::from_fn(partner_policy))
}

/// The widget's origin: the BFF's port on 127.0.0.1, whatever host name the page was
/// opened with.
fn widget_origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    let port = host.rsplit_once(':').map_or("80", |(_, port)| port);
    format!("http://127.0.0.1:{port}")
}

/// The policy a careful partner's page has, plus the one line the integration guide asks
/// for (`frame-src` and `script-src` of the widget's origin). Violations are reported to
/// the BFF's log, so the browser tests see if the guide's line is ever not enough.
async fn partner_policy(request: Request, next: Next) -> Response {
    let widget = widget_origin(request.headers());
    let mut response = next.run(request).await;
    let policy = format!(
        "default-src 'self'; frame-src {widget}; script-src 'self' {widget}; object-src 'none'; \
         base-uri 'none'; report-uri {}",
        crate::widget::CSP_REPORTS_PATH
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// The page embeds the bank's placement, or with `?customer=<connectFi id>` the connectFi
/// placement for that customer (see the sandbox's README for the test customers), which
/// this page's server places first as a partner's server does: `POST /partner/v1/placements`
/// with the published demo API key, and the link it answers. Another placement and market
/// are chosen with `?partner=<id>&market=<code>`, and a language with `?lang=<tag>`, e.g.
/// `?partner=demo-leads&market=AE&lang=ar`. The page keeps the widget's resume handle
/// (`partner.js`), unless opened with `?resume=no`.
async fn partner_page(
    headers: HeaderMap,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    let return_url = format!("http://{host}/demo/return");
    let widget = widget_origin(&headers);
    let asked = |name: &str, default: &'static str| {
        query.get(name).map_or(default, String::as_str).to_owned()
    };
    let mut src = match query.get("customer") {
        Some(customer) => match place_customer(&widget, &return_url, customer).await {
            Ok(url) => url,
            Err(why) => {
                return (
                    StatusCode::BAD_GATEWAY,
                    Html(format!(
                        "<p>The placement was refused: {}</p>",
                        escape(&why)
                    )),
                )
                    .into_response()
            }
        },
        None => format!(
            "{widget}/apply?partner={}&market={}&return_url={}",
            encode(&asked("partner", DEMO_PARTNER)),
            encode(&asked("market", "SG")),
            encode(&return_url)
        ),
    };
    if let Some(lang) = query.get("lang") {
        src.push_str(&format!("&lang={}", encode(lang)));
    }
    Html(include_str!("partner.html").replace("{{WIDGET_SRC}}", &escape(&src))).into_response()
}

/// What a partner's server does before serving a connectFi customer's page: places the
/// customer (with a state of its own, which comes back with the result) and answers the
/// widget's link, which carries the placement's token and never the customer's id.
async fn place_customer(widget: &str, return_url: &str, customer: &str) -> Result<String, String> {
    let answer = reqwest::Client::new()
        .post(format!("{widget}{}", crate::placements::PLACEMENTS_PATH))
        .bearer_auth(crate::partners::DEMO_API_KEY)
        .json(&serde_json::json!({
            "partner": DEMO_CONNECTFI_PARTNER,
            "market": "SG",
            "return_url": return_url,
            "customer": customer,
            "state": "demo-basket-42",
        }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = answer.status();
    let body: serde_json::Value = answer.json().await.map_err(|e| e.to_string())?;
    match body["url"].as_str() {
        Some(url) if status == StatusCode::CREATED => Ok(url.to_owned()),
        _ => Err(body["message"].as_str().unwrap_or("no answer").to_owned()),
    }
}

/// The script-tag integration. Opened as `http://localhost:<port>/demo/script`, the partner
/// page and the widget (`http://127.0.0.1:<port>`) are different origins, as in production.
async fn script_page(headers: HeaderMap) -> impl IntoResponse {
    let loader = format!("{}{}", widget_origin(&headers), crate::embed::LOADER_PATH);
    Html(
        include_str!("script.html")
            .replace("{{LOADER_SRC}}", &loader)
            .replace("{{LOADER_INTEGRITY}}", &crate::embed::loader_integrity()),
    )
}

/// Where customers come back to: with a result after a decision, without one when they
/// left before it.
async fn return_page(Query(query): Query<BTreeMap<String, String>>) -> impl IntoResponse {
    let details: String = query
        .iter()
        .map(|(k, v)| format!("<dt>{}</dt><dd>{}</dd>", escape(k), escape(v)))
        .collect();
    let message = if query.contains_key("outcome") {
        "Your card application is complete. The bank will keep you informed by SMS."
    } else {
        "You left the card application before it was finished. What you sent is kept: open \
         the card page again in this tab to carry on where you stopped."
    };
    Html(
        include_str!("return.html")
            .replace("{{MESSAGE}}", message)
            .replace("{{DETAILS}}", &details),
    )
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

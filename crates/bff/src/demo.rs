//! A demo partner site, served only with the embedded sandbox: a page that embeds the
//! widget the way a partner would, and the page customers return to.

use axum::extract::Query;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse};
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
                    include_str!("demo/partner.js"),
                )
            }),
        )
        .route(
            "/demo/partner.css",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/css")],
                    include_str!("demo/partner.css"),
                )
            }),
        )
        .route("/demo/script", get(script_page))
        .route(
            "/demo/script.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript")],
                    include_str!("demo/script.js"),
                )
            }),
        )
        .route("/demo/return", get(return_page))
}

/// The page embeds the bank's placement, or with `?customer=<connectFi id>` the connectFi
/// placement for that customer (see the sandbox's README for the test customers).
async fn partner_page(
    headers: HeaderMap,
    Query(query): Query<BTreeMap<String, String>>,
) -> impl IntoResponse {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    let return_url = format!("http://{host}/demo/return");
    let src = match query.get("customer") {
        Some(customer) => format!(
            "/apply?partner={DEMO_CONNECTFI_PARTNER}&market=SG&return_url={}&customer={}",
            encode(&return_url),
            encode(customer)
        ),
        None => format!(
            "/apply?partner={DEMO_PARTNER}&market=SG&return_url={}",
            encode(&return_url)
        ),
    };
    Html(include_str!("demo/partner.html").replace("{{WIDGET_SRC}}", &src))
}

/// The script-tag integration. Opened as `http://localhost:<port>/demo/script`, the partner
/// page and the widget (`http://127.0.0.1:<port>`) are different origins, as in production.
async fn script_page(headers: HeaderMap) -> impl IntoResponse {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    let port = host.rsplit_once(':').map_or("80", |(_, port)| port);
    let loader = format!("http://127.0.0.1:{port}{}", crate::embed::LOADER_PATH);
    Html(
        include_str!("demo/script.html")
            .replace("{{LOADER_SRC}}", &loader)
            .replace("{{LOADER_INTEGRITY}}", &crate::embed::loader_integrity()),
    )
}

async fn return_page(Query(query): Query<BTreeMap<String, String>>) -> impl IntoResponse {
    let details: String = query
        .iter()
        .map(|(k, v)| format!("<dt>{}</dt><dd>{}</dd>", escape(k), escape(v)))
        .collect();
    Html(include_str!("demo/return.html").replace("{{DETAILS}}", &details))
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

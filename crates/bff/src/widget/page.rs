//! `GET /apply`: the widget's HTML for one placement, after checking the placement.

use crate::error::AppError;
use crate::journey::check_placement;
use crate::widget::CSP_REPORTS_PATH;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use rand::RngCore;
use serde::Deserialize;
use std::path::Path;

/// Stands in the page template where each response puts its own nonce.
const NONCE_SLOT: &str = "__CSP_NONCE__";

/// The built widget's `index.html`, prepared once so each request only fills in a nonce.
pub struct WidgetPage {
    template: Option<String>,
}

impl WidgetPage {
    /// Reads trunk's `index.html` from the widget directory; a missing build is reported
    /// on the page rather than stopping the API.
    pub fn load(widget_dir: &Path) -> Self {
        let template = std::fs::read_to_string(widget_dir.join("index.html"))
            .ok()
            .map(|html| {
                // Trunk's bootstrap is an inline module script: it runs only with the nonce.
                html.replace("<script", &format!("<script nonce=\"{NONCE_SLOT}\""))
            });
        if template.is_none() {
            tracing::warn!(dir = %widget_dir.display(), "no built widget found; build it with `cargo xtask demo`");
        }
        Self { template }
    }
}

/// The query string of `/apply`.
#[derive(Debug, Deserialize)]
pub struct Placement {
    partner: String,
    market: String,
    return_url: String,
}

/// `GET /apply?partner=..&market=..&return_url=..`
pub async fn apply_page(
    State(state): State<AppState>,
    query: Result<Query<Placement>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(placement)) = query else {
        return refusal("This link to the card application is incomplete: it needs partner, market and return_url.");
    };
    let partner = match check_placement(
        &state,
        &placement.partner,
        &placement.market,
        &placement.return_url,
    ) {
        Ok((partner, _, _)) => partner,
        Err(error) => return refusal(&error.message()),
    };
    if let Err(refused) = state.limits.partner(&partner.id) {
        return busy_page(refused);
    }
    let Some(template) = &state.widget.template else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "The widget has not been built on this server.",
        )
            .into_response();
    };
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let nonce: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let theme = state.partners.theme(&partner.id);
    let csp = content_security_policy(
        &nonce,
        &partner.allowed_origins,
        theme.and_then(|t| t.logo_origin()),
    );
    let mut html = template.replace(NONCE_SLOT, &nonce);
    if let Some(theme) = theme {
        // After the widget's own stylesheet, so the partner's properties win.
        let link = format!(
            "<link rel=\"stylesheet\" href=\"{}\"></head>",
            escape_html(&theme.path(&partner.id))
        );
        html = html.replacen("</head>", &link, 1);
    }
    let mut response = Html(html).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The page's policy: only our own scripts (and the bootstrap by nonce), wasm allowed to
/// compile, calls only to us, images from us and the partner's logo origin, and framing
/// only by the partner's origins.
pub fn content_security_policy(
    nonce: &str,
    frame_ancestors: &[String],
    logo_origin: Option<&str>,
) -> String {
    // An empty source list is not a valid directive, and browsers drop an invalid
    // `frame-ancestors`, which would let any site frame the page: say 'none' instead.
    let ancestors = if frame_ancestors.is_empty() {
        "'none'".to_owned()
    } else {
        frame_ancestors.join(" ")
    };
    let logo = logo_origin.map_or(String::new(), |origin| format!(" {origin}"));
    format!(
        "default-src 'none'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:{logo}; \
         font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'; frame-ancestors {ancestors}; \
         report-uri {CSP_REPORTS_PATH}"
    )
}

/// The page for a request over a rate limit: the API's 429 and Retry-After, in words.
pub fn busy_page(refused: AppError) -> Response {
    let limited = refused.into_response();
    let html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Card application busy</title></head>\
         <body><main><h1>The card application is busy</h1><p>Too many requests came from here in the last minute. \
         Try again in a minute.</p></main></body></html>";
    let mut page = (
        limited.status(),
        [(header::CONTENT_SECURITY_POLICY, NOTICE_POLICY)],
        Html(html),
    )
        .into_response();
    if let Some(retry_after) = limited.headers().get(header::RETRY_AFTER) {
        page.headers_mut()
            .insert(header::RETRY_AFTER, retry_after.clone());
    }
    page
}

fn refusal(message: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Card application unavailable</title></head>\
         <body><main><h1>This card application link does not work</h1><p>{}</p></main></body></html>",
        escape_html(message)
    );
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_SECURITY_POLICY, NOTICE_POLICY)],
        Html(html),
    )
        .into_response()
}

/// The policy of the plain notices (a refused link, a busy server): nothing but their own
/// markup. They stay frameable, so a partner's developer sees why in the frame.
const NOTICE_POLICY: &str = "default-src 'none'; base-uri 'none'; form-action 'none'";

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_without_origins_gets_a_page_nobody_may_frame() {
        let csp = content_security_policy("n", &[], None);
        assert!(csp.contains("; frame-ancestors 'none';"), "{csp}");
        let csp = content_security_policy(
            "n",
            &["https://a.example".into(), "https://b.example".into()],
            Some("https://cdn.a.example"),
        );
        assert!(
            csp.contains("; frame-ancestors https://a.example https://b.example;"),
            "{csp}"
        );
        assert!(
            csp.contains("img-src 'self' data: https://cdn.a.example;"),
            "{csp}"
        );
    }
}

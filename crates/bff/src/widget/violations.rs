//! `POST /csp-reports`: the widget page's Content-Security-Policy violations, as browsers
//! report them (`report-uri`). Each is logged, so a policy that breaks the widget for some
//! partner or browser shows in the logs rather than as a silent blank frame.

use axum::body::Bytes;
use axum::http::StatusCode;
use serde::Deserialize;
use url::Url;

/// Where the page's policy asks browsers to report violations.
pub const CSP_REPORTS_PATH: &str = "/csp-reports";

/// The largest report read; browsers send well under 2 KiB.
pub const MAX_REPORT_BYTES: usize = 8 * 1024;

#[derive(Deserialize)]
struct Report {
    #[serde(rename = "csp-report")]
    violation: Violation,
}

#[derive(Deserialize)]
struct Violation {
    #[serde(rename = "effective-directive", default)]
    effective_directive: String,
    #[serde(rename = "violated-directive", default)]
    violated_directive: String,
    #[serde(rename = "blocked-uri", default)]
    blocked_uri: String,
}

/// Logs the violation's directive and what was blocked. The page's own address is left
/// out, and a blocked URL is cut to its origin: their queries can carry a customer's id.
pub async fn csp_report(body: Bytes) -> StatusCode {
    let Ok(Report { violation }) = serde_json::from_slice::<Report>(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    let directive = if violation.effective_directive.is_empty() {
        violation.violated_directive.split(' ').next().unwrap_or("")
    } else {
        &violation.effective_directive
    };
    let blocked = match Url::parse(&violation.blocked_uri) {
        Ok(url) if url.has_host() => url.origin().ascii_serialization(),
        Ok(url) => format!("{}:", url.scheme()),
        // `inline`, `eval`, `wasm-eval` and the like.
        Err(_) => violation.blocked_uri.chars().take(40).collect(),
    };
    tracing::warn!(%directive, %blocked, "content security policy violation");
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_report_is_read_and_anything_else_refused() {
        let report = br#"{"csp-report":{"document-uri":"http://127.0.0.1/apply?customer=c1","effective-directive":"img-src","blocked-uri":"https://evil.example/x.png?id=S1234567D"}}"#;
        assert_eq!(
            csp_report(Bytes::from_static(report)).await,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            csp_report(Bytes::from_static(b"not json")).await,
            StatusCode::BAD_REQUEST
        );
    }
}

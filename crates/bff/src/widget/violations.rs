//! `POST /csp-reports`: the widget page's Content-Security-Policy violations, as browsers
//! report them (`report-uri`). Each is logged, so a policy that breaks the widget for some
//! partner or browser shows in the logs rather than as a silent blank frame.
//!
//! Anyone can post a report, so what is logged of it is bounded and cut to printable
//! ASCII (a forged line, an ANSI escape or a megabyte of text stay out of the logs), and
//! reports are limited per client address (`stack::limit_per_address`).

use axum::body::Bytes;
use axum::http::StatusCode;
use serde::Deserialize;
use url::Url;

/// Where the page's policy asks browsers to report violations.
pub const CSP_REPORTS_PATH: &str = "/csp-reports";

/// The largest report read; browsers send well under 2 KiB.
pub const MAX_REPORT_BYTES: usize = 8 * 1024;

/// The most characters logged of one field of a report: directives and origins are short.
const MAX_LOGGED_CHARS: usize = 100;

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
/// out, and a blocked URL is cut to its scheme and host: their paths and queries can carry
/// a customer's id.
pub async fn csp_report(body: Bytes) -> StatusCode {
    let Ok(Report { violation }) = serde_json::from_slice::<Report>(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    let directive = if violation.effective_directive.is_empty() {
        violation.violated_directive.split(' ').next().unwrap_or("")
    } else {
        &violation.effective_directive
    };
    let directive = loggable(directive);
    let blocked = loggable(&blocked_of(&violation.blocked_uri));
    tracing::warn!(%directive, %blocked, "content security policy violation");
    StatusCode::NO_CONTENT
}

/// The scheme and host of a blocked URL, or the keyword a browser sends instead of one.
fn blocked_of(blocked_uri: &str) -> String {
    match Url::parse(blocked_uri) {
        Ok(url) => match url.host_str() {
            Some(host) => format!("{}://{host}", url.scheme()),
            None => format!("{}:", url.scheme()),
        },
        // `inline`, `eval`, `wasm-eval` and the like.
        Err(_) => blocked_uri.to_owned(),
    }
}

/// `text` as it may be logged: printable ASCII only (no line breaks, escapes, spaces or
/// look-alike characters), at most [`MAX_LOGGED_CHARS`] of it.
fn loggable(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_graphic)
        .take(MAX_LOGGED_CHARS)
        .collect()
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

    #[test]
    fn only_a_bounded_printable_scheme_and_host_are_logged() {
        assert_eq!(
            blocked_of("https://evil.example:8443/x.png?id=S1234567D"),
            "https://evil.example"
        );
        assert_eq!(blocked_of("data:image/png;base64,AAAA"), "data:");
        assert_eq!(blocked_of("inline"), "inline");
        assert_eq!(
            loggable("img-src\n\u{1b}[31m FORGED\tline\u{202e}é"),
            "img-src[31mFORGEDline"
        );
        assert_eq!(loggable(&"a".repeat(5000)).len(), MAX_LOGGED_CHARS);
    }
}

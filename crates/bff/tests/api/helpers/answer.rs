//! An answer of the BFF, how a test reads it, and the check every answer of its API gets
//! against the API's description.

use super::app::TestApp;
use crate::contract::{Answered, OWN_API};
use onboarding_core::api::{ApiError, ErrorCode, Journey, Progress};
use reqwest::header::{HeaderMap, CONTENT_ENCODING};
use reqwest::{Method, StatusCode};
use std::io::Read;

/// An answer of the BFF.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// The progress of a successful stage.
    pub fn progress(&self) -> Progress {
        assert_eq!(
            self.status,
            StatusCode::OK,
            "expected progress, got {}",
            self.body
        );
        serde_json::from_str(&self.body).expect("a Progress")
    }

    /// The journey of `GET /sessions/current`.
    pub fn journey(&self) -> Journey {
        assert_eq!(
            self.status,
            StatusCode::OK,
            "expected a journey, got {}",
            self.body
        );
        serde_json::from_str(&self.body).expect("a Journey")
    }

    /// The API error of a refused call, checked to carry the status its code promises.
    pub fn error(&self) -> ApiError {
        let error: ApiError = serde_json::from_str(&self.body).unwrap_or_else(|e| {
            panic!(
                "expected an ApiError ({e}), got {} {}",
                self.status, self.body
            )
        });
        assert_eq!(
            self.status.as_u16(),
            error.code.http_status(),
            "status of {}",
            self.body
        );
        assert_eq!(
            error.retryable,
            error.code.retryable(),
            "retryable of {}",
            self.body
        );
        error
    }

    /// Asserts the call was refused with `code` and answers the error.
    pub fn refused_with(&self, code: ErrorCode) -> ApiError {
        let error = self.error();
        assert_eq!(error.code, code, "{}", self.body);
        error
    }
}

impl TestApp {
    /// Sends a request and reads the answer. The BFF never answers 500: every failure
    /// the tests provoke has a designed answer. Every answer of its API is held to its
    /// description (see [`check_answer`]).
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let (client, request) = request.build_split();
        let request = request.expect("a valid request");
        let method = request.method().clone();
        let response = client.execute(request).await.expect("the BFF answers");
        let status = response.status();
        let headers = response.headers().clone();
        let url = response.url().clone();
        // The client asks for no coding unless a test does; a coded answer is decoded here.
        let body = decoded(&headers, &response.bytes().await.expect("a body"));
        assert_ne!(
            status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "500 from {url}: {body}"
        );
        check_answer(&method, &url, status, &headers, &body);
        Answer {
            status,
            headers,
            body,
        }
    }
}

/// Panics, naming the call, its status and what breaks, when an answer of the BFF's API
/// breaks its description (`crates/bff/openapi.yaml`): so every test of the suite checks
/// the description, as every bank call is checked against the bank's.
pub fn check_answer(
    method: &Method,
    url: &reqwest::Url,
    status: StatusCode,
    headers: &HeaderMap,
    body: &str,
) {
    let violations = OWN_API.answer_violations(&Answered {
        method: method.as_str(),
        path: url.path(),
        status: status.as_u16(),
        headers: header_pairs(headers),
        body: body.as_bytes(),
    });
    assert!(
        violations.is_empty(),
        "the answer breaks crates/bff/openapi.yaml:\n{}",
        violations.join("\n")
    );
}

/// The headers as name and value pairs, as the API descriptions' checks read them; a value
/// that is not visible ASCII reads as empty.
pub(super) fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect()
}

/// A body decoded as its `Content-Encoding` says (the test client has no decoder of its own).
pub fn decode(headers: &HeaderMap, body: &[u8]) -> Vec<u8> {
    let mut decoded = Vec::new();
    match headers.get(CONTENT_ENCODING).map(|v| v.to_str().unwrap()) {
        None => decoded.extend_from_slice(body),
        Some("br") => {
            brotli::Decompressor::new(body, 4096)
                .read_to_end(&mut decoded)
                .expect("a brotli body");
        }
        Some("gzip") => {
            flate2::read::GzDecoder::new(body)
                .read_to_end(&mut decoded)
                .expect("a gzip body");
        }
        Some(other) => panic!("a coding the BFF does not send: {other}"),
    }
    decoded
}

/// A body decoded (see [`decode`]) as text.
pub fn decoded(headers: &HeaderMap, body: &[u8]) -> String {
    String::from_utf8_lossy(&decode(headers, body)).into_owned()
}

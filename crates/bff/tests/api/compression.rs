//! Answers in the coding the client accepts: the loader, compressed once at the encoders'
//! best, and the JSON API's larger answers, per response. Small answers are left alone, and
//! a client that asks for no coding gets none.

use crate::helpers::{check_answer, decode, decoded, spawn_app, MARKET, PARTNER, RETURN_URL};
use bff::embed::{LOADER, LOADER_PATH, LOADER_V1, LOADER_V1_PATH};
use onboarding_core::api::{routes, ApiError, ErrorCode, SessionStarted};
use reqwest::header::{
    HeaderMap, ACCEPT_ENCODING, ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_ENCODING,
    CONTENT_TYPE, VARY,
};
use reqwest::{Method, StatusCode};

/// Whether the answer says it varies by `Accept-Encoding`.
fn varies_by_coding(headers: &HeaderMap) -> bool {
    headers
        .get_all(VARY)
        .iter()
        .any(|v| v.to_str().unwrap().eq_ignore_ascii_case("accept-encoding"))
}

/// A compressed API answer: its body as sent, and as text once decoded.
struct Coded {
    body: Vec<u8>,
    text: String,
}

/// Sends an API request, asserting its answer has `status`, comes in `coding` and varies by
/// coding, and that the decoded answer keeps the API's contract.
async fn coded(
    request: reqwest::RequestBuilder,
    method: &Method,
    status: StatusCode,
    coding: &str,
) -> Coded {
    let response = request.send().await.unwrap();
    let url = response.url().clone();
    let headers = response.headers().clone();
    assert_eq!(response.status(), status);
    let body = response.bytes().await.unwrap().to_vec();
    assert_eq!(headers[CONTENT_ENCODING], coding);
    assert!(varies_by_coding(&headers));
    let text = decoded(&headers, &body);
    check_answer(method, &url, status, &headers, &text);
    Coded { body, text }
}

#[tokio::test]
async fn each_loader_comes_in_the_coding_asked_for_and_decodes_to_its_published_bytes() {
    let app = spawn_app().await;
    for (path, source) in [(LOADER_PATH, LOADER), (LOADER_V1_PATH, LOADER_V1)] {
        for (accepted, coding) in [
            (Some("gzip, deflate, br, zstd"), Some("br")),
            (Some("gzip"), Some("gzip")),
            (Some("identity"), None),
            (None, None),
        ] {
            let mut request = app.client.get(app.url(path));
            if let Some(accepted) = accepted {
                request = request.header(ACCEPT_ENCODING, accepted);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path} {accepted:?}");
            let headers = response.headers().clone();
            let shown = format!("{path} with {accepted:?}");
            assert_eq!(
                headers.get(CONTENT_ENCODING).map(|v| v.to_str().unwrap()),
                coding,
                "{shown}"
            );
            assert!(varies_by_coding(&headers), "{shown}");
            // Every header of the uncompressed loader, whatever the coding.
            assert!(headers[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/javascript"));
            assert_eq!(
                headers[CACHE_CONTROL], "public, max-age=31536000, immutable",
                "{shown}"
            );
            assert_eq!(headers[ACCESS_CONTROL_ALLOW_ORIGIN], "*", "{shown}");
            let body = response.bytes().await.unwrap();
            let decoded = decode(&headers, &body);
            assert_eq!(decoded, source.as_bytes(), "{shown}");
            // The browser checks a partner's pinned hash against the decoded bytes.
            assert_eq!(
                bff::embed::integrity(std::str::from_utf8(&decoded).unwrap()),
                bff::embed::integrity(source)
            );
            match coding {
                Some("br") => assert!(body.len() < 2048, "{shown}: {} bytes", body.len()),
                Some(_) => assert!(body.len() < source.len() / 2, "{shown}"),
                None => {}
            }
        }
    }
}

#[tokio::test]
async fn the_journey_is_compressed_when_asked_and_the_same_once_decoded() {
    let app = spawn_app().await;
    let (token, _) = app.start_session().await;
    let plain = app.current(&token).await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
    assert!(
        plain.headers.get(CONTENT_ENCODING).is_none(),
        "no coding unless asked for"
    );
    assert!(varies_by_coding(&plain.headers));
    let plain_json: serde_json::Value = serde_json::from_str(&plain.body).unwrap();

    for coding in ["br", "gzip"] {
        let request = app
            .api(Method::GET, routes::CURRENT_SESSION, Some(&token), None)
            .header(ACCEPT_ENCODING, coding);
        let Coded { body, text } = coded(request, &Method::GET, StatusCode::OK, coding).await;
        assert!(
            body.len() < plain.body.len() / 2,
            "{coding}: {} bytes of {}",
            body.len(),
            plain.body.len()
        );
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json, plain_json, "{coding}");
    }

    // The session's start, on the way to the first stage, as a browser asks for it: offered
    // both, the API answers in gzip, which its fast level makes as small for half the CPU.
    let start =
        serde_json::json!({ "partner": PARTNER, "market": MARKET, "return_url": RETURN_URL });
    let request = app
        .client
        .post(app.url(routes::SESSIONS))
        .header(ACCEPT_ENCODING, "gzip, deflate, br, zstd")
        .json(&start);
    let Coded { body, text } = coded(request, &Method::POST, StatusCode::CREATED, "gzip").await;
    let started: SessionStarted = serde_json::from_str(&text).unwrap();
    assert!(
        body.len() < text.len() / 2,
        "{} of {}",
        body.len(),
        text.len()
    );
    assert_eq!(started.journey, plain.journey());
}

#[tokio::test]
async fn small_answers_are_sent_as_they_are() {
    let app = spawn_app().await;
    // An error: under the size worth compressing, whatever the client accepts.
    let start =
        serde_json::json!({ "partner": "nobody", "market": MARKET, "return_url": RETURN_URL });
    let response = app
        .client
        .post(app.url(routes::SESSIONS))
        .header(ACCEPT_ENCODING, "br, gzip")
        .json(&start)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let headers = response.headers().clone();
    assert!(headers.get(CONTENT_ENCODING).is_none());
    assert!(varies_by_coding(&headers));
    let error: ApiError = response.json().await.unwrap();
    assert_eq!(error.code, ErrorCode::UnknownPartner);
    assert!(serde_json::to_vec(&error).unwrap().len() < 1024);
}

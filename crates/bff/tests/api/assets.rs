//! The widget's files: served precompressed when the browser accepts it, cached for a
//! year (their names carry a content hash), and no cookie anywhere.

use crate::helpers::spawn_app;
use onboarding_core::api::routes;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, SET_COOKIE};
use reqwest::StatusCode;

#[tokio::test]
async fn widget_files_are_served_precompressed_and_cached_for_a_year() {
    let app = spawn_app().await;
    let dir = app.widget_dir();
    std::fs::write(
        dir.join("card-widget-0123abcd.js"),
        "export const plain = 1;",
    )
    .unwrap();
    std::fs::write(dir.join("card-widget-0123abcd.js.br"), "brotli bytes").unwrap();
    std::fs::write(dir.join("card-widget-0123abcd.js.gz"), "gzip bytes").unwrap();

    for (accepted, encoding, body) in [
        ("br, gzip", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("identity", None, "export const plain = 1;"),
    ] {
        let response = app
            .client
            .get(app.url("/widget/card-widget-0123abcd.js"))
            .header(ACCEPT_ENCODING, accepted)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{accepted}");
        let headers = response.headers().clone();
        assert_eq!(
            headers.get(CONTENT_ENCODING).map(|v| v.to_str().unwrap()),
            encoding,
            "{accepted}"
        );
        assert_eq!(
            headers[CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert!(headers[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("javascript"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(response.text().await.unwrap(), body, "{accepted}");
    }
    let missing = app
        .client
        .get(app.url("/widget/nothing-here.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_never_sets_a_cookie() {
    let app = spawn_app().await;
    let body = serde_json::json!({ "partner": crate::helpers::PARTNER, "market": crate::helpers::MARKET, "return_url": crate::helpers::RETURN_URL });
    let response = app
        .client
        .post(app.url(routes::SESSIONS))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(
        response.headers().get(SET_COOKIE).is_none(),
        "third-party cookies are blocked in frames; the token travels in a header"
    );
    let token = response.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let resumed = app
        .client
        .get(app.url(routes::CURRENT_SESSION))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resumed.status(), StatusCode::OK);
    assert!(resumed.headers().get(SET_COOKIE).is_none());
}

#[tokio::test]
async fn the_loader_is_versioned_immutable_readable_cross_origin_and_matches_its_published_hash() {
    use base64::Engine;
    use sha2::{Digest, Sha384};
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url(bff::embed::LOADER_PATH))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert!(headers[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    assert_eq!(
        headers[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    // An integrity attribute on a cross-origin script needs CORS.
    assert_eq!(headers["access-control-allow-origin"], "*");
    let body = response.bytes().await.unwrap();
    let integrity = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&body))
    );
    assert_eq!(integrity, bff::embed::loader_integrity());
    // The hash partners pin is the one docs/partners.md publishes.
    let guide = include_str!("../../../../docs/partners.md");
    assert!(
        guide.contains(&integrity),
        "docs/partners.md must publish {integrity}"
    );
    // Under 4 KiB gzipped, the loader's budget.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, &body).unwrap();
    let gzipped = gz.finish().unwrap().len();
    assert!(gzipped <= 4096, "the loader is {gzipped} bytes gzipped");
}

#[tokio::test]
async fn the_first_loader_is_served_as_published_beside_the_current_one() {
    use base64::Engine;
    use sha2::{Digest, Sha384};
    /// The hash the guide published for `/embed/v1/embed.js`, which partners pinned.
    const V1_INTEGRITY: &str =
        "sha384-GiDZJh9Vcb2llFRkMIF30vuURocM4uKgGBiLpVdvMCTUXqbOn6gAP/oTrPiRV04T";
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url(bff::embed::LOADER_V1_PATH))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let body = response.bytes().await.unwrap();
    let integrity = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&body))
    );
    assert_eq!(integrity, V1_INTEGRITY, "version 1's bytes never change");
    assert_ne!(bff::embed::LOADER_PATH, bff::embed::LOADER_V1_PATH);
    assert_ne!(bff::embed::loader_integrity(), V1_INTEGRITY);
    // The current one takes a placement token, and never a customer's id.
    assert!(bff::embed::LOADER.contains("options.placement"));
    assert!(!bff::embed::LOADER.contains("options.customer"));
}

//! The loader partners include with one script tag, served at versioned, immutable URLs
//! with Subresource Integrity hashes they can pin. A published version's bytes never
//! change (a pinned hash would stop the partner's page loading it): a change of behaviour
//! is a new version beside it.

use crate::compression::Precompressed;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha384};
use std::sync::LazyLock;

/// The current loader's path: version 2, which takes a placement token.
pub const LOADER_PATH: &str = "/embed/v2/embed.js";

/// The current loader's source.
pub const LOADER: &str = include_str!("v2.js");

/// Version 1's path, served as published for the partners who pinned it.
pub const LOADER_V1_PATH: &str = "/embed/v1/embed.js";

/// Version 1's source, byte for byte as published.
pub const LOADER_V1: &str = include_str!("v1.js");

/// Each loader in each coding, compressed at the first request for it: the current one
/// goes from 4,891 bytes to 1,464 with brotli (1,796 gzip), as BENCHMARKS.md measured it. Partners' `integrity` hashes
/// are of the decoded bytes, so they hold whatever the coding.
static COMPRESSED: LazyLock<Precompressed> =
    LazyLock::new(|| Precompressed::new(LOADER.as_bytes()));
static COMPRESSED_V1: LazyLock<Precompressed> =
    LazyLock::new(|| Precompressed::new(LOADER_V1.as_bytes()));

/// The current loader's Subresource Integrity value, `sha384-<base64>`, as partners pin it.
pub fn loader_integrity() -> String {
    integrity(LOADER)
}

/// A loader's Subresource Integrity value, `sha384-<base64>`.
pub fn integrity(source: &str) -> String {
    let digest = Sha384::digest(source.as_bytes());
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// `GET /embed/v2/embed.js`: the current loader (see [`serve`]).
pub async fn loader(request: HeaderMap) -> Response {
    serve(&COMPRESSED, &request)
}

/// `GET /embed/v1/embed.js`: version 1 (see [`serve`]).
pub async fn loader_v1(request: HeaderMap) -> Response {
    serve(&COMPRESSED_V1, &request)
}

/// A loader in the coding the request prefers: cacheable for a year, and readable
/// cross-origin so that a partner's `integrity` attribute can be checked (it needs CORS).
fn serve(source: &Precompressed, request: &HeaderMap) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        source.response(request),
    )
        .into_response()
}

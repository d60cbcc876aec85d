//! The loader partners include with one script tag, served at a versioned, immutable URL
//! with a Subresource Integrity hash they can pin.

use axum::http::header;
use axum::response::IntoResponse;
use base64::Engine;
use sha2::{Digest, Sha384};

/// The loader's path; a change of its behaviour gets a new version, never new bytes here
/// once partners have pinned its hash.
pub const LOADER_PATH: &str = "/embed/v1/embed.js";

/// The loader's source.
pub const LOADER: &str = include_str!("embed.js");

/// The loader's Subresource Integrity value, `sha384-<base64>`, as partners pin it.
pub fn loader_integrity() -> String {
    let digest = Sha384::digest(LOADER.as_bytes());
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// `GET /embed/v1/embed.js`: cacheable for a year, and readable cross-origin so that a
/// partner's `integrity` attribute can be checked (it needs CORS).
pub async fn loader() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        LOADER,
    )
}

//! The widget's built files: content-hashed names, so they are cached for a year, and
//! served precompressed (brotli or gzip) when the browser accepts it.

use axum::http::{header, HeaderValue};
use axum::Router;
use std::path::Path;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// A router serving the widget directory (mounted at `/widget`).
pub fn assets(widget_dir: &Path) -> Router {
    let files = ServeDir::new(widget_dir)
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
}

//! The baseline: a bare axum "hello" handler on the BFF's runtime settings, served on a
//! free local port, so a BFF route's throughput can be read against what the same stack
//! does with no work at all.

use axum::routing::get;
use axum::Router;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = Router::new().route("/", get(|| async { "Hello, World!" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("hello listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}

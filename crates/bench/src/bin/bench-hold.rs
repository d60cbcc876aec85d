//! Holds `--count` customers' sessions open at once, as that many open widgets do: each
//! on a keep-alive connection of its own, its session started and read once. Prints what
//! it holds as JSON, then keeps everything open until its standard input closes, so the
//! caller can read the BFF's memory meanwhile.

use bench::args::Args;
use bench::connection::{Call, Connection, Url};
use bench::customer::BROWSER_ACCEPT_ENCODING;
use bytes::Bytes;
use onboarding_core::api::{routes, SESSION_HEADER};
use serde_json::json;
use std::io::Read;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Semaphore;

const USAGE: &str =
    "usage: bench-hold --origin http://host:port --start-session JSON [--count 1000] [--parallel 50]";

#[tokio::main]
async fn main() {
    let args = Args::from_env(USAGE);
    let origin = Url::parse(args.required("origin")).unwrap_or_else(|e| bench::args::fail(&e));
    let count = args.number("count", 1000usize);
    // As the widget's `fetch` sends them: its origin, a browser's codings, then the body's type.
    let headers = vec![
        ("origin".to_owned(), origin.origin()),
        (
            "accept-encoding".to_owned(),
            BROWSER_ACCEPT_ENCODING.to_owned(),
        ),
        ("content-type".to_owned(), "application/json".to_owned()),
    ];
    let start = Arc::new(Call::new(
        "POST",
        routes::SESSIONS,
        &headers,
        Bytes::from(args.required("start-session").to_owned()),
    ));
    let read = Arc::new(Call::new(
        "GET",
        routes::CURRENT_SESSION,
        &headers[..2],
        Bytes::new(),
    ));
    // Opened a few at a time, as customers arrive, but all held together at the end.
    let arriving = Arc::new(Semaphore::new(args.number("parallel", 50usize).max(1)));
    let began = Instant::now();
    let customers: Vec<_> = (0..count)
        .map(|_| {
            let (authority, start, read) = (origin.authority.clone(), start.clone(), read.clone());
            let arriving = arriving.clone();
            tokio::spawn(async move {
                let _turn = arriving
                    .acquire_owned()
                    .await
                    .expect("the semaphore is open");
                open_session(&authority, &start, &read).await
            })
        })
        .collect();
    let mut held = Vec::new();
    let mut failures = Vec::new();
    for customer in customers {
        match customer.await.expect("a customer finishes") {
            Ok(connection) => held.push(connection),
            Err(error) => failures.push(error),
        }
    }
    println!(
        "{}",
        json!({
            "held": held.len(),
            "failed": failures.len(),
            "first_failure": failures.first(),
            "seconds": began.elapsed().as_secs_f64(),
        })
    );
    let _ = tokio::task::spawn_blocking(|| {
        let mut rest = Vec::new();
        std::io::stdin().read_to_end(&mut rest)
    })
    .await;
    drop(held);
}

/// A customer's connection with its session started and read once.
async fn open_session(authority: &str, start: &Call, read: &Call) -> Result<Connection, String> {
    let mut connection = Connection::open(authority).await?;
    let (status, body) = connection.text(start).await?;
    if !status.is_success() {
        return Err(format!("start: {status}: {}", body));
    }
    let started: serde_json::Value =
        serde_json::from_str(&body).map_err(|e| format!("start: {e}"))?;
    let token = started["token"].as_str().ok_or("start: no token")?;
    let read = read
        .clone()
        .with_header(SESSION_HEADER, &format!("Bearer {token}"));
    let (status, body) = connection.text(&read).await?;
    if !status.is_success() {
        return Err(format!("read: {status}: {}", body));
    }
    Ok(connection)
}

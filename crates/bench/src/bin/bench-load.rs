//! A closed-loop load generator: `--concurrency` clients, each on its own keep-alive
//! connection, send one request after another for `--seconds` (after `--warmup` seconds
//! not counted), and the answers' rate, latency and statuses are printed as JSON.
//!
//! With `--start-session BODY` each client first starts a session of its own
//! (`POST /api/v1/sessions` with BODY) and sends its token with every request: a
//! customer's widget reading its own session.

use bench::args::Args;
use bench::connection::{Call, Connection, Url};
use bench::stats::Summary;
use bytes::Bytes;
use onboarding_core::api::{routes, SESSION_HEADER};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: bench-load --url http://host:port/path [--method GET] \
[--header 'name: value']... [--body TEXT] [--start-session JSON] [--concurrency 64] \
[--seconds 10] [--warmup 2] [--threads 1]";

/// Times a client tries to start its session before it gives up.
const SESSION_START_ATTEMPTS: u64 = 20;

/// What one client saw while it was counted.
#[derive(Default)]
struct Tally {
    /// Session starts refused before the one that worked, and the first refusal.
    session_start_refusals: u64,
    first_refusal: Option<String>,
    latencies: Vec<Duration>,
    statuses: BTreeMap<u16, u64>,
    errors: u64,
    first_error: Option<String>,
}

fn main() {
    let args = Args::from_env(USAGE);
    let threads = args.number("threads", 1usize).max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(run(args));
}

async fn run(args: Args) {
    let url = Url::parse(args.required("url")).unwrap_or_else(|e| bench::args::fail(&e));
    let headers: Vec<(String, String)> = args.headers().into_iter().collect();
    let call = Call::new(
        args.get("method").unwrap_or("GET"),
        &url.path,
        &headers,
        Bytes::from(args.get("body").unwrap_or_default().to_owned()),
    );
    let start_session = args.get("start-session").map(|body| {
        let mut headers = headers.clone();
        headers.push(("content-type".into(), "application/json".into()));
        Call::new(
            "POST",
            routes::SESSIONS,
            &headers,
            Bytes::from(body.to_owned()),
        )
    });
    let concurrency = args.number("concurrency", 64usize).max(1);
    let warmup = Duration::from_secs_f64(args.number("warmup", 2.0));
    let seconds = Duration::from_secs_f64(args.number("seconds", 10.0));
    let begin = Instant::now();
    let counted_from = begin + warmup;
    let until = counted_from + seconds;
    let (url, call, start_session) = (Arc::new(url), Arc::new(call), Arc::new(start_session));
    let clients: Vec<_> = (0..concurrency)
        .map(|_| {
            let (url, call, start_session) = (url.clone(), call.clone(), start_session.clone());
            tokio::spawn(async move {
                client(
                    &url.authority,
                    &call,
                    start_session.as_ref().as_ref(),
                    counted_from,
                    until,
                )
                .await
            })
        })
        .collect();
    let mut total = Tally::default();
    for client in clients {
        let tally = client.await.expect("a client finishes");
        total.latencies.extend(tally.latencies);
        for (status, n) in tally.statuses {
            *total.statuses.entry(status).or_default() += n;
        }
        total.errors += tally.errors;
        total.first_error = total.first_error.or(tally.first_error);
        total.session_start_refusals += tally.session_start_refusals;
        total.first_refusal = total.first_refusal.or(tally.first_refusal);
    }
    let requests = total.latencies.len();
    let latency = Summary::of(&mut total.latencies);
    let report = json!({
        "url": format!("{}{}", url.origin(), url.path),
        "method": call.method.as_str(),
        "concurrency": concurrency,
        "seconds": seconds.as_secs_f64(),
        "requests": requests,
        "rps": requests as f64 / seconds.as_secs_f64(),
        "latency": latency,
        "statuses": total.statuses,
        "errors": total.errors,
        "first_error": total.first_error,
        "session_start_refusals": total.session_start_refusals,
        "first_session_start_refusal": total.first_refusal,
    });
    println!("{report}");
}

/// One client: its connection (and session), then requests until `until`, counting those
/// answered from `counted_from` on.
async fn client(
    authority: &str,
    call: &Call,
    start_session: Option<&Call>,
    counted_from: Instant,
    until: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let failed = |tally: &mut Tally, error: String| {
        tally.errors += 1;
        tally.first_error.get_or_insert(error);
    };
    let mut connection = None;
    let mut call = call.clone();
    if let Some(start) = start_session {
        // A customer refused at first (the designed 503 of a busy start) tries again, as
        // a reload would; only a client that never gets a session counts as failed.
        let mut refused = 0;
        loop {
            match session_token(authority, start).await {
                Ok(token) => {
                    call = call.with_header(SESSION_HEADER, &format!("Bearer {token}"));
                    break;
                }
                Err(error) if refused < SESSION_START_ATTEMPTS => {
                    refused += 1;
                    tally.first_refusal.get_or_insert(error);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => {
                    failed(&mut tally, error);
                    return tally;
                }
            }
        }
        tally.session_start_refusals = refused;
    }
    while Instant::now() < until {
        let open = match connection.as_mut() {
            Some(open) => open,
            None => match Connection::open(authority).await {
                Ok(open) => connection.insert(open),
                Err(error) => {
                    failed(&mut tally, error);
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let sent = Instant::now();
        let answer = open.send(&call).await;
        let elapsed = sent.elapsed();
        if sent < counted_from || Instant::now() > until {
            if answer.is_err() {
                connection = None;
            }
            continue;
        }
        match answer {
            Ok((status, _)) => {
                tally.latencies.push(elapsed);
                *tally.statuses.entry(status.as_u16()).or_default() += 1;
            }
            Err(error) => {
                failed(&mut tally, error);
                connection = None;
            }
        }
    }
    tally
}

/// Starts a session and answers its token.
async fn session_token(authority: &str, start: &Call) -> Result<String, String> {
    let mut connection = Connection::open(authority).await?;
    let (status, body) = connection.text(start).await?;
    if !status.is_success() {
        return Err(format!("starting a session: {status}: {}", body));
    }
    let started: serde_json::Value =
        serde_json::from_str(&body).map_err(|e| format!("starting a session: {e}"))?;
    started["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| "starting a session: no token".to_owned())
}

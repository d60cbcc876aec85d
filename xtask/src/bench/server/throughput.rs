//! Requests a second of the session read and the session start, against a bare axum
//! "hello" handler under the same load generator in the same run.

use std::process::Command;

use serde_json::{json, Value};

use super::{ms, number, whole, Load, Postgres, Run};
use crate::bench::processes::{json_of, Service};
use crate::bench::Table;
use crate::process::Result;

/// What a browser's `fetch` sends, and the BFF compresses its JSON for (Chromium's).
const ACCEPT_ENCODING: &str = "accept-encoding: gzip, deflate, br, zstd";

/// Runs the load generator against `url` with `extra` options.
fn load(run: &Run, load: &Load, url: &str, extra: &[&str]) -> Result<Value> {
    let mut cmd = Command::new(&run.load);
    cmd.args(["--url", url])
        .args(["--concurrency", &load.clients.to_string()])
        .args(["--seconds", &load.seconds.to_string()])
        .args(["--warmup", &load.warmup.to_string()])
        // One thread: the generator leaves the rest of the machine to the server.
        .args(["--threads", "1"])
        .args(extra);
    let result = json_of(cmd)?;
    println!(
        "    {url}: {} requests a second, p99 {} ms, statuses {}",
        whole(number(&result["rps"])),
        ms(&result["latency"]["p99_ms"]),
        result["statuses"]
    );
    Ok(result)
}

/// The session read and start on one BFF.
fn session_routes(run: &Run, load_: &Load, origin: &str) -> Result<(Value, Value)> {
    let origin_header = format!("origin: {origin}");
    let body = Run::start_session_body();
    let read = load(
        run,
        load_,
        &format!("{origin}/api/v1/sessions/current"),
        &[
            "--header",
            &origin_header,
            "--header",
            ACCEPT_ENCODING,
            "--start-session",
            &body,
        ],
    )?;
    let start = load(
        run,
        load_,
        &format!("{origin}/api/v1/sessions"),
        &[
            "--method",
            "POST",
            "--header",
            &origin_header,
            "--header",
            ACCEPT_ENCODING,
            "--header",
            "content-type: application/json",
            "--body",
            &body,
        ],
    )?;
    Ok((read, start))
}

/// The baseline before and after, the session routes on SQLite and on PostgreSQL between.
pub fn measure(run: &Run, load_: &Load, pg: &Postgres) -> Result<Value> {
    let sandbox = run.sandbox("throughput-sandbox", None)?;
    let partners = run.partners_file("throughput", None)?;
    let hello = Service::start(
        "hello",
        Command::new(&run.hello),
        "hello listening on ",
        &run.dir,
    )?;
    let hello_url = format!("{}/", hello.url);
    let hello_before = load(run, load_, &hello_url, &[])?;

    let mut sqlite = run.bff(
        "throughput-bff-sqlite",
        &sandbox,
        &run.sqlite("throughput"),
        &partners,
        1,
    )?;
    let (read_sqlite, start_sqlite) = session_routes(run, load_, &sqlite.origin)?;
    // The same read without compression: how much of its cost the coding is.
    let read_plain = load(
        run,
        load_,
        &format!("{}/api/v1/sessions/current", sqlite.origin),
        &[
            "--header",
            &format!("origin: {}", sqlite.origin),
            "--start-session",
            &Run::start_session_body(),
        ],
    )?;
    sqlite.service.check_running()?;
    drop(sqlite);

    let mut postgres = run.bff(
        "throughput-bff-postgres",
        &sandbox,
        &pg.database("throughput")?,
        &partners,
        1,
    )?;
    let (read_pg, start_pg) = session_routes(run, load_, &postgres.origin)?;
    postgres.service.check_running()?;
    drop(postgres);

    let hello_after = load(run, load_, &hello_url, &[])?;
    let baseline = (number(&hello_before["rps"]) + number(&hello_after["rps"])) / 2.0;
    let ratio = |v: &Value| number(&v["rps"]) / baseline;
    Ok(json!({
        "baseline_rps": baseline,
        "hello_before": hello_before,
        "hello_after": hello_after,
        "session_read": {
            "sqlite": read_sqlite,
            "sqlite_uncompressed": read_plain,
            "postgres": read_pg,
        },
        "session_start": { "sqlite": start_sqlite, "postgres": start_pg },
        "ratio": {
            "session_read_sqlite": ratio(&read_sqlite),
            "session_start_sqlite": ratio(&start_sqlite),
            "session_read_postgres": ratio(&read_pg),
            "session_start_postgres": ratio(&start_pg),
        },
    }))
}

/// The throughput table.
pub fn tables(raw: &Value, load: &Load, load_average: &Value) -> Vec<Table> {
    let baseline = number(&raw["baseline_rps"]);
    let row = |what: &str, database: &str, v: &Value| {
        let rps = number(&v["rps"]);
        vec![
            what.to_owned(),
            database.to_owned(),
            whole(rps),
            ms(&v["latency"]["p50_ms"]),
            ms(&v["latency"]["p99_ms"]),
            format!("{:.2}", rps / baseline),
            statuses(v),
        ]
    };
    vec![Table {
        title: "BFF: requests a second against a bare axum handler".into(),
        notes: vec![
            format!(
                "{} clients, each on its own keep-alive connection, sending requests back to back \
                 for {} s after {} s of warm-up (`bench-load`, one thread, on the same machine). \
                 The machine's 1-minute load average was {} when the BFF's measurements began.",
                load.clients,
                load.seconds,
                load.warmup,
                load_average.as_str().unwrap_or("unknown")
            ),
            "The baseline is a bare axum \"hello\" handler (`bench-hello`), measured before and after \
             the BFF; \"÷ bare axum\" divides by the mean of the two."
                .into(),
            "The session read is `GET /api/v1/sessions/current` with each client's own session \
             (started before the clock runs), its answer the whole journey (4.3 KB of JSON, \
             compressed for the browser's `Accept-Encoding`, as the widget's requests carry it; \
             the row without it shows what the compression costs); the session start is `POST /api/v1/sessions`, one new session per request. The BFF runs as deployed: logging every request at `info`, \
             its metrics recorded, the bank sandbox in a process of its own; its rate limits are \
             raised, as all the load comes from one address."
                .into(),
        ],
        headers: [
            "request",
            "database",
            "requests/s",
            "p50 ms",
            "p99 ms",
            "÷ bare axum",
            "answers",
        ]
        .map(String::from)
        .to_vec(),
        rows: vec![
            row("bare axum hello (before)", "–", &raw["hello_before"]),
            row("session read", "SQLite", &raw["session_read"]["sqlite"]),
            row(
                "session read, no Accept-Encoding (answered uncompressed)",
                "SQLite",
                &raw["session_read"]["sqlite_uncompressed"],
            ),
            row("session start", "SQLite", &raw["session_start"]["sqlite"]),
            row("session read", "PostgreSQL", &raw["session_read"]["postgres"]),
            row("session start", "PostgreSQL", &raw["session_start"]["postgres"]),
            row("bare axum hello (after)", "–", &raw["hello_after"]),
        ],
    }]
}

/// `200 × 1,234` for every status answered, and the errors.
fn statuses(v: &Value) -> String {
    let mut parts: Vec<String> = v["statuses"]
        .as_object()
        .map(|s| {
            s.iter()
                .map(|(status, n)| format!("{status} × {}", whole(number(n))))
                .collect()
        })
        .unwrap_or_default();
    let errors = number(&v["errors"]);
    if errors > 0.0 {
        parts.push(format!("{} without an answer", whole(errors)));
    }
    let refused = number(&v["session_start_refusals"]);
    if refused > 0.0 {
        parts.push(format!(
            "before the clock ran, {} session starts refused and tried again",
            whole(refused)
        ));
    }
    parts.join(", ")
}

/// Every load answered, and only with successes.
pub fn check(raw: &Value) -> Result {
    for (name, v) in [
        ("hello", &raw["hello_before"]),
        ("session read on SQLite", &raw["session_read"]["sqlite"]),
        (
            "uncompressed session read on SQLite",
            &raw["session_read"]["sqlite_uncompressed"],
        ),
        ("session start on SQLite", &raw["session_start"]["sqlite"]),
        (
            "session read on PostgreSQL",
            &raw["session_read"]["postgres"],
        ),
        (
            "session start on PostgreSQL",
            &raw["session_start"]["postgres"],
        ),
    ] {
        let ok: f64 = v["statuses"]
            .as_object()
            .map(|s| {
                s.iter()
                    .filter(|(status, _)| status.starts_with('2'))
                    .map(|(_, n)| number(n))
                    .sum()
            })
            .unwrap_or(0.0);
        if ok == 0.0 || ok != number(&v["requests"]) || number(&v["errors"]) > 0.0 {
            return Err(format!("{name}: not every request succeeded: {v}"));
        }
    }
    Ok(())
}

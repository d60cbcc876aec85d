//! The journey driver: `--concurrency` customers, each running whole journeys one after
//! another (session, stage 1, stage 2, stage 3 with the decision) through the BFF
//! instances given with `--bff`, for `--seconds`; journeys under way then finish. Prints
//! JSON: journeys a second, each step's latency and answers by status, the latency the BFF
//! adds as it measured it (`--metrics`), and, given `--sandbox`, `--webhooks` and
//! `--database-url`, what the run lost or doubled.

use bench::args::{fail, Args};
use bench::audit::{self, Audit, BankApplication, Delivery};
use bench::customer::{surname, Attempt, Outcome, Placement, Step, Widget};
use bench::prometheus::{self, Quantiles};
use bench::stats::Summary;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: bench-journeys --bff http://host:port [--bff ...] --partner ID \
--return-url URL [--market SG] [--concurrency 32] [--seconds 10] [--retry-pause-ms 100] \
[--max-attempts 20] [--metrics URL]... [--sandbox URL --webhooks URL --database-url URL \
[--settle-seconds 60]]";

/// The histogram of the time each request spent in the BFF itself.
const OVERHEAD_METRIC: &str = "bff_http_request_overhead_seconds";

/// One customer's journeys.
#[derive(Default)]
struct Customer {
    journeys: Vec<(String, Outcome, Duration)>,
    attempts: Vec<Attempt>,
}

#[tokio::main]
async fn main() {
    let args = Args::from_env(USAGE);
    let origins: Vec<String> = args.all("bff").into_iter().map(str::to_owned).collect();
    if origins.is_empty() {
        fail(&format!("--bff is required\n{USAGE}"));
    }
    let placement = Placement {
        partner: args.required("partner").to_owned(),
        market: args.get("market").unwrap_or("SG").to_owned(),
        return_url: args.required("return-url").to_owned(),
    };
    let widget = Arc::new(Widget::new(
        &origins,
        placement,
        Duration::from_millis(args.number("retry-pause-ms", 100)),
        args.number("max-attempts", 20),
    ));
    let concurrency = args.number("concurrency", 32usize).max(1);
    let seconds = Duration::from_secs_f64(args.number("seconds", 10.0));
    let began = Instant::now();
    let until = began + seconds;
    let counter = Arc::new(AtomicU64::new(0));
    let customers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (widget, counter) = (widget.clone(), counter.clone());
            tokio::spawn(async move {
                let mut customer = Customer::default();
                while Instant::now() < until {
                    let surname = surname(counter.fetch_add(1, Ordering::Relaxed));
                    let started = Instant::now();
                    let outcome = widget.journey(&surname, &mut customer.attempts).await;
                    customer
                        .journeys
                        .push((surname, outcome, started.elapsed()));
                }
                customer
            })
        })
        .collect();
    let mut all = Customer::default();
    for customer in customers {
        let customer = customer.await.expect("a customer finishes");
        all.journeys.extend(customer.journeys);
        all.attempts.extend(customer.attempts);
    }
    let elapsed = began.elapsed();

    let mut report = journeys_report(&all, elapsed);
    report["concurrency"] = json!(concurrency);
    report["instances"] = json!(origins.len());
    let scrapes = scrape(&args.all("metrics")).await;
    if !scrapes.is_empty() {
        report["bff_overhead"] = overhead(&scrapes);
    }
    if let (Some(sandbox), Some(webhooks), Some(database_url)) = (
        args.get("sandbox"),
        args.get("webhooks"),
        args.get("database-url"),
    ) {
        let settle = Duration::from_secs_f64(args.number("settle-seconds", 60.0));
        let journeys: Vec<(String, Outcome)> = all
            .journeys
            .iter()
            .map(|(surname, outcome, _)| (surname.clone(), outcome.clone()))
            .collect();
        match run_audit(&journeys, sandbox, webhooks, database_url, settle).await {
            Ok((audit, waited)) => {
                report["audit"] = json!(audit);
                report["audit"]["settle_seconds"] = json!(waited.as_secs_f64());
            }
            Err(error) => fail(&format!("audit: {error}")),
        }
    }
    println!("{report}");
}

/// Journeys a second, each step's latency (answers that succeeded) and every answer by
/// status, the journeys' own durations, and the answers a widget should never get.
fn journeys_report(all: &Customer, elapsed: Duration) -> Value {
    let completed = all
        .journeys
        .iter()
        .filter(|(_, o, _)| o.result.is_ok())
        .count();
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    for (_, outcome, _) in &all.journeys {
        if let Err(why) = &outcome.result {
            // The first words say where and how; the rest is the BFF's message.
            let short: String = why.chars().take(120).collect();
            *failures.entry(short).or_default() += 1;
        }
    }
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, outcome, _) in &all.journeys {
        if let Ok(decision) = &outcome.result {
            *outcomes.entry(decision.as_str()).or_default() += 1;
        }
    }
    let mut steps = serde_json::Map::new();
    for step in Step::ALL {
        let mut ok: Vec<Duration> = Vec::new();
        let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
        for attempt in all.attempts.iter().filter(|a| a.step == step) {
            let status = attempt
                .status
                .map_or("no answer".to_owned(), |s| s.to_string());
            *statuses.entry(status).or_default() += 1;
            if attempt.status.is_some_and(|s| (200..300).contains(&s)) {
                ok.push(attempt.elapsed);
            }
        }
        steps.insert(
            serde_json::to_value(step)
                .expect("a step name")
                .as_str()
                .expect("a string")
                .to_owned(),
            json!({ "latency": Summary::of(&mut ok), "statuses": statuses }),
        );
    }
    let undesigned_5xx = all
        .attempts
        .iter()
        .filter(|a| a.status.is_some_and(|s| s >= 500) && !a.designed_retry)
        .count();
    let designed_503 = all.attempts.iter().filter(|a| a.designed_retry).count();
    let no_answer = all.attempts.iter().filter(|a| a.status.is_none()).count();
    let mut durations: Vec<Duration> = all
        .journeys
        .iter()
        .filter(|(_, o, _)| o.result.is_ok())
        .map(|(_, _, d)| *d)
        .collect();
    json!({
        "seconds": elapsed.as_secs_f64(),
        "journeys_started": all.journeys.len(),
        "journeys_completed": completed,
        "journeys_per_second": completed as f64 / elapsed.as_secs_f64(),
        "outcomes": outcomes,
        "failures": failures,
        "journey_latency": Summary::of(&mut durations),
        "steps": steps,
        "requests": all.attempts.len(),
        "designed_retryable_503": designed_503,
        "undesigned_5xx": undesigned_5xx,
        "no_answer": no_answer,
    })
}

/// Each BFF instance's metrics, as scraped now.
async fn scrape(urls: &[&str]) -> Vec<String> {
    let client = reqwest::Client::new();
    let mut texts = Vec::new();
    for url in urls {
        let text = match client.get(*url).send().await {
            Ok(response) => response.text().await,
            Err(error) => Err(error),
        };
        texts.push(text.unwrap_or_else(|e| fail(&format!("scraping {url}: {e}"))));
    }
    texts
}

/// The latency the BFF added to each step, from its own histogram, all instances summed.
fn overhead(scrapes: &[String]) -> Value {
    let histograms = prometheus::histograms(scrapes, OVERHEAD_METRIC, "route");
    let mut per_step = serde_json::Map::new();
    for step in Step::ALL {
        let quantiles: Option<Quantiles> = histograms.get(&step.route()).map(|h| h.quantiles());
        per_step.insert(
            serde_json::to_value(step)
                .expect("a step name")
                .as_str()
                .expect("a string")
                .to_owned(),
            json!(quantiles),
        );
    }
    Value::Object(per_step)
}

/// Waits until the partner has been told of every decision the BFF stored (or `settle`
/// has passed), then compares the bank, the BFF and the partner.
async fn run_audit(
    journeys: &[(String, Outcome)],
    sandbox: &str,
    webhooks: &str,
    database_url: &str,
    settle: Duration,
) -> Result<(Audit, Duration), String> {
    let client = reqwest::Client::new();
    let get = |url: String| {
        let client = client.clone();
        async move {
            client
                .get(&url)
                .send()
                .await
                .map_err(|e| format!("{url}: {e}"))?
                .error_for_status()
                .map_err(|e| format!("{url}: {e}"))?
                .json::<Value>()
                .await
                .map_err(|e| format!("{url}: {e}"))
        }
    };
    let began = Instant::now();
    loop {
        let stored = audit::stored_decisions(database_url).await?;
        let deliveries: Vec<Delivery> =
            serde_json::from_value(get(format!("{webhooks}/deliveries")).await?)
                .map_err(|e| format!("deliveries: {e}"))?;
        let decided = stored.values().filter(|d| d.is_some()).count();
        let told: std::collections::HashSet<&str> =
            deliveries.iter().map(|d| d.reference.as_str()).collect();
        if told.len() >= decided || began.elapsed() >= settle {
            let bank: Vec<BankApplication> =
                serde_json::from_value(get(format!("{sandbox}/sandbox/applications")).await?)
                    .map_err(|e| format!("the sandbox's applications: {e}"))?;
            return Ok((
                audit::compare(journeys, &stored, &bank, &deliveries),
                began.elapsed(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

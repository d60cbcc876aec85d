//! The BFF's Prometheus metrics (see `docs/operations.md` for the list).
//!
//! Each BFF's [`Metrics`] record into a recorder of their own, never into the
//! process's global one: the tests run many BFFs in one process, and each must read its
//! own numbers (one journey's bank calls, one approval), not the sum of every test running
//! beside it. The `metrics` macros are used as usual, inside `with_local_recorder`, which
//! points them at this BFF's recorder for the length of one synchronous closure; nothing is
//! ever held across an `.await`. A process runs one BFF, so in production this is the
//! process's metrics all the same.

use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics::{with_local_recorder, Unit};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
// Tokio's clock, so tests with paused time can measure the upstream time exactly.
use tokio::time::Instant;

/// `bff_http_request_duration_seconds{route, status}`.
pub const HTTP_REQUEST_DURATION: &str = "bff_http_request_duration_seconds";
/// `bff_http_request_overhead_seconds{route}`: the latency the BFF adds to a request, its
/// whole time less the time a bank or connectFi call of it was under way.
pub const HTTP_REQUEST_OVERHEAD: &str = "bff_http_request_overhead_seconds";
/// `bff_upstream_call_duration_seconds{upstream, call, outcome}`: one logical call,
/// retries and pauses included.
pub const UPSTREAM_CALL_DURATION: &str = "bff_upstream_call_duration_seconds";
/// `bff_upstream_calls_total{upstream, call, outcome}`: logical calls.
pub const UPSTREAM_CALLS: &str = "bff_upstream_calls_total";
/// `bff_upstream_attempts_total{upstream, call, outcome}`: requests sent, retries included.
pub const UPSTREAM_ATTEMPTS: &str = "bff_upstream_attempts_total";
/// `bff_circuit_breaker_open{upstream}`: 1 while the breaker fails calls fast.
pub const CIRCUIT_BREAKER_OPEN: &str = "bff_circuit_breaker_open";
/// `bff_decisions_total{provider, outcome, source}`.
pub const DECISIONS: &str = "bff_decisions_total";
/// `bff_webhook_outbox_events{state}`: undelivered events, `pending` or `given_up`.
pub const WEBHOOK_OUTBOX_EVENTS: &str = "bff_webhook_outbox_events";
/// `bff_webhook_delivery_failures_total{partner}`.
pub const WEBHOOK_DELIVERY_FAILURES: &str = "bff_webhook_delivery_failures_total";
/// `bff_rate_limited_total{limit}`: requests refused with 429, by `address`, `partner` or
/// `csp_reports`.
pub const RATE_LIMITED: &str = "bff_rate_limited_total";
/// `bff_partner_budget_warnings_total{partner}`: a partner's limit was 80 % used or more,
/// counted once a minute at most.
pub const PARTNER_BUDGET_WARNINGS: &str = "bff_partner_budget_warnings_total";

/// Latency buckets, in seconds: from a cached answer to the slowest stage (the decision
/// wait plus bank retries, up to the request timeout).
const LATENCY_BUCKETS: [f64; 15] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 40.0, 80.0, 160.0,
];

/// Buckets of the latency the BFF adds, in seconds: fine from a tenth of a millisecond to
/// well past the 5 ms it aims at, then close enough up to a second to tell how far a
/// saturated instance (requests queueing for the CPU or the database) is from it.
const OVERHEAD_BUCKETS: [f64; 28] = [
    0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01,
    0.015, 0.02, 0.025, 0.035, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.35, 0.5, 0.75, 1.0, 2.5, 10.0,
];

/// How an upstream call or attempt ended, as the `outcome` label says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallOutcome {
    /// A success answer.
    Ok,
    /// The provider answered with an error.
    Refused,
    /// No answer: connection failed or timed out.
    Unreachable,
    /// An answer that breaks the contract.
    Unexpected,
    /// Not sent: the circuit breaker is open.
    CircuitOpen,
}

impl CallOutcome {
    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Refused => "refused",
            Self::Unreachable => "unreachable",
            Self::Unexpected => "unexpected",
            Self::CircuitOpen => "circuit_open",
        }
    }
}

/// One BFF's metrics: the recorder its code records into and the handle that renders them.
#[derive(Clone)]
pub struct Metrics {
    recorder: Arc<PrometheusRecorder>,
    handle: PrometheusHandle,
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Metrics(..)")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A recorder of this BFF's own, every metric described.
    pub fn new() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&LATENCY_BUCKETS)
            .and_then(|b| {
                b.set_buckets_for_metric(
                    Matcher::Full(HTTP_REQUEST_OVERHEAD.to_owned()),
                    &OVERHEAD_BUCKETS,
                )
            })
            .expect("the buckets are not empty")
            .build_recorder();
        let metrics = Self {
            handle: recorder.handle(),
            recorder: Arc::new(recorder),
        };
        metrics.record(describe_all);
        metrics
    }

    /// Runs `record` with this BFF's recorder behind the `metrics` macros.
    fn record(&self, record: impl FnOnce()) {
        with_local_recorder(self.recorder.as_ref(), record);
    }

    /// Everything recorded so far, in Prometheus' text format.
    pub fn render(&self) -> String {
        self.handle.render()
    }

    /// Folds the histograms' recent samples into their buckets. Rendering does it too; run
    /// it regularly so that without a scraper the samples do not pile up in memory.
    pub fn run_upkeep(&self) {
        self.handle.run_upkeep();
    }

    /// One request answered: its route template (never the raw path, which carries
    /// references), its status, how long it took, and how much of that its bank and
    /// connectFi calls took (see [`UpstreamClock`]).
    pub fn request(&self, route: &str, status: u16, elapsed: Duration, upstream: Duration) {
        let (route, status) = (route.to_owned(), status.to_string());
        self.record(|| {
            histogram!(HTTP_REQUEST_OVERHEAD, "route" => route.clone())
                .record(elapsed.saturating_sub(upstream).as_secs_f64());
            histogram!(HTTP_REQUEST_DURATION, "route" => route, "status" => status)
                .record(elapsed.as_secs_f64());
        });
    }

    /// One request sent to `upstream` (`bank` or `connectfi`), retries counted each.
    pub fn upstream_attempt(
        &self,
        upstream: &'static str,
        call: &'static str,
        outcome: CallOutcome,
    ) {
        self.record(|| {
            counter!(UPSTREAM_ATTEMPTS, "upstream" => upstream, "call" => call, "outcome" => outcome.as_str())
                .increment(1);
        });
    }

    /// One logical call to `upstream`, however many attempts it took.
    pub fn upstream_call(
        &self,
        upstream: &'static str,
        call: &'static str,
        outcome: CallOutcome,
        elapsed: Duration,
    ) {
        self.record(|| {
            let labels = [
                ("upstream", upstream),
                ("call", call),
                ("outcome", outcome.as_str()),
            ];
            counter!(UPSTREAM_CALLS, &labels).increment(1);
            histogram!(UPSTREAM_CALL_DURATION, &labels).record(elapsed.as_secs_f64());
        });
    }

    /// Whether `upstream`'s circuit breaker fails calls fast now.
    pub fn circuit_breaker(&self, upstream: &'static str, open: bool) {
        self.record(|| {
            gauge!(CIRCUIT_BREAKER_OPEN, "upstream" => upstream).set(f64::from(u8::from(open)));
        });
    }

    /// A decision stored: `provider` (`bank` or `connectfi`) decided `outcome`, at its
    /// `source` (`decision`, or `offer_acceptance` when a counter-offer taken made it).
    pub fn decision(&self, provider: &'static str, outcome: &'static str, source: &'static str) {
        self.record(|| {
            counter!(DECISIONS, "provider" => provider, "outcome" => outcome, "source" => source)
                .increment(1);
        });
    }

    /// The outbox's undelivered events, read by the delivery task on each pass.
    pub fn webhook_backlog(&self, pending: i64, given_up: i64) {
        self.record(|| {
            gauge!(WEBHOOK_OUTBOX_EVENTS, "state" => "pending").set(pending as f64);
            gauge!(WEBHOOK_OUTBOX_EVENTS, "state" => "given_up").set(given_up as f64);
        });
    }

    /// A webhook attempt that was not accepted.
    pub fn webhook_failure(&self, partner: &str) {
        let partner = partner.to_owned();
        self.record(|| {
            counter!(WEBHOOK_DELIVERY_FAILURES, "partner" => partner).increment(1);
        });
    }

    /// A request refused by the `limit` (`address`, `partner` or `csp_reports`) rate limit.
    pub fn rate_limited(&self, limit: &'static str) {
        self.record(|| {
            counter!(RATE_LIMITED, "limit" => limit).increment(1);
        });
    }

    /// `partner`'s rate limit nearly used up (the caller warns once a minute at most).
    pub fn partner_budget_warning(&self, partner: &str) {
        let partner = partner.to_owned();
        self.record(|| {
            counter!(PARTNER_BUDGET_WARNINGS, "partner" => partner).increment(1);
        });
    }
}

fn describe_all() {
    describe_histogram!(
        HTTP_REQUEST_DURATION,
        Unit::Seconds,
        "Requests answered, by route template and status."
    );
    describe_histogram!(
        HTTP_REQUEST_OVERHEAD,
        Unit::Seconds,
        "Requests' time in the BFF itself: the whole answer less the time a bank or connectFi call of the request was under way, by route template."
    );
    describe_histogram!(
        UPSTREAM_CALL_DURATION,
        Unit::Seconds,
        "Logical calls to the bank or connectFi, retries included, by call and outcome."
    );
    describe_counter!(
        UPSTREAM_CALLS,
        "Logical calls to the bank or connectFi, by call and outcome."
    );
    describe_counter!(
        UPSTREAM_ATTEMPTS,
        "Requests sent to the bank or connectFi, each retry counted, by call and outcome."
    );
    describe_gauge!(
        CIRCUIT_BREAKER_OPEN,
        "1 while the upstream's circuit breaker fails calls fast, else 0."
    );
    describe_counter!(
        DECISIONS,
        "Decisions stored, by provider, outcome and source."
    );
    describe_gauge!(
        WEBHOOK_OUTBOX_EVENTS,
        "Partners' webhook events not delivered: pending, or given up."
    );
    describe_counter!(
        WEBHOOK_DELIVERY_FAILURES,
        "Webhook delivery attempts a partner did not accept."
    );
    describe_counter!(RATE_LIMITED, "Requests refused with 429, by limit.");
    describe_counter!(
        PARTNER_BUDGET_WARNINGS,
        "Times a partner's rate limit was found 80 % used or more, once a minute at most."
    );
}

tokio::task_local! {
    /// The clock of the request being served, for the upstream calls made on its behalf.
    static REQUEST_CLOCK: Arc<UpstreamClock>;
}

/// The time a request spent waiting on upstream calls: wall-clock time during which at
/// least one bank or connectFi call of the request was under way, so calls nested in
/// others (a token fetched inside a call) or run side by side are counted once.
#[derive(Debug, Default)]
pub struct UpstreamClock(Mutex<ClockState>);

#[derive(Debug, Default)]
struct ClockState {
    in_flight: u32,
    busy_since: Option<Instant>,
    total: Duration,
}

impl UpstreamClock {
    /// Runs `request` with a clock of its own; answers its output and its upstream time.
    pub async fn measure<F: Future>(request: F) -> (F::Output, Duration) {
        let clock = Arc::new(Self::default());
        let output = REQUEST_CLOCK.scope(clock.clone(), request).await;
        (output, clock.elapsed())
    }

    /// `work`, to be spawned off the current request, still counted on its clock (if any).
    pub fn carry<F: Future>(work: F) -> impl Future<Output = F::Output> {
        let clock = REQUEST_CLOCK.try_with(Arc::clone).ok();
        async move {
            match clock {
                Some(clock) => REQUEST_CLOCK.scope(clock, work).await,
                None => work.await,
            }
        }
    }

    /// Counts an upstream call as under way, on the current request's clock, until the
    /// guard is dropped; nothing outside a request.
    pub fn call_started() -> Option<UpstreamCall> {
        let clock = REQUEST_CLOCK.try_with(Arc::clone).ok()?;
        {
            let mut state = clock.0.lock().expect("the clock's lock");
            if state.in_flight == 0 {
                state.busy_since = Some(Instant::now());
            }
            state.in_flight += 1;
        }
        Some(UpstreamCall(clock))
    }

    /// The upstream time so far, a call still under way counted up to now.
    fn elapsed(&self) -> Duration {
        let state = self.0.lock().expect("the clock's lock");
        state.total
            + state
                .busy_since
                .map_or(Duration::ZERO, |since| since.elapsed())
    }
}

/// An upstream call under way (see [`UpstreamClock::call_started`]).
#[derive(Debug)]
pub struct UpstreamCall(Arc<UpstreamClock>);

impl Drop for UpstreamCall {
    fn drop(&mut self) {
        let mut state = self.0 .0.lock().expect("the clock's lock");
        state.in_flight -= 1;
        if state.in_flight == 0 {
            if let Some(since) = state.busy_since.take() {
                state.total += since.elapsed();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bff_reads_only_its_own_numbers() {
        let (one, other) = (Metrics::new(), Metrics::new());
        one.rate_limited("address");
        one.rate_limited("address");
        other.rate_limited("partner");
        one.request(
            "/api/v1/applications/{reference}/finances",
            200,
            Duration::from_millis(30),
            Duration::from_millis(28),
        );
        let text = one.render();
        assert!(
            text.contains(r#"bff_rate_limited_total{limit="address"} 2"#),
            "{text}"
        );
        assert!(!text.contains(r#"limit="partner""#), "{text}");
        assert!(
            text.contains(r#"bff_http_request_duration_seconds_count{route="/api/v1/applications/{reference}/finances",status="200"} 1"#),
            "{text}"
        );
        assert!(other
            .render()
            .contains(r#"bff_rate_limited_total{limit="partner"} 1"#));
        // 2 ms of the BFF's own, in the fine buckets: under 3 ms, not under 1.5 ms.
        let route = r#"route="/api/v1/applications/{reference}/finances""#;
        assert!(
            text.contains(&format!(
                r#"bff_http_request_overhead_seconds_bucket{{{route},le="0.003"}} 1"#
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                r#"bff_http_request_overhead_seconds_bucket{{{route},le="0.0015"}} 0"#
            )),
            "{text}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn upstream_time_counts_nested_and_side_by_side_calls_once() {
        let call = |ms: u64| async move {
            let _call = UpstreamClock::call_started();
            tokio::time::sleep(Duration::from_millis(ms)).await;
        };
        let ((), upstream) = UpstreamClock::measure(async {
            // Work of the BFF's own, then two calls side by side, one with a call inside.
            tokio::time::sleep(Duration::from_millis(5)).await;
            tokio::join!(call(40), async {
                let _outer = UpstreamClock::call_started();
                call(30).await;
                tokio::time::sleep(Duration::from_millis(20)).await;
            });
            // A call in a task spawned off the request, carrying its clock.
            tokio::spawn(UpstreamClock::carry(call(25))).await.unwrap();
            // One that does not carry it is not the request's.
            tokio::spawn(call(100)).await.unwrap();
        })
        .await;
        assert_eq!(upstream, Duration::from_millis(50 + 25));
        // Outside a request nothing is counted, and nothing fails.
        assert!(UpstreamClock::call_started().is_none());
    }
}

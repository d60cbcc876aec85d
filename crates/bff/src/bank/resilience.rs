//! Retries with jittered backoff and a circuit breaker around every bank call, so a
//! flaky bank is ridden out and a bank that is down costs the customer seconds, not minutes.
//!
//! Which calls are retried, and why that is safe (see `client.rs` for the `uuid` reuse):
//! - the token fetch and the reference-data reads change nothing at the bank;
//! - the create carries the same `uuid` on every attempt, which the bank (the sandbox, see
//!   its README) honours as an idempotency key: a retry after a lost answer gets the
//!   application the first attempt opened, never a second one. That uuid is derived from
//!   the session and the request (`journey/stages.rs`), so the customer's own retry of
//!   stage 1 after every attempt failed is recognised too;
//! - an update replaces the sections it sends, so sending it twice is sending it once;
//! - screening asked for again neither restarts nor shortens it;
//! - the IPA request that decided, repeated with its `uuid`, answers its decision again;
//!   any other repeat would be told `inPrincipalApprovalAlreadyGiven`. So a 500 from the
//!   IPA is retried as well: the bank either had not decided (the retry decides) or had
//!   (the retry gets that decision). Polling while screening runs is not a transport retry:
//!   it is `journey/decision.rs`, one logical call (one uuid) per poll.
//!
//! Only transient failures are retried: 5xx answers, timeouts and connection errors. A 4xx
//! is the bank's considered answer (a decision, a refused field) and asking again would
//! only repeat it.

use super::{BankError, ClientTls};
use crate::config::ResilienceSettings;
use crate::telemetry::{CallOutcome, Metrics, UpstreamClock};
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// What every call to one upstream provider shares: an HTTP client whose timeout covers one
/// attempt, the retry policy, a circuit breaker of the provider's own, and the metrics its
/// calls are counted in.
pub struct Upstream {
    pub http: reqwest::Client,
    pub retry: RetryPolicy,
    breaker: CircuitBreaker,
    /// `bank` or `connectfi`: the `upstream` label.
    name: &'static str,
    metrics: Metrics,
}

impl Upstream {
    /// The upstream `name` (`bank` or `connectfi`) with these limits and this TLS, counted
    /// in `metrics`.
    pub fn new(
        name: &'static str,
        limits: &ResilienceSettings,
        tls: &ClientTls,
        metrics: Metrics,
    ) -> Self {
        // The timeout covers one attempt, from connecting to the last byte of the answer:
        // a provider that accepts the connection and never answers is given up on all the same.
        let mut http = reqwest::Client::builder()
            .connect_timeout(limits.timeout.min(Duration::from_secs(3)))
            .timeout(limits.timeout);
        // A refused handshake (no certificate, or one the bank does not trust) is a
        // connection error like any other: unreachable, retried, counted by the breaker.
        if let Some(identity) = &tls.identity {
            http = http.identity(identity.identity().clone());
        }
        for ca in &tls.private_ca {
            http = http.add_root_certificate(ca.clone());
        }
        let http = http
            .build()
            .expect("the HTTP client's settings are valid (the TLS files were checked at start)");
        Self {
            http,
            retry: RetryPolicy {
                retries: limits.retries,
                backoff_base: limits.backoff_base,
                backoff_max: limits.backoff_max,
            },
            breaker: CircuitBreaker::new(limits.breaker_failures, limits.breaker_cool_down),
            name,
            metrics: {
                // The gauge exists from the start, so a dashboard shows a closed breaker
                // rather than no data.
                metrics.circuit_breaker(name, false);
                metrics
            },
        }
    }

    /// Whether the circuit breaker fails calls fast now.
    pub fn is_open(&self) -> bool {
        self.breaker.is_open()
    }

    /// Runs one logical call named `call` (its token, its attempts, a new token after a
    /// 401): counts it once with how it ended, and logs that in the caller's span, where
    /// the call's name (and the bank's `uuid`) are.
    pub async fn call<T>(
        &self,
        call: &'static str,
        work: impl Future<Output = Result<T, BankError>>,
    ) -> Result<T, BankError> {
        let started = Instant::now();
        let under_way = UpstreamClock::call_started();
        let result = work.await;
        drop(under_way);
        let elapsed = started.elapsed();
        let outcome = outcome(&result);
        self.metrics
            .upstream_call(self.name, call, outcome, elapsed);
        tracing::info!(
            upstream = self.name,
            outcome = outcome.as_str(),
            duration_ms = elapsed.as_millis() as u64,
            "upstream call"
        );
        result
    }

    /// Runs the attempts of call `call` through `retry` (the upstream's own policy, or a
    /// stricter one for a call that must not be repeated) and the circuit breaker, counting
    /// each attempt sent.
    pub async fn run<T, Fut>(
        &self,
        call: &'static str,
        retry: &RetryPolicy,
        mut attempt: impl FnMut() -> Fut,
    ) -> Result<T, BankError>
    where
        Fut: Future<Output = Result<T, BankError>>,
    {
        let result = run(
            call,
            retry,
            &self.breaker,
            BankError::is_transient,
            || BankError::CircuitOpen,
            || {
                let sent = attempt();
                async move {
                    let result = sent.await;
                    self.metrics
                        .upstream_attempt(self.name, call, outcome(&result));
                    result
                }
            },
        )
        .await;
        self.metrics
            .circuit_breaker(self.name, self.breaker.is_open());
        result
    }
}

/// How a call or attempt ended, as its metrics' `outcome` label says it.
fn outcome<T>(result: &Result<T, BankError>) -> CallOutcome {
    match result {
        Ok(_) => CallOutcome::Ok,
        Err(BankError::Refused { .. }) => CallOutcome::Refused,
        Err(BankError::Unreachable(_)) => CallOutcome::Unreachable,
        Err(BankError::Unexpected(_)) => CallOutcome::Unexpected,
        Err(BankError::CircuitOpen) => CallOutcome::CircuitOpen,
    }
}

/// How often and how patiently a call is retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts after the first.
    pub retries: u32,
    /// The cap of the first pause; each later cap doubles.
    pub backoff_base: Duration,
    /// No pause is longer than this.
    pub backoff_max: Duration,
}

impl RetryPolicy {
    /// The pause before retry `retry` (1 for the first): "full jitter", a uniform draw up to
    /// the doubling cap, so BFF instances that failed together do not retry together.
    pub fn backoff(&self, retry: u32, draw: impl FnOnce(u64) -> u64) -> Duration {
        crate::backoff::backoff(self.backoff_base, self.backoff_max, retry, draw)
    }
}

/// Whether the breaker lets calls through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Calls go through; this many transient failures in a row so far.
    Closed { failures: u32 },
    /// Calls fail fast until then.
    Open { until: Instant },
    /// One trial call went through at `since`; the others fail fast until it ends.
    Trial { since: Instant },
}

/// Stops calling a bank that keeps failing: after `threshold` transient failures in a row
/// it opens and calls fail at once; after `cool_down` one trial call goes through, and its
/// success closes it again.
#[derive(Debug)]
pub struct CircuitBreaker {
    threshold: u32,
    cool_down: Duration,
    state: Mutex<State>,
}

impl CircuitBreaker {
    /// A closed breaker.
    pub fn new(threshold: u32, cool_down: Duration) -> Self {
        Self {
            threshold: threshold.max(1),
            cool_down,
            state: Mutex::new(State::Closed { failures: 0 }),
        }
    }

    /// Whether a call may go to the bank now.
    pub fn allow(&self) -> bool {
        let now = Instant::now();
        let mut state = self.lock();
        match *state {
            State::Closed { .. } => true,
            State::Open { until } if now >= until => {
                *state = State::Trial { since: now };
                true
            }
            // A trial whose caller went away (its request was cancelled) never reports;
            // after a cool-down another trial may go.
            State::Trial { since } if now >= since + self.cool_down => {
                *state = State::Trial { since: now };
                true
            }
            State::Open { .. } | State::Trial { .. } => false,
        }
    }

    /// Records how a call that was let through ended: `transient_failure` for a 5xx, a
    /// timeout or a connection error; any answer of the bank's own counts as success.
    pub fn record(&self, transient_failure: bool) {
        let mut state = self.lock();
        *state = match (*state, transient_failure) {
            (_, false) => State::Closed { failures: 0 },
            (State::Closed { failures }, true) if failures + 1 < self.threshold => State::Closed {
                failures: failures + 1,
            },
            (State::Closed { .. } | State::Trial { .. }, true) => {
                tracing::warn!(
                    cool_down_ms = self.cool_down.as_millis() as u64,
                    "the bank keeps failing: circuit breaker open"
                );
                State::Open {
                    until: Instant::now() + self.cool_down,
                }
            }
            // A call let through before the breaker opened ends late: it stays open.
            (open @ State::Open { .. }, true) => open,
        };
    }

    /// Whether calls fail fast now.
    pub fn is_open(&self) -> bool {
        !matches!(*self.lock(), State::Closed { .. })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // Every critical section only assigns a Copy value, so a poisoned lock holds a
        // consistent state.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Runs `attempt` through the breaker, retrying transient failures as `policy` says.
/// `open` is the error of a call the open breaker refuses; `what` names the call in logs.
pub async fn run<T, E, F, Fut>(
    what: &str,
    policy: &RetryPolicy,
    breaker: &CircuitBreaker,
    is_transient: impl Fn(&E) -> bool,
    open: impl Fn() -> E,
    mut attempt: F,
) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: std::fmt::Display,
{
    let mut retry = 0;
    loop {
        if !breaker.allow() {
            return Err(open());
        }
        let result = attempt().await;
        let transient = matches!(&result, Err(e) if is_transient(e));
        breaker.record(transient);
        match result {
            Err(error) if transient && retry < policy.retries => {
                retry += 1;
                let pause = policy.backoff(retry, |cap| {
                    rand::Rng::gen_range(&mut rand::thread_rng(), 0..=cap)
                });
                tracing::warn!(what, %error, retry, pause_ms = pause.as_millis() as u64, "bank call failed; retrying");
                tokio::time::sleep(pause).await;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn policy(retries: u32) -> RetryPolicy {
        RetryPolicy {
            retries,
            backoff_base: Duration::from_millis(200),
            backoff_max: Duration::from_secs(2),
        }
    }

    #[test]
    fn the_backoff_cap_doubles_up_to_the_maximum_and_the_draw_stays_under_it() {
        let p = policy(2);
        let caps: Vec<u64> = (1..=6)
            .map(|retry| p.backoff(retry, |cap| cap).as_millis() as u64)
            .collect();
        assert_eq!(caps, [200, 400, 800, 1600, 2000, 2000]);
        assert_eq!(p.backoff(1, |_| 0), Duration::ZERO);
        assert_eq!(p.backoff(1, |_| u64::MAX), Duration::from_millis(200));
        assert_eq!(p.backoff(100, |cap| cap), Duration::from_secs(2));
    }

    #[derive(Debug, PartialEq)]
    enum Failure {
        Transient,
        Business,
        Open,
    }

    impl std::fmt::Display for Failure {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{self:?}")
        }
    }

    /// Runs a call whose attempts answer `answers` in turn; returns its result and attempts.
    async fn call(
        policy: &RetryPolicy,
        breaker: &CircuitBreaker,
        answers: &[Result<u32, Failure>],
    ) -> (Result<u32, Failure>, usize) {
        let calls = Cell::new(0);
        let result = run(
            "test",
            policy,
            breaker,
            |e| *e == Failure::Transient,
            || Failure::Open,
            || {
                let n = calls.get();
                calls.set(n + 1);
                let answer = match answers.get(n) {
                    Some(Ok(v)) => Ok(*v),
                    Some(Err(Failure::Business)) => Err(Failure::Business),
                    _ => Err(Failure::Transient),
                };
                async move { answer }
            },
        )
        .await;
        (result, calls.get())
    }

    #[tokio::test(start_paused = true)]
    async fn transient_failures_are_retried_with_pauses_and_business_errors_are_not() {
        let breaker = CircuitBreaker::new(5, Duration::from_secs(30));
        let started = Instant::now();
        let (result, attempts) = call(
            &policy(2),
            &breaker,
            &[Err(Failure::Transient), Err(Failure::Transient), Ok(7)],
        )
        .await;
        assert_eq!((result, attempts), (Ok(7), 3));
        // Two pauses, each at most its cap (200 ms, then 400 ms).
        assert!(started.elapsed() <= Duration::from_millis(600));

        let (result, attempts) = call(&policy(2), &breaker, &[Err(Failure::Business)]).await;
        assert_eq!((result, attempts), (Err(Failure::Business), 1));

        let (result, attempts) = call(&policy(2), &breaker, &[]).await;
        assert_eq!((result, attempts), (Err(Failure::Transient), 3));
    }

    #[tokio::test(start_paused = true)]
    async fn the_breaker_opens_fails_fast_and_lets_one_trial_through_after_the_cool_down() {
        let breaker = CircuitBreaker::new(3, Duration::from_secs(30));
        let no_retry = policy(0);
        for _ in 0..3 {
            assert_eq!(call(&no_retry, &breaker, &[]).await.1, 1);
        }
        assert!(breaker.is_open());
        // Open: no attempt at all.
        assert_eq!(
            call(&no_retry, &breaker, &[Ok(1)]).await,
            (Err(Failure::Open), 0)
        );
        tokio::time::advance(Duration::from_secs(29)).await;
        assert_eq!(call(&no_retry, &breaker, &[Ok(1)]).await.1, 0);

        tokio::time::advance(Duration::from_secs(1)).await;
        // One trial goes; while it runs, the others fail fast.
        assert!(breaker.allow());
        assert!(!breaker.allow());
        // The trial failed: open for another cool-down.
        breaker.record(true);
        assert_eq!(call(&no_retry, &breaker, &[Ok(1)]).await.1, 0);
        tokio::time::advance(Duration::from_secs(30)).await;
        assert_eq!(call(&no_retry, &breaker, &[Ok(1)]).await, (Ok(1), 1));
        assert!(!breaker.is_open());
    }

    #[tokio::test(start_paused = true)]
    async fn business_errors_and_successes_reset_the_count_of_failures() {
        let breaker = CircuitBreaker::new(3, Duration::from_secs(30));
        let no_retry = policy(0);
        for _ in 0..2 {
            assert_eq!(call(&no_retry, &breaker, &[]).await.1, 1);
        }
        assert_eq!(
            call(&no_retry, &breaker, &[Err(Failure::Business)]).await,
            (Err(Failure::Business), 1)
        );
        for _ in 0..2 {
            assert_eq!(call(&no_retry, &breaker, &[]).await.1, 1);
        }
        assert!(!breaker.is_open(), "never three in a row");
    }

    #[tokio::test(start_paused = true)]
    async fn a_trial_that_never_reports_does_not_keep_the_breaker_shut() {
        let breaker = CircuitBreaker::new(1, Duration::from_secs(10));
        breaker.record(true);
        tokio::time::advance(Duration::from_secs(10)).await;
        assert!(breaker.allow(), "the trial");
        assert!(!breaker.allow());
        tokio::time::advance(Duration::from_secs(10)).await;
        assert!(breaker.allow(), "another trial once the first is given up");
    }
}

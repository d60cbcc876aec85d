//! Faults on purpose: latency, 5xx answers, calls that never answer and connections closed
//! without an answer. Chosen per application by the applicant's surname, or for every bank
//! call by configuration and `POST /sandbox/faults`, so a client's timeouts, retries and
//! circuit breaker can be tested against the failures a real bank shows.

use crate::error::BankError;
use crate::extract::BankJson;
use crate::lock::lock;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Surname whose calls each take [`SLOW_LATENCY`] longer.
pub const SLOW_SURNAME: &str = "Slowbank";
/// Surname whose first [`FLAKY_FAILURES`] calls of each kind answer 5xx.
pub const FLAKY_SURNAME: &str = "Flakybank";
/// Surname whose calls never answer: the client must give up by itself.
pub const TIMEOUT_SURNAME: &str = "Timeoutbank";
/// Surname whose first call of each kind does its work, then closes the connection.
pub const DROP_SURNAME: &str = "Dropbank";
/// Slow but well under any sensible client timeout, so a slow call must still succeed.
pub const SLOW_LATENCY: Duration = Duration::from_millis(300);
/// Two failures, then success: a client with two retries gets through, one without fails.
pub const FLAKY_FAILURES: u32 = 2;

/// A fault an applicant's surname asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurnameFault {
    /// Every call is [`SLOW_LATENCY`] late.
    Slow,
    /// The first calls of each kind answer 500, then 503, then the call works.
    Flaky,
    /// No call answers.
    Timeout,
    /// The first call of each kind is carried out and its connection closed unanswered.
    Drop,
}

impl SurnameFault {
    /// The fault a surname names, compared like the error-code surnames: whole, ignoring
    /// ASCII case and surrounding spaces.
    pub fn of_surname(surname: Option<&str>) -> Option<Self> {
        let surname = surname?.trim();
        [
            (SLOW_SURNAME, Self::Slow),
            (FLAKY_SURNAME, Self::Flaky),
            (TIMEOUT_SURNAME, Self::Timeout),
            (DROP_SURNAME, Self::Drop),
        ]
        .into_iter()
        .find(|(name, _)| surname.eq_ignore_ascii_case(name))
        .map(|(_, fault)| fault)
    }
}

/// The bank calls a surname fault counts separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallKind {
    /// `POST .../applications`.
    Create,
    /// `PUT .../applications/{id}`.
    Update,
    /// `POST .../backgroundScreening`.
    Screening,
    /// `POST .../inPrincipleApprovals`.
    Ipa,
}

/// Faults applied to every bank call (not to `/sandbox` routes), before its handler runs,
/// so a failed call changes nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Faults {
    /// Added to every bank call, in milliseconds.
    pub latency_ms: u64,
    /// Every n-th bank call answers `500 serverUnavailable`; 0 never, 1 always.
    pub fail_every: u64,
    /// No bank call answers until this is switched off again.
    pub hang: bool,
}

/// The faults in force for every bank call, and the calls that faults count.
#[derive(Clone, Default)]
pub struct FaultControl {
    inner: Arc<Counted>,
}

#[derive(Default)]
struct Counted {
    /// The faults every bank call gets, and how many bank calls there were.
    faults: Mutex<(Faults, u64)>,
    /// Calls of a surname fault, by kind and what they are about.
    surname_calls: Mutex<HashMap<(CallKind, String), u32>>,
}

impl FaultControl {
    /// No call counted yet, `faults` in force.
    pub fn new(faults: Faults) -> Self {
        Self {
            inner: Arc::new(Counted {
                faults: Mutex::new((faults, 0)),
                surname_calls: Mutex::default(),
            }),
        }
    }

    /// The faults in force and the number of this bank call, counting from 1.
    fn next_call(&self) -> (Faults, u64) {
        let mut faults = lock(&self.inner.faults);
        faults.1 += 1;
        (faults.0.clone(), faults.1)
    }

    /// The faults every bank call gets.
    fn faults(&self) -> Faults {
        lock(&self.inner.faults).0.clone()
    }

    /// Replaces the faults every bank call gets, counting calls afresh.
    fn set_faults(&self, faults: Faults) {
        *lock(&self.inner.faults) = (faults, 0);
    }

    /// Counts a call of a surname fault and answers how many there were of this kind and key.
    fn count_fault_call(&self, kind: CallKind, key: &str) -> u32 {
        let mut calls = lock(&self.inner.surname_calls);
        let count = calls.entry((kind, key.to_owned())).or_default();
        *count += 1;
        *count
    }
}

/// Applies a surname's fault before a call does its work: waits, hangs, or fails.
/// `key` names what the call is about (an application id, a create's body), so that the
/// first calls of each kind are counted per application.
pub async fn before(
    state: &FaultControl,
    fault: Option<SurnameFault>,
    kind: CallKind,
    key: &str,
) -> Result<(), BankError> {
    match fault {
        Some(SurnameFault::Slow) => tokio::time::sleep(SLOW_LATENCY).await,
        // The client's timeout ends the connection, and with it this future.
        Some(SurnameFault::Timeout) => std::future::pending::<()>().await,
        Some(SurnameFault::Flaky) => match state.count_fault_call(kind, key) {
            1 => {
                return Err(BankError::server_unavailable(
                    StatusCode::INTERNAL_SERVER_ERROR,
                ))
            }
            n if n <= FLAKY_FAILURES => {
                return Err(BankError::server_unavailable(
                    StatusCode::SERVICE_UNAVAILABLE,
                ))
            }
            _ => {}
        },
        Some(SurnameFault::Drop) | None => {}
    }
    Ok(())
}

/// Whether the answer of a call that has done its work is to be lost: the first call of
/// each kind of a `Dropbank` applicant.
pub fn drops_answer(
    state: &FaultControl,
    fault: Option<SurnameFault>,
    kind: CallKind,
    key: &str,
) -> bool {
    fault == Some(SurnameFault::Drop) && state.count_fault_call(kind, key) == 1
}

/// A response whose body fails before its first byte: hyper then closes the connection
/// without a complete answer, as a crashed bank or a cut network would.
pub fn dropped_connection() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "the sandbox drops this connection on purpose",
        ))
    });
    Response::new(Body::from_stream(failing))
}

/// Middleware of the bank routes applying the configured [`Faults`].
pub async fn global(State(state): State<FaultControl>, request: Request, next: Next) -> Response {
    let (faults, call_number) = state.next_call();
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if faults.hang {
        std::future::pending::<()>().await;
    }
    if faults.fail_every > 0 && call_number % faults.fail_every == 0 {
        return BankError::server_unavailable(StatusCode::INTERNAL_SERVER_ERROR).into_response();
    }
    next.run(request).await
}

/// `POST /sandbox/faults`: replaces the faults applied to every bank call (an empty object
/// switches them off) and answers the faults now in force.
pub async fn set(
    State(state): State<FaultControl>,
    BankJson(faults): BankJson<Faults>,
) -> Json<Faults> {
    tracing::info!(?faults, "faults set");
    state.set_faults(faults.clone());
    Json(faults)
}

/// `GET /sandbox/faults`: the faults applied to every bank call.
pub async fn get(State(state): State<FaultControl>) -> Json<Faults> {
    Json(state.faults())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_surnames_ignore_case_and_surrounding_spaces() {
        assert_eq!(
            SurnameFault::of_surname(Some(" flakyBANK ")),
            Some(SurnameFault::Flaky)
        );
        assert_eq!(
            SurnameFault::of_surname(Some("Slowbank")),
            Some(SurnameFault::Slow)
        );
        assert_eq!(
            SurnameFault::of_surname(Some("Timeoutbank")),
            Some(SurnameFault::Timeout)
        );
        assert_eq!(
            SurnameFault::of_surname(Some("Dropbank")),
            Some(SurnameFault::Drop)
        );
        assert_eq!(SurnameFault::of_surname(Some("Tan")), None);
        assert_eq!(SurnameFault::of_surname(None), None);
    }

    #[tokio::test]
    async fn a_flaky_call_fails_twice_per_kind_and_key_then_works() {
        let state = FaultControl::default();
        let flaky = Some(SurnameFault::Flaky);
        let statuses = |r: Result<(), BankError>| r.err().map(|e| e.status().as_u16());
        assert_eq!(
            statuses(before(&state, flaky, CallKind::Update, "a").await),
            Some(500)
        );
        assert_eq!(
            statuses(before(&state, flaky, CallKind::Update, "a").await),
            Some(503)
        );
        assert_eq!(
            statuses(before(&state, flaky, CallKind::Update, "a").await),
            None
        );
        // Another kind, another application: counted afresh.
        assert_eq!(
            statuses(before(&state, flaky, CallKind::Ipa, "a").await),
            Some(500)
        );
        assert_eq!(
            statuses(before(&state, flaky, CallKind::Update, "b").await),
            Some(500)
        );
    }

    #[test]
    fn only_the_first_dropbank_call_of_each_kind_loses_its_answer() {
        let state = FaultControl::default();
        let drop = Some(SurnameFault::Drop);
        assert!(drops_answer(&state, drop, CallKind::Create, "body"));
        assert!(!drops_answer(&state, drop, CallKind::Create, "body"));
        assert!(drops_answer(&state, drop, CallKind::Ipa, "body"));
        assert!(!drops_answer(&state, None, CallKind::Update, "body"));
    }
}

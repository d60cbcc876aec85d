//! Runs a state-changing request once, to its end, whatever happens to the request.
//!
//! - A replayed idempotency key gets the stored answer; the same key with another request
//!   is refused (`422 idempotency_key_reused`), as the answer stored is not this request's.
//! - The work runs in a task of its own, tracked by the server, holding a lease on the
//!   session that it renews while it works: a customer whose connection drops, or whose
//!   request times out, does not stop the bank calls half-way, and the result is stored.
//! - A request arriving while another holds the session (the same stage retried, on this
//!   instance or another) waits for it to end, then answers from what it stored: the
//!   stored answer for the same key, or the stage run again over the stored state (a
//!   decision already stored is answered, not asked for again).
//! - A lease whose owner died (its instance was killed) lapses after `SESSION_LEASE_MS`,
//!   and the waiting request takes the session over.

use super::context::Journeys;
use super::request::{IdempotencyKey, Session};
use super::session_record::SessionRecord;
use crate::error::AppError;
use crate::telemetry::UpstreamClock;
use crate::time::{millis, now_unix, now_unix_ms};
use onboarding_core::api::{ErrorCode, Progress};
use sha2::{Digest, Sha256};
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;
use tracing::Instrument;

/// How often a waiting request looks whether the session was let go.
const WAIT_POLL: Duration = Duration::from_millis(50);

/// An idempotency key bound to the request it came with, so a replay can tell that it is
/// the same request.
pub struct BoundKey {
    key: IdempotencyKey,
    request_hash: String,
}

impl IdempotencyKey {
    /// Binds the key to its request's body as parsed (`&()` for a call without one).
    pub fn bind<B: serde::Serialize + ?Sized>(self, body: &B) -> Result<BoundKey, AppError> {
        let request_hash = request_hash(&self, body)?;
        Ok(BoundKey {
            key: self,
            request_hash,
        })
    }
}

/// Runs `work` for the session unless this key already ran; keeps a successful answer for
/// replays of the same request. `work` gets the journey's parts and the session, and runs
/// in a tracked task.
pub async fn run_once<W, F>(
    state: Journeys,
    Session(session): Session,
    key: BoundKey,
    work: W,
) -> Result<Progress, AppError>
where
    W: FnOnce(Journeys, SessionRecord) -> F + Send + 'static,
    F: Future<Output = Result<Progress, AppError>> + Send + 'static,
{
    let BoundKey { key, request_hash } = key;
    // Half the request's time may go to waiting for another request of the session; the
    // rest is left for running this one.
    let give_up_at = Instant::now() + state.settings.request_timeout / 2;
    loop {
        // Also where a request with this key and another body, which waited for the first
        // to end, finds the first's answer and is refused.
        if let Some(stored) =
            stored_response(&state, &session.token_hash, &key, &request_hash).await?
        {
            return Ok(stored);
        }
        let owner = uuid::Uuid::new_v4().simple().to_string();
        let now_ms = now_unix_ms();
        let lease_ms = millis(state.settings.session_lease);
        if state
            .store
            .claim_session(&session.token_hash, &owner, now_ms, now_ms + lease_ms)
            .await?
        {
            // In the request's span, so the stage's lines and bank calls carry its id, and
            // on its clock, so its bank calls are told from the BFF's own time.
            let task = state.tasks.spawn(
                UpstreamClock::carry(hold_and_run(
                    state.clone(),
                    session,
                    key,
                    request_hash,
                    owner,
                    work,
                ))
                .instrument(tracing::Span::current()),
            );
            return task.await.map_err(AppError::internal)?;
        }
        if Instant::now() + WAIT_POLL >= give_up_at {
            return Err(AppError::client(
                ErrorCode::RequestInProgress,
                "Another request of this session is being processed; retry shortly.",
            ));
        }
        tokio::time::sleep(WAIT_POLL).await;
    }
}

/// The tracked task: renews the lease while the work runs, saves the answer before it lets
/// the session go, then releases the lease if it is still this owner's.
async fn hold_and_run<W, F>(
    state: Journeys,
    session: SessionRecord,
    key: IdempotencyKey,
    request_hash: String,
    owner: String,
    work: W,
) -> Result<Progress, AppError>
where
    W: FnOnce(Journeys, SessionRecord) -> F,
    F: Future<Output = Result<Progress, AppError>>,
{
    let token_hash = session.token_hash.clone();
    let run = async {
        // A request with this key may have finished between the look-up and the claim; its
        // answer was saved before it let the session go, so looking again finds it.
        if let Some(stored) = stored_response(&state, &token_hash, &key, &request_hash).await? {
            return Ok(stored);
        }
        let progress = work(state.clone(), session).await?;
        let json = serde_json::to_string(&progress).map_err(AppError::internal)?;
        state
            .store
            .save_idempotent_response(&token_hash, &key.0, &json, &request_hash, now_unix())
            .await?;
        Ok(progress)
    };
    let result = tokio::select! {
        biased;
        result = run => result,
        never = keep_lease(&state, &token_hash, &owner) => match never {},
    };
    if let Err(error) = state.store.release_session(&token_hash, &owner).await {
        // The lease lapses by itself; the answer, if any, is saved already.
        tracing::warn!(%error, "could not release the session's lease");
    }
    result
}

/// Renews the lease every third of its length, for as long as the work runs.
async fn keep_lease(state: &Journeys, token_hash: &str, owner: &str) -> std::convert::Infallible {
    let lease = state.settings.session_lease;
    loop {
        tokio::time::sleep(lease / 3).await;
        let until = now_unix_ms() + millis(lease);
        match state.store.renew_lease(token_hash, owner, until).await {
            Ok(true) => {}
            // Only after this task stalled for longer than the lease: the work goes on (a
            // bank call cannot be taken back half-way), and the decision is stored once.
            Ok(false) => tracing::error!("the session's lease lapsed while its request ran"),
            Err(error) => tracing::warn!(%error, "could not renew the session's lease"),
        }
    }
}

/// The SHA-256 of the request: its scoped key (method, path and the key itself), then its
/// body as parsed, serialised again. The parsed body rather than the bytes: the same request
/// re-encoded (spacing, the order of fields) is the same request, and two bodies that parse
/// alike do the same work, which is what a replay stands for (Stripe also compares the
/// parameters, not the bytes). The request types are plain structs with no field skipped,
/// so serialising is deterministic and keeps all they carry. The key salts the hash: a
/// leaked table does not tell which rows hold the same details.
fn request_hash<B: serde::Serialize + ?Sized>(
    key: &IdempotencyKey,
    body: &B,
) -> Result<String, AppError> {
    let body = serde_json::to_vec(body).map_err(AppError::internal)?;
    let digest = Sha256::new()
        .chain_update(key.0.as_bytes())
        .chain_update(b"\n")
        .chain_update(&body)
        .finalize();
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// The stored answer for this key, if this request is the one it answered.
async fn stored_response(
    state: &Journeys,
    token_hash: &str,
    key: &IdempotencyKey,
    request_hash: &str,
) -> Result<Option<Progress>, AppError> {
    let Some((stored, stored_hash)) = state.store.idempotent_response(token_hash, &key.0).await?
    else {
        return Ok(None);
    };
    if !same_request(stored_hash.as_deref(), request_hash) {
        return Err(AppError::client(
            ErrorCode::IdempotencyKeyReused,
            "This Idempotency-Key was used with another request; send a new key with each new request.",
        ));
    }
    serde_json::from_str(&stored)
        .map(Some)
        .map_err(AppError::internal)
}

/// Answers stored before requests were hashed have no hash: they replay as they did.
fn same_request(stored_hash: Option<&str>, request_hash: &str) -> bool {
    stored_hash.is_none_or(|stored| stored == request_hash)
}

#[cfg(test)]
mod tests {
    use super::same_request;

    #[test]
    fn an_answer_stored_without_a_hash_matches_any_request() {
        assert!(same_request(None, "ab12"));
        assert!(same_request(Some("ab12"), "ab12"));
        assert!(!same_request(Some("ab12"), "cd34"));
    }
}

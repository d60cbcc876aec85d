//! Runs a state-changing request once: a replayed key gets the stored answer, and a
//! request arriving while another holds the session is told to retry.

use super::request::{IdempotencyKey, Session};
use crate::error::AppError;
use crate::time::now_unix;
use crate::AppState;
use onboarding_core::api::{ErrorCode, Progress};
use std::future::Future;

/// Longer than any stage can take (the decision's bounded wait plus the bank's timeouts and
/// retries, which the circuit breaker cuts short once the bank keeps failing: with the
/// defaults, five 10 s timeouts open it); after it a crashed request's hold lapses by itself.
const SESSION_LEASE_SECS: i64 = 120;

/// Runs `work` unless this key already ran; keeps a successful answer for replays.
pub async fn run_once(
    state: &AppState,
    session: &Session,
    key: &IdempotencyKey,
    work: impl Future<Output = Result<Progress, AppError>>,
) -> Result<Progress, AppError> {
    let token_hash = &session.0.token_hash;
    if let Some(stored) = stored_response(state, token_hash, key).await? {
        return Ok(stored);
    }
    if !state
        .store
        .claim_session(token_hash, now_unix(), SESSION_LEASE_SECS)
        .await?
    {
        return Err(AppError::client(
            ErrorCode::RequestInProgress,
            "Another request of this session is being processed; retry shortly.",
        ));
    }
    // A request with this key may have finished between the look-up above and the claim;
    // its answer was saved before it let the session go, so looking again finds it.
    let result = match stored_response(state, token_hash, key).await {
        Ok(Some(stored)) => Ok(stored),
        Ok(None) => run_and_save(state, token_hash, key, work).await,
        Err(e) => Err(e),
    };
    let released = state.store.release_session(token_hash).await;
    let progress = result?;
    released?;
    Ok(progress)
}

async fn stored_response(
    state: &AppState,
    token_hash: &str,
    key: &IdempotencyKey,
) -> Result<Option<Progress>, AppError> {
    match state.store.idempotent_response(token_hash, &key.0).await? {
        Some(stored) => serde_json::from_str(&stored)
            .map(Some)
            .map_err(AppError::internal),
        None => Ok(None),
    }
}

/// Runs the work and saves its answer while the session is still held.
async fn run_and_save(
    state: &AppState,
    token_hash: &str,
    key: &IdempotencyKey,
    work: impl Future<Output = Result<Progress, AppError>>,
) -> Result<Progress, AppError> {
    let progress = work.await?;
    let json = serde_json::to_string(&progress).map_err(AppError::internal)?;
    state
        .store
        .save_idempotent_response(token_hash, &key.0, &json, now_unix())
        .await?;
    Ok(progress)
}

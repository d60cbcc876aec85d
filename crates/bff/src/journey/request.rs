//! Extractors for what every API request carries: a JSON body, the session token, an
//! idempotency key.

use crate::error::AppError;
use crate::store::SessionRecord;
use crate::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use onboarding_core::api::{ErrorCode, IDEMPOTENCY_KEY_HEADER, SESSION_HEADER};
use sha2::{Digest, Sha256};

/// A JSON body whose rejections are answered in the API's error format.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError::client(
                    ErrorCode::PayloadTooLarge,
                    "The request body is larger than the API accepts.",
                ))
            }
            Err(rejection) => Err(AppError::client(
                ErrorCode::MalformedRequest,
                body_problem(&rejection),
            )),
        }
    }
}

fn body_problem(rejection: &JsonRejection) -> String {
    format!(
        "The request body is not the JSON this call takes: {}",
        rejection.body_text()
    )
}

/// The session named by the request's bearer token.
pub struct Session(pub SessionRecord);

impl FromRequestParts<AppState> for Session {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(SESSION_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| {
                AppError::client(
                    ErrorCode::SessionRequired,
                    "Send the session token as `Authorization: Bearer <token>`.",
                )
            })?;
        let record = state
            .store
            .find_session(&token_hash(token), crate::time::now_unix())
            .await?
            .ok_or_else(|| {
                AppError::client(
                    ErrorCode::SessionRequired,
                    "The session is unknown or has expired; start a new one.",
                )
            })?;
        state.limits.partner(&record.partner_id)?;
        Ok(Self(record))
    }
}

/// The SHA-256 of a session token, which is all the database keeps of it.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The idempotency key of a state-changing request, scoped to its method and path so a
/// key reused on another stage never replays that stage's answer.
pub struct IdempotencyKey(pub String);

impl<S: Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let key = parts
            .headers
            .get(IDEMPOTENCY_KEY_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let valid = (8..=64).contains(&key.len())
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if valid {
            Ok(Self(format!("{} {} {key}", parts.method, parts.uri.path())))
        } else {
            Err(AppError::client(
                ErrorCode::MalformedRequest,
                "Send an `Idempotency-Key` header of 8 to 64 letters, digits, `-` or `_` (a UUID).",
            ))
        }
    }
}

//! Extractors for what every API request carries: a JSON body, path parameters, the
//! session token, an idempotency key.

use super::session_record::SessionRecord;
use crate::error::AppError;
use crate::store::Store;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use onboarding_core::api::{ErrorCode, IDEMPOTENCY_KEY_HEADER, SESSION_HEADER};
use sha2::{Digest, Sha256};

/// A JSON body whose rejections are answered in the API's error format.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
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

/// Path parameters whose rejections are answered in the API's error format: axum's own
/// answer is plain text (a `reference` that is not UTF-8 once percent-decoded, say).
pub struct ApiPath<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(AppError::client(
                ErrorCode::MalformedRequest,
                format!(
                    "The path is not one this call takes: {}",
                    rejection.body_text()
                ),
            )),
        }
    }
}

/// serde's own words, which name the field (unknown, missing or mistyped) and where it is,
/// without the value: serde quotes what it could not take (`invalid type: string "Tan",
/// expected ...`), and a customer's details have no place in an error message, which
/// proxies, consoles and the partner's logs may keep.
fn body_problem(rejection: &JsonRejection) -> String {
    format!(
        "The request body is not the JSON this call takes: {}",
        without_values(&rejection.body_text())
    )
}

/// Drops the value serde quotes after "invalid type:", "invalid value:" or "unknown
/// variant", up to what was expected (the type's words, after the last ", expected ", as the
/// value may hold those words too).
fn without_values(problem: &str) -> String {
    for quoting in ["invalid type:", "invalid value:", "unknown variant"] {
        if let Some(start) = problem.find(quoting) {
            let kept = &problem[..start + quoting.len()];
            let kept = kept.trim_end_matches(':');
            return match problem.rfind(", expected ") {
                Some(expected) if expected > start => format!("{kept}{}", &problem[expected..]),
                _ => kept.to_owned(),
            };
        }
    }
    problem.to_owned()
}

/// The session named by the request's bearer token.
pub struct Session(pub SessionRecord);

impl<S: Send + Sync> FromRequestParts<S> for Session
where
    Store: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let SessionToken(hash) = SessionToken::from_request_parts(parts, state).await?;
        let session = Store::from_ref(state)
            .find_session(&hash, crate::time::now_unix())
            .await?
            .ok_or_else(SessionToken::unknown)?;
        Ok(Self(session))
    }
}

/// The hash of the request's bearer token, for a handler that reads its session together
/// with more (see [`Session`] for one that reads the session alone).
pub struct SessionToken(pub String);

impl SessionToken {
    /// The answer to a token that names no live session.
    pub fn unknown() -> AppError {
        AppError::client(
            ErrorCode::SessionRequired,
            "The session is unknown or has expired; start a new one.",
        )
    }
}

impl<S: Sync> FromRequestParts<S> for SessionToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
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
        Ok(Self(token_hash(token)))
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

#[cfg(test)]
mod tests {
    use super::without_values;

    #[test]
    fn serde_messages_keep_the_field_and_lose_the_value() {
        assert_eq!(
            without_values(
                "given_name: invalid type: string \"Tan, expected Mei\", expected a string at line 1 column 9"
            ),
            "given_name: invalid type, expected a string at line 1 column 9"
        );
        assert_eq!(
            without_values("invalid value: integer `19880229`, expected a date"),
            "invalid value, expected a date"
        );
        let unknown =
            "unknown field `nickname`, expected one of `title`, `surname` at line 1 column 12";
        assert_eq!(without_values(unknown), unknown);
    }
}

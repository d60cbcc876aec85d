//! connectFi's error answer: an HTTP status and the `{requestId, code, subCode?, context,
//! message}` envelope.

use super::ids;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use connectfi_api::{ErrorEnvelope, ValidationFailure};
use serde_json::{Map, Value};

/// The code of a request that breaks connectFi's schema (inferred: connectFi documents the
/// envelope, not this code's name).
pub const VALIDATION_ERROR: &str = "validationError";
/// The code of a call without a live token, and of a login with wrong credentials.
pub const UNAUTHORIZED: &str = "unauthorized";

/// An error answer of the connectFi side.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectFiError {
    status: StatusCode,
    // Boxed so that `Result<_, ConnectFiError>` stays small on the happy path.
    body: Box<ErrorEnvelope>,
}

impl ConnectFiError {
    fn new(status: StatusCode, code: &str, context: Map<String, Value>, message: &str) -> Self {
        Self {
            status,
            body: Box::new(ErrorEnvelope {
                request_id: ids::request_id(),
                code: code.to_owned(),
                sub_code: None,
                context,
                message: message.to_owned(),
            }),
        }
    }

    /// 401 `unauthorized`, connectFi's documented answer to a failed login; also answered to
    /// a call without a live token.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            UNAUTHORIZED,
            Map::new(),
            "Authentication error",
        )
    }

    /// 400 `validationError`, naming the field when one is to blame.
    pub fn validation(field: Option<&str>, message: &str) -> Self {
        let mut context = Map::new();
        if let Some(field) = field {
            context.insert("field".to_owned(), Value::from(field));
        }
        Self::new(StatusCode::BAD_REQUEST, VALIDATION_ERROR, context, message)
    }

    /// The HTTP status of the answer.
    #[cfg(test)]
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The envelope of the answer.
    #[cfg(test)]
    pub fn body(&self) -> &ErrorEnvelope {
        &self.body
    }
}

impl From<ValidationFailure> for ConnectFiError {
    fn from(failure: ValidationFailure) -> Self {
        Self::validation(Some(failure.field), &failure.rule)
    }
}

impl IntoResponse for ConnectFiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// A path under `/connectfi` that no route serves (code inferred).
pub async fn unknown_route() -> ConnectFiError {
    ConnectFiError::new(
        StatusCode::NOT_FOUND,
        "notFound",
        Map::new(),
        "The requested resource was not found",
    )
}

/// A connectFi path called with a method it does not serve (code inferred).
pub async fn method_not_allowed() -> ConnectFiError {
    ConnectFiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "methodNotAllowed",
        Map::new(),
        "This method is not allowed on this path; connectFi's calls are POST",
    )
}

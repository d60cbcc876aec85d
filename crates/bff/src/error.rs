//! The one error type of the API: client errors are explained, server errors are logged
//! and answered without their details.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use onboarding_core::api::{ApiError, ErrorCode};
use onboarding_core::FieldError;
use std::time::Duration;

/// An error a handler answers with.
#[derive(Debug)]
pub enum AppError {
    /// Something the client can act on; the message is for developers.
    Client {
        code: ErrorCode,
        message: String,
        fields: Vec<FieldError>,
    },
    /// Something that failed on our side or at the bank; logged, never shown.
    Server { code: ErrorCode, cause: String },
    /// Refused before the call was considered, with a status core's codes do not carry
    /// (403, 429) and, for a limit, when to come back.
    Refused {
        status: StatusCode,
        code: ErrorCode,
        message: String,
        retry_after: Option<Duration>,
    },
}

impl AppError {
    /// A client error with an explanation.
    pub fn client(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Client {
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// Fields that broke their rules.
    pub fn invalid_input(fields: Vec<FieldError>) -> Self {
        Self::Client {
            code: ErrorCode::InvalidInput,
            message: "Some fields are not valid; see fields.".into(),
            fields,
        }
    }

    /// A state-changing call that did not come from the widget's own page (403).
    pub fn foreign_origin() -> Self {
        Self::Refused {
            status: StatusCode::FORBIDDEN,
            code: ErrorCode::ForbiddenOrigin,
            message: "State-changing calls are only taken from the card application's own page: \
                      the Origin header is missing or names another site."
                .into(),
            retry_after: None,
        }
    }

    /// Too many calls from one client address or for one partner (429); `whose` says which.
    pub fn too_many_requests(whose: &str, retry_after: Duration) -> Self {
        Self::Refused {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: ErrorCode::TooManyRequests,
            message: format!("Too many requests {whose}; retry after the time in Retry-After."),
            retry_after: Some(retry_after),
        }
    }

    /// A failure on our side, with what to log.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Server {
            code: ErrorCode::Internal,
            cause: cause.to_string(),
        }
    }

    /// The bank could not be used; the cause is logged.
    pub fn bank_unavailable(cause: impl std::fmt::Display) -> Self {
        Self::Server {
            code: ErrorCode::BankUnavailable,
            cause: cause.to_string(),
        }
    }

    /// What the client is told.
    pub fn message(&self) -> String {
        match self {
            Self::Client { message, .. } | Self::Refused { message, .. } => message.clone(),
            Self::Server { code, .. } => public_message(*code).to_owned(),
        }
    }

    /// The code the client sees.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Client { code, .. } | Self::Server { code, .. } | Self::Refused { code, .. } => {
                *code
            }
        }
    }
}

/// A step the journey's plan does not take now: the customer's widget (or a caller) sent
/// it out of turn.
impl From<onboarding_core::plan::Refusal> for AppError {
    fn from(refusal: onboarding_core::plan::Refusal) -> Self {
        Self::client(refusal.code(), refusal.message())
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        // A database that is down or restarting is a moment's wait for the customer, as the
        // bank's is: the designed, retryable 503. Anything else is our fault.
        let code = if crate::store::is_unavailable(&e) {
            ErrorCode::ServiceUnavailable
        } else {
            ErrorCode::Internal
        };
        Self::Server {
            code,
            cause: format!("database: {e}"),
        }
    }
}

/// The message shown for server-side failures, which never carry their cause.
fn public_message(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::BankUnavailable => {
            "The bank is not answering right now. What you entered is saved; try again in a moment."
        }
        ErrorCode::DecisionPending => {
            "The bank is still checking the application; try again in a moment."
        }
        ErrorCode::ServiceUnavailable => {
            "The service is briefly unavailable; nothing was changed. Try again in a moment."
        }
        _ => "Something went wrong on our side. It has been logged; try again in a moment.",
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message, fields, retry_after) = match self {
            Self::Client {
                code,
                message,
                fields,
            } => (code.http_status(), code, message, fields, None),
            Self::Server { code, cause } => {
                tracing::error!(error.code = ?code, %cause, "request failed");
                let message = public_message(code).to_owned();
                (code.http_status(), code, message, Vec::new(), None)
            }
            Self::Refused {
                status,
                code,
                message,
                retry_after,
            } => (status.as_u16(), code, message, Vec::new(), retry_after),
        };
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ApiError {
            code,
            message,
            retryable: code.retryable(),
            fields,
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(wait) = retry_after {
            // Whole seconds, rounded up: coming back a little early would be refused again.
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        response
    }
}

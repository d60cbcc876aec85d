//! The one error type of the API: client errors are explained, server errors are logged
//! and answered without their details.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use onboarding_core::api::{ApiError, ErrorCode};
use onboarding_core::FieldError;

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
            Self::Client { message, .. } => message.clone(),
            Self::Server { code, .. } => public_message(*code).to_owned(),
        }
    }

    /// The code the client sees.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Client { code, .. } | Self::Server { code, .. } => *code,
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        Self::internal(format!("database: {e}"))
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
        _ => "Something went wrong on our side. It has been logged; try again in a moment.",
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (code, message, fields) = match self {
            Self::Client {
                code,
                message,
                fields,
            } => (code, message, fields),
            Self::Server { code, cause } => {
                tracing::error!(error.code = ?code, %cause, "request failed");
                (code, public_message(code).to_owned(), Vec::new())
            }
        };
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ApiError {
            code,
            message,
            retryable: code.retryable(),
            fields,
        };
        (status, Json(body)).into_response()
    }
}

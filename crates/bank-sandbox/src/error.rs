//! The one error type of the sandbox, answered in the bank's `ErrorList` format.

use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bank_api::{BankErrorCode, ErrorList, ErrorResponse, ErrorType};

/// An error answer: an HTTP status and the bank's error body.
#[derive(Debug, Clone, PartialEq)]
pub struct BankError {
    status: StatusCode,
    body: ErrorList,
}

impl BankError {
    /// One of the swagger's codes, with its own status, type and details.
    pub fn code(code: BankErrorCode) -> Self {
        Self::from_list(code.http_status(), code.to_error_list(None))
    }

    /// One of the swagger's codes, naming the field that caused it.
    pub fn code_at(code: BankErrorCode, location: &str) -> Self {
        Self::from_list(code.http_status(), code.to_error_list(Some(location)))
    }

    /// `invalidRequest` with details saying what is wrong, so a partner's developer can fix
    /// the call without guessing; the swagger's generic details open the text.
    pub fn invalid_request(location: Option<&str>, problem: impl AsRef<str>) -> Self {
        let code = BankErrorCode::InvalidRequest;
        let mut list = code.to_error_list(location);
        for error in &mut list.errors {
            error.details = Some(format!("{}: {}", code.details(), problem.as_ref()));
        }
        Self::from_list(code.http_status(), list)
    }

    /// The standard 404 of the bank's error table, which the IPA swagger does not list.
    pub fn resource_not_found(what: impl AsRef<str>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            body: ErrorList {
                errors: vec![ErrorResponse {
                    kind: ErrorType::Error,
                    code: "resourceNotFound".to_owned(),
                    details: Some(format!("{} was not found", what.as_ref())),
                    location: None,
                }],
            },
        }
    }

    /// `serverUnavailable` with a 5xx status of the caller's choice (the bank's gateway
    /// answers 503 as well as the swagger's 500).
    pub fn server_unavailable(status: StatusCode) -> Self {
        let code = BankErrorCode::ServerUnavailable;
        Self {
            status,
            body: code.to_error_list(None),
        }
    }

    /// The HTTP status of the answer.
    #[cfg(test)]
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Where the first error points.
    #[cfg(test)]
    pub fn location(&self) -> Option<&str> {
        self.body.errors.first()?.location.as_deref()
    }

    fn from_list(status: u16, body: ErrorList) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body,
        }
    }
}

impl IntoResponse for BankError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

impl From<JsonRejection> for BankError {
    fn from(rejection: JsonRejection) -> Self {
        let text = rejection.body_text();
        Self::invalid_request(json_location(&text).as_deref(), text)
    }
}

impl From<PathRejection> for BankError {
    fn from(rejection: PathRejection) -> Self {
        Self::invalid_request(Some("path"), rejection.body_text())
    }
}

impl From<QueryRejection> for BankError {
    fn from(rejection: QueryRejection) -> Self {
        Self::invalid_request(Some("query"), rejection.body_text())
    }
}

impl From<FormRejection> for BankError {
    fn from(rejection: FormRejection) -> Self {
        match rejection {
            FormRejection::InvalidFormContentType(_) => Self::invalid_request(
                Some("Content-Type"),
                "the token request must be sent as application/x-www-form-urlencoded",
            ),
            other => Self::invalid_request(None, other.body_text()),
        }
    }
}

/// The field a JSON data error points at, read from axum's rejection text, which carries
/// serde's path (`applicant.name: missing field `givenName` at line 1 column 9`).
fn json_location(text: &str) -> Option<String> {
    let rest = text.split_once("target type: ")?.1;
    let (path, error) = match rest.split_once(": ") {
        Some((path, error)) if !path.contains(' ') => (Some(path), error),
        _ => (None, rest),
    };
    let missing = error
        .strip_prefix("missing field `")
        .and_then(|s| s.split_once('`'))
        .map(|(field, _)| field);
    match (path, missing) {
        (Some(path), Some(field)) => Some(format!("{path}.{field}")),
        (Some(path), None) => Some(path.to_owned()),
        (None, Some(field)) => Some(field.to_owned()),
        (None, None) => None,
    }
}

/// Answers a path no route serves, as the bank's 404.
pub async fn unknown_route() -> BankError {
    BankError::resource_not_found("The requested resource")
}

/// Answers a known path called with a method it does not serve.
pub async fn method_not_allowed() -> Response {
    let mut error = BankError::invalid_request(None, "this method is not allowed on this path");
    error.status = StatusCode::METHOD_NOT_ALLOWED;
    error.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_locations_follow_serdes_path() {
        let prefix = "Failed to deserialize the JSON body into the target type: ";
        assert_eq!(
            json_location(&format!(
                "{prefix}applicant.name: missing field `givenName` at line 1 column 9"
            ))
            .as_deref(),
            Some("applicant.name.givenName")
        );
        assert_eq!(
            json_location(&format!(
                "{prefix}missing field `controlFlowId` at line 1 column 2"
            ))
            .as_deref(),
            Some("controlFlowId")
        );
        assert_eq!(
            json_location(&format!(
                "{prefix}applicant.phone[0].phoneNumber: invalid type: integer `5`, expected a string at line 1 column 3"
            ))
            .as_deref(),
            Some("applicant.phone[0].phoneNumber")
        );
        assert_eq!(
            json_location("Failed to parse the request body as JSON: EOF"),
            None
        );
    }

    #[test]
    fn invalid_request_keeps_the_swagger_shape() {
        let error = BankError::invalid_request(Some("uuid"), "the uuid header is missing");
        assert_eq!(error.status, StatusCode::BAD_REQUEST);
        let e = &error.body.errors[0];
        assert_eq!(e.kind, ErrorType::Invalid);
        assert_eq!(e.code, "invalidRequest");
        assert_eq!(e.location.as_deref(), Some("uuid"));
        assert_eq!(
            e.details.as_deref(),
            Some("Missing or invalid Parameters: the uuid header is missing")
        );
    }

    #[test]
    fn every_swagger_code_keeps_its_status() {
        for code in BankErrorCode::ALL {
            assert_eq!(BankError::code(code).status.as_u16(), code.http_status());
        }
    }
}

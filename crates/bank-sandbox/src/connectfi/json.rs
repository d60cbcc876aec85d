//! Request bodies: JSON read into a `connectfi-api` type, with every way a body can be
//! wrong answered as `400 validationError`, naming the field where there is one.

use super::error::ConnectFiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

/// A JSON body of a connectFi type.
pub struct ConnectFiJson<T>(pub T);

impl<T, S> FromRequest<S> for ConnectFiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ConnectFiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ConnectFiError> {
        let json_body = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"));
        if !json_body {
            return Err(ConnectFiError::validation(
                None,
                "the Content-Type header must be application/json",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| ConnectFiError::validation(None, &rejection.body_text()))?;
        parse(&bytes).map(Self)
    }
}

/// Reads `bytes` as a `T`, or says what is wrong and where.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ConnectFiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let inner = error.inner();
        match inner.classify() {
            Category::Syntax | Category::Eof | Category::Io => {
                ConnectFiError::validation(None, &format!("the body is not valid JSON: {inner}"))
            }
            Category::Data => {
                let field = field_of(&error.path().to_string(), &inner.to_string());
                let message = match &field {
                    Some(field) => format!("{field}: {inner}"),
                    None => inner.to_string(),
                };
                ConnectFiError::validation(field.as_deref(), &message)
            }
        }
    })?;
    deserializer.end().map_err(|e| {
        ConnectFiError::validation(None, &format!("the body is not valid JSON: {e}"))
    })?;
    Ok(value)
}

/// The JSON name of the field a data error is about: the path serde reached (`.` for the
/// top level) and, for a missing field, that field's name from serde's message.
fn field_of(path: &str, message: &str) -> Option<String> {
    let path = (path != ".").then_some(path);
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(field, _)| field);
    match (path, missing) {
        (Some(path), Some(field)) => Some(format!("{path}.{field}")),
        (Some(path), None) => Some(path.to_owned()),
        (None, Some(field)) => Some(field.to_owned()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connectfi_api::{CreditApplicationRequest, GetTokenRequest};

    fn field<T: DeserializeOwned>(body: &str) -> Option<String> {
        let error = parse::<T>(body.as_bytes()).err().expect("the body parsed");
        assert_eq!(error.status().as_u16(), 400);
        assert_eq!(error.body().code, "validationError");
        error
            .body()
            .context
            .get("field")
            .map(|f| f.as_str().unwrap().to_owned())
    }

    #[test]
    fn missing_and_mistyped_fields_are_named() {
        assert_eq!(
            field::<CreditApplicationRequest>(
                r#"{"employer":"A","totalAnnualIncome":1,"totalAnnualIncomeCurrency":"USD"}"#
            )
            .as_deref(),
            Some("customerId")
        );
        assert_eq!(
            field::<CreditApplicationRequest>(r#"{"customerId":"c","employer":"A","totalAnnualIncome":"50000","totalAnnualIncomeCurrency":"USD"}"#).as_deref(),
            Some("totalAnnualIncome")
        );
        assert_eq!(
            field::<CreditApplicationRequest>(r#"{"customerId":"c","employer":null,"totalAnnualIncome":1,"totalAnnualIncomeCurrency":"USD"}"#).as_deref(),
            Some("employer")
        );
        assert_eq!(field::<GetTokenRequest>(r#"{}"#).as_deref(), Some("user"));
        assert_eq!(
            field::<GetTokenRequest>(r#"{"user":{"login":"demo"}}"#).as_deref(),
            Some("user.password")
        );
        assert_eq!(
            field::<GetTokenRequest>(r#"{"user":{"login":7,"password":"p"}}"#).as_deref(),
            Some("user.login")
        );
    }

    #[test]
    fn a_body_that_is_not_json_names_no_field() {
        assert_eq!(field::<GetTokenRequest>("{"), None);
        assert_eq!(field::<GetTokenRequest>("user=demo"), None);
        assert_eq!(field::<GetTokenRequest>(""), None);
        assert_eq!(field::<GetTokenRequest>("null"), None);
        assert_eq!(
            field::<GetTokenRequest>(r#"{"user":{"login":"a","password":"b"}} trailing"#),
            None
        );
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let request: GetTokenRequest =
            parse(br#"{"user":{"login":"a","password":"b","requestId":"r"},"extra":1}"#).unwrap();
        assert_eq!(request.user.login, "a");
    }
}

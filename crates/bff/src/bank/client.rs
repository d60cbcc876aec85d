//! HTTP calls to the bank: credentials, the headers every call needs, and error bodies.

use super::paths::call_name;
use super::resilience::Upstream;
use super::token::TokenCache;
use crate::config::BankSettings;
use crate::telemetry::Metrics;
use bank_api::{headers, paths, BankErrorCode, ErrorList};
use onboarding_core::{Language, Market};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use std::future::Future;
use std::time::Duration;
use tracing::Instrument;

/// What a call to the bank can end in, besides success.
#[derive(Debug)]
pub enum BankError {
    /// The bank answered with an error body.
    Refused {
        status: StatusCode,
        code: Option<BankErrorCode>,
        raw_code: String,
        location: Option<String>,
    },
    /// No answer: connection refused, reset, or timed out.
    Unreachable(String),
    /// An answer that is not what the contract says.
    Unexpected(String),
    /// Not sent: the bank kept failing and the circuit breaker is open.
    CircuitOpen,
}

impl BankError {
    /// The swagger error code of a refusal.
    pub fn code(&self) -> Option<BankErrorCode> {
        match self {
            Self::Refused { code, .. } => *code,
            _ => None,
        }
    }

    /// A call that got no answer, with every cause: a refused TLS handshake says why
    /// (`CertificateRequired`, `UnknownIssuer`...) only in the error's sources.
    pub fn unreachable(error: reqwest::Error) -> Self {
        let mut text = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        Self::Unreachable(text)
    }

    /// Whether the same call may well succeed if sent again: a 5xx, a timeout or a
    /// connection error. The bank's 4xx answers are considered and would only repeat.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Refused { status, .. } => status.is_server_error(),
            Self::Unreachable(_) => true,
            Self::Unexpected(_) | Self::CircuitOpen => false,
        }
    }
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused {
                status,
                raw_code,
                location,
                ..
            } => {
                write!(f, "bank refused with {status} {raw_code}")?;
                location.as_ref().map_or(Ok(()), |l| write!(f, " at {l}"))
            }
            Self::Unreachable(e) => write!(f, "bank unreachable: {e}"),
            Self::Unexpected(e) => write!(f, "unexpected bank answer: {e}"),
            Self::CircuitOpen => {
                f.write_str("bank not called: it kept failing and the circuit breaker is open")
            }
        }
    }
}

/// Whom a call is made for: the bank reads the market from `countryCode` and writes its
/// reference data's labels and its messages to the customer in the `Accept-Language`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CustomerLocale {
    pub market: Market,
    pub language: Language,
}

/// A client of the bank's API, holding the credentials, the token cache and the circuit
/// breaker every call of this process shares.
pub struct BankClient {
    upstream: Upstream,
    base_url: String,
    settings: BankSettings,
    tokens: TokenCache,
}

impl BankClient {
    /// A client of the bank at `base_url` (ending in `/api`), its calls counted in `metrics`.
    pub fn new(base_url: String, settings: BankSettings, metrics: Metrics) -> Self {
        Self {
            upstream: Upstream::new("bank", &settings.resilience, &settings.tls, metrics),
            base_url: base_url.trim_end_matches('/').to_owned(),
            settings,
            tokens: TokenCache::default(),
        }
    }

    /// Whether the circuit breaker fails the bank's calls fast now.
    pub fn is_circuit_open(&self) -> bool {
        self.upstream.is_open()
    }

    /// Runs the attempts of call `call` through the retry policy and the circuit breaker.
    async fn resilient<T, Fut>(
        &self,
        call: &'static str,
        attempt: impl FnMut() -> Fut,
    ) -> Result<T, BankError>
    where
        Fut: Future<Output = Result<T, BankError>>,
    {
        self.upstream.run(call, &self.upstream.retry, attempt).await
    }

    /// Calls a resource of the bank, retrying transient failures (see `resilience.rs` for
    /// why every call is safe to retry). A 401 is answered once by fetching a new token and
    /// sending again: the bank may have revoked a token we still thought valid.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        locale: CustomerLocale,
        body: Option<&impl Serialize>,
    ) -> Result<T, BankError> {
        // One uuid for every attempt of this call, so the bank can tell a retry from a new
        // request: a create or an IPA whose answer was lost is then answered, not repeated.
        let uuid = uuid::Uuid::new_v4().to_string();
        self.call_as(method, path, locale, body, &uuid).await
    }

    /// As [`call`](Self::call), with the caller's `uuid`: the same logical request made
    /// again later (a customer's retry) may carry the same key.
    ///
    /// The call's span carries its name and `uuid`, inside the request's span with its
    /// request id: the bank's logs are found by the uuid, and ours by the request id.
    pub async fn call_as<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        locale: CustomerLocale,
        body: Option<&impl Serialize>,
        uuid: &str,
    ) -> Result<T, BankError> {
        let call = call_name(&method, path);
        let span = tracing::info_span!("bank_call", call, uuid);
        self.upstream
            .call(
                call,
                self.authorised(call, method, path, locale, body, uuid),
            )
            .instrument(span)
            .await
    }

    /// The attempts of one call with the cached token, and with a new one if the bank
    /// refuses it.
    async fn authorised<T: DeserializeOwned>(
        &self,
        call: &'static str,
        method: Method,
        path: &str,
        locale: CustomerLocale,
        body: Option<&impl Serialize>,
        uuid: &str,
    ) -> Result<T, BankError> {
        let market = locale.market;
        let token = self.token(market).await?;
        let attempts = |token: String| {
            let method = &method;
            move || {
                let token = token.clone();
                async move {
                    self.send(method.clone(), path, locale, body, &token, uuid)
                        .await
                }
            }
        };
        match self.resilient(call, attempts(token.clone())).await {
            Err(BankError::Refused {
                status: StatusCode::UNAUTHORIZED,
                ..
            }) => {
                tracing::warn!(
                    path,
                    "bank refused the token; fetching a new one and retrying once"
                );
                self.tokens.invalidate(market.code(), &token).await;
                let token = self.token(market).await?;
                self.resilient(call, attempts(token)).await
            }
            other => other,
        }
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        locale: CustomerLocale,
        body: Option<&impl Serialize>,
        token: &str,
        uuid: &str,
    ) -> Result<T, BankError> {
        let mut request = self
            .upstream
            .http
            .request(method, format!("{}{path}", self.base_url))
            .bearer_auth(token)
            .header(headers::CLIENT_ID, &self.settings.client_id)
            .header(headers::UUID, uuid)
            .header(headers::COUNTRY_CODE, locale.market.code())
            .header(reqwest::header::ACCEPT_LANGUAGE, locale.language.tag())
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(BankError::unreachable)?;
        read(response).await
    }

    async fn token(&self, market: Market) -> Result<String, BankError> {
        self.tokens
            .get_or_refresh(market.code(), || async {
                let path = paths::token(market.code());
                let uuid = uuid::Uuid::new_v4().to_string();
                // A token request changes nothing at the bank: retried like a read.
                let span = tracing::info_span!("bank_call", call = "token", uuid = %uuid);
                let fetch = self.resilient("token", || async {
                    let response = self
                        .upstream
                        .http
                        .post(format!("{}{path}", self.base_url))
                        .basic_auth(
                            &self.settings.client_id,
                            Some(self.settings.client_secret.expose()),
                        )
                        .header(reqwest::header::ACCEPT, "application/json")
                        .header(headers::UUID, &uuid)
                        .form(&[("grant_type", "client_credentials"), ("scope", "/api")])
                        .send()
                        .await
                        .map_err(BankError::unreachable)?;
                    read(response).await
                });
                let token: bank_api::TokenResponse =
                    self.upstream.call("token", fetch).instrument(span).await?;
                Ok((token.access_token, Duration::from_secs(token.expires_in)))
            })
            .await
    }
}

/// Where and how an answer's body breaks the contract, without the values: serde's own
/// message quotes the offending value, which in an application's answer may be the
/// customer's name or details, and this text is logged.
pub(crate) fn body_mismatch(error: &serde_json::Error) -> String {
    format!(
        "{:?} error at line {} column {}",
        error.classify(),
        error.line(),
        error.column()
    )
}

/// Reads a success body, or the bank's ErrorList.
async fn read<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, BankError> {
    let status = response.status();
    let bytes = response.bytes().await.map_err(BankError::unreachable)?;
    if status.is_success() {
        return serde_json::from_slice(&bytes)
            .map_err(|e| BankError::Unexpected(format!("{status} body: {}", body_mismatch(&e))));
    }
    match serde_json::from_slice::<ErrorList>(&bytes)
        .ok()
        .and_then(|list| list.errors.into_iter().next())
    {
        Some(error) => Err(BankError::Refused {
            status,
            code: BankErrorCode::from_code(&error.code),
            raw_code: error.code,
            location: error.location,
        }),
        None => Err(BankError::Refused {
            status,
            code: None,
            raw_code: format!("(no error body, {} bytes)", bytes.len()),
            location: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_body_that_breaks_the_contract_is_described_without_its_values() {
        // serde's own message would be "invalid type: integer `1234567`, expected a string".
        let body = r#"{"applicationId":"A1","applicationStage":"S","controlFlowId":1234567}"#;
        let response = reqwest::Response::from(
            axum::http::Response::builder()
                .status(200)
                .body(body)
                .unwrap(),
        );
        let error = read::<bank_api::ApplicationAddResponse>(response)
            .await
            .unwrap_err();
        let logged = error.to_string();
        assert!(logged.contains("line 1 column"), "{logged}");
        assert!(!logged.contains("1234567"), "{logged}");
    }
}

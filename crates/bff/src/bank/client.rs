//! HTTP calls to the bank: credentials, the headers every call needs, and error bodies.

use super::token::TokenCache;
use crate::config::BankSettings;
use bank_api::{headers, paths, BankErrorCode, ErrorList};
use onboarding_core::Market;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use std::time::Duration;

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
}

impl BankError {
    /// The swagger error code of a refusal.
    pub fn code(&self) -> Option<BankErrorCode> {
        match self {
            Self::Refused { code, .. } => *code,
            _ => None,
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
        }
    }
}

/// A client of the bank's API, holding the credentials and the token cache.
pub struct BankClient {
    http: reqwest::Client,
    base_url: String,
    settings: BankSettings,
    tokens: TokenCache,
}

impl BankClient {
    /// A client of the bank at `base_url` (ending in `/api`).
    pub fn new(base_url: String, settings: BankSettings) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(10))
            .build()
            .expect("the HTTP client's fixed settings are valid");
        Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            settings,
            tokens: TokenCache::default(),
        }
    }

    /// Calls a resource of the bank. A 401 is answered once by fetching a new token and
    /// sending again: the bank may have revoked a token we still thought valid.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        market: Market,
        body: Option<&impl Serialize>,
    ) -> Result<T, BankError> {
        let token = self.token(market).await?;
        match self.send(method.clone(), path, market, body, &token).await {
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
                self.send(method, path, market, body, &token).await
            }
            other => other,
        }
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        market: Market,
        body: Option<&impl Serialize>,
        token: &str,
    ) -> Result<T, BankError> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base_url))
            .bearer_auth(token)
            .header(headers::CLIENT_ID, &self.settings.client_id)
            .header(headers::UUID, uuid::Uuid::new_v4().to_string())
            .header(headers::COUNTRY_CODE, market.code())
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| BankError::Unreachable(e.to_string()))?;
        read(response).await
    }

    async fn token(&self, market: Market) -> Result<String, BankError> {
        self.tokens
            .get_or_refresh(market.code(), || async {
                let response = self
                    .http
                    .post(format!("{}{}", self.base_url, paths::token(market.code())))
                    .basic_auth(
                        &self.settings.client_id,
                        Some(self.settings.client_secret.expose()),
                    )
                    .header(reqwest::header::ACCEPT, "application/json")
                    .header(headers::UUID, uuid::Uuid::new_v4().to_string())
                    .form(&[("grant_type", "client_credentials"), ("scope", "/api")])
                    .send()
                    .await
                    .map_err(|e| BankError::Unreachable(e.to_string()))?;
                let token: bank_api::TokenResponse = read(response).await?;
                Ok((token.access_token, Duration::from_secs(token.expires_in)))
            })
            .await
    }
}

/// Reads a success body, or the bank's ErrorList.
async fn read<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, BankError> {
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| BankError::Unreachable(e.to_string()))?;
    if status.is_success() {
        return serde_json::from_slice(&bytes)
            .map_err(|e| BankError::Unexpected(format!("{status} body: {e}")));
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

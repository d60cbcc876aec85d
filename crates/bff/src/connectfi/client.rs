//! HTTP calls to connectFi: the login token, `x-connectfi-token` on every call, and its
//! error envelope read into the same [`BankError`] the bank's calls end in, so the journey
//! answers the customer the same way whichever provider failed.

use crate::bank::resilience::{RetryPolicy, Upstream};
use crate::bank::{body_mismatch, BankError, TokenCache};
use crate::config::ConnectFiSettings;
use crate::telemetry::Metrics;
use connectfi_api::{
    paths, CreditApplication, CreditApplicationRequest, Envelope, ErrorEnvelope, GetTokenRequest,
    KycStatus, KycStatusRequest, Token, User, TOKEN_HEADER,
};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::time::Duration;
use tracing::Instrument;

/// The token cache's key: connectFi has one login for every market.
const TOKEN_KEY: &str = "connectfi";
/// How long a token is trusted when its expiry cannot be read.
const FALLBACK_TOKEN_LIFETIME: Duration = Duration::from_secs(300);

/// A client of connectFi, holding the login, the token and the circuit breaker every call
/// of this process shares.
pub struct ConnectFiClient {
    upstream: Upstream,
    base_url: String,
    settings: ConnectFiSettings,
    tokens: TokenCache,
}

impl ConnectFiClient {
    /// A client of connectFi at `base_url`, its calls counted in `metrics`.
    pub fn new(base_url: String, settings: ConnectFiSettings, metrics: Metrics) -> Self {
        Self {
            upstream: Upstream::new("connectfi", &settings.resilience, &settings.tls, metrics),
            base_url: base_url.trim_end_matches('/').to_owned(),
            settings,
            tokens: TokenCache::default(),
        }
    }

    /// The customer's KYC status. A read, so transient failures are retried.
    pub async fn kyc_status(&self, customer_id: &str) -> Result<KycStatus, BankError> {
        let request = KycStatusRequest {
            customer_id: customer_id.to_owned(),
            application_id: None,
        };
        self.call(paths::KYC_STATUS, &request, &self.upstream.retry)
            .await
    }

    /// Applies for the card. Never retried: connectFi opens a new application for every
    /// request, identical or not, so a retry after a lost answer would apply twice.
    pub async fn apply(
        &self,
        request: &CreditApplicationRequest,
    ) -> Result<CreditApplication, BankError> {
        // Checked with connectFi's own rules first: a refusal here is our mapping's bug.
        request.validate().map_err(|f| {
            BankError::Unexpected(format!(
                "credit application breaks connectFi's rule for {}: {}",
                f.field, f.rule
            ))
        })?;
        let once = RetryPolicy {
            retries: 0,
            ..self.upstream.retry.clone()
        };
        self.call(paths::CREDIT_APPLICATION, request, &once).await
    }

    /// Whether the circuit breaker fails connectFi's calls fast now.
    pub fn is_circuit_open(&self) -> bool {
        self.upstream.is_open()
    }

    /// One logical call, counted and logged in a span naming it.
    async fn call<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
        retry: &RetryPolicy,
    ) -> Result<T, BankError> {
        let call = call_name(path);
        let span = tracing::info_span!("connectfi_call", call);
        self.upstream
            .call(call, self.authorised(call, path, body, retry))
            .instrument(span)
            .await
    }

    /// A POST with the token; a 401 is answered once with a new token, as connectFi may
    /// expire a token before the date it gave. A 401 means nothing was done, so sending
    /// again never repeats work.
    async fn authorised<T: DeserializeOwned>(
        &self,
        call: &'static str,
        path: &str,
        body: &impl Serialize,
        retry: &RetryPolicy,
    ) -> Result<T, BankError> {
        let token = self.token().await?;
        let attempts = |token: String| {
            move || {
                let token = token.clone();
                async move { self.send(path, body, &token).await }
            }
        };
        match self
            .upstream
            .run(call, retry, attempts(token.clone()))
            .await
        {
            Err(BankError::Refused {
                status: StatusCode::UNAUTHORIZED,
                ..
            }) => {
                tracing::warn!(
                    path,
                    "connectFi refused the token; logging in again and retrying once"
                );
                self.tokens.invalidate(TOKEN_KEY, &token).await;
                let token = self.token().await?;
                self.upstream.run(call, retry, attempts(token)).await
            }
            other => other,
        }
    }

    async fn send<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
        token: &str,
    ) -> Result<T, BankError> {
        let response = self
            .upstream
            .http
            .post(format!("{}{path}", self.base_url))
            .header(TOKEN_HEADER, token)
            .json(body)
            .send()
            .await
            .map_err(BankError::unreachable)?;
        read(response).await
    }

    async fn token(&self) -> Result<String, BankError> {
        self.tokens
            .get_or_refresh(TOKEN_KEY, || async {
                let request = GetTokenRequest {
                    user: User {
                        login: self.settings.login.clone(),
                        password: self.settings.password.expose().to_owned(),
                    },
                };
                // A login changes nothing at connectFi: retried like a read.
                let call = call_name(paths::GET_TOKEN);
                let login = self.upstream.run(call, &self.upstream.retry, || async {
                    let response = self
                        .upstream
                        .http
                        .post(format!("{}{}", self.base_url, paths::GET_TOKEN))
                        .json(&request)
                        .send()
                        .await
                        .map_err(BankError::unreachable)?;
                    read(response).await
                });
                let token: Token = self
                    .upstream
                    .call(call, login)
                    .instrument(tracing::info_span!("connectfi_call", call))
                    .await?;
                Ok((token.token, lifetime_until(&token.dts_expire_at)))
            })
            .await
    }
}

/// The stable name of the connectFi call to `path`, for metrics and logs.
fn call_name(path: &str) -> &'static str {
    match path {
        paths::GET_TOKEN => "token",
        paths::KYC_STATUS => "kyc_status",
        paths::CREDIT_APPLICATION => "credit_application",
        _ => "other",
    }
}

/// How long until an RFC 3339 UTC time (`2026-11-22T10:00:00.000Z`), from the system clock.
fn lifetime_until(expire_at: &str) -> Duration {
    let Some(at) = crate::time::parse_utc(expire_at) else {
        tracing::warn!(
            expire_at,
            "connectFi token expiry not understood; trusting it briefly"
        );
        return FALLBACK_TOKEN_LIFETIME;
    };
    let now = crate::time::now_unix();
    Duration::from_secs(u64::try_from(at - now).unwrap_or(0))
}

/// Reads a success envelope's data, or connectFi's error envelope.
async fn read<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, BankError> {
    let status = response.status();
    let bytes = response.bytes().await.map_err(BankError::unreachable)?;
    if status.is_success() {
        let envelope: Envelope<T> = serde_json::from_slice(&bytes).map_err(|e| {
            BankError::Unexpected(format!("connectFi {status} body: {}", body_mismatch(&e)))
        })?;
        return if envelope.is_success() {
            Ok(envelope.data)
        } else {
            Err(BankError::Unexpected(format!(
                "connectFi answered {status} with code {:?}",
                envelope.code
            )))
        };
    }
    let (raw_code, location) = match serde_json::from_slice::<ErrorEnvelope>(&bytes) {
        Ok(error) => {
            // Not its message: connectFi words it from the request, which may quote the
            // customer's details back.
            tracing::info!(request_id = %error.request_id, code = %error.code, "connectFi refused");
            let field = error
                .context
                .get("field")
                .and_then(|f| f.as_str())
                .map(str::to_owned);
            (error.code, field)
        }
        Err(_) => (format!("(no error body, {} bytes)", bytes.len()), None),
    };
    Err(BankError::Refused {
        status,
        code: None,
        raw_code,
        location,
    })
}

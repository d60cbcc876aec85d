//! OAuth2 client credentials (the token endpoint) and the header checks every resource
//! call passes, in the order the bank's gateway applies them.

use crate::error::BankError;
use crate::extract::BankPath;
use crate::languages::customer_language;
use crate::markets::{ApiVariant, Market};
use crate::state::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{ACCEPT, ACCEPT_LANGUAGE, AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, Method, StatusCode};
use axum::{Form, Json};
use bank_api::{headers, BankErrorCode, Language, TokenResponse};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The only scope the bank issues to partners.
const SCOPE: &str = "/api";

/// `POST /api/clientCredentials/oauth2/token/{countryCode}/gcb`: a bearer token for the
/// registered client.
pub async fn issue_token(
    State(state): State<AppState>,
    BankPath(country_code): BankPath<String>,
    request_headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Result<Json<TokenResponse>, BankError> {
    // Credentials come first: an unknown caller learns nothing about its request's shape.
    let config = state.config();
    let known_client = basic_credentials(&request_headers)
        .is_some_and(|(id, secret)| id == config.client_id && secret == config.client_secret);
    if !known_client {
        return Err(BankError::code(BankErrorCode::UnAuthorized));
    }
    let Form(form) = form?;
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {}
        Some(other) => {
            return Err(BankError::invalid_request(
                Some("grant_type"),
                format!("grant_type must be client_credentials, not {other:?}"),
            ))
        }
        None => {
            return Err(BankError::invalid_request(
                Some("grant_type"),
                "grant_type=client_credentials is required",
            ))
        }
    }
    let scopes = form.get("scope").map(String::as_str).unwrap_or_default();
    if !scopes.split(' ').any(|s| s == SCOPE) {
        return Err(BankError::invalid_request(
            Some("scope"),
            format!("scope must include {SCOPE}"),
        ));
    }
    if Market::from_code(&country_code.to_ascii_uppercase()).is_none() {
        return Err(BankError::invalid_request(
            Some("countryCode"),
            format!("the sandbox serves no market {country_code:?}"),
        ));
    }

    let access_token = uuid::Uuid::new_v4().simple().to_string();
    let lifetime = config.token_lifetime;
    // A lifetime too long for the clock to represent is, in practice, forever.
    let expires_at = Instant::now()
        .checked_add(lifetime)
        .unwrap_or_else(|| Instant::now() + Duration::from_secs(100 * 365 * 86_400));
    state.remember_token(access_token.clone(), expires_at);
    tracing::info!(country_code, "access token issued");
    Ok(Json(TokenResponse {
        access_token,
        token_type: "bearer".to_owned(),
        expires_in: lifetime.as_secs(),
        scope: SCOPE.to_owned(),
    }))
}

/// `DELETE /sandbox/tokens`: forgets every issued token, as a bank revoking them would.
pub async fn revoke_tokens(State(state): State<AppState>) -> StatusCode {
    state.forget_tokens();
    tracing::info!("every access token revoked");
    StatusCode::NO_CONTENT
}

/// Client id and secret from `Authorization: Basic base64(id:secret)`.
fn basic_credentials(request_headers: &HeaderMap) -> Option<(String, String)> {
    let (scheme, encoded) = header(request_headers, AUTHORIZATION.as_str())?.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("Basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// Proof that a resource call carries every header the bank requires, for a market the
/// called API serves.
pub struct BankHeaders {
    /// The request's `uuid`, which a create honours as an idempotency key.
    pub uuid: String,
    /// The market the `countryCode` header names.
    pub market: Market,
    /// The customer's language: the most preferred in `Accept-Language` that the market is
    /// served in, else English.
    pub language: Language,
}

impl FromRequestParts<AppState> for BankHeaders {
    type Rejection = BankError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, BankError> {
        let market = check_headers(&parts.method, &parts.headers, &parts.extensions, state)?;
        let uuid = header(&parts.headers, headers::UUID)
            .unwrap_or_default()
            .to_owned();
        let language = customer_language(
            header(&parts.headers, ACCEPT_LANGUAGE.as_str()),
            market.languages(),
        );
        Ok(Self {
            uuid,
            market,
            language,
        })
    }
}

/// Checks the headers in the bank gateway's order and answers the market. A route of one
/// API carries that [`ApiVariant`] as an extension (see `lib.rs`); its calls must then
/// name a market that API serves, which is checked last, as part of `countryCode`.
fn check_headers(
    method: &Method,
    request: &HeaderMap,
    extensions: &Extensions,
    state: &AppState,
) -> Result<Market, BankError> {
    let bearer = header(request, AUTHORIZATION.as_str())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Bearer"))
        .map(|(_, token)| token.trim());
    if !bearer.is_some_and(|token| state.token_is_valid(token)) {
        return Err(BankError::code(BankErrorCode::UnAuthorized));
    }

    if header(request, headers::CLIENT_ID) != Some(state.config().client_id.as_str()) {
        return Err(BankError::code_at(
            BankErrorCode::AccessNotConfigured,
            headers::CLIENT_ID,
        ));
    }

    let uuid_ok = header(request, headers::UUID).is_some_and(|v| uuid::Uuid::parse_str(v).is_ok());
    if !uuid_ok {
        return Err(BankError::invalid_request(
            Some(headers::UUID),
            "the uuid header must be a fresh UUID for every request",
        ));
    }

    let accepts_json = request
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains("application/json"));
    if !accepts_json {
        return Err(BankError::invalid_request(
            Some("Accept"),
            "the Accept header must include application/json",
        ));
    }

    if matches!(*method, Method::POST | Method::PUT) {
        let json_body = header(request, CONTENT_TYPE.as_str())
            .and_then(|v| v.split(';').next())
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"));
        if !json_body {
            return Err(BankError::invalid_request(
                Some("Content-Type"),
                "the Content-Type header must be application/json",
            ));
        }
    }

    let Some(market) = header(request, headers::COUNTRY_CODE).and_then(Market::from_code) else {
        let served: Vec<&str> = Market::ALL.iter().map(|m| m.code()).collect();
        return Err(BankError::invalid_request(
            Some(headers::COUNTRY_CODE),
            format!(
                "the countryCode header must name a market the sandbox serves, in upper case ({})",
                served.join(", ")
            ),
        ));
    };
    if let Some(variant) = extensions.get::<ApiVariant>() {
        market.served_by(*variant)?;
    }
    Ok(market)
}

/// A header's value, trimmed; a value that is not visible ASCII counts as absent.
fn header<'a>(request: &'a HeaderMap, name: &str) -> Option<&'a str> {
    request
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

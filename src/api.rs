//! Calls to the BFF's JSON API (same origin as the page), through `gloo-net`'s `fetch`
//! wrapper, as the design names. With only its `http` feature it costs about 2.5 KB of the
//! widget's gzip budget over plain web-sys (see the README); the JSON stays the widget's own
//! (`crates/json-lite`), as serde_json would cost about 16 KB.

use crate::json;
use gloo_net::http::{Method, RequestBuilder};
use onboarding_core::api::{
    routes, AcceptOffer, ApiError, Journey, Progress, ResumeSession, SessionStarted, StartSession,
    IDEMPOTENCY_KEY_HEADER, SESSION_HEADER,
};
use onboarding_core::forms::{AboutYouForm, FinancesForm, IdentityForm, LeadForm};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a call did not succeed.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The API answered with an error.
    Api(ApiError),
    /// No answer at all (offline, blocked, or not JSON).
    Network,
}

impl From<gloo_net::Error> for Problem {
    fn from(_: gloo_net::Error) -> Self {
        Self::Network
    }
}

/// One call: method, path, the session token and idempotency key if any, a JSON body if any.
/// Only the answer's type is generic: a body is written before the call, so the request
/// code exists once rather than once per body type.
async fn call<T: DeserializeOwned>(
    method: Method,
    path: &str,
    token: Option<&str>,
    key: Option<&str>,
    body: Option<String>,
) -> Result<T, Problem> {
    let text = send(method, path, token, key, body).await?;
    match text {
        Ok(text) => json::from_str(&text).map_err(|_| Problem::Network),
        Err(text) => Err(json::from_str::<ApiError>(&text).map_or(Problem::Network, Problem::Api)),
    }
}

/// A JSON body as the API reads it.
fn body(value: &impl Serialize) -> Result<Option<String>, Problem> {
    json::to_string(value)
        .map(Some)
        .map_err(|_| Problem::Network)
}

/// Sends a request; the answer's text, as `Ok` for a success and `Err` for an error status.
async fn send(
    method: Method,
    path: &str,
    token: Option<&str>,
    key: Option<&str>,
    body: Option<String>,
) -> Result<Result<String, String>, Problem> {
    let mut request = RequestBuilder::new(path)
        .method(method)
        .header("accept", "application/json");
    if let Some(token) = token {
        request = request.header(SESSION_HEADER, &format!("Bearer {token}"));
    }
    if let Some(key) = key {
        request = request.header(IDEMPOTENCY_KEY_HEADER, key);
    }
    let request = match body {
        Some(body) => request
            .header("content-type", "application/json")
            .body(body)?,
        None => request.build()?,
    };
    let response = request.send().await?;
    let text = response.text().await?;
    Ok(if response.ok() { Ok(text) } else { Err(text) })
}

/// Starts a session for the placement the page was opened with.
pub async fn start_session(start: &StartSession) -> Result<SessionStarted, Problem> {
    call(Method::POST, routes::SESSIONS, None, None, body(start)?).await
}

/// Exchanges the resume handle the partner's page kept for a token of its session (after
/// a reload where the browser kept no token).
pub async fn resume_session(resume: &ResumeSession) -> Result<SessionStarted, Problem> {
    call(
        Method::POST,
        routes::RESUME_SESSION,
        None,
        None,
        body(resume)?,
    )
    .await
}

/// The journey of an existing session (after a reload).
pub async fn current_session(token: &str) -> Result<Journey, Problem> {
    call(
        Method::GET,
        routes::CURRENT_SESSION,
        Some(token),
        None,
        None,
    )
    .await
}

/// Sends a stage or an offer's acceptance; the idempotency key makes a retry of the same
/// attempt safe.
pub async fn submit(token: &str, key: &str, stage: StageSubmission) -> Result<Progress, Problem> {
    let (method, path, body) = match &stage {
        StageSubmission::AboutYou(form) => {
            (Method::POST, routes::APPLICATIONS.to_owned(), body(form)?)
        }
        StageSubmission::Identity(reference, form) => {
            (Method::PUT, routes::identity(reference), body(form)?)
        }
        StageSubmission::Finances(reference, form) => {
            (Method::PUT, routes::finances(reference), body(form)?)
        }
        StageSubmission::Lead(form) => (Method::POST, routes::LEADS.to_owned(), body(form)?),
        StageSubmission::Save(reference) => (Method::POST, routes::save(reference), None),
        StageSubmission::AcceptOffer(reference, offer) => {
            let accepted = AcceptOffer {
                offer: offer.clone(),
            };
            (
                Method::POST,
                routes::offer_acceptance(reference),
                body(&accepted)?,
            )
        }
    };
    call(method, &path, Some(token), Some(key), body).await
}

/// One stage's form, or the offer the customer accepts, with the application it belongs to.
#[derive(Debug, Clone)]
pub enum StageSubmission {
    AboutYou(AboutYouForm),
    Identity(String, IdentityForm),
    Finances(String, FinancesForm),
    /// The application's reference and the id of the offer accepted.
    AcceptOffer(String, String),
    /// The Lead Capture journey's one form.
    Lead(LeadForm),
    /// "Save and exit": the application's reference.
    Save(String),
}

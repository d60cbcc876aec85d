//! Calls to the BFF's JSON API (same origin as the page), over the browser's `fetch`.
//! Plain web-sys rather than an HTTP wrapper crate: the widget's download is measured.

use crate::json;
use onboarding_core::api::{
    routes, AcceptOffer, ApiError, Journey, Progress, SessionStarted, StartSession,
    IDEMPOTENCY_KEY_HEADER, SESSION_HEADER,
};
use onboarding_core::forms::{AboutYouForm, FinancesForm, IdentityForm, LeadForm};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

/// Why a call did not succeed.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The API answered with an error.
    Api(ApiError),
    /// No answer at all (offline, blocked, or not JSON).
    Network,
}

impl From<JsValue> for Problem {
    fn from(_: JsValue) -> Self {
        Self::Network
    }
}

/// One call: method, path, the session token and idempotency key if any, a JSON body if any.
async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    key: Option<&str>,
    body: Option<&impl Serialize>,
) -> Result<T, Problem> {
    let headers = Headers::new()?;
    headers.set("accept", "application/json")?;
    if let Some(token) = token {
        headers.set(SESSION_HEADER, &format!("Bearer {token}"))?;
    }
    if let Some(key) = key {
        headers.set(IDEMPOTENCY_KEY_HEADER, key)?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        headers.set("content-type", "application/json")?;
        init.set_body(&JsValue::from_str(
            &json::to_string(body).map_err(|_| Problem::Network)?,
        ));
    }
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(path, &init)?;
    let window = web_sys::window().ok_or(Problem::Network)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        json::from_str(&text).map_err(|_| Problem::Network)
    } else {
        Err(json::from_str::<ApiError>(&text).map_or(Problem::Network, Problem::Api))
    }
}

/// Starts a session for the placement the page was opened with.
pub async fn start_session(start: &StartSession) -> Result<SessionStarted, Problem> {
    call("POST", routes::SESSIONS, None, None, Some(start)).await
}

/// The journey of an existing session (after a reload).
pub async fn current_session(token: &str) -> Result<Journey, Problem> {
    call(
        "GET",
        routes::CURRENT_SESSION,
        Some(token),
        None,
        None::<&()>,
    )
    .await
}

/// Sends a stage or an offer's acceptance; the idempotency key makes a retry of the same
/// attempt safe.
pub async fn submit(token: &str, key: &str, stage: StageSubmission) -> Result<Progress, Problem> {
    let (token, key) = (Some(token), Some(key));
    match &stage {
        StageSubmission::AboutYou(form) => {
            call("POST", routes::APPLICATIONS, token, key, Some(form)).await
        }
        StageSubmission::Identity(reference, form) => {
            call("PUT", &routes::identity(reference), token, key, Some(form)).await
        }
        StageSubmission::Finances(reference, form) => {
            call("PUT", &routes::finances(reference), token, key, Some(form)).await
        }
        StageSubmission::Lead(form) => call("POST", routes::LEADS, token, key, Some(form)).await,
        StageSubmission::Save(reference) => {
            call("POST", &routes::save(reference), token, key, None::<&()>).await
        }
        StageSubmission::AcceptOffer(reference, offer) => {
            let body = AcceptOffer {
                offer: offer.clone(),
            };
            let path = routes::offer_acceptance(reference);
            call("POST", &path, token, key, Some(&body)).await
        }
    }
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

//! Placements: what a partner's server vouches for before its page embeds the widget, so
//! that no link is trusted with it (the pattern of Plaid's `link_token`).
//!
//! The partner's server calls `POST /partner/v1/placements` with its API key
//! (`Authorization: Bearer <key>`; the partners file keeps only the key's SHA-256) and the
//! placement: its partner table, market, return URL, a connectFi customer's id, a prefill of
//! stage 1 and an opaque `state`. It gets a random token (`plt_` and 256 bits in hex; stored
//! only as a SHA-256) and the widget's link carrying it (`&placement=plt_…`), which its page
//! frames, or passes to the loader as `placement`.
//!
//! **Lifecycle.** The token starts a session within `PLACEMENT_TTL_SECS` (ten minutes) and
//! only once: `POST /api/v1/sessions` consumes it in the statement that starts the session,
//! so of two requests on any instances one wins. Loading the page consumes nothing: the
//! widget's page checks the token and is refused when it is forged, another placement's,
//! expired unused, or used by an application that has ended; a used token whose session
//! lives still opens its page, for the customer's own reload (the widget then resumes its
//! session, and a browser without it cannot start another). The retention job deletes a
//! placement once it can no longer open anything.
//!
//! A connectFi placement takes its customer's id only this way: a link naming a customer,
//! or without a token, is refused. So is any link without a token of a partner with
//! `require_placement_token = true`.

use crate::error::AppError;
use crate::journey::{check_placement, new_secret, token_hash, SessionRecord};
use crate::partners::{Partner, Partners, Provider};
use crate::store::{PlacementRecord, PlacementState, Store};
use crate::time::{format_utc, now_unix};
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use onboarding_core::api::{ErrorCode, JourneyKind};
use onboarding_core::forms::Prefill;
use onboarding_core::{Language, Market};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// The partner API's path.
pub const PLACEMENTS_PATH: &str = "/partner/v1/placements";

/// How a placement token begins, so it is told at a glance (and by secret scanners) from
/// a session token or an API key.
pub const TOKEN_PREFIX: &str = "plt_";

/// The most bytes of `state` a placement carries: it travels back in a URL.
pub const MAX_STATE_BYTES: usize = 512;

/// Body of `POST /partner/v1/placements`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPlacement {
    /// The partner table (`[[partner]] id`) the placement is of; the API key must be its.
    pub partner: String,
    pub market: String,
    /// The journey the partner expects; when given, it must be the partner table's.
    #[serde(default)]
    pub journey: Option<JourneyKind>,
    pub return_url: String,
    /// The customer's connectFi id: required by a connectFi placement, refused by others.
    #[serde(default)]
    pub customer: Option<String>,
    /// What stage 1 starts with.
    #[serde(default)]
    pub prefill: Option<Prefill>,
    /// Opaque to us; given back in the signed return URL and webhook events.
    #[serde(default)]
    pub state: Option<String>,
    /// The language of the page (a tag of one of the market's languages); the partner
    /// table's fixed one wins.
    #[serde(default)]
    pub language: Option<String>,
}

/// The answer of `POST /partner/v1/placements`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlacementCreated {
    /// Single-use; opens the page until `expires_at`, and starts one session.
    pub placement_token: String,
    /// RFC 3339, UTC.
    pub expires_at: String,
    /// The widget's page for this placement, to frame (add `&resume=` as the guide says) or
    /// to take apart for the loader.
    pub url: String,
}

/// What the partners' API reads and writes.
#[derive(Clone)]
pub struct Placements {
    pub store: Store,
    pub partners: Arc<Partners>,
    /// The origin the links are written with; unset: `http://` and `Host`.
    pub public_origin: Option<Arc<str>>,
    /// How long a placement token waits to start a session (`PLACEMENT_TTL_SECS`).
    pub ttl: Duration,
}

/// `POST /partner/v1/placements`: a placement, checked, behind a new token.
pub async fn create_placement(
    State(state): State<Placements>,
    request: Request,
) -> Result<(StatusCode, Json<PlacementCreated>), Response> {
    // The key first: nothing of the body is looked at for a caller who has none.
    let holders = state
        .partners
        .api_key_holders(bearer(&request).unwrap_or_default());
    if holders.is_empty() {
        return Err(unauthorized(
            "Send the partner's API key as `Authorization: Bearer <key>`: it is missing, or no partner's.",
        ));
    }
    let origin = crate::stack::own_origin(state.public_origin.as_deref(), &request)
        .ok_or_else(|| AppError::internal("no Host to write the link with").into_response())?;
    let crate::journey::ApiJson(new) =
        crate::journey::ApiJson::<NewPlacement>::from_request(request, &state)
            .await
            .map_err(IntoResponse::into_response)?;
    if !holders.contains(&new.partner.as_str()) {
        return Err(unauthorized(&format!(
            "The API key is not partner {:?}'s.",
            new.partner
        )));
    }
    let created = place(&state, &origin, &new)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Checks a placement as its link would be checked, and every value by the rule it meets
/// later (the customer's id by connectFi's, the prefill by stage 1's), then records it.
async fn place(
    state: &Placements,
    origin: &str,
    new: &NewPlacement,
) -> Result<PlacementCreated, AppError> {
    let (partner, market, return_url) =
        check_placement(&state.partners, &new.partner, &new.market, &new.return_url)?;
    if let Some(journey) = new.journey.filter(|journey| *journey != partner.journey) {
        return Err(AppError::client(
            ErrorCode::UnknownPartner,
            format!(
                "Partner {:?} places the {} journey, not {}.",
                partner.id,
                journey_name(partner.journey),
                journey_name(journey)
            ),
        ));
    }
    let customer_id = match (partner.provider, new.customer.as_deref()) {
        (Provider::Connectfi, customer) => Some(connectfi_customer(customer)?),
        (Provider::Bank, None) => None,
        (Provider::Bank, Some(_)) => {
            return Err(malformed(format!(
                "customer: only a connectFi placement takes a customer's id, and partner {:?}'s applications go to the bank.",
                partner.id
            )))
        }
    };
    let prefill = match &new.prefill {
        Some(prefill) => Some(prefill.parse(market).map_err(AppError::invalid_input)?),
        None => None,
    }
    .filter(|prefill| !prefill.is_empty());
    if let Some(placed) = &new.state {
        if placed.is_empty() || placed.len() > MAX_STATE_BYTES {
            return Err(malformed(format!(
                "state: 1 to {MAX_STATE_BYTES} bytes, as it travels back in the return URL."
            )));
        }
    }
    let language = match new.language.as_deref() {
        Some(tag) => Some(
            Language::from_tag(tag)
                .filter(|language| market.languages().contains(language))
                .ok_or_else(|| {
                    malformed(format!(
                        "language: not one of {}'s ({}).",
                        market.name(),
                        market
                            .languages()
                            .iter()
                            .map(|l| l.tag())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?,
        ),
        None => None,
    };
    let token = format!("{TOKEN_PREFIX}{}", new_secret());
    let now = now_unix();
    let record = PlacementRecord {
        partner_id: partner.id.clone(),
        market,
        return_url: return_url.to_string(),
        customer_id,
        prefill,
        partner_state: new.state.clone(),
        language,
        expires_at: now + state.ttl.as_secs() as i64,
    };
    state
        .store
        .create_placement(&token_hash(&token), &record, now)
        .await?;
    let mut url = Url::parse(&format!("{origin}/apply")).map_err(AppError::internal)?;
    url.query_pairs_mut()
        .append_pair("partner", &partner.id)
        .append_pair("market", market.code())
        .append_pair("return_url", return_url.as_str())
        .append_pair("placement", &token);
    Ok(PlacementCreated {
        placement_token: token,
        expires_at: format_utc(record.expires_at),
        url: url.into(),
    })
}

/// Why a placement's link, or the session it would start, is refused. Each is a page of its
/// own for the customer ("this link doesn't work, go back and try again", in their
/// language) and a reason for the partner's developer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A placement that opens only with a token, without one.
    TokenRequired,
    /// A customer's id in the link of a placement that takes it only through a token.
    CustomerInLink,
    /// Not a token we issued (forged), or one that ended and was deleted since: the
    /// retention job removes a placement at its first pass after it can open nothing.
    Unknown,
    /// Another partner's, market's or return URL's token.
    NotThisPlacement,
    /// Never used, and past its time.
    Expired,
    /// It started an application already.
    Used,
}

impl Refusal {
    /// The status of the page that says so.
    pub fn status(self) -> StatusCode {
        match self {
            Self::TokenRequired | Self::CustomerInLink => StatusCode::BAD_REQUEST,
            Self::Unknown => StatusCode::NOT_FOUND,
            Self::NotThisPlacement => StatusCode::FORBIDDEN,
            Self::Expired | Self::Used => StatusCode::GONE,
        }
    }

    /// Why, for the partner's developer.
    pub fn reason(self) -> &'static str {
        match self {
            Self::TokenRequired => {
                "This placement opens only with a placement token (`placement` in the link), which the partner's server creates with POST /partner/v1/placements for each page it serves."
            }
            Self::CustomerInLink => {
                "This placement never takes a customer's id from its link: the partner's server places the customer with POST /partner/v1/placements, and the link carries only the placement token."
            }
            Self::Unknown => {
                "The placement token is not one we issued (or it ended and has been deleted since): the partner's server creates one with POST /partner/v1/placements for each page it serves."
            }
            Self::NotThisPlacement => {
                "The placement token was created for another partner, market or return URL than this link's."
            }
            Self::Expired => {
                "The placement token has expired unused: it starts an application only within minutes of its creation. The partner's page creates a new one when it is opened again."
            }
            Self::Used => {
                "The placement token was used already: each starts one application. The partner's page creates a new one when it is opened again."
            }
        }
    }
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        AppError::client(ErrorCode::UnknownPartner, refusal.reason())
    }
}

/// Checks the link of the widget's page: a placement that needs a token has one and names
/// no customer, and a token given is this placement's and can still open the page. Answers
/// the token's placement, for its language. Consumes nothing (see the module's notes).
pub async fn check_link(
    store: &Store,
    partner: &Partner,
    market: Market,
    return_url: &Url,
    token: Option<&str>,
    names_customer: bool,
) -> Result<Option<PlacementState>, LinkError> {
    if partner.needs_placement_token() && names_customer {
        return Err(Refusal::CustomerInLink.into());
    }
    let Some(token) = token else {
        return if partner.needs_placement_token() {
            Err(Refusal::TokenRequired.into())
        } else {
            Ok(None)
        };
    };
    let placement = store
        .placement_state(&token_hash(token), now_unix())
        .await?
        .ok_or(Refusal::Unknown)?;
    let refusal = refusal_of(
        &placement,
        &partner.id,
        market,
        return_url.as_str(),
        now_unix(),
        Opening::Page,
    );
    match refusal {
        Some(refusal) => Err(refusal.into()),
        None => Ok(Some(placement)),
    }
}

/// Why a link was not accepted: refused, or not checked at all (the database failed).
#[derive(Debug)]
pub enum LinkError {
    Refused(Refusal),
    Failed(AppError),
}

impl From<Refusal> for LinkError {
    fn from(refusal: Refusal) -> Self {
        Self::Refused(refusal)
    }
}

impl From<sqlx::Error> for LinkError {
    fn from(error: sqlx::Error) -> Self {
        Self::Failed(error.into())
    }
}

/// Starts `session` from the placement of `token`, consuming it (see
/// `Store::start_placed_session`); the session takes the placement's customer, prefill and
/// state. A token that cannot be consumed is refused with the reason the page would give.
pub async fn start_placed_session(
    store: &Store,
    token: &str,
    session: &SessionRecord,
    resume_handle_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<SessionRecord, AppError> {
    let hash = token_hash(token);
    if let Some(started) = store
        .start_placed_session(&hash, session, resume_handle_hash, now, expires_at)
        .await?
    {
        return Ok(started);
    }
    let refusal = match store.placement_state(&hash, now).await? {
        None => Refusal::Unknown,
        // Not consumed, yet it could not be: it expired meanwhile.
        Some(placement) => refusal_of(
            &placement,
            &session.partner_id,
            session.market,
            &session.return_url,
            now,
            Opening::Session,
        )
        .unwrap_or(Refusal::Expired),
    };
    Err(refusal.into())
}

/// What a placement token is asked to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opening {
    /// The page: a reload of the page of the session the token started still opens.
    Page,
    /// A new session: a token starts one at most.
    Session,
}

/// Why `placement` cannot open what is asked for the link of `partner_id`, `market` and
/// `return_url` at `now`; `None` when it can.
fn refusal_of(
    placement: &PlacementState,
    partner_id: &str,
    market: Market,
    return_url: &str,
    now: i64,
    opening: Opening,
) -> Option<Refusal> {
    let of_this_link = placement.partner_id == partner_id
        && placement.market == market.code()
        && placement.return_url == return_url;
    let reopened = opening == Opening::Page && placement.session_alive;
    if !of_this_link {
        Some(Refusal::NotThisPlacement)
    } else if placement.consumed && !reopened {
        Some(Refusal::Used)
    } else if !placement.consumed && placement.expires_at <= now {
        Some(Refusal::Expired)
    } else {
        None
    }
}

/// The customer's connectFi id a connectFi placement must carry, checked with connectFi's
/// own rule for ids.
fn connectfi_customer(customer: Option<&str>) -> Result<String, AppError> {
    let customer = customer.unwrap_or_default();
    connectfi_api::KycStatusRequest {
        customer_id: customer.to_owned(),
        application_id: None,
    }
    .validate()
    .map_err(|_| {
        malformed(
            "customer: a connectFi placement needs the customer's connectFi id (letters, digits and _, at most 36).",
        )
    })?;
    Ok(customer.to_owned())
}

/// A value the call does not take, named.
fn malformed(message: impl Into<String>) -> AppError {
    AppError::client(ErrorCode::MalformedRequest, message)
}

/// The journey's name as the API writes it.
fn journey_name(journey: JourneyKind) -> String {
    serde_json::to_value(journey)
        .ok()
        .and_then(|name| name.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The bearer credential of a request, if it sent one.
fn bearer(request: &Request) -> Option<&str> {
    request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

/// 401, with the challenge RFC 6750 asks of it.
fn unauthorized(message: &str) -> Response {
    let mut response = AppError::client(ErrorCode::Unauthorized, message).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"partner\""),
    );
    response
}

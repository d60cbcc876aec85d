//! Starting a session (one per visit, from the placement its link names or carries the
//! token of) and resuming it after a reload: by its token where the widget could keep it,
//! else by a resume handle its partner's page kept.

use super::application::ApplicationRecord;
use super::context::{Context, Journeys};
use super::request::{token_hash, ApiJson, SessionToken};
use super::session_record::SessionRecord;
use super::terms::current_terms;
use crate::error::AppError;
use crate::partners::{Partner, Partners, ReturnUrlError};
use crate::time::{now_unix, today_in};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onboarding_core::api::{
    ErrorCode, Journey, MarketView, PartnerView, ResumeSession, SessionStarted, StartSession,
};
use onboarding_core::{Language, Market};
use rand::RngCore;

/// `POST /api/v1/sessions`: checks where the widget was opened from and starts a session;
/// with a placement token, from that placement, consuming the token (see `placements.rs`).
pub async fn start_session(
    State(state): State<Journeys>,
    ApiJson(start): ApiJson<StartSession>,
) -> Result<(StatusCode, Json<SessionStarted>), AppError> {
    let (partner, market, return_url) = check_placement(
        &state.partners,
        &start.partner,
        &start.market,
        &start.return_url,
    )?;
    let token = new_secret();
    let session = SessionRecord {
        token_hash: token_hash(&token),
        partner_id: partner.id.clone(),
        market,
        return_url: return_url.to_string(),
        customer_id: None,
        language: session_language(partner, market, start.language.as_deref()),
        prefill: None,
        partner_state: None,
    };
    let now = now_unix();
    let expires_at = now + state.settings.session_ttl.as_secs() as i64;
    // Every session gets a handle: the widget alone knows whether its page keeps tokens.
    let resume_handle = new_secret();
    let session = match start.placement.as_deref() {
        Some(placement) => {
            crate::placements::start_placed_session(
                &state.store,
                placement,
                &session,
                &token_hash(&resume_handle),
                now,
                expires_at,
            )
            .await?
        }
        None if partner.needs_placement_token() => {
            return Err(crate::placements::Refusal::TokenRequired.into())
        }
        None => {
            let handle_hash = token_hash(&resume_handle);
            state
                .store
                .create_session(&session, Some(&handle_hash), now, expires_at)
                .await?;
            session
        }
    };
    let journey = journey(&Context::open(&state, &session)?, None).await?;
    Ok((
        StatusCode::CREATED,
        Json(SessionStarted {
            token,
            journey,
            resume_handle,
        }),
    ))
}

/// `POST /api/v1/sessions/resume`: a resume handle exchanged for a new token of its
/// session, and a new handle in its place. A state-changing call, so the BFF takes it only
/// from the widget's own page (see `stack::same_origin_writes`): a handle replayed from the
/// partner's page or any other is refused, and the token is only ever answered to the
/// widget's origin.
pub async fn resume_session(
    State(state): State<Journeys>,
    ApiJson(resume): ApiJson<ResumeSession>,
) -> Result<Json<SessionStarted>, AppError> {
    let refused = || {
        AppError::client(
            ErrorCode::SessionRequired,
            "The resume handle is unknown, was used already, belongs to another placement, or \
             its session has ended; start a new session.",
        )
    };
    let partner = state.partners.get(&resume.partner).ok_or_else(refused)?;
    let market = Market::from_code(&resume.market).ok_or_else(refused)?;
    let handle_hash = token_hash(&resume.handle);
    let session = state
        .store
        .find_resumable_session(&handle_hash, &partner.id, market, now_unix())
        .await?
        .ok_or_else(refused)?;
    // Whatever can fail comes before the handle is used: a failure leaves it usable, rather
    // than leaving the customer's application without a way back.
    let application = state.store.find_application(&session.token_hash).await?;
    let journey = journey(&Context::open(&state, &session)?, application.as_ref()).await?;
    let token = new_secret();
    let resume_handle = new_secret();
    let used = state
        .store
        .use_resume_handle(
            &session.token_hash,
            &handle_hash,
            &token_hash(&resume_handle),
            &token_hash(&token),
        )
        .await?;
    if !used {
        return Err(refused());
    }
    Ok(Json(SessionStarted {
        token,
        journey,
        resume_handle,
    }))
}

/// 256 random bits in hex: a session token, a resume handle, a placement token.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `GET /api/v1/sessions/current`: the session's journey, where the customer left it.
pub async fn current_session(
    State(state): State<Journeys>,
    SessionToken(hash): SessionToken,
) -> Result<Json<Journey>, AppError> {
    // The session and its application in one query: this is the call a reload makes.
    let (session, application) = state
        .store
        .find_session_with_application(&hash, now_unix())
        .await?
        .ok_or_else(SessionToken::unknown)?;
    Ok(Json(
        journey(&Context::open(&state, &session)?, application.as_ref()).await?,
    ))
}

/// Checks a placement: a known partner, a market it offers, a return URL on its allowlist.
pub fn check_placement<'a>(
    partners: &'a Partners,
    partner: &str,
    market: &str,
    return_url: &str,
) -> Result<(&'a Partner, Market, url::Url), AppError> {
    let unknown = |message: String| AppError::client(ErrorCode::UnknownPartner, message);
    let partner = partners
        .get(partner)
        .ok_or_else(|| unknown(format!("There is no partner {partner:?}.")))?;
    let market = Market::from_code(market)
        .filter(|m| partner.markets.contains(m))
        .ok_or_else(|| {
            unknown(format!(
                "Partner {:?} does not offer the card in market {market:?}.",
                partner.id
            ))
        })?;
    let return_url = partner.check_return_url(return_url).map_err(|e| match e {
        ReturnUrlError::NotAUrl => unknown("return_url is not an absolute URL.".into()),
        ReturnUrlError::NotAllowed => unknown(format!(
            "return_url is not on the allowlist of partner {:?}.",
            partner.id
        )),
    })?;
    Ok((partner, market, return_url))
}

/// The session's language: the placement's own if the partner fixed one, else the page's
/// (which the BFF resolved when it served the page) if the market offers it, else the
/// market's first.
fn session_language(partner: &Partner, market: Market, page: Option<&str>) -> Language {
    let offered = market.languages();
    partner
        .language
        .or_else(|| page.and_then(Language::from_tag))
        .filter(|language| offered.contains(language))
        .unwrap_or(offered[0])
}

/// The session's journey as the widget shows it, with `application` where it stands.
async fn journey(
    ctx: &Context<'_>,
    application: Option<&ApplicationRecord>,
) -> Result<Journey, AppError> {
    let (state, session, partner) = (ctx.state, ctx.session, ctx.partner);
    let market = session.market;
    let reference_data = state
        .reference_data
        .get(&state.bank, session.locale())
        .await
        .map_err(AppError::bank_unavailable)?;
    let return_url = url::Url::parse(&session.return_url).map_err(AppError::internal)?;
    Ok(Journey {
        partner: PartnerView {
            id: partner.id.clone(),
            name: partner.display_name.clone(),
            origin: Partner::origin_of(&return_url),
            return_url: session.return_url.clone(),
        },
        market: MarketView {
            market,
            currency: market.currency().into(),
            locale: market.locale().into(),
            phone_country_code: market.phone_country_code().into(),
            today: today_in(market).to_string(),
        },
        terms: current_terms(market, session.language),
        reference_data: (*reference_data).clone(),
        stages: partner.plan().stages().to_vec(),
        language: session.language,
        kind: partner.journey,
        saveable: partner.plan().can_save(),
        progress: ctx.progress(application),
        // Only stage 1 starts from it.
        prefill: match (application, &session.prefill) {
            (None, Some(prefill)) => prefill.to_list(),
            _ => Vec::new(),
        },
    })
}

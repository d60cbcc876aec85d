//! Starting a session (one per visit) and resuming it after a reload: by its token where
//! the widget could keep it, else by a resume handle its partner's page kept.

use super::request::{token_hash, ApiJson, Session};
use super::terms::current_terms;
use crate::error::AppError;
use crate::partners::{Partner, Provider, ReturnUrlError};
use crate::store::{ApplicationRecord, BankStep, SessionRecord};
use crate::time::{now_unix, today_in};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onboarding_core::api::{
    ErrorCode, Journey, JourneyKind, MarketView, PartnerView, Progress, ResumeSession,
    SessionStarted, StartSession,
};
use onboarding_core::{Language, Market, Stage};
use rand::RngCore;

/// `POST /api/v1/sessions`: checks where the widget was opened from and starts a session.
pub async fn start_session(
    State(state): State<AppState>,
    ApiJson(start): ApiJson<StartSession>,
) -> Result<(StatusCode, Json<SessionStarted>), AppError> {
    let (partner, market, return_url) =
        check_placement(&state, &start.partner, &start.market, &start.return_url)?;
    let customer_id = match partner.provider {
        Provider::Bank => None,
        Provider::Connectfi => Some(connectfi_customer(start.customer.as_deref())?),
    };
    let token = new_secret();
    let record = SessionRecord {
        token_hash: token_hash(&token),
        partner_id: partner.id.clone(),
        market,
        return_url: return_url.to_string(),
        customer_id,
        language: session_language(partner, market, start.language.as_deref()),
    };
    let now = now_unix();
    state
        .store
        .create_session(
            &record,
            now,
            now + state.journey.session_ttl.as_secs() as i64,
        )
        .await?;
    // Every session gets a handle: the widget alone knows whether its page keeps tokens.
    let resume_handle = new_secret();
    state
        .store
        .set_resume_handle(&record.token_hash, &token_hash(&resume_handle))
        .await?;
    let journey = journey(&state, &record, None).await?;
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
    State(state): State<AppState>,
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
    let record = state
        .store
        .find_resumable_session(&handle_hash, &partner.id, market, now_unix())
        .await?
        .ok_or_else(refused)?;
    // Whatever can fail comes before the handle is used: a failure leaves it usable, rather
    // than leaving the customer's application without a way back.
    let application = state.store.find_application(&record.token_hash).await?;
    let journey = journey(&state, &record, application.as_ref()).await?;
    let token = new_secret();
    let resume_handle = new_secret();
    let used = state
        .store
        .use_resume_handle(
            &record.token_hash,
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

/// 256 random bits in hex: a session token or a resume handle.
fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `GET /api/v1/sessions/current`: the session's journey, where the customer left it.
pub async fn current_session(
    State(state): State<AppState>,
    Session(record): Session,
) -> Result<Json<Journey>, AppError> {
    let application = state.store.find_application(&record.token_hash).await?;
    Ok(Json(journey(&state, &record, application.as_ref()).await?))
}

/// Checks a placement: a known partner, a market it offers, a return URL on its allowlist.
pub fn check_placement<'a>(
    state: &'a AppState,
    partner: &str,
    market: &str,
    return_url: &str,
) -> Result<(&'a Partner, Market, url::Url), AppError> {
    let unknown = |message: String| AppError::client(ErrorCode::UnknownPartner, message);
    let partner = state
        .partners
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

/// The customer's connectFi id a connectFi placement must be opened with, checked with
/// connectFi's own rule for ids.
fn connectfi_customer(customer: Option<&str>) -> Result<String, AppError> {
    let customer = customer.unwrap_or_default();
    connectfi_api::KycStatusRequest {
        customer_id: customer.to_owned(),
        application_id: None,
    }
    .validate()
    .map_err(|_| {
        AppError::client(
            ErrorCode::UnknownPartner,
            "This placement needs the customer's connectFi id in `customer` (letters, digits and _, at most 36).",
        )
    })?;
    Ok(customer.to_owned())
}

/// The forms of a placement's journey: Lead Capture has one; connectFi has verified the
/// customer's identity already, so its journey has no identity stage.
pub fn stages_of(partner: &Partner) -> Vec<Stage> {
    match (partner.journey, partner.provider) {
        (JourneyKind::LeadCapture, _) => vec![Stage::AboutYou],
        (_, Provider::Bank) => Stage::FORMS.to_vec(),
        (_, Provider::Connectfi) => vec![Stage::AboutYou, Stage::Finances],
    }
}

/// Where the application stands, as the widget shows it.
pub fn progress_of(
    state: &AppState,
    session: &SessionRecord,
    application: Option<&ApplicationRecord>,
) -> Progress {
    let Some(app) = application else {
        return Progress {
            stage: Stage::AboutYou,
            reference: None,
            decision: None,
            return_to: None,
            follow_up: None,
        };
    };
    let stage = match (app.bank_step, &app.decision, app.handover) {
        (_, Some(_), _) | (BankStep::Decided, ..) | (.., Some(_)) => Stage::Result,
        (BankStep::Created, ..) => Stage::Identity,
        _ => Stage::Finances,
    };
    let outcome = app
        .decision
        .as_ref()
        .map(|decision| decision.outcome())
        .or(app.handover.map(|handover| handover.outcome()));
    // Signed afresh on every answer: the partner's server trusts the result only with a
    // valid `sig`, and refuses an old `ts`.
    let return_to = outcome.and_then(|outcome| {
        let secret = state.partners.signing_secret(&session.partner_id)?;
        let return_url = url::Url::parse(&session.return_url).ok()?;
        Some(crate::signing::signed_return_url(
            secret,
            &return_url,
            &app.reference,
            outcome,
            now_unix(),
        ))
    });
    Progress {
        stage,
        reference: Some(app.reference.clone()),
        decision: app.decision.clone(),
        return_to,
        follow_up: app.handover.map(|_| session.market.follow_up()),
    }
}

async fn journey(
    state: &AppState,
    record: &SessionRecord,
    application: Option<&ApplicationRecord>,
) -> Result<Journey, AppError> {
    let partner = state.partners.get(&record.partner_id).ok_or_else(|| {
        AppError::internal(format!(
            "session's partner {} left the partners file",
            record.partner_id
        ))
    })?;
    let market = record.market;
    let reference_data = state
        .reference_data
        .get(&state.bank, record.locale())
        .await
        .map_err(AppError::bank_unavailable)?;
    let return_url = url::Url::parse(&record.return_url).map_err(AppError::internal)?;
    Ok(Journey {
        partner: PartnerView {
            id: partner.id.clone(),
            name: partner.display_name.clone(),
            origin: Partner::origin_of(&return_url),
            return_url: record.return_url.clone(),
        },
        market: MarketView {
            market,
            currency: market.currency().into(),
            locale: market.locale().into(),
            phone_country_code: market.phone_country_code().into(),
            today: today_in(market).to_string(),
        },
        terms: current_terms(market, record.language),
        reference_data: (*reference_data).clone(),
        stages: stages_of(partner),
        language: record.language,
        kind: partner.journey,
        // connectFi's application exists only once it decides, and not at the bank.
        saveable: partner.journey == JourneyKind::InPrincipleApproval
            && partner.provider == Provider::Bank,
        progress: progress_of(state, record, application),
    })
}

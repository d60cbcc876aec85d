//! The three stages. Each is checked with the core crate's rules (the authoritative check),
//! sent to the bank in order, and answered with where the application now stands.

use super::connectfi;
use super::decision::{decide, refused};
use super::idempotency::run_once;
use super::request::{ApiJson, IdempotencyKey, Session};
use super::session::progress_of;
use super::terms::current_terms;
use crate::bank::{about_you_request, finances_update, identity_update, ApplicationPaths};
use crate::error::AppError;
use crate::partners::Provider;
use crate::store::{ApplicationRecord, BankStep, NewApplication, SessionRecord};
use crate::time::{now_unix, today_in};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use bank_api::{ApplicationAddResponse, ApplicationStageResponse, ApplicationUpdateRequest};
use onboarding_core::api::{ErrorCode, JourneyKind, Progress};
use onboarding_core::forms::{AboutYouForm, FinancesForm, FormContext, IdentityForm};
use reqwest::Method;
use sha2::{Digest, Sha256};

/// `POST /api/v1/applications`: stage 1 creates the bank's application and records consent.
pub async fn submit_about_you(
    State(state): State<AppState>,
    session: Session,
    key: IdempotencyKey,
    ApiJson(form): ApiJson<AboutYouForm>,
) -> Result<Json<Progress>, AppError> {
    let key = key.bind(&form)?;
    let work = move |state: AppState, record: SessionRecord| async move {
        let record = &record;
        // Before the answer for an existing application: a lead recorded in this session is
        // not what stage 1 asks for, and the widget must not take it for one.
        let partner = partner_of(&state, record)?;
        if partner.journey == JourneyKind::LeadCapture {
            return Err(AppError::client(
                ErrorCode::StageOutOfOrder,
                "This placement's journey is Lead Capture: send its one form to /api/v1/leads.",
            ));
        }
        // One application per session: a repeated stage 1 answers with the one that exists.
        if let Some(existing) = state.store.find_application(&record.token_hash).await? {
            return Ok(progress_of(&state, record, Some(&existing)));
        }
        let terms = current_terms(record.market, record.language);
        let about = check(&state, record, &terms.version, |ctx| {
            form.parse_composed(ctx)
        })
        .await?;
        if partner.provider == Provider::Connectfi {
            connectfi::open_application(&state, record, partner, &about).await?;
            return current_progress(&state, record).await;
        }
        create_application(&state, record, partner, &about, None).await?;
        current_progress(&state, record).await
    };
    Ok(Json(run_once(state, session, key, work).await?))
}

/// `PUT /api/v1/applications/{reference}/identity`: stage 2 updates the application.
pub async fn submit_identity(
    State(state): State<AppState>,
    session: Session,
    key: IdempotencyKey,
    Path(reference): Path<String>,
    ApiJson(form): ApiJson<IdentityForm>,
) -> Result<Json<Progress>, AppError> {
    let key = key.bind(&form)?;
    let work = move |state: AppState, record: SessionRecord| async move {
        let record = &record;
        let app = open_application(&state, record, &reference).await?;
        if app.decision.is_some() {
            return Ok(progress_of(&state, record, Some(&app)));
        }
        if provider_of(&state, record)? == Provider::Connectfi {
            return Err(AppError::client(
                ErrorCode::StageOutOfOrder,
                "This placement's provider has verified the customer's identity already; there is no identity stage.",
            ));
        }
        let identity = check(&state, record, "", |ctx| form.parse_composed(ctx)).await?;
        let update = identity_update(&identity, record.market, &app.control_flow_id);
        update_application(&state, record, &app, &update).await?;
        if app.bank_step < BankStep::IdentitySent {
            state
                .store
                .advance(&record.token_hash, BankStep::IdentitySent, now_unix())
                .await?;
        }
        current_progress(&state, record).await
    };
    Ok(Json(run_once(state, session, key, work).await?))
}

/// `PUT /api/v1/applications/{reference}/finances`: stage 3 updates the application, runs
/// background screening and the in-principle approval, and answers with the decision.
pub async fn submit_finances(
    State(state): State<AppState>,
    session: Session,
    key: IdempotencyKey,
    Path(reference): Path<String>,
    ApiJson(form): ApiJson<FinancesForm>,
) -> Result<Json<Progress>, AppError> {
    let key = key.bind(&form)?;
    let work = move |state: AppState, record: SessionRecord| async move {
        let record = &record;
        let app = open_application(&state, record, &reference).await?;
        if app.decision.is_some() {
            return Ok(progress_of(&state, record, Some(&app)));
        }
        if app.bank_step < BankStep::IdentitySent {
            return Err(AppError::client(
                ErrorCode::StageOutOfOrder,
                "Send the identity and address stage first.",
            ));
        }
        let finances = check(&state, record, "", |ctx| form.parse_composed(ctx)).await?;
        if provider_of(&state, record)? == Provider::Connectfi {
            connectfi::decide(&state, record, &app, &finances).await?;
            return current_progress(&state, record).await;
        }
        if app.bank_step < BankStep::FinancesSent {
            let update = finances_update(&finances, &app.control_flow_id);
            update_application(&state, record, &app, &update).await?;
            state
                .store
                .advance(&record.token_hash, BankStep::FinancesSent, now_unix())
                .await?;
        }
        decide(&state, record, &app).await?;
        current_progress(&state, record).await
    };
    Ok(Json(run_once(state, session, key, work).await?))
}

/// Creates the bank's application from stage 1 (on the market's API) and records it with
/// its consent; `handover` says whether it is a lead handed over as it is created.
pub(super) async fn create_application(
    state: &AppState,
    record: &SessionRecord,
    partner: &crate::partners::Partner,
    about: &onboarding_core::forms::AboutYou,
    handover: Option<crate::store::Handover>,
) -> Result<(), AppError> {
    let request = about_you_request(about, record.market, &partner.product);
    let created: ApplicationAddResponse = state
        .bank
        .call_as(
            Method::POST,
            ApplicationPaths::of(record.market).applications(),
            record.locale(),
            Some(&request),
            &create_uuid(&record.token_hash, &request),
        )
        .await
        .map_err(refused)?;
    let new = NewApplication {
        reference: &created.application_id,
        control_flow_id: &created.control_flow_id,
        partner_id: &partner.id,
        consent_type: crate::bank::TERMS_CONSENT_TYPE,
        terms_version: &about.accepted_terms_version,
        step: BankStep::Created,
        decision: None,
        event: None,
        handover,
    };
    state
        .store
        .insert_application(&record.token_hash, &new, now_unix())
        .await?;
    tracing::info!(reference = %created.application_id, partner = %partner.id, "application created");
    Ok(())
}

/// The create's `uuid`, which the bank honours as an idempotency key: derived from the
/// session and the request, so the customer's retry of stage 1 after the bank's answer was
/// lost for good (every transport retry failed, or the BFF restarted) gets the application
/// the bank already opened. Changed details are a new request, as they would be at the bank.
pub(super) fn create_uuid(token_hash: &str, request: &impl serde::Serialize) -> String {
    let mut hash = Sha256::new();
    hash.update(token_hash.as_bytes());
    hash.update([0]);
    hash.update(serde_json::to_vec(request).unwrap_or_default());
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// Sends an update of the application (a later stage's sections) to the bank.
async fn update_application(
    state: &AppState,
    session: &SessionRecord,
    app: &ApplicationRecord,
    update: &ApplicationUpdateRequest,
) -> Result<(), AppError> {
    let _: ApplicationStageResponse = state
        .bank
        .call(
            Method::PUT,
            &ApplicationPaths::of(session.market).application(&app.reference),
            session.locale(),
            Some(update),
        )
        .await
        .map_err(refused)?;
    Ok(())
}

/// The provider of the session's partner.
pub(super) fn provider_of(state: &AppState, session: &SessionRecord) -> Result<Provider, AppError> {
    partner_of(state, session).map(|p| p.provider)
}

/// The placement the session was started on.
pub(super) fn partner_of<'a>(
    state: &'a AppState,
    session: &SessionRecord,
) -> Result<&'a crate::partners::Partner, AppError> {
    state
        .partners
        .get(&session.partner_id)
        .ok_or_else(|| AppError::internal("session's partner left the partners file"))
}

/// Where the session's application stands now, as stored.
pub(super) async fn current_progress(
    state: &AppState,
    session: &SessionRecord,
) -> Result<Progress, AppError> {
    let application = state.store.find_application(&session.token_hash).await?;
    Ok(progress_of(state, session, application.as_ref()))
}

/// The session's application, if `reference` names it and the customer has not handed it
/// over to the bank (a lead, or saved to continue on the bank's channel).
pub(super) async fn open_application(
    state: &AppState,
    record: &SessionRecord,
    reference: &str,
) -> Result<ApplicationRecord, AppError> {
    let app = own_application(state, &record.token_hash, reference).await?;
    if app.handover.is_some() {
        return Err(AppError::client(
            ErrorCode::StageOutOfOrder,
            "This application was handed to the bank for the customer to continue on the bank's own channel; it takes no more stages here.",
        ));
    }
    Ok(app)
}

/// The session's application, if `reference` names it; another session's is not found.
pub(super) async fn own_application(
    state: &AppState,
    token_hash: &str,
    reference: &str,
) -> Result<ApplicationRecord, AppError> {
    state
        .store
        .find_application(token_hash)
        .await?
        .filter(|app| app.reference == reference)
        .ok_or_else(|| {
            AppError::client(
                ErrorCode::ApplicationNotFound,
                "This session has no application with that reference.",
            )
        })
}

/// Checks a stage's form with the core crate's rules (the authoritative check) for the
/// session's market, against the bank's reference data; a form that passes is about to be
/// sent to the bank (or connectFi), so it is charged to the partner's rate limit here.
pub(super) async fn check<T>(
    state: &AppState,
    session: &SessionRecord,
    terms_version: &str,
    parse: impl FnOnce(&FormContext<'_>) -> Result<T, Vec<onboarding_core::FieldError>>,
) -> Result<T, AppError> {
    let market = session.market;
    let reference_data = state
        .reference_data
        .get(&state.bank, session.locale())
        .await
        .map_err(AppError::bank_unavailable)?;
    let ctx = FormContext {
        market,
        reference_data: &reference_data,
        today: today_in(market),
        terms_version,
    };
    let checked = parse(&ctx).map_err(AppError::invalid_input)?;
    reaching_the_bank(state, session)?;
    Ok(checked)
}

/// Charges the session's partner for a stage whose work is about to call the bank or
/// connectFi: past the form's checks and the stage's own refusals, and after a replay was
/// answered from what was stored, so that only what costs the bank counts against the
/// partner (see [`crate::rate_limit::RateLimits::partner`]).
pub(super) fn reaching_the_bank(state: &AppState, session: &SessionRecord) -> Result<(), AppError> {
    state.limits.partner(&session.partner_id)
}

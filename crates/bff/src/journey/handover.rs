//! Handing the customer to the bank without an online decision: the Lead Capture journey's
//! one form, and "Save and exit" in the in-principle approval journey. Either way the bank
//! tells the customer how it carries on (a link to continue online, a representative's
//! call, or its next steps by SMS), and the widget says the same.

use super::decision::refused;
use super::idempotency::run_once;
use super::request::{ApiJson, IdempotencyKey, Session};
use super::session::progress_of;
use super::stages::{
    check, create_application, create_uuid, current_progress, open_application, partner_of,
    provider_of, reaching_the_bank,
};
use super::terms::current_terms;
use crate::bank::{prospect_request, ApplicationPaths};
use crate::error::AppError;
use crate::partners::Provider;
use crate::store::{Handover, NewApplication, SessionRecord};
use crate::time::now_unix;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use bank_api::{ApplicationStageResponse, ControlFlowRequest, ProspectAddResponse};
use onboarding_core::api::{ErrorCode, JourneyKind, Progress};
use onboarding_core::forms::LeadForm;
use reqwest::Method;

/// `POST /api/v1/leads`: the Lead Capture journey's form. By market, the bank creates the
/// application (APAC or EMEA) or records a prospect; nothing is decided online. Webhooks
/// stay for decisions: the partner learns of a lead through the signed return URL.
pub async fn submit_lead(
    State(state): State<AppState>,
    session: Session,
    key: IdempotencyKey,
    ApiJson(form): ApiJson<LeadForm>,
) -> Result<Json<Progress>, AppError> {
    let key = key.bind(&form)?;
    let work = move |state: AppState, record: SessionRecord| async move {
        let record = &record;
        // Before the answer for an existing application: an application of the approval
        // journey is not a lead, and answering it here would tell the widget it was one.
        let partner = partner_of(&state, record)?;
        if partner.journey != JourneyKind::LeadCapture {
            return Err(AppError::client(
                ErrorCode::StageOutOfOrder,
                "This placement's journey is the in-principle approval: send stage 1 to /api/v1/applications.",
            ));
        }
        // One lead per session: a repeat answers with the one recorded.
        if let Some(existing) = state.store.find_application(&record.token_hash).await? {
            return Ok(progress_of(&state, record, Some(&existing)));
        }
        let terms = current_terms(record.market, record.language);
        let lead = check(&state, record, &terms.version, |ctx| {
            form.parse_composed(ctx)
        })
        .await?;
        if record.market.api_variant().decides_online() {
            create_application(&state, record, partner, &lead.about, Some(Handover::Lead)).await?;
            return current_progress(&state, record).await;
        }
        let request = prospect_request(&lead, record.market);
        let recorded: ProspectAddResponse = state
            .bank
            .call_as(
                Method::POST,
                bank_api::paths::PROSPECTS,
                record.locale(),
                Some(&request),
                &create_uuid(&record.token_hash, &request),
            )
            .await
            .map_err(refused)?;
        let new = NewApplication {
            reference: &recorded.prospect_id,
            // A prospect has no flow: the bank's staff take it from here.
            control_flow_id: "",
            partner_id: &partner.id,
            consent_type: crate::bank::TERMS_CONSENT_TYPE,
            terms_version: &lead.about.accepted_terms_version,
            step: crate::store::BankStep::Created,
            decision: None,
            event: None,
            handover: Some(Handover::Lead),
        };
        state
            .store
            .insert_application(&record.token_hash, &new, now_unix())
            .await?;
        tracing::info!(reference = %recorded.prospect_id, partner = %partner.id, "prospect recorded");
        current_progress(&state, record).await
    };
    Ok(Json(run_once(state, session, key, work).await?))
}

/// `POST /api/v1/applications/{reference}/save`: "Save and exit". The bank keeps the
/// application and sends the customer its reference and the way to continue.
pub async fn save_application(
    State(state): State<AppState>,
    session: Session,
    key: IdempotencyKey,
    Path(reference): Path<String>,
) -> Result<Json<Progress>, AppError> {
    // No body: the method and path, in the key, are the whole request.
    let key = key.bind(&())?;
    let work = move |state: AppState, record: SessionRecord| async move {
        let record = &record;
        let app = open_application(&state, record, &reference).await?;
        if app.decision.is_some() {
            return Err(AppError::client(
                ErrorCode::AlreadyDecided,
                "The bank has decided this application; there is nothing to save.",
            ));
        }
        // connectFi's application exists only once it decides, under connectFi's id: the
        // bank holds nothing it could save or send a link to.
        if provider_of(&state, record)? == Provider::Connectfi {
            return Err(AppError::client(
                ErrorCode::StageOutOfOrder,
                "This placement's provider decides the application in the journey; it cannot be saved to continue on the bank's channel.",
            ));
        }
        reaching_the_bank(&state, record)?;
        let body = ControlFlowRequest {
            control_flow_id: app.control_flow_id.clone(),
        };
        let _: ApplicationStageResponse = state
            .bank
            .call(
                Method::POST,
                &ApplicationPaths::of(record.market).save_for_later(&app.reference),
                record.locale(),
                Some(&body),
            )
            .await
            .map_err(refused)?;
        state
            .store
            .mark_saved(&record.token_hash, now_unix())
            .await?;
        tracing::info!(reference = %app.reference, "application saved for later");
        current_progress(&state, record).await
    };
    Ok(Json(run_once(state, session, key, work).await?))
}

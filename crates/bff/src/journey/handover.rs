//! Handing the customer to the bank without an online decision: the Lead Capture journey's
//! one form, and "Save and exit" in the in-principle approval journey. Either way the bank
//! tells the customer how it carries on (a link to continue online, a representative's
//! call, or its next steps by SMS), and the widget says the same.

use super::context::{Context, Journeys};
use super::idempotency::run_once;
use super::provider;
use super::request::{ApiJson, ApiPath, IdempotencyKey, Session};
use super::session_record::SessionRecord;
use super::terms::terms_version;
use crate::error::AppError;
use axum::extract::State;
use axum::Json;
use onboarding_core::api::Progress;
use onboarding_core::forms::LeadForm;
use onboarding_core::plan::Step;

/// `POST /api/v1/leads`: the Lead Capture journey's form. By market, the bank creates the
/// application (APAC or EMEA) or records a prospect; nothing is decided online. Webhooks
/// stay for decisions: the partner learns of a lead through the signed return URL.
pub async fn submit_lead(
    State(state): State<Journeys>,
    session: Session,
    key: IdempotencyKey,
    ApiJson(form): ApiJson<LeadForm>,
) -> Result<Json<Progress>, AppError> {
    let key = key.bind(&form)?;
    let work = move |state: Journeys, session: SessionRecord| async move {
        let ctx = Context::open(&state, &session)?;
        // Before the answer for an existing application: an application of the approval
        // journey is not a lead, and answering it here would tell the widget it was one.
        ctx.accepts(Step::Lead, None)?;
        // One lead per session: a repeat answers with the one recorded.
        if let Some(existing) = ctx.application().await? {
            return Ok(ctx.progress(Some(&existing)));
        }
        let terms_version = terms_version(session.market, session.language);
        let lead = ctx
            .check(&terms_version, |form_context| {
                form.parse_composed(form_context)
            })
            .await?;
        provider::hand_over_lead(&ctx, &lead).await?;
        ctx.current_progress().await
    };
    Ok(Json(run_once(state, session, key, work).await?))
}

/// `POST /api/v1/applications/{reference}/save`: "Save and exit". The bank keeps the
/// application and sends the customer its reference and the way to continue.
pub async fn save_application(
    State(state): State<Journeys>,
    session: Session,
    key: IdempotencyKey,
    ApiPath(reference): ApiPath<String>,
) -> Result<Json<Progress>, AppError> {
    // No body: the method and path, in the key, are the whole request.
    let key = key.bind(&())?;
    let work = move |state: Journeys, session: SessionRecord| async move {
        let ctx = Context::open(&state, &session)?;
        let app = ctx.application_in_progress(&reference).await?;
        ctx.accepts(Step::Save, Some(&app))?;
        ctx.reaching_the_bank()?;
        provider::save(&ctx, &app).await?;
        ctx.current_progress().await
    };
    Ok(Json(run_once(state, session, key, work).await?))
}

//! The three stages. Each is checked with the core crate's rules (the authoritative check),
//! sent to the provider in order, and answered with where the application now stands.

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
use onboarding_core::forms::{AboutYouForm, FinancesForm, IdentityForm};
use onboarding_core::plan::Step;
use onboarding_core::Stage;

/// `POST /api/v1/applications`: stage 1 creates the bank's application and records consent.
pub async fn submit_about_you(
    State(state): State<Journeys>,
    session: Session,
    key: IdempotencyKey,
    ApiJson(form): ApiJson<AboutYouForm>,
) -> Result<Json<Progress>, AppError> {
    let key = key.bind(&form)?;
    let work = move |state: Journeys, session: SessionRecord| async move {
        let ctx = Context::open(&state, &session)?;
        // Before the answer for an existing application: a lead recorded in this session is
        // not what stage 1 asks for, and the widget must not take it for one.
        ctx.accepts(Step::Stage(Stage::AboutYou), None)?;
        // One application per session: a repeated stage 1 answers with the one that exists.
        if let Some(existing) = ctx.application().await? {
            return Ok(ctx.progress(Some(&existing)));
        }
        let terms_version = terms_version(session.market, session.language);
        let about = ctx
            .check(&terms_version, |form_context| {
                form.parse_composed(form_context)
            })
            .await?;
        provider::open(&ctx, &about).await?;
        ctx.current_progress().await
    };
    Ok(Json(run_once(state, session, key, work).await?))
}

/// `PUT /api/v1/applications/{reference}/identity`: stage 2 updates the application.
pub async fn submit_identity(
    State(state): State<Journeys>,
    session: Session,
    key: IdempotencyKey,
    ApiPath(reference): ApiPath<String>,
    ApiJson(form): ApiJson<IdentityForm>,
) -> Result<Json<Progress>, AppError> {
    let key = key.bind(&form)?;
    let work = move |state: Journeys, session: SessionRecord| async move {
        let ctx = Context::open(&state, &session)?;
        let app = ctx.application_in_progress(&reference).await?;
        if app.decision.is_some() {
            return Ok(ctx.progress(Some(&app)));
        }
        ctx.accepts(Step::Stage(Stage::Identity), Some(&app))?;
        let identity = ctx
            .check("", |form_context| form.parse_composed(form_context))
            .await?;
        provider::identity(&ctx, &app, &identity).await?;
        ctx.current_progress().await
    };
    Ok(Json(run_once(state, session, key, work).await?))
}

/// `PUT /api/v1/applications/{reference}/finances`: stage 3 updates the application, runs
/// background screening and the in-principle approval, and answers with the decision.
pub async fn submit_finances(
    State(state): State<Journeys>,
    session: Session,
    key: IdempotencyKey,
    ApiPath(reference): ApiPath<String>,
    ApiJson(form): ApiJson<FinancesForm>,
) -> Result<Json<Progress>, AppError> {
    let key = key.bind(&form)?;
    let work = move |state: Journeys, session: SessionRecord| async move {
        let ctx = Context::open(&state, &session)?;
        let app = ctx.application_in_progress(&reference).await?;
        if app.decision.is_some() {
            return Ok(ctx.progress(Some(&app)));
        }
        ctx.accepts(Step::Stage(Stage::Finances), Some(&app))?;
        let finances = ctx
            .check("", |form_context| form.parse_composed(form_context))
            .await?;
        provider::decide(&ctx, &app, &finances).await?;
        ctx.current_progress().await
    };
    Ok(Json(run_once(state, session, key, work).await?))
}

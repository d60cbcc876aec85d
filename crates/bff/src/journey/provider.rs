//! The seam between a journey and the provider that decides its applications: the bank
//! (on the market's APAC or EMEA API, or its prospects API for a lead) or connectFi. Each
//! step a stage handler runs goes through here, so a handler never asks who the provider is.

use super::application::{ApplicationRecord, BankOffer, BankStep, Handover};
use super::connectfi;
use super::context::Context;
use super::decision::{self, refused};
use crate::bank::{
    about_you_request, application_api, finances_update, identity_update, prospect_request,
    TERMS_CONSENT_TYPE,
};
use crate::error::AppError;
use crate::partners::Provider;
use crate::store::NewApplication;
use crate::time::now_unix;
use bank_api::{
    AcceptedOffer, ApplicationAddResponse, ApplicationStageResponse, ApplicationUpdateRequest,
    ControlFlowRequest, OfferAcceptanceRequest, ProspectAddResponse,
};
use onboarding_core::forms::{AboutYou, Finances, Identity, Lead};
use reqwest::Method;
use sha2::{Digest, Sha256};

/// Stage 1: opens the application (the bank's, or connectFi's once it has checked the
/// customer's verification) and records it with its consent.
pub(super) async fn open(ctx: &Context<'_>, about: &AboutYou) -> Result<(), AppError> {
    match ctx.partner.provider {
        Provider::Bank => create_application(ctx, about, None).await,
        Provider::Connectfi => connectfi::open(ctx, about).await,
    }
}

/// Stage 2: sends the customer's identity and address. connectFi verified them already;
/// the journey's plan has no identity stage for it.
pub(super) async fn identity(
    ctx: &Context<'_>,
    app: &ApplicationRecord,
    identity: &Identity,
) -> Result<(), AppError> {
    match ctx.partner.provider {
        Provider::Bank => {
            let update = identity_update(identity, ctx.session.market, &app.control_flow_id);
            update_application(ctx, app, &update).await?;
            if app.bank_step < BankStep::IdentitySent {
                ctx.state
                    .store
                    .advance(&ctx.session.token_hash, BankStep::IdentitySent, now_unix())
                    .await?;
            }
            Ok(())
        }
        Provider::Connectfi => Err(AppError::internal(
            "connectFi's journey has no identity stage to send",
        )),
    }
}

/// Stage 3: sends the customer's finances and asks for the decision, which is stored
/// before it is answered.
pub(super) async fn decide(
    ctx: &Context<'_>,
    app: &ApplicationRecord,
    finances: &Finances,
) -> Result<(), AppError> {
    match ctx.partner.provider {
        Provider::Bank => {
            if app.bank_step < BankStep::FinancesSent {
                let update = finances_update(finances, &app.control_flow_id);
                update_application(ctx, app, &update).await?;
                ctx.state
                    .store
                    .advance(&ctx.session.token_hash, BankStep::FinancesSent, now_unix())
                    .await?;
            }
            decision::decide(ctx, app).await?;
        }
        Provider::Connectfi => {
            connectfi::decide(ctx, app, finances).await?;
        }
    }
    Ok(())
}

/// "Save and exit": the bank keeps the application and sends the customer its reference
/// and the way to continue. connectFi's application exists only once it decides: the
/// journey's plan does not save it.
pub(super) async fn save(ctx: &Context<'_>, app: &ApplicationRecord) -> Result<(), AppError> {
    if ctx.partner.provider != Provider::Bank {
        return Err(AppError::internal(
            "only the bank's applications can be saved",
        ));
    }
    let body = ControlFlowRequest {
        control_flow_id: app.control_flow_id.clone(),
    };
    let _: ApplicationStageResponse = ctx
        .state
        .bank
        .call(
            Method::POST,
            &application_api(ctx.session.market).save_for_later(&app.reference),
            ctx.session.locale(),
            Some(&body),
        )
        .await
        .map_err(refused)?;
    ctx.state
        .store
        .mark_saved(&ctx.session.token_hash, now_unix())
        .await?;
    tracing::info!(reference = %app.reference, "application saved for later");
    Ok(())
}

/// Tells the bank the customer accepts one of the offers its decision made. connectFi
/// makes no offers: its decisions have none to accept.
pub(super) async fn accept_offer(
    ctx: &Context<'_>,
    app: &ApplicationRecord,
    offer: &BankOffer,
) -> Result<(), AppError> {
    match ctx.partner.provider {
        Provider::Bank => {
            let request = OfferAcceptanceRequest {
                control_flow_id: app.control_flow_id.clone(),
                accepted_offers: vec![AcceptedOffer {
                    offer_sequence_id: offer.id.clone(),
                    offer_product_code: offer.product_code.clone(),
                }],
            };
            let _: ApplicationStageResponse = ctx
                .state
                .bank
                .call(
                    Method::POST,
                    &application_api(ctx.session.market).offer_acceptance(&app.reference),
                    ctx.session.locale(),
                    Some(&request),
                )
                .await
                .map_err(refused)?;
            Ok(())
        }
        Provider::Connectfi => Err(AppError::internal("connectFi makes no offers to accept")),
    }
}

/// Lead Capture's form, handed to the bank: where the market's API decides online (APAC,
/// EMEA), as an application the bank's staff carry on; elsewhere as a prospect.
pub(super) async fn hand_over_lead(ctx: &Context<'_>, lead: &Lead) -> Result<(), AppError> {
    let session = ctx.session;
    if session.market.api_variant().decides_online() {
        return create_application(ctx, &lead.about, Some(Handover::Lead)).await;
    }
    let request = prospect_request(lead, session.market);
    let recorded: ProspectAddResponse = ctx
        .state
        .bank
        .call_as(
            Method::POST,
            bank_api::paths::PROSPECTS,
            session.locale(),
            Some(&request),
            &create_uuid(&session.token_hash, &request),
        )
        .await
        .map_err(refused)?;
    let new = NewApplication {
        reference: &recorded.prospect_id,
        // A prospect has no flow: the bank's staff take it from here.
        control_flow_id: "",
        partner_id: &ctx.partner.id,
        consent_type: TERMS_CONSENT_TYPE,
        terms_version: &lead.about.accepted_terms_version,
        step: BankStep::Created,
        decision: None,
        event: None,
        handover: Some(Handover::Lead),
    };
    ctx.state
        .store
        .insert_application(&session.token_hash, &new, now_unix())
        .await?;
    tracing::info!(reference = %recorded.prospect_id, partner = %ctx.partner.id, "prospect recorded");
    Ok(())
}

/// Creates the bank's application from stage 1 (on the market's API) and records it with
/// its consent; `handover` says whether it is a lead handed over as it is created.
async fn create_application(
    ctx: &Context<'_>,
    about: &AboutYou,
    handover: Option<Handover>,
) -> Result<(), AppError> {
    let (session, partner) = (ctx.session, ctx.partner);
    let request = about_you_request(about, session.market, &partner.product);
    let created: ApplicationAddResponse = ctx
        .state
        .bank
        .call_as(
            Method::POST,
            application_api(session.market).applications(),
            session.locale(),
            Some(&request),
            &create_uuid(&session.token_hash, &request),
        )
        .await
        .map_err(refused)?;
    let new = NewApplication {
        reference: &created.application_id,
        control_flow_id: &created.control_flow_id,
        partner_id: &partner.id,
        consent_type: TERMS_CONSENT_TYPE,
        terms_version: &about.accepted_terms_version,
        step: BankStep::Created,
        decision: None,
        event: None,
        handover,
    };
    ctx.state
        .store
        .insert_application(&session.token_hash, &new, now_unix())
        .await?;
    tracing::info!(reference = %created.application_id, partner = %partner.id, "application created");
    Ok(())
}

/// The create's `uuid`, which the bank honours as an idempotency key: derived from the
/// session and the request, so the customer's retry of stage 1 after the bank's answer was
/// lost for good (every transport retry failed, or the BFF restarted) gets the application
/// the bank already opened. Changed details are a new request, as they would be at the bank.
fn create_uuid(token_hash: &str, request: &impl serde::Serialize) -> String {
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
    ctx: &Context<'_>,
    app: &ApplicationRecord,
    update: &ApplicationUpdateRequest,
) -> Result<(), AppError> {
    let _: ApplicationStageResponse = ctx
        .state
        .bank
        .call(
            Method::PUT,
            &application_api(ctx.session.market).application(&app.reference),
            ctx.session.locale(),
            Some(update),
        )
        .await
        .map_err(refused)?;
    Ok(())
}

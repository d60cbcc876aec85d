//! Accepting one of the bank's offers: a counter-offer instead of the card applied for, or
//! a cross-sell offer beside an approved card.

use super::application::BankOffer;
use super::context::{Context, Journeys};
use super::idempotency::run_once;
use super::provider;
use super::request::{ApiJson, ApiPath, IdempotencyKey, Session};
use super::session_record::SessionRecord;
use crate::error::AppError;
use crate::store::WebhookEvent;
use crate::time::now_unix;
use axum::extract::State;
use axum::Json;
use onboarding_core::api::{AcceptOffer, ErrorCode, Progress};
use onboarding_core::Decision;

/// `POST /api/v1/applications/{reference}/offer-acceptance`: tells the bank the customer
/// accepts an offer and answers with the decision that follows.
pub async fn accept_offer(
    State(state): State<Journeys>,
    session: Session,
    key: IdempotencyKey,
    ApiPath(reference): ApiPath<String>,
    ApiJson(accept): ApiJson<AcceptOffer>,
) -> Result<Json<Progress>, AppError> {
    let key = key.bind(&accept)?;
    let work = move |state: Journeys, session: SessionRecord| async move {
        let ctx = Context::open(&state, &session)?;
        let app = ctx.own_application(&reference).await?;
        let not_open = || {
            AppError::client(
                ErrorCode::OfferNotFound,
                "The decision has no open offer with that id.",
            )
        };
        let (Some(decision), Some(bank)) = (&app.decision, &app.offers) else {
            return Err(not_open());
        };
        let offer = bank
            .offers
            .iter()
            .find(|o| o.id == accept.offer)
            .ok_or_else(not_open)?;
        let Some(next) = accepted(decision, offer, &bank.expires_on) else {
            return Err(not_open());
        };
        ctx.reaching_the_bank()?;
        provider::accept_offer(&ctx, &app, offer).await?;
        let write = |event: Option<WebhookEvent>, now| {
            let next = &next;
            let token_hash = &session.token_hash;
            let store = &state.store;
            async move {
                store
                    .update_decision(token_hash, next, event.as_ref(), now)
                    .await?;
                Ok::<_, AppError>(true)
            }
        };
        // A counter-offer taken changes the decision on the card (now an approval, with its
        // limit): the partner is told, and it is counted. A cross-sell offer leaves that
        // decision as it was.
        if offer.counter {
            ctx.store_decided(&app.reference, &next, "offer_acceptance", write)
                .await?;
        } else {
            write(None, now_unix()).await?;
        }
        tracing::info!(reference = %app.reference, offer = %offer.id, outcome = next.outcome().as_str(), "offer accepted");
        ctx.current_progress().await
    };
    Ok(Json(run_once(state, session, key, work).await?))
}

/// The decision once `offer` is accepted; `None` when the decision no longer offers it (a
/// counter-offer after another was taken, or a cross-sell offer already accepted).
fn accepted(decision: &Decision, offer: &BankOffer, expires_on: &str) -> Option<Decision> {
    match decision {
        Decision::CounterOffered { offers } if offer.counter => offers
            .iter()
            .any(|o| o.id == offer.id)
            .then(|| Decision::Approved {
                card: Some(offer.card.clone()),
                credit_limit: offer.credit_limit.clone(),
                expires_on: expires_on.to_owned(),
                offers: Vec::new(),
            }),
        Decision::Approved {
            card,
            credit_limit,
            expires_on,
            offers,
        } if !offer.counter => {
            let open = offers.iter().any(|o| o.id == offer.id && !o.accepted);
            open.then(|| Decision::Approved {
                card: card.clone(),
                credit_limit: credit_limit.clone(),
                expires_on: expires_on.clone(),
                offers: offers
                    .iter()
                    .map(|o| {
                        let mut o = o.clone();
                        o.accepted |= o.id == offer.id;
                        o
                    })
                    .collect(),
            })
        }
        _ => None,
    }
}

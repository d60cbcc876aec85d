//! Background screening and the in-principle approval, and what every bank error code
//! means for the customer.

use super::application::{ApplicationRecord, BankOffer, BankOffers, BankStep};
use super::context::Context;
use crate::bank::{application_api, BankError};
use crate::error::AppError;
use crate::faults::FaultPoint;
use crate::time::{now_unix, today_in};
use bank_api::{
    ApplicationStageResponse, ApplicationStatusResponse, BankErrorCode, ControlFlowRequest,
    CreditDecision, CreditSpecificRecommendations, InPrincipleApprovalResponse, ProductOffer,
};
use onboarding_core::api::ErrorCode;
use onboarding_core::{CreditLimit, Decision, Market, Offer};
use rand::Rng;
use reqwest::Method;
use std::time::{Duration, Instant};

/// The first wait while screening runs; it doubles up to [`MAX_POLL_DELAY`].
const FIRST_POLL_DELAY: Duration = Duration::from_millis(250);
const MAX_POLL_DELAY: Duration = Duration::from_secs(2);

/// What a bank error code means for the journey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankOutcome {
    /// The error is the bank's decision.
    Decided(Decision),
    /// No in-principle approval for this one: submit the full application for review by hand.
    SubmitForReview,
    /// Ask again after a while (screening is still running).
    AskAgainLater,
    /// Screening must run (again) before the decision.
    ScreenFirst,
    /// The customer is told this.
    Fails(ErrorCode),
}

/// The designed outcome of every error code of the swagger's `x-error-codes`.
pub fn outcome_of(code: BankErrorCode) -> BankOutcome {
    use BankErrorCode::*;
    match code {
        ApplicationRejected => BankOutcome::Decided(Decision::declined()),
        ApplicationNeedsManualReview => BankOutcome::SubmitForReview,
        // Screening failed to start the IPA: the bank reviews the application by hand.
        IpaNotInitiated => BankOutcome::Decided(Decision::Referred),
        AwaitingBackgroundScreeningResult => BankOutcome::AskAgainLater,
        PerformBackgroundScreeningFirst => BankOutcome::ScreenFirst,
        InvalidRequest => BankOutcome::Fails(ErrorCode::DetailsRejected),
        InPrincipalApprovalAlreadyGiven => BankOutcome::Fails(ErrorCode::AlreadyDecided),
        ProductAgreementExpired => BankOutcome::Fails(ErrorCode::OfferExpired),
        // Our sequence, our credentials or the bank itself: nothing the customer can fix,
        // and what they entered is kept for a retry.
        InvalidRequestSequence
        | IpaFailed
        | UnAuthorized
        | AccessNotConfigured
        | ServerUnavailable => BankOutcome::Fails(ErrorCode::BankUnavailable),
    }
}

/// The API error for a bank call that failed outside the decision (create and updates).
pub fn refused(error: BankError) -> AppError {
    match error.code().map(outcome_of) {
        Some(BankOutcome::Fails(code)) => fails(code, &error),
        _ => AppError::bank_unavailable(error),
    }
}

fn fails(code: ErrorCode, error: &BankError) -> AppError {
    match code {
        ErrorCode::BankUnavailable => AppError::bank_unavailable(error),
        ErrorCode::DetailsRejected => AppError::client(
            code,
            "The bank could not accept some of the details; check them and try again.",
        ),
        ErrorCode::AlreadyDecided => AppError::client(
            code,
            "The bank has already decided this application; it tells the customer by SMS.",
        ),
        ErrorCode::OfferExpired => AppError::client(code, "This card offer has ended."),
        other => AppError::client(other, error.to_string()),
    }
}

/// Runs screening (once) and asks for the in-principle approval until the bank decides,
/// waiting with growing, jittered pauses while screening runs, at most the configured time.
/// The decision is stored before it is returned, so a lost response loses nothing.
///
/// Each in-principle-approval request's `uuid` is stored before it is sent. When one was
/// sent before and no decision is stored (the instance that sent it died, or the bank's
/// answer was lost), the bank is asked what it decided before it is asked to decide again:
/// the real bank treats `uuid` as a tracing id only, so a blind repeat would be answered
/// "already decided" and the decision lost.
pub(super) async fn decide(
    ctx: &Context<'_>,
    app: &ApplicationRecord,
) -> Result<Decision, AppError> {
    let (state, session) = (ctx.state, ctx.session);
    let market = session.market;
    let body = ControlFlowRequest {
        control_flow_id: app.control_flow_id.clone(),
    };
    if app.ipa_uuid.is_some() {
        if let Some(recovered) = recover(ctx, app).await? {
            return record_decision(ctx, app, recovered).await;
        }
    }
    if app.bank_step < BankStep::ScreeningRequested {
        screen(ctx, app, &body).await?;
    }
    let deadline = Instant::now() + state.settings.decision_wait;
    let mut delay = FIRST_POLL_DELAY;
    let mut screened_again = false;
    let decided = loop {
        let uuid = uuid::Uuid::new_v4().to_string();
        state.faults.reached(FaultPoint::BeforeDecision).await;
        state
            .store
            .record_decision_attempt(&session.token_hash, &uuid, now_unix())
            .await?;
        let answer = state
            .bank
            .call_as::<InPrincipleApprovalResponse>(
                Method::POST,
                &application_api(market).in_principle_approvals(&app.reference),
                session.locale(),
                Some(&body),
                &uuid,
            )
            .await;
        let error = match answer {
            Ok(response) => {
                let card_name = |code: &str| state.partners.card_name(code);
                break decision_of(&response, market, card_name)
                    .map_err(AppError::bank_unavailable)?;
            }
            Err(error) => error,
        };
        match error.code().map(outcome_of) {
            Some(BankOutcome::Decided(decision)) => break (decision, None),
            Some(BankOutcome::SubmitForReview) => {
                submit_for_review(ctx, app, &body).await?;
                break (Decision::UnderReview, None);
            }
            Some(BankOutcome::AskAgainLater) if Instant::now() + delay < deadline => {
                let jitter = Duration::from_millis(
                    rand::thread_rng().gen_range(0..=delay.as_millis() as u64 / 4),
                );
                tokio::time::sleep(delay + jitter).await;
                delay = (delay * 2).min(MAX_POLL_DELAY);
            }
            Some(BankOutcome::AskAgainLater) => {
                return Err(AppError::client(ErrorCode::DecisionPending, "The bank is still screening the application; send this stage again in a little while."));
            }
            Some(BankOutcome::ScreenFirst) if !screened_again => {
                screened_again = true;
                screen(ctx, app, &body).await?;
            }
            // The bank decided on an earlier request whose answer never reached us.
            Some(BankOutcome::Fails(ErrorCode::AlreadyDecided)) => match recover(ctx, app).await? {
                Some(recovered) => break recovered,
                None => return Err(fails(ErrorCode::AlreadyDecided, &error)),
            },
            Some(BankOutcome::Fails(code)) => return Err(fails(code, &error)),
            _ => return Err(AppError::bank_unavailable(error)),
        }
    };
    state.faults.reached(FaultPoint::AfterDecision).await;
    let decision = record_decision(ctx, app, decided).await?;
    state.faults.reached(FaultPoint::AfterDecisionStored).await;
    Ok(decision)
}

/// Stores a provider's decision, with the offers it makes and the partner's event, and
/// answers the decision that stands: when a retry on another instance stored one first,
/// that one (with its offers, and its one event).
pub(super) async fn record_decision(
    ctx: &Context<'_>,
    app: &ApplicationRecord,
    (decision, offers): (Decision, Option<BankOffers>),
) -> Result<Decision, AppError> {
    let (state, session) = (ctx.state, ctx.session);
    let stored = ctx
        .store_decided(&app.reference, &decision, "decision", |event, now| {
            let (decision, offers) = (&decision, offers.as_ref());
            async move {
                let stored = state
                    .store
                    .store_decision(&session.token_hash, decision, offers, event.as_ref(), now)
                    .await?;
                Ok::<_, AppError>(stored)
            }
        })
        .await?;
    if !stored {
        let standing = state
            .store
            .find_application(&session.token_hash)
            .await?
            .and_then(|app| app.decision)
            .ok_or_else(|| AppError::internal("a decision was stored and then not found"))?;
        return Ok(standing);
    }
    let provider = ctx.partner.provider.as_str();
    tracing::info!(reference = %app.reference, provider, outcome = decision.outcome().as_str(), "decision");
    Ok(decision)
}

/// What the bank decided on an in-principle approval whose answer was lost, from the
/// application's status; `None` when the bank has not decided it.
async fn recover(
    ctx: &Context<'_>,
    app: &ApplicationRecord,
) -> Result<Option<(Decision, Option<BankOffers>)>, AppError> {
    let (state, session) = (ctx.state, ctx.session);
    let path = format!(
        "{}?{}={}",
        application_api(session.market).status(&app.reference),
        bank_api::query::CONTROL_FLOW_ID,
        app.control_flow_id
    );
    let status: ApplicationStatusResponse = state
        .bank
        .call(Method::GET, &path, session.locale(), None::<&()>)
        .await
        .map_err(refused)?;
    let Some(answer) = status.in_principle_approval() else {
        return Ok(None);
    };
    let card_name = |code: &str| state.partners.card_name(code);
    let recovered =
        decision_of(&answer, session.market, card_name).map_err(AppError::bank_unavailable)?;
    tracing::info!(reference = %app.reference, outcome = recovered.0.outcome().as_str(), "decision recovered from the bank's status");
    Ok(Some(recovered))
}

/// The full submission the bank asks for instead of an in-principle approval.
async fn submit_for_review(
    ctx: &Context<'_>,
    app: &ApplicationRecord,
    body: &ControlFlowRequest,
) -> Result<(), AppError> {
    let (state, session) = (ctx.state, ctx.session);
    let _: ApplicationStageResponse = state
        .bank
        .call(
            Method::POST,
            &application_api(session.market).submission(&app.reference),
            session.locale(),
            Some(body),
        )
        .await
        .map_err(refused)?;
    tracing::info!(reference = %app.reference, "submitted for manual review");
    Ok(())
}

/// Asks the bank to screen the applicant (background checks) before it decides.
async fn screen(
    ctx: &Context<'_>,
    app: &ApplicationRecord,
    body: &ControlFlowRequest,
) -> Result<(), AppError> {
    let (state, session) = (ctx.state, ctx.session);
    let _: ApplicationStageResponse = state
        .bank
        .call(
            Method::POST,
            &application_api(session.market).background_screening(&app.reference),
            session.locale(),
            Some(body),
        )
        .await
        .map_err(refused)?;
    state
        .store
        .advance(
            &session.token_hash,
            BankStep::ScreeningRequested,
            now_unix(),
        )
        .await?;
    Ok(())
}

/// Reads the decision on the requested product from the bank's IPA answer, with the offers
/// it makes: counter-offers when the card applied for is rejected, cross-sell offers beside
/// an approval.
fn decision_of(
    response: &InPrincipleApprovalResponse,
    market: Market,
    card_name: impl Fn(&str) -> String,
) -> Result<(Decision, Option<BankOffers>), String> {
    let product = response
        .requested_product_decision
        .first()
        .ok_or("no requestedProductDecision")?;
    let code = product
        .credit_decision
        .as_deref()
        .ok_or("no creditDecision")?;
    let decision = CreditDecision::from_code(code)
        .ok_or_else(|| format!("creditDecision {code:?} is not 000, 002 or 003"))?;
    // The bank's approval and offers lapse on its date; without one, the customer is told 30 days.
    let expires_on = response
        .ipa_expiry_date
        .clone()
        .unwrap_or_else(|| today_in(market).plus_days(30).to_string());
    let limit = |amount: f64| CreditLimit {
        amount: amount.floor() as u64,
        currency: market.currency().into(),
    };
    let offers = |list: &[ProductOffer], counter: bool| -> Vec<BankOffer> {
        list.iter()
            .filter_map(|offer| {
                // An offer without a limit cannot be shown honestly; the rest still can.
                let Some(amount) = recommended_limit(&offer.credit_specific_recommendations)
                else {
                    tracing::warn!(offer = %offer.offer_sequence_id, "offer without a recommendedCreditLimit left out");
                    return None;
                };
                Some(BankOffer {
                    id: offer.offer_sequence_id.clone(),
                    product_code: offer.offer_product_code.clone(),
                    counter,
                    card: card_name(&offer.offer_product_code),
                    credit_limit: limit(amount),
                })
            })
            .collect()
    };
    let shown = |offers: &[BankOffer]| -> Vec<Offer> {
        offers
            .iter()
            .map(|o| Offer {
                id: o.id.clone(),
                card: o.card.clone(),
                credit_limit: o.credit_limit.clone(),
                accepted: false,
            })
            .collect()
    };
    let (decision, offers) = match decision {
        CreditDecision::Approved => {
            let amount = recommended_limit(&product.credit_specific_recommendations)
                .ok_or("approved without a recommendedCreditLimit")?;
            let cross_sell = offers(&response.cross_sell_offers, false);
            let decision = Decision::Approved {
                card: None,
                credit_limit: limit(amount),
                expires_on: expires_on.clone(),
                offers: shown(&cross_sell),
            };
            (decision, cross_sell)
        }
        CreditDecision::Rejected => {
            let counter = offers(&response.counter_offers, true);
            if counter.is_empty() {
                (Decision::declined(), counter)
            } else {
                let decision = Decision::CounterOffered {
                    offers: shown(&counter),
                };
                (decision, counter)
            }
        }
        CreditDecision::Referred => (Decision::Referred, Vec::new()),
    };
    let offers = (!offers.is_empty()).then_some(BankOffers { expires_on, offers });
    Ok((decision, offers))
}

fn recommended_limit(recommendations: &[CreditSpecificRecommendations]) -> Option<f64> {
    recommendations
        .iter()
        .find_map(|r| r.recommended_credit_limit)
        .filter(|l| l.is_finite() && *l > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bank_error_code_has_a_designed_outcome() {
        for code in BankErrorCode::ALL {
            let outcome = outcome_of(code);
            if let BankOutcome::Fails(api) = outcome {
                assert_ne!(
                    api,
                    ErrorCode::Internal,
                    "{code:?} must not be an unexplained failure"
                );
            }
        }
        assert_eq!(
            outcome_of(BankErrorCode::ApplicationRejected),
            BankOutcome::Decided(Decision::declined())
        );
        assert_eq!(
            outcome_of(BankErrorCode::AwaitingBackgroundScreeningResult),
            BankOutcome::AskAgainLater
        );
    }
}

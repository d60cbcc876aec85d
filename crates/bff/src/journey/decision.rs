//! Background screening and the in-principle approval, and what every bank error code
//! means for the customer.

use crate::bank::BankError;
use crate::error::AppError;
use crate::store::{ApplicationRecord, BankStep, SessionRecord};
use crate::time::{now_unix, today_in};
use crate::AppState;
use bank_api::{
    paths, ApplicationStageResponse, BankErrorCode, ControlFlowRequest, CreditDecision,
    InPrincipleApprovalResponse,
};
use onboarding_core::api::ErrorCode;
use onboarding_core::{CreditLimit, Decision, Market};
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
        ApplicationRejected => BankOutcome::Decided(Decision::Declined),
        // Both mean no instant decision: the bank reviews the application by hand.
        ApplicationNeedsManualReview | IpaNotInitiated => BankOutcome::Decided(Decision::Referred),
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
pub async fn decide(
    state: &AppState,
    session: &SessionRecord,
    app: &ApplicationRecord,
) -> Result<Decision, AppError> {
    let market = session.market;
    let body = ControlFlowRequest {
        control_flow_id: app.control_flow_id.clone(),
    };
    if app.bank_step < BankStep::ScreeningRequested {
        screen(state, session, app, &body).await?;
    }
    let deadline = Instant::now() + state.journey.decision_wait;
    let mut delay = FIRST_POLL_DELAY;
    let mut screened_again = false;
    let decision = loop {
        let answer = state
            .bank
            .call::<InPrincipleApprovalResponse>(
                Method::POST,
                &paths::in_principle_approvals(&app.reference),
                market,
                Some(&body),
            )
            .await;
        let error = match answer {
            Ok(response) => {
                break decision_of(&response, market).map_err(AppError::bank_unavailable)?
            }
            Err(error) => error,
        };
        match error.code().map(outcome_of) {
            Some(BankOutcome::Decided(decision)) => break decision,
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
                screen(state, session, app, &body).await?;
            }
            Some(BankOutcome::Fails(code)) => return Err(fails(code, &error)),
            _ => return Err(AppError::bank_unavailable(error)),
        }
    };
    state
        .store
        .advance(
            &session.token_hash,
            BankStep::Decided,
            Some(&decision),
            now_unix(),
        )
        .await?;
    tracing::info!(reference = %app.reference, outcome = decision.outcome(), "decision");
    Ok(decision)
}

async fn screen(
    state: &AppState,
    session: &SessionRecord,
    app: &ApplicationRecord,
    body: &ControlFlowRequest,
) -> Result<(), AppError> {
    let _: ApplicationStageResponse = state
        .bank
        .call(
            Method::POST,
            &paths::background_screening(&app.reference),
            session.market,
            Some(body),
        )
        .await
        .map_err(refused)?;
    state
        .store
        .advance(
            &session.token_hash,
            BankStep::ScreeningRequested,
            None,
            now_unix(),
        )
        .await?;
    Ok(())
}

/// Reads the decision on the requested product from the bank's IPA answer.
fn decision_of(response: &InPrincipleApprovalResponse, market: Market) -> Result<Decision, String> {
    let product = response
        .requested_product_decision
        .first()
        .ok_or("no requestedProductDecision")?;
    let code = product
        .credit_decision
        .as_deref()
        .ok_or("no creditDecision")?;
    match CreditDecision::from_code(code)
        .ok_or_else(|| format!("creditDecision {code:?} is not 000, 002 or 003"))?
    {
        CreditDecision::Approved => {
            let limit = product
                .credit_specific_recommendations
                .iter()
                .find_map(|r| r.recommended_credit_limit)
                .filter(|l| l.is_finite() && *l > 0.0)
                .ok_or("approved without a recommendedCreditLimit")?;
            // The bank's approval lapses on its date; without one, the customer is told 30 days.
            let expires_on = response
                .ipa_expiry_date
                .clone()
                .unwrap_or_else(|| today_in(market).plus_days(30).to_string());
            Ok(Decision::Approved {
                credit_limit: CreditLimit {
                    amount: limit.floor() as u64,
                    currency: market.currency().into(),
                },
                expires_on,
            })
        }
        CreditDecision::Referred => Ok(Decision::Referred),
        CreditDecision::Rejected => Ok(Decision::Declined),
    }
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
            BankOutcome::Decided(Decision::Declined)
        );
        assert_eq!(
            outcome_of(BankErrorCode::AwaitingBackgroundScreeningResult),
            BankOutcome::AskAgainLater
        );
    }
}

//! The journey of a connectFi placement. connectFi knows the customer already (the partner's
//! server placed them by their connectFi id) and has verified their identity, so stage 1
//! checks that verification and stage 3 applies for the card; there is no identity stage.

use super::application::{ApplicationRecord, BankStep};
use super::context::Context;
use super::decision::{record_decision, refused};
use crate::bank::{BankError, TERMS_CONSENT_TYPE};
use crate::connectfi::ConnectFiClient;
use crate::error::AppError;
use crate::store::{NewApplication, WebhookEvent};
use crate::time::{now_unix, today_in};
use connectfi_api::{
    CreditApplication, CreditApplicationRequest, CREDIT_FREEZE, DELINQUENT_CREDIT_OBLIGATIONS,
    INSUFFICIENT_INCOME, UNABLE_TO_VERIFY_IDENTITY,
};
use onboarding_core::api::ErrorCode;
use onboarding_core::forms::{AboutYou, Finances};
use onboarding_core::{CreditLimit, Decision, DeclineReason, ReferenceField};
use rand::Rng;

/// How long an approval is shown as valid: connectFi's answer gives no date.
const APPROVAL_VALIDITY_DAYS: i64 = 30;

/// Stage 1: checks the customer's KYC status and records the application and the consent
/// under a reference of our own (connectFi's application only exists from stage 3). A
/// customer connectFi has not verified is told so at once instead of filling in stage 3.
pub(super) async fn open(ctx: &Context<'_>, about: &AboutYou) -> Result<(), AppError> {
    let (state, session, partner) = (ctx.state, ctx.session, ctx.partner);
    let (client, customer_id) = provider(ctx)?;
    let kyc = client.kyc_status(customer_id).await.map_err(refused)?;
    let verified = kyc.is_approved();
    let reference = new_reference();
    let declined = Decision::Declined {
        reasons: vec![DeclineReason::IdentityNotVerified],
    };
    let decision = (!verified).then_some(&declined);
    let insert = |event: Option<WebhookEvent>, now| {
        let (reference, terms_version) = (&reference, &about.accepted_terms_version);
        async move {
            let new = NewApplication {
                reference,
                control_flow_id: "",
                partner_id: &partner.id,
                consent_type: TERMS_CONSENT_TYPE,
                terms_version,
                // The identity stage is connectFi's verification, done or not.
                step: if verified {
                    BankStep::IdentitySent
                } else {
                    BankStep::Decided
                },
                decision,
                event: event.as_ref(),
                handover: None,
            };
            state
                .store
                .insert_application(&session.token_hash, &new, now)
                .await?;
            Ok::<_, AppError>(true)
        }
    };
    if verified {
        insert(None, now_unix()).await?;
    } else {
        // Declined at once: the partner hears of it, and it is counted, like any other
        // decision.
        ctx.store_decided(&reference, &declined, "decision", insert)
            .await?;
    }
    tracing::info!(%reference, partner = %partner.id, kyc = ?kyc.outcome, "connectFi application opened");
    Ok(())
}

/// Stage 3: applies for the card and stores connectFi's decision. The application is not
/// retried after a lost answer (connectFi would open a second one); the customer is told
/// the provider is unavailable and their own retry applies again.
pub(super) async fn decide(
    ctx: &Context<'_>,
    app: &ApplicationRecord,
    finances: &Finances,
) -> Result<Decision, AppError> {
    let (state, session) = (ctx.state, ctx.session);
    let (client, customer_id) = provider(ctx)?;
    let market = session.market;
    let employer = match &finances.employer_name {
        Some(name) => name.as_str().to_owned(),
        // connectFi requires an employer; those without one are described by their status.
        None => {
            let data = state
                .reference_data
                // connectFi reads English, whatever the customer's language.
                .get(
                    &state.bank,
                    crate::bank::CustomerLocale {
                        market,
                        language: onboarding_core::Language::English,
                    },
                )
                .await
                .map_err(AppError::bank_unavailable)?;
            data.label(
                ReferenceField::EmploymentStatus,
                finances.employment_status.as_str(),
            )
            .unwrap_or(finances.employment_status.as_str())
            .to_owned()
        }
    };
    let request = CreditApplicationRequest {
        customer_id: customer_id.to_owned(),
        employer,
        total_annual_income: finances.annual_income.as_units(),
        total_annual_income_currency: market.currency().to_owned(),
    };
    let answer = client.apply(&request).await.map_err(refused_by_connectfi)?;
    state
        .store
        .record_provider_application(&session.token_hash, &answer.application_id)
        .await?;
    let decision = decision_of(
        &answer,
        today_in(market)
            .plus_days(APPROVAL_VALIDITY_DAYS)
            .to_string(),
    )
    .map_err(AppError::bank_unavailable)?;
    tracing::info!(reference = %app.reference, connectfi_application = %answer.application_id, "connectFi answered");
    record_decision(ctx, app, (decision, None)).await
}

/// The client and the session's customer id; both exist for every connectFi session.
fn provider<'a>(ctx: &Context<'a>) -> Result<(&'a ConnectFiClient, &'a str), AppError> {
    let client = ctx
        .state
        .connectfi
        .as_deref()
        .ok_or_else(|| AppError::internal("connectFi session without a connectFi client"))?;
    let customer = ctx
        .session
        .customer_id
        .as_deref()
        .ok_or_else(|| AppError::internal("connectFi session without a customer id"))?;
    Ok((client, customer))
}

/// A 400 is connectFi refusing a detail our own check of its rules let through.
fn refused_by_connectfi(error: BankError) -> AppError {
    match &error {
        BankError::Refused { status, .. } if status.as_u16() == 400 => {
            tracing::warn!(%error, "connectFi refused the application's details");
            AppError::client(
                ErrorCode::DetailsRejected,
                "The provider could not accept some of the details; check them and try again.",
            )
        }
        _ => refused(error),
    }
}

/// connectFi's answer as the customer is told it: an approval with its limit, or a decline
/// with every reason it gave that has plain words (others are logged, not shown).
fn decision_of(answer: &CreditApplication, expires_on: String) -> Result<Decision, String> {
    if answer.is_approved() && !answer.credit_freeze {
        let limit = answer.credit_limit;
        if !(limit.is_finite() && limit > 0.0) {
            return Err(format!("approved with credit limit {limit}"));
        }
        return Ok(Decision::Approved {
            card: None,
            credit_limit: CreditLimit {
                amount: limit.floor() as u64,
                currency: answer.credit_limit_currency.clone(),
            },
            expires_on,
            offers: Vec::new(),
        });
    }
    let mut reasons = Vec::new();
    if answer.credit_freeze {
        reasons.push(DeclineReason::CreditFreeze);
    }
    for code in &answer.adverse_action {
        let reason = match code.as_str() {
            INSUFFICIENT_INCOME => DeclineReason::InsufficientIncome,
            DELINQUENT_CREDIT_OBLIGATIONS => DeclineReason::DelinquentCredit,
            CREDIT_FREEZE => DeclineReason::CreditFreeze,
            UNABLE_TO_VERIFY_IDENTITY => DeclineReason::IdentityNotVerified,
            other => {
                tracing::warn!(
                    adverse_action = other,
                    "adverse action without plain words; not shown"
                );
                continue;
            }
        };
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    Ok(Decision::Declined { reasons })
}

/// Our reference of a connectFi application: `CF` and ten random digits.
fn new_reference() -> String {
    let number: u64 = rand::thread_rng().gen_range(0..10_000_000_000);
    format!("CF{number:010}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(decision: &str, freeze: bool, limit: f64, reasons: &[&str]) -> CreditApplication {
        CreditApplication {
            application_id: "gsa_1".into(),
            customer_id: "cstap_1".into(),
            credit_freeze: freeze,
            credit_limit: limit,
            credit_limit_currency: "SGD".into(),
            decision: decision.into(),
            adverse_action: reasons.iter().map(|r| (*r).to_owned()).collect(),
        }
    }

    #[test]
    fn an_approval_keeps_its_limit_and_currency() {
        let decision = decision_of(&answer("Approve", false, 2700.0, &[]), "2026-12-22".into());
        assert_eq!(
            decision,
            Ok(Decision::Approved {
                card: None,
                credit_limit: CreditLimit {
                    amount: 2700,
                    currency: "SGD".into()
                },
                expires_on: "2026-12-22".into(),
                offers: Vec::new()
            })
        );
        assert!(decision_of(&answer("Approve", false, 0.0, &[]), String::new()).is_err());
    }

    #[test]
    fn declines_carry_the_reasons_that_have_words_once_each() {
        let decision = decision_of(
            &answer(
                "Decline",
                true,
                0.0,
                &["CREDIT_FREEZE", "INSUFFICIENT_INCOME", "SOMETHING_NEW"],
            ),
            String::new(),
        );
        assert_eq!(
            decision,
            Ok(Decision::Declined {
                reasons: vec![
                    DeclineReason::CreditFreeze,
                    DeclineReason::InsufficientIncome
                ]
            })
        );
        // A frozen file is never an approval, whatever the decision field says.
        assert!(matches!(
            decision_of(&answer("Approve", true, 1000.0, &[]), String::new()),
            Ok(Decision::Declined { .. })
        ));
    }

    #[test]
    fn references_are_cf_and_ten_digits() {
        let reference = new_reference();
        assert_eq!(reference.len(), 12);
        assert!(reference.starts_with("CF"));
        assert!(reference[2..].bytes().all(|b| b.is_ascii_digit()));
    }
}

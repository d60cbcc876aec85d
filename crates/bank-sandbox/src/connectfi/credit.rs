//! `POST /ibis/credit-card/application`: decides by test input, then by income, and keeps
//! every application.

use super::auth::Authorized;
use super::error::ConnectFiError;
use super::ids;
use super::json::ConnectFiJson;
use super::state::{ConnectFiState, StoredApplication};
use super::test_inputs::{DECLINE, FREEZE, KYC_DENIED};
use axum::extract::State;
use axum::Json;
use connectfi_api::{
    CreditApplication, CreditApplicationRequest, Envelope, CREDIT_FREEZE, DECISION_APPROVE,
    DECISION_DECLINE, DELINQUENT_CREDIT_OBLIGATIONS, INSUFFICIENT_INCOME,
    UNABLE_TO_VERIFY_IDENTITY,
};

/// Annual income below which credit is declined for `INSUFFICIENT_INCOME`.
pub const MINIMUM_INCOME: f64 = 20_000.0;
/// The highest limit the sandbox grants.
pub const MAXIMUM_LIMIT: f64 = 25_000.0;

/// What the rules decide about an application, before it gets an id.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Whether the customer's credit file is frozen.
    pub credit_freeze: bool,
    /// The limit; 0 when declined.
    pub credit_limit: f64,
    /// `Approve` or `Decline`.
    pub decision: &'static str,
    /// Why it was declined.
    pub adverse_action: Vec<&'static str>,
}

impl Decision {
    fn decline(adverse_action: &'static str) -> Self {
        Self {
            credit_freeze: false,
            credit_limit: 0.0,
            decision: DECISION_DECLINE,
            adverse_action: vec![adverse_action],
        }
    }
}

/// The sandbox's rules, first match deciding: the test customers, then income below
/// 20,000 declined, else approved with 10% of income rounded down to hundreds, at most
/// 25,000, in the income's currency.
pub fn decide(request: &CreditApplicationRequest) -> Decision {
    match request.customer_id.as_str() {
        DECLINE => return Decision::decline(DELINQUENT_CREDIT_OBLIGATIONS),
        FREEZE => {
            return Decision {
                credit_freeze: true,
                ..Decision::decline(CREDIT_FREEZE)
            }
        }
        KYC_DENIED => return Decision::decline(UNABLE_TO_VERIFY_IDENTITY),
        _ => {}
    }
    let income = request.total_annual_income;
    if income < MINIMUM_INCOME {
        return Decision::decline(INSUFFICIENT_INCOME);
    }
    // income / 1000 is a correctly rounded division, so a whole number of thousands stays
    // whole; 0.1 × income could land a hair below a hundred and lose it to the floor.
    let limit = ((income / 1000.0).floor() * 100.0).min(MAXIMUM_LIMIT);
    Decision {
        credit_freeze: false,
        credit_limit: limit,
        decision: DECISION_APPROVE,
        adverse_action: Vec::new(),
    }
}

/// `POST /ibis/credit-card/application`: every valid request is a new application, as
/// connectFi documents (identical requests make two applications).
pub async fn apply(
    _authorized: Authorized,
    State(state): State<ConnectFiState>,
    ConnectFiJson(request): ConnectFiJson<CreditApplicationRequest>,
) -> Result<Json<Envelope<CreditApplication>>, ConnectFiError> {
    request.validate()?;
    let decision = decide(&request);
    let application = CreditApplication {
        application_id: ids::random("gsa_"),
        customer_id: request.customer_id.clone(),
        credit_freeze: decision.credit_freeze,
        credit_limit: decision.credit_limit,
        credit_limit_currency: request.total_annual_income_currency.clone(),
        decision: decision.decision.to_owned(),
        adverse_action: decision
            .adverse_action
            .iter()
            .map(|&code| code.to_owned())
            .collect(),
    };
    tracing::info!(
        application_id = %application.application_id,
        decision = %application.decision,
        "connectFi credit application decided"
    );
    state.store(StoredApplication {
        request,
        application: application.clone(),
    });
    Ok(Json(Envelope::success(application, ids::request_id())))
}

/// `GET /sandbox/connectfi/applications`: every credit application, oldest first.
pub async fn list(State(state): State<ConnectFiState>) -> Json<Vec<StoredApplication>> {
    Json(state.applications())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(customer_id: &str, income: f64) -> CreditApplicationRequest {
        CreditApplicationRequest {
            customer_id: customer_id.into(),
            employer: "Amazon".into(),
            total_annual_income: income,
            total_annual_income_currency: "USD".into(),
        }
    }

    fn limit(income: f64) -> f64 {
        let decision = decide(&request("cstap_1", income));
        assert_eq!(decision.decision, "Approve");
        decision.credit_limit
    }

    #[test]
    fn income_below_20000_is_declined() {
        for income in [0.01, 19_999.99] {
            let decision = decide(&request("cstap_1", income));
            assert_eq!(decision, Decision::decline(INSUFFICIENT_INCOME));
        }
    }

    #[test]
    fn the_limit_is_a_tenth_of_income_in_whole_hundreds_up_to_25000() {
        assert_eq!(limit(20_000.0), 2_000.0);
        assert_eq!(limit(27_000.0), 2_700.0);
        assert_eq!(limit(50_000.0), 5_000.0);
        assert_eq!(limit(50_999.99), 5_000.0);
        assert_eq!(limit(51_000.0), 5_100.0);
        assert_eq!(limit(249_999.99), 24_900.0);
        assert_eq!(limit(250_000.0), 25_000.0);
        assert_eq!(limit(10_000_000.0), 25_000.0);
        // Every whole thousand gives exactly its hundred, with no floating-point loss.
        for thousands in 20..=250 {
            assert_eq!(
                limit(f64::from(thousands) * 1000.0),
                f64::from(thousands) * 100.0
            );
        }
    }

    #[test]
    fn test_customers_are_declined_whatever_their_income() {
        let decline = decide(&request(DECLINE, 90_000.0));
        assert_eq!(decline, Decision::decline(DELINQUENT_CREDIT_OBLIGATIONS));
        let freeze = decide(&request(FREEZE, 90_000.0));
        assert!(freeze.credit_freeze);
        assert_eq!(freeze.adverse_action, [CREDIT_FREEZE]);
        assert_eq!(freeze.credit_limit, 0.0);
        let kyc = decide(&request(KYC_DENIED, 90_000.0));
        assert_eq!(kyc, Decision::decline(UNABLE_TO_VERIFY_IDENTITY));
    }
}

//! Routes that are not the bank's: what the sandbox holds, for tests and demos to check
//! an outcome without going through the BFF.

use crate::error::BankError;
use crate::extract::BankPath;
use crate::markets::Market;
use crate::state::AppState;
use crate::store::{Application, Prospect};
use axum::extract::State;
use axum::Json;
use bank_api::{ApplicationStage, Language};
use serde::Serialize;

/// One application as the inspection routes show it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationSummary {
    application_id: String,
    market: Market,
    language: Language,
    surname: Option<String>,
    stage: ApplicationStage,
    credit_decision: Option<String>,
    recommended_credit_limit: Option<f64>,
    accepted_offers: Vec<String>,
}

impl From<&Application> for ApplicationSummary {
    fn from(application: &Application) -> Self {
        Self {
            application_id: application.id.clone(),
            market: application.market,
            language: application.language,
            surname: application
                .applicant
                .name
                .as_ref()
                .and_then(|n| n.surname.clone()),
            stage: application.stage,
            credit_decision: application
                .decision
                .as_ref()
                .map(|d| d.credit_decision.code().to_owned()),
            recommended_credit_limit: application
                .decision
                .as_ref()
                .and_then(|d| d.recommended_credit_limit),
            accepted_offers: application.accepted_offers.clone(),
        }
    }
}

/// `GET /sandbox/applications`: every application, oldest first.
pub async fn list(State(state): State<AppState>) -> Json<Vec<ApplicationSummary>> {
    Json(
        state
            .applications()
            .in_creation_order()
            .map(ApplicationSummary::from)
            .collect(),
    )
}

/// `GET /sandbox/applications/{applicationId}`.
pub async fn one(
    State(state): State<AppState>,
    BankPath(application_id): BankPath<String>,
) -> Result<Json<ApplicationSummary>, BankError> {
    state
        .applications()
        .get(&application_id)
        .map(|a| Json(ApplicationSummary::from(a)))
        .ok_or_else(|| BankError::resource_not_found(format!("Application {application_id:?}")))
}

/// One prospect as the inspection route shows it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProspectSummary {
    prospect_id: String,
    market: Market,
    language: Language,
    surname: Option<String>,
    product_group: String,
}

impl From<&Prospect> for ProspectSummary {
    fn from(prospect: &Prospect) -> Self {
        Self {
            prospect_id: prospect.id.clone(),
            market: prospect.market,
            language: prospect.language,
            surname: prospect.request.prospect.name.surname.clone(),
            product_group: prospect.request.interest.product_group.clone(),
        }
    }
}

/// `GET /sandbox/prospects`: every prospect, oldest first.
pub async fn prospects(State(state): State<AppState>) -> Json<Vec<ProspectSummary>> {
    Json(
        state
            .prospects()
            .in_order()
            .iter()
            .map(ProspectSummary::from)
            .collect(),
    )
}

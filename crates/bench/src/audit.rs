//! After a run: what the bank holds, what the BFF stored and what the partner was told,
//! compared, to count applications opened twice and decisions lost on the way.

use crate::customer::Outcome;
use onboarding_core::Decision;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// One application as the sandbox's `GET /sandbox/applications` lists it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BankApplication {
    pub application_id: String,
    pub surname: Option<String>,
    pub credit_decision: Option<String>,
}

/// One webhook the partner accepted, as the bench's receiver lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    /// The `webhook-id` header: the same for every attempt at one event.
    pub id: String,
    pub reference: String,
    pub outcome: String,
}

/// The three places a decision lives, compared.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Audit {
    /// Applications the bank holds.
    pub applications_at_bank: usize,
    /// Applications beyond the first of each customer: a stage 1 the bank got twice.
    pub duplicate_applications: usize,
    /// Applications the bank decided.
    pub decided_at_bank: usize,
    /// Decisions in the BFF's database.
    pub decisions_stored: usize,
    /// Decisions the customers were shown.
    pub decisions_shown: usize,
    /// Applications the partner was told of (distinct references accepted).
    pub webhooks_accepted: usize,
    /// Events the partner accepted more than once (distinct `webhook-id`s for one
    /// application: the same event retried is not counted).
    pub webhook_duplicates: usize,
    /// Decided at the bank, not stored by the BFF.
    pub lost_between_bank_and_bff: usize,
    /// Shown to the customer, not stored (or stored as another outcome).
    pub lost_between_bff_and_customer: usize,
    /// Stored, never accepted by the partner (or told as another outcome).
    pub lost_between_bff_and_partner: usize,
    /// The three above, added up.
    pub decisions_lost: usize,
}

/// Compares the journeys' outcomes with the BFF's stored decisions (reference → stored
/// decision JSON), the bank's applications and the partner's deliveries.
pub fn compare(
    journeys: &[(String, Outcome)],
    stored: &HashMap<String, Option<String>>,
    bank: &[BankApplication],
    deliveries: &[Delivery],
) -> Audit {
    let stored_outcomes: HashMap<&str, String> = stored
        .iter()
        .filter_map(|(reference, decision)| {
            let decision: Decision = serde_json::from_str(decision.as_deref()?).ok()?;
            Some((reference.as_str(), decision.outcome().as_str().to_owned()))
        })
        .collect();
    let mut per_surname: HashMap<&str, usize> = HashMap::new();
    for application in bank {
        *per_surname
            .entry(application.surname.as_deref().unwrap_or_default())
            .or_default() += 1;
    }
    let duplicate_applications = per_surname.values().map(|n| n - 1).sum();
    let decided_at_bank: Vec<&BankApplication> = bank
        .iter()
        .filter(|a| a.credit_decision.is_some())
        .collect();
    let lost_between_bank_and_bff = decided_at_bank
        .iter()
        .filter(|a| !stored_outcomes.contains_key(a.application_id.as_str()))
        .count();
    let shown: Vec<(&str, &str)> = journeys
        .iter()
        .filter_map(|(_, outcome)| {
            Some((
                outcome.reference.as_deref()?,
                outcome.result.as_deref().ok()?,
            ))
        })
        .collect();
    let lost_between_bff_and_customer = shown
        .iter()
        .filter(|(reference, outcome)| {
            stored_outcomes.get(reference).map(String::as_str) != Some(*outcome)
        })
        .count();
    let mut told: HashMap<&str, (HashSet<&str>, HashSet<&str>)> = HashMap::new();
    for delivery in deliveries {
        let (ids, outcomes) = told.entry(delivery.reference.as_str()).or_default();
        ids.insert(delivery.id.as_str());
        outcomes.insert(delivery.outcome.as_str());
    }
    let webhook_duplicates = told.values().map(|(ids, _)| ids.len() - 1).sum();
    let lost_between_bff_and_partner = stored_outcomes
        .iter()
        .filter(|(reference, outcome)| {
            told.get(*reference)
                .is_none_or(|(_, outcomes)| !outcomes.contains(outcome.as_str()))
        })
        .count();
    Audit {
        applications_at_bank: bank.len(),
        duplicate_applications,
        decided_at_bank: decided_at_bank.len(),
        decisions_stored: stored_outcomes.len(),
        decisions_shown: shown.len(),
        webhooks_accepted: told.len(),
        webhook_duplicates,
        lost_between_bank_and_bff,
        lost_between_bff_and_customer,
        lost_between_bff_and_partner,
        decisions_lost: lost_between_bank_and_bff
            + lost_between_bff_and_customer
            + lost_between_bff_and_partner,
    }
}

/// Every application's reference and stored decision (JSON), from the BFF's database.
pub async fn stored_decisions(
    database_url: &str,
) -> Result<HashMap<String, Option<String>>, String> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut connection = sqlx::AnyConnection::connect(database_url)
        .await
        .map_err(|e| format!("the BFF's database: {e}"))?;
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT reference, decision FROM applications")
            .fetch_all(&mut connection)
            .await
            .map_err(|e| format!("reading the BFF's decisions: {e}"))?;
    let _ = connection.close().await;
    Ok(rows.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const APPROVED: &str = r#"{"approved":{"credit_limit":{"amount":5000,"currency":"SGD"},"expires_on":"2026-12-22"}}"#;

    fn bank(id: &str, surname: &str, decided: bool) -> BankApplication {
        BankApplication {
            application_id: id.into(),
            surname: Some(surname.into()),
            credit_decision: decided.then(|| "000".into()),
        }
    }

    fn delivery(id: &str, reference: &str) -> Delivery {
        Delivery {
            id: id.into(),
            reference: reference.into(),
            outcome: "approved".into(),
        }
    }

    fn shown(surname: &str, reference: &str) -> (String, Outcome) {
        let outcome = Outcome {
            reference: Some(reference.into()),
            result: Ok("approved".into()),
        };
        (surname.into(), outcome)
    }

    #[test]
    fn a_clean_run_loses_and_doubles_nothing() {
        let stored = HashMap::from([
            ("A1".to_owned(), Some(APPROVED.to_owned())),
            ("A2".to_owned(), Some(APPROVED.to_owned())),
        ]);
        let audit = compare(
            &[shown("Bencha", "A1"), shown("Benchb", "A2")],
            &stored,
            &[bank("A1", "Bencha", true), bank("A2", "Benchb", true)],
            // A retried event keeps its id: not a duplicate.
            &[
                delivery("m1", "A1"),
                delivery("m1", "A1"),
                delivery("m2", "A2"),
            ],
        );
        assert_eq!(audit.decisions_lost, 0, "{audit:?}");
        assert_eq!(audit.duplicate_applications, 0);
        assert_eq!(audit.webhook_duplicates, 0);
        assert_eq!(audit.webhooks_accepted, 2);
    }

    #[test]
    fn each_gap_is_counted_where_it_is() {
        let stored = HashMap::from([
            ("A1".to_owned(), Some(APPROVED.to_owned())),
            ("A2".to_owned(), None),
            ("A4".to_owned(), Some(APPROVED.to_owned())),
        ]);
        let audit = compare(
            &[shown("Bencha", "A1"), shown("Benchc", "A3")],
            &stored,
            &[
                bank("A1", "Bencha", true),
                bank("A2", "Benchb", true),
                // Stage 1 opened twice for one customer.
                bank("A5", "Benchb", false),
                bank("A4", "Benchd", true),
            ],
            &[delivery("m1", "A1"), delivery("m9", "A1")],
        );
        assert_eq!(audit.duplicate_applications, 1);
        assert_eq!(audit.lost_between_bank_and_bff, 1, "A2");
        assert_eq!(audit.lost_between_bff_and_customer, 1, "A3");
        assert_eq!(audit.lost_between_bff_and_partner, 1, "A4");
        assert_eq!(audit.decisions_lost, 3);
        assert_eq!(audit.webhook_duplicates, 1);
    }
}

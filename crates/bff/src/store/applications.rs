//! The bank's applications behind sessions, with the consents given for them and their
//! decisions. A decision is stored with its partner's webhook event, in one transaction.

use super::outbox::{insert_event, WebhookEvent};
use super::{from_json, Store};
use crate::journey::{ApplicationRecord, BankOffers, BankStep, Handover};
use onboarding_core::Decision;
use sqlx::any::AnyRow;
use sqlx::{Connection as _, Row};

/// The name `applications.handover` stores a handover by.
fn handover_name(handover: Handover) -> &'static str {
    match handover {
        Handover::Lead => "lead",
        Handover::Saved => "saved",
    }
}

/// The handover `applications.handover` names, if any.
fn handover_of(name: Option<String>) -> Result<Option<Handover>, sqlx::Error> {
    match name.as_deref() {
        None => Ok(None),
        Some("lead") => Ok(Some(Handover::Lead)),
        Some("saved") => Ok(Some(Handover::Saved)),
        Some(other) => Err(sqlx::Error::Decode(
            format!("unknown handover {other:?}").into(),
        )),
    }
}

/// The names `applications.bank_step` stores the steps by.
const BANK_STEP_NAMES: [(BankStep, &str); 5] = [
    (BankStep::Created, "created"),
    (BankStep::IdentitySent, "identity_sent"),
    (BankStep::FinancesSent, "finances_sent"),
    (BankStep::ScreeningRequested, "screening_requested"),
    (BankStep::Decided, "decided"),
];

/// The name `applications.bank_step` stores a step by.
fn bank_step_name(step: BankStep) -> &'static str {
    BANK_STEP_NAMES
        .iter()
        .find(|(s, _)| *s == step)
        .map_or("created", |(_, n)| n)
}

/// The step `applications.bank_step` names.
fn bank_step_of(name: &str) -> Result<BankStep, sqlx::Error> {
    BANK_STEP_NAMES
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(s, _)| *s)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown bank step {name:?}").into()))
}

/// A new application and the consent that came with it.
pub struct NewApplication<'a> {
    pub reference: &'a str,
    pub control_flow_id: &'a str,
    pub partner_id: &'a str,
    pub consent_type: &'a str,
    pub terms_version: &'a str,
    /// Where the application starts: `Created` at the bank; further for a provider that
    /// has done a step already.
    pub step: BankStep,
    /// A decision known from the start (a provider that refuses at once).
    pub decision: Option<&'a Decision>,
    /// The partner's webhook event of that decision, when it takes webhooks.
    pub event: Option<&'a WebhookEvent>,
    /// A lead is handed over as it is recorded.
    pub handover: Option<Handover>,
}

/// The columns of an application, named with their table (see [`super::sessions`]).
pub(super) const APPLICATION_COLUMNS: &str = "applications.reference, \
    applications.control_flow_id, applications.bank_step, applications.decision, \
    applications.offers, applications.handover, applications.ipa_uuid";

/// The application a row holds in [`APPLICATION_COLUMNS`]; none where they are null (a
/// session's row joined with the application it does not have yet).
pub(super) fn application_of(row: &AnyRow) -> Result<Option<ApplicationRecord>, sqlx::Error> {
    let Some(reference) = row.try_get("reference")? else {
        return Ok(None);
    };
    Ok(Some(ApplicationRecord {
        reference,
        control_flow_id: row.try_get("control_flow_id")?,
        bank_step: bank_step_of(&row.try_get::<String, _>("bank_step")?)?,
        decision: from_json(row.try_get("decision")?)?,
        offers: from_json(row.try_get("offers")?)?,
        handover: handover_of(row.try_get("handover")?)?,
        ipa_uuid: row.try_get("ipa_uuid")?,
    }))
}

impl Store {
    /// The application of a session.
    pub async fn find_application(
        &self,
        token_hash: &str,
    ) -> Result<Option<ApplicationRecord>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM applications WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&mut *self.reader().await?)
        .await?;
        Ok(row.as_ref().map(application_of).transpose()?.flatten())
    }

    /// Records the application the bank created and the consent given for it, together;
    /// durable when it returns (see `durability.rs`), as every write below that records
    /// a decision, a handover or what recovers a decision is.
    pub async fn insert_application(
        &self,
        token_hash: &str,
        new: &NewApplication<'_>,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let mut connection = self.writer().await?;
        let mut tx = connection.begin().await?;
        let decision = new
            .decision
            .map(|d| serde_json::to_string(d).expect("a decision always serialises"));
        sqlx::query("INSERT INTO applications (token_hash, reference, control_flow_id, bank_step, decision, handover, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(token_hash)
            .bind(new.reference)
            .bind(new.control_flow_id)
            .bind(bank_step_name(new.step))
            .bind(decision)
            .bind(new.handover.map(handover_name))
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO consents (reference, partner_id, consent_type, terms_version, accepted_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(new.reference)
            .bind(new.partner_id)
            .bind(new.consent_type)
            .bind(new.terms_version)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if let Some(event) = new.event {
            insert_event(&mut tx, event, now).await?;
        }
        tx.commit().await?;
        // The flush waits for the disk, not for the writer: other writes go on meanwhile.
        drop(connection);
        // The consent is evidence, and the application may come decided.
        self.make_durable().await
    }

    /// Marks the session's application saved for the customer to continue elsewhere.
    pub async fn mark_saved(&self, token_hash: &str, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE applications SET handover = $1, updated_at = $2 WHERE token_hash = $3")
            .bind(handover_name(Handover::Saved))
            .bind(now)
            .bind(token_hash)
            .execute(&mut *self.writer().await?)
            .await?;
        self.make_durable().await
    }

    /// Stores the application's decision with the offers it makes and, in the same
    /// transaction, the partner's event of it: a decision is never kept without its event
    /// or its offers, nor an event without its decision. `false` when a decision was stored
    /// already (by a retry on another instance that recovered it first): the first one
    /// stands, with its offers, and its event is the only one.
    pub async fn store_decision(
        &self,
        token_hash: &str,
        decision: &Decision,
        offers: Option<&BankOffers>,
        event: Option<&WebhookEvent>,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let mut connection = self.writer().await?;
        let mut tx = connection.begin().await?;
        let decision = serde_json::to_string(decision).expect("a decision always serialises");
        let offers = offers.map(|o| serde_json::to_string(o).expect("offers always serialise"));
        let stored = sqlx::query("UPDATE applications SET bank_step = $1, decision = $2, offers = $3, updated_at = $4 WHERE token_hash = $5 AND decision IS NULL")
            .bind(bank_step_name(BankStep::Decided))
            .bind(decision)
            .bind(offers)
            .bind(now)
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        if stored.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        if let Some(event) = event {
            insert_event(&mut tx, event, now).await?;
        }
        tx.commit().await?;
        drop(connection);
        self.make_durable().await?;
        Ok(true)
    }

    /// Replaces the decision after the customer accepted one of its offers, with the
    /// partner's event of the new one when the partner is told of it.
    pub async fn update_decision(
        &self,
        token_hash: &str,
        decision: &Decision,
        event: Option<&WebhookEvent>,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let mut connection = self.writer().await?;
        let mut tx = connection.begin().await?;
        let decision = serde_json::to_string(decision).expect("a decision always serialises");
        sqlx::query("UPDATE applications SET decision = $1, updated_at = $2 WHERE token_hash = $3")
            .bind(decision)
            .bind(now)
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        if let Some(event) = event {
            insert_event(&mut tx, event, now).await?;
        }
        tx.commit().await?;
        drop(connection);
        self.make_durable().await
    }

    /// Moves an application forward to `step` before its decision (which only
    /// [`store_decision`](Self::store_decision) stores, so that its event is never forgotten).
    pub async fn advance(
        &self,
        token_hash: &str,
        step: BankStep,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE applications SET bank_step = $1, updated_at = $2 WHERE token_hash = $3",
        )
        .bind(bank_step_name(step))
        .bind(now)
        .bind(token_hash)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    /// Records, before it is sent, the `uuid` of an in-principle-approval request.
    pub async fn record_decision_attempt(
        &self,
        token_hash: &str,
        uuid: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE applications SET ipa_uuid = $1, updated_at = $2 WHERE token_hash = $3")
            .bind(uuid)
            .bind(now)
            .bind(token_hash)
            .execute(&mut *self.writer().await?)
            .await?;
        // Lost, a decision the bank made could not be recovered.
        self.make_durable().await
    }

    /// Records the provider's own id of the application.
    pub async fn record_provider_application(
        &self,
        token_hash: &str,
        provider_application_id: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE applications SET provider_application_id = $1 WHERE token_hash = $2")
            .bind(provider_application_id)
            .bind(token_hash)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// The consents recorded for an application: (type, terms version, accepted at).
    pub async fn consents(
        &self,
        reference: &str,
    ) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
        sqlx::query_as("SELECT consent_type, terms_version, accepted_at FROM consents WHERE reference = $1 ORDER BY id")
            .bind(reference)
            .fetch_all(&mut *self.reader().await?)
            .await
    }
}

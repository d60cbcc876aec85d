//! The bank's applications behind sessions, with the consents given for them and their
//! decisions. A decision is stored with its partner's webhook event, in one transaction.

use super::outbox::{insert_event, WebhookEvent};
use super::{from_json, Store};
use onboarding_core::{CreditLimit, Decision, Outcome};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Connection as _, Row};

/// The bank's application behind a session.
#[derive(Debug, Clone)]
pub struct ApplicationRecord {
    pub reference: String,
    pub control_flow_id: String,
    pub bank_step: BankStep,
    pub decision: Option<Decision>,
    /// What accepting one of the decision's offers needs.
    pub offers: Option<BankOffers>,
    /// How the application left the widget without a decision, if it did.
    pub handover: Option<Handover>,
    /// The `uuid` of the in-principle-approval request last sent, recorded before it was
    /// sent: with no decision stored, the bank may have decided and its answer been lost.
    pub ipa_uuid: Option<String>,
}

/// How the bank came to have an application without deciding it online.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handover {
    /// Lead Capture handed the customer's details to the bank.
    Lead,
    /// The customer saved it to continue on the bank's channel ("Save and exit").
    Saved,
}

impl Handover {
    fn as_str(self) -> &'static str {
        match self {
            Self::Lead => "lead",
            Self::Saved => "saved",
        }
    }

    fn parse(name: Option<String>) -> Result<Option<Self>, sqlx::Error> {
        match name.as_deref() {
            None => Ok(None),
            Some("lead") => Ok(Some(Self::Lead)),
            Some("saved") => Ok(Some(Self::Saved)),
            Some(other) => Err(sqlx::Error::Decode(
                format!("unknown handover {other:?}").into(),
            )),
        }
    }

    /// The outcome the partner is told, in the signed return URL.
    pub const fn outcome(self) -> Outcome {
        match self {
            Self::Lead => Outcome::LeadReceived,
            Self::Saved => Outcome::Saved,
        }
    }
}

/// The offers of a decision as the bank names them, and when they lapse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankOffers {
    /// YYYY-MM-DD, the approval date an accepted counter-offer gets.
    pub expires_on: String,
    pub offers: Vec<BankOffer>,
}

/// One offer: the id the widget knows it by, and what the bank needs to accept it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankOffer {
    /// The bank's `offerSequenceId`, also the offer's id in the decision.
    pub id: String,
    pub product_code: String,
    /// A counter-offer replaces the card applied for; a cross-sell offer adds to it.
    pub counter: bool,
    pub card: String,
    pub credit_limit: CreditLimit,
}

/// How far the bank has been told about an application, in the order of the calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BankStep {
    Created,
    IdentitySent,
    FinancesSent,
    ScreeningRequested,
    Decided,
}

impl BankStep {
    const NAMES: [(Self, &'static str); 5] = [
        (Self::Created, "created"),
        (Self::IdentitySent, "identity_sent"),
        (Self::FinancesSent, "finances_sent"),
        (Self::ScreeningRequested, "screening_requested"),
        (Self::Decided, "decided"),
    ];

    fn as_str(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(s, _)| *s == self)
            .map_or("created", |(_, n)| n)
    }

    fn parse(name: &str) -> Result<Self, sqlx::Error> {
        Self::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(s, _)| *s)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown bank step {name:?}").into()))
    }
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
        bank_step: BankStep::parse(&row.try_get::<String, _>("bank_step")?)?,
        decision: from_json(row.try_get("decision")?)?,
        offers: from_json(row.try_get("offers")?)?,
        handover: Handover::parse(row.try_get("handover")?)?,
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
            .bind(new.step.as_str())
            .bind(decision)
            .bind(new.handover.map(Handover::as_str))
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
            .bind(Handover::Saved.as_str())
            .bind(now)
            .bind(token_hash)
            .execute(&mut *self.writer().await?)
            .await?;
        self.make_durable().await
    }

    /// Stores the application's decision and, in the same transaction, the partner's event
    /// of it: a decision is never kept without its event, nor an event without its decision.
    /// `false` when a decision was stored already (by a retry on another instance that
    /// recovered it first): the first one stands, and its event is the only one.
    pub async fn decide(
        &self,
        token_hash: &str,
        decision: &Decision,
        event: Option<&WebhookEvent>,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let mut connection = self.writer().await?;
        let mut tx = connection.begin().await?;
        let decision = serde_json::to_string(decision).expect("a decision always serialises");
        let stored = sqlx::query("UPDATE applications SET bank_step = $1, decision = $2, updated_at = $3 WHERE token_hash = $4 AND decision IS NULL")
            .bind(BankStep::Decided.as_str())
            .bind(decision)
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
    /// [`decide`](Self::decide) stores, so that its event is never forgotten).
    pub async fn advance(
        &self,
        token_hash: &str,
        step: BankStep,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE applications SET bank_step = $1, updated_at = $2 WHERE token_hash = $3",
        )
        .bind(step.as_str())
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

    /// Records the offers of a decision; call before storing the decision that shows them.
    pub async fn record_offers(
        &self,
        token_hash: &str,
        offers: &BankOffers,
    ) -> Result<(), sqlx::Error> {
        let offers = serde_json::to_string(offers).expect("offers always serialise");
        sqlx::query("UPDATE applications SET offers = $1 WHERE token_hash = $2")
            .bind(offers)
            .bind(token_hash)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
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

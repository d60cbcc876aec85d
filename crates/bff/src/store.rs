//! Sessions, applications, consents and idempotent responses in SQLite.

use onboarding_core::{CreditLimit, Decision, Language, Market};
use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// The database, migrated on connect.
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
}

/// A live session.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub token_hash: String,
    pub partner_id: String,
    pub market: Market,
    pub return_url: String,
    /// The customer's id at the partner's provider, when that provider knows the customer.
    pub customer_id: Option<String>,
    /// The language the customer reads, and the bank writes to them in.
    pub language: Language,
}

impl SessionRecord {
    /// Whom the session's bank calls are made for.
    pub fn locale(&self) -> crate::bank::CustomerLocale {
        crate::bank::CustomerLocale {
            market: self.market,
            language: self.language,
        }
    }
}

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
    pub const fn outcome(self) -> &'static str {
        match self {
            Self::Lead => "lead_received",
            Self::Saved => "saved",
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

/// An event for a partner's webhook, as the outbox keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEvent {
    /// Sent as `Webhook-Id`.
    pub id: String,
    pub partner_id: String,
    pub reference: String,
    /// The JSON body.
    pub body: String,
}

/// An event in the outbox, with how its delivery has gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    pub event: WebhookEvent,
    pub attempts: u32,
    /// Milliseconds since the epoch.
    pub next_attempt_at: i64,
    /// Milliseconds since the epoch, once the partner accepted it.
    pub delivered_at: Option<i64>,
    pub last_error: Option<String>,
}

impl Store {
    /// Opens (creating if missing) the database in WAL mode and applies the migrations.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    /// Records a new session.
    pub async fn create_session(
        &self,
        session: &SessionRecord,
        now: i64,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO sessions (token_hash, partner_id, market, return_url, customer_id, language, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(&session.token_hash)
            .bind(&session.partner_id)
            .bind(session.market.code())
            .bind(&session.return_url)
            .bind(&session.customer_id)
            .bind(session.language.tag())
            .bind(now)
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The session with this token hash, if it has not expired.
    pub async fn find_session(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<SessionRecord>, sqlx::Error> {
        let row = sqlx::query("SELECT partner_id, market, return_url, customer_id, language FROM sessions WHERE token_hash = ? AND expires_at > ?")
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let market: String = row.try_get("market")?;
            let language: String = row.try_get("language")?;
            Ok(SessionRecord {
                language: Language::from_tag(&language).ok_or_else(|| {
                    sqlx::Error::Decode(format!("unknown language {language:?}").into())
                })?,
                token_hash: token_hash.to_owned(),
                partner_id: row.try_get("partner_id")?,
                market: Market::from_code(&market).ok_or_else(|| {
                    sqlx::Error::Decode(format!("unknown market {market:?}").into())
                })?,
                return_url: row.try_get("return_url")?,
                customer_id: row.try_get("customer_id")?,
            })
        })
        .transpose()
    }

    /// Takes the session for one state-changing request; `false` when another holds it.
    pub async fn claim_session(
        &self,
        token_hash: &str,
        now: i64,
        lease_secs: i64,
    ) -> Result<bool, sqlx::Error> {
        let claimed = sqlx::query(
            "UPDATE sessions SET busy_until = ? WHERE token_hash = ? AND busy_until <= ?",
        )
        .bind(now + lease_secs)
        .bind(token_hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(claimed.rows_affected() == 1)
    }

    /// Gives the session back.
    pub async fn release_session(&self, token_hash: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE sessions SET busy_until = 0 WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The application of a session.
    pub async fn find_application(
        &self,
        token_hash: &str,
    ) -> Result<Option<ApplicationRecord>, sqlx::Error> {
        let row = sqlx::query("SELECT reference, control_flow_id, bank_step, decision, offers, handover FROM applications WHERE token_hash = ?")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let decision: Option<String> = row.try_get("decision")?;
            let offers: Option<String> = row.try_get("offers")?;
            Ok(ApplicationRecord {
                reference: row.try_get("reference")?,
                control_flow_id: row.try_get("control_flow_id")?,
                bank_step: BankStep::parse(row.try_get("bank_step")?)?,
                decision: from_json(decision)?,
                offers: from_json(offers)?,
                handover: Handover::parse(row.try_get("handover")?)?,
            })
        })
        .transpose()
    }

    /// Records the application the bank created and the consent given for it, together.
    pub async fn insert_application(
        &self,
        token_hash: &str,
        new: &NewApplication<'_>,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let decision = new
            .decision
            .map(|d| serde_json::to_string(d).expect("a decision always serialises"));
        sqlx::query("INSERT INTO applications (token_hash, reference, control_flow_id, bank_step, decision, handover, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
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
        sqlx::query("INSERT INTO consents (reference, partner_id, consent_type, terms_version, accepted_at) VALUES (?, ?, ?, ?, ?)")
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
        tx.commit().await
    }

    /// Marks the session's application saved for the customer to continue elsewhere.
    pub async fn mark_saved(&self, token_hash: &str, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE applications SET handover = ?, updated_at = ? WHERE token_hash = ?")
            .bind(Handover::Saved.as_str())
            .bind(now)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Stores the application's decision and, in the same transaction, the partner's event
    /// of it: a decision is never kept without its event, nor an event without its decision.
    pub async fn decide(
        &self,
        token_hash: &str,
        decision: &Decision,
        event: Option<&WebhookEvent>,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let decision = serde_json::to_string(decision).expect("a decision always serialises");
        sqlx::query("UPDATE applications SET bank_step = ?, decision = ?, updated_at = ? WHERE token_hash = ?")
            .bind(BankStep::Decided.as_str())
            .bind(decision)
            .bind(now)
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        if let Some(event) = event {
            insert_event(&mut tx, event, now).await?;
        }
        tx.commit().await
    }

    /// Events not yet delivered, with fewer than `max_attempts` attempts, due at `now_ms`,
    /// oldest first.
    pub async fn due_events(
        &self,
        now_ms: i64,
        max_attempts: u32,
        limit: u32,
    ) -> Result<Vec<OutboxRecord>, sqlx::Error> {
        let rows = sqlx::query("SELECT * FROM webhook_outbox WHERE delivered_at IS NULL AND attempts < ? AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?")
            .bind(max_attempts)
            .bind(now_ms)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(outbox_record).collect()
    }

    /// When the next undelivered event with attempts left is due (milliseconds).
    pub async fn next_event_due(&self, max_attempts: u32) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM webhook_outbox WHERE delivered_at IS NULL AND attempts < ?")
            .bind(max_attempts)
            .fetch_one(&self.pool)
            .await
    }

    /// Takes an event for one attempt, until `lease_until_ms`; `false` when another
    /// instance took it first (it no longer has the due time this one read).
    pub async fn claim_event(
        &self,
        record: &OutboxRecord,
        lease_until_ms: i64,
    ) -> Result<bool, sqlx::Error> {
        let claimed = sqlx::query("UPDATE webhook_outbox SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ? AND delivered_at IS NULL")
            .bind(lease_until_ms)
            .bind(&record.event.id)
            .bind(record.next_attempt_at)
            .execute(&self.pool)
            .await?;
        Ok(claimed.rows_affected() == 1)
    }

    /// Records an attempt the partner accepted.
    pub async fn event_delivered(&self, id: &str, at_ms: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE webhook_outbox SET attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE id = ?")
            .bind(at_ms)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a failed attempt and when to try again.
    pub async fn event_failed(
        &self,
        id: &str,
        error: &str,
        next_attempt_at_ms: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE webhook_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?")
            .bind(error)
            .bind(next_attempt_at_ms)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Every event in the outbox, oldest first (for operators and tests).
    pub async fn outbox(&self) -> Result<Vec<OutboxRecord>, sqlx::Error> {
        let rows = sqlx::query("SELECT * FROM webhook_outbox ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(outbox_record).collect()
    }

    /// Moves an application forward to `step` before its decision (which only
    /// [`decide`](Self::decide) stores, so that its event is never forgotten).
    pub async fn advance(
        &self,
        token_hash: &str,
        step: BankStep,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE applications SET bank_step = ?, updated_at = ? WHERE token_hash = ?")
            .bind(step.as_str())
            .bind(now)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records the offers of a decision; call before storing the decision that shows them.
    pub async fn record_offers(
        &self,
        token_hash: &str,
        offers: &BankOffers,
    ) -> Result<(), sqlx::Error> {
        let offers = serde_json::to_string(offers).expect("offers always serialise");
        sqlx::query("UPDATE applications SET offers = ? WHERE token_hash = ?")
            .bind(offers)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records the provider's own id of the application.
    pub async fn record_provider_application(
        &self,
        token_hash: &str,
        provider_application_id: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE applications SET provider_application_id = ? WHERE token_hash = ?")
            .bind(provider_application_id)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The consents recorded for an application: (type, terms version, accepted at).
    pub async fn consents(
        &self,
        reference: &str,
    ) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
        sqlx::query_as("SELECT consent_type, terms_version, accepted_at FROM consents WHERE reference = ? ORDER BY id")
            .bind(reference)
            .fetch_all(&self.pool)
            .await
    }

    /// The stored response of an earlier request with this idempotency key.
    pub async fn idempotent_response(
        &self,
        token_hash: &str,
        key: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT response FROM idempotent_responses WHERE token_hash = ? AND idempotency_key = ?")
            .bind(token_hash)
            .bind(key)
            .fetch_optional(&self.pool)
            .await
    }

    /// Keeps a completed request's response for replay.
    pub async fn save_idempotent_response(
        &self,
        token_hash: &str,
        key: &str,
        response: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT OR IGNORE INTO idempotent_responses (token_hash, idempotency_key, response, created_at) VALUES (?, ?, ?, ?)")
            .bind(token_hash)
            .bind(key)
            .bind(response)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

async fn insert_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    event: &WebhookEvent,
    now: i64,
) -> Result<(), sqlx::Error> {
    let now_ms = now.saturating_mul(1000);
    sqlx::query("INSERT INTO webhook_outbox (id, partner_id, reference, event, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(&event.id)
        .bind(&event.partner_id)
        .bind(&event.reference)
        .bind(&event.body)
        .bind(now_ms)
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn outbox_record(row: &sqlx::sqlite::SqliteRow) -> Result<OutboxRecord, sqlx::Error> {
    Ok(OutboxRecord {
        event: WebhookEvent {
            id: row.try_get("id")?,
            partner_id: row.try_get("partner_id")?,
            reference: row.try_get("reference")?,
            body: row.try_get("event")?,
        },
        attempts: row.try_get("attempts")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
        delivered_at: row.try_get("delivered_at")?,
        last_error: row.try_get("last_error")?,
    })
}

/// Reads a JSON column.
fn from_json<T: serde::de::DeserializeOwned>(
    text: Option<String>,
) -> Result<Option<T>, sqlx::Error> {
    text.map(|t| serde_json::from_str(&t))
        .transpose()
        .map_err(|e| sqlx::Error::Decode(e.into()))
}

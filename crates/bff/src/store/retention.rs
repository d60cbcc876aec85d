//! What the database forgets, and when: nothing grows without bound. Applications and
//! their consents are the bank's evidence of what the customer agreed to and what was
//! decided, so they are kept longest; everything else goes once it can no longer be used.

use super::Store;
use sqlx::Connection as _;
use std::time::Duration;

/// How long each kind of row is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionPeriods {
    /// Sessions without an application, after they expire.
    pub expired_sessions: Duration,
    /// Idempotent responses, after the request they answer.
    pub idempotency: Duration,
    /// Webhook events, after delivery (or after they were given up).
    pub delivered_events: Duration,
    /// Applications, their consents and their sessions, after the application last changed.
    pub evidence: Duration,
}

/// How many rows one pass deleted, per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub placements: u64,
    pub idempotent_responses: u64,
    pub events: u64,
    pub applications: u64,
}

/// Seconds of a period, as the database compares them.
fn secs(period: Duration) -> i64 {
    i64::try_from(period.as_secs()).unwrap_or(i64::MAX)
}

impl Store {
    /// Deletes every row past its period at `now` (seconds since the epoch). Each delete is
    /// a statement of its own and is safe to run on every instance at once: a row two
    /// instances both find is deleted by one and skipped by the other.
    pub async fn purge(
        &self,
        periods: &RetentionPeriods,
        max_attempts: u32,
        now: i64,
    ) -> Result<Purged, sqlx::Error> {
        let mut purged = Purged::default();
        let idempotency_before = now.saturating_sub(secs(periods.idempotency));
        purged.idempotent_responses =
            sqlx::query("DELETE FROM idempotent_responses WHERE created_at < $1")
                .bind(idempotency_before)
                .execute(&mut *self.writer().await?)
                .await?
                .rows_affected();

        let events_before_ms = now
            .saturating_sub(secs(periods.delivered_events))
            .saturating_mul(1000);
        purged.events = sqlx::query(
            "DELETE FROM webhook_outbox WHERE (delivered_at IS NOT NULL AND delivered_at < $1) OR (delivered_at IS NULL AND attempts >= $2 AND created_at < $1)",
        )
        .bind(events_before_ms)
        .bind(i64::from(max_attempts))
        .execute(&mut *self.writer().await?)
        .await?
        .rows_affected();

        // Evidence: an application, its consents, and the session it belongs to go together,
        // in one transaction, so consent is never kept without its application or the reverse.
        let evidence_before = now.saturating_sub(secs(periods.evidence));
        let mut connection = self.writer().await?;
        let mut tx = connection.begin().await?;
        sqlx::query("DELETE FROM consents WHERE reference IN (SELECT reference FROM applications WHERE updated_at < $1)")
            .bind(evidence_before)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM idempotent_responses WHERE token_hash IN (SELECT token_hash FROM applications WHERE updated_at < $1)")
            .bind(evidence_before)
            .execute(&mut *tx)
            .await?;
        let expired_applications: Vec<String> = sqlx::query_scalar(
            "DELETE FROM applications WHERE updated_at < $1 RETURNING token_hash",
        )
        .bind(evidence_before)
        .fetch_all(&mut *tx)
        .await?;
        purged.applications = expired_applications.len() as u64;
        for token_hash in &expired_applications {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        drop(connection);

        // A placement goes once it can open nothing: expired unused, or its session ended.
        // Kept no longer, as it may hold a customer's details until it is used.
        purged.placements = sqlx::query("DELETE FROM placements WHERE expires_at <= $1 AND NOT EXISTS (SELECT 1 FROM sessions WHERE sessions.token_hash = placements.session_token_hash AND sessions.expires_at > $1)")
            .bind(now)
            .execute(&mut *self.writer().await?)
            .await?
            .rows_affected();

        // A session with an application stays with it, as the evidence of its placement.
        let sessions_before = now.saturating_sub(secs(periods.expired_sessions));
        let mut connection = self.writer().await?;
        let mut tx = connection.begin().await?;
        sqlx::query("DELETE FROM idempotent_responses WHERE token_hash IN (SELECT token_hash FROM sessions WHERE expires_at < $1 AND token_hash NOT IN (SELECT token_hash FROM applications))")
            .bind(sessions_before)
            .execute(&mut *tx)
            .await?;
        purged.sessions = sqlx::query("DELETE FROM sessions WHERE expires_at < $1 AND token_hash NOT IN (SELECT token_hash FROM applications)")
            .bind(sessions_before)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(purged)
    }
}

//! Partners' webhook events waiting to be delivered: written with the decision they tell
//! of, claimed by one instance per attempt, kept after delivery for the retention period.

use super::Store;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// An event for a partner's webhook, as the outbox keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEvent {
    /// Sent as `webhook-id`: `msg_` and random hex.
    pub id: String,
    pub partner_id: String,
    pub reference: String,
    /// The JSON body; once stored, with the event's `sequence` as its last field.
    pub body: String,
}

/// An event in the outbox, with how its delivery has gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    pub event: WebhookEvent,
    /// The event's place among its application's events: 1, 2, … in the order written.
    pub sequence: i64,
    pub attempts: u32,
    /// Milliseconds since the epoch.
    pub next_attempt_at: i64,
    /// Milliseconds since the epoch, once the partner accepted it.
    pub delivered_at: Option<i64>,
    pub last_error: Option<String>,
}

impl Store {
    /// Events not yet delivered, with fewer than `max_attempts` attempts, due at `now_ms`,
    /// oldest first; durable (see `durability.rs`).
    pub async fn due_events(
        &self,
        now_ms: i64,
        max_attempts: u32,
        limit: u32,
    ) -> Result<Vec<OutboxRecord>, sqlx::Error> {
        let rows = sqlx::query("SELECT id, partner_id, reference, event, sequence, attempts, next_attempt_at, delivered_at, last_error FROM webhook_outbox WHERE delivered_at IS NULL AND attempts < $1 AND next_attempt_at <= $2 ORDER BY next_attempt_at LIMIT $3")
            .bind(i64::from(max_attempts))
            .bind(now_ms)
            .bind(i64::from(limit))
            .fetch_all(&mut *self.reader().await?)
            .await?;
        if !rows.is_empty() {
            // An event is read the moment its decision commits, which may be before the
            // decision's flush ends: the partner is told only of what is on the disk.
            self.make_durable().await?;
        }
        rows.iter().map(outbox_record).collect()
    }

    /// When the next undelivered event with attempts left is due (milliseconds).
    pub async fn next_event_due(&self, max_attempts: u32) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM webhook_outbox WHERE delivered_at IS NULL AND attempts < $1")
            .bind(i64::from(max_attempts))
            .fetch_one(&mut *self.reader().await?)
            .await
    }

    /// How many events wait for delivery with attempts left, and how many were given up.
    pub async fn outbox_backlog(&self, max_attempts: u32) -> Result<(i64, i64), sqlx::Error> {
        let row = sqlx::query("SELECT COUNT(*) FILTER (WHERE attempts < $1) AS pending, COUNT(*) FILTER (WHERE attempts >= $1) AS given_up FROM webhook_outbox WHERE delivered_at IS NULL")
            .bind(i64::from(max_attempts))
            .fetch_one(&mut *self.reader().await?)
            .await?;
        Ok((row.try_get("pending")?, row.try_get("given_up")?))
    }

    /// Takes an event for one attempt, until `lease_until_ms`; `false` when another
    /// instance took it first (it no longer has the due time this one read).
    pub async fn claim_event(
        &self,
        record: &OutboxRecord,
        lease_until_ms: i64,
    ) -> Result<bool, sqlx::Error> {
        let claimed = sqlx::query("UPDATE webhook_outbox SET next_attempt_at = $1 WHERE id = $2 AND next_attempt_at = $3 AND delivered_at IS NULL")
            .bind(lease_until_ms)
            .bind(&record.event.id)
            .bind(record.next_attempt_at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(claimed.rows_affected() == 1)
    }

    /// Records an attempt the partner accepted.
    pub async fn event_delivered(&self, id: &str, at_ms: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE webhook_outbox SET attempts = attempts + 1, delivered_at = $1, last_error = NULL WHERE id = $2")
            .bind(at_ms)
            .bind(id)
            .execute(&mut *self.writer().await?)
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
        sqlx::query("UPDATE webhook_outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3")
            .bind(error)
            .bind(next_attempt_at_ms)
            .bind(id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// Every event in the outbox, oldest first (for operators and tests).
    pub async fn outbox(&self) -> Result<Vec<OutboxRecord>, sqlx::Error> {
        let rows = sqlx::query("SELECT id, partner_id, reference, event, sequence, attempts, next_attempt_at, delivered_at, last_error FROM webhook_outbox ORDER BY created_at, id")
            .fetch_all(&mut *self.reader().await?)
            .await?;
        rows.iter().map(outbox_record).collect()
    }
}

/// Adds an event to the outbox inside the transaction that stores what it tells of,
/// numbered after its application's earlier events.
pub(super) async fn insert_event(
    tx: &mut Transaction<'_, Any>,
    event: &WebhookEvent,
    now: i64,
) -> Result<(), sqlx::Error> {
    let now_ms = now.saturating_mul(1000);
    // The counter is on the application's row rather than a MAX over the outbox: the UPDATE
    // locks that row until commit, so on PostgreSQL two transactions writing events of one
    // application number them one after the other (SQLite has one writer anyway), and the
    // retention's deleting delivered events never makes a number come round again.
    let sequence: i64 = sqlx::query_scalar("UPDATE applications SET webhook_sequence = webhook_sequence + 1 WHERE reference = $1 RETURNING webhook_sequence")
        .bind(&event.reference)
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO webhook_outbox (id, partner_id, reference, event, sequence, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&event.id)
        .bind(&event.partner_id)
        .bind(&event.reference)
        .bind(with_sequence(&event.body, sequence))
        .bind(sequence)
        .bind(now_ms)
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// `body`, a JSON object, with `"sequence":<sequence>` as its last member.
fn with_sequence(body: &str, sequence: i64) -> String {
    // Spliced rather than parsed and written again, which would reorder the documented fields.
    let open = body
        .trim_end()
        .strip_suffix('}')
        .expect("an event's body is a JSON object");
    let separator = if open.trim_end().ends_with('{') {
        ""
    } else {
        ","
    };
    format!("{open}{separator}\"sequence\":{sequence}}}")
}

fn outbox_record(row: &AnyRow) -> Result<OutboxRecord, sqlx::Error> {
    let attempts: i64 = row.try_get("attempts")?;
    Ok(OutboxRecord {
        event: WebhookEvent {
            id: row.try_get("id")?,
            partner_id: row.try_get("partner_id")?,
            reference: row.try_get("reference")?,
            body: row.try_get("event")?,
        },
        sequence: row.try_get("sequence")?,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        next_attempt_at: row.try_get("next_attempt_at")?,
        delivered_at: row.try_get("delivered_at")?,
        last_error: row.try_get("last_error")?,
    })
}

#[cfg(test)]
mod tests {
    use super::with_sequence;

    #[test]
    fn the_sequence_is_the_bodys_last_member() {
        assert_eq!(
            with_sequence(r#"{"type":"application.decided","outcome":"approved"}"#, 2),
            r#"{"type":"application.decided","outcome":"approved","sequence":2}"#
        );
        assert_eq!(with_sequence("{}", 1), r#"{"sequence":1}"#);
    }
}

//! Placements a partner's server created, behind their single-use tokens: created, looked
//! at by the widget's page, and consumed by the one session each starts.

use super::sessions::insert_session;
use super::{from_json, Store};
use crate::journey::SessionRecord;
use onboarding_core::forms::Prefill;
use onboarding_core::{Language, Market};
use sqlx::{Connection as _, Row};

/// A placement as its partner's server created it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementRecord {
    pub partner_id: String,
    pub market: Market,
    /// Already checked against the partner's allowlist, and normalised.
    pub return_url: String,
    /// The customer's connectFi id, for a connectFi placement.
    pub customer_id: Option<String>,
    /// Checked by stage 1's rules.
    pub prefill: Option<Prefill>,
    /// The partner's opaque state, given back with the result.
    pub partner_state: Option<String>,
    /// The language the page is shown in, when the partner chose one.
    pub language: Option<Language>,
    /// Until when (seconds since the epoch) the token may start a session.
    pub expires_at: i64,
}

/// Where a token stands, as the widget's page checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementState {
    pub partner_id: String,
    pub market: String,
    pub return_url: String,
    pub language: Option<Language>,
    pub expires_at: i64,
    /// Whether it started a session already.
    pub consumed: bool,
    /// Whether the session it started still lives: a reload of the page the customer is
    /// on.
    pub session_alive: bool,
}

impl Store {
    /// Records a placement under its token's hash.
    pub async fn create_placement(
        &self,
        token_hash: &str,
        placement: &PlacementRecord,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO placements (token_hash, partner_id, market, return_url, customer_id, prefill, partner_state, language, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(token_hash)
            .bind(&placement.partner_id)
            .bind(placement.market.code())
            .bind(&placement.return_url)
            .bind(&placement.customer_id)
            .bind(placement.prefill.as_ref().map(|prefill| {
                serde_json::to_string(prefill).expect("a prefill always serialises")
            }))
            .bind(&placement.partner_state)
            .bind(placement.language.map(Language::tag))
            .bind(now)
            .bind(placement.expires_at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// Where the token with this hash stands at `now`, if it is one we issued (and the
    /// retention job has not deleted since).
    pub async fn placement_state(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<PlacementState>, sqlx::Error> {
        let row = sqlx::query("SELECT p.partner_id, p.market, p.return_url, p.language, p.expires_at, p.consumed_at, s.expires_at AS session_expires_at FROM placements p LEFT JOIN sessions s ON s.token_hash = p.session_token_hash WHERE p.token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        row.map(|row| {
            let language: Option<String> = row.try_get("language")?;
            let consumed_at: Option<i64> = row.try_get("consumed_at")?;
            let session_expires_at: Option<i64> = row.try_get("session_expires_at")?;
            Ok(PlacementState {
                partner_id: row.try_get("partner_id")?,
                market: row.try_get("market")?,
                return_url: row.try_get("return_url")?,
                language: language.as_deref().and_then(Language::from_tag),
                expires_at: row.try_get("expires_at")?,
                consumed: consumed_at.is_some(),
                session_alive: session_expires_at.is_some_and(|expires_at| expires_at > now),
            })
        })
        .transpose()
    }

    /// Consumes the token with this hash, if it is unused, unexpired at `now` and of this
    /// partner, market and return URL, and starts `session` from it: the session takes the
    /// placement's customer, prefill and state, and the placement keeps only that it was
    /// used and by which session. One transaction, whose first statement takes the token:
    /// of two requests (on any instances) consuming one token at once, one starts a session
    /// and the other finds it used. `None` when the token cannot be consumed.
    pub async fn start_placed_session(
        &self,
        token_hash: &str,
        session: &SessionRecord,
        resume_handle_hash: &str,
        now: i64,
        session_expires_at: i64,
    ) -> Result<Option<SessionRecord>, sqlx::Error> {
        let mut connection = self.writer().await?;
        let mut tx = connection.begin().await?;
        let placed = sqlx::query("UPDATE placements SET consumed_at = $1, session_token_hash = $2 WHERE token_hash = $3 AND partner_id = $4 AND market = $5 AND return_url = $6 AND consumed_at IS NULL AND expires_at > $7 RETURNING customer_id, prefill, partner_state")
            .bind(now)
            .bind(&session.token_hash)
            .bind(token_hash)
            .bind(&session.partner_id)
            .bind(session.market.code())
            .bind(&session.return_url)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(placed) = placed else {
            tx.rollback().await?;
            return Ok(None);
        };
        let session = SessionRecord {
            customer_id: placed.try_get("customer_id")?,
            prefill: from_json(placed.try_get("prefill")?)?,
            partner_state: placed.try_get("partner_state")?,
            ..session.clone()
        };
        insert_session(
            &mut tx,
            &session,
            Some(resume_handle_hash),
            now,
            session_expires_at,
        )
        .await?;
        // The customer's details now live with the session only.
        sqlx::query("UPDATE placements SET customer_id = NULL, prefill = NULL, partner_state = NULL WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(session))
    }
}

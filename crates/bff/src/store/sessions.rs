//! Sessions, and the lease a state-changing request holds on one.

use super::applications::{application_of, APPLICATION_COLUMNS};
use super::{from_json, Store};
use crate::journey::{ApplicationRecord, SessionRecord};
use onboarding_core::{Language, Market};
use sqlx::any::AnyRow;
use sqlx::Row;

/// The columns of a session, named with their table so a join with its application reads
/// them too.
const SESSION_COLUMNS: &str = "sessions.token_hash, sessions.partner_id, sessions.market, \
    sessions.return_url, sessions.customer_id, sessions.language, sessions.prefill, \
    sessions.partner_state";

/// A session as a row of `sessions` has it.
fn session_of(row: &AnyRow) -> Result<SessionRecord, sqlx::Error> {
    let market: String = row.try_get("market")?;
    let language: String = row.try_get("language")?;
    Ok(SessionRecord {
        language: Language::from_tag(&language)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown language {language:?}").into()))?,
        token_hash: row.try_get("token_hash")?,
        partner_id: row.try_get("partner_id")?,
        market: Market::from_code(&market)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown market {market:?}").into()))?,
        return_url: row.try_get("return_url")?,
        customer_id: row.try_get("customer_id")?,
        prefill: from_json(row.try_get("prefill")?)?,
        partner_state: row.try_get("partner_state")?,
    })
}

/// Inserts a session with its resume handle's hash, if it has one yet, on a connection of
/// the pool or in a transaction.
pub(super) async fn insert_session(
    connection: &mut sqlx::AnyConnection,
    session: &SessionRecord,
    resume_handle_hash: Option<&str>,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    let prefill = session
        .prefill
        .as_ref()
        .map(|prefill| serde_json::to_string(prefill).expect("a prefill always serialises"));
    sqlx::query("INSERT INTO sessions (token_hash, partner_id, market, return_url, customer_id, language, prefill, partner_state, resume_handle_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .bind(&session.token_hash)
        .bind(&session.partner_id)
        .bind(session.market.code())
        .bind(&session.return_url)
        .bind(&session.customer_id)
        .bind(session.language.tag())
        .bind(prefill)
        .bind(&session.partner_state)
        .bind(resume_handle_hash)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// Who holds a session's lease, and until when (milliseconds since the epoch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub owner: Option<String>,
    pub until_ms: i64,
}

impl Store {
    /// Records a new session, and the hash of its resume handle: one write.
    pub async fn create_session(
        &self,
        session: &SessionRecord,
        resume_handle_hash: Option<&str>,
        now: i64,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        let mut connection = self.writer().await?;
        insert_session(
            &mut connection,
            session,
            resume_handle_hash,
            now,
            expires_at,
        )
        .await
    }

    /// The session with this token hash, if it has not expired: the hash of its first
    /// token, or of the token its resume handle was last exchanged for.
    pub async fn find_session(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<SessionRecord>, sqlx::Error> {
        let row = sqlx::query(&format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE (token_hash = $1 OR resumed_token_hash = $2) AND expires_at > $3"))
            .bind(token_hash)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        row.as_ref().map(session_of).transpose()
    }

    /// [`Self::find_session`] and the session's application, if it has one, read together:
    /// one query where a request needs both.
    pub async fn find_session_with_application(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<(SessionRecord, Option<ApplicationRecord>)>, sqlx::Error> {
        let row = sqlx::query(&format!("SELECT {SESSION_COLUMNS}, {APPLICATION_COLUMNS} FROM sessions LEFT JOIN applications ON applications.token_hash = sessions.token_hash WHERE (sessions.token_hash = $1 OR sessions.resumed_token_hash = $2) AND sessions.expires_at > $3"))
            .bind(token_hash)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        row.map(|row| Ok((session_of(&row)?, application_of(&row)?)))
            .transpose()
    }

    /// The unexpired session of this placement whose resume handle has this hash.
    pub async fn find_resumable_session(
        &self,
        handle_hash: &str,
        partner_id: &str,
        market: Market,
        now: i64,
    ) -> Result<Option<SessionRecord>, sqlx::Error> {
        let row = sqlx::query(&format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE resume_handle_hash = $1 AND partner_id = $2 AND market = $3 AND expires_at > $4"))
            .bind(handle_hash)
            .bind(partner_id)
            .bind(market.code())
            .bind(now)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        row.as_ref().map(session_of).transpose()
    }

    /// Uses the session's resume handle: if it still has the handle `handle_hash`, it takes
    /// `new_handle_hash` in its place and answers to `new_token_hash` from now on (to the
    /// token of its last use no longer); `false` when the handle was used meanwhile. One
    /// statement, so a handle sent twice at once is used once.
    pub async fn use_resume_handle(
        &self,
        token_hash: &str,
        handle_hash: &str,
        new_handle_hash: &str,
        new_token_hash: &str,
    ) -> Result<bool, sqlx::Error> {
        let used = sqlx::query("UPDATE sessions SET resume_handle_hash = $1, resumed_token_hash = $2 WHERE token_hash = $3 AND resume_handle_hash = $4")
            .bind(new_handle_hash)
            .bind(new_token_hash)
            .bind(token_hash)
            .bind(handle_hash)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(used.rows_affected() == 1)
    }

    /// Takes the session's lease for `owner` until `until_ms`; `false` while another
    /// owner's lease runs. A lapsed lease (its owner died) is taken over.
    pub async fn claim_session(
        &self,
        token_hash: &str,
        owner: &str,
        now_ms: i64,
        until_ms: i64,
    ) -> Result<bool, sqlx::Error> {
        let claimed = sqlx::query(
            "UPDATE sessions SET lease_owner = $1, lease_until_ms = $2 WHERE token_hash = $3 AND (lease_owner IS NULL OR lease_until_ms <= $4)",
        )
        .bind(owner)
        .bind(until_ms)
        .bind(token_hash)
        .bind(now_ms)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(claimed.rows_affected() == 1)
    }

    /// Extends `owner`'s lease to `until_ms`; `false` when it is no longer theirs.
    pub async fn renew_lease(
        &self,
        token_hash: &str,
        owner: &str,
        until_ms: i64,
    ) -> Result<bool, sqlx::Error> {
        let renewed = sqlx::query(
            "UPDATE sessions SET lease_until_ms = $1 WHERE token_hash = $2 AND lease_owner = $3",
        )
        .bind(until_ms)
        .bind(token_hash)
        .bind(owner)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// Gives the session back, if `owner` still holds it: a lease that lapsed and was
    /// taken over is the new owner's to release.
    pub async fn release_session(&self, token_hash: &str, owner: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE sessions SET lease_owner = NULL, lease_until_ms = 0 WHERE token_hash = $1 AND lease_owner = $2")
            .bind(token_hash)
            .bind(owner)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    /// The session's lease as stored.
    pub async fn lease(&self, token_hash: &str) -> Result<Option<Lease>, sqlx::Error> {
        let row =
            sqlx::query("SELECT lease_owner, lease_until_ms FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
        row.map(|row| {
            Ok(Lease {
                owner: row.try_get("lease_owner")?,
                until_ms: row.try_get("lease_until_ms")?,
            })
        })
        .transpose()
    }
}

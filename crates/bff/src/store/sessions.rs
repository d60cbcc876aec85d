//! Sessions, and the lease a state-changing request holds on one.

use super::Store;
use onboarding_core::{Language, Market};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A live session.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    /// The SHA-256 of the session's first token: its key, whichever token named it.
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
    })
}

/// Who holds a session's lease, and until when (milliseconds since the epoch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub owner: Option<String>,
    pub until_ms: i64,
}

impl Store {
    /// Records a new session.
    pub async fn create_session(
        &self,
        session: &SessionRecord,
        now: i64,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO sessions (token_hash, partner_id, market, return_url, customer_id, language, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
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

    /// The session with this token hash, if it has not expired: the hash of its first
    /// token, or of the token its resume handle was last exchanged for.
    pub async fn find_session(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<SessionRecord>, sqlx::Error> {
        let row = sqlx::query("SELECT token_hash, partner_id, market, return_url, customer_id, language FROM sessions WHERE (token_hash = $1 OR resumed_token_hash = $2) AND expires_at > $3")
            .bind(token_hash)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(session_of).transpose()
    }

    /// Gives the session a new resume handle (its hash), in place of any earlier one.
    pub async fn set_resume_handle(
        &self,
        token_hash: &str,
        handle_hash: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE sessions SET resume_handle_hash = $1 WHERE token_hash = $2")
            .bind(handle_hash)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The unexpired session of this placement whose resume handle has this hash.
    pub async fn find_resumable_session(
        &self,
        handle_hash: &str,
        partner_id: &str,
        market: Market,
        now: i64,
    ) -> Result<Option<SessionRecord>, sqlx::Error> {
        let row = sqlx::query("SELECT token_hash, partner_id, market, return_url, customer_id, language FROM sessions WHERE resume_handle_hash = $1 AND partner_id = $2 AND market = $3 AND expires_at > $4")
            .bind(handle_hash)
            .bind(partner_id)
            .bind(market.code())
            .bind(now)
            .fetch_optional(&self.pool)
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
            .execute(&self.pool)
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
        .execute(&self.pool)
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
        .execute(&self.pool)
        .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// Gives the session back, if `owner` still holds it: a lease that lapsed and was
    /// taken over is the new owner's to release.
    pub async fn release_session(&self, token_hash: &str, owner: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE sessions SET lease_owner = NULL, lease_until_ms = 0 WHERE token_hash = $1 AND lease_owner = $2")
            .bind(token_hash)
            .bind(owner)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The session's lease as stored.
    pub async fn lease(&self, token_hash: &str) -> Result<Option<Lease>, sqlx::Error> {
        let row =
            sqlx::query("SELECT lease_owner, lease_until_ms FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&self.pool)
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

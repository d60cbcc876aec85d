//! Answers of completed state-changing requests, kept per session and idempotency key so a
//! repeated request is answered, not run again.

use super::Store;

impl Store {
    /// The stored response of an earlier request with this idempotency key.
    pub async fn idempotent_response(
        &self,
        token_hash: &str,
        key: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT response FROM idempotent_responses WHERE token_hash = $1 AND idempotency_key = $2")
            .bind(token_hash)
            .bind(key)
            .fetch_optional(&self.pool)
            .await
    }

    /// Keeps a completed request's response for replay; the first one kept stands.
    pub async fn save_idempotent_response(
        &self,
        token_hash: &str,
        key: &str,
        response: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO idempotent_responses (token_hash, idempotency_key, response, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
            .bind(token_hash)
            .bind(key)
            .bind(response)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

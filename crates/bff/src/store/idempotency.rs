//! Answers of completed state-changing requests, kept per session and idempotency key so a
//! repeated request is answered, not run again.

use super::Store;

impl Store {
    /// The stored response of an earlier request with this idempotency key, with the hash
    /// of that request (none for answers stored before requests were hashed).
    pub async fn idempotent_response(
        &self,
        token_hash: &str,
        key: &str,
    ) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
        sqlx::query_as("SELECT response, request_hash FROM idempotent_responses WHERE token_hash = $1 AND idempotency_key = $2")
            .bind(token_hash)
            .bind(key)
            .fetch_optional(&mut *self.reader().await?)
            .await
    }

    /// Keeps a completed request's response, and the hash of that request, for replay; the
    /// first one kept stands.
    pub async fn save_idempotent_response(
        &self,
        token_hash: &str,
        key: &str,
        response: &str,
        request_hash: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO idempotent_responses (token_hash, idempotency_key, response, request_hash, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
            .bind(token_hash)
            .bind(key)
            .bind(response)
            .bind(request_hash)
            .bind(now)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }
}

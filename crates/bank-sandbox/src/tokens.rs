//! The access tokens a side of the sandbox issued, each until it expires.

use crate::lock::lock;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Issued tokens and when each expires; the bank and connectFi keep one each.
#[derive(Default)]
pub struct IssuedTokens(Mutex<HashMap<String, Instant>>);

impl IssuedTokens {
    /// Remembers a token until `expires_at`, forgetting tokens that have expired.
    pub fn remember(&self, token: String, expires_at: Instant) {
        let now = Instant::now();
        let mut tokens = lock(&self.0);
        tokens.retain(|_, expiry| *expiry > now);
        tokens.insert(token, expires_at);
    }

    /// Whether this token was issued and has not expired.
    pub fn is_valid(&self, token: &str) -> bool {
        lock(&self.0)
            .get(token)
            .is_some_and(|expiry| *expiry > Instant::now())
    }

    /// Forgets every issued token.
    pub fn forget_all(&self) {
        lock(&self.0).clear();
    }
}

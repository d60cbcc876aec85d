//! `POST /auth/get-token`: the login that yields the `x-connectfi-token`.

use crate::validation::{self, ValidationFailure};
use serde::{Deserialize, Serialize};

/// The login request: `{"user":{"login":"...","password":"..."}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetTokenRequest {
    /// The connectFi user logging in.
    pub user: User,
}

/// A connectFi user's credentials.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The login id (`common-id`: `^[0-9a-zA-Z_]+$`, 1 to 36 characters).
    pub login: String,
    /// The password (1 to 50 characters).
    pub password: String,
}

// The password must never reach a log through `{:?}`.
impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("login", &self.login)
            .field("password", &"<redacted>")
            .finish()
    }
}

impl GetTokenRequest {
    /// Checks connectFi's rules for the login request; the first broken rule is reported.
    pub fn validate(&self) -> Result<(), ValidationFailure> {
        validation::id("user.login", &self.user.login)?;
        validation::password("user.password", &self.user.password)
    }
}

/// The `data` of a successful login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    /// A long random string to send as `x-connectfi-token`.
    pub token: String,
    /// When the token expires, RFC 3339 in UTC with milliseconds (`2026-11-22T10:00:00.000Z`).
    pub dts_expire_at: String,
}

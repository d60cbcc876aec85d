use serde::{Deserialize, Serialize};

/// Answer of the OAuth2 client-credentials token endpoint.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    /// Lifetime in seconds (the bank issues 30-minute tokens).
    pub expires_in: u64,
    pub scope: String,
}

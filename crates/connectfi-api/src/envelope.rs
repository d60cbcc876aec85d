//! The two shapes every connectFi answer takes: a success envelope around the data, and
//! the 4xx error format.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A successful answer: `{"code":"0","data":{...},"requestId":"..."}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    /// `"0"` on success.
    pub code: String,
    /// The call's result.
    pub data: T,
    /// The server's id of this request, for support; the login example omits it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl<T> Envelope<T> {
    /// The code of a successful answer.
    pub const SUCCESS: &'static str = "0";

    /// A successful answer carrying `data`.
    pub fn success(data: T, request_id: impl Into<String>) -> Self {
        Self {
            code: Self::SUCCESS.to_owned(),
            data,
            request_id: Some(request_id.into()),
        }
    }

    /// Whether `code` says the call succeeded.
    pub fn is_success(&self) -> bool {
        self.code == Self::SUCCESS
    }
}

/// A 4xx answer: `{"requestId":"...","code":"...","subCode":"...","context":{...},"message":"..."}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorEnvelope {
    /// The server's id of this request. Always sent by the sandbox; defaulted when reading
    /// because connectFi's documented 401 example is only `{"code","message"}`.
    #[serde(default)]
    pub request_id: String,
    /// A short error code such as `unauthorized` or `referenceExists`.
    pub code: String,
    /// The back office's own code, when one was returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_code: Option<String>,
    /// Properties relevant to the error (may be empty; defaulted when reading, as for
    /// `request_id`).
    #[serde(default)]
    pub context: Map<String, Value>,
    /// Why the error occurred, in words.
    pub message: String,
}

/// Amounts as connectFi's examples write them: whole values without a fraction (`2700`, not
/// `2700.0`), others as the shortest decimal.
pub(crate) mod amount {
    use serde::Serializer;

    /// Largest integer every f64 below it represents exactly (2^53).
    const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        if value.fract() == 0.0 && value.abs() < EXACT_INTEGERS {
            // In range and whole, so the conversion is exact.
            serializer.serialize_i64(*value as i64)
        } else {
            serializer.serialize_f64(*value)
        }
    }
}

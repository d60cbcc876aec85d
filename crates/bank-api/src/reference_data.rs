use serde::{Deserialize, Serialize};

/// Answer of `GET /v1/apac/utilities/referenceData/{referenceCode}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceDataResponse {
    pub reference_code: String,
    pub values: Vec<ReferenceValue>,
}

/// One valid value of a reference-data field and its description.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReferenceValue {
    pub code: String,
    pub description: String,
}

use serde::{Deserialize, Serialize};

/// The bank's error body: `{"errors": [...]}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ErrorList {
    pub errors: Vec<ErrorResponse>,
}

/// One error of an [`ErrorList`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ErrorResponse {
    #[serde(rename = "type")]
    pub kind: ErrorType,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// The name of the field that caused the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// The swagger's error `type` enum.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ErrorType {
    Error,
    Warn,
    Invalid,
    Fatal,
}

/// Every error code of the IPA swagger's `x-error-codes`, with its type, HTTP status and details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankErrorCode {
    InvalidRequest,
    ApplicationRejected,
    ApplicationNeedsManualReview,
    AwaitingBackgroundScreeningResult,
    PerformBackgroundScreeningFirst,
    InPrincipalApprovalAlreadyGiven,
    ProductAgreementExpired,
    InvalidRequestSequence,
    IpaNotInitiated,
    IpaFailed,
    UnAuthorized,
    AccessNotConfigured,
    ServerUnavailable,
}

impl BankErrorCode {
    /// All codes, in the swagger's order.
    pub const ALL: [Self; 13] = [
        Self::InvalidRequest,
        Self::ApplicationRejected,
        Self::ApplicationNeedsManualReview,
        Self::AwaitingBackgroundScreeningResult,
        Self::PerformBackgroundScreeningFirst,
        Self::InPrincipalApprovalAlreadyGiven,
        Self::ProductAgreementExpired,
        Self::InvalidRequestSequence,
        Self::IpaNotInitiated,
        Self::IpaFailed,
        Self::UnAuthorized,
        Self::AccessNotConfigured,
        Self::ServerUnavailable,
    ];

    /// The code on the wire (note the bank's spelling "Principal").
    pub const fn code(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalidRequest",
            Self::ApplicationRejected => "applicationRejected",
            Self::ApplicationNeedsManualReview => "applicationNeedsManualReview",
            Self::AwaitingBackgroundScreeningResult => "awaitingBackgroundScreeningResult",
            Self::PerformBackgroundScreeningFirst => "performBackgroundScreeningFirst",
            Self::InPrincipalApprovalAlreadyGiven => "inPrincipalApprovalAlreadyGiven",
            Self::ProductAgreementExpired => "productAgreementExpired",
            Self::InvalidRequestSequence => "invalidRequestSequence",
            Self::IpaNotInitiated => "ipaNotInitiated",
            Self::IpaFailed => "ipaFailed",
            Self::UnAuthorized => "unAuthorized",
            Self::AccessNotConfigured => "accessNotConfigured",
            Self::ServerUnavailable => "serverUnavailable",
        }
    }

    /// Reads a code, ignoring ASCII case; `None` for a code the swagger does not define.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code))
    }

    /// The error `type` the swagger gives this code.
    pub const fn kind(self) -> ErrorType {
        match self {
            Self::InvalidRequest | Self::ProductAgreementExpired | Self::AccessNotConfigured => {
                ErrorType::Invalid
            }
            Self::ServerUnavailable => ErrorType::Fatal,
            _ => ErrorType::Error,
        }
    }

    /// The HTTP status the swagger answers this code with.
    pub const fn http_status(self) -> u16 {
        match self {
            Self::UnAuthorized => 401,
            Self::AccessNotConfigured => 403,
            Self::ServerUnavailable => 500,
            _ => 400,
        }
    }

    /// The swagger's `details` text.
    pub const fn details(self) -> &'static str {
        match self {
            Self::InvalidRequest => "Missing or invalid Parameters",
            Self::ApplicationRejected => "Application Rejected.Cannot process further",
            Self::ApplicationNeedsManualReview => "Application needs manual review. IPA not applicable. Please fill all details and do final submission",
            Self::AwaitingBackgroundScreeningResult => "Please trigger after sometime. Awaiting background screening response",
            Self::PerformBackgroundScreeningFirst => "Please perform background screening first",
            Self::InPrincipalApprovalAlreadyGiven => "InPrincipalApproval already given",
            Self::ProductAgreementExpired => "Agreement duration of this product is expired",
            Self::InvalidRequestSequence => "Request sequence is not correct.",
            Self::IpaNotInitiated => "IPA not initiated due to background screening failed",
            Self::IpaFailed => "IPA failed",
            Self::UnAuthorized => "Authorization credentials are missing or invalid",
            Self::AccessNotConfigured => "The request operation is not configured to access this resource",
            Self::ServerUnavailable => "The request failed due to an internal error",
        }
    }

    /// This code as an [`ErrorList`] with a single error.
    pub fn to_error_list(self, location: Option<&str>) -> ErrorList {
        ErrorList {
            errors: vec![ErrorResponse {
                kind: self.kind(),
                code: self.code().to_owned(),
                details: Some(self.details().to_owned()),
                location: location.map(str::to_owned),
            }],
        }
    }
}

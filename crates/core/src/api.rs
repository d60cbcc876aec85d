//! The widget<->BFF JSON API: routes, headers, bodies and errors.

use crate::{Decision, FieldError, FollowUp, Language, Market, ReferenceData, Stage};
use serde::{Deserialize, Serialize};

/// The header carrying the session token (`Bearer <token>`); the API sets no cookies.
pub const SESSION_HEADER: &str = "authorization";
/// The header carrying the idempotency key of a state-changing call.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
/// The largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// The API's paths.
pub mod routes {
    /// `POST`: start a session.
    pub const SESSIONS: &str = "/api/v1/sessions";
    /// `GET`: the session of the token sent, to resume after a reload.
    pub const CURRENT_SESSION: &str = "/api/v1/sessions/current";
    /// `POST`: a resume handle exchanged for a token of its session, where the browser kept
    /// no token (its storage in the partner's frame is blocked).
    pub const RESUME_SESSION: &str = "/api/v1/sessions/resume";
    /// `POST`: stage 1, which creates the application.
    pub const APPLICATIONS: &str = "/api/v1/applications";
    /// `POST`: the Lead Capture journey's one form, which hands the customer to the bank.
    pub const LEADS: &str = "/api/v1/leads";

    /// `PUT`: stage 2 of an application.
    pub fn identity(reference: &str) -> String {
        format!("{APPLICATIONS}/{reference}/identity")
    }

    /// `PUT`: stage 3 of an application; answers with the decision.
    pub fn finances(reference: &str) -> String {
        format!("{APPLICATIONS}/{reference}/finances")
    }

    /// `POST`: saves the application at the bank for the customer to continue later.
    pub fn save(reference: &str) -> String {
        format!("{APPLICATIONS}/{reference}/save")
    }

    /// `POST`: accepts one of the bank's offers (a counter-offer or a cross-sell offer).
    pub fn offer_acceptance(reference: &str) -> String {
        format!("{APPLICATIONS}/{reference}/offer-acceptance")
    }
}

/// Body of `POST /api/v1/sessions`: where the widget was opened from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartSession {
    pub partner: String,
    pub market: String,
    pub return_url: String,
    /// The placement token of the page's link (`placement=`), which the partner's server
    /// created with what the link cannot be trusted to carry: a connectFi customer's id, a
    /// prefill, the partner's state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<String>,
    /// The language the page is shown in (a BCP 47 tag); the market's first when absent or
    /// not one of the market's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// Body of `POST /api/v1/sessions/resume`: the handle the partner's page kept, and the
/// placement the widget was opened with (a handle resumes only its own placement).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResumeSession {
    pub handle: String,
    pub partner: String,
    pub market: String,
}

/// Body of `POST .../offer-acceptance`: the offer the customer accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptOffer {
    /// The offer's `id`, as the decision listed it.
    pub offer: String,
}

/// A new session, or a session resumed with a handle: its token and everything the journey
/// needs, in one response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionStarted {
    pub token: String,
    pub journey: Journey,
    /// A single-use handle to resume this session with where the widget can keep no token
    /// (see [`routes::RESUME_SESSION`]): the widget gives it to the partner's page only
    /// then. Each exchange answers a new one and the old one stops working.
    #[serde(default)]
    pub resume_handle: String,
}

/// Everything the widget needs to show the journey, and how far the customer got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Journey {
    pub partner: PartnerView,
    pub market: MarketView,
    /// The language the customer reads, and the bank writes to them in.
    pub language: Language,
    /// Which journey the partner's placement offers.
    pub kind: JourneyKind,
    /// Whether the customer can save the application to continue on the bank's channel
    /// ("Save and exit"): only an approval journey whose application the bank holds.
    #[serde(default)]
    pub saveable: bool,
    pub terms: Terms,
    pub reference_data: ReferenceData,
    /// The forms of this placement's journey, in order; a provider that knows the customer's
    /// identity already skips the identity stage.
    pub stages: Vec<Stage>,
    pub progress: Progress,
    /// What stage 1 starts with, as the partner's server placed it, in the order
    /// [`crate::forms::Prefill::to_list`] writes (a list of strings, which the widget reads already: a
    /// struct of its own would cost it 0.5 KB); empty when nothing was placed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefill: Vec<String>,
}

/// The journeys a partner can place.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JourneyKind {
    /// The three stages and the bank's instant in-principle approval.
    #[default]
    InPrincipleApproval,
    /// One short form that hands the customer's details to the bank, which carries on
    /// (online, or by a representative's call, by market).
    LeadCapture,
}

/// The partner the customer came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerView {
    pub id: String,
    pub name: String,
    /// Where "Back to <partner>" goes; already checked against the partner's allowlist.
    pub return_url: String,
    /// The exact origin result messages are posted to.
    pub origin: String,
}

/// What the widget needs to know of the market.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketView {
    pub market: Market,
    pub currency: String,
    pub locale: String,
    pub phone_country_code: String,
    /// Today in the market (YYYY-MM-DD): both sides check ages against the same day.
    pub today: String,
}

/// The Terms and Conditions offered, and their version (recorded with the consent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub version: String,
    pub title: String,
    pub paragraphs: Vec<String>,
}

/// How far the application got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The stage to show next.
    pub stage: Stage,
    /// The bank's application reference number, once stage 1 is done.
    pub reference: Option<String>,
    /// The decision, once stage 3 is done.
    pub decision: Option<Decision>,
    /// Once decided: the partner's return URL with the result and its signature appended
    /// (`reference`, `outcome`, `ts`, `sig`), where "Back to <partner>" goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_to: Option<String>,
    /// Once the bank has the customer's details without deciding (a lead, or an application
    /// saved for later): how it carries on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
}

/// Every error the API answers with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    /// A plain-English explanation, for developers and logs; the widget shows its own words.
    pub message: String,
    /// Whether sending the same request again later can succeed.
    pub retryable: bool,
    /// The refused fields, for `invalid_input`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// Declares the error codes once: the enum and [`ErrorCode::ALL`] come from one list.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// What went wrong, as the widget designs its answer to it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[$doc])* $name,)*
        }

        impl ErrorCode {
            /// Every code, in the order of declaration.
            pub const ALL: &'static [Self] = &[$(Self::$name,)*];
        }
    };
}

error_codes! {
    /// Some fields broke their rules (422); `fields` says which.
    InvalidInput,
    /// The body is not the JSON the call takes (400).
    MalformedRequest,
    /// Unknown partner, market, or a return URL not on the partner's allowlist (400).
    UnknownPartner,
    /// No session token, or an unknown or expired one (401).
    SessionRequired,
    /// No such application in this session (404).
    ApplicationNotFound,
    /// The decision has no open offer with that id (404).
    OfferNotFound,
    /// The stage cannot be sent now: an earlier stage is missing (409).
    StageOutOfOrder,
    /// The same request is still being processed (409); retry shortly.
    RequestInProgress,
    /// The idempotency key came before with another request (422): a key names one
    /// request, so send a new one with a new key.
    IdempotencyKeyReused,
    /// The body is larger than the API reads (413).
    PayloadTooLarge,
    /// The bank refused the details as invalid (422); the customer should check them.
    DetailsRejected,
    /// The bank has already decided this application (409).
    AlreadyDecided,
    /// The card offer has ended (410).
    OfferExpired,
    /// The bank is still screening the application (503); retry in a little while.
    DecisionPending,
    /// The bank cannot be reached or failed (503); what was entered is saved.
    BankUnavailable,
    /// Our own service is briefly unavailable (503: its database is restarting or
    /// unreachable); nothing was changed, retry shortly.
    ServiceUnavailable,
    /// A state-changing call came from a page other than the widget's own (403).
    ForbiddenOrigin,
    /// Too many calls from this address or for this partner (429); `Retry-After` says when
    /// to try again.
    TooManyRequests,
    /// A partner's server call without its API key, or with a wrong one (401).
    Unauthorized,
    /// Something failed on our side (500); it is logged.
    Internal,
}

impl ErrorCode {
    /// The HTTP status the API answers with.
    pub const fn http_status(self) -> u16 {
        match self {
            Self::InvalidInput | Self::DetailsRejected | Self::IdempotencyKeyReused => 422,
            Self::ForbiddenOrigin => 403,
            Self::TooManyRequests => 429,
            Self::MalformedRequest | Self::UnknownPartner => 400,
            Self::SessionRequired | Self::Unauthorized => 401,
            Self::ApplicationNotFound | Self::OfferNotFound => 404,
            Self::StageOutOfOrder | Self::RequestInProgress | Self::AlreadyDecided => 409,
            Self::OfferExpired => 410,
            Self::PayloadTooLarge => 413,
            Self::DecisionPending | Self::BankUnavailable | Self::ServiceUnavailable => 503,
            Self::Internal => 500,
        }
    }

    /// Whether the same request can succeed if sent again later.
    pub const fn retryable(self) -> bool {
        matches!(
            self,
            Self::RequestInProgress
                | Self::TooManyRequests
                | Self::DecisionPending
                | Self::BankUnavailable
                | Self::ServiceUnavailable
                | Self::Internal
        )
    }
}

//! The bank's onboarding API on the wire: the subset of the documented models that the
//! BFF sends and the sandbox answers. Field names follow the bank's camelCase exactly;
//! optional fields are omitted rather than sent as null, as the bank's clients do.

mod application;
#[cfg(test)]
mod contract_tests;
mod decision;
mod error;
mod inquiry;
mod prospect;
mod reference_data;
mod token;

pub use application::*;
pub use decision::*;
pub use error::*;
pub use inquiry::*;
pub use prospect::*;
pub use reference_data::*;
pub use token::*;

/// The OpenAPI 3.1 description of the bank's API (`openapi.yaml`): the sandbox's and the BFF's contract.
// Embedded so that tests of any crate check against it without knowing where it lies on disk.
pub const OPENAPI_YAML: &str = include_str!("../openapi.yaml");

/// Paths of the bank's API, relative to its base URL (which ends in `/api`).
pub mod paths {
    /// Collection of unsecured applications (create).
    pub const APPLICATIONS: &str = "/v1/apac/onboarding/products/unsecured/applications";

    /// The OAuth2 client-credentials token endpoint for a country and business code.
    pub fn token(country_code: &str) -> String {
        format!(
            "/clientCredentials/oauth2/token/{}/gcb",
            country_code.to_ascii_lowercase()
        )
    }

    /// One application: update (PUT) and Application Inquiry (GET).
    pub fn application(application_id: &str) -> String {
        format!("{APPLICATIONS}/{application_id}")
    }

    /// Check Application Status (GET): the stage and, once decided, the IPA's decision.
    pub fn application_status(application_id: &str) -> String {
        format!("{APPLICATIONS}/{application_id}/status")
    }

    /// Background screening of an application.
    pub fn background_screening(application_id: &str) -> String {
        format!("{APPLICATIONS}/{application_id}/backgroundScreening")
    }

    /// The in-principle approval of an application.
    pub fn in_principle_approvals(application_id: &str) -> String {
        format!("{APPLICATIONS}/{application_id}/inPrincipleApprovals")
    }

    /// Acceptance of a counter-offer or cross-sell offer of an application.
    pub fn offer_acceptance(application_id: &str) -> String {
        format!("{APPLICATIONS}/{application_id}/offerAcceptance")
    }

    /// Full submission of an application to the bank's host systems.
    pub fn submission(application_id: &str) -> String {
        format!("{APPLICATIONS}/{application_id}/submission")
    }

    /// Save for later: the bank keeps the application and sends the customer the alert
    /// with its reference and the link to continue (inferred: the journeys' "Save and Exit"
    /// step is documented, its path is not).
    pub fn save_for_later(application_id: &str) -> String {
        format!("{APPLICATIONS}/{application_id}/saveForLater")
    }

    /// Valid values of one reference-data field.
    pub fn reference_data(reference_code: &str) -> String {
        format!("/v1/apac/utilities/referenceData/{reference_code}")
    }

    /// Submit Prospect: the lead capture of Indonesia, Thailand and Vietnam, where the
    /// bank's representatives follow up instead of an application being decided online.
    pub const PROSPECTS: &str = "/v1/apac/onboarding/prospects";

    /// The EMEA onboarding API, which takes the applications of Poland, Russia and the UAE.
    ///
    /// Only the in-principle approval path is published; the others are inferred from it
    /// (the APAC calls without the `products/unsecured` segment).
    pub mod emea {
        /// Collection of applications (create; inferred).
        pub const APPLICATIONS: &str = "/v1/emea/onboarding/applications";

        /// One application: update (PUT) and inquiry (GET); the path is inferred.
        pub fn application(application_id: &str) -> String {
            format!("{APPLICATIONS}/{application_id}")
        }

        /// The status of an application (GET): listed for EMEA too, its path inferred.
        pub fn application_status(application_id: &str) -> String {
            format!("{APPLICATIONS}/{application_id}/status")
        }

        /// Background screening of an application (inferred).
        pub fn background_screening(application_id: &str) -> String {
            format!("{APPLICATIONS}/{application_id}/backgroundScreening")
        }

        /// The in-principle approval of an application (published in the EMEA swagger).
        pub fn in_principle_approvals(application_id: &str) -> String {
            format!("{APPLICATIONS}/{application_id}/inPrincipleApprovals")
        }

        /// Acceptance of a counter-offer or cross-sell offer (inferred).
        pub fn offer_acceptance(application_id: &str) -> String {
            format!("{APPLICATIONS}/{application_id}/offerAcceptance")
        }

        /// Full submission after `applicationNeedsManualReview` (inferred).
        pub fn submission(application_id: &str) -> String {
            format!("{APPLICATIONS}/{application_id}/submission")
        }

        /// Save for later (inferred, as on the APAC API).
        pub fn save_for_later(application_id: &str) -> String {
            format!("{APPLICATIONS}/{application_id}/saveForLater")
        }
    }
}

/// Names of the headers the bank requires on resource calls.
pub mod headers {
    /// The client id issued at registration.
    pub const CLIENT_ID: &str = "client_id";
    /// A fresh UUID for every request, for the bank's tracing.
    pub const UUID: &str = "uuid";
    /// Two-letter ISO 3166 country of the application.
    pub const COUNTRY_CODE: &str = "countryCode";
}

/// Names of the query parameters of the bank's GET calls.
pub mod query {
    /// The application's flow id, which a GET carries in its query instead of a body.
    pub const CONTROL_FLOW_ID: &str = "controlFlowId";
}

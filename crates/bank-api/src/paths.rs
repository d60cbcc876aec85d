//! Paths of the bank's API, relative to its base URL (which ends in `/api`).

/// The OAuth2 client-credentials token endpoint for a country and business code.
pub fn token(country_code: &str) -> String {
    format!(
        "/clientCredentials/oauth2/token/{}/gcb",
        country_code.to_ascii_lowercase()
    )
}

/// Where reference data lives: one field's values under `{REFERENCE_DATA}/{referenceCode}`.
pub const REFERENCE_DATA: &str = "/v1/apac/utilities/referenceData";

/// Valid values of one reference-data field.
pub fn reference_data(reference_code: &str) -> String {
    format!("{REFERENCE_DATA}/{reference_code}")
}

/// Submit Prospect: the lead capture of Indonesia, Thailand and Vietnam, where the
/// bank's representatives follow up instead of an application being decided online.
pub const PROSPECTS: &str = "/v1/apac/onboarding/prospects";

/// The bank's two application APIs. Their calls and bodies are the same; only the
/// collection the paths start from differs, so every path is built here from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApplicationApi {
    /// The APAC unsecured-application API, which takes the applications of Australia, Hong
    /// Kong, India, Malaysia, the Philippines and Singapore.
    Apac,
    /// The EMEA onboarding API, which takes the applications of Poland, Russia and the UAE.
    ///
    /// Only the in-principle approval path is published; the others are inferred from it
    /// (the APAC calls without the `products/unsecured` segment).
    Emea,
}

impl ApplicationApi {
    /// Both APIs.
    pub const ALL: [Self; 2] = [Self::Apac, Self::Emea];

    /// Collection of applications (create; inferred on EMEA).
    pub const fn applications(self) -> &'static str {
        match self {
            Self::Apac => "/v1/apac/onboarding/products/unsecured/applications",
            Self::Emea => "/v1/emea/onboarding/applications",
        }
    }

    /// One application: update (PUT) and Application Inquiry (GET).
    pub fn application(self, application_id: &str) -> String {
        format!("{}/{application_id}", self.applications())
    }

    /// Check Application Status (GET): the stage and, once decided, the IPA's decision.
    pub fn status(self, application_id: &str) -> String {
        self.step(application_id, "status")
    }

    /// Background screening of an application.
    pub fn background_screening(self, application_id: &str) -> String {
        self.step(application_id, "backgroundScreening")
    }

    /// The in-principle approval of an application.
    pub fn in_principle_approvals(self, application_id: &str) -> String {
        self.step(application_id, "inPrincipleApprovals")
    }

    /// Acceptance of a counter-offer or cross-sell offer of an application.
    pub fn offer_acceptance(self, application_id: &str) -> String {
        self.step(application_id, "offerAcceptance")
    }

    /// Full submission of an application to the bank's host systems (after
    /// `applicationNeedsManualReview`).
    pub fn submission(self, application_id: &str) -> String {
        self.step(application_id, "submission")
    }

    /// Save for later: the bank keeps the application and sends the customer the alert
    /// with its reference and the link to continue (inferred: the journeys' "Save and Exit"
    /// step is documented, its path is not).
    pub fn save_for_later(self, application_id: &str) -> String {
        self.step(application_id, "saveForLater")
    }

    fn step(self, application_id: &str, step: &str) -> String {
        format!("{}/{application_id}/{step}", self.applications())
    }
}

// The APAC API's paths by name: most markets' applications go there, and most tests mean it.

/// Collection of APAC unsecured applications (create).
pub const APPLICATIONS: &str = ApplicationApi::Apac.applications();

/// One APAC application: see [`ApplicationApi::application`].
pub fn application(application_id: &str) -> String {
    ApplicationApi::Apac.application(application_id)
}

/// An APAC application's status: see [`ApplicationApi::status`].
pub fn application_status(application_id: &str) -> String {
    ApplicationApi::Apac.status(application_id)
}

/// An APAC application's screening: see [`ApplicationApi::background_screening`].
pub fn background_screening(application_id: &str) -> String {
    ApplicationApi::Apac.background_screening(application_id)
}

/// An APAC application's in-principle approval: see
/// [`ApplicationApi::in_principle_approvals`].
pub fn in_principle_approvals(application_id: &str) -> String {
    ApplicationApi::Apac.in_principle_approvals(application_id)
}

/// An APAC application's offer acceptance: see [`ApplicationApi::offer_acceptance`].
pub fn offer_acceptance(application_id: &str) -> String {
    ApplicationApi::Apac.offer_acceptance(application_id)
}

/// An APAC application's full submission: see [`ApplicationApi::submission`].
pub fn submission(application_id: &str) -> String {
    ApplicationApi::Apac.submission(application_id)
}

/// An APAC application's save for later: see [`ApplicationApi::save_for_later`].
pub fn save_for_later(application_id: &str) -> String {
    ApplicationApi::Apac.save_for_later(application_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_apis_build_the_same_calls_on_their_own_collection() {
        let emea = ApplicationApi::Emea;
        assert_eq!(
            emea.in_principle_approvals("A1"),
            "/v1/emea/onboarding/applications/A1/inPrincipleApprovals"
        );
        assert_eq!(
            save_for_later("A1"),
            "/v1/apac/onboarding/products/unsecured/applications/A1/saveForLater"
        );
        for api in ApplicationApi::ALL {
            let id = "A1";
            for path in [
                api.application(id),
                api.status(id),
                api.background_screening(id),
                api.in_principle_approvals(id),
                api.offer_acceptance(id),
                api.submission(id),
                api.save_for_later(id),
            ] {
                let rest = path.strip_prefix(api.applications()).unwrap();
                assert!(rest.starts_with("/A1"), "{path}");
            }
        }
        assert_eq!(
            reference_data("COUNTRY"),
            "/v1/apac/utilities/referenceData/COUNTRY"
        );
    }
}

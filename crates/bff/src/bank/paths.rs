//! Where a market's applications live at the bank: the APAC onboarding API, or the EMEA
//! one for Poland, Russia and the UAE. The calls and bodies are the same; only the paths
//! differ, so every application call asks here rather than choosing itself.

use bank_api::paths::{self, ApplicationApi};
use onboarding_core::{ApiVariant, Market};

/// The API the market's applications go to, whose methods build their paths. A prospect
/// market has no application API; its leads go to [`paths::PROSPECTS`] and nothing built
/// here is called for it.
pub fn application_api(market: Market) -> ApplicationApi {
    match market.api_variant() {
        ApiVariant::Emea => ApplicationApi::Emea,
        ApiVariant::ApacApplication | ApiVariant::Prospect => ApplicationApi::Apac,
    }
}

/// The stable name of the bank call `method` `path` makes, for metrics and logs (paths
/// carry the application's reference, which must not become a label).
pub fn call_name(method: &reqwest::Method, path: &str) -> &'static str {
    let path = path.split('?').next().unwrap_or(path);
    if path.starts_with("/clientCredentials/") {
        return "token";
    }
    if path == paths::PROSPECTS {
        return "prospect";
    }
    if path
        .strip_prefix(paths::REFERENCE_DATA)
        .is_some_and(|rest| rest.starts_with('/'))
    {
        return "reference_data";
    }
    if ApplicationApi::ALL
        .iter()
        .any(|api| path == api.applications())
    {
        return "create";
    }
    let Some(id_and_step) = ApplicationApi::ALL
        .iter()
        .find_map(|api| path.strip_prefix(api.applications())?.strip_prefix('/'))
    else {
        return "other";
    };
    match id_and_step.split_once('/').map(|(_, step)| step) {
        None if *method == reqwest::Method::GET => "inquiry",
        None => "update",
        Some("status") => "status",
        Some("backgroundScreening") => "background_screening",
        Some("inPrincipleApprovals") => "in_principle_approval",
        Some("offerAcceptance") => "offer_acceptance",
        Some("submission") => "submission",
        Some("saveForLater") => "save_for_later",
        Some(_) => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_call_is_named_the_same_in_every_market() {
        use reqwest::Method;
        for market in Market::ALL {
            let at = application_api(market);
            let status = format!("{}?controlFlowId=CF1", at.status("A1"));
            for (method, path, name) in [
                (Method::POST, at.applications().to_owned(), "create"),
                (Method::PUT, at.application("A1"), "update"),
                (Method::GET, at.application("A1"), "inquiry"),
                (Method::GET, status, "status"),
                (
                    Method::POST,
                    at.background_screening("A1"),
                    "background_screening",
                ),
                (
                    Method::POST,
                    at.in_principle_approvals("A1"),
                    "in_principle_approval",
                ),
                (Method::POST, at.offer_acceptance("A1"), "offer_acceptance"),
                (Method::POST, at.submission("A1"), "submission"),
                (Method::POST, at.save_for_later("A1"), "save_for_later"),
            ] {
                assert_eq!(call_name(&method, &path), name, "{market:?}: {path}");
            }
        }
        assert_eq!(call_name(&Method::POST, &paths::token("sg")), "token");
        assert_eq!(call_name(&Method::POST, paths::PROSPECTS), "prospect");
        let reference = paths::reference_data("COUNTRY");
        assert_eq!(call_name(&Method::GET, &reference), "reference_data");
        assert_eq!(call_name(&Method::GET, "/v2/something"), "other");
    }

    #[test]
    fn poland_russia_and_the_uae_go_to_the_emea_api() {
        for market in Market::ALL {
            let path = application_api(market).in_principle_approvals("A1");
            let emea = matches!(
                market,
                Market::Poland | Market::Russia | Market::UnitedArabEmirates
            );
            assert_eq!(path.starts_with("/v1/emea/"), emea, "{market:?}: {path}");
        }
        assert_eq!(
            application_api(Market::Singapore).save_for_later("A1"),
            "/v1/apac/onboarding/products/unsecured/applications/A1/saveForLater"
        );
    }
}

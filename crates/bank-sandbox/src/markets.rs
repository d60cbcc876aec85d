//! The twelve markets of the bank's Lead Capture journey and what the bank does differently
//! in each: which of its APIs takes the market's customers, the ID types and salutations it
//! accepts there, and how it follows up once a customer has applied. Every fact about a
//! market is in its one row of [`Market::facts`].

use crate::error::BankError;
use bank_api::paths::{self, ApplicationApi};
use bank_api::{headers, Country, Language};
use serde::Serialize;

/// A country where the bank's card can be applied for, serialised as its ISO 3166 code
/// (the wire's spelling, bank-api's [`Country`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "Country")]
pub enum Market {
    /// Australia (AU).
    Australia,
    /// Hong Kong (HK).
    HongKong,
    /// India (IN).
    India,
    /// Indonesia (ID).
    Indonesia,
    /// Malaysia (MY).
    Malaysia,
    /// The Philippines (PH).
    Philippines,
    /// Poland (PL).
    Poland,
    /// Russia (RU).
    Russia,
    /// Singapore (SG).
    Singapore,
    /// Thailand (TH).
    Thailand,
    /// The United Arab Emirates (AE).
    UnitedArabEmirates,
    /// Vietnam (VN).
    Vietnam,
}

/// Which of the bank's APIs takes a market's customers, as the Lead Capture journey says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiVariant {
    /// APAC unsecured applications: create, update, screening, in-principle approval.
    ApacApplication,
    /// Submit Prospect: a lead, followed up by the bank's representatives; no decision.
    Prospect,
    /// EMEA applications: the APAC calls on the EMEA host, `countryCode` required.
    Emea,
}

/// How the bank carries on with a customer after the first message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FollowUp {
    /// A link to continue the application on the bank's online channel.
    ContinueOnline,
    /// A representative calls the customer.
    RepresentativeCalls,
    /// The message carries the reference and the status only.
    Neither,
}

/// Everything that differs between markets, one row per market.
struct Facts {
    country: Country,
    name: &'static str,
    api_variant: ApiVariant,
    languages: &'static [Language],
    id_types: &'static [&'static str],
    salutations: &'static [&'static str],
    follow_up: FollowUp,
}

impl Market {
    /// Every market, in the order of their English names.
    pub const ALL: [Self; 12] = [
        Self::Australia,
        Self::HongKong,
        Self::India,
        Self::Indonesia,
        Self::Malaysia,
        Self::Philippines,
        Self::Poland,
        Self::Russia,
        Self::Singapore,
        Self::Thailand,
        Self::UnitedArabEmirates,
        Self::Vietnam,
    ];

    /// The market of an upper-case ISO 3166 code, as the `countryCode` header carries it.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    /// The ISO 3166 alpha-2 code.
    pub const fn code(self) -> &'static str {
        self.facts().country.code()
    }

    /// The country's English name, for error details.
    pub const fn name(self) -> &'static str {
        self.facts().name
    }

    /// The bank API that takes the market's customers.
    pub const fn api_variant(self) -> ApiVariant {
        self.facts().api_variant
    }

    /// The languages customers of the market are served in, English first.
    pub const fn languages(self) -> &'static [Language] {
        self.facts().languages
    }

    /// The `idType` codes the bank accepts in the market, a passport last.
    pub const fn id_types(self) -> &'static [&'static str] {
        self.facts().id_types
    }

    /// The `salutation` codes offered in the market.
    pub const fn salutations(self) -> &'static [&'static str] {
        self.facts().salutations
    }

    /// How the bank follows up with the market's customers.
    pub const fn follow_up(self) -> FollowUp {
        self.facts().follow_up
    }

    /// Refuses a call to an API that does not take this market's customers, naming the
    /// one that does, so a partner's developer learns where the market's calls go.
    pub fn served_by(self, variant: ApiVariant) -> Result<(), BankError> {
        if self.api_variant() == variant {
            return Ok(());
        }
        Err(BankError::invalid_request(
            Some(headers::COUNTRY_CODE),
            format!(
                "{} ({}) is served by {}, not by {}",
                self.code(),
                self.name(),
                self.api_variant().entry(),
                variant.name()
            ),
        ))
    }

    const fn facts(self) -> &'static Facts {
        use ApiVariant::*;
        use FollowUp::*;
        use Language::*;
        // Salutations differ where the local language has no word for one (Thai, Vietnamese
        // and Arabic have no "Ms"; Polish and Russian forms offer two), so that no two
        // salutations of a market read the same in its languages.
        match self {
            Self::Australia => &Facts {
                country: Country::Australia,
                name: "Australia",
                api_variant: ApacApplication,
                languages: &[English],
                id_types: &["AU_DRIVER_LICENCE", "MEDICARE", "PASSPORT"],
                salutations: &["MR", "MRS", "MS", "MISS", "DR"],
                follow_up: ContinueOnline,
            },
            Self::HongKong => &Facts {
                country: Country::HongKong,
                name: "Hong Kong",
                api_variant: ApacApplication,
                languages: &[English, TraditionalChinese],
                id_types: &["HKID", "PASSPORT"],
                salutations: &["MR", "MRS", "MS", "MISS", "DR"],
                follow_up: ContinueOnline,
            },
            Self::India => &Facts {
                country: Country::India,
                name: "India",
                api_variant: ApacApplication,
                languages: &[English],
                id_types: &["AADHAAR", "PAN", "PASSPORT"],
                salutations: &["MR", "MRS", "MS", "DR"],
                follow_up: Neither,
            },
            Self::Indonesia => &Facts {
                country: Country::Indonesia,
                name: "Indonesia",
                api_variant: Prospect,
                languages: &[English, Indonesian],
                id_types: &["NIK", "PASSPORT"],
                salutations: &["MR", "MRS", "MISS", "DR"],
                follow_up: RepresentativeCalls,
            },
            Self::Malaysia => &Facts {
                country: Country::Malaysia,
                name: "Malaysia",
                api_variant: ApacApplication,
                languages: &[English, Malay],
                id_types: &["MYKAD", "PASSPORT"],
                salutations: &["MR", "MRS", "MS", "DR"],
                follow_up: ContinueOnline,
            },
            Self::Philippines => &Facts {
                country: Country::Philippines,
                name: "the Philippines",
                api_variant: ApacApplication,
                languages: &[English],
                id_types: &["PHILSYS", "UMID", "PASSPORT"],
                salutations: &["MR", "MRS", "MS", "MISS", "DR"],
                follow_up: ContinueOnline,
            },
            Self::Poland => &Facts {
                country: Country::Poland,
                name: "Poland",
                api_variant: Emea,
                languages: &[English, Polish],
                id_types: &["PESEL", "PL_ID_CARD", "PASSPORT"],
                salutations: &["MR", "MS"],
                follow_up: Neither,
            },
            Self::Russia => &Facts {
                country: Country::Russia,
                name: "Russia",
                api_variant: Emea,
                languages: &[English, Russian],
                id_types: &["RU_PASSPORT", "PASSPORT"],
                salutations: &["MR", "MS"],
                follow_up: Neither,
            },
            Self::Singapore => &Facts {
                country: Country::Singapore,
                name: "Singapore",
                api_variant: ApacApplication,
                languages: &[English],
                id_types: &["NRIC", "FIN", "PASSPORT"],
                salutations: &["MR", "MRS", "MS", "MDM", "DR"],
                follow_up: ContinueOnline,
            },
            Self::Thailand => &Facts {
                country: Country::Thailand,
                name: "Thailand",
                api_variant: Prospect,
                languages: &[English, Thai],
                id_types: &["THAI_ID", "PASSPORT"],
                salutations: &["MR", "MRS", "MISS", "DR"],
                follow_up: RepresentativeCalls,
            },
            Self::UnitedArabEmirates => &Facts {
                country: Country::UnitedArabEmirates,
                name: "the United Arab Emirates",
                api_variant: Emea,
                languages: &[English, Arabic],
                id_types: &["EMIRATES_ID", "PASSPORT"],
                salutations: &["MR", "MRS", "MISS", "DR"],
                follow_up: Neither,
            },
            Self::Vietnam => &Facts {
                country: Country::Vietnam,
                name: "Vietnam",
                api_variant: Prospect,
                languages: &[English, Vietnamese],
                id_types: &["CCCD", "PASSPORT"],
                salutations: &["MR", "MRS", "MISS", "DR"],
                follow_up: RepresentativeCalls,
            },
        }
    }
}

impl ApiVariant {
    /// The API's name in error details.
    pub const fn name(self) -> &'static str {
        match self {
            Self::ApacApplication => "the APAC unsecured-application API",
            Self::Prospect => "Submit Prospect",
            Self::Emea => "the EMEA onboarding API",
        }
    }

    /// The API's name and the call that starts a customer's journey on it.
    pub fn entry(self) -> String {
        let path = match self {
            Self::ApacApplication => ApplicationApi::Apac.applications(),
            Self::Prospect => paths::PROSPECTS,
            Self::Emea => ApplicationApi::Emea.applications(),
        };
        format!("{} (POST {path})", self.name())
    }
}

impl From<ApplicationApi> for ApiVariant {
    /// The markets whose applications this API takes.
    fn from(api: ApplicationApi) -> Self {
        match api {
            ApplicationApi::Apac => Self::ApacApplication,
            ApplicationApi::Emea => Self::Emea,
        }
    }
}

impl From<Market> for Country {
    fn from(market: Market) -> Self {
        market.facts().country
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn codes(variant: ApiVariant) -> Vec<&'static str> {
        Market::ALL
            .into_iter()
            .filter(|m| m.api_variant() == variant)
            .map(Market::code)
            .collect()
    }

    #[test]
    fn the_apis_follow_the_lead_capture_journey() {
        assert_eq!(
            codes(ApiVariant::ApacApplication),
            ["AU", "HK", "IN", "MY", "PH", "SG"]
        );
        assert_eq!(codes(ApiVariant::Prospect), ["ID", "TH", "VN"]);
        assert_eq!(codes(ApiVariant::Emea), ["PL", "RU", "AE"]);
    }

    #[test]
    fn continue_links_and_calls_follow_the_lead_capture_journey() {
        let following = |follow_up| -> Vec<&str> {
            Market::ALL
                .into_iter()
                .filter(|m| m.follow_up() == follow_up)
                .map(Market::code)
                .collect()
        };
        assert_eq!(
            following(FollowUp::ContinueOnline),
            ["AU", "HK", "MY", "PH", "SG"]
        );
        assert_eq!(following(FollowUp::RepresentativeCalls), ["ID", "TH", "VN"]);
        assert_eq!(following(FollowUp::Neither), ["IN", "PL", "RU", "AE"]);
    }

    #[test]
    fn codes_read_back_upper_case_only() {
        for market in Market::ALL {
            assert_eq!(Market::from_code(market.code()), Some(market));
            let json = serde_json::to_string(&market).unwrap();
            assert_eq!(json, format!("\"{}\"", market.code()));
        }
        assert_eq!(Market::from_code("sg"), None);
        assert_eq!(Market::from_code("GB"), None);
        assert_eq!(Market::from_code(""), None);
    }

    #[test]
    fn every_market_takes_a_passport_last_and_its_own_national_id() {
        let mut national = HashSet::new();
        for market in Market::ALL {
            let types = market.id_types();
            assert_eq!(types.last(), Some(&"PASSPORT"), "{market:?}");
            assert!(types.len() >= 2, "{market:?}");
            for id_type in &types[..types.len() - 1] {
                assert!(national.insert(*id_type), "{id_type} in two markets");
            }
        }
    }

    #[test]
    fn english_is_offered_everywhere_and_first() {
        for market in Market::ALL {
            assert_eq!(market.languages().first(), Some(&Language::English));
        }
    }

    #[test]
    fn a_wrong_api_names_the_market_and_the_right_call() {
        let error = Market::Poland
            .served_by(ApiVariant::ApacApplication)
            .unwrap_err();
        let text = format!("{error:?}");
        assert!(text.contains("PL (Poland)"), "{text}");
        assert!(text.contains(ApplicationApi::Emea.applications()), "{text}");
        assert!(text.contains("countryCode"), "{text}");
        assert!(Market::Vietnam.served_by(ApiVariant::Prospect).is_ok());
        assert!(ApiVariant::from(ApplicationApi::Emea) == ApiVariant::Emea);
    }
}

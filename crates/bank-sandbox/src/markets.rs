//! The twelve markets of the bank's Lead Capture journey and what the bank does differently
//! in each: which of its APIs takes the market's customers, the ID types and salutations it
//! accepts there, and how it follows up once a customer has applied. Every fact about a
//! market is in its one row of [`Market::facts`].

use crate::error::BankError;
use crate::languages::Language;
use bank_api::{headers, paths};
use serde::Serialize;

/// A country where the bank's card can be applied for, serialised as its ISO 3166 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Market {
    /// Australia (AU).
    #[serde(rename = "AU")]
    Australia,
    /// Hong Kong (HK).
    #[serde(rename = "HK")]
    HongKong,
    /// India (IN).
    #[serde(rename = "IN")]
    India,
    /// Indonesia (ID).
    #[serde(rename = "ID")]
    Indonesia,
    /// Malaysia (MY).
    #[serde(rename = "MY")]
    Malaysia,
    /// The Philippines (PH).
    #[serde(rename = "PH")]
    Philippines,
    /// Poland (PL).
    #[serde(rename = "PL")]
    Poland,
    /// Russia (RU).
    #[serde(rename = "RU")]
    Russia,
    /// Singapore (SG).
    #[serde(rename = "SG")]
    Singapore,
    /// Thailand (TH).
    #[serde(rename = "TH")]
    Thailand,
    /// The United Arab Emirates (AE).
    #[serde(rename = "AE")]
    UnitedArabEmirates,
    /// Vietnam (VN).
    #[serde(rename = "VN")]
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

/// The region of the application API a route belongs to; the same handlers serve both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Region {
    /// `/v1/apac/onboarding/products/unsecured/applications...`
    Apac,
    /// `/v1/emea/onboarding/applications...`
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
    code: &'static str,
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
        self.facts().code
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
                code: "AU",
                name: "Australia",
                api_variant: ApacApplication,
                languages: &[English],
                id_types: &["AU_DRIVER_LICENCE", "MEDICARE", "PASSPORT"],
                salutations: &["MR", "MRS", "MS", "MISS", "DR"],
                follow_up: ContinueOnline,
            },
            Self::HongKong => &Facts {
                code: "HK",
                name: "Hong Kong",
                api_variant: ApacApplication,
                languages: &[English, TraditionalChinese],
                id_types: &["HKID", "PASSPORT"],
                salutations: &["MR", "MRS", "MS", "MISS", "DR"],
                follow_up: ContinueOnline,
            },
            Self::India => &Facts {
                code: "IN",
                name: "India",
                api_variant: ApacApplication,
                languages: &[English],
                id_types: &["AADHAAR", "PAN", "PASSPORT"],
                salutations: &["MR", "MRS", "MS", "DR"],
                follow_up: Neither,
            },
            Self::Indonesia => &Facts {
                code: "ID",
                name: "Indonesia",
                api_variant: Prospect,
                languages: &[English, Indonesian],
                id_types: &["NIK", "PASSPORT"],
                salutations: &["MR", "MRS", "MISS", "DR"],
                follow_up: RepresentativeCalls,
            },
            Self::Malaysia => &Facts {
                code: "MY",
                name: "Malaysia",
                api_variant: ApacApplication,
                languages: &[English, Malay],
                id_types: &["MYKAD", "PASSPORT"],
                salutations: &["MR", "MRS", "MS", "DR"],
                follow_up: ContinueOnline,
            },
            Self::Philippines => &Facts {
                code: "PH",
                name: "the Philippines",
                api_variant: ApacApplication,
                languages: &[English],
                id_types: &["PHILSYS", "UMID", "PASSPORT"],
                salutations: &["MR", "MRS", "MS", "MISS", "DR"],
                follow_up: ContinueOnline,
            },
            Self::Poland => &Facts {
                code: "PL",
                name: "Poland",
                api_variant: Emea,
                languages: &[English, Polish],
                id_types: &["PESEL", "PL_ID_CARD", "PASSPORT"],
                salutations: &["MR", "MS"],
                follow_up: Neither,
            },
            Self::Russia => &Facts {
                code: "RU",
                name: "Russia",
                api_variant: Emea,
                languages: &[English, Russian],
                id_types: &["RU_PASSPORT", "PASSPORT"],
                salutations: &["MR", "MS"],
                follow_up: Neither,
            },
            Self::Singapore => &Facts {
                code: "SG",
                name: "Singapore",
                api_variant: ApacApplication,
                languages: &[English],
                id_types: &["NRIC", "FIN", "PASSPORT"],
                salutations: &["MR", "MRS", "MS", "MDM", "DR"],
                follow_up: ContinueOnline,
            },
            Self::Thailand => &Facts {
                code: "TH",
                name: "Thailand",
                api_variant: Prospect,
                languages: &[English, Thai],
                id_types: &["THAI_ID", "PASSPORT"],
                salutations: &["MR", "MRS", "MISS", "DR"],
                follow_up: RepresentativeCalls,
            },
            Self::UnitedArabEmirates => &Facts {
                code: "AE",
                name: "the United Arab Emirates",
                api_variant: Emea,
                languages: &[English, Arabic],
                id_types: &["EMIRATES_ID", "PASSPORT"],
                salutations: &["MR", "MRS", "MISS", "DR"],
                follow_up: Neither,
            },
            Self::Vietnam => &Facts {
                code: "VN",
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
            Self::ApacApplication => paths::APPLICATIONS,
            Self::Prospect => paths::PROSPECTS,
            Self::Emea => paths::emea::APPLICATIONS,
        };
        format!("{} (POST {path})", self.name())
    }
}

impl Region {
    /// The markets whose applications this region's API takes.
    pub const fn api_variant(self) -> ApiVariant {
        match self {
            Self::Apac => ApiVariant::ApacApplication,
            Self::Emea => ApiVariant::Emea,
        }
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
        assert!(text.contains(paths::emea::APPLICATIONS), "{text}");
        assert!(text.contains("countryCode"), "{text}");
        assert!(Market::Vietnam.served_by(ApiVariant::Prospect).is_ok());
        assert!(Region::Emea.api_variant() == ApiVariant::Emea);
    }
}

//! The markets the product serves and what differs between them. Every fact about a
//! market is in its one row of [`Market::facts`]; the rest of the crate asks the market.

mod api_variant;

pub use api_variant::{ApiVariant, FollowUp};
/// The languages are the wire's: the bank is asked for the customer's in the same tags.
pub use bank_api::Language;

use crate::fields::{IdType, MobilePlan, PostalCodeFormat};
use bank_api::Country;
use serde::{Deserialize, Serialize};

/// A country the bank's card can be applied for in, serialised as its ISO 3166 alpha-2 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// Everything that differs between markets; the public `const fn`s read one field each.
struct Facts {
    country: Country,
    name: &'static str,
    currency: &'static str,
    locale: &'static str,
    phone_country_code: &'static str,
    minimum_age: i32,
    languages: &'static [Language],
    api_variant: ApiVariant,
    id_types: &'static [IdType],
    postal_code: Option<PostalCodeFormat>,
    mobile: MobilePlan,
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

    /// The market from its ISO 3166 alpha-2 code, ignoring case.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|m| m.code().eq_ignore_ascii_case(code))
    }

    /// ISO 3166 alpha-2 code, as the bank's `countryCode` header wants it.
    pub const fn code(self) -> &'static str {
        self.facts().country.code()
    }

    /// The country, as the bank's API names it.
    pub const fn country(self) -> Country {
        self.facts().country
    }

    /// The country's English name, as a label ("Philippines").
    pub const fn name(self) -> &'static str {
        self.facts().name
    }

    /// ISO 4217 currency of credit limits.
    pub const fn currency(self) -> &'static str {
        self.facts().currency
    }

    /// BCP 47 locale for numbers, dates and currency (`Intl` formatting).
    pub const fn locale(self) -> &'static str {
        self.facts().locale
    }

    /// International dialling code, without the plus sign.
    pub const fn phone_country_code(self) -> &'static str {
        self.facts().phone_country_code
    }

    /// The IANA time zone whose date is the market's "today" (for age checks and expiry
    /// dates): the capital's where a country spans several, except Australia's, which is
    /// Sydney's (also Melbourne's and Canberra's: where most Australians live).
    ///
    /// Only the BFF asks, so it is a match of its own rather than a field of [`Facts`]: a
    /// field would put every zone's name in the widget's download.
    pub const fn time_zone(self) -> &'static str {
        match self {
            Self::Australia => "Australia/Sydney",
            Self::HongKong => "Asia/Hong_Kong",
            Self::India => "Asia/Kolkata",
            Self::Indonesia => "Asia/Jakarta",
            Self::Malaysia => "Asia/Kuala_Lumpur",
            Self::Philippines => "Asia/Manila",
            Self::Poland => "Europe/Warsaw",
            Self::Russia => "Europe/Moscow",
            Self::Singapore => "Asia/Singapore",
            Self::Thailand => "Asia/Bangkok",
            Self::UnitedArabEmirates => "Asia/Dubai",
            Self::Vietnam => "Asia/Ho_Chi_Minh",
        }
    }

    /// The youngest age at which the bank accepts an applicant for a principal card.
    pub const fn minimum_age(self) -> i32 {
        self.facts().minimum_age
    }

    /// The languages a customer may use in the market, English first.
    pub const fn languages(self) -> &'static [Language] {
        self.facts().languages
    }

    /// Which of the bank's APIs takes the market's applications.
    pub const fn api_variant(self) -> ApiVariant {
        self.facts().api_variant
    }

    /// What happens after the bank has a customer's details without a decision: the seed's
    /// "continue on the online channel" markets, the markets whose representatives call,
    /// and the others, where the bank's messages carry the reference and next steps.
    pub const fn follow_up(self) -> FollowUp {
        match self {
            Self::HongKong
            | Self::Singapore
            | Self::Philippines
            | Self::Malaysia
            | Self::Australia => FollowUp::ContinueOnline,
            Self::Thailand | Self::Indonesia | Self::Vietnam => FollowUp::RepresentativeCalls,
            Self::India | Self::Poland | Self::Russia | Self::UnitedArabEmirates => {
                FollowUp::BankWrites
            }
        }
    }

    /// The ID types the bank accepts in the market; a passport everywhere.
    pub const fn id_types(self) -> &'static [IdType] {
        self.facts().id_types
    }

    /// The shape of the market's postal codes; `None` where the country has none.
    pub const fn postal_code(self) -> Option<PostalCodeFormat> {
        self.facts().postal_code
    }

    /// Whether addresses in the market have a postal code (Hong Kong and the UAE have none).
    pub const fn has_postal_code(self) -> bool {
        self.facts().postal_code.is_some()
    }

    /// A postal code of the market's shape for messages, e.g. "00-950" in Poland: an
    /// example reads the same in every language, where a description would need
    /// translating.
    pub const fn postal_code_example(self) -> Option<&'static str> {
        match self.facts().postal_code {
            Some(format) => Some(format.example()),
            None => None,
        }
    }

    /// The market's national plan of mobile numbers.
    pub const fn mobile_plan(self) -> MobilePlan {
        self.facts().mobile
    }

    /// The market's row: the one place a fact about a market is written.
    const fn facts(self) -> &'static Facts {
        use ApiVariant::*;
        use IdType::*;
        use Language::*;
        use PostalCodeFormat::*;
        match self {
            Self::Australia => &Facts {
                country: Country::Australia,
                name: "Australia",
                currency: "AUD",
                locale: "en-AU",
                phone_country_code: "61",
                minimum_age: 18,
                languages: &[English],
                api_variant: ApacApplication,
                id_types: &[AuDriverLicence, Medicare, Passport],
                postal_code: Some(FourDigits),
                mobile: MobilePlan {
                    trunk_prefix: Some("0"),
                    prefixes: &["4"],
                    min_digits: 9,
                    max_digits: 9,
                    example: "0412 345 678",
                },
            },
            Self::HongKong => &Facts {
                country: Country::HongKong,
                name: "Hong Kong",
                currency: "HKD",
                locale: "zh-HK",
                phone_country_code: "852",
                minimum_age: 18,
                languages: &[English, TraditionalChinese],
                api_variant: ApacApplication,
                id_types: &[Hkid, Passport],
                postal_code: None,
                // Hong Kong has no trunk prefix; the newer, rare mobiles beginning 4 are not taken.
                mobile: MobilePlan {
                    trunk_prefix: None,
                    prefixes: &["5", "6", "7", "9"],
                    min_digits: 8,
                    max_digits: 8,
                    example: "9123 4567",
                },
            },
            Self::India => &Facts {
                country: Country::India,
                name: "India",
                currency: "INR",
                locale: "en-IN",
                phone_country_code: "91",
                // Indian issuers, the bank among them, take principal cardholders from 21
                // although the law allows cards from 18.
                minimum_age: 21,
                languages: &[English],
                api_variant: ApacApplication,
                id_types: &[Aadhaar, Pan, Passport],
                postal_code: Some(IndianPin),
                mobile: MobilePlan {
                    trunk_prefix: Some("0"),
                    prefixes: &["6", "7", "8", "9"],
                    min_digits: 10,
                    max_digits: 10,
                    example: "98765 43210",
                },
            },
            Self::Indonesia => &Facts {
                country: Country::Indonesia,
                name: "Indonesia",
                currency: "IDR",
                locale: "id-ID",
                phone_country_code: "62",
                // Bank Indonesia's card rules: a principal cardholder is 21 (or married, which
                // the journey does not ask).
                minimum_age: 21,
                languages: &[English, Indonesian],
                api_variant: Prospect,
                id_types: &[Nik, Passport],
                postal_code: Some(FiveDigits),
                // 08xx-xxxx-xxxx: 10 to 13 digits with the trunk 0.
                mobile: MobilePlan {
                    trunk_prefix: Some("0"),
                    prefixes: &["8"],
                    min_digits: 9,
                    max_digits: 12,
                    example: "0812 3456 7890",
                },
            },
            Self::Malaysia => &Facts {
                country: Country::Malaysia,
                name: "Malaysia",
                currency: "MYR",
                locale: "ms-MY",
                phone_country_code: "60",
                // Bank Negara Malaysia's credit card policy: principal cardholders are 21.
                minimum_age: 21,
                languages: &[English, Malay],
                api_variant: ApacApplication,
                id_types: &[MyKad, Passport],
                postal_code: Some(FiveDigits),
                // 01x-xxx xxxx, and 011-xxxx xxxx one digit longer (9 to 10 digits are allowed
                // for every range); 015 is internet telephony, not mobile.
                mobile: MobilePlan {
                    trunk_prefix: Some("0"),
                    prefixes: &["10", "11", "12", "13", "14", "16", "17", "18", "19"],
                    min_digits: 9,
                    max_digits: 10,
                    example: "012-345 6789",
                },
            },
            Self::Philippines => &Facts {
                country: Country::Philippines,
                name: "Philippines",
                currency: "PHP",
                locale: "en-PH",
                phone_country_code: "63",
                // Philippine issuers, the bank among them, take principal cardholders from 21.
                minimum_age: 21,
                languages: &[English],
                api_variant: ApacApplication,
                id_types: &[PhilSys, Umid, Passport],
                postal_code: Some(FourDigits),
                mobile: MobilePlan {
                    trunk_prefix: Some("0"),
                    prefixes: &["9"],
                    min_digits: 10,
                    max_digits: 10,
                    example: "0917 123 4567",
                },
            },
            Self::Poland => &Facts {
                country: Country::Poland,
                name: "Poland",
                currency: "PLN",
                locale: "pl-PL",
                phone_country_code: "48",
                minimum_age: 18,
                languages: &[English, Polish],
                api_variant: Emea,
                id_types: &[Pesel, PolishIdCard, Passport],
                postal_code: Some(PolishHyphenated),
                // Poland dropped its trunk prefix in 2005; these are the mobile ranges of
                // the national plan.
                mobile: MobilePlan {
                    trunk_prefix: None,
                    prefixes: &[
                        "45", "50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79",
                        "88",
                    ],
                    min_digits: 9,
                    max_digits: 9,
                    example: "512 345 678",
                },
            },
            Self::Russia => &Facts {
                country: Country::Russia,
                name: "Russia",
                currency: "RUB",
                locale: "ru-RU",
                phone_country_code: "7",
                minimum_age: 18,
                languages: &[English, Russian],
                api_variant: Emea,
                id_types: &[RussianPassport, Inn, Passport],
                postal_code: Some(SixDigits),
                // Russians dial 8 before national numbers, not 0: 8 912 345-67-89.
                mobile: MobilePlan {
                    trunk_prefix: Some("8"),
                    prefixes: &["9"],
                    min_digits: 10,
                    max_digits: 10,
                    example: "8 912 345-67-89",
                },
            },
            Self::Singapore => &Facts {
                country: Country::Singapore,
                name: "Singapore",
                currency: "SGD",
                locale: "en-SG",
                phone_country_code: "65",
                // MAS rules for unsecured credit: principal cardholders are 21.
                minimum_age: 21,
                languages: &[English],
                api_variant: ApacApplication,
                id_types: &[Nric, Fin, Passport],
                postal_code: Some(SixDigits),
                mobile: MobilePlan {
                    trunk_prefix: None,
                    prefixes: &["8", "9"],
                    min_digits: 8,
                    max_digits: 8,
                    example: "9123 4567",
                },
            },
            Self::Thailand => &Facts {
                country: Country::Thailand,
                name: "Thailand",
                currency: "THB",
                // Intl formats dates of th-TH in the Buddhist era (2569 for 2026).
                locale: "th-TH",
                phone_country_code: "66",
                // The Bank of Thailand's card rules follow the age of majority, 20.
                minimum_age: 20,
                languages: &[English, Thai],
                api_variant: Prospect,
                id_types: &[ThaiId, Passport],
                postal_code: Some(FiveDigits),
                mobile: MobilePlan {
                    trunk_prefix: Some("0"),
                    prefixes: &["6", "8", "9"],
                    min_digits: 9,
                    max_digits: 9,
                    example: "081 234 5678",
                },
            },
            Self::UnitedArabEmirates => &Facts {
                country: Country::UnitedArabEmirates,
                name: "United Arab Emirates",
                currency: "AED",
                locale: "ar-AE",
                phone_country_code: "971",
                // UAE issuers, the bank among them, take principal cardholders from 21.
                minimum_age: 21,
                languages: &[English, Arabic],
                api_variant: Emea,
                id_types: &[EmiratesId, Passport],
                postal_code: None,
                mobile: MobilePlan {
                    trunk_prefix: Some("0"),
                    prefixes: &["50", "52", "54", "55", "56", "58"],
                    min_digits: 9,
                    max_digits: 9,
                    example: "050 123 4567",
                },
            },
            Self::Vietnam => &Facts {
                country: Country::Vietnam,
                name: "Vietnam",
                currency: "VND",
                locale: "vi-VN",
                phone_country_code: "84",
                minimum_age: 18,
                languages: &[English, Vietnamese],
                api_variant: Prospect,
                id_types: &[Cccd, Cmnd, Passport],
                postal_code: Some(SixDigits),
                mobile: MobilePlan {
                    trunk_prefix: Some("0"),
                    prefixes: &["3", "5", "7", "8", "9"],
                    min_digits: 9,
                    max_digits: 9,
                    example: "091 234 56 78",
                },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{IdNumber, MobileNumber, PostalCode};
    use std::collections::HashSet;

    #[test]
    fn serialises_as_the_iso_code_and_parses_it_back_in_any_case() {
        for market in Market::ALL {
            let json = serde_json::to_string(&market).unwrap();
            assert_eq!(json, format!("\"{}\"", market.code()));
            assert_eq!(serde_json::from_str::<Market>(&json).unwrap(), market);
            assert_eq!(
                Market::from_code(&market.code().to_lowercase()),
                Some(market)
            );
        }
        assert_eq!(Market::from_code("GB"), None);
    }

    #[test]
    fn the_partners_and_the_banks_market_codes_are_one_spelling() {
        let countries: HashSet<_> = Market::ALL.into_iter().map(Market::country).collect();
        assert_eq!(countries.len(), bank_api::Country::ALL.len());
        for market in Market::ALL {
            assert_eq!(
                serde_json::to_value(market).unwrap(),
                serde_json::to_value(market.country()).unwrap()
            );
        }
    }

    #[test]
    fn codes_currencies_and_dialling_codes_are_distinct_and_well_formed() {
        let distinct = |f: fn(Market) -> &'static str| {
            Market::ALL.into_iter().map(f).collect::<HashSet<_>>().len() == Market::ALL.len()
        };
        assert!(distinct(Market::code));
        assert!(distinct(Market::currency));
        assert!(distinct(Market::locale));
        assert!(distinct(Market::phone_country_code));
        for market in Market::ALL {
            let upper = |s: &str, n| s.len() == n && s.bytes().all(|b| b.is_ascii_uppercase());
            assert!(upper(market.code(), 2), "{market:?}");
            assert!(upper(market.currency(), 3), "{market:?}");
            assert!(market.locale().ends_with(market.code()), "{market:?}");
            assert!((18..=21).contains(&market.minimum_age()), "{market:?}");
        }
    }

    #[test]
    fn the_api_variants_follow_the_lead_capture_journey() {
        let by_variant = |variant| {
            Market::ALL
                .into_iter()
                .filter(|m| m.api_variant() == variant)
                .map(Market::code)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            by_variant(ApiVariant::ApacApplication),
            ["AU", "HK", "IN", "MY", "PH", "SG"]
        );
        assert_eq!(by_variant(ApiVariant::Prospect), ["ID", "TH", "VN"]);
        assert_eq!(by_variant(ApiVariant::Emea), ["PL", "RU", "AE"]);
    }

    #[test]
    fn english_is_offered_everywhere_and_first() {
        for market in Market::ALL {
            assert_eq!(market.languages().first(), Some(&Language::English));
        }
        assert_eq!(
            Market::HongKong.languages(),
            [Language::English, Language::TraditionalChinese]
        );
        assert_eq!(Market::Singapore.languages(), [Language::English]);
    }

    #[test]
    fn every_market_takes_a_passport_and_a_national_id() {
        for market in Market::ALL {
            let types = market.id_types();
            assert!(types.contains(&IdType::Passport), "{market:?}");
            assert!(types.len() >= 2, "{market:?}");
            let distinct: HashSet<_> = types.iter().collect();
            assert_eq!(distinct.len(), types.len(), "{market:?}");
        }
        let national: Vec<IdType> = Market::ALL
            .into_iter()
            .flat_map(|m| m.id_types().iter().copied())
            .filter(|t| *t != IdType::Passport)
            .collect();
        let distinct: HashSet<_> = national.iter().collect();
        assert_eq!(
            distinct.len(),
            national.len(),
            "a national ID in two markets"
        );
        assert_eq!(distinct.len() + 1, IdType::ALL.len());
        assert!(IdNumber::parse("E1234567A", IdType::Passport).is_ok());
    }

    #[test]
    fn every_example_mobile_number_is_a_valid_number_of_its_market() {
        for market in Market::ALL {
            let plan = market.mobile_plan();
            let parsed = MobileNumber::parse(plan.example, market);
            assert!(parsed.is_ok(), "{market:?} {}", plan.example);
            let national = parsed.unwrap();
            let national = national.national();
            assert!((plan.min_digits..=plan.max_digits).contains(&national.len()));
        }
    }

    #[test]
    fn postal_code_hints_exist_exactly_where_postal_codes_do() {
        for market in Market::ALL {
            assert_eq!(
                market.has_postal_code(),
                market.postal_code_example().is_some()
            );
            if !market.has_postal_code() {
                assert_eq!(PostalCode::parse("", market.code()), Ok(None));
            }
        }
        assert!(!Market::HongKong.has_postal_code());
        assert!(!Market::UnitedArabEmirates.has_postal_code());
        assert_eq!(Market::Australia.postal_code_example(), Some("2000"));
    }
}

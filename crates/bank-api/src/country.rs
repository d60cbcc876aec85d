//! The countries whose customers the bank's onboarding API takes, as the wire spells them.

use serde::{Deserialize, Serialize};

/// A country the bank takes card applications or leads from, serialised as its ISO 3166
/// alpha-2 code in upper case: the `countryCode` header, the token path and the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Country {
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

impl Country {
    /// Every country, in the order of their English names.
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

    /// The ISO 3166 alpha-2 code, in upper case as the `countryCode` header carries it.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Australia => "AU",
            Self::HongKong => "HK",
            Self::India => "IN",
            Self::Indonesia => "ID",
            Self::Malaysia => "MY",
            Self::Philippines => "PH",
            Self::Poland => "PL",
            Self::Russia => "RU",
            Self::Singapore => "SG",
            Self::Thailand => "TH",
            Self::UnitedArabEmirates => "AE",
            Self::Vietnam => "VN",
        }
    }

    /// The country of a code exactly as the wire spells it: upper case only.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_upper_case_only_and_serialise_as_themselves() {
        for country in Country::ALL {
            assert_eq!(Country::from_code(country.code()), Some(country));
            let json = serde_json::to_string(&country).unwrap();
            assert_eq!(json, format!("\"{}\"", country.code()));
            assert_eq!(serde_json::from_str::<Country>(&json).unwrap(), country);
        }
        assert_eq!(Country::from_code("sg"), None);
        assert_eq!(Country::from_code("GB"), None);
        assert_eq!(Country::from_code(""), None);
    }
}

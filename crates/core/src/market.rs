//! The markets the product serves and what differs between them.

use serde::{Deserialize, Serialize};

/// A country the bank's card can be applied for in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Market {
    #[serde(rename = "SG")]
    Singapore,
}

impl Market {
    /// Every market, for listings and tests.
    pub const ALL: [Self; 1] = [Self::Singapore];

    /// The market from its ISO 3166 alpha-2 code, ignoring case.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|m| m.code().eq_ignore_ascii_case(code))
    }

    /// ISO 3166 alpha-2 code, as the bank's `countryCode` header wants it.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Singapore => "SG",
        }
    }

    /// ISO 4217 currency of credit limits.
    pub const fn currency(self) -> &'static str {
        match self {
            Self::Singapore => "SGD",
        }
    }

    /// BCP 47 locale for numbers, dates and currency.
    pub const fn locale(self) -> &'static str {
        match self {
            Self::Singapore => "en-SG",
        }
    }

    /// International dialling code, without the plus sign.
    pub const fn phone_country_code(self) -> &'static str {
        match self {
            Self::Singapore => "65",
        }
    }

    /// The youngest age at which the bank accepts an applicant.
    pub const fn minimum_age(self) -> i32 {
        match self {
            Self::Singapore => 21,
        }
    }
}

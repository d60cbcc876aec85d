use super::required;
use crate::{Market, ValidationError};

/// The shapes of postal codes in the markets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostalCodeFormat {
    /// Four digits (Australia, the Philippines).
    FourDigits,
    /// Five digits (Indonesia, Malaysia, Thailand).
    FiveDigits,
    /// Six digits (Russia, Singapore, Vietnam).
    SixDigits,
    /// Six digits, the first not 0 (India's PIN code: the first digit is a postal zone).
    IndianPin,
    /// `NN-NNN` (Poland), also accepted as five digits and stored with its hyphen.
    PolishHyphenated,
}

impl PostalCodeFormat {
    /// A code of this shape, for messages.
    pub const fn example(self) -> &'static str {
        match self {
            Self::FourDigits => "2000",
            Self::FiveDigits => "50450",
            Self::SixDigits => "238801",
            Self::IndianPin => "110001",
            Self::PolishHyphenated => "00-950",
        }
    }

    /// The code as stored, or `None` when `code` (upper-case, trimmed) is not of the format.
    fn normalise(self, code: &str) -> Option<String> {
        let digits = |n: usize| code.len() == n && code.bytes().all(|b| b.is_ascii_digit());
        match self {
            Self::FourDigits => digits(4).then(|| code.to_owned()),
            Self::FiveDigits => digits(5).then(|| code.to_owned()),
            Self::SixDigits => digits(6).then(|| code.to_owned()),
            Self::IndianPin => (digits(6) && !code.starts_with('0')).then(|| code.to_owned()),
            Self::PolishHyphenated => {
                let plain: String = match code.split_once('-') {
                    Some((head, tail)) if head.len() == 2 => format!("{head}{tail}"),
                    Some(_) => return None,
                    None => code.to_owned(),
                };
                let valid = plain.len() == 5 && plain.bytes().all(|b| b.is_ascii_digit());
                valid.then(|| format!("{}-{}", &plain[..2], &plain[2..]))
            }
        }
    }
}

/// A postal code, checked by the address's country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalCode(String);

impl PostalCode {
    /// Parses the postal code of an address in `country` (ISO 3166 alpha-2). In a market the
    /// market's format applies, and where the country has no postal codes (Hong Kong, the
    /// UAE) the field must be left blank and gives `None`; elsewhere a loose rule applies.
    pub fn parse(raw: &str, country: &str) -> Result<Option<Self>, ValidationError> {
        let market = Market::from_code(country);
        if market.is_some_and(|m| !m.has_postal_code()) {
            return match raw.trim() {
                "" => Ok(None),
                _ => Err(ValidationError::InvalidPostalCode),
            };
        }
        let code = required(raw)?.to_ascii_uppercase();
        let normalised = match market.and_then(Market::postal_code) {
            Some(format) => format.normalise(&code),
            None => {
                let valid = (3..=10).contains(&code.len())
                    && code
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
                valid.then_some(code)
            }
        };
        normalised
            .map(|code| Some(Self(code)))
            .ok_or(ValidationError::InvalidPostalCode)
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parsed(raw: &str, country: &str) -> Result<Option<String>, ValidationError> {
        PostalCode::parse(raw, country).map(|c| c.map(|c| c.as_str().to_owned()))
    }

    #[test]
    fn postal_codes_follow_the_country() {
        assert_eq!(parsed("238859", "SG"), Ok(Some("238859".into())));
        assert_eq!(
            parsed("23885", "SG"),
            Err(ValidationError::InvalidPostalCode)
        );
        assert_eq!(parsed("SW1A 1AA", "GB"), Ok(Some("SW1A 1AA".into())));
        assert_eq!(parsed("", "SG"), Err(ValidationError::Required));
        assert_eq!(parsed("", "GB"), Err(ValidationError::Required));
    }

    #[test]
    fn every_market_takes_its_own_shape_only() {
        for (country, valid, invalid) in [
            ("AU", "2000", "20000"),
            ("IN", "110001", "011001"),
            ("ID", "10110", "1011"),
            ("MY", "50450", "504500"),
            ("PH", "1226", "12260"),
            ("PL", "00-950", "009-50"),
            ("RU", "101000", "10100"),
            ("SG", "079903", "79903"),
            ("TH", "10330", "1033A"),
            ("VN", "100000", "10000"),
        ] {
            assert_eq!(parsed(valid, country), Ok(Some(valid.into())), "{country}");
            assert_eq!(
                parsed(invalid, country),
                Err(ValidationError::InvalidPostalCode),
                "{country}"
            );
        }
    }

    #[test]
    fn polish_codes_are_stored_with_their_hyphen() {
        assert_eq!(parsed("00950", "PL"), Ok(Some("00-950".into())));
        assert_eq!(parsed(" 31-042 ", "PL"), Ok(Some("31-042".into())));
        for invalid in ["0-0950", "00-95", "00--950", "00 950", "AB-CDE"] {
            assert_eq!(
                parsed(invalid, "PL"),
                Err(ValidationError::InvalidPostalCode),
                "{invalid}"
            );
        }
    }

    #[test]
    fn hong_kong_and_the_uae_have_none() {
        for country in ["HK", "AE", "hk"] {
            assert_eq!(parsed("", country), Ok(None));
            assert_eq!(parsed("   ", country), Ok(None));
            assert_eq!(
                parsed("999077", country),
                Err(ValidationError::InvalidPostalCode)
            );
        }
    }

    proptest! {
        #[test]
        fn any_five_digits_are_a_polish_code_either_way(digits in "[0-9]{5}") {
            let hyphenated = format!("{}-{}", &digits[..2], &digits[2..]);
            prop_assert_eq!(parsed(&digits, "PL"), Ok(Some(hyphenated.clone())));
            prop_assert_eq!(parsed(&hyphenated, "PL"), Ok(Some(hyphenated)));
        }
    }
}

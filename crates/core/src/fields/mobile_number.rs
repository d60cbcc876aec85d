use super::required;
use crate::{Market, ValidationError};

/// A mobile number of the market, as national digits (the country code is the market's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MobileNumber(String);

impl MobileNumber {
    /// Parses a number typed with or without spaces, hyphens or the country code.
    pub fn parse(raw: &str, market: Market) -> Result<Self, ValidationError> {
        let typed = required(raw)?;
        if !typed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'))
        {
            return Err(ValidationError::InvalidMobileNumber);
        }
        let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
        let national = match typed.trim_start().starts_with('+') {
            true => digits
                .strip_prefix(market.phone_country_code())
                .ok_or(ValidationError::InvalidMobileNumber)?,
            false => digits.as_str(),
        };
        let valid = match market {
            // Singapore mobiles are 8 digits starting with 8 or 9.
            Market::Singapore => national.len() == 8 && national.starts_with(['8', '9']),
        };
        if valid {
            Ok(Self(national.to_owned()))
        } else {
            Err(ValidationError::InvalidMobileNumber)
        }
    }

    /// The national digits.
    pub fn national(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SG: Market = Market::Singapore;

    #[test]
    fn accepts_singapore_mobiles_in_usual_spellings() {
        for n in ["91234567", "9123 4567", "+65 8123-4567", "+6591234567"] {
            assert!(MobileNumber::parse(n, SG).is_ok(), "{n}");
        }
        assert_eq!(
            MobileNumber::parse("+65 9123 4567", SG).unwrap().national(),
            "91234567"
        );
    }

    #[test]
    fn refuses_landlines_short_numbers_and_letters() {
        for n in [
            "61234567",
            "9123456",
            "912345678",
            "9123abcd",
            "+60 91234567",
        ] {
            assert_eq!(
                MobileNumber::parse(n, SG),
                Err(ValidationError::InvalidMobileNumber),
                "{n}"
            );
        }
    }

    proptest! {
        #[test]
        fn every_8_or_9_prefixed_8_digit_number_parses(first in "[89]", rest in "[0-9]{7}") {
            let number = format!("{first}{rest}");
            prop_assert_eq!(MobileNumber::parse(&number, SG).map(|n| n.national().to_owned()), Ok(number));
        }
    }
}

use super::required;
use crate::{Market, ValidationError};

/// A country's national plan of mobile numbers, as the market's row states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MobilePlan {
    /// What people dial before a national number at home ("0"; "8" in Russia), if anything.
    pub trunk_prefix: Option<&'static str>,
    /// How mobile numbers begin, without the trunk prefix.
    pub prefixes: &'static [&'static str],
    /// The fewest national digits, without the trunk prefix.
    pub min_digits: usize,
    /// The most national digits, without the trunk prefix.
    pub max_digits: usize,
    /// A valid number as written at home, for hints and messages.
    pub example: &'static str,
}

impl MobilePlan {
    /// Whether national digits (no trunk prefix) are a mobile number of the plan.
    fn is_mobile(&self, national: &str) -> bool {
        (self.min_digits..=self.max_digits).contains(&national.len())
            && self.prefixes.iter().any(|p| national.starts_with(p))
    }

    /// The national digits of a number typed with or without the trunk prefix.
    fn national<'a>(&self, digits: &'a str) -> Option<&'a str> {
        if self.is_mobile(digits) {
            return Some(digits);
        }
        // No plan's mobile prefixes begin with its trunk prefix, so stripping is unambiguous.
        let stripped = digits.strip_prefix(self.trunk_prefix?)?;
        self.is_mobile(stripped).then_some(stripped)
    }
}

/// A mobile number of the market, as national digits (the country code is the market's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MobileNumber(String);

impl MobileNumber {
    /// Parses a number typed with or without spaces, hyphens, the trunk prefix or the
    /// country code (which must follow a `+`, as digits alone could be a national number).
    pub fn parse(raw: &str, market: Market) -> Result<Self, ValidationError> {
        let typed = required(raw)?;
        if !typed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'))
        {
            return Err(ValidationError::InvalidMobileNumber);
        }
        let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
        let without_country = match typed.starts_with('+') {
            true => digits
                .strip_prefix(market.phone_country_code())
                .ok_or(ValidationError::InvalidMobileNumber)?,
            false => digits.as_str(),
        };
        market
            .mobile_plan()
            .national(without_country)
            .map(|national| Self(national.to_owned()))
            .ok_or(ValidationError::InvalidMobileNumber)
    }

    /// The national digits, without trunk prefix.
    pub fn national(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SG: Market = Market::Singapore;

    fn national(raw: &str, market: Market) -> Result<String, ValidationError> {
        MobileNumber::parse(raw, market).map(|n| n.national().to_owned())
    }

    #[test]
    fn accepts_singapore_mobiles_in_usual_spellings() {
        for n in ["91234567", "9123 4567", "+65 8123-4567", "+6591234567"] {
            assert!(MobileNumber::parse(n, SG).is_ok(), "{n}");
        }
        assert_eq!(national("+65 9123 4567", SG).unwrap(), "91234567");
    }

    #[test]
    fn refuses_landlines_short_numbers_and_letters() {
        for n in [
            "61234567",
            "9123456",
            "912345678",
            "9123abcd",
            "+60 91234567",
            // Singapore has no trunk prefix.
            "091234567",
        ] {
            assert_eq!(
                MobileNumber::parse(n, SG),
                Err(ValidationError::InvalidMobileNumber),
                "{n}"
            );
        }
    }

    #[test]
    fn every_market_accepts_its_numbers_with_or_without_trunk_prefix_and_country_code() {
        use Market::*;
        for (market, typed, expected) in [
            (Australia, "0412 345 678", "412345678"),
            (Australia, "412345678", "412345678"),
            (Australia, "+61 412 345 678", "412345678"),
            (Australia, "+61 (0)412 345 678", "412345678"),
            (HongKong, "5123 4567", "51234567"),
            (HongKong, "+852 7123 4567", "71234567"),
            (India, "98765 43210", "9876543210"),
            (India, "09876543210", "9876543210"),
            (India, "+91 62345 67890", "6234567890"),
            (Indonesia, "0812-3456-789", "8123456789"),
            (Indonesia, "+62 812 3456 7890", "81234567890"),
            (Indonesia, "0812 3456 78901", "812345678901"),
            (Malaysia, "012-345 6789", "123456789"),
            (Malaysia, "011-2345 6789", "1123456789"),
            (Malaysia, "+60 19 876 5432", "198765432"),
            (Philippines, "0917 123 4567", "9171234567"),
            (Philippines, "+63 917 123 4567", "9171234567"),
            (Poland, "512 345 678", "512345678"),
            (Poland, "+48 881 234 567", "881234567"),
            (Russia, "8 912 345-67-89", "9123456789"),
            (Russia, "+7 912 345-67-89", "9123456789"),
            (Russia, "9123456789", "9123456789"),
            (Singapore, "8123 4567", "81234567"),
            (Thailand, "081 234 5678", "812345678"),
            (Thailand, "+66 61 234 5678", "612345678"),
            (Thailand, "912345678", "912345678"),
            (UnitedArabEmirates, "050 123 4567", "501234567"),
            (UnitedArabEmirates, "+971 58 123 4567", "581234567"),
            (Vietnam, "091 234 56 78", "912345678"),
            (Vietnam, "+84 38 123 4567", "381234567"),
            (Vietnam, "0701234567", "701234567"),
        ] {
            assert_eq!(
                national(typed, market).as_deref(),
                Ok(expected),
                "{market:?} {typed}"
            );
        }
    }

    #[test]
    fn every_market_refuses_landlines_and_wrong_lengths() {
        use Market::*;
        for (market, typed) in [
            (Australia, "02 9123 4567"),
            (Australia, "0412 345 67"),
            (HongKong, "2123 4567"),
            (HongKong, "0 5123 4567"),
            (India, "5876543210"),
            (India, "987654321"),
            (Indonesia, "021 1234 5678"),
            (Indonesia, "0812 345 67"),
            (Indonesia, "0812 3456 789012"),
            (Malaysia, "03-2345 6789"),
            (Malaysia, "015-4600 1234"),
            (Philippines, "02 8123 4567"),
            (Philippines, "0917 123 456"),
            (Poland, "22 123 45 67"),
            (Poland, "0512 345 678"),
            (Russia, "8 495 123-45-67"),
            (Russia, "0 912 345-67-89"),
            (Thailand, "02 123 4567"),
            (Thailand, "081 234 56789"),
            (UnitedArabEmirates, "04 123 4567"),
            (UnitedArabEmirates, "051 123 4567"),
            (Vietnam, "024 3123 4567"),
            (Vietnam, "061 234 5678"),
            (Vietnam, "+66 91 234 5678"),
        ] {
            assert_eq!(
                national(typed, market),
                Err(ValidationError::InvalidMobileNumber),
                "{market:?} {typed}"
            );
        }
    }

    proptest! {
        #[test]
        fn every_8_or_9_prefixed_8_digit_number_parses(first in "[89]", rest in "[0-9]{7}") {
            let number = format!("{first}{rest}");
            prop_assert_eq!(national(&number, SG), Ok(number));
        }

        #[test]
        fn a_national_number_parses_the_same_in_every_spelling(
            market in prop::sample::select(Market::ALL.to_vec()),
            prefix_index in 0usize..16,
            length_offset in 0usize..4,
            rest in "[0-9]{13}",
        ) {
            let plan = market.mobile_plan();
            let prefix = plan.prefixes[prefix_index % plan.prefixes.len()];
            let length = plan.min_digits + length_offset % (plan.max_digits - plan.min_digits + 1);
            let number = format!("{prefix}{}", &rest[..length - prefix.len()]);
            prop_assert_eq!(national(&number, market), Ok(number.clone()));
            let cc = market.phone_country_code();
            prop_assert_eq!(national(&format!("+{cc} {number}"), market), Ok(number.clone()));
            if let Some(trunk) = plan.trunk_prefix {
                prop_assert_eq!(national(&format!("{trunk}{number}"), market), Ok(number.clone()));
            }
            prop_assert_eq!(national(&format!("{number}0"), market).ok(), (length < plan.max_digits).then(|| format!("{number}0")));
        }
    }
}

use super::required;
use crate::ValidationError;

/// A yearly income greater than zero, kept in cents so no float ever rounds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct AnnualIncome {
    cents: u64,
}

impl AnnualIncome {
    /// Above this the figure is a typing mistake, not an income.
    pub const MAX_WHOLE_UNITS: u64 = 1_000_000_000;

    /// Parses digits with optional thousands separators (`,` or spaces) and at most two decimals.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let text: String = required(raw)?
            .chars()
            .filter(|c| *c != ',' && !c.is_whitespace())
            .collect();
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(fraction)
            || (text.contains('.') && fraction.is_empty())
        {
            return Err(ValidationError::InvalidAmount);
        }
        if fraction.len() > 2 {
            return Err(ValidationError::TooManyDecimals);
        }
        let whole: u64 = whole.parse().map_err(|_| ValidationError::InvalidAmount)?;
        if whole > Self::MAX_WHOLE_UNITS {
            return Err(ValidationError::InvalidAmount);
        }
        let cents = whole * 100 + format!("{fraction:0<2}").parse::<u64>().unwrap_or(0);
        if cents == 0 {
            return Err(ValidationError::InvalidAmount);
        }
        Ok(Self { cents })
    }

    /// The income in cents.
    pub fn cents(self) -> u64 {
        self.cents
    }

    /// The income in currency units, as the bank's JSON number carries it.
    pub fn as_units(self) -> f64 {
        self.cents as f64 / 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_plain_and_grouped_amounts() {
        assert_eq!(AnnualIncome::parse("60000").unwrap().cents(), 6_000_000);
        assert_eq!(AnnualIncome::parse("60,000.5").unwrap().cents(), 6_000_050);
        assert_eq!(
            AnnualIncome::parse("1 250 000.25").unwrap().cents(),
            125_000_025
        );
    }

    #[test]
    fn refuses_zero_negatives_words_and_extra_decimals() {
        assert_eq!(
            AnnualIncome::parse("0"),
            Err(ValidationError::InvalidAmount)
        );
        assert_eq!(
            AnnualIncome::parse("-100"),
            Err(ValidationError::InvalidAmount)
        );
        assert_eq!(
            AnnualIncome::parse("lots"),
            Err(ValidationError::InvalidAmount)
        );
        assert_eq!(
            AnnualIncome::parse("100."),
            Err(ValidationError::InvalidAmount)
        );
        assert_eq!(
            AnnualIncome::parse("100.001"),
            Err(ValidationError::TooManyDecimals)
        );
        assert_eq!(AnnualIncome::parse(""), Err(ValidationError::Required));
    }

    proptest! {
        #[test]
        fn cents_round_trip(cents in 1u64..100_000_000_000) {
            let text = format!("{}.{:02}", cents / 100, cents % 100);
            prop_assert_eq!(AnnualIncome::parse(&text).map(AnnualIncome::cents), Ok(cents));
        }

        #[test]
        fn never_panics(raw in "\\PC{0,40}") {
            let _ = AnnualIncome::parse(&raw);
        }
    }
}

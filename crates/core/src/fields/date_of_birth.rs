use crate::{CalendarDate, Market, ValidationError};

/// A date of birth of someone old enough to apply in the market.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateOfBirth(CalendarDate);

impl DateOfBirth {
    /// Nobody older applies; an older date is a typing mistake.
    pub const MAX_AGE: i32 = 110;

    /// Parses an ISO date (`YYYY-MM-DD`) and checks the age on `today`.
    pub fn parse(raw: &str, market: Market, today: CalendarDate) -> Result<Self, ValidationError> {
        let date =
            CalendarDate::parse_iso(super::required(raw)?).ok_or(ValidationError::InvalidDate)?;
        if date > today {
            return Err(ValidationError::InvalidDate);
        }
        let age = date.years_until(today);
        if age > Self::MAX_AGE {
            Err(ValidationError::TooOld)
        } else if age < market.minimum_age() {
            Err(ValidationError::TooYoung)
        } else {
            Ok(Self(date))
        }
    }

    /// The date.
    pub fn date(self) -> CalendarDate {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> CalendarDate {
        CalendarDate::new(2026, 11, 22).unwrap()
    }

    #[test]
    fn applies_the_markets_minimum_age() {
        let sg = Market::Singapore;
        assert!(DateOfBirth::parse("2005-11-22", sg, today()).is_ok());
        assert_eq!(
            DateOfBirth::parse("2005-11-23", sg, today()),
            Err(ValidationError::TooYoung)
        );
        assert_eq!(
            DateOfBirth::parse("1900-01-01", sg, today()),
            Err(ValidationError::TooOld)
        );
        assert_eq!(
            DateOfBirth::parse("2030-01-01", sg, today()),
            Err(ValidationError::InvalidDate)
        );
        assert_eq!(
            DateOfBirth::parse("22/11/1990", sg, today()),
            Err(ValidationError::InvalidDate)
        );
        assert_eq!(
            DateOfBirth::parse("", sg, today()),
            Err(ValidationError::Required)
        );
    }

    #[test]
    fn each_market_has_its_own_minimum_age() {
        for (market, age) in [
            (Market::Australia, 18),
            (Market::Thailand, 20),
            (Market::Malaysia, 21),
        ] {
            let born = format!("{}-11-22", 2026 - age);
            let a_day_later = format!("{}-11-23", 2026 - age);
            assert!(
                DateOfBirth::parse(&born, market, today()).is_ok(),
                "{market:?}"
            );
            assert_eq!(
                DateOfBirth::parse(&a_day_later, market, today()),
                Err(ValidationError::TooYoung),
                "{market:?}"
            );
        }
    }
}

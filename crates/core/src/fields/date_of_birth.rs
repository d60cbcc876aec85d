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

/// The date typed as day, month and year (the way people write a date they know by heart,
/// in separate fields) as the ISO date [`DateOfBirth::parse`] reads: empty when nothing was
/// typed, so the date is reported missing; something [`DateOfBirth::parse`] refuses as not
/// a date when a part is missing or not a number of its size (a day or month of one or two
/// digits, a year of four: a two-digit year could be either century).
pub fn date_from_parts(day: &str, month: &str, year: &str) -> String {
    let (day, month, year) = (day.trim(), month.trim(), year.trim());
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return String::new();
    }
    let digits = |text: &str, sizes: std::ops::RangeInclusive<usize>| {
        sizes.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
    };
    if digits(day, 1..=2) && digits(month, 1..=2) && digits(year, 4..=4) {
        format!("{year}-{month:0>2}-{day:0>2}")
    } else {
        // Not an ISO date, whatever was typed: parsed as an invalid date.
        String::from("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_typed_in_parts_is_read_as_its_iso_date() {
        assert_eq!(date_from_parts("27", "3", "1990"), "1990-03-27");
        assert_eq!(date_from_parts(" 07 ", "12", "2001"), "2001-12-07");
        assert_eq!(date_from_parts("", "", ""), "");
        let sg = Market::Singapore;
        for (day, month, year) in [
            ("27", "", "1990"),
            ("27", "3", "90"),
            ("27", "13", "1990"),
            ("31", "2", "1990"),
            ("2a", "3", "1990"),
            ("027", "3", "1990"),
        ] {
            assert_eq!(
                DateOfBirth::parse(&date_from_parts(day, month, year), sg, today()),
                Err(ValidationError::InvalidDate),
                "{day}/{month}/{year}"
            );
        }
        assert_eq!(
            DateOfBirth::parse(&date_from_parts("", "", ""), sg, today()),
            Err(ValidationError::Required)
        );
        assert!(DateOfBirth::parse(&date_from_parts("1", "4", "1990"), sg, today()).is_ok());
    }

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

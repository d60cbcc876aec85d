//! connectFi's schema constraints (`common-id`, `common-commonStr50Req`, `common-amount`,
//! `common-currency`, `common-password`) as plain functions.

use std::fmt;

/// A request field that breaks one of connectFi's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationFailure {
    /// The field's JSON name (`customerId`, `user.login`, ...).
    pub field: &'static str,
    /// What the rule asks for, in words a developer can act on.
    pub rule: String,
}

impl ValidationFailure {
    fn new(field: &'static str, rule: impl Into<String>) -> Self {
        Self {
            field,
            rule: rule.into(),
        }
    }
}

impl fmt::Display for ValidationFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.rule)
    }
}

impl std::error::Error for ValidationFailure {}

/// `common-id`: `^[0-9a-zA-Z_]+$`, 1 to 36 characters.
pub(crate) fn id(field: &'static str, value: &str) -> Result<(), ValidationFailure> {
    let length = value.chars().count();
    let allowed = value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if (1..=36).contains(&length) && allowed {
        Ok(())
    } else {
        Err(ValidationFailure::new(
            field,
            format!("{field} must be 1 to 36 characters, each a letter A-Z or a-z, a digit or _"),
        ))
    }
}

/// `common-password`: 1 to 50 characters, anything else allowed.
pub(crate) fn password(field: &'static str, value: &str) -> Result<(), ValidationFailure> {
    if (1..=50).contains(&value.chars().count()) {
        Ok(())
    } else {
        Err(ValidationFailure::new(
            field,
            format!("{field} must be 1 to 50 characters"),
        ))
    }
}

/// `common-commonStr50Req`: 1 to 50 characters, pattern `^((?![<>]).)*$`, not only
/// whitespace.
pub(crate) fn text50(field: &'static str, value: &str) -> Result<(), ValidationFailure> {
    // JSON Schema lengths count code points, not UTF-8 bytes.
    if !(1..=50).contains(&value.chars().count()) {
        return Err(ValidationFailure::new(
            field,
            format!("{field} must be 1 to 50 characters"),
        ));
    }
    // The pattern is an ECMAScript regex without the `s` flag, whose `.` matches no line
    // terminator: a line break fails it just as `<` and `>` do.
    if value
        .chars()
        .any(|c| matches!(c, '<' | '>' | '\n' | '\r' | '\u{2028}' | '\u{2029}'))
    {
        return Err(ValidationFailure::new(
            field,
            format!("{field} must not contain < or > or a line break"),
        ));
    }
    if value.trim().is_empty() {
        return Err(ValidationFailure::new(
            field,
            format!("{field} must not be only whitespace"),
        ));
    }
    Ok(())
}

/// `common-amount`: a finite number above 0 (`exclusiveMinimum: 0`) with at most two decimal
/// places (`amountPrecision: 2`).
pub(crate) fn amount(field: &'static str, value: f64) -> Result<(), ValidationFailure> {
    if !value.is_finite() || value <= 0.0 {
        return Err(ValidationFailure::new(
            field,
            format!("{field} must be a number greater than 0"),
        ));
    }
    if decimal_places(value) > 2 {
        return Err(ValidationFailure::new(
            field,
            format!("{field} must have at most 2 decimal places"),
        ));
    }
    Ok(())
}

/// Decimal places of the shortest decimal that reads back as `value`.
///
/// That decimal is what serde_json writes on the wire and what a sender typed (50000.1,
/// 0.07), so counting its digits judges the number connectFi receives, with no tolerance to
/// tune: `(x * 100).round()` comparisons either pass 12.345 at large magnitudes or fail
/// 0.07 (7.000000000000001) unless their tolerance is just right. Rust's `Display` for
/// `f64` is that shortest round-trip decimal and never uses an exponent.
fn decimal_places(value: f64) -> usize {
    let text = value.to_string();
    text.split_once('.')
        .map_or(0, |(_, fraction)| fraction.len())
}

/// `common-currency`: exactly three letters A-Z (ISO 4217 alphabetic).
pub(crate) fn currency(field: &'static str, value: &str) -> Result<(), ValidationFailure> {
    if value.len() == 3 && value.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(ValidationFailure::new(
            field,
            format!("{field} must be three capital letters A-Z (an ISO 4217 code such as USD)"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_places_follow_the_shortest_decimal() {
        assert_eq!(decimal_places(50000.0), 0);
        assert_eq!(decimal_places(50000.1), 1);
        assert_eq!(decimal_places(0.07), 2);
        assert_eq!(decimal_places(12.34), 2);
        assert_eq!(decimal_places(12.345), 3);
        // Written 1.005, so three places, although 1.005 × 100 rounds to 100.
        assert_eq!(decimal_places(1.005), 3);
        assert_eq!(decimal_places(1e21), 0);
        assert_eq!(decimal_places(1e-7), 7);
        // A computed sum carries every digit the wire will show.
        assert_eq!(decimal_places(0.1 + 0.2), 17);
    }
}

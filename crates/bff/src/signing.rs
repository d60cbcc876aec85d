//! Results signed for the partner, so a partner page or server can trust what it is told
//! without asking us: the return URL's query and the webhook's body each carry an
//! HMAC-SHA256 made with the partner's signing secret.
//!
//! **Return URL.** The customer goes back to the partner's return URL with four query
//! parameters appended: `reference`, `outcome`, `ts` (Unix seconds when it was signed) and
//! `sig`, the lowercase hex HMAC-SHA256 of exactly this string:
//!
//! ```text
//! reference=<reference>&outcome=<outcome>&ts=<ts>
//! ```
//!
//! in this order, each value form-urlencoded as in the URL (references and outcomes are
//! letters, digits and `_`, so the values appear as they are). Any `reference`, `outcome`,
//! `ts` or `sig` already in the return URL is dropped first, so the partner reads these
//! only from us. Worked example, which [`tests`] checks:
//!
//! ```text
//! secret     example-signing-secret-0123456789abcdef
//! return URL https://www.partner.example/cards/done?order=42
//! reference  APP0001234, outcome approved, ts 1767225600 (2026-01-01T00:00:00Z)
//! signed     reference=APP0001234&outcome=approved&ts=1767225600
//! sig        19f2f914eb38bb08193e8a97ecf874e47e05335094a4bc9442edd06837841f78
//! URL        https://www.partner.example/cards/done?order=42&reference=APP0001234&outcome=approved&ts=1767225600&sig=19f2f914eb38bb08193e8a97ecf874e47e05335094a4bc9442edd06837841f78
//! ```
//!
//! A partner checks the signature in constant time and refuses an old `ts` (the URL can be
//! bookmarked or shared): [`verify`] does both.
//!
//! **Webhook.** Each delivery carries `Webhook-Signature: t=<unix seconds>,v1=<hex>`, the
//! HMAC-SHA256 of `<t>.<body>` (the timestamp, a dot, the body's exact bytes). With the same
//! secret, `t` 1767225600 and the body
//! `{"type":"application.decided","reference":"APP0001234","outcome":"approved","credit_limit":{"amount":5000,"currency":"SGD"},"decided_at":"2026-01-01T00:00:00Z"}`
//! the header is
//! `t=1767225600,v1=343c650ae96188383198ee9ffd4b00f5b16086fbca52e4307ec745bd5ec740bf`.
//! [`verify_webhook`] checks one.

use crate::config::Secret;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use std::time::Duration;
use url::Url;

type HmacSha256 = Hmac<Sha256>;

/// The query parameters a signed return URL carries, in the order they are signed.
pub const RESULT_PARAMETERS: [&str; 4] = ["reference", "outcome", "ts", "sig"];

/// How far ahead of our clock a partner's clock may be before a fresh `ts` looks forged.
const CLOCK_SKEW_SECS: i64 = 300;

/// The string a return URL's `sig` covers: `reference=..&outcome=..&ts=..`.
pub fn canonical(reference: &str, outcome: &str, issued_at: i64) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("reference", reference)
        .append_pair("outcome", outcome)
        .append_pair("ts", &issued_at.to_string())
        .finish()
}

/// The return URL with the signed result appended (see the module's documentation).
pub fn signed_return_url(
    secret: &Secret,
    return_url: &Url,
    reference: &str,
    outcome: &str,
    issued_at: i64,
) -> String {
    let mut url = return_url.clone();
    let kept: Vec<(String, String)> = return_url
        .query_pairs()
        .filter(|(name, _)| !RESULT_PARAMETERS.contains(&name.as_ref()))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let signed = canonical(reference, outcome, issued_at);
    let sig = hmac_hex(secret, signed.as_bytes());
    url.set_query(None);
    let mut query = url.query_pairs_mut();
    for (name, value) in &kept {
        query.append_pair(name, value);
    }
    query
        .append_pair("reference", reference)
        .append_pair("outcome", outcome)
        .append_pair("ts", &issued_at.to_string())
        .append_pair("sig", &sig);
    drop(query);
    url.into()
}

/// The result a signed return URL carries, once its signature is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedResult {
    pub reference: String,
    pub outcome: String,
    pub issued_at: i64,
}

/// Why a signed result was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// A parameter is missing or appears more than once.
    Malformed(&'static str),
    /// The signature does not match: forged, altered, or made with another secret.
    Mismatch,
    /// Signed longer ago than the partner accepts, or too far in the future.
    Stale,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(what) => write!(f, "no single valid {what}"),
            Self::Mismatch => f.write_str("the signature does not match"),
            Self::Stale => f.write_str("signed too long ago (or in the future)"),
        }
    }
}

impl std::error::Error for SignatureError {}

/// Checks a signed return URL as a partner would: every parameter once, the signature in
/// constant time, and `ts` no older than `max_age` at `now` (Unix seconds).
pub fn verify(
    secret: &Secret,
    url: &str,
    now: i64,
    max_age: Duration,
) -> Result<SignedResult, SignatureError> {
    let url = Url::parse(url).map_err(|_| SignatureError::Malformed("URL"))?;
    let single = |name: &'static str| {
        let mut values = url.query_pairs().filter(|(n, _)| n == name).map(|(_, v)| v);
        match (values.next(), values.next()) {
            (Some(value), None) => Ok(value.into_owned()),
            _ => Err(SignatureError::Malformed(name)),
        }
    };
    let reference = single("reference")?;
    let outcome = single("outcome")?;
    let issued_at: i64 = single("ts")?
        .parse()
        .map_err(|_| SignatureError::Malformed("ts"))?;
    let sig = from_hex(&single("sig")?).ok_or(SignatureError::Malformed("sig"))?;
    mac(
        secret,
        canonical(&reference, &outcome, issued_at).as_bytes(),
    )
    .verify_slice(&sig)
    .map_err(|_| SignatureError::Mismatch)?;
    check_age(issued_at, now, max_age)?;
    Ok(SignedResult {
        reference,
        outcome,
        issued_at,
    })
}

/// The `Webhook-Signature` header of a delivery of `body` at `t` (Unix seconds).
pub fn webhook_signature(secret: &Secret, t: i64, body: &[u8]) -> String {
    format!("t={t},v1={}", hmac_hex(secret, &webhook_message(t, body)))
}

/// Checks a `Webhook-Signature` header against the body received, as a partner would, with
/// `tolerance` for the age of `t`; answers `t`.
pub fn verify_webhook(
    secret: &Secret,
    header: &str,
    body: &[u8],
    now: i64,
    tolerance: Duration,
) -> Result<i64, SignatureError> {
    let mut t = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) if t.is_none() => {
                t = Some(value.parse().map_err(|_| SignatureError::Malformed("t"))?);
            }
            // Later schemes may be added beside v1; only v1 is checked.
            Some(("v1", value)) => signatures.push(value),
            Some((_, _)) => {}
            None => return Err(SignatureError::Malformed("Webhook-Signature")),
        }
    }
    let t = t.ok_or(SignatureError::Malformed("t"))?;
    let message = webhook_message(t, body);
    let matches = signatures.iter().any(|sig| {
        from_hex(sig).is_some_and(|sig| mac(secret, &message).verify_slice(&sig).is_ok())
    });
    if !matches {
        return Err(SignatureError::Mismatch);
    }
    check_age(t, now, tolerance)?;
    Ok(t)
}

fn webhook_message(t: i64, body: &[u8]) -> Vec<u8> {
    let mut message = format!("{t}.").into_bytes();
    message.extend_from_slice(body);
    message
}

fn check_age(issued_at: i64, now: i64, max_age: Duration) -> Result<(), SignatureError> {
    let max_age = i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX);
    let age = now.saturating_sub(issued_at);
    if age > max_age || age < -CLOCK_SKEW_SECS {
        return Err(SignatureError::Stale);
    }
    Ok(())
}

fn mac(secret: &Secret, message: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret.expose().as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(message);
    mac
}

/// HMAC-SHA256 of `message` under `secret`, in lowercase hex.
pub fn hmac_hex(secret: &Secret, message: &[u8]) -> String {
    mac(secret, message)
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "example-signing-secret-0123456789abcdef";
    const SIG: &str = "19f2f914eb38bb08193e8a97ecf874e47e05335094a4bc9442edd06837841f78";
    const TS: i64 = 1_767_225_600;
    const DAY: Duration = Duration::from_secs(86_400);

    fn secret() -> Secret {
        Secret::new(SECRET)
    }

    fn example() -> String {
        let return_url = Url::parse("https://www.partner.example/cards/done?order=42").unwrap();
        signed_return_url(&secret(), &return_url, "APP0001234", "approved", TS)
    }

    #[test]
    fn the_worked_example_of_the_documentation_holds() {
        assert_eq!(
            canonical("APP0001234", "approved", TS),
            "reference=APP0001234&outcome=approved&ts=1767225600"
        );
        assert_eq!(
            hmac_hex(
                &secret(),
                canonical("APP0001234", "approved", TS).as_bytes()
            ),
            SIG
        );
        assert_eq!(
            example(),
            format!("https://www.partner.example/cards/done?order=42&reference=APP0001234&outcome=approved&ts=1767225600&sig={SIG}")
        );
        let result = verify(&secret(), &example(), TS + 60, DAY).unwrap();
        assert_eq!(
            result,
            SignedResult {
                reference: "APP0001234".into(),
                outcome: "approved".into(),
                issued_at: TS
            }
        );
    }

    #[test]
    fn an_altered_forged_or_old_result_is_refused() {
        let url = example();
        let now = TS + 60;
        let refused = |url: &str| verify(&secret(), url, now, DAY).unwrap_err();
        assert_eq!(
            refused(&url.replace("approved", "declined")),
            SignatureError::Mismatch
        );
        assert_eq!(
            refused(&url.replace("APP0001234", "APP0001235")),
            SignatureError::Mismatch
        );
        assert_eq!(
            refused(&url.replace("ts=1767225600", "ts=1767225601")),
            SignatureError::Mismatch
        );
        let other = Secret::new("another-partners-secret-0123456789abcdef");
        assert_eq!(
            verify(&other, &url, now, DAY).unwrap_err(),
            SignatureError::Mismatch
        );
        assert_eq!(
            verify(&secret(), &url, TS + 86_401, DAY).unwrap_err(),
            SignatureError::Stale
        );
        assert_eq!(
            verify(&secret(), &url, TS - 3_600, DAY).unwrap_err(),
            SignatureError::Stale
        );
        assert_eq!(
            refused(&format!("{url}&outcome=approved")),
            SignatureError::Malformed("outcome")
        );
        assert_eq!(
            refused(&url.replace(&format!("&sig={SIG}"), "")),
            SignatureError::Malformed("sig")
        );
        assert_eq!(
            refused(&url.replace(SIG, "zz")),
            SignatureError::Malformed("sig")
        );
    }

    #[test]
    fn the_return_urls_own_result_parameters_are_replaced() {
        let return_url = Url::parse(
            "https://www.partner.example/cards/done?outcome=approved&sig=forged&lang=en",
        )
        .unwrap();
        let signed = signed_return_url(&secret(), &return_url, "APP1", "declined", TS);
        assert!(
            signed.starts_with(
                "https://www.partner.example/cards/done?lang=en&reference=APP1&outcome=declined&ts="
            ),
            "{signed}"
        );
        assert_eq!(
            verify(&secret(), &signed, TS, DAY).unwrap().outcome,
            "declined"
        );
    }

    #[test]
    fn the_webhook_worked_example_holds_and_an_altered_body_is_refused() {
        let body = br#"{"type":"application.decided","reference":"APP0001234","outcome":"approved","credit_limit":{"amount":5000,"currency":"SGD"},"decided_at":"2026-01-01T00:00:00Z"}"#;
        let header = webhook_signature(&secret(), TS, body);
        assert_eq!(
            header,
            "t=1767225600,v1=343c650ae96188383198ee9ffd4b00f5b16086fbca52e4307ec745bd5ec740bf"
        );
        let tolerance = Duration::from_secs(300);
        assert_eq!(
            verify_webhook(&secret(), &header, body, TS + 10, tolerance),
            Ok(TS)
        );
        let altered = String::from_utf8_lossy(body).replace("5000", "50000");
        assert_eq!(
            verify_webhook(&secret(), &header, altered.as_bytes(), TS, tolerance),
            Err(SignatureError::Mismatch)
        );
        // The timestamp is signed too: replaying the body with a fresh t does not verify.
        let replayed = header.replace("t=1767225600", "t=1767229200");
        assert_eq!(
            verify_webhook(&secret(), &replayed, body, TS + 3_600, tolerance),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_webhook(&secret(), &header, body, TS + 3_600, tolerance),
            Err(SignatureError::Stale)
        );
    }
}

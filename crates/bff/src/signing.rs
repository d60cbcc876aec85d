//! Results signed for the partner, so a partner page or server can trust what it is told
//! without asking us: the return URL's query and the webhook's deliveries each carry an
//! HMAC-SHA256 made with the partner's signing secret.
//!
//! **The key.** A secret written `whsec_<base64>` (the Standard Webhooks form) is the key
//! its base64 part decodes to; any other secret is the key of its own bytes, which a
//! partner hands to a Standard Webhooks library as `whsec_` + base64 of those bytes
//! ([`whsec`]). Both signatures below use that one key.
//!
//! **Return URL.** The customer goes back to the partner's return URL with four query
//! parameters appended: `reference`, `outcome`, `ts` (Unix seconds when it was signed) and
//! `sig`, the lowercase hex HMAC-SHA256 of the whole query but `sig`, the partner's own
//! parameters included: every `name=value` pair, decoded, sorted by name then value
//! (byte order), form-urlencoded again and joined with `&` ([`canonical`]). Any
//! `reference`, `outcome`, `ts` or `sig` already in the return URL is dropped first, so the
//! partner reads these only from us. A session started from a placement with a `state`
//! (see `placements.rs`) gets `state` too, after `outcome`, in place of any `state` of the
//! return URL, and signed like the rest. Worked example, which [`tests`] checks:
//!
//! ```text
//! secret     example-signing-secret-0123456789abcdef
//! return URL https://www.partner.example/cards/done?order=42
//! reference  APP0001234, outcome approved, ts 1767225600 (2026-01-01T00:00:00Z)
//! signed     order=42&outcome=approved&reference=APP0001234&ts=1767225600
//! sig        f1c1eb831de94bc9ce133da35d6c0a1ebeaf7a69d4f221daebb143a21c4e800c
//! URL        https://www.partner.example/cards/done?order=42&reference=APP0001234&outcome=approved&ts=1767225600&sig=f1c1eb831de94bc9ce133da35d6c0a1ebeaf7a69d4f221daebb143a21c4e800c
//! ```
//!
//! A partner checks the signature in constant time and refuses an old `ts` (the URL can be
//! bookmarked or shared): [`verify`] does both, and answers the partner's own parameters
//! once they are known to be ours and theirs.
//!
//! **Webhook.** Each delivery follows Standard Webhooks (<https://www.standardwebhooks.com>):
//! `webhook-id` (`msg_…`, the same on every attempt), `webhook-timestamp` (Unix seconds of
//! this attempt) and `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.
//! With the same secret (`whsec_ZXhhbXBsZS1zaWduaW5nLXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVm`), id
//! `msg_2f1c9a7e5b3d4c6e8a0b1c2d3e4f5a6b`, timestamp 1767225600 and the body
//! `{"type":"application.decided","reference":"APP0001234","outcome":"approved","credit_limit":{"amount":5000,"currency":"SGD"},"decided_at":"2026-01-01T00:00:00Z","sequence":1}`
//! the signature is `v1,5i9Cu5MrCP6LUMLLFT0/fqNvm0EwJvZ+BCjrcsLIsJA=`. [`verify_webhook`]
//! checks one, as the specification's libraries do.

use crate::config::Secret;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use onboarding_core::Outcome;
use sha2::Sha256;
use std::fmt;
use std::time::Duration;
use url::Url;

type HmacSha256 = Hmac<Sha256>;

/// The query parameters the BFF sets on a return URL, in the order they are appended.
pub const RESULT_PARAMETERS: [&str; 4] = ["reference", "outcome", "ts", "sig"];

/// The query parameter of a placement's state, appended (after `outcome`) when the session
/// started from a placement with one.
pub const STATE: &str = "state";

/// How a secret written as the Standard Webhooks specification does begins.
pub const WHSEC_PREFIX: &str = "whsec_";

/// How far ahead of our clock a partner's clock may be before a fresh `ts` looks forged.
const CLOCK_SKEW_SECS: i64 = 300;

/// The string a return URL's `sig` covers: every other parameter of its query, sorted by
/// name then value (bytes, once decoded), form-urlencoded again.
pub fn canonical(query: &[(String, String)]) -> String {
    // Decoded then encoded again, so `%20` and `+` sign alike; sorted, so a framework that
    // reorders the query still verifies it.
    let mut pairs: Vec<&(String, String)> =
        query.iter().filter(|(name, _)| name != "sig").collect();
    pairs.sort();
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        serializer.append_pair(name, value);
    }
    serializer.finish()
}

/// The return URL with the signed result appended (see the module's documentation), and
/// the `state` of the placement the session started from, if it had one.
pub fn signed_return_url(
    secret: &Secret,
    return_url: &Url,
    reference: &str,
    outcome: Outcome,
    state: Option<&str>,
    issued_at: i64,
) -> String {
    let mut url = return_url.clone();
    // A placement's state replaces any `state` of the return URL, as the result's own
    // parameters do: the partner reads it only from us.
    let ours = |name: &str| RESULT_PARAMETERS.contains(&name) || (state.is_some() && name == STATE);
    let mut pairs: Vec<(String, String)> = return_url
        .query_pairs()
        .filter(|(name, _)| !ours(name))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    pairs.extend([
        ("reference".to_owned(), reference.to_owned()),
        ("outcome".to_owned(), outcome.as_str().to_owned()),
    ]);
    pairs.extend(state.map(|state| (STATE.to_owned(), state.to_owned())));
    pairs.push(("ts".to_owned(), issued_at.to_string()));
    let sig = hmac_hex(secret, canonical(&pairs).as_bytes());
    url.set_query(None);
    let mut query = url.query_pairs_mut();
    for (name, value) in &pairs {
        query.append_pair(name, value);
    }
    query.append_pair("sig", &sig);
    drop(query);
    url.into()
}

/// The result a signed return URL carries, once its signature is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedResult {
    pub reference: String,
    pub outcome: Outcome,
    pub issued_at: i64,
    /// The return URL's own parameters (the partner's, in their order), which `sig` covers
    /// too.
    pub query: Vec<(String, String)>,
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
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let single = |name: &'static str| {
        let mut values = pairs.iter().filter(|(n, _)| n == name).map(|(_, v)| v);
        match (values.next(), values.next()) {
            (Some(value), None) => Ok(value.clone()),
            _ => Err(SignatureError::Malformed(name)),
        }
    };
    let reference = single("reference")?;
    let outcome = single("outcome")?;
    let issued_at: i64 = single("ts")?
        .parse()
        .map_err(|_| SignatureError::Malformed("ts"))?;
    let sig = from_hex(&single("sig")?).ok_or(SignatureError::Malformed("sig"))?;
    mac(secret, canonical(&pairs).as_bytes())
        .verify_slice(&sig)
        .map_err(|_| SignatureError::Mismatch)?;
    check_age(issued_at, now, max_age)?;
    // Read once the signature holds, so a forged word is a mismatch like any other forgery.
    let outcome = outcome
        .parse()
        .map_err(|_| SignatureError::Malformed("outcome"))?;
    let query = pairs
        .into_iter()
        .filter(|(name, _)| !RESULT_PARAMETERS.contains(&name.as_str()))
        .collect();
    Ok(SignedResult {
        reference,
        outcome,
        issued_at,
        query,
    })
}

/// The `webhook-signature` header of message `id` sent at `timestamp` (Unix seconds):
/// `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` (Standard Webhooks).
pub fn webhook_signature(secret: &Secret, id: &str, timestamp: i64, body: &[u8]) -> String {
    let tag = mac(secret, &webhook_message(id, timestamp, body))
        .finalize()
        .into_bytes();
    format!("v1,{}", BASE64.encode(tag))
}

/// A delivery's Standard Webhooks headers, as received.
#[derive(Debug, Clone, Copy)]
pub struct WebhookHeaders<'a> {
    /// `webhook-id`.
    pub id: &'a str,
    /// `webhook-timestamp`.
    pub timestamp: &'a str,
    /// `webhook-signature`.
    pub signature: &'a str,
}

/// Checks a delivery's headers against the body received, as a partner would, with
/// `tolerance` for the age of its timestamp; answers the timestamp.
pub fn verify_webhook(
    secret: &Secret,
    headers: &WebhookHeaders<'_>,
    body: &[u8],
    now: i64,
    tolerance: Duration,
) -> Result<i64, SignatureError> {
    let timestamp: i64 = headers
        .timestamp
        .parse()
        .map_err(|_| SignatureError::Malformed("webhook-timestamp"))?;
    let message = webhook_message(headers.id, timestamp, body);
    // Space-separated `version,signature` pairs: several while a secret is rotated, and
    // later versions beside v1, which are not checked.
    let matches = headers
        .signature
        .split(' ')
        .filter_map(|part| part.split_once(','))
        .filter(|(version, _)| *version == "v1")
        .any(|(_, sig)| {
            BASE64
                .decode(sig)
                .is_ok_and(|sig| mac(secret, &message).verify_slice(&sig).is_ok())
        });
    if !matches {
        return Err(SignatureError::Mismatch);
    }
    check_age(timestamp, now, tolerance)?;
    Ok(timestamp)
}

/// The HMAC key of a partner's signing secret: the base64-decoded part of a `whsec_` one,
/// otherwise the secret's own bytes; `None` for a `whsec_` one that is not base64.
pub fn signing_key(secret: &Secret) -> Option<Vec<u8>> {
    match secret.expose().strip_prefix(WHSEC_PREFIX) {
        Some(encoded) => BASE64.decode(encoded).ok(),
        None => Some(secret.expose().as_bytes().to_vec()),
    }
}

/// The partner's secret as the Standard Webhooks libraries take it: `whsec_` and its key in
/// base64 (the secret itself when it is written so already).
pub fn whsec(secret: &Secret) -> Option<String> {
    signing_key(secret).map(|key| format!("{WHSEC_PREFIX}{}", BASE64.encode(key)))
}

fn webhook_message(id: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
    let mut message = format!("{id}.{timestamp}.").into_bytes();
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
    // The partners file refuses a `whsec_` secret that is not base64, so the fallback is
    // never taken; were it, the partner's checks would fail rather than pass.
    let key = signing_key(secret).unwrap_or_else(|| secret.expose().as_bytes().to_vec());
    let mut mac = HmacSha256::new_from_slice(&key).expect("HMAC takes a key of any length");
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
    const SIG: &str = "f1c1eb831de94bc9ce133da35d6c0a1ebeaf7a69d4f221daebb143a21c4e800c";
    const TS: i64 = 1_767_225_600;
    const DAY: Duration = Duration::from_secs(86_400);

    fn secret() -> Secret {
        Secret::new(SECRET)
    }

    fn example() -> String {
        let return_url = Url::parse("https://www.partner.example/cards/done?order=42").unwrap();
        signed_return_url(
            &secret(),
            &return_url,
            "APP0001234",
            Outcome::Approved,
            None,
            TS,
        )
    }

    #[test]
    fn the_worked_example_of_the_documentation_holds() {
        let query: Vec<(String, String)> = Url::parse(&example())
            .unwrap()
            .query_pairs()
            .into_owned()
            .collect();
        let signed = "order=42&outcome=approved&reference=APP0001234&ts=1767225600";
        assert_eq!(canonical(&query), signed);
        assert_eq!(hmac_hex(&secret(), signed.as_bytes()), SIG);
        assert_eq!(
            example(),
            format!("https://www.partner.example/cards/done?order=42&reference=APP0001234&outcome=approved&ts=1767225600&sig={SIG}")
        );
        let result = verify(&secret(), &example(), TS + 60, DAY).unwrap();
        assert_eq!(
            result,
            SignedResult {
                reference: "APP0001234".into(),
                outcome: Outcome::Approved,
                issued_at: TS,
                query: vec![("order".into(), "42".into())],
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
        // The partner's own parameters are signed too: altered, dropped or added to.
        assert_eq!(
            refused(&url.replace("order=42", "order=43")),
            SignatureError::Mismatch
        );
        assert_eq!(
            refused(&url.replace("order=42&", "")),
            SignatureError::Mismatch
        );
        assert_eq!(
            refused(&format!("{url}&state=elsewhere")),
            SignatureError::Mismatch
        );
        // Reordered or encoded differently, the same parameters still verify.
        let reordered = url.replace(
            "?order=42&reference=APP0001234&",
            "?reference=APP0001234&order=%34%32&",
        );
        assert_eq!(
            verify(&secret(), &reordered, now, DAY).unwrap().issued_at,
            TS
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
        let signed = signed_return_url(&secret(), &return_url, "APP1", Outcome::Declined, None, TS);
        assert!(
            signed.starts_with(
                "https://www.partner.example/cards/done?lang=en&reference=APP1&outcome=declined&ts="
            ),
            "{signed}"
        );
        let result = verify(&secret(), &signed, TS, DAY).unwrap();
        assert_eq!(result.outcome, "declined");
        assert_eq!(result.query, [("lang".to_owned(), "en".to_owned())]);
    }

    #[test]
    fn a_placements_state_is_signed_in_and_replaces_the_return_urls_own() {
        let return_url =
            Url::parse("https://www.partner.example/cards/done?order=42&state=stale").unwrap();
        let placed = "cart 7/ü&x=1";
        let signed = signed_return_url(
            &secret(),
            &return_url,
            "APP1",
            Outcome::Approved,
            Some(placed),
            TS,
        );
        assert!(
            signed.starts_with("https://www.partner.example/cards/done?order=42&reference=APP1&outcome=approved&state=cart+7%2F%C3%BC%26x%3D1&ts="),
            "{signed}"
        );
        let result = verify(&secret(), &signed, TS, DAY).unwrap();
        assert_eq!(
            result.query,
            [
                ("order".to_owned(), "42".to_owned()),
                ("state".to_owned(), placed.to_owned())
            ]
        );
        let altered = signed.replace("state=cart", "state=kart");
        assert_eq!(
            verify(&secret(), &altered, TS, DAY).unwrap_err(),
            SignatureError::Mismatch
        );
        // Without a placement's state, the return URL's own `state` is the partner's.
        let plain = signed_return_url(&secret(), &return_url, "APP1", Outcome::Approved, None, TS);
        assert!(
            plain.contains("?order=42&state=stale&reference=APP1"),
            "{plain}"
        );
    }

    #[test]
    fn the_webhook_worked_example_holds_and_an_altered_delivery_is_refused() {
        let body = br#"{"type":"application.decided","reference":"APP0001234","outcome":"approved","credit_limit":{"amount":5000,"currency":"SGD"},"decided_at":"2026-01-01T00:00:00Z","sequence":1}"#;
        let id = "msg_2f1c9a7e5b3d4c6e8a0b1c2d3e4f5a6b";
        let signature = webhook_signature(&secret(), id, TS, body);
        assert_eq!(signature, "v1,5i9Cu5MrCP6LUMLLFT0/fqNvm0EwJvZ+BCjrcsLIsJA=");
        let headers = WebhookHeaders {
            id,
            timestamp: "1767225600",
            signature: &signature,
        };
        let tolerance = Duration::from_secs(300);
        let check = |headers: &WebhookHeaders<'_>, body: &[u8], now: i64| {
            verify_webhook(&secret(), headers, body, now, tolerance)
        };
        assert_eq!(check(&headers, body, TS + 10), Ok(TS));
        let altered = String::from_utf8_lossy(body).replace("5000", "50000");
        assert_eq!(
            check(&headers, altered.as_bytes(), TS),
            Err(SignatureError::Mismatch)
        );
        // The id and the timestamp are signed too: neither can be replaced on a replay.
        let other_id = WebhookHeaders {
            id: "msg_other",
            ..headers
        };
        assert_eq!(check(&other_id, body, TS), Err(SignatureError::Mismatch));
        let fresh = WebhookHeaders {
            timestamp: "1767229200",
            ..headers
        };
        assert_eq!(
            check(&fresh, body, TS + 3_600),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            check(&headers, body, TS + 3_600),
            Err(SignatureError::Stale)
        );
        // Several signatures, as while a secret is rotated: one valid v1 is enough.
        let rotated = format!("v1,c29tZXRoaW5nIGVsc2U= v2,x {signature}");
        let rotated = WebhookHeaders {
            signature: &rotated,
            ..headers
        };
        assert_eq!(check(&rotated, body, TS), Ok(TS));
    }

    #[test]
    fn a_whsec_secret_is_its_decoded_key_and_a_raw_one_its_bytes() {
        let whsec_form = whsec(&secret()).unwrap();
        assert_eq!(
            whsec_form,
            "whsec_ZXhhbXBsZS1zaWduaW5nLXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVm"
        );
        // Configured either way, a partner's secret signs alike.
        let written_so = Secret::new(whsec_form.clone());
        assert_eq!(signing_key(&written_so), signing_key(&secret()));
        assert_eq!(whsec(&written_so).unwrap(), whsec_form);
        assert_eq!(
            webhook_signature(&written_so, "msg_1", TS, b"{}"),
            webhook_signature(&secret(), "msg_1", TS, b"{}")
        );
        assert_eq!(signing_key(&Secret::new("whsec_not base64!")), None);
    }
}

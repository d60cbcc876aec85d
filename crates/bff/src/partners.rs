//! The partners file: who may embed the widget, from where, and where customers go back to.

use crate::config::Secret;
use crate::theme::{Theme, ThemeSettings};
use onboarding_core::api::JourneyKind;
pub use onboarding_core::plan::Provider;
use onboarding_core::{JourneyPlan, Language, Market};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use url::Url;

/// One partner, as its placement is configured.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// The id in `/apply?partner=`.
    pub id: String,
    /// The name the customer knows the partner by ("Back to <name>").
    pub display_name: String,
    /// Origins allowed to frame the widget, e.g. `https://www.partner.example`.
    pub allowed_origins: Vec<String>,
    /// Return URLs (or path prefixes of them) customers may be sent back to.
    pub allowed_return_urls: Vec<String>,
    /// Markets the placement offers the card in (ISO codes).
    pub markets: Vec<Market>,
    /// The card product applied for through this placement.
    pub product: CardProduct,
    /// The journey the placement offers: the in-principle approval unless set.
    #[serde(default)]
    pub journey: JourneyKind,
    /// The one language the placement is shown in; otherwise the link's or the browser's,
    /// among the market's.
    #[serde(default)]
    pub language: Option<Language>,
    /// Who decides on the application: the bank's onboarding API unless set.
    #[serde(default)]
    pub provider: Provider,
    /// The environment variable holding the partner's signing secret (never the secret
    /// itself): the key of the signed return URL and of webhook signatures.
    #[serde(default)]
    pub signing_secret_env: Option<String>,
    /// Where the partner is told of decisions server to server (`application.decided`).
    #[serde(default)]
    pub webhook_url: Option<String>,
    /// The SHA-256 (hex) of the API key the partner's server creates placements with (see
    /// `placements.rs`); never the key itself, which only the partner holds.
    #[serde(default)]
    api_key_sha256: Option<String>,
    /// Whether the placement opens only with a placement token, as a connectFi placement
    /// always does: a link its partner's server did not create is refused.
    #[serde(default)]
    pub require_placement_token: bool,
    /// The partner's branding; the widget's own look where unset.
    #[serde(default)]
    theme: Option<ThemeSettings>,
}

/// The bank's identifiers of the card a placement offers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardProduct {
    pub product_code: String,
    pub source_code: String,
    pub organization: String,
    pub logo: String,
}

/// The shortest signing secret accepted: 256 bits, HMAC-SHA256's own strength.
pub const MIN_SIGNING_SECRET_BYTES: usize = 32;

/// The signing secret of every partner whose variable is unset, only while the bank sandbox
/// runs inside the BFF (`cargo xtask demo`, the end-to-end tests). Published here and in the
/// README, so it protects nothing: a BFF talking to a real bank refuses to start without
/// each partner's own secret.
pub const DEMO_SIGNING_SECRET: &str = "demo-only-signing-secret-published-in-the-readme";

/// The API key of every partner without one of its own, only while the bank sandbox runs
/// inside the BFF, as [`DEMO_SIGNING_SECRET`] is its signing secret: published, so it
/// protects nothing, and a BFF talking to a real bank never takes it.
pub const DEMO_API_KEY: &str = "demo-only-api-key-published-in-the-readme";

/// All partners, by id, and the names of the cards they and the bank's offers name.
#[derive(Debug, Default)]
pub struct Partners {
    partners: HashMap<String, Partner>,
    cards: HashMap<String, String>,
    signing_secrets: HashMap<String, Secret>,
    themes: HashMap<String, Theme>,
    /// The SHA-256 of each partner's API key.
    api_keys: HashMap<String, [u8; 32]>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartnersFile {
    partner: Vec<Partner>,
    /// Customer-facing names of the bank's product codes, e.g. `VC830 = "Rewards Card"`.
    #[serde(default)]
    cards: HashMap<String, String>,
}

/// Why a return URL was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum ReturnUrlError {
    NotAUrl,
    NotAllowed,
}

impl Partners {
    /// Reads and checks a partners file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read partners file {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("partners file {}: {e}", path.display()))
    }

    /// Parses partners from TOML, refusing a partner whose return URLs are not on its origins.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: PartnersFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut partners = HashMap::new();
        let mut themes = HashMap::new();
        let mut api_keys = HashMap::new();
        for partner in file.partner {
            for origin in &partner.allowed_origins {
                let parsed = Url::parse(origin)
                    .map_err(|e| format!("partner {}: origin {origin:?}: {e}", partner.id))?;
                if parsed.origin().ascii_serialization() != *origin {
                    return Err(format!(
                        "partner {}: {origin:?} is not a bare origin (scheme://host[:port])",
                        partner.id
                    ));
                }
            }
            for url in &partner.allowed_return_urls {
                let origin = Url::parse(url)
                    .map_err(|e| format!("partner {}: return URL {url:?}: {e}", partner.id))?
                    .origin()
                    .ascii_serialization();
                if !partner.allowed_origins.contains(&origin) {
                    return Err(format!(
                        "partner {}: return URL {url:?} is not on one of its allowed origins",
                        partner.id
                    ));
                }
            }
            if let Some(name) = &partner.signing_secret_env {
                let is_name = !name.is_empty()
                    && !name.starts_with(|c: char| c.is_ascii_digit())
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
                if !is_name {
                    // The value is not quoted: it may be a secret pasted in by mistake.
                    return Err(format!(
                        "partner {}: signing_secret_env must name an environment variable (A-Z, 0-9, _), not hold the secret",
                        partner.id
                    ));
                }
            }
            if let Some(url) = &partner.webhook_url {
                let usable = Url::parse(url).is_ok_and(|url| {
                    matches!(url.scheme(), "https" | "http")
                        && url.username().is_empty()
                        && url.password().is_none()
                        && url.fragment().is_none()
                });
                if !usable {
                    return Err(format!(
                        "partner {}: webhook_url must be an http(s) URL without credentials or fragment",
                        partner.id
                    ));
                }
            }
            if partner.journey == JourneyKind::InPrincipleApproval {
                if let Some(market) = partner
                    .markets
                    .iter()
                    .find(|m| !m.api_variant().decides_online())
                {
                    return Err(format!(
                        "partner {}: the bank decides nothing online in {} (its leads are prospects that its staff follow up), so a placement there must set journey = \"lead_capture\"",
                        partner.id,
                        market.name()
                    ));
                }
            }
            if let Some(language) = partner.language {
                if let Some(market) = partner
                    .markets
                    .iter()
                    .find(|m| !m.languages().contains(&language))
                {
                    return Err(format!(
                        "partner {}: language {:?} is not one of {}'s ({})",
                        partner.id,
                        language.tag(),
                        market.name(),
                        market
                            .languages()
                            .iter()
                            .map(|l| l.tag())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
            if let Some(hash) = &partner.api_key_sha256 {
                let digest = sha256_of_hex(hash).ok_or_else(|| {
                    // The value is not quoted: it may be a key pasted in by mistake.
                    format!(
                        "partner {}: api_key_sha256 must be the SHA-256 of the partner's API key in 64 hex digits (`printf %s \"$KEY\" | sha256sum`), never the key itself",
                        partner.id
                    )
                })?;
                api_keys.insert(partner.id.clone(), digest);
            }
            if let Some(settings) = &partner.theme {
                let theme = Theme::new(settings, &partner.allowed_origins)
                    .map_err(|e| format!("partner {}: {e}", partner.id))?;
                themes.insert(partner.id.clone(), theme);
            }
            if partners.insert(partner.id.clone(), partner).is_some() {
                return Err("a partner id appears twice".into());
            }
        }
        Ok(Self {
            partners,
            cards: file.cards,
            signing_secrets: HashMap::new(),
            themes,
            api_keys,
        })
    }

    /// Gives every partner without an `api_key_sha256` the published [`DEMO_API_KEY`] when
    /// `demo` (the embedded sandbox), with a warning; otherwise refuses a partner whose
    /// placements open only with a token it could never create. Other partners without a
    /// key simply create no placements.
    pub fn read_api_keys(&mut self, demo: bool) -> Result<(), String> {
        let mut ids: Vec<&String> = self.partners.keys().collect();
        ids.sort();
        for id in ids {
            if self.api_keys.contains_key(id) {
                continue;
            }
            if demo {
                tracing::warn!(
                    partner = %id,
                    "creating placements with the published demo API key: the bank sandbox runs inside the BFF"
                );
                self.api_keys.insert(id.clone(), sha256(DEMO_API_KEY));
            } else if self.partners[id].needs_placement_token() {
                return Err(format!(
                    "partner {id}: its placements open only with a placement token, which its server creates with its API key: set api_key_sha256"
                ));
            }
        }
        Ok(())
    }

    /// The partners whose API key `key` is (one key may serve several partner tables),
    /// each compared in constant time, as SHA-256s: neither the key's length nor its bytes
    /// show in the time taken.
    pub fn api_key_holders(&self, key: &str) -> Vec<&str> {
        use subtle::ConstantTimeEq;
        let presented = sha256(key);
        let mut holders: Vec<&str> = self
            .api_keys
            .iter()
            .filter(|(_, expected)| bool::from(expected.ct_eq(&presented)))
            .map(|(id, _)| id.as_str())
            .collect();
        holders.sort_unstable();
        holders
    }

    /// Reads every partner's signing secret from the variable the file names, through
    /// `lookup` (the environment). A partner without one, or with one shorter than
    /// [`MIN_SIGNING_SECRET_BYTES`], is refused, except that with `demo` (the embedded
    /// sandbox) an unset one is [`DEMO_SIGNING_SECRET`].
    pub fn read_signing_secrets(
        &mut self,
        lookup: impl Fn(&str) -> Option<String>,
        demo: bool,
    ) -> Result<(), String> {
        let mut ids: Vec<&String> = self.partners.keys().collect();
        ids.sort();
        for id in ids {
            let partner = &self.partners[id];
            let name = partner.signing_secret_env.as_deref();
            let value = name.and_then(&lookup).filter(|v| !v.is_empty());
            let secret = match (value, name) {
                (Some(value), Some(name)) if value.starts_with(crate::signing::WHSEC_PREFIX) => {
                    // Written as Standard Webhooks do: the key is what the base64 part decodes to.
                    match crate::signing::signing_key(&Secret::new(value.clone())) {
                        Some(key) if key.len() >= MIN_SIGNING_SECRET_BYTES => value,
                        Some(_) => {
                            return Err(format!(
                                "partner {id}: {name} is a whsec_ secret of fewer than {MIN_SIGNING_SECRET_BYTES} bytes; use a random key of at least {MIN_SIGNING_SECRET_BYTES} bytes"
                            ));
                        }
                        None => {
                            return Err(format!(
                                "partner {id}: {name} starts with whsec_ but the rest is not base64"
                            ));
                        }
                    }
                }
                (Some(value), Some(name)) if value.len() < MIN_SIGNING_SECRET_BYTES => {
                    return Err(format!(
                        "partner {id}: {name} is shorter than {MIN_SIGNING_SECRET_BYTES} bytes; use a random secret of at least {MIN_SIGNING_SECRET_BYTES} bytes (e.g. `openssl rand -hex 32`)"
                    ));
                }
                (Some(value), _) => value,
                (None, name) if demo => {
                    tracing::warn!(
                        partner = %id,
                        variable = name.unwrap_or("(none in the partners file)"),
                        "signing with the published demo secret: the bank sandbox runs inside the BFF"
                    );
                    DEMO_SIGNING_SECRET.to_owned()
                }
                (None, Some(name)) => {
                    return Err(format!(
                        "partner {id}: set {name} to its signing secret (at least {MIN_SIGNING_SECRET_BYTES} bytes)"
                    ));
                }
                (None, None) => {
                    return Err(format!(
                        "partner {id}: name the environment variable of its signing secret in signing_secret_env"
                    ));
                }
            };
            self.signing_secrets.insert(id.clone(), Secret::new(secret));
        }
        Ok(())
    }

    /// Refuses a `webhook_url` that is not `https://`, naming the partner, unless `demo` (the
    /// embedded sandbox, as for the signing secrets) or its host is loopback (a receiver on
    /// this machine, as the tests run).
    pub fn check_webhook_urls(&self, demo: bool) -> Result<(), String> {
        if demo {
            return Ok(());
        }
        let mut ids: Vec<&String> = self.partners.keys().collect();
        ids.sort();
        for id in ids {
            let Some(url) = &self.partners[id].webhook_url else {
                continue;
            };
            // Parsed already by `parse`; the events tell of customers' credit decisions,
            // which travel in clear only where they never leave the machine.
            let url = Url::parse(url).map_err(|e| format!("partner {id}: webhook_url: {e}"))?;
            let loopback = match url.host() {
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                Some(url::Host::Domain(host)) => host.eq_ignore_ascii_case("localhost"),
                None => false,
            };
            if url.scheme() != "https" && !loopback {
                return Err(format!(
                    "partner {id}: webhook_url must be https:// (plain http only to a loopback host, or under the embedded sandbox)"
                ));
            }
        }
        Ok(())
    }

    /// The partner's signing secret, once [`read_signing_secrets`](Self::read_signing_secrets) ran.
    pub fn signing_secret(&self, partner_id: &str) -> Option<&Secret> {
        self.signing_secrets.get(partner_id)
    }

    /// The partner's checked theme, if it has one.
    pub fn theme(&self, partner_id: &str) -> Option<&Theme> {
        self.themes.get(partner_id)
    }

    /// Every partner.
    pub fn all(&self) -> impl Iterator<Item = &Partner> {
        self.partners.values()
    }

    /// The partner with this id.
    pub fn get(&self, id: &str) -> Option<&Partner> {
        self.partners.get(id)
    }

    /// The id of a partner whose provider is `provider`, if any.
    pub fn using(&self, provider: Provider) -> Option<&str> {
        self.partners
            .values()
            .find(|p| p.provider == provider)
            .map(|p| p.id.as_str())
    }

    /// The name customers know a product code by; the code itself when the file names none,
    /// which is logged so the file can be completed.
    pub fn card_name(&self, product_code: &str) -> String {
        self.cards.get(product_code).cloned().unwrap_or_else(|| {
            tracing::warn!(product_code, "no name for this card in the partners file");
            product_code.to_owned()
        })
    }
}

impl Partner {
    /// The plan of the journey this placement offers.
    pub const fn plan(&self) -> JourneyPlan {
        JourneyPlan::new(self.journey, self.provider)
    }

    /// Whether the placement opens only with a placement token: always for connectFi, whose
    /// customer's id a link must never carry, and wherever the partners file asks for it.
    pub fn needs_placement_token(&self) -> bool {
        self.provider == Provider::Connectfi || self.require_placement_token
    }

    /// Checks a return URL against the allowlist: same scheme, host and port as an allowed
    /// URL, and a path that is that URL's path or below it. Returns the URL normalised.
    pub fn check_return_url(&self, candidate: &str) -> Result<Url, ReturnUrlError> {
        let url = Url::parse(candidate).map_err(|_| ReturnUrlError::NotAUrl)?;
        if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
            return Err(ReturnUrlError::NotAllowed);
        }
        let allowed = self
            .allowed_return_urls
            .iter()
            .filter_map(|a| Url::parse(a).ok())
            .any(|allowed| {
                let same_origin = allowed.origin() == url.origin();
                let prefix = allowed.path();
                let path = url.path();
                let under = path == prefix
                    || (path.starts_with(prefix)
                        && (prefix.ends_with('/') || path[prefix.len()..].starts_with('/')));
                same_origin && under
            });
        if allowed {
            Ok(url)
        } else {
            Err(ReturnUrlError::NotAllowed)
        }
    }

    /// The exact origin of a return URL already checked: where result messages are posted.
    pub fn origin_of(url: &Url) -> String {
        url.origin().ascii_serialization()
    }
}

/// The SHA-256 of a key.
fn sha256(key: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(key.as_bytes()).into()
}

/// A SHA-256 written in 64 hex digits, either case.
fn sha256_of_hex(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut digest = [0u8; 32];
    for (byte, pair) in digest.iter_mut().zip(hex.as_bytes().chunks(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[[partner]]
id = "demo"
display_name = "Demo Travel"
allowed_origins = ["https://partner.example"]
allowed_return_urls = ["https://partner.example/cards/done"]
markets = ["SG"]
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }
"#;

    fn partner() -> Partner {
        Partners::parse(FILE).unwrap().get("demo").unwrap().clone()
    }

    #[test]
    fn a_theme_below_wcag_aa_contrast_stops_the_file_naming_the_partner() {
        let file = format!("{FILE}theme = {{ colours = {{ muted = \"#999999\" }} }}\n");
        let error = Partners::parse(&file).unwrap_err();
        assert!(
            error.starts_with("partner demo: theme refused: muted #999999 on background #ffffff"),
            "{error}"
        );
        let file = format!("{FILE}theme = {{ colours = {{ muted = \"#595959\" }} }}\n");
        assert!(Partners::parse(&file).unwrap().theme("demo").is_some());
    }

    #[test]
    fn the_approval_is_placed_only_where_the_bank_decides_online() {
        let thai = FILE.replace(r#"markets = ["SG"]"#, r#"markets = ["SG", "TH"]"#);
        let error = Partners::parse(&thai).unwrap_err();
        assert!(
            error.starts_with("partner demo: the bank decides nothing online in Thailand"),
            "{error}"
        );
        let leads = format!("{thai}journey = \"lead_capture\"\n");
        let partners = Partners::parse(&leads).unwrap();
        assert_eq!(
            partners.get("demo").unwrap().journey,
            JourneyKind::LeadCapture
        );
    }

    #[test]
    fn a_placements_language_must_be_one_of_each_of_its_markets() {
        let polish = FILE.replace(r#"markets = ["SG"]"#, r#"markets = ["PL"]"#);
        let fixed = format!("{polish}language = \"pl\"\n");
        assert_eq!(
            Partners::parse(&fixed)
                .unwrap()
                .get("demo")
                .unwrap()
                .language,
            Some(Language::Polish)
        );
        let error = Partners::parse(&format!("{FILE}language = \"pl\"\n")).unwrap_err();
        assert_eq!(
            error,
            "partner demo: language \"pl\" is not one of Singapore's (en)"
        );
    }

    #[test]
    fn return_urls_must_be_on_the_allowlist_exactly() {
        let p = partner();
        assert!(p
            .check_return_url("https://partner.example/cards/done")
            .is_ok());
        assert!(p
            .check_return_url("https://partner.example/cards/done/sg?x=1")
            .is_ok());
        for refused in [
            "https://partner.example/cards/done-evil",
            "http://partner.example/cards/done",
            "https://partner.example:8443/cards/done",
            "https://evil.example/cards/done",
            "https://partner.example.evil.example/cards/done",
            "https://user@partner.example/cards/done",
            "https://partner.example/other",
        ] {
            assert_eq!(
                p.check_return_url(refused),
                Err(ReturnUrlError::NotAllowed),
                "{refused}"
            );
        }
        assert_eq!(
            p.check_return_url("javascript:alert(1)"),
            Err(ReturnUrlError::NotAllowed)
        );
        assert_eq!(
            p.check_return_url("not a url"),
            Err(ReturnUrlError::NotAUrl)
        );
    }

    #[test]
    fn refuses_return_urls_off_the_partners_origins() {
        let bad = FILE.replace(
            "https://partner.example/cards/done",
            "https://elsewhere.example/done",
        );
        assert!(Partners::parse(&bad)
            .unwrap_err()
            .contains("not on one of its allowed origins"));
    }

    #[test]
    fn signing_secrets_come_from_the_variable_the_file_names() {
        let file = FILE.replace(
            "markets = [\"SG\"]",
            "markets = [\"SG\"]\nsigning_secret_env = \"DEMO_SIGNING_SECRET\"",
        );
        let long = "0123456789abcdef0123456789abcdef";
        let read = |value: Option<&str>, demo: bool| {
            let mut partners = Partners::parse(&file).unwrap();
            partners
                .read_signing_secrets(
                    |name| (name == "DEMO_SIGNING_SECRET").then(|| value.map(str::to_owned))?,
                    demo,
                )
                .map(|()| partners)
        };
        let partners = read(Some(long), false).unwrap();
        assert_eq!(partners.signing_secret("demo").unwrap().expose(), long);

        let short = read(Some("too-short"), false).unwrap_err();
        assert!(
            short.contains("DEMO_SIGNING_SECRET is shorter than 32 bytes"),
            "{short}"
        );
        assert!(
            !short.contains("too-short"),
            "the value is never printed: {short}"
        );
        assert!(
            read(Some("too-short"), true).is_err(),
            "not even in the demo"
        );
        let unset = read(None, false).unwrap_err();
        assert!(unset.contains("set DEMO_SIGNING_SECRET"), "{unset}");
        let demo = read(None, true).unwrap();
        assert_eq!(
            demo.signing_secret("demo").unwrap().expose(),
            DEMO_SIGNING_SECRET
        );
        assert!(DEMO_SIGNING_SECRET.len() >= MIN_SIGNING_SECRET_BYTES);

        let mut unnamed = Partners::parse(FILE).unwrap();
        let err = unnamed.read_signing_secrets(|_| None, false).unwrap_err();
        assert!(err.contains("signing_secret_env"), "{err}");

        // A whsec_ secret: its decoded key must be long enough, and base64 at all.
        let whsec = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
        let partners = read(Some(whsec), false).unwrap();
        assert_eq!(partners.signing_secret("demo").unwrap().expose(), whsec);
        let short = read(
            Some("whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZQ=="),
            false,
        );
        assert!(short.unwrap_err().contains("fewer than 32 bytes"));
        let garbled = read(Some("whsec_0123456789abcdef0123456789abcdef!!"), false);
        assert!(garbled.unwrap_err().contains("not base64"));
    }

    #[test]
    fn a_webhook_url_is_https_but_to_loopback_or_in_the_demo() {
        for (url, ok) in [
            ("https://partner.example/hooks/cards", true),
            ("http://partner.example/hooks/cards", false),
            ("http://127.0.0.1:8081/hooks/cards", true),
            ("http://[::1]:8081/hooks/cards", true),
            ("http://localhost:8081/hooks/cards", true),
            ("http://127.0.0.1.partner.example/hooks", false),
        ] {
            let file = FILE.replace(
                "markets = [\"SG\"]",
                &format!("markets = [\"SG\"]\nwebhook_url = \"{url}\""),
            );
            let partners = Partners::parse(&file).unwrap();
            let checked = partners.check_webhook_urls(false);
            assert_eq!(checked.is_ok(), ok, "{url}: {checked:?}");
            if let Err(error) = checked {
                assert!(
                    error.starts_with("partner demo: webhook_url must be https://"),
                    "{error}"
                );
            }
            assert!(
                partners.check_webhook_urls(true).is_ok(),
                "{url} in the demo"
            );
        }
    }

    #[test]
    fn the_file_names_a_variable_and_a_usable_webhook_url() {
        let pasted = FILE.replace(
            "markets = [\"SG\"]",
            "markets = [\"SG\"]\nsigning_secret_env = \"s3cr3t-value-pasted-here\"",
        );
        let err = Partners::parse(&pasted).unwrap_err();
        assert!(err.contains("must name an environment variable"), "{err}");
        assert!(!err.contains("s3cr3t"), "{err}");
        for (url, ok) in [
            ("https://partner.example/hooks/cards", true),
            ("ftp://partner.example/hooks", false),
            ("https://user:pw@partner.example/hooks", false),
        ] {
            let file = FILE.replace(
                "markets = [\"SG\"]",
                &format!("markets = [\"SG\"]\nwebhook_url = \"{url}\""),
            );
            assert_eq!(Partners::parse(&file).is_ok(), ok, "{url}");
        }
    }

    #[test]
    fn api_keys_are_kept_as_sha256s_and_compared_whole() {
        let key = "pk_test_0123456789abcdef0123456789abcdef";
        let hash: String = sha256(key).iter().map(|b| format!("{b:02x}")).collect();
        let file = format!("{FILE}api_key_sha256 = \"{}\"\n", hash.to_uppercase());
        let mut partners = Partners::parse(&file).unwrap();
        partners.read_api_keys(false).unwrap();
        assert_eq!(partners.api_key_holders(key), vec!["demo"]);
        for wrong in ["", &key[..key.len() - 1], &format!("{key}0"), DEMO_API_KEY] {
            assert!(partners.api_key_holders(wrong).is_empty(), "{wrong:?}");
        }

        // The key itself pasted in is refused, and not printed back.
        let pasted = format!("{FILE}api_key_sha256 = \"{key}\"\n");
        let error = Partners::parse(&pasted).unwrap_err();
        assert!(
            error.contains("api_key_sha256 must be the SHA-256"),
            "{error}"
        );
        assert!(!error.contains(key), "{error}");
    }

    #[test]
    fn a_placement_that_needs_tokens_needs_a_key_but_in_the_demo() {
        let connectfi = format!("{FILE}provider = \"connectfi\"\n");
        let required = format!("{FILE}require_placement_token = true\n");
        for file in [&connectfi, &required] {
            let mut partners = Partners::parse(file).unwrap();
            assert!(partners.get("demo").unwrap().needs_placement_token());
            let error = partners.read_api_keys(false).unwrap_err();
            assert!(error.contains("set api_key_sha256"), "{error}");
            let mut demo = Partners::parse(file).unwrap();
            demo.read_api_keys(true).unwrap();
            assert_eq!(demo.api_key_holders(DEMO_API_KEY), vec!["demo"]);
        }
        // A bank placement without a key creates no placements, and needs none.
        let mut plain = Partners::parse(FILE).unwrap();
        assert!(!plain.get("demo").unwrap().needs_placement_token());
        plain.read_api_keys(false).unwrap();
        assert!(plain.api_key_holders(DEMO_API_KEY).is_empty());
    }

    #[test]
    fn the_shipped_demo_partners_file_is_valid() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../partners.toml");
        let mut partners = Partners::load(Path::new(path)).unwrap();
        assert!(partners.get("demo-travel").is_some());
        // Every shipped partner names its own variable, so a deployment only sets them.
        assert!(partners.all().all(|p| p.signing_secret_env.is_some()));
        partners.read_signing_secrets(|_| None, true).unwrap();
        partners.read_api_keys(true).unwrap();
    }
}

//! The test partners: their ids, secrets and API keys, and the partners file that
//! configures them.

pub const PARTNER: &str = "test-partner";
/// Another placement of the bank's card, for what one partner must not share with another.
pub const OTHER_PARTNER: &str = "other-partner";
pub const PARTNER_ORIGIN: &str = "http://partner.test";
pub const RETURN_URL: &str = "http://partner.test/done";
pub const MARKET: &str = "SG";
/// The signing secret of the test partner, as the BFF reads it from its environment.
pub const SIGNING_SECRET: &str = "test-partner-signing-secret-0123456789";

/// The signing secret of the connectFi partner.
pub const FINTECH_SIGNING_SECRET: &str = "test-fintech-signing-secret-0123456789";

/// The test partner's API key, whose SHA-256 the partners file holds.
pub const API_KEY: &str = "test-partner-api-key-0123456789abcdef";
/// The connectFi partner's API key.
pub const FINTECH_API_KEY: &str = "test-fintech-api-key-0123456789abcdef";
/// The connectFi partner, whose placements open only with a placement token.
pub const FINTECH: &str = "test-fintech";

/// Every partner's signing secret variable and value (each partner has its own).
pub(super) const SIGNING_SECRETS: [(&str, &str); 6] = [
    (
        "TEST_MARKETS_SIGNING_SECRET",
        "test-markets-signing-secret-0123456789",
    ),
    (
        "TEST_LEADS_SIGNING_SECRET",
        "test-leads-signing-secret-0123456789",
    ),
    (
        "TEST_ENGLISH_SIGNING_SECRET",
        "test-english-signing-secret-0123456789",
    ),
    ("TEST_PARTNER_SIGNING_SECRET", SIGNING_SECRET),
    (
        "OTHER_PARTNER_SIGNING_SECRET",
        "other-partner-signing-secret-0123456789",
    ),
    ("TEST_FINTECH_SIGNING_SECRET", FINTECH_SIGNING_SECRET),
];

pub const PARTNERS_FILE: &str = r##"
[[partner]]
id = "test-partner"
display_name = "Test Partner"
allowed_origins = ["http://partner.test"]
allowed_return_urls = ["http://partner.test/done"]
markets = ["SG"]
signing_secret_env = "TEST_PARTNER_SIGNING_SECRET"
api_key_sha256 = "ea56e7f78074fc0485f362ecc467e775c470d59a1f65b54380f0a17923737246"
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }

[[partner]]
id = "other-partner"
display_name = "Other Partner"
allowed_origins = ["http://partner.test"]
allowed_return_urls = ["http://partner.test/done"]
markets = ["SG"]
signing_secret_env = "OTHER_PARTNER_SIGNING_SECRET"
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }
theme = { colours = { brand = "#6b1d5c" }, radius = "12px", logo = "https://cdn.partner.test/logo.svg" }

[[partner]]
id = "test-fintech"
display_name = "Test Fintech"
allowed_origins = ["http://partner.test"]
allowed_return_urls = ["http://partner.test/done"]
markets = ["SG"]
provider = "connectfi"
signing_secret_env = "TEST_FINTECH_SIGNING_SECRET"
api_key_sha256 = "685121aef062a212a0b10afea5ddfb02fd0e304b23e16e8487b16f5b8d9d6aca"
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }

# The in-principle approval wherever the bank decides online.
[[partner]]
id = "test-markets"
display_name = "Test Partner"
allowed_origins = ["http://partner.test"]
allowed_return_urls = ["http://partner.test/done"]
markets = ["AU", "HK", "IN", "MY", "PH", "SG", "PL", "RU", "AE"]
signing_secret_env = "TEST_MARKETS_SIGNING_SECRET"
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }

# Lead Capture in all twelve markets.
[[partner]]
id = "test-leads"
display_name = "Test Partner"
allowed_origins = ["http://partner.test"]
allowed_return_urls = ["http://partner.test/done"]
markets = ["AU", "HK", "IN", "ID", "MY", "PH", "PL", "RU", "SG", "TH", "AE", "VN"]
journey = "lead_capture"
signing_secret_env = "TEST_LEADS_SIGNING_SECRET"
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }

# A placement shown in English whatever the link or the browser ask for.
[[partner]]
id = "test-english"
display_name = "Test Partner"
allowed_origins = ["http://partner.test"]
allowed_return_urls = ["http://partner.test/done"]
markets = ["PL", "AE"]
language = "en"
signing_secret_env = "TEST_ENGLISH_SIGNING_SECRET"
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }

[cards]
VC830 = "Rewards Card"
VC410 = "Simplicity Card"
RC100 = "Ready Credit"
"##;

/// The test partners file with the test partner and the connectFi one sending their
/// webhooks to `webhook_url`.
pub fn partners_with_webhook(webhook_url: &str) -> String {
    let webhook = format!("webhook_url = \"{webhook_url}\"\n");
    partners_file_with(&[
        ("TEST_PARTNER_SIGNING_SECRET", &webhook),
        ("TEST_FINTECH_SIGNING_SECRET", &webhook),
    ])
}

/// The test partners file with, for each `(variable, lines)` in `extra`, the lines added to
/// the partner whose signing secret is read from that variable.
pub fn partners_file_with(extra: &[(&str, &str)]) -> String {
    let mut partners = PARTNERS_FILE.to_owned();
    for (variable, lines) in extra {
        let marker = format!("signing_secret_env = \"{variable}\"\n");
        assert!(partners.contains(&marker));
        partners = partners.replacen(&marker, &format!("{marker}{lines}"), 1);
    }
    partners
}

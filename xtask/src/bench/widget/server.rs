//! The BFF as a partner's customers reach it: serving the release widget, for the
//! placements the bench opens, with the bank sandbox beside it as the bank.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use super::sizes::{Journey, Page};
use crate::bench::processes::Service;
use crate::process::Result;

/// The partner's origin: where return URLs point. Nothing is served there; the BFF only
/// checks that a link's return URL is one of its partner's.
const PARTNER_ORIGIN: &str = "http://partner.bench";
/// The variable naming the bench partners' signing secret, and the secret.
const SIGNING_SECRET_VARIABLE: &str = "BENCH_WIDGET_SIGNING_SECRET";
const SIGNING_SECRET: &str = "bench-widget-signing-secret-of-more-than-32-bytes";

/// A running BFF and its bank, both stopped when dropped.
pub struct Bff {
    _sandbox: Service,
    _bff: Service,
    /// `http://127.0.0.1:<port>`: the widget's origin.
    pub origin: String,
}

impl Bff {
    /// Starts the sandbox and the BFF serving `widget_dir` for the placements `pages`
    /// open; their partners file, SQLite database and logs go in `dir`.
    pub fn start(
        bff_bin: &Path,
        sandbox_bin: &Path,
        widget_dir: &Path,
        dir: &Path,
        pages: &[Page],
    ) -> Result<Self> {
        let mut sandbox = Command::new(sandbox_bin);
        sandbox
            .env("SANDBOX_LISTEN_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "warn");
        let sandbox = Service::start("widget-sandbox", sandbox, "bank sandbox listening on ", dir)?;
        let partners = dir.join("partners.toml");
        std::fs::write(&partners, partners_file(pages))
            .map_err(|e| format!("cannot write {}: {e}", partners.display()))?;
        let database = dir.join("bff.db");
        let _ = std::fs::remove_file(&database);
        let mut bff = Command::new(bff_bin);
        bff.env("BFF_LISTEN_ADDR", "127.0.0.1:0")
            .env("BANK_BASE_URL", format!("{}/api", sandbox.url))
            .env("BANK_CLIENT_ID", "sandbox-client")
            .env("BANK_CLIENT_SECRET", "sandbox-secret")
            .env("DATABASE_URL", format!("sqlite://{}", database.display()))
            .env("PARTNERS_FILE", &partners)
            .env("WIDGET_DIR", widget_dir)
            .env(SIGNING_SECRET_VARIABLE, SIGNING_SECRET)
            .env("RUST_LOG", "warn")
            .env("NO_COLOR", "1")
            .env_remove("PUBLIC_ORIGIN")
            .env_remove("TRUSTED_PROXIES");
        let bff = Service::start("widget-bff", bff, "BFF listening on ", dir)?;
        Ok(Bff {
            origin: bff.url.clone(),
            _sandbox: sandbox,
            _bff: bff,
        })
    }

    /// The widget's page for `page`'s placement, in its language.
    pub fn apply_url(&self, page: &Page) -> String {
        format!(
            "{}/apply?partner={}&market={}&lang={}&return_url={PARTNER_ORIGIN}/return",
            self.origin,
            page.journey.partner(),
            page.market,
            page.lang
        )
    }
}

/// One partner per journey, offering it in the markets of the pages that take it.
fn partners_file(pages: &[Page]) -> String {
    let mut file = String::new();
    for journey in [Journey::InPrincipleApproval, Journey::LeadCapture] {
        let markets: Vec<String> = pages
            .iter()
            .filter(|page| page.journey == journey)
            .map(|page| format!("\"{}\"", page.market))
            .collect();
        if markets.is_empty() {
            continue;
        }
        let _ = write!(
            file,
            "[[partner]]\nid = \"{}\"\ndisplay_name = \"Bench Travel\"\n\
             allowed_origins = [\"{PARTNER_ORIGIN}\"]\nallowed_return_urls = [\"{PARTNER_ORIGIN}/return\"]\n\
             markets = [{}]\njourney = \"{}\"\nsigning_secret_env = \"{SIGNING_SECRET_VARIABLE}\"\n\
             product = {{ product_code = \"VC830\", source_code = \"WW5ARCE1\", organization = \"888\", logo = \"830\" }}\n\n",
            journey.partner(),
            markets.join(", "),
            journey.config_name()
        );
    }
    file.push_str("[cards]\nVC830 = \"Rewards Card\"\n");
    file
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::widget::sizes::PAGES;

    #[test]
    fn each_journey_is_a_partner_in_its_pages_markets() {
        let file = partners_file(&PAGES);
        let tables: Vec<&str> = file.split("[[partner]]").skip(1).collect();
        assert_eq!(tables.len(), 2, "{file}");
        assert!(tables[0].contains("id = \"bench-widget\""), "{file}");
        assert!(
            tables[0].contains("markets = [\"SG\", \"HK\", \"MY\", \"PL\", \"RU\", \"AE\"]"),
            "{file}"
        );
        assert!(tables[0].contains("journey = \"in_principle_approval\""));
        assert!(
            tables[1].contains("markets = [\"TH\", \"VN\", \"ID\"]"),
            "{file}"
        );
        assert!(tables[1].contains("journey = \"lead_capture\""));
        assert!(file.ends_with("[cards]\nVC830 = \"Rewards Card\"\n"));
        assert!(SIGNING_SECRET.len() >= 32);
    }
}

//! The BFF as a child process, with its embedded sandbox, on a free local port.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The demo partner's brand colour in the partners file the tests run with.
pub const THEME_BRAND: &str = "#6b1d5c";

/// A running BFF; killed when dropped.
pub struct Bff {
    child: Child,
    /// `http://127.0.0.1:<port>`: the widget's origin.
    pub origin: String,
    /// `http://localhost:<port>`: the demo partner site's origin, another one than the
    /// widget's, as in production.
    pub partner_origin: String,
    /// The embedded sandbox's origin, for reading its decisions.
    pub sandbox_origin: String,
    log: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

/// A port nobody listens on right now (the OS picks it; the partners file must name it
/// before the BFF starts, so the BFF cannot bind port 0 itself).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

fn env_path(name: &str) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!("{name} is not set: run the end-to-end tests through `cargo xtask test`")
        })
}

impl Bff {
    /// Starts the BFF with a fresh database and a partners file for the demo partner on
    /// the BFF's own origin, and waits until it listens.
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let port = free_port();
        let origin = format!("http://127.0.0.1:{port}");
        // The same server under another host name is another origin: the demo partner
        // pages are served from it, as a partner's page would be.
        let local = format!("http://localhost:{port}");
        let partners = dir.path().join("partners.toml");
        std::fs::write(
            &partners,
            format!(
                "[[partner]]\nid = \"demo-travel\"\ndisplay_name = \"Demo Travel\"\nallowed_origins = [\"{origin}\", \"{local}\"]\n\
                 allowed_return_urls = [\"{origin}/demo/return\", \"{local}/demo/return\"]\nmarkets = [\"SG\"]\n\
                 product = {{ product_code = \"VC830\", source_code = \"WW5ARCE1\", organization = \"888\", logo = \"830\" }}\n\
                 theme = {{ colours = {{ brand = \"{THEME_BRAND}\" }}, radius = \"10px\", logo = \"{local}/demo/logo.svg\" }}\n\
                 [[partner]]\nid = \"demo-fintech\"\ndisplay_name = \"Demo Fintech\"\nallowed_origins = [\"{local}\"]\n\
                 allowed_return_urls = [\"{local}/demo/return\"]\nmarkets = [\"SG\"]\nprovider = \"connectfi\"\n\
                 product = {{ product_code = \"VC830\", source_code = \"WW5ARCE1\", organization = \"888\", logo = \"830\" }}\n\
                 [[partner]]\nid = \"demo-markets\"\ndisplay_name = \"Demo Travel\"\nallowed_origins = [\"{local}\"]\n\
                 allowed_return_urls = [\"{local}/demo/return\"]\nmarkets = [\"AU\", \"HK\", \"IN\", \"MY\", \"PH\", \"SG\", \"PL\", \"RU\", \"AE\"]\n\
                 product = {{ product_code = \"VC830\", source_code = \"WW5ARCE1\", organization = \"888\", logo = \"830\" }}\n\
                 [[partner]]\nid = \"demo-leads\"\ndisplay_name = \"Demo Travel\"\nallowed_origins = [\"{local}\"]\n\
                 allowed_return_urls = [\"{local}/demo/return\"]\nmarkets = [\"AU\", \"HK\", \"IN\", \"ID\", \"MY\", \"PH\", \"PL\", \"RU\", \"SG\", \"TH\", \"AE\", \"VN\"]\n\
                 journey = \"lead_capture\"\n\
                 product = {{ product_code = \"VC830\", source_code = \"WW5ARCE1\", organization = \"888\", logo = \"830\" }}\n\
                 [cards]\nVC830 = \"Rewards Card\"\nVC410 = \"Simplicity Card\"\nRC100 = \"Ready Credit\"\n"
            ),
        )
        .expect("partners file written");
        let mut child = Command::new(env_path("BFF_BIN"))
            .env("BFF_LISTEN_ADDR", format!("127.0.0.1:{port}"))
            .env(
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("bff.db").display()),
            )
            .env("PARTNERS_FILE", &partners)
            .env("WIDGET_DIR", env_path("WIDGET_DIR"))
            .env("SANDBOX_SCREENING_DELAY_MS", "200")
            .env("DECISION_WAIT_MS", "10000")
            .env("RUST_LOG", "warn")
            .env_remove("BANK_BASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the BFF starts");
        let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
        let mut sandbox_origin = None;
        let mut listening = false;
        for line in lines.by_ref() {
            let line = line.expect("the BFF's output");
            if let Some(url) = line.strip_prefix("bank sandbox (embedded) at ") {
                sandbox_origin = Some(url.trim().to_owned());
            }
            listening |= line.starts_with("BFF listening on ");
            if listening && sandbox_origin.is_some() {
                break;
            }
        }
        // Keep reading its output, so the BFF never blocks on a full pipe and tests can
        // look for what it logged.
        let log = Arc::new(Mutex::new(Vec::new()));
        let logging = log.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                logging.lock().unwrap().push(line);
            }
        });
        let sandbox_origin = sandbox_origin.expect("the BFF reports its embedded sandbox");
        Self {
            child,
            origin,
            partner_origin: local,
            sandbox_origin,
            log,
            _dir: dir,
        }
    }

    /// The demo partner page that embeds the widget by iframe.
    pub fn partner_page(&self) -> String {
        format!("{}/demo/partner", self.partner_origin)
    }

    /// The demo partner page that includes the loader script.
    pub fn script_page(&self) -> String {
        format!("{}/demo/script", self.partner_origin)
    }

    /// The demo partner page embedding the connectFi placement for this customer.
    pub fn connectfi_partner_page(&self, customer: &str) -> String {
        format!("{}/demo/partner?customer={customer}", self.partner_origin)
    }

    /// The demo partner page embedding `partner`'s placement in `market`, in the language
    /// the link asks for, if any.
    pub fn placement_page(&self, partner: &str, market: &str, lang: Option<&str>) -> String {
        let lang = lang.map_or(String::new(), |tag| format!("&lang={tag}"));
        format!(
            "{}/demo/partner?partner={partner}&market={market}{lang}",
            self.partner_origin
        )
    }

    /// The messages the sandbox, playing the bank, has sent about an application or lead.
    pub async fn notifications(&self, reference: &str) -> Vec<serde_json::Value> {
        let url = format!(
            "{}/sandbox/notifications?reference={reference}",
            self.sandbox_origin
        );
        let answer: serde_json::Value = reqwest::get(url)
            .await
            .expect("the sandbox answers")
            .json()
            .await
            .expect("the outbox's JSON");
        answer
            .as_array()
            .or_else(|| answer["notifications"].as_array())
            .cloned()
            .unwrap_or_default()
    }

    /// The lines the BFF has logged since it started listening that contain `text`.
    pub fn logged(&self, text: &str) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|line| line.contains(text))
            .cloned()
            .collect()
    }

    /// The sandbox's record of an application: its decision and credit limit.
    pub async fn sandbox_application(&self, reference: &str) -> serde_json::Value {
        let url = format!("{}/sandbox/applications/{reference}", self.sandbox_origin);
        let response = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap()
            .get(url)
            .send()
            .await
            .expect("the sandbox answers");
        assert!(
            response.status().is_success(),
            "sandbox: {}",
            response.status()
        );
        response.json().await.expect("the sandbox's JSON")
    }
}

impl Drop for Bff {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

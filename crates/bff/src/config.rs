//! Typed configuration, read once from the environment at start-up.

use crate::bank::ClientTls;
use crate::proxies::TrustedProxies;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Everything the BFF is configured with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `BFF_LISTEN_ADDR`: where to listen (default `127.0.0.1:8080`).
    pub listen_addr: SocketAddr,
    /// `METRICS_LISTEN_ADDR`: where `/metrics` is served, on a listener of its own so that
    /// it is never reachable where customers are. Unset: no metrics listener (the metrics
    /// are recorded all the same).
    pub metrics_listen_addr: Option<SocketAddr>,
    /// `LOG_FORMAT`: `text` (default), or `json` for one JSON object a line.
    pub log_format: LogFormat,
    /// `TRUSTED_PROXIES`: the proxies whose `X-Forwarded-For` and `X-Request-Id` are
    /// believed, as addresses and CIDR ranges separated by commas (default none).
    pub trusted_proxies: TrustedProxies,
    /// `DATABASE_URL`: `sqlite://…` (default `sqlite://bff.db`, created if missing) for one
    /// instance, or `postgres://…` for a fleet of instances sharing one database.
    pub database_url: DatabaseUrl,
    /// `PARTNERS_FILE`: the partners' TOML file (default `partners.toml`).
    pub partners_file: PathBuf,
    /// `WIDGET_DIR`: the built widget, trunk's `dist/` (default `dist`).
    pub widget_dir: PathBuf,
    /// `PUBLIC_ORIGIN`: the origin customers' browsers reach the BFF at, e.g.
    /// `https://cards.bank.example`. Unset: `http://` and the request's `Host`.
    pub public_origin: Option<String>,
    /// The bank to talk to.
    pub bank: BankSettings,
    /// connectFi, for partners whose provider it is.
    pub connectfi: ConnectFiSettings,
    /// How long the decision may take before the customer is asked to retry.
    pub journey: JourneySettings,
    /// How many requests a client address and a partner's placements may send.
    pub rate_limits: RateLimitSettings,
    /// How long each kind of row is kept, and how often the retention job runs.
    pub retention: RetentionSettings,
    /// `BFF_FAULT_HOOK`: where stage 3 stops dead, for the crash tests (see `faults.rs`).
    pub fault_hook: Option<crate::faults::FaultPoint>,
    /// How partners' webhooks are retried.
    pub webhooks: WebhookSettings,
    /// Where these settings were read from, for the variables the partners file names
    /// (each partner's signing secret).
    pub environment: Environment,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines, for a terminal.
    #[default]
    Text,
    /// One JSON object a line, with the spans' fields (the request id, the bank call's
    /// uuid), for a log pipeline.
    Json,
}

/// How the delivery of partners' webhooks is retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSettings {
    /// `WEBHOOK_MAX_ATTEMPTS`: attempts before an event is given up (default 20).
    pub max_attempts: u32,
    /// `WEBHOOK_BACKOFF_BASE_MS`: the pause after the first failure, doubling after each
    /// (default 1000), up to an hour.
    pub backoff_base: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            // With pauses doubling from a second up to an hour, twenty attempts keep trying
            // for six to eight hours: an endpoint down for a working day's outage still gets
            // its events, and a partner that is gone for good is not called for days.
            max_attempts: 20,
            backoff_base: Duration::from_secs(1),
        }
    }
}

/// The environment the settings came from, kept to read the variables other files name.
#[derive(Clone)]
pub struct Environment(Arc<Lookup>);

/// Reads one variable.
type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

impl Environment {
    /// The value of a variable, if it is set.
    pub fn get(&self, name: &str) -> Option<String> {
        (self.0)(name)
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // It can read secrets: nothing of it is printed.
        f.write_str("Environment(..)")
    }
}

/// Requests a minute allowed before the BFF answers 429, all of them in a burst if need be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitSettings {
    /// `RATE_LIMIT_PER_ADDRESS`: per client address (an IPv6 /64), API and widget page.
    pub per_address: u32,
    /// `RATE_LIMIT_PER_PARTNER`: per partner, over all its customers' sessions.
    pub per_partner: u32,
    /// `BFF_INSTANCES`: how many instances share the limits; each allows its share
    /// (default 1).
    pub instances: u32,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            // One application is about ten calls, so 300 lets dozens of customers behind one
            // carrier's or office's NAT apply in the same minute, and slows a script hammering
            // the API to five calls a second.
            per_address: 300,
            // Fifty calls a second, hundreds of applications a minute: far above any one
            // placement's real traffic, low enough that a runaway partner page cannot use up
            // the bank capacity every partner shares.
            per_partner: 3000,
            instances: 1,
        }
    }
}

/// Where the bank is and how the BFF authenticates to it.
#[derive(Debug, Clone)]
pub struct BankSettings {
    /// `BANK_BASE_URL`: the bank's API base, ending in `/api`. Unset: the bank sandbox runs
    /// inside this process, which only a build with the `embedded-sandbox` feature allows.
    pub base_url: Option<String>,
    /// `BANK_CLIENT_ID`; with the embedded sandbox, [`DEMO_BANK_CLIENT_ID`] unless set.
    pub client_id: String,
    /// `BANK_CLIENT_SECRET`; with the embedded sandbox, [`DEMO_BANK_CLIENT_SECRET`] unless set.
    pub client_secret: Secret,
    /// Timeouts, retries and the circuit breaker of every bank call.
    pub resilience: ResilienceSettings,
    /// `BANK_CLIENT_CERT`, `BANK_CLIENT_KEY` and `BANK_CA`: the client certificate of the
    /// bank's mutual TLS, and a private CA to trust.
    pub tls: ClientTls,
}

/// Where connectFi is and the BFF's login there.
#[derive(Debug, Clone)]
pub struct ConnectFiSettings {
    /// `CONNECTFI_BASE_URL`: connectFi's API base. Unset: the sandbox's connectFi, when the
    /// sandbox runs inside this process; otherwise no partner may use connectFi.
    pub base_url: Option<String>,
    /// `CONNECTFI_LOGIN`; for the embedded sandbox's connectFi, [`DEMO_CONNECTFI_LOGIN`]
    /// unless set.
    pub login: String,
    /// `CONNECTFI_PASSWORD`; likewise [`DEMO_CONNECTFI_PASSWORD`].
    pub password: Secret,
    /// The same timeouts, retries and breaker settings as the bank's (`BANK_TIMEOUT_MS`...),
    /// with a breaker of its own.
    pub resilience: ResilienceSettings,
    /// The same client certificate and private CA as the bank's (`BANK_CLIENT_CERT`...).
    pub tls: ClientTls,
}

/// How the BFF copes with a slow or failing bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResilienceSettings {
    /// `BANK_TIMEOUT_MS`: one attempt of a bank call, answer included (default 5000).
    pub timeout: Duration,
    /// `BANK_RETRIES`: attempts after the first, for transient failures only (default 2).
    pub retries: u32,
    /// `BANK_BACKOFF_BASE_MS`: the cap of the first pause, doubling after (default 200).
    pub backoff_base: Duration,
    /// `BANK_BACKOFF_MAX_MS`: the largest pause between attempts (default 2000).
    pub backoff_max: Duration,
    /// `BANK_BREAKER_FAILURES`: transient failures in a row that open the breaker (default 5).
    pub breaker_failures: u32,
    /// `BANK_BREAKER_COOLDOWN_MS`: how long an open breaker fails calls fast (default 30000).
    pub breaker_cool_down: Duration,
}

impl Default for ResilienceSettings {
    fn default() -> Self {
        Self {
            // The bank's own calls answer in well under a second; five seconds is patient
            // with a slow day yet keeps a stage's worst case (every call through every
            // retry, see `stage_worst_case`) inside the request timeout.
            timeout: Duration::from_secs(5),
            // Two retries ride out a blip (a restarting node, a dropped connection) and,
            // with the breaker, bound a dead bank to three attempts per call.
            retries: 2,
            // Pauses drawn up to 200 ms, then 400 ms: quick enough for a person waiting,
            // long enough to let a restarting node come back.
            backoff_base: Duration::from_millis(200),
            backoff_max: Duration::from_secs(2),
            // Five failures in a row are two customers' calls failing through their
            // retries, not one unlucky call: the bank is down for everyone.
            breaker_failures: 5,
            // Long enough not to hammer a bank that is restarting, short enough that
            // customers asked to "try again in a moment" find it working again.
            breaker_cool_down: Duration::from_secs(30),
        }
    }
}

/// Limits of the journey.
#[derive(Debug, Clone)]
pub struct JourneySettings {
    /// `DECISION_WAIT_MS`: how long stage 3 polls the bank while screening runs (default 15000).
    pub decision_wait: Duration,
    /// `SESSION_TTL_SECS`: how long a session lives (default 7200).
    pub session_ttl: Duration,
    /// `PLACEMENT_TTL_SECS`: how long a placement token may start a session after its
    /// partner's server created it (default 600).
    pub placement_ttl: Duration,
    /// `SESSION_LEASE_MS`: how long a state-changing request's hold on its session lasts
    /// unless renewed (default 10000). Its owner renews it while it works; an instance that
    /// dies holding one blocks the session's next request for at most this long.
    pub session_lease: Duration,
    /// `REQUEST_TIMEOUT_MS`: the longest the BFF works on one request (default 150000). It
    /// must exceed a stage's worst case (see [`stage_worst_case`]): the stage's bank work
    /// goes on after the timeout all the same, and the customer's retry gets its result.
    pub request_timeout: Duration,
    /// `SHUTDOWN_GRACE_MS`: on SIGTERM, how long stages under way may take to finish before
    /// the process exits (default 30000).
    pub shutdown_grace: Duration,
}

impl Default for JourneySettings {
    fn default() -> Self {
        Self {
            decision_wait: Duration::from_secs(15),
            session_ttl: Duration::from_secs(2 * 3600),
            // A partner's server creates one as it serves the page that embeds the widget,
            // which starts its session at once: minutes cover a slow page, and a link that
            // leaks (a history, a log) is dead soon after.
            placement_ttl: Duration::from_secs(600),
            session_lease: Duration::from_secs(10),
            request_timeout: Duration::from_secs(150),
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// The bank calls one stage can make, each through all its retries: the token, the update,
/// screening, the last in-principle-approval poll, the status inquiry that recovers a lost
/// decision, the submission for a manual review, and the same call again after the bank
/// revoked its token.
const CALLS_PER_STAGE: u32 = 7;

/// The longest one bank call can take: every attempt timing out, with the longest pause
/// the retry policy can draw before each retry.
pub fn call_worst_case(bank: &ResilienceSettings) -> Duration {
    let pauses: Duration = (0..bank.retries)
        .map(|retry| {
            let doubling = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
            bank.backoff_base
                .saturating_mul(doubling)
                .min(bank.backoff_max)
        })
        .sum();
    bank.timeout
        .saturating_mul(bank.retries.saturating_add(1))
        .saturating_add(pauses)
}

/// The longest a stage's bank work can take: stage 3's decision wait, plus every bank call
/// it can make at its worst.
pub fn stage_worst_case(bank: &ResilienceSettings, decision_wait: Duration) -> Duration {
    decision_wait.saturating_add(call_worst_case(bank).saturating_mul(CALLS_PER_STAGE))
}

/// The database a `DATABASE_URL` names; printed without its password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// A `sqlite://` or `postgres://` URL, or why it is not one.
    pub fn parse(url: &str) -> Result<Self, ConfigError> {
        crate::store::Backend::of_url(url)
            .map_err(|e| ConfigError(format!("DATABASE_URL: {e}")))?;
        Ok(Self(url.to_owned()))
    }

    /// The URL, for the one place that connects with it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match url::Url::parse(&self.0) {
            Ok(mut url) if url.password().is_some() => {
                let _ = url.set_password(Some("redacted"));
                f.write_str(url.as_str())
            }
            _ => f.write_str(&self.0),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// What the retention job deletes, and how often it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionSettings {
    /// `RETENTION_INTERVAL_SECS`: the pause between two passes (default 3600).
    pub interval: Duration,
    /// The periods: `EXPIRED_SESSION_RETENTION_SECS` (default 86400),
    /// `IDEMPOTENCY_RETENTION_SECS` (default 86400), `DELIVERED_EVENT_RETENTION_DAYS`
    /// (default 30) and `EVIDENCE_RETENTION_DAYS` (default 2557, seven years).
    pub periods: crate::store::RetentionPeriods,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        const DAY: u64 = 86_400;
        Self {
            interval: Duration::from_secs(3600),
            periods: crate::store::RetentionPeriods {
                // A day after expiry: long enough to look into a complaint about a visit
                // the same day, short enough to keep nothing of an abandoned one.
                expired_sessions: Duration::from_secs(DAY),
                // Far beyond any retry of a session that lives two hours.
                idempotency: Duration::from_secs(DAY),
                // A month of delivered events, to answer a partner's "did you send it?".
                delivered_events: Duration::from_secs(30 * DAY),
                // Seven years: the record-keeping period banks commonly keep credit
                // applications and consents for. Set the bank's own.
                evidence: Duration::from_secs(2557 * DAY),
            },
        }
    }
}

/// A secret: usable, but never printed, logged or serialised by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// Whether this build has the bank sandbox inside (the `embedded-sandbox` feature), to run
/// as the bank when `BANK_BASE_URL` is unset.
pub const EMBEDDED_SANDBOX: bool = cfg!(feature = "embedded-sandbox");

/// The bank client id the BFF and its embedded sandbox share when none is set. These demo
/// credentials are published here, so no real bank ever accepts them, and with
/// `BANK_BASE_URL` set they are never used: the bank's must be given.
pub const DEMO_BANK_CLIENT_ID: &str = "bff-demo-client";
/// The bank client secret the BFF and its embedded sandbox share when none is set.
pub const DEMO_BANK_CLIENT_SECRET: &str = "bff-demo-client-secret";
/// The connectFi login the BFF and its embedded sandbox's connectFi share when none is set
/// (connectFi's rules allow letters, digits and `_` only).
pub const DEMO_CONNECTFI_LOGIN: &str = "bff_demo_connectfi";
/// The connectFi password the BFF and its embedded sandbox's connectFi share when none is set.
pub const DEMO_CONNECTFI_PASSWORD: &str = "bff-demo-connectfi-secret";

/// A configuration value that could not be used.
#[derive(Debug)]
pub struct ConfigError(String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Settings {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup`, so tests need not touch the environment.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Result<Self, ConfigError> {
        Self::read(lookup, EMBEDDED_SANDBOX)
    }

    /// Reads the settings for a build with or without the embedded sandbox: without it,
    /// there is no bank unless one is configured.
    fn read(
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
        embedded_sandbox: bool,
    ) -> Result<Self, ConfigError> {
        let environment = Environment(Arc::new(lookup));
        let lookup = |name: &str| environment.get(name);
        let get = |name: &str, default: &str| {
            lookup(name)
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        let listen_addr = get("BFF_LISTEN_ADDR", "127.0.0.1:8080")
            .parse()
            .map_err(|e| {
                ConfigError(format!(
                    "BFF_LISTEN_ADDR is not an address like 127.0.0.1:8080: {e}"
                ))
            })?;
        let metrics_listen_addr = lookup("METRICS_LISTEN_ADDR")
            .filter(|v| !v.trim().is_empty())
            .map(|v| {
                v.trim().parse::<SocketAddr>().map_err(|e| {
                    ConfigError(format!(
                        "METRICS_LISTEN_ADDR is not an address like 127.0.0.1:9090: {e}"
                    ))
                })
            })
            .transpose()?;
        if metrics_listen_addr.is_some_and(|m| m == listen_addr && m.port() != 0) {
            return Err(ConfigError(
                "METRICS_LISTEN_ADDR must differ from BFF_LISTEN_ADDR: metrics are never served on the public listener".into(),
            ));
        }
        let log_format = match get("LOG_FORMAT", "text").trim() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(ConfigError(format!(
                    "LOG_FORMAT must be text or json, not {other:?}"
                )))
            }
        };
        let trusted_proxies = TrustedProxies::parse(&get("TRUSTED_PROXIES", ""))
            .map_err(|e| ConfigError(format!("TRUSTED_PROXIES: {e}")))?;
        let number = |name: &str, default: u64| -> Result<u64, ConfigError> {
            get(name, &default.to_string())
                .parse()
                .map_err(|_| ConfigError(format!("{name} must be a whole number")))
        };
        let public_origin = lookup("PUBLIC_ORIGIN").filter(|v| !v.trim().is_empty());
        if let Some(origin) = &public_origin {
            let bare = url::Url::parse(origin)
                .map(|u| u.origin().ascii_serialization() == *origin)
                .unwrap_or(false);
            if !bare {
                return Err(ConfigError(format!(
                    "PUBLIC_ORIGIN must be a bare origin like https://cards.bank.example (scheme, host, optional port; no path): {origin:?}"
                )));
            }
        }
        let base_url = lookup("BANK_BASE_URL").filter(|v| !v.trim().is_empty());
        match &base_url {
            Some(url) => {
                url::Url::parse(url)
                    .map_err(|e| ConfigError(format!("BANK_BASE_URL is not a URL: {e}")))?;
            }
            None if !embedded_sandbox => {
                return Err(ConfigError(
                    "no bank is configured: set BANK_BASE_URL, BANK_CLIENT_ID and BANK_CLIENT_SECRET (this build has no bank sandbox inside; `cargo xtask demo` runs one built with --features embedded-sandbox)".into(),
                ))
            }
            None => {}
        }
        let (client_id, client_secret) = match (&base_url, lookup("BANK_CLIENT_ID"), lookup("BANK_CLIENT_SECRET")) {
            (_, Some(id), Some(secret)) => (id, secret),
            (None, None, None) => (DEMO_BANK_CLIENT_ID.to_owned(), DEMO_BANK_CLIENT_SECRET.to_owned()),
            _ => return Err(ConfigError("set both BANK_CLIENT_ID and BANK_CLIENT_SECRET (both are required with BANK_BASE_URL)".into())),
        };
        let connectfi_base_url = lookup("CONNECTFI_BASE_URL").filter(|v| !v.trim().is_empty());
        if let Some(url) = &connectfi_base_url {
            url::Url::parse(url)
                .map_err(|e| ConfigError(format!("CONNECTFI_BASE_URL is not a URL: {e}")))?;
        }
        let (connectfi_login, connectfi_password) = match (&connectfi_base_url, lookup("CONNECTFI_LOGIN"), lookup("CONNECTFI_PASSWORD")) {
            (_, Some(login), Some(password)) => (login, password),
            (None, None, None) => (DEMO_CONNECTFI_LOGIN.to_owned(), DEMO_CONNECTFI_PASSWORD.to_owned()),
            _ => return Err(ConfigError("set both CONNECTFI_LOGIN and CONNECTFI_PASSWORD (both are required with CONNECTFI_BASE_URL)".into())),
        };
        let tls = ClientTls::read(|name| lookup(name).filter(|v| !v.trim().is_empty()))
            .map_err(ConfigError)?;
        let defaults = ResilienceSettings::default();
        let millis = |name: &str, default: Duration| -> Result<Duration, ConfigError> {
            Ok(Duration::from_millis(number(
                name,
                u64::try_from(default.as_millis()).unwrap_or(u64::MAX),
            )?))
        };
        let count = |name: &str, default: u32| -> Result<u32, ConfigError> {
            u32::try_from(number(name, default.into())?)
                .map_err(|_| ConfigError(format!("{name} is too large")))
        };
        let resilience = ResilienceSettings {
            timeout: millis("BANK_TIMEOUT_MS", defaults.timeout)?,
            retries: count("BANK_RETRIES", defaults.retries)?,
            backoff_base: millis("BANK_BACKOFF_BASE_MS", defaults.backoff_base)?,
            backoff_max: millis("BANK_BACKOFF_MAX_MS", defaults.backoff_max)?,
            breaker_failures: count("BANK_BREAKER_FAILURES", defaults.breaker_failures)?,
            breaker_cool_down: millis("BANK_BREAKER_COOLDOWN_MS", defaults.breaker_cool_down)?,
        };
        if resilience.timeout.is_zero() {
            return Err(ConfigError(
                "BANK_TIMEOUT_MS must be more than 0: every bank call needs a timeout".into(),
            ));
        }
        if resilience.breaker_failures == 0 {
            return Err(ConfigError(
                "BANK_BREAKER_FAILURES must be at least 1".into(),
            ));
        }
        let limit_defaults = RateLimitSettings::default();
        let rate_limits = RateLimitSettings {
            per_address: count("RATE_LIMIT_PER_ADDRESS", limit_defaults.per_address)?,
            per_partner: count("RATE_LIMIT_PER_PARTNER", limit_defaults.per_partner)?,
            instances: count("BFF_INSTANCES", limit_defaults.instances)?,
        };
        if rate_limits.instances == 0 {
            return Err(ConfigError(
                "BFF_INSTANCES must be at least 1 (the instances sharing the rate limits)".into(),
            ));
        }
        for (name, value) in [
            ("RATE_LIMIT_PER_ADDRESS", rate_limits.per_address),
            ("RATE_LIMIT_PER_PARTNER", rate_limits.per_partner),
        ] {
            if value == 0 {
                return Err(ConfigError(format!(
                    "{name} must be at least 1 (requests a minute)"
                )));
            }
        }
        let webhook_defaults = WebhookSettings::default();
        let webhooks = WebhookSettings {
            max_attempts: count("WEBHOOK_MAX_ATTEMPTS", webhook_defaults.max_attempts)?,
            backoff_base: millis("WEBHOOK_BACKOFF_BASE_MS", webhook_defaults.backoff_base)?,
        };
        if webhooks.max_attempts == 0 || webhooks.backoff_base.is_zero() {
            return Err(ConfigError(
                "WEBHOOK_MAX_ATTEMPTS and WEBHOOK_BACKOFF_BASE_MS must be at least 1".into(),
            ));
        }
        let journey_defaults = JourneySettings::default();
        let journey = JourneySettings {
            decision_wait: Duration::from_millis(number("DECISION_WAIT_MS", 15_000)?),
            session_ttl: Duration::from_secs(number("SESSION_TTL_SECS", 7200)?),
            placement_ttl: Duration::from_secs(number(
                "PLACEMENT_TTL_SECS",
                journey_defaults.placement_ttl.as_secs(),
            )?),
            session_lease: millis("SESSION_LEASE_MS", journey_defaults.session_lease)?,
            request_timeout: millis("REQUEST_TIMEOUT_MS", journey_defaults.request_timeout)?,
            shutdown_grace: millis("SHUTDOWN_GRACE_MS", journey_defaults.shutdown_grace)?,
        };
        if journey.placement_ttl.is_zero() {
            return Err(ConfigError(
                "PLACEMENT_TTL_SECS must be at least 1: a placement token must live long enough to open its page".into(),
            ));
        }
        if journey.session_lease < Duration::from_millis(300) {
            return Err(ConfigError(
                "SESSION_LEASE_MS must be at least 300: the lease is renewed every third of it"
                    .into(),
            ));
        }
        let worst = stage_worst_case(&resilience, journey.decision_wait);
        if journey.request_timeout <= worst {
            return Err(ConfigError(format!(
                "REQUEST_TIMEOUT_MS ({} ms) must be longer than a stage's worst case, {} ms: \
                 DECISION_WAIT_MS plus {CALLS_PER_STAGE} bank calls each through BANK_RETRIES \
                 retries of BANK_TIMEOUT_MS with pauses up to BANK_BACKOFF_MAX_MS. Raise \
                 REQUEST_TIMEOUT_MS or lower those",
                journey.request_timeout.as_millis(),
                worst.as_millis()
            )));
        }
        let retention_defaults = RetentionSettings::default();
        let days = |name: &str, default: Duration| -> Result<Duration, ConfigError> {
            Ok(Duration::from_secs(
                number(name, default.as_secs() / 86_400)?.saturating_mul(86_400),
            ))
        };
        let seconds = |name: &str, default: Duration| -> Result<Duration, ConfigError> {
            Ok(Duration::from_secs(number(name, default.as_secs())?))
        };
        let retention = RetentionSettings {
            interval: seconds("RETENTION_INTERVAL_SECS", retention_defaults.interval)?,
            periods: crate::store::RetentionPeriods {
                expired_sessions: seconds(
                    "EXPIRED_SESSION_RETENTION_SECS",
                    retention_defaults.periods.expired_sessions,
                )?,
                idempotency: seconds(
                    "IDEMPOTENCY_RETENTION_SECS",
                    retention_defaults.periods.idempotency,
                )?,
                delivered_events: days(
                    "DELIVERED_EVENT_RETENTION_DAYS",
                    retention_defaults.periods.delivered_events,
                )?,
                evidence: days(
                    "EVIDENCE_RETENTION_DAYS",
                    retention_defaults.periods.evidence,
                )?,
            },
        };
        if retention.interval.is_zero() {
            return Err(ConfigError(
                "RETENTION_INTERVAL_SECS must be at least 1".into(),
            ));
        }
        if retention.periods.idempotency < journey.session_ttl {
            return Err(ConfigError(
                "IDEMPOTENCY_RETENTION_SECS must be at least SESSION_TTL_SECS: a live session's retry must still find its answer".into(),
            ));
        }
        let fault_hook = lookup("BFF_FAULT_HOOK")
            .filter(|v| !v.trim().is_empty())
            .map(|name| name.parse().map_err(ConfigError))
            .transpose()?;
        if fault_hook.is_some() && !crate::faults::allowed_with_bank(base_url.as_deref()) {
            return Err(ConfigError(
                "BFF_FAULT_HOOK is for the crash tests: it is refused unless BANK_BASE_URL is unset (the embedded sandbox) or on this machine's loopback".into(),
            ));
        }
        Ok(Self {
            listen_addr,
            metrics_listen_addr,
            log_format,
            trusted_proxies,
            fault_hook,
            database_url: DatabaseUrl::parse(&get("DATABASE_URL", "sqlite://bff.db"))?,
            partners_file: get("PARTNERS_FILE", "partners.toml").into(),
            widget_dir: get("WIDGET_DIR", "dist").into(),
            public_origin,
            connectfi: ConnectFiSettings {
                base_url: connectfi_base_url,
                login: connectfi_login,
                password: Secret::new(connectfi_password),
                resilience: resilience.clone(),
                tls: tls.clone(),
            },
            bank: BankSettings {
                base_url,
                client_id,
                client_secret: Secret::new(client_secret),
                resilience,
                tls,
            },
            journey,
            rate_limits,
            retention,
            webhooks,
            environment,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The settings of a build with the embedded sandbox, as the tests run.
    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        settings_of_build(vars, true)
    }

    fn settings_of_build(
        vars: &[(&str, &str)],
        embedded_sandbox: bool,
    ) -> Result<Settings, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::read(move |name| vars.get(name).cloned(), embedded_sandbox)
    }

    #[test]
    fn defaults_to_the_embedded_sandbox() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.bank.base_url, None);
        assert_eq!(s.listen_addr.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn the_embedded_sandbox_is_given_the_bffs_own_demo_credentials() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.bank.client_id, DEMO_BANK_CLIENT_ID);
        assert_eq!(s.bank.client_secret.expose(), DEMO_BANK_CLIENT_SECRET);
        assert_eq!(s.connectfi.login, DEMO_CONNECTFI_LOGIN);
        assert_eq!(s.connectfi.password.expose(), DEMO_CONNECTFI_PASSWORD);
        // connectFi's own rules would refuse a login the sandbox's connectFi could never
        // accept.
        let login = connectfi_api::GetTokenRequest {
            user: connectfi_api::User {
                login: DEMO_CONNECTFI_LOGIN.to_owned(),
                password: DEMO_CONNECTFI_PASSWORD.to_owned(),
            },
        };
        assert_eq!(login.validate().err().map(|f| f.field), None);
    }

    #[test]
    fn without_the_embedded_sandbox_a_bank_must_be_configured() {
        let err = settings_of_build(&[], false).unwrap_err().to_string();
        for setting in ["BANK_BASE_URL", "BANK_CLIENT_ID", "BANK_CLIENT_SECRET"] {
            assert!(err.contains(setting), "{err}");
        }
        // Credentials alone are not a bank.
        assert!(settings_of_build(
            &[("BANK_CLIENT_ID", "id"), ("BANK_CLIENT_SECRET", "s")],
            false
        )
        .is_err());
        let s = settings_of_build(
            &[
                ("BANK_BASE_URL", "https://bank.example/api"),
                ("BANK_CLIENT_ID", "id"),
                ("BANK_CLIENT_SECRET", "s"),
            ],
            false,
        )
        .unwrap();
        assert_eq!(s.bank.base_url.as_deref(), Some("https://bank.example/api"));
    }

    #[test]
    fn the_environment_is_read_for_this_build() {
        let nothing_set = Settings::from_lookup(|_| None);
        assert_eq!(nothing_set.is_ok(), EMBEDDED_SANDBOX);
    }

    #[test]
    fn a_real_bank_needs_credentials() {
        let err = settings(&[("BANK_BASE_URL", "https://bank.example/api")]).unwrap_err();
        assert!(err.to_string().contains("BANK_CLIENT_SECRET"));
        assert!(settings(&[
            ("BANK_BASE_URL", "https://bank.example/api"),
            ("BANK_CLIENT_ID", "id"),
            ("BANK_CLIENT_SECRET", "s")
        ])
        .is_ok());
    }

    #[test]
    fn the_secret_never_prints() {
        let s = settings(&[("BANK_CLIENT_ID", "id"), ("BANK_CLIENT_SECRET", "hunter2")]).unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn resilience_has_defaults_and_reads_every_variable() {
        assert_eq!(
            settings(&[]).unwrap().bank.resilience,
            ResilienceSettings::default()
        );
        let s = settings(&[
            ("BANK_TIMEOUT_MS", "500"),
            ("BANK_RETRIES", "0"),
            ("BANK_BACKOFF_BASE_MS", "10"),
            ("BANK_BACKOFF_MAX_MS", "40"),
            ("BANK_BREAKER_FAILURES", "3"),
            ("BANK_BREAKER_COOLDOWN_MS", "700"),
        ])
        .unwrap();
        assert_eq!(
            s.bank.resilience,
            ResilienceSettings {
                timeout: Duration::from_millis(500),
                retries: 0,
                backoff_base: Duration::from_millis(10),
                backoff_max: Duration::from_millis(40),
                breaker_failures: 3,
                breaker_cool_down: Duration::from_millis(700),
            }
        );
        let err = settings(&[("BANK_TIMEOUT_MS", "0")]).unwrap_err();
        assert!(err.to_string().contains("BANK_TIMEOUT_MS"));
        let err = settings(&[("BANK_BREAKER_FAILURES", "0")]).unwrap_err();
        assert!(err.to_string().contains("BANK_BREAKER_FAILURES"));
        let err = settings(&[("BANK_RETRIES", "99999999999")]).unwrap_err();
        assert!(err.to_string().contains("BANK_RETRIES"));
    }

    #[test]
    fn the_public_origin_is_a_bare_origin() {
        assert_eq!(settings(&[]).unwrap().public_origin, None);
        let s = settings(&[("PUBLIC_ORIGIN", "https://cards.bank.example")]).unwrap();
        assert_eq!(
            s.public_origin.as_deref(),
            Some("https://cards.bank.example")
        );
        for bad in [
            "https://cards.bank.example/",
            "https://cards.bank.example/apply",
            "cards.bank.example",
            "HTTPS://Cards.bank.example",
        ] {
            let err = settings(&[("PUBLIC_ORIGIN", bad)]).unwrap_err();
            assert!(err.to_string().contains("PUBLIC_ORIGIN"), "{bad}");
        }
    }

    #[test]
    fn rate_limits_have_defaults_and_must_allow_something() {
        assert_eq!(
            settings(&[]).unwrap().rate_limits,
            RateLimitSettings::default()
        );
        let s = settings(&[
            ("RATE_LIMIT_PER_ADDRESS", "10"),
            ("RATE_LIMIT_PER_PARTNER", "20"),
        ])
        .unwrap();
        assert_eq!(
            s.rate_limits,
            RateLimitSettings {
                per_address: 10,
                per_partner: 20,
                instances: 1
            }
        );
        let err = settings(&[("RATE_LIMIT_PER_PARTNER", "0")]).unwrap_err();
        assert!(err.to_string().contains("RATE_LIMIT_PER_PARTNER"));
    }

    #[test]
    fn webhook_retries_have_defaults_and_read_their_variables() {
        assert_eq!(settings(&[]).unwrap().webhooks, WebhookSettings::default());
        let s = settings(&[
            ("WEBHOOK_MAX_ATTEMPTS", "3"),
            ("WEBHOOK_BACKOFF_BASE_MS", "50"),
        ])
        .unwrap();
        assert_eq!(
            s.webhooks,
            WebhookSettings {
                max_attempts: 3,
                backoff_base: Duration::from_millis(50)
            }
        );
        let err = settings(&[("WEBHOOK_MAX_ATTEMPTS", "0")]).unwrap_err();
        assert!(err.to_string().contains("WEBHOOK_MAX_ATTEMPTS"));
    }

    #[test]
    fn operations_settings_have_defaults_and_name_their_variable() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.metrics_listen_addr, None);
        assert_eq!(s.log_format, LogFormat::Text);
        assert!(s.trusted_proxies.is_empty());
        let s = settings(&[
            ("METRICS_LISTEN_ADDR", "0.0.0.0:9090"),
            ("LOG_FORMAT", "json"),
            ("TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::/32"),
        ])
        .unwrap();
        assert_eq!(
            s.metrics_listen_addr.map(|a| a.to_string()).as_deref(),
            Some("0.0.0.0:9090")
        );
        assert_eq!(s.log_format, LogFormat::Json);
        assert!(s.trusted_proxies.contains("10.1.2.3".parse().unwrap()));
        for (name, bad) in [
            ("METRICS_LISTEN_ADDR", "localhost"),
            ("LOG_FORMAT", "JSON lines"),
            ("TRUSTED_PROXIES", "10.0.0.0/8,lb.internal"),
        ] {
            let err = settings(&[(name, bad)]).unwrap_err().to_string();
            assert!(err.contains(name), "{name}: {err}");
        }
        let err = settings(&[("TRUSTED_PROXIES", "10.0.0.0/8,lb.internal")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("lb.internal"), "{err}");
        let err = settings(&[
            ("BFF_LISTEN_ADDR", "127.0.0.1:8080"),
            ("METRICS_LISTEN_ADDR", "127.0.0.1:8080"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("METRICS_LISTEN_ADDR"), "{err}");
    }

    #[test]
    fn the_request_timeout_must_outlast_a_stages_worst_case() {
        let defaults = settings(&[]).unwrap();
        let worst = stage_worst_case(&defaults.bank.resilience, defaults.journey.decision_wait);
        assert!(defaults.journey.request_timeout > worst, "{worst:?}");
        // Defaults: 15 s + 7 × (3 × 5 s + 200 ms + 400 ms).
        assert_eq!(worst, Duration::from_millis(15_000 + 7 * 15_600));
        let err = settings(&[("REQUEST_TIMEOUT_MS", "60000")])
            .unwrap_err()
            .to_string();
        for named in [
            "REQUEST_TIMEOUT_MS",
            "124200 ms",
            "DECISION_WAIT_MS",
            "BANK_TIMEOUT_MS",
            "BANK_RETRIES",
        ] {
            assert!(err.contains(named), "{named}: {err}");
        }
        let err = settings(&[("BANK_TIMEOUT_MS", "20000")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("REQUEST_TIMEOUT_MS"), "{err}");
        assert!(settings(&[
            ("BANK_TIMEOUT_MS", "20000"),
            ("REQUEST_TIMEOUT_MS", "500000")
        ])
        .is_ok());
        let err = settings(&[("SESSION_LEASE_MS", "100")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("SESSION_LEASE_MS"), "{err}");
    }

    #[test]
    fn retention_periods_have_defaults_and_read_their_variables() {
        let defaults = settings(&[]).unwrap();
        assert_eq!(defaults.retention, RetentionSettings::default());
        let s = settings(&[
            ("RETENTION_INTERVAL_SECS", "60"),
            ("EXPIRED_SESSION_RETENTION_SECS", "10"),
            ("IDEMPOTENCY_RETENTION_SECS", "7200"),
            ("DELIVERED_EVENT_RETENTION_DAYS", "2"),
            ("EVIDENCE_RETENTION_DAYS", "3650"),
        ])
        .unwrap();
        assert_eq!(s.retention.interval, Duration::from_secs(60));
        assert_eq!(
            s.retention.periods.expired_sessions,
            Duration::from_secs(10)
        );
        assert_eq!(
            s.retention.periods.delivered_events,
            Duration::from_secs(2 * 86_400)
        );
        assert_eq!(
            s.retention.periods.evidence,
            Duration::from_secs(3650 * 86_400)
        );
        let err = settings(&[("IDEMPOTENCY_RETENTION_SECS", "60")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("SESSION_TTL_SECS"), "{err}");
    }

    #[test]
    fn the_database_url_names_its_engine_and_hides_its_password() {
        let s = settings(&[("DATABASE_URL", "postgres://bff:hunter2@db.internal/cards")]).unwrap();
        assert_eq!(
            s.database_url.expose(),
            "postgres://bff:hunter2@db.internal/cards"
        );
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!s.database_url.to_string().contains("hunter2"));
        let err = settings(&[("DATABASE_URL", "mysql://db/cards")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("DATABASE_URL"), "{err}");
    }

    #[test]
    fn a_fault_hook_is_refused_with_a_real_bank() {
        assert!(settings(&[("BFF_FAULT_HOOK", "after-decision")]).is_ok());
        let err = settings(&[
            ("BFF_FAULT_HOOK", "after-decision"),
            ("BANK_BASE_URL", "https://api.bank.example/api"),
            ("BANK_CLIENT_ID", "id"),
            ("BANK_CLIENT_SECRET", "s"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("BFF_FAULT_HOOK"), "{err}");
        let err = settings(&[("BFF_FAULT_HOOK", "sometimes")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("BFF_FAULT_HOOK"), "{err}");
    }

    #[test]
    fn bad_numbers_are_named() {
        let err = settings(&[("DECISION_WAIT_MS", "soon")]).unwrap_err();
        assert!(err.to_string().contains("DECISION_WAIT_MS"));
    }
}

//! The sandbox's settings: the one client it knows, its timings and whether it honours
//! `uuid` as an idempotency key. The markets it serves are not a setting; they are the
//! bank's, in `markets.rs`.

use std::env::VarError;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Credentials of the one registered client, the sandbox's timings and its `uuid` rule.
#[derive(Clone, PartialEq, Eq)]
pub struct SandboxConfig {
    /// The client id a partner receives at registration (`client_id` header, Basic user).
    pub client_id: String,
    /// The client secret (Basic password on the token endpoint).
    pub client_secret: String,
    /// How long after the screening request the background screening completes.
    pub screening_delay: Duration,
    /// Lifetime of issued access tokens.
    pub token_lifetime: Duration,
    /// Added to every bank call, to try a client's timeouts (0: none).
    pub latency: Duration,
    /// Every n-th bank call answers `500 serverUnavailable` (0: never), to try a client's
    /// retries and circuit breaker.
    pub fail_every: u64,
    /// The one connectFi user's login (`user.login` of `/auth/get-token`).
    pub connectfi_login: String,
    /// That user's password.
    pub connectfi_password: String,
    /// Whether a create, prospect, IPA or save for later repeated with its `uuid` answers
    /// what the first one did; off, the `uuid` is only for tracing, as the bank documents it.
    pub uuid_deduplication: bool,
}

// Secrets stay out of logs and panic messages that print the configuration.
impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("screening_delay", &self.screening_delay)
            .field("token_lifetime", &self.token_lifetime)
            .field("latency", &self.latency)
            .field("fail_every", &self.fail_every)
            .field("connectfi_login", &self.connectfi_login)
            .field("connectfi_password", &"<redacted>")
            .field("uuid_deduplication", &self.uuid_deduplication)
            .finish()
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            client_id: "sandbox-client".to_owned(),
            client_secret: "sandbox-secret".to_owned(),
            screening_delay: Duration::from_millis(300),
            // The bank's access tokens live 30 minutes.
            token_lifetime: Duration::from_secs(1800),
            latency: Duration::ZERO,
            fail_every: 0,
            connectfi_login: "sandbox_connectfi".to_owned(),
            connectfi_password: "sandbox-connectfi-secret".to_owned(),
            // On: the sandbox's clients retry a lost answer with its uuid and rely on getting
            // the first result; off shows them the bank as documented.
            uuid_deduplication: true,
        }
    }
}

impl SandboxConfig {
    /// Reads `SANDBOX_CLIENT_ID`, `SANDBOX_CLIENT_SECRET`, `SANDBOX_SCREENING_DELAY_MS`,
    /// `SANDBOX_TOKEN_LIFETIME_SECS`, `SANDBOX_LATENCY_MS`, `SANDBOX_FAIL_EVERY`,
    /// `SANDBOX_CONNECTFI_LOGIN`, `SANDBOX_CONNECTFI_PASSWORD` and
    /// `SANDBOX_UUID_DEDUPLICATION`; an unset variable keeps its default.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| match std::env::var(name) {
            Ok(value) => Ok(Some(value)),
            Err(VarError::NotPresent) => Ok(None),
            Err(VarError::NotUnicode(_)) => Err(format!("{name} is not valid UTF-8")),
        })
    }

    /// The environment is read through `lookup` so tests need not mutate the process's.
    fn from_lookup(
        lookup: impl Fn(&str) -> Result<Option<String>, String>,
    ) -> Result<Self, String> {
        let mut config = Self::default();
        if let Some(id) = lookup("SANDBOX_CLIENT_ID")? {
            config.client_id = non_empty("SANDBOX_CLIENT_ID", id)?;
        }
        if let Some(secret) = lookup("SANDBOX_CLIENT_SECRET")? {
            config.client_secret = non_empty("SANDBOX_CLIENT_SECRET", secret)?;
        }
        if let Some(ms) = lookup("SANDBOX_SCREENING_DELAY_MS")? {
            config.screening_delay =
                Duration::from_millis(number("SANDBOX_SCREENING_DELAY_MS", &ms, "milliseconds")?);
        }
        if let Some(secs) = lookup("SANDBOX_TOKEN_LIFETIME_SECS")? {
            config.token_lifetime =
                Duration::from_secs(number("SANDBOX_TOKEN_LIFETIME_SECS", &secs, "seconds")?);
        }
        if let Some(ms) = lookup("SANDBOX_LATENCY_MS")? {
            config.latency =
                Duration::from_millis(number("SANDBOX_LATENCY_MS", &ms, "milliseconds")?);
        }
        if let Some(n) = lookup("SANDBOX_FAIL_EVERY")? {
            config.fail_every = number("SANDBOX_FAIL_EVERY", &n, "calls")?;
        }
        if let Some(login) = lookup("SANDBOX_CONNECTFI_LOGIN")? {
            config.connectfi_login = login;
        }
        if let Some(password) = lookup("SANDBOX_CONNECTFI_PASSWORD")? {
            config.connectfi_password = password;
        }
        if let Some(flag) = lookup("SANDBOX_UUID_DEDUPLICATION")? {
            config.uuid_deduplication = boolean("SANDBOX_UUID_DEDUPLICATION", &flag)?;
        }
        // Credentials connectFi's own rules refuse could never log in: say so at start-up.
        connectfi_api::GetTokenRequest {
            user: connectfi_api::User {
                login: config.connectfi_login.clone(),
                password: config.connectfi_password.clone(),
            },
        }
        .validate()
        .map_err(|failure| {
            let name = if failure.field == "user.login" {
                "SANDBOX_CONNECTFI_LOGIN"
            } else {
                "SANDBOX_CONNECTFI_PASSWORD"
            };
            format!(
                "{name} is not a valid connectFi credential: {}",
                failure.rule
            )
        })?;
        Ok(config)
    }
}

/// The files of the sandbox's TLS: its certificate and key, and the CA whose client
/// certificates it requires, as the bank's production API requires one (mutual TLS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsConfig {
    /// `SANDBOX_TLS_CERT`: the sandbox's certificate chain, PEM.
    pub certificate: PathBuf,
    /// `SANDBOX_TLS_KEY`: its private key, PEM. The path is printed, never the key.
    pub key: PathBuf,
    /// `SANDBOX_TLS_CLIENT_CA`: the CA certificates, PEM, one of which must have issued
    /// every client's certificate. Unset: no client certificate is asked for.
    pub client_ca: Option<PathBuf>,
}

impl TlsConfig {
    /// Reads `SANDBOX_TLS_CERT`, `SANDBOX_TLS_KEY` and `SANDBOX_TLS_CLIENT_CA`. None set:
    /// the sandbox serves plain HTTP.
    pub fn from_env() -> Result<Option<Self>, String> {
        Self::from_lookup(|name| match std::env::var(name) {
            Ok(value) => Ok(Some(value)),
            Err(VarError::NotPresent) => Ok(None),
            Err(VarError::NotUnicode(_)) => Err(format!("{name} is not valid UTF-8")),
        })
    }

    fn from_lookup(
        lookup: impl Fn(&str) -> Result<Option<String>, String>,
    ) -> Result<Option<Self>, String> {
        let path = |name: &str| -> Result<Option<PathBuf>, String> {
            Ok(lookup(name)?.map(|value| PathBuf::from(value.trim())))
        };
        match (
            path("SANDBOX_TLS_CERT")?,
            path("SANDBOX_TLS_KEY")?,
            path("SANDBOX_TLS_CLIENT_CA")?,
        ) {
            (None, None, None) => Ok(None),
            (Some(certificate), Some(key), client_ca) => Ok(Some(Self {
                certificate,
                key,
                client_ca,
            })),
            (None, _, _) => Err(
                "SANDBOX_TLS_CERT is not set: serving over TLS needs the sandbox's certificate"
                    .to_owned(),
            ),
            (Some(_), None, _) => {
                Err("SANDBOX_TLS_KEY is not set: SANDBOX_TLS_CERT needs its private key".to_owned())
            }
        }
    }
}

fn non_empty(name: &str, value: String) -> Result<String, String> {
    if value.trim().is_empty() {
        Err(format!("{name} must not be empty"))
    } else {
        Ok(value)
    }
}

fn boolean(name: &str, value: &str) -> Result<bool, String> {
    match value.trim() {
        v if v.eq_ignore_ascii_case("true") => Ok(true),
        v if v.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(format!("{name} must be true or false, got {value:?}")),
    }
}

fn number(name: &str, value: &str, unit: &str) -> Result<u64, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("{name} must be a whole number of {unit} (0 or more), got {value:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(vars: &[(&str, &str)]) -> Result<SandboxConfig, String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        SandboxConfig::from_lookup(|name| Ok(vars.get(name).cloned()))
    }

    #[test]
    fn unset_variables_keep_the_defaults() {
        assert_eq!(from(&[]), Ok(SandboxConfig::default()));
        let default = SandboxConfig::default();
        assert_eq!(default.client_id, "sandbox-client");
        assert_eq!(default.client_secret, "sandbox-secret");
        assert_eq!(default.screening_delay, Duration::from_millis(300));
        assert_eq!(default.token_lifetime, Duration::from_secs(1800));
        assert_eq!(default.connectfi_login, "sandbox_connectfi");
        assert_eq!(default.connectfi_password, "sandbox-connectfi-secret");
        assert!(default.uuid_deduplication);
    }

    #[test]
    fn every_variable_is_read() {
        let config = from(&[
            ("SANDBOX_CLIENT_ID", "partner"),
            ("SANDBOX_CLIENT_SECRET", "s3cret"),
            ("SANDBOX_SCREENING_DELAY_MS", "0"),
            ("SANDBOX_TOKEN_LIFETIME_SECS", "60"),
            ("SANDBOX_LATENCY_MS", "250"),
            ("SANDBOX_FAIL_EVERY", "3"),
            ("SANDBOX_CONNECTFI_LOGIN", "partner_7"),
            ("SANDBOX_CONNECTFI_PASSWORD", "cf p@ss"),
            ("SANDBOX_UUID_DEDUPLICATION", "false"),
        ])
        .unwrap();
        assert_eq!(
            config,
            SandboxConfig {
                client_id: "partner".into(),
                client_secret: "s3cret".into(),
                screening_delay: Duration::ZERO,
                token_lifetime: Duration::from_secs(60),
                latency: Duration::from_millis(250),
                fail_every: 3,
                connectfi_login: "partner_7".into(),
                connectfi_password: "cf p@ss".into(),
                uuid_deduplication: false,
            }
        );
    }

    #[test]
    fn connectfi_credentials_follow_connectfis_rules() {
        let err = from(&[("SANDBOX_CONNECTFI_LOGIN", "")]).unwrap_err();
        assert!(err.contains("SANDBOX_CONNECTFI_LOGIN"), "{err}");
        let err = from(&[("SANDBOX_CONNECTFI_LOGIN", "has-dash")]).unwrap_err();
        assert!(err.contains("SANDBOX_CONNECTFI_LOGIN"), "{err}");
        let err = from(&[("SANDBOX_CONNECTFI_PASSWORD", "")]).unwrap_err();
        assert!(err.contains("SANDBOX_CONNECTFI_PASSWORD"), "{err}");
        let long = "p".repeat(51);
        let err = from(&[("SANDBOX_CONNECTFI_PASSWORD", long.as_str())]).unwrap_err();
        assert!(err.contains("SANDBOX_CONNECTFI_PASSWORD"), "{err}");
    }

    #[test]
    fn debug_output_hides_both_secrets() {
        let config = from(&[
            ("SANDBOX_CLIENT_SECRET", "bank-s3cret"),
            ("SANDBOX_CONNECTFI_PASSWORD", "cf-s3cret"),
        ])
        .unwrap();
        let debug = format!("{config:?}");
        assert!(!debug.contains("bank-s3cret"), "{debug}");
        assert!(!debug.contains("cf-s3cret"), "{debug}");
        assert!(debug.contains("sandbox-client"), "{debug}");
        assert!(debug.contains("sandbox_connectfi"), "{debug}");
    }

    #[test]
    fn bad_numbers_and_empty_credentials_are_refused_by_name() {
        let err = from(&[("SANDBOX_SCREENING_DELAY_MS", "fast")]).unwrap_err();
        assert!(err.contains("SANDBOX_SCREENING_DELAY_MS"), "{err}");
        let err = from(&[("SANDBOX_TOKEN_LIFETIME_SECS", "-1")]).unwrap_err();
        assert!(err.contains("SANDBOX_TOKEN_LIFETIME_SECS"), "{err}");
        let err = from(&[("SANDBOX_FAIL_EVERY", "often")]).unwrap_err();
        assert!(err.contains("SANDBOX_FAIL_EVERY"), "{err}");
        let err = from(&[("SANDBOX_CLIENT_ID", " ")]).unwrap_err();
        assert!(err.contains("SANDBOX_CLIENT_ID"), "{err}");
    }

    fn tls(vars: &[(&str, &str)]) -> Result<Option<TlsConfig>, String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        TlsConfig::from_lookup(|name| Ok(vars.get(name).cloned()))
    }

    #[test]
    fn tls_is_off_unless_a_certificate_and_its_key_are_named() {
        assert_eq!(tls(&[]), Ok(None));
        assert_eq!(
            tls(&[
                ("SANDBOX_TLS_CERT", "server.pem"),
                ("SANDBOX_TLS_KEY", "server.key"),
            ]),
            Ok(Some(TlsConfig {
                certificate: "server.pem".into(),
                key: "server.key".into(),
                client_ca: None,
            }))
        );
        let config = tls(&[
            ("SANDBOX_TLS_CERT", "server.pem"),
            ("SANDBOX_TLS_KEY", "server.key"),
            ("SANDBOX_TLS_CLIENT_CA", "clients.pem"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(config.client_ca, Some("clients.pem".into()));
        let err = tls(&[("SANDBOX_TLS_CERT", "server.pem")]).unwrap_err();
        assert!(err.starts_with("SANDBOX_TLS_KEY"), "{err}");
        for alone in ["SANDBOX_TLS_KEY", "SANDBOX_TLS_CLIENT_CA"] {
            let err = tls(&[(alone, "some.pem")]).unwrap_err();
            assert!(err.starts_with("SANDBOX_TLS_CERT"), "{err}");
        }
    }

    #[test]
    fn uuid_deduplication_is_true_or_false_and_nothing_else() {
        for (value, expected) in [("true", true), ("false", false), (" FALSE ", false)] {
            let config = from(&[("SANDBOX_UUID_DEDUPLICATION", value)]).unwrap();
            assert_eq!(config.uuid_deduplication, expected, "{value:?}");
        }
        for value in ["yes", "0", "off", ""] {
            let err = from(&[("SANDBOX_UUID_DEDUPLICATION", value)]).unwrap_err();
            assert!(err.contains("SANDBOX_UUID_DEDUPLICATION"), "{err}");
            assert!(err.contains("true or false"), "{err}");
        }
    }
}

//! The bank's production API requires mutual TLS: the BFF presents the client certificate of
//! `BANK_CLIENT_CERT` and `BANK_CLIENT_KEY`, to the bank and to connectFi alike, and trusts
//! the private CA of `BANK_CA`. The sandbox serves over TLS and requires a client certificate
//! its client CA issued; certificates are made for each test.

use crate::connectfi::decided;
use crate::helpers::{
    spawn_app_on, start_bff, Bank, TestApp, MARKET, PARTNER, PARTNERS_FILE, RETURN_URL,
};
use crate::operations::sample;
use bank_api::paths;
use bank_sandbox::TlsConfig;
use onboarding_core::api::ErrorCode;
use onboarding_core::Decision;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair,
};
use std::path::PathBuf;
use tempfile::TempDir;

/// Quick retries: a refused handshake is retried like any unreachable bank, in milliseconds.
const QUICK_RETRIES: [(&str, &str); 3] = [
    ("BANK_RETRIES", "1"),
    ("BANK_BACKOFF_BASE_MS", "10"),
    ("BANK_BACKOFF_MAX_MS", "20"),
];

/// The certificates of a bank's onboarding, as PEM files: the private CA of the bank's
/// server certificate, the CA of its clients' certificates with one it issued to this
/// partner, and a client certificate another CA issued.
struct Pki {
    dir: TempDir,
}

impl Pki {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let server_ca = ca("Bank Server CA");
        let client_ca = ca("Bank Client CA");
        let other_ca = ca("Another CA");
        let server = issue(
            &["127.0.0.1", "localhost"],
            ExtendedKeyUsagePurpose::ServerAuth,
            &server_ca,
        );
        let client = issue(
            &["bff.partner.test"],
            ExtendedKeyUsagePurpose::ClientAuth,
            &client_ca,
        );
        let stranger = issue(
            &["bff.partner.test"],
            ExtendedKeyUsagePurpose::ClientAuth,
            &other_ca,
        );
        for (name, pem) in [
            ("server-ca.pem", server_ca.pem()),
            ("client-ca.pem", client_ca.pem()),
            ("server.pem", server.0),
            ("server.key", server.1),
            ("client.pem", client.0),
            ("client.key", client.1),
            ("stranger.pem", stranger.0),
            ("stranger.key", stranger.1),
        ] {
            std::fs::write(dir.path().join(name), pem).unwrap();
        }
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn var(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }

    /// The sandbox's TLS, as `SANDBOX_TLS_CERT`, `SANDBOX_TLS_KEY` and
    /// `SANDBOX_TLS_CLIENT_CA` would name it.
    fn bank(&self) -> TlsConfig {
        TlsConfig {
            certificate: self.path("server.pem"),
            key: self.path("server.key"),
            client_ca: Some(self.path("client-ca.pem")),
        }
    }
}

fn ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// A certificate for `names`, issued by `ca`, and its key: PEM.
fn issue(
    names: &[&str],
    purpose: ExtendedKeyUsagePurpose,
    ca: &CertifiedIssuer<'static, KeyPair>,
) -> (String, String) {
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let mut params = CertificateParams::new(names).unwrap();
    params.extended_key_usages = vec![purpose];
    let key = KeyPair::generate().unwrap();
    let certificate = params.signed_by(&key, ca).unwrap();
    (certificate.pem(), key.serialize_pem())
}

/// A BFF talking to a sandbox that requires a client certificate, with these settings.
async fn spawn_app_presenting(pki: &Pki, vars: &[(&'static str, String)]) -> TestApp {
    let bank = Bank::spawn_over_tls(&pki.bank()).await;
    assert!(bank.origin.starts_with("https://"), "{}", bank.origin);
    let vars: Vec<(&'static str, &str)> = QUICK_RETRIES
        .iter()
        .copied()
        .chain(vars.iter().map(|(k, v)| (*k, v.as_str())))
        .collect();
    spawn_app_on(bank, PARTNERS_FILE, &vars).await
}

/// The settings of a BFF presenting the certificate `name` (`client` or `stranger`) and
/// trusting the bank's private CA.
fn presenting(pki: &Pki, name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("BANK_CLIENT_CERT", pki.var(&format!("{name}.pem"))),
        ("BANK_CLIENT_KEY", pki.var(&format!("{name}.key"))),
        ("BANK_CA", pki.var("server-ca.pem")),
    ]
}

/// A customer starting a session is told the bank is unavailable, and may retry; the bank's
/// routes saw no call, and every attempt the BFF made ended unreachable.
async fn refused_before_any_call(app: &TestApp) {
    let answer = app.start_session_with(PARTNER, MARKET, RETURN_URL).await;
    let error = answer.refused_with(ErrorCode::BankUnavailable);
    assert!(error.retryable, "{}", answer.body);
    assert_eq!(app.bank.calls_total(), 0, "a call got past the handshake");
    let metrics = app.metrics();
    let attempts = "bff_upstream_attempts_total";
    let unreachable = sample(
        &metrics,
        attempts,
        &[("upstream", "bank"), ("outcome", "unreachable")],
    );
    // Retried like any unreachable bank: at least the token's two attempts.
    assert!(unreachable >= 2.0, "{metrics}");
    assert_eq!(
        sample(&metrics, attempts, &[("upstream", "bank")]),
        unreachable,
        "{metrics}"
    );
}

#[tokio::test]
async fn with_the_certificate_the_bank_issued_a_customer_completes_the_journey() {
    let pki = Pki::new();
    let app = spawn_app_presenting(&pki, &presenting(&pki, "client")).await;
    let customer = app.through_identity("Tan").await;
    app.finances_approved(&customer.token, &customer.reference, &customer.journey)
        .await;
    assert_eq!(app.bank.calls_to("POST", paths::APPLICATIONS), 1);
}

#[tokio::test]
async fn connectfi_is_called_with_the_same_certificate() {
    let pki = Pki::new();
    let app = spawn_app_presenting(&pki, &presenting(&pki, "client")).await;
    let decision = decided(&app, "cstap_7uvAC6nLftLGCq7yic3TfI", "EMPLOYED", "60000").await;
    assert!(
        matches!(decision, Decision::Approved { .. }),
        "{decision:?}"
    );
    assert_eq!(
        app.bank
            .connectfi_calls_to(connectfi_api::paths::CREDIT_APPLICATION),
        1
    );
}

#[tokio::test]
async fn without_a_client_certificate_the_handshake_is_refused_and_the_bank_is_unavailable() {
    let pki = Pki::new();
    let app = spawn_app_presenting(&pki, &[("BANK_CA", pki.var("server-ca.pem"))]).await;
    refused_before_any_call(&app).await;
}

#[tokio::test]
async fn a_certificate_another_ca_issued_is_refused_and_the_bank_is_unavailable() {
    let pki = Pki::new();
    let app = spawn_app_presenting(&pki, &presenting(&pki, "stranger")).await;
    refused_before_any_call(&app).await;
}

#[tokio::test]
async fn without_bank_ca_the_bff_does_not_trust_the_banks_private_certificate() {
    let pki = Pki::new();
    let mut vars = presenting(&pki, "client");
    vars.retain(|(name, _)| *name != "BANK_CA");
    let app = spawn_app_presenting(&pki, &vars).await;
    refused_before_any_call(&app).await;
}

#[tokio::test]
async fn a_key_that_is_not_the_certificates_stops_the_bff_naming_bank_client_key() {
    let pki = Pki::new();
    let run = start_bff(&[
        ("BANK_CLIENT_CERT", &pki.var("client.pem")),
        ("BANK_CLIENT_KEY", &pki.var("stranger.key")),
    ])
    .await;
    assert!(!run.listened, "{}", run.printed);
    let exited = run.exited.expect("the bff stops at once");
    assert!(!exited.success());
    let printed = run.printed;
    assert!(
        printed.contains("bff: BANK_CLIENT_KEY: ") && printed.contains("not the private key"),
        "{printed}"
    );
    let key = std::fs::read_to_string(pki.path("stranger.key")).unwrap();
    for line in key.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!printed.contains(line), "the key was printed: {printed}");
    }
}

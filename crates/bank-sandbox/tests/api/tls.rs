//! The sandbox binary over TLS, requiring client certificates as the bank's production API
//! does (mutual TLS).

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, ExtendedKeyUsagePurpose, IsCa, KeyPair,
};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

/// A CA, and a certificate it issued for `name` with `purpose`, with its key: PEM.
struct Issued {
    ca: String,
    certificate: String,
    key: String,
}

fn issue(name: &str, purpose: ExtendedKeyUsagePurpose) -> Issued {
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let mut params = CertificateParams::new(vec![name.to_owned()]).unwrap();
    params.extended_key_usages = vec![purpose];
    let key = KeyPair::generate().unwrap();
    let certificate = params.signed_by(&key, &ca).unwrap();
    Issued {
        ca: ca.pem(),
        certificate: certificate.pem(),
        key: key.serialize_pem(),
    }
}

/// A server certificate for the sandbox on 127.0.0.1, from a CA of its own.
fn server_certificate() -> Issued {
    issue("127.0.0.1", ExtendedKeyUsagePurpose::ServerAuth)
}

/// A BFF's client certificate, from a CA of its own.
fn bff_certificate() -> Issued {
    issue("bff.partner.test", ExtendedKeyUsagePurpose::ClientAuth)
}

fn write(dir: &Path, name: &str, pem: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, pem).unwrap();
    path.display().to_string()
}

/// The sandbox binary with these variables, on a free port.
fn sandbox(vars: &[(&str, &str)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_bank-sandbox"))
        .env("SANDBOX_LISTEN_ADDR", "127.0.0.1:0")
        .envs(vars.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the sandbox binary starts")
}

/// The address of the "listening" line.
async fn listening(child: &mut Child) -> String {
    let stdout = child.stdout.take().unwrap();
    let line = tokio::time::timeout(Duration::from_secs(10), async {
        BufReader::new(stdout).lines().next_line().await
    })
    .await
    .expect("the sandbox listens within 10 s")
    .unwrap()
    .expect("a listening line");
    line.strip_prefix("bank sandbox listening on ")
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned()
}

fn client(ca: &str, identity: Option<&Issued>) -> reqwest::Client {
    let mut client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(ca.as_bytes()).unwrap())
        .timeout(Duration::from_secs(5));
    if let Some(issued) = identity {
        let pem = format!("{}{}", issued.certificate, issued.key);
        client = client.identity(reqwest::Identity::from_pem(pem.as_bytes()).unwrap());
    }
    client.build().unwrap()
}

/// Asserts that a client with `identity`, trusting `ca`, is served at `url`: the answer.
async fn served(ca: &str, identity: &Issued, url: &str) -> reqwest::Response {
    let answer = client(ca, Some(identity)).get(url).send().await.unwrap();
    assert_eq!(answer.status(), reqwest::StatusCode::OK);
    answer
}

#[tokio::test]
async fn over_tls_the_sandbox_serves_only_clients_whose_certificate_its_client_ca_issued() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let server = server_certificate();
    let bff = bff_certificate();
    let stranger = bff_certificate();
    let mut child = sandbox(&[
        (
            "SANDBOX_TLS_CERT",
            &write(dir, "server.pem", &server.certificate),
        ),
        ("SANDBOX_TLS_KEY", &write(dir, "server.key", &server.key)),
        ("SANDBOX_TLS_CLIENT_CA", &write(dir, "clients.pem", &bff.ca)),
    ]);
    let origin = listening(&mut child).await;
    assert!(origin.starts_with("https://127.0.0.1:"), "{origin}");
    let url = format!("{origin}/sandbox/applications");

    let answer = served(&server.ca, &bff, &url).await;
    assert_eq!(answer.text().await.unwrap(), "[]");

    for (who, identity) in [
        ("no certificate", None),
        ("another CA's certificate", Some(&stranger)),
    ] {
        let refused = client(&server.ca, identity).get(&url).send().await;
        assert!(refused.is_err(), "{who}: {refused:?}");
    }
    let plain = format!(
        "http://{}/sandbox/applications",
        &origin["https://".len()..]
    );
    let refused = client(&server.ca, Some(&bff)).get(&plain).send().await;
    assert!(refused.is_err(), "plain HTTP: {refused:?}");

    // The refusals held up nothing: the right client is still served.
    served(&server.ca, &bff, &url).await;
}

#[tokio::test]
async fn a_tls_file_that_cannot_be_used_stops_the_sandbox_naming_its_setting() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let server = server_certificate();
    let other = server_certificate();
    let certificate = write(dir, "server.pem", &server.certificate);
    let key = write(dir, "server.key", &server.key);
    let other_key = write(dir, "other.key", &other.key);
    let missing = dir.join("missing.pem").display().to_string();
    let cases: [(&str, Vec<(&str, &str)>); 4] = [
        ("SANDBOX_TLS_KEY", vec![("SANDBOX_TLS_CERT", &certificate)]),
        (
            "SANDBOX_TLS_CERT",
            vec![("SANDBOX_TLS_CERT", &missing), ("SANDBOX_TLS_KEY", &key)],
        ),
        (
            "SANDBOX_TLS_CLIENT_CA",
            vec![
                ("SANDBOX_TLS_CERT", &certificate),
                ("SANDBOX_TLS_KEY", &key),
                ("SANDBOX_TLS_CLIENT_CA", &key),
            ],
        ),
        (
            "SANDBOX_TLS_KEY",
            vec![
                ("SANDBOX_TLS_CERT", &certificate),
                ("SANDBOX_TLS_KEY", &other_key),
            ],
        ),
    ];
    for (setting, vars) in cases {
        let mut child = sandbox(&vars);
        let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
            .await
            .expect("the sandbox stops")
            .unwrap();
        assert!(!status.success(), "{setting}");
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .await
            .unwrap();
        assert!(stderr.contains(setting), "{setting}: {stderr}");
    }
}

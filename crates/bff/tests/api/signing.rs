//! Each partner's signing secret: read from the variable the partners file names, at least
//! 32 bytes, and required from the start whenever a real bank is configured.

use crate::helpers::PARTNERS_FILE;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};

/// Runs the `bff` binary with `vars` until it listens (then stops it) or exits; answers
/// whether it listened, and everything it printed.
async fn start_bff(vars: &[(&str, &str)]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_bff"));
    command
        .env("BFF_LISTEN_ADDR", "127.0.0.1:0")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("bff.db").display()),
        )
        .env("WIDGET_DIR", dir.path())
        .env("RUST_LOG", "warn")
        .env("NO_COLOR", "1")
        .envs(vars.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for name in [
        "BANK_BASE_URL",
        "BANK_CLIENT_ID",
        "BANK_CLIENT_SECRET",
        "TEST_PARTNER_SIGNING_SECRET",
        "OTHER_PARTNER_SIGNING_SECRET",
        "TEST_FINTECH_SIGNING_SECRET",
        "DEMO_TRAVEL_SIGNING_SECRET",
        "DEMO_FINTECH_SIGNING_SECRET",
    ] {
        if !vars.iter().any(|(n, _)| *n == name) {
            command.env_remove(name);
        }
    }
    let mut child = command.spawn().expect("the bff binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut printed = String::new();
    let mut stdout_open = true;
    let listened = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            tokio::select! {
                line = stdout.next_line(), if stdout_open => match line.unwrap() {
                    Some(line) if line.starts_with("BFF listening on ") => break true,
                    Some(line) => printed.push_str(&(line + "\n")),
                    None => stdout_open = false,
                },
                line = stderr.next_line() => match line.unwrap() {
                    Some(line) => printed.push_str(&(line + "\n")),
                    None => {
                        child.wait().await.unwrap();
                        break false;
                    }
                },
            }
        }
    })
    .await
    .expect("the bff binary listens or stops within 30 s");
    (listened, printed)
}

fn partners_file(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("partners.toml");
    std::fs::write(&path, PARTNERS_FILE).unwrap();
    path.display().to_string()
}

#[tokio::test]
async fn with_a_real_bank_the_bff_refuses_to_start_without_each_partners_secret() {
    let dir = tempfile::tempdir().unwrap();
    let partners = partners_file(&dir);
    let bank = [
        ("PARTNERS_FILE", partners.as_str()),
        ("BANK_BASE_URL", "http://127.0.0.1:9/api"),
        ("BANK_CLIENT_ID", "id"),
        ("BANK_CLIENT_SECRET", "secret"),
        ("CONNECTFI_BASE_URL", "http://127.0.0.1:9/connectfi"),
        ("CONNECTFI_LOGIN", "login"),
        ("CONNECTFI_PASSWORD", "password"),
    ];
    let long = "0123456789abcdef0123456789abcdef";
    let all = [
        ("TEST_PARTNER_SIGNING_SECRET", long),
        ("OTHER_PARTNER_SIGNING_SECRET", long),
        ("TEST_FINTECH_SIGNING_SECRET", long),
        ("TEST_MARKETS_SIGNING_SECRET", long),
        ("TEST_LEADS_SIGNING_SECRET", long),
        ("TEST_ENGLISH_SIGNING_SECRET", long),
    ];

    let (listened, printed) = start_bff(&[&bank[..], &all[1..]].concat()).await;
    assert!(!listened);
    assert!(
        printed.contains("test-partner: set TEST_PARTNER_SIGNING_SECRET"),
        "{printed}"
    );

    let short = [(
        "TEST_PARTNER_SIGNING_SECRET",
        "only-31-bytes-long-not-enough!!",
    )];
    let (listened, printed) = start_bff(&[&bank[..], &all[1..], &short[..]].concat()).await;
    assert!(!listened);
    assert!(
        printed.contains("TEST_PARTNER_SIGNING_SECRET is shorter than 32 bytes"),
        "{printed}"
    );
    assert!(
        !printed.contains("only-31-bytes"),
        "the secret is never printed"
    );

    let (listened, printed) = start_bff(&[&bank[..], &all[..]].concat()).await;
    assert!(listened, "{printed}");
}

#[tokio::test]
async fn the_shipped_demo_partners_start_with_the_demo_secret_under_the_embedded_sandbox() {
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/../../partners.toml");
    let (listened, printed) = start_bff(&[("PARTNERS_FILE", shipped)]).await;
    assert!(listened, "{printed}");
    assert!(printed.contains("published demo secret"), "{printed}");
    assert!(printed.contains("DEMO_TRAVEL_SIGNING_SECRET"), "{printed}");
}

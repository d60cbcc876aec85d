//! Each partner's signing secret: read from the variable the partners file names, at least
//! 32 bytes, and required from the start whenever a real bank is configured.

use crate::helpers::{start_bff, BffRun, PARTNERS_FILE};

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

    let BffRun {
        listened, printed, ..
    } = start_bff(&[&bank[..], &all[1..]].concat()).await;
    assert!(!listened);
    assert!(
        printed.contains("test-partner: set TEST_PARTNER_SIGNING_SECRET"),
        "{printed}"
    );

    let short = [(
        "TEST_PARTNER_SIGNING_SECRET",
        "only-31-bytes-long-not-enough!!",
    )];
    let BffRun {
        listened, printed, ..
    } = start_bff(&[&bank[..], &all[1..], &short[..]].concat()).await;
    assert!(!listened);
    assert!(
        printed.contains("TEST_PARTNER_SIGNING_SECRET is shorter than 32 bytes"),
        "{printed}"
    );
    assert!(
        !printed.contains("only-31-bytes"),
        "the secret is never printed"
    );

    let BffRun {
        listened, printed, ..
    } = start_bff(&[&bank[..], &all[..]].concat()).await;
    assert!(listened, "{printed}");
}

#[tokio::test]
async fn the_shipped_demo_partners_start_with_the_demo_secret_under_the_embedded_sandbox() {
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/../../partners.toml");
    let BffRun {
        listened, printed, ..
    } = start_bff(&[("PARTNERS_FILE", shipped)]).await;
    assert!(listened, "{printed}");
    assert!(printed.contains("published demo secret"), "{printed}");
    assert!(printed.contains("DEMO_TRAVEL_SIGNING_SECRET"), "{printed}");
}

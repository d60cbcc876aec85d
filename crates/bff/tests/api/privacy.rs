//! What customers enter never reaches the BFF's logs: a whole journey through the real
//! binary, its output read back and searched for every personal detail.

use crate::helpers::{
    about_you_form, finances_form, identity_form, spawn_bff_process, TestApp, MARKET, RETURN_URL,
};
use onboarding_core::api::SessionStarted;
use onboarding_core::{Decision, Stage};

const GIVEN_NAME: &str = "Zephyrine";
const SURNAME: &str = "Quarterman";
const EMAIL: &str = "zephyrine.quarterman@example.com";
const MOBILE: &str = "9123 4567";
const DATE_OF_BIRTH: &str = "1990-04-01";
const ID_NUMBER: &str = "S1234567D";
/// An NRIC with a wrong check letter: refused, and just as personal.
const WRONG_ID_NUMBER: &str = "S7654321A";
const ADDRESS_LINE: &str = "1 Raffles Place";
const POSTAL_CODE: &str = "048616";
const EMPLOYER: &str = "Wobbegong Holdings";

/// One customer through all three stages, with a refused stage and a reload on the way.
async fn bank_journey(app: &TestApp) {
    let (token, journey) = app.start_session().await;
    let mut about = about_you_form(&journey, SURNAME);
    about.given_name = GIVEN_NAME.into();
    about.email = EMAIL.into();
    about.mobile_number = MOBILE.into();
    about.date_of_birth = DATE_OF_BIRTH.into();
    let reference = app
        .about_you(&token, &about)
        .await
        .progress()
        .reference
        .expect("a reference");
    let mut identity = identity_form(&journey);
    identity.id_number = WRONG_ID_NUMBER.into();
    app.identity(&token, &reference, &identity)
        .await
        .refused_with(onboarding_core::api::ErrorCode::InvalidInput);
    identity.id_number = ID_NUMBER.into();
    identity.address_line1 = ADDRESS_LINE.into();
    identity.postal_code = POSTAL_CODE.into();
    app.identity(&token, &reference, &identity).await.progress();
    app.current(&token).await.journey();
    let mut finances = finances_form(&journey, "EMPLOYED", "60000");
    finances.employer_name = EMPLOYER.into();
    let progress = app.finances(&token, &reference, &finances).await.progress();
    assert_eq!(progress.stage, Stage::Result);
    assert!(
        matches!(progress.decision, Some(Decision::Approved { .. })),
        "{progress:?}"
    );
}

/// The same customer through a connectFi placement.
async fn connectfi_journey(app: &TestApp) {
    let token = crate::placements::placed_customer(app, "cstap_demo1").await;
    let started = app
        .start_session_for("test-fintech", MARKET, RETURN_URL, Some(&token))
        .await;
    let started: SessionStarted = serde_json::from_str(&started.body).expect("a session");
    let mut about = about_you_form(&started.journey, SURNAME);
    about.given_name = GIVEN_NAME.into();
    about.email = EMAIL.into();
    about.mobile_number = MOBILE.into();
    about.date_of_birth = DATE_OF_BIRTH.into();
    let token = started.token;
    let reference = app
        .about_you(&token, &about)
        .await
        .progress()
        .reference
        .expect("a reference");
    let mut finances = finances_form(&started.journey, "EMPLOYED", "60000");
    finances.employer_name = EMPLOYER.into();
    let progress = app.finances(&token, &reference, &finances).await.progress();
    assert_eq!(progress.stage, Stage::Result);
}

#[tokio::test]
async fn no_personal_detail_reaches_the_logs() {
    // Every level, far below production's info: whatever a support engineer might turn on.
    let (app, output) = spawn_bff_process("trace").await;
    bank_journey(&app).await;
    connectfi_journey(&app).await;
    drop(app);
    // The journey was logged at all (so an empty log cannot pass).
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = output.text();
    assert!(log.contains("application created"), "{log}");
    assert!(log.contains("decision"), "{log}");

    let digits = |text: &str| -> String { text.chars().filter(char::is_ascii_digit).collect() };
    let log_lower = log.to_lowercase();
    for personal in [
        GIVEN_NAME,
        SURNAME,
        EMAIL,
        "zephyrine.quarterman",
        MOBILE,
        &digits(MOBILE),
        DATE_OF_BIRTH,
        "01/04/1990",
        "19900401",
        ID_NUMBER,
        &ID_NUMBER[1..8],
        WRONG_ID_NUMBER,
        &WRONG_ID_NUMBER[1..8],
        "Raffles",
        POSTAL_CODE,
        EMPLOYER,
    ] {
        assert!(
            !log_lower.contains(&personal.to_lowercase()),
            "{personal:?} is in the BFF's log:\n{}",
            log.lines()
                .filter(|l| l.to_lowercase().contains(&personal.to_lowercase()))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[tokio::test]
async fn a_connectfi_customers_id_in_a_refused_page_link_is_not_logged_at_any_level() {
    // Trace: the request's span and everything below it, far past what production logs.
    let (app, output) = spawn_bff_process("trace").await;
    let page = app
        .send(app.client.get(app.url("/apply")).query(&[
            ("partner", "test-fintech"),
            ("market", MARKET),
            ("return_url", RETURN_URL),
            ("customer", "cstap_secret123"),
        ]))
        .await;
    // Refused (a connectFi customer comes only through a placement), and not logged either.
    assert_eq!(
        page.status,
        reqwest::StatusCode::BAD_REQUEST,
        "{}",
        page.body
    );
    drop(app);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = output.text();
    assert!(log.contains("/apply"), "the page was logged at all:\n{log}");
    assert!(!log.contains("cstap_secret123"), "{log}");
    assert!(!log.contains("secret123"), "{log}");
}

#[tokio::test]
async fn a_csp_report_is_logged_bounded_and_printable() {
    let (app, output) = spawn_bff_process("info").await;
    // Long, yet within the 8 KiB a report may take.
    let long = "x".repeat(3000);
    let report = serde_json::json!({
        "csp-report": {
            "document-uri": "http://127.0.0.1/apply?customer=cstap_in_the_page",
            "effective-directive": format!("img-src\n2026-01-01T00:00:00Z ERROR forged line\u{1b}[31m{long}"),
            "blocked-uri": format!("https://evil.example/path?id={ID_NUMBER}&{long}"),
        }
    });
    let answer = app
        .send(
            app.client
                .post(app.url("/csp-reports"))
                .body(report.to_string()),
        )
        .await;
    assert_eq!(answer.status, reqwest::StatusCode::NO_CONTENT);
    let keyword = serde_json::json!({
        "csp-report": { "violated-directive": "script-src 'self'", "blocked-uri": format!("inline\r\n\u{7}{long}") }
    });
    let answer = app
        .send(
            app.client
                .post(app.url("/csp-reports"))
                .body(keyword.to_string()),
        )
        .await;
    assert_eq!(answer.status, reqwest::StatusCode::NO_CONTENT);
    drop(app);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = output.text();
    let reports: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("content security policy violation"))
        .collect();
    assert_eq!(reports.len(), 2, "one line each:\n{log}");
    for line in &reports {
        assert!(line.len() < 600, "bounded: {line}");
        assert!(
            !line.contains('\u{1b}') && !line.contains('\u{7}'),
            "{line:?}"
        );
    }
    assert!(reports[0].contains("https://evil.example"), "{log}");
    assert!(
        reports[1].contains("script-src") && reports[1].contains("inline"),
        "{log}"
    );
    assert!(
        !log.contains("forged line"),
        "no space, so no readable forged line:\n{log}"
    );
    assert!(
        !log.lines().any(|l| l.starts_with("2026-01-01")),
        "no line break into a forged line:\n{log}"
    );
    for private in [ID_NUMBER, "cstap_in_the_page", "/path"] {
        assert!(!log.contains(private), "{private} is in the log:\n{log}");
    }
}

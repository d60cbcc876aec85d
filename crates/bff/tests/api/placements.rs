//! Placement tokens: a partner's server places its customer (`POST /partner/v1/placements`,
//! with its API key), and only the token's link starts an application as that customer,
//! once, within minutes. Forged, expired, used and other placements' tokens, and customer
//! ids in links, are refused with a page saying why.

use crate::database::{fresh_database_url, query_count};
use crate::helpers::{
    about_you_form, app_dir, identity_form, partners_file_with, spawn_app, spawn_app_with,
    spawn_app_with_partners, spawn_app_with_webhook, spawn_bff_process, spawn_bff_process_on,
    Answer, Bank, TestApp, API_KEY, FINTECH, FINTECH_API_KEY, MARKET, OTHER_PARTNER, PARTNER,
    PARTNERS_FILE, RETURN_URL, SIGNING_SECRET,
};
use bff::placements::PLACEMENTS_PATH;
use bff::store::{RetentionPeriods, Store};
use onboarding_core::api::{ErrorCode, SessionStarted};
use onboarding_core::forms::Prefill;
use onboarding_core::{Field, Language, Phrase, Stage};
use reqwest::header::{ACCEPT_LANGUAGE, AUTHORIZATION, WWW_AUTHENTICATE};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

/// `POST /partner/v1/placements` from the partner's server: with `key` as its bearer
/// credential when given, and no `Origin` (a server sends none).
pub async fn place(app: &TestApp, key: Option<&str>, body: &Value) -> Answer {
    let mut request = reqwest::Client::new()
        .post(app.url(PLACEMENTS_PATH))
        .json(body);
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    app.send(request).await
}

/// The connectFi partner's placement of `customer`: its token.
pub async fn placed_customer(app: &TestApp, customer: &str) -> String {
    let body = placement_body(FINTECH, json!({ "customer": customer }));
    created(&place(app, Some(FINTECH_API_KEY), &body).await).placement_token
}

/// A placement's answer.
#[derive(Debug, serde::Deserialize)]
pub struct Created {
    pub placement_token: String,
    pub expires_at: String,
    pub url: String,
}

fn created(answer: &Answer) -> Created {
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    serde_json::from_str(&answer.body).expect("a placement")
}

/// `partner`'s placement in the test market, with `extra` fields.
fn placement_body(partner: &str, extra: Value) -> Value {
    let mut body = json!({ "partner": partner, "market": MARKET, "return_url": RETURN_URL });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

/// The test partner's placement in its market, with `extra` fields.
fn test_partner(extra: Value) -> Value {
    placement_body(PARTNER, extra)
}

/// The test partner's server placing its customer, with `extra` fields.
async fn place_test_partner(app: &TestApp, extra: Value) -> Answer {
    place(app, Some(API_KEY), &test_partner(extra)).await
}

/// The test partner's placement of its customer, accepted.
async fn placed(app: &TestApp) -> Created {
    created(&place_test_partner(app, json!({})).await)
}

/// Asserts that a placement's link opens its page.
async fn opens(app: &TestApp, url: &str) {
    let opened = app.send(app.client.get(url)).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
}

/// `GET /apply` for `partner`'s placement in the test market with `extra` query parameters,
/// in `language` if given.
async fn page(
    app: &TestApp,
    partner: &str,
    extra: &[(&str, &str)],
    language: Option<&str>,
) -> Answer {
    let mut query = vec![
        ("partner", partner),
        ("market", MARKET),
        ("return_url", RETURN_URL),
    ];
    query.extend_from_slice(extra);
    let mut request = app.client.get(app.url("/apply")).query(&query);
    if let Some(language) = language {
        request = request.header(ACCEPT_LANGUAGE, language);
    }
    app.send(request).await
}

/// The page of `partner`'s placement in the test market with `token`.
async fn page_with(app: &TestApp, partner: &str, token: &str) -> Answer {
    page(app, partner, &[("placement", token)], None).await
}

/// Asserts a page was refused with `status`, as a plain page (no widget) saying `why` to
/// the developer and the customer's words in English.
fn refused_page(answer: &Answer, status: StatusCode, why: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    says(answer, why);
    says(
        answer,
        Phrase::UnknownPartner.in_language(Language::English),
    );
    assert!(
        !answer.body.contains("<script"),
        "no widget: {}",
        answer.body
    );
}

/// Asserts that the answer's body says `text`.
fn says(answer: &Answer, text: &str) {
    assert!(
        answer.body.contains(text),
        "{} does not say {text:?}",
        answer.body
    );
}

/// Asserts that a placement's link was refused with `status`, as [`refused_page`] says.
async fn refused_link(app: &TestApp, url: &str, status: StatusCode, why: &str) {
    refused_page(&app.send(app.client.get(url)).await, status, why);
}

/// How many placements hold a customer's details: the placed customer, prefill or state.
/// Once used, a placement holds none; they live with the session it started only.
async fn holding_customers_details(app: &TestApp) -> i64 {
    query_count(
        &app.database_url,
        "SELECT COUNT(*) FROM placements WHERE customer_id IS NOT NULL OR prefill IS NOT NULL OR partner_state IS NOT NULL",
    )
    .await
}

/// The test partners, with `other-partner` opening only with tokens, and the test
/// partner's API key serving it and `test-markets` too.
fn partners_with_tokens() -> String {
    let key =
        "api_key_sha256 = \"ea56e7f78074fc0485f362ecc467e775c470d59a1f65b54380f0a17923737246\"\n";
    partners_file_with(&[
        (
            "OTHER_PARTNER_SIGNING_SECRET",
            &format!("{key}require_placement_token = true\n"),
        ),
        ("TEST_MARKETS_SIGNING_SECRET", key),
    ])
}

#[tokio::test]
async fn a_partners_server_places_a_customer_and_the_link_starts_their_application_once() {
    let app = spawn_app().await;
    let before = bff::time::now_unix();
    let body = placement_body(
        FINTECH,
        json!({ "journey": "in_principle_approval", "customer": "cstap_7uvAC6nLftLGCq7yic3TfI" }),
    );
    let placement = created(&place(&app, Some(FINTECH_API_KEY), &body).await);

    let token = &placement.placement_token;
    let random = token.strip_prefix("plt_").expect("a placement token");
    assert!(
        random.len() == 64 && random.bytes().all(|b| b.is_ascii_hexdigit()),
        "256 random bits: {token}"
    );
    let expires_at = bff::time::parse_utc(&placement.expires_at).expect("RFC 3339");
    assert!(
        (before + 599..=bff::time::now_unix() + 601).contains(&expires_at),
        "ten minutes: {}",
        placement.expires_at
    );
    // The link names the placement, never the customer.
    let link = url::Url::parse(&placement.url).unwrap();
    assert_eq!(
        link.as_str().split('?').next(),
        Some(app.url("/apply").as_str())
    );
    let query: Vec<(String, String)> = link.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        [
            ("partner", FINTECH),
            ("market", MARKET),
            ("return_url", RETURN_URL),
            ("placement", token.as_str()),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert!(!placement.url.contains("cstap_"), "{}", placement.url);
    // The token is stored as its hash only.
    let stored = query_count(
        &app.database_url,
        &format!(
            "SELECT COUNT(*) FROM placements WHERE token_hash = '{}'",
            bff::journey::token_hash(token)
        ),
    )
    .await;
    assert_eq!(stored, 1);
    assert_eq!(holding_customers_details(&app).await, 1, "until it is used");

    // The page opens, and the session its widget starts is the placed customer's.
    opens(&app, &placement.url).await;
    let started = app.start_placed(FINTECH, token).await;
    assert_eq!(holding_customers_details(&app).await, 0, "once used");
    let started: SessionStarted = serde_json::from_str(&started.body).unwrap();
    let progress = app
        .about_you(&started.token, &about_you_form(&started.journey, "Tan"))
        .await
        .progress();
    assert_eq!(
        progress.stage,
        Stage::Finances,
        "connectFi verified the placed customer"
    );
    assert_eq!(
        app.bank
            .connectfi_calls_to(connectfi_api::paths::KYC_STATUS),
        1
    );

    // Used: no second application from it, whoever sends it.
    app.start_refused(FINTECH, Some(token), "used already")
        .await;
    // The customer's own reload of the page still opens it, to resume their session.
    opens(&app, &placement.url).await;
    assert_eq!(
        query_count(&app.database_url, "SELECT COUNT(*) FROM sessions").await,
        1
    );
}

#[tokio::test]
async fn the_placement_api_takes_only_the_partners_own_key() {
    let app = spawn_app().await;
    let body = test_partner(json!({}));
    for (key, why) in [
        (None, "missing"),
        (Some(""), "empty"),
        (Some("test-partner-api-key-0123456789abcdeX"), "wrong"),
        (Some(FINTECH_API_KEY), "another partner's"),
    ] {
        let refused = place(&app, key, &body).await;
        let error = refused.refused_with(ErrorCode::Unauthorized);
        assert!(!error.retryable, "{why}");
        assert_eq!(
            refused.headers[WWW_AUTHENTICATE], "Bearer realm=\"partner\"",
            "{why}"
        );
    }
    // Not a bearer credential at all.
    let basic = app
        .send(
            reqwest::Client::new()
                .post(app.url(PLACEMENTS_PATH))
                .header(AUTHORIZATION, format!("Basic {API_KEY}"))
                .json(&body),
        )
        .await;
    basic.refused_with(ErrorCode::Unauthorized);
    // A caller without a key learns nothing of what its body would have met.
    let nonsense = place(&app, None, &json!({ "nonsense": true })).await;
    nonsense.refused_with(ErrorCode::Unauthorized);
    created(&place(&app, Some(API_KEY), &body).await);
}

#[tokio::test]
async fn a_placement_is_checked_field_by_field_as_its_journey_will_check_it() {
    let app = spawn_app().await;
    let malformed = |answer: &Answer, field: &str| {
        let error = answer.refused_with(ErrorCode::MalformedRequest);
        assert!(error.message.contains(field), "{field}: {}", error.message);
    };
    for (extra, field) in [
        (json!({ "nickname": "x" }), "unknown field `nickname`"),
        (
            json!({ "prefill": { "middle_name": "x" } }),
            "unknown field `middle_name`",
        ),
        (
            json!({ "customer": "cstap_demo1" }),
            "customer: only a connectFi placement",
        ),
        (json!({ "state": "s".repeat(513) }), "state: 1 to 512 bytes"),
        (json!({ "state": "" }), "state: 1 to 512 bytes"),
        (
            json!({ "language": "pl" }),
            "language: not one of Singapore's (en)",
        ),
    ] {
        malformed(&place_test_partner(&app, extra).await, field);
    }
    created(&place_test_partner(&app, json!({ "state": "s".repeat(512) })).await);
    for customer in [
        None,
        Some(""),
        Some("cstap-with-dash"),
        Some(&*"c".repeat(37)),
    ] {
        let body = placement_body(FINTECH, json!({ "customer": customer }));
        malformed(
            &place(&app, Some(FINTECH_API_KEY), &body).await,
            "customer: a connectFi placement needs the customer's connectFi id",
        );
    }

    // The placement itself, as the link's would be checked.
    for (extra, why) in [
        (
            json!({ "market": "MY" }),
            "does not offer the card in market",
        ),
        (
            json!({ "return_url": "http://partner.test.evil/done" }),
            "return_url is not on the allowlist",
        ),
        (
            json!({ "journey": "lead_capture" }),
            "places the in_principle_approval journey, not lead_capture",
        ),
    ] {
        let refused = place_test_partner(&app, extra).await;
        let error = refused.refused_with(ErrorCode::UnknownPartner);
        assert!(error.message.contains(why), "{why}: {}", error.message);
    }

    // The prefill meets stage 1's own rules, every refused field named.
    let refused = place_test_partner(
        &app,
        json!({
            "prefill": { "given_name": "M3i", "surname": "Tan", "email": "mei@", "mobile_number": "12345" }
        }),
    )
    .await;
    let error = refused.refused_with(ErrorCode::InvalidInput);
    let fields: Vec<Field> = error.fields.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [Field::GivenName, Field::Email, Field::MobileNumber]
    );
    // Nothing of a refused placement is kept.
    assert_eq!(
        query_count(&app.database_url, "SELECT COUNT(*) FROM placements").await,
        1,
        "only the one placement accepted above"
    );
}

#[tokio::test]
async fn forged_expired_used_and_foreign_tokens_and_customers_in_links_get_a_page_saying_why() {
    let app = spawn_app_with_partners(&partners_with_tokens(), &[]).await;

    // Forged.
    let forged = format!("plt_{}", "0".repeat(64));
    let page_answer = page_with(&app, PARTNER, &forged).await;
    refused_page(&page_answer, StatusCode::NOT_FOUND, "not one we issued");
    app.start_refused(PARTNER, Some(&forged), "not one we issued")
        .await;

    // Another partner's token (the same key serves both), in this partner's link.
    let theirs = placed(&app).await;
    let refused = page_with(&app, OTHER_PARTNER, &theirs.placement_token).await;
    refused_page(
        &refused,
        StatusCode::FORBIDDEN,
        "created for another partner",
    );
    app.start_refused(
        OTHER_PARTNER,
        Some(&theirs.placement_token),
        "another partner",
    )
    .await;
    // Refused, it was not used: it still starts its own placement's session.
    app.start_placed(PARTNER, &theirs.placement_token).await;

    // Used, and its application ended: see `a_used_token_whose_session_ended_opens_nothing`.
    // A connectFi customer's id in a link, with or without a token: never taken from it.
    let token = placed_customer(&app, "cstap_demo1").await;
    for query in [
        vec![("customer", "cstap_demo1")],
        vec![("customer", "cstap_demo1"), ("placement", token.as_str())],
    ] {
        refused_page(
            &page(&app, FINTECH, &query, None).await,
            StatusCode::BAD_REQUEST,
            "never takes a customer's id from its link",
        );
    }
    // A placement that opens only with a token, without one: connectFi's, and one whose
    // partner asks for tokens.
    for partner in [FINTECH, OTHER_PARTNER] {
        refused_page(
            &page(&app, partner, &[], None).await,
            StatusCode::BAD_REQUEST,
            "opens only with a placement token",
        );
        app.start_refused(partner, None, "opens only with a placement token")
            .await;
    }
    refused_page(
        &page(&app, OTHER_PARTNER, &[("customer", "cstap_demo1")], None).await,
        StatusCode::BAD_REQUEST,
        "never takes a customer's id from its link",
    );
    // With its token, that partner's placement opens and starts.
    let body = placement_body(OTHER_PARTNER, json!({}));
    let theirs = created(&place(&app, Some(API_KEY), &body).await);
    opens(&app, &theirs.url).await;
    app.start_placed(OTHER_PARTNER, &theirs.placement_token)
        .await;
    // The widget of an older page, sending a customer's id itself, is refused by name.
    let old = app
        .send(
            app.client
                .post(app.url("/api/v1/sessions"))
                .json(&placement_body(
                    FINTECH,
                    json!({ "customer": "cstap_demo1" }),
                )),
        )
        .await;
    let error = old.refused_with(ErrorCode::MalformedRequest);
    assert!(
        error.message.contains("unknown field `customer`"),
        "{}",
        error.message
    );

    // The customer reads it in their language; the developer, why in English.
    let arabic = page(
        &app,
        PARTNER,
        &[("placement", &forged)],
        Some("ar-AE,ar;q=0.9"),
    )
    .await;
    assert_eq!(arabic.status, StatusCode::NOT_FOUND);
    says(&arabic, "<html lang=\"ar\" dir=\"rtl\">");
    says(
        &arabic,
        Phrase::UnknownPartner.in_language(Language::Arabic),
    );
    says(
        &arabic,
        "<p lang=\"en\" dir=\"ltr\">The placement token is not one we issued",
    );
}

#[tokio::test]
async fn an_expired_token_opens_nothing_and_starts_nothing() {
    let app = spawn_app_with(&[("PLACEMENT_TTL_SECS", "1")]).await;
    let placement = placed(&app).await;
    tokio::time::sleep(Duration::from_millis(1_300)).await;
    refused_link(&app, &placement.url, StatusCode::GONE, "has expired unused").await;
    app.start_refused(PARTNER, Some(&placement.placement_token), "expired")
        .await;
    assert_eq!(
        query_count(&app.database_url, "SELECT COUNT(*) FROM sessions").await,
        0
    );
}

#[tokio::test]
async fn a_used_token_whose_session_ended_opens_nothing() {
    let app = spawn_app_with(&[("SESSION_TTL_SECS", "1")]).await;
    let placement = placed(&app).await;
    app.start_placed(PARTNER, &placement.placement_token).await;
    tokio::time::sleep(Duration::from_millis(1_300)).await;
    refused_link(&app, &placement.url, StatusCode::GONE, "was used already").await;
}

#[tokio::test]
async fn two_instances_consuming_one_token_at_once_start_one_session() {
    let bank = Arc::new(Bank::spawn_with(true).await);
    let dir = Arc::new(app_dir(PARTNERS_FILE));
    let database_url = fresh_database_url(dir.path()).await;
    let (first, _) =
        spawn_bff_process_on(bank.clone(), dir.clone(), database_url.clone(), &[]).await;
    let (second, _) = spawn_bff_process_on(bank, dir, database_url.clone(), &[]).await;
    for round in 0..3 {
        let token = placed_customer(&first, "cstap_demo1").await;
        let attempts = (0..8).map(|i| {
            let instance = if i % 2 == 0 { &first } else { &second };
            let token = token.clone();
            async move {
                instance
                    .start_session_for(FINTECH, MARKET, RETURN_URL, Some(&token))
                    .await
            }
        });
        let answers = futures_util::future::join_all(attempts).await;
        let started = answers
            .iter()
            .filter(|a| a.status == StatusCode::CREATED)
            .count();
        assert_eq!(started, 1, "round {round}: {answers:#?}");
        for refused in answers.iter().filter(|a| a.status != StatusCode::CREATED) {
            let error = refused.refused_with(ErrorCode::UnknownPartner);
            assert!(error.message.contains("used already"), "{}", error.message);
        }
    }
    assert_eq!(
        query_count(&database_url, "SELECT COUNT(*) FROM sessions").await,
        3,
        "one session per token"
    );
}

#[tokio::test]
async fn the_placements_prefill_starts_stage_one_and_its_state_comes_back_signed() {
    let receiver = crate::webhooks::Receiver::spawn(&[]).await;
    let app = spawn_app_with_webhook(&receiver.url, &[]).await;
    let state = "basket 42/7 & more ü";
    let placement = created(
        &place_test_partner(
            &app,
            json!({
                "state": state,
                "prefill": { "given_name": "Me\u{301}i  Ling", "email": "mei@Example.com", "mobile_number": "+65 9123 4567" },
            }),
        )
        .await,
    );
    assert_eq!(holding_customers_details(&app).await, 1, "until it is used");
    let started = app.start_placed(PARTNER, &placement.placement_token).await;
    let started: SessionStarted = serde_json::from_str(&started.body).expect("a session");
    assert_eq!(holding_customers_details(&app).await, 0, "once used");
    // What stage 1 starts with: the placed values as stage 1's rules wrote them.
    let prefill = Prefill::from_list(&started.journey.prefill);
    assert_eq!(
        prefill,
        Prefill {
            given_name: "M\u{e9}i Ling".into(),
            surname: String::new(),
            email: "mei@example.com".into(),
            mobile_number: "91234567".into(),
        }
    );
    // A reload finds it too, until stage 1 is sent.
    let journey = app.current(&started.token).await.journey();
    assert_eq!(journey.prefill, started.journey.prefill);
    let mut about = about_you_form(&journey, "Tan");
    about.given_name = prefill.given_name.clone();
    about.email = prefill.email.clone();
    about.mobile_number = prefill.mobile_number.clone();
    let reference = app
        .about_you(&started.token, &about)
        .await
        .progress()
        .reference
        .expect("a reference");
    assert!(app
        .current(&started.token)
        .await
        .journey()
        .prefill
        .is_empty());
    app.identity(&started.token, &reference, &identity_form(&journey))
        .await
        .progress();
    let decided = app
        .finances_approved(&started.token, &reference, &journey)
        .await;

    // Back to the partner: the state is in the signed query.
    let return_to = decided.return_to.expect("a signed return URL");
    let verify = |url: &str| {
        bff::signing::verify(
            &bff::config::Secret::new(SIGNING_SECRET),
            url,
            bff::time::now_unix(),
            Duration::from_secs(300),
        )
    };
    let result = verify(&return_to).expect("signed by the partner's secret");
    assert_eq!(result.query, [("state".to_owned(), state.to_owned())]);
    let altered = return_to.replace("basket", "basked");
    assert!(verify(&altered).is_err());

    // And in the webhook's event.
    let deliveries = receiver.until("the decision", |d| !d.is_empty()).await;
    let event = crate::webhooks::verified(&deliveries[0]);
    assert_eq!(event["reference"], reference.as_str());
    assert_eq!(event["state"], state);
}

#[tokio::test]
async fn a_placements_language_is_its_pages() {
    let app = spawn_app_with_partners(&partners_with_tokens(), &[]).await;
    let body = json!({
        "partner": "test-markets", "market": "PL", "return_url": RETURN_URL, "language": "pl",
    });
    let placement = created(&place(&app, Some(API_KEY), &body).await);
    let opened = app
        .send(app.client.get(&placement.url).header(ACCEPT_LANGUAGE, "en"))
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    assert!(opened.body.contains("lang=\"pl\""), "{}", opened.body);
}

#[tokio::test]
async fn the_retention_job_deletes_a_placement_once_it_can_open_nothing() {
    let app = spawn_app().await;
    let unused = placed(&app).await;
    let used = placed(&app).await;
    app.start_placed(PARTNER, &used.placement_token).await;
    let store = Store::connect(&app.database_url).await.unwrap();
    let periods = RetentionPeriods {
        expired_sessions: Duration::from_secs(86_400),
        idempotency: Duration::from_secs(86_400),
        delivered_events: Duration::from_secs(86_400),
        evidence: Duration::from_secs(86_400 * 365),
    };
    let placements = || query_count(&app.database_url, "SELECT COUNT(*) FROM placements");
    let now = bff::time::now_unix();
    assert_eq!(store.purge(&periods, 20, now).await.unwrap().placements, 0);
    assert_eq!(placements().await, 2);
    // Past the tokens' ten minutes: the unused one can open nothing, the used one still
    // opens its customer's page while their session lives.
    let purged = store.purge(&periods, 20, now + 601).await.unwrap();
    assert_eq!(purged.placements, 1);
    assert_eq!(placements().await, 1);
    // Past the session's two hours.
    let purged = store.purge(&periods, 20, now + 7_201).await.unwrap();
    assert_eq!(purged.placements, 1);
    assert_eq!(placements().await, 0);
    refused_link(
        &app,
        &unused.url,
        StatusCode::NOT_FOUND,
        "not one we issued",
    )
    .await;
}

#[tokio::test]
async fn nothing_placed_is_logged_at_any_level() {
    let (app, output) = spawn_bff_process("trace").await;
    let body = placement_body(
        FINTECH,
        json!({
            "customer": "cstap_secret123",
            "prefill": { "given_name": "Zebedee", "email": "zebedee@example.com", "mobile_number": "91234567" },
            "state": "state-secret-789",
        }),
    );
    let placement = created(&place(&app, Some(FINTECH_API_KEY), &body).await);
    opens(&app, &placement.url).await;
    app.start_placed(FINTECH, &placement.placement_token).await;
    drop(app);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let log = output.text();
    assert!(
        log.contains(PLACEMENTS_PATH),
        "the call was logged at all:\n{log}"
    );
    let random = placement.placement_token.trim_start_matches("plt_");
    for secret in [
        "cstap_secret123",
        "Zebedee",
        "zebedee@example.com",
        "91234567",
        "state-secret-789",
        random,
        FINTECH_API_KEY,
    ] {
        assert!(!log.contains(secret), "{secret} is in the log:\n{log}");
    }
}

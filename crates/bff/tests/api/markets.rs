//! The twelve markets: Lead Capture on each market's bank API, the in-principle approval on
//! the EMEA API, "Save and exit", and the customer's language from the page to the bank.

use crate::helpers::*;
use bank_api::paths;
use onboarding_core::api::{ErrorCode, Journey, JourneyKind, Progress};
use onboarding_core::forms::{AboutYouForm, IdentityForm, LeadForm};
use onboarding_core::{Field, FollowUp, Language, Market, Phrase, ReferenceField, Stage};
use reqwest::StatusCode;

/// Stage 1 valid in the journey's market.
fn about(journey: &Journey) -> AboutYouForm {
    AboutYouForm {
        mobile_number: journey.market.market.mobile_plan().example.into(),
        date_of_birth: "1985-06-15".into(),
        ..about_you_form(journey, "Lee")
    }
}

/// A lead valid in the journey's market, with the address where it is asked.
fn lead(journey: &Journey) -> LeadForm {
    let market = journey.market.market;
    let asks = LeadForm::asks_address(market);
    LeadForm {
        about: about(journey),
        address_line1: if asks {
            "99 Main Road".into()
        } else {
            String::new()
        },
        address_line2: String::new(),
        postal_code: market
            .postal_code_example()
            .filter(|_| asks)
            .unwrap_or_default()
            .into(),
    }
}

#[tokio::test]
async fn a_lead_in_every_market_goes_to_its_api_and_is_acknowledged_in_the_customers_language() {
    let app = spawn_app().await;
    for market in Market::ALL {
        let language = *market.languages().last().unwrap();
        let (token, journey) = app
            .start_session_in("test-leads", market.code(), Some(language.tag()))
            .await;
        assert_eq!(journey.kind, JourneyKind::LeadCapture);
        assert_eq!(journey.stages, [Stage::AboutYou]);
        assert_eq!(journey.language, language, "{market:?}");
        let answer = app.lead(&token, &lead(&journey)).await;
        assert_eq!(answer.status, StatusCode::OK, "{market:?}: {}", answer.body);
        let progress = answer.progress();
        assert_eq!(progress.stage, Stage::Result, "{market:?}");
        assert_eq!(progress.decision, None);
        assert_eq!(progress.follow_up, Some(market.follow_up()), "{market:?}");
        let return_to = progress.return_to.expect("a signed return URL");
        assert!(return_to.contains("outcome=lead_received"), "{return_to}");
        let reference = progress.reference.expect("a reference");

        let path = match market.api_variant() {
            onboarding_core::ApiVariant::ApacApplication => paths::APPLICATIONS,
            onboarding_core::ApiVariant::Emea => paths::ApplicationApi::Emea.applications(),
            onboarding_core::ApiVariant::Prospect => paths::PROSPECTS,
        };
        assert!(
            app.bank.calls_to("POST", path) >= 1,
            "{market:?} went to {path}"
        );

        let messages = app.bank.notifications(&app.client, &reference).await;
        let sms = messages
            .iter()
            .find(|m| m["channel"] == "sms" && m["event"] == "acknowledgement")
            .unwrap_or_else(|| panic!("{market:?}: {messages:?}"));
        assert_eq!(sms["language"], language.tag(), "{market:?}");
        assert_eq!(
            sms["link"].is_string(),
            market.follow_up() == FollowUp::ContinueOnline,
            "{market:?}: {sms}"
        );
        // One lead per session: sent again, the one recorded answers.
        let again = app.lead(&token, &lead(&journey)).await.progress();
        assert_eq!(again.reference.as_deref(), Some(reference.as_str()));
    }
}

#[tokio::test]
async fn a_prospect_needs_the_home_address_and_the_approval_journey_takes_no_lead() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session_in("test-leads", "TH", None).await;
    let without_address = LeadForm {
        about: about(&journey),
        ..LeadForm::default()
    };
    let refused = app.lead(&token, &without_address).await;
    let fields: Vec<Field> = refused
        .refused_with(ErrorCode::InvalidInput)
        .fields
        .iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, [Field::AddressLine1, Field::PostalCode]);
    assert_eq!(
        app.bank
            .calls_to("POST", "/api/v1/apac/onboarding/prospects"),
        0
    );

    let (token, journey) = app.start_session_in("test-markets", "SG", None).await;
    app.lead(&token, &lead(&journey))
        .await
        .refused_with(ErrorCode::StageOutOfOrder);
    let (token, journey) = app.start_session_in("test-leads", "SG", None).await;
    app.about_you(&token, &about(&journey))
        .await
        .refused_with(ErrorCode::StageOutOfOrder);
}

/// Stage 2 with an ID and address valid in the market.
fn identity_in(journey: &Journey) -> IdentityForm {
    let market = journey.market.market;
    let (id_type, id_number) = match market {
        Market::HongKong => ("HKID", "A123456(3)"),
        Market::Poland => ("PESEL", "44051401359"),
        Market::UnitedArabEmirates => ("EMIRATES_ID", "784-1990-6570305-2"),
        other => panic!("no test ID for {other:?}"),
    };
    IdentityForm {
        id_type: offered(journey, ReferenceField::IdType, id_type),
        id_number: id_number.into(),
        address_line1: "1 Harbour Road".into(),
        address_line2: String::new(),
        postal_code: market.postal_code_example().unwrap_or_default().into(),
        country: offered(journey, ReferenceField::Country, market.code()),
        years_at_address: "4".into(),
    }
}

#[tokio::test]
async fn the_approval_decides_on_the_emea_api_in_poland_and_the_uae_and_on_apac_in_hong_kong() {
    let app = spawn_app().await;
    for (market, emea) in [
        (Market::Poland, true),
        (Market::UnitedArabEmirates, true),
        (Market::HongKong, false),
    ] {
        let (token, journey) = app
            .start_session_in("test-markets", market.code(), None)
            .await;
        let reference = app
            .about_you(&token, &about(&journey))
            .await
            .progress()
            .reference
            .expect("created");
        let answer = app
            .identity(&token, &reference, &identity_in(&journey))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{market:?}: {}", answer.body);
        let decided = app
            .finances(
                &token,
                &reference,
                &finances_form(&journey, "EMPLOYED", "250000"),
            )
            .await
            .progress();
        let decision = decided.decision.expect("a decision");
        assert_eq!(decision.outcome(), "approved", "{market:?}");
        let ipa = if emea {
            paths::ApplicationApi::Emea.in_principle_approvals(&reference)
        } else {
            paths::in_principle_approvals(&reference)
        };
        assert!(app.bank.calls_to("POST", &ipa) >= 1, "{market:?}: {ipa}");
    }
}

#[tokio::test]
async fn save_and_exit_sends_the_way_to_continue_and_closes_the_application_here() {
    let app = spawn_app().await;
    for (market, link) in [(Market::Singapore, true), (Market::Poland, false)] {
        let (token, journey) = app
            .start_session_in("test-markets", market.code(), None)
            .await;
        let reference = app
            .about_you(&token, &about(&journey))
            .await
            .progress()
            .reference
            .expect("created");
        let saved: Progress = app.save(&token, &reference).await.progress();
        assert_eq!(saved.stage, Stage::Result);
        assert_eq!(saved.follow_up, Some(market.follow_up()));
        assert!(saved.return_to.expect("signed").contains("outcome=saved"));
        let messages = app.bank.notifications(&app.client, &reference).await;
        let sms: Vec<_> = messages
            .iter()
            .filter(|m| m["channel"] == "sms" && m["event"] == "saved")
            .collect();
        assert_eq!(sms.len(), 1, "{market:?}: {messages:?}");
        assert_eq!(sms[0]["link"].is_string(), link, "{market:?}: {}", sms[0]);
        // Resumed, the journey shows the saved screen; later stages are refused.
        let resumed = app.current(&token).await.journey();
        assert_eq!(resumed.progress.follow_up, Some(market.follow_up()));
        app.identity(&token, &reference, &IdentityForm::default())
            .await
            .refused_with(ErrorCode::StageOutOfOrder);
        app.save(&token, &reference)
            .await
            .refused_with(ErrorCode::StageOutOfOrder);
    }
}

#[tokio::test]
async fn the_session_speaks_the_pages_language_among_the_markets_and_the_bank_does_too() {
    let app = spawn_app().await;
    let (_, polish) = app.start_session_in("test-markets", "PL", Some("pl")).await;
    assert_eq!(polish.language, Language::Polish);
    // Only an approval whose application the bank holds can be saved for later.
    assert!(polish.saveable);
    let (_, lead) = app.start_session_in("test-leads", "PL", None).await;
    assert!(!lead.saveable);
    let (_, connectfi, _) = crate::connectfi::after_stage_one(&app, "cstap_demo1").await;
    assert!(
        !connectfi.saveable,
        "connectFi's application is not at the bank"
    );
    assert_eq!(polish.terms.version, "PL-PL-2026-11");
    assert_eq!(
        polish.terms.title,
        Phrase::TermsTitle.in_language(Language::Polish)
    );
    let (_, english) = app.start_session_in("test-markets", "PL", Some("en")).await;
    assert_eq!(english.terms.version, "PL-EN-2026-11");
    // The bank wrote the labels in the customer's language.
    let label = |journey: &Journey| {
        journey
            .reference_data
            .options(ReferenceField::EmploymentStatus)[0]
            .label
            .clone()
    };
    assert_ne!(label(&polish), label(&english));

    // A language the market does not offer falls back to its first, English.
    let (_, arabic_in_poland) = app.start_session_in("test-markets", "PL", Some("ar")).await;
    assert_eq!(arabic_in_poland.language, Language::English);
    // A partner's fixed language wins over the page's.
    let (_, fixed) = app.start_session_in("test-english", "AE", Some("ar")).await;
    assert_eq!(fixed.language, Language::English);
}

#[tokio::test]
async fn save_and_exit_is_refused_once_decided_and_where_connectfi_decides() {
    let app = spawn_app().await;
    let customer = app.through_identity("Tan").await;
    let form = finances_form(&customer.journey, "EMPLOYED", "80000");
    let decided = app
        .finances(&customer.token, &customer.reference, &form)
        .await
        .progress();
    assert!(decided.decision.is_some(), "{decided:?}");
    app.save(&customer.token, &customer.reference)
        .await
        .refused_with(ErrorCode::AlreadyDecided);

    // connectFi's application is not at the bank, which has nothing to save or link to.
    let (token, _, progress) =
        crate::connectfi::after_stage_one(&app, "cstap_7uvAC6nLftLGCq7yic3TfI").await;
    let reference = progress.reference.expect("a reference after stage 1");
    app.save(&token, &reference)
        .await
        .refused_with(ErrorCode::StageOutOfOrder);
    assert_eq!(
        app.bank
            .calls_to("POST", &paths::save_for_later(&reference)),
        0
    );
}

#[tokio::test]
async fn each_journey_answers_only_its_own_form_once_the_bank_has_the_application() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session_in("test-markets", "SG", None).await;
    app.about_you(&token, &about(&journey)).await.progress();
    app.lead(&token, &lead(&journey))
        .await
        .refused_with(ErrorCode::StageOutOfOrder);

    let (token, journey) = app.start_session_in("test-leads", "SG", None).await;
    app.lead(&token, &lead(&journey)).await.progress();
    app.about_you(&token, &about(&journey))
        .await
        .refused_with(ErrorCode::StageOutOfOrder);
}

#[tokio::test]
async fn the_bff_does_not_start_with_the_approval_placed_in_thailand() {
    let marker = r#"markets = ["AU", "HK", "IN", "MY", "PH", "SG", "PL", "RU", "AE"]"#;
    assert!(PARTNERS_FILE.contains(marker));
    let thai = PARTNERS_FILE.replace(
        marker,
        r#"markets = ["AU", "HK", "IN", "MY", "PH", "SG", "PL", "RU", "AE", "TH"]"#,
    );
    let error = refused_at_start(&thai).await;
    assert!(
        error.contains("partner test-markets")
            && error.contains("Thailand")
            && error.contains("lead_capture"),
        "{error}"
    );
}

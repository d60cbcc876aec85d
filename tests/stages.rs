//! Component tests: each stage mounted in a real browser, driven through the real DOM.

use card_widget::form::StageHeading;
use card_widget::progress::ProgressIndicator;
use card_widget::result::{FollowUpView, ResultView};
use card_widget::stages::{AboutYouStage, FinancesStage, IdentityStage, StageProps};
use card_widget::words;
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use onboarding_core::api::{Journey, JourneyKind, MarketView, PartnerView, Progress, Terms};
use onboarding_core::forms::{IdentityForm, LeadForm};
use onboarding_core::reference_data::{ReferenceList, ReferenceOption};
use onboarding_core::{
    CreditLimit, Decision, DeclineReason, Field, FieldError, FollowUp, Language, Market, Offer,
    Phrase, ReferenceData, ReferenceField, Stage, ValidationError,
};
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

fn journey() -> Arc<Journey> {
    journey_of(Market::Singapore, JourneyKind::InPrincipleApproval)
}

fn journey_of(market: Market, kind: JourneyKind) -> Arc<Journey> {
    let list = |field, options: &[(&str, &str)]| ReferenceList {
        field,
        options: options
            .iter()
            .map(|(code, label)| ReferenceOption {
                code: (*code).into(),
                label: (*label).into(),
            })
            .collect(),
    };
    Arc::new(Journey {
        partner: PartnerView {
            id: "demo".into(),
            name: "Demo Travel".into(),
            return_url: "http://partner.test/done".into(),
            origin: "http://partner.test".into(),
        },
        market: MarketView {
            market,
            currency: "SGD".into(),
            locale: "en-SG".into(),
            phone_country_code: "65".into(),
            today: "2026-11-22".into(),
        },
        terms: Terms {
            version: "T-1".into(),
            title: "Terms".into(),
            paragraphs: vec!["You agree.".into()],
        },
        reference_data: ReferenceData {
            lists: vec![
                list(ReferenceField::Salutation, &[("MR", "Mr"), ("MS", "Ms")]),
                list(
                    ReferenceField::IdType,
                    &[("NRIC", "NRIC"), ("FIN", "FIN"), ("PASSPORT", "Passport")],
                ),
                list(
                    ReferenceField::Country,
                    &[("SG", "Singapore"), ("MY", "Malaysia")],
                ),
                list(
                    ReferenceField::EmploymentStatus,
                    &[("EMPLOYED", "Employed (salaried)"), ("RETIRED", "Retired")],
                ),
                list(
                    ReferenceField::OccupationCode,
                    &[("PROFESSIONAL", "Professional")],
                ),
                list(
                    ReferenceField::IndustryCode,
                    &[("IT_TELECOM", "IT and telecoms")],
                ),
                list(
                    ReferenceField::HighestEducationLevel,
                    &[("BACHELOR", "Bachelor's degree")],
                ),
                list(ReferenceField::ResidenceType, &[("RENTED", "Rented")]),
            ],
        },
        stages: Stage::FORMS.to_vec(),
        progress: Progress {
            stage: Stage::AboutYou,
            reference: None,
            decision: None,
            return_to: None,
            follow_up: None,
        },
        language: Language::English,
        kind,
        saveable: kind == JourneyKind::InPrincipleApproval,
        prefill: Default::default(),
    })
}

fn props(
    focus: bool,
    busy: RwSignal<bool>,
    server_errors: RwSignal<Vec<FieldError>>,
) -> StageProps {
    StageProps {
        journey: journey(),
        busy: busy.into(),
        server_errors: server_errors.into(),
        focus,
    }
}

fn props_of(journey: Arc<Journey>) -> StageProps {
    StageProps {
        journey,
        busy: RwSignal::new(false).into(),
        server_errors: RwSignal::new(Vec::new()).into(),
        focus: false,
    }
}

/// Installs `language`'s words, as the BFF's page carries them.
fn speak(language: Language) {
    words::install(
        onboarding_core::phrase::catalog(language)
            .into_iter()
            .map(String::from)
            .collect(),
    );
}

/// A fresh container in the page for one test's component, in English.
fn container() -> HtmlElement {
    speak(Language::English);
    let document = document();
    let section = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&section).unwrap();
    section.unchecked_into()
}

fn by_id<T: JsCast>(root: &HtmlElement, id: &str) -> T {
    root.query_selector(&format!("#{id}"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element #{id}"))
        .unchecked_into()
}

fn fire(element: &web_sys::EventTarget, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    element
        .dispatch_event(&web_sys::Event::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
}

/// Types a value the way a browser reports it: an input event, then leaving the field.
fn type_into(root: &HtmlElement, field: Field, value: &str) {
    let input: HtmlInputElement = by_id(root, field.as_str());
    input.set_value(value);
    fire(&input, "input");
    fire(&input, "blur");
}

/// The input of one part (`day`, `month` or `year`) of a date field.
fn date_part(root: &HtmlElement, field: Field, part: &str) -> HtmlInputElement {
    root.query_selector(&format!("input[name={}-{part}]", field.as_str()))
        .unwrap()
        .unwrap_or_else(|| panic!("no {part} of {}", field.as_str()))
        .unchecked_into()
}

/// Types a date into its day, month and year fields.
fn type_date(root: &HtmlElement, field: Field, day: &str, month: &str, year: &str) {
    for (part, value) in [("day", day), ("month", month), ("year", year)] {
        let input = date_part(root, field, part);
        input.set_value(value);
        fire(&input, "input");
        fire(&input, "blur");
    }
}

fn choose(root: &HtmlElement, field: Field, code: &str) {
    let select: HtmlSelectElement = by_id(root, field.as_str());
    select.set_value(code);
    fire(&select, "change");
}

fn submit(root: &HtmlElement) {
    root.query_selector("button[type=submit]")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
}

fn error_text(root: &HtmlElement, field: Field) -> String {
    by_id::<HtmlElement>(root, &format!("{}-error", field.as_str()))
        .text_content()
        .unwrap_or_default()
}

fn fill_about_you(root: &HtmlElement) {
    choose(root, Field::Title, "MS");
    type_into(root, Field::GivenName, "Mei Ling");
    type_into(root, Field::Surname, "Tan");
    type_date(root, Field::DateOfBirth, "1", "4", "1990");
    type_into(root, Field::MobileNumber, "9123 4567");
    type_into(root, Field::Email, "mei@example.com");
}

#[wasm_bindgen_test]
async fn dropdown_options_come_from_reference_data() {
    let root = container();
    let _mounted = mount_to(root.clone(), || {
        view! { <IdentityStage props=props(false, RwSignal::new(false), RwSignal::new(vec![])) on_submit=Callback::new(|_: IdentityForm| {}) /> }
    });
    tick().await;
    let id_type: HtmlSelectElement = by_id(&root, "id_type");
    let options: Vec<(String, String)> = (0..id_type.length())
        .map(|i| {
            let option: web_sys::HtmlOptionElement = id_type.item(i).unwrap().unchecked_into();
            (option.value(), option.text())
        })
        .collect();
    assert_eq!(
        options,
        [
            ("", "Choose…"),
            ("NRIC", "NRIC"),
            ("FIN", "FIN"),
            ("PASSPORT", "Passport")
        ]
        .map(|(v, t)| (v.to_owned(), t.to_owned()))
        .to_vec()
    );
    // The market's own country is chosen for the address from the start.
    assert_eq!(by_id::<HtmlSelectElement>(&root, "country").value(), "SG");

    let root = container();
    let _mounted = mount_to(root.clone(), || {
        view! { <FinancesStage props=props(false, RwSignal::new(false), RwSignal::new(vec![])) on_submit=Callback::new(|_| {}) /> }
    });
    tick().await;
    let status: HtmlSelectElement = by_id(&root, "employment_status");
    assert_eq!(status.length(), 3);
    assert_eq!(
        status.item(1).unwrap().text_content().unwrap(),
        "Employed (salaried)"
    );
}

#[wasm_bindgen_test]
async fn stage_one_starts_with_what_the_partner_placed_and_sends_it_as_shown() {
    let root = container();
    let mut placed = (*journey()).clone();
    placed.prefill = onboarding_core::forms::Prefill {
        given_name: "Mei Ling".into(),
        surname: String::new(),
        email: "mei@example.com".into(),
        mobile_number: "91234567".into(),
    }
    .to_list();
    let sent = RwSignal::new(Vec::<LeadForm>::new());
    let journey = Arc::new(placed);
    let _mounted = mount_to(root.clone(), move || {
        view! { <AboutYouStage props=props_of(journey.clone()) on_submit=Callback::new(move |f| sent.update(|s| s.push(f))) /> }
    });
    tick().await;
    let value = |field: Field| by_id::<HtmlInputElement>(&root, field.as_str()).value();
    assert_eq!(value(Field::GivenName), "Mei Ling");
    assert_eq!(value(Field::Surname), "", "nothing placed, nothing shown");
    assert_eq!(value(Field::Email), "mei@example.com");
    assert_eq!(value(Field::MobileNumber), "91234567");
    // The customer completes the rest; what was placed is sent unless they change it.
    choose(&root, Field::Title, "MS");
    type_into(&root, Field::Surname, "Tan");
    type_date(&root, Field::DateOfBirth, "1", "4", "1990");
    let consent: HtmlInputElement = by_id(&root, "terms_consent");
    consent.set_checked(true);
    fire(&consent, "change");
    submit(&root);
    tick().await;
    let sent = sent.get_untracked();
    assert_eq!(sent.len(), 1, "the placed values pass stage 1's rules");
    assert_eq!(sent[0].about.given_name, "Mei Ling");
    assert_eq!(sent[0].about.mobile_number, "91234567");
}

#[wasm_bindgen_test]
async fn submit_is_blocked_without_consent() {
    let root = container();
    let sent = RwSignal::new(Vec::<LeadForm>::new());
    let _mounted = mount_to(root.clone(), move || {
        view! { <AboutYouStage props=props(false, RwSignal::new(false), RwSignal::new(vec![])) on_submit=Callback::new(move |f| sent.update(|s| s.push(f))) /> }
    });
    tick().await;
    fill_about_you(&root);
    submit(&root);
    tick().await;
    assert!(
        sent.with_untracked(Vec::is_empty),
        "no submission without consent"
    );
    assert_eq!(
        error_text(&root, Field::TermsConsent),
        ValidationError::ConsentRequired.message_in(Market::Singapore)
    );
    let summary: HtmlElement = root
        .query_selector(".error-summary")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(!summary.hidden());
    assert_eq!(summary.get_attribute("role").as_deref(), Some("alert"));
    assert!(
        summary
            .query_selector("a[href='#terms_consent']")
            .unwrap()
            .is_some(),
        "the summary links to the checkbox"
    );
    assert_eq!(
        document()
            .active_element()
            .map(|e| e.class_name())
            .as_deref(),
        Some("error-summary"),
        "the summary takes focus"
    );

    let consent: HtmlInputElement = by_id(&root, "terms_consent");
    consent.set_checked(true);
    fire(&consent, "change");
    submit(&root);
    tick().await;
    let sent = sent.get_untracked();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].about.accepted_terms_version, "T-1",
        "the accepted version is sent"
    );
    assert_eq!(sent[0].about.surname, "Tan");
}

#[wasm_bindgen_test]
async fn field_errors_show_on_submit_not_on_blur_and_are_announced() {
    let root = container();
    let _mounted = mount_to(root.clone(), || {
        view! { <AboutYouStage props=props(false, RwSignal::new(false), RwSignal::new(vec![])) on_submit=Callback::new(|_| {}) /> }
    });
    tick().await;
    type_into(&root, Field::MobileNumber, "123");
    tick().await;
    // Leaving the field moves nothing: a message appearing here would push "Continue" down
    // under a pointer pressing it.
    assert_eq!(error_text(&root, Field::MobileNumber), "");
    submit(&root);
    tick().await;
    let input: HtmlInputElement = by_id(&root, "mobile_number");
    let message = by_id::<HtmlElement>(&root, "mobile_number-error");
    assert!(message
        .text_content()
        .unwrap()
        .contains(&ValidationError::InvalidMobileNumber.message_in(Market::Singapore)));
    assert_eq!(
        message.get_attribute("aria-live").as_deref(),
        Some("polite")
    );
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(input
        .get_attribute("aria-describedby")
        .unwrap()
        .contains("mobile_number-error"));
    assert_eq!(
        root.query_selector("label[for=mobile_number]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Mobile number"
    );

    // Fixing the value clears the error while typing.
    input.set_value("91234567");
    fire(&input, "input");
    tick().await;
    assert_eq!(error_text(&root, Field::MobileNumber), "");
    assert_eq!(
        input.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
}

#[wasm_bindgen_test]
async fn the_date_of_birth_is_typed_as_day_month_and_year_in_the_pages_order() {
    let root = container();
    let sent = RwSignal::new(Vec::<LeadForm>::new());
    let _mounted = mount_to(root.clone(), move || {
        view! { <AboutYouStage props=props(false, RwSignal::new(false), RwSignal::new(vec![])) on_submit=Callback::new(move |form| sent.update(|s| s.push(form))) /> }
    });
    tick().await;
    // en-SG writes the day first; each part has its label and a numeric keyboard.
    let names: Vec<String> = root
        .query_selector_all("fieldset.date input")
        .unwrap()
        .values()
        .into_iter()
        .map(|node| {
            let input: HtmlInputElement = node.unwrap().unchecked_into();
            assert_eq!(input.get_attribute("inputmode").as_deref(), Some("numeric"));
            let label = root
                .query_selector(&format!("label[for='{}']", input.id()))
                .unwrap()
                .expect("each part is labelled");
            assert!(!label.text_content().unwrap().is_empty());
            input.name()
        })
        .collect();
    assert_eq!(
        names,
        [
            "date_of_birth-day",
            "date_of_birth-month",
            "date_of_birth-year"
        ]
    );
    assert_eq!(
        date_part(&root, Field::DateOfBirth, "day").id(),
        "date_of_birth"
    );
    assert_eq!(
        root.query_selector("fieldset.date legend")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Date of birth"
    );

    // A date with a part missing is not a date; the age rule still speaks for the market.
    fill_about_you(&root);
    type_date(&root, Field::DateOfBirth, "1", "", "1990");
    let consent: HtmlInputElement = by_id(&root, "terms_consent");
    consent.set_checked(true);
    fire(&consent, "change");
    let date_error_after_submit = |error: ValidationError| {
        let root = root.clone();
        async move {
            submit(&root);
            tick().await;
            assert_eq!(
                error_text(&root, Field::DateOfBirth),
                format!("Error: {}", error.message_in(Market::Singapore))
            );
        }
    };
    date_error_after_submit(ValidationError::InvalidDate).await;
    type_date(&root, Field::DateOfBirth, "1", "4", "2020");
    date_error_after_submit(ValidationError::TooYoung).await;
    type_date(&root, Field::DateOfBirth, "1", "4", "1990");
    submit(&root);
    tick().await;
    assert_eq!(sent.get_untracked()[0].about.date_of_birth, "1990-04-01");
}

#[wasm_bindgen_test]
async fn the_date_parts_follow_the_locales_order() {
    for (market, language, expected) in [
        (
            Market::Philippines,
            Language::English,
            ["month", "day", "year"],
        ),
        // Hong Kong writes the day first in Chinese too (CLDR's zh-Hant-HK: d/M/y).
        (
            Market::HongKong,
            Language::TraditionalChinese,
            ["day", "month", "year"],
        ),
        (Market::Thailand, Language::Thai, ["day", "month", "year"]),
    ] {
        let root = container();
        speak(language);
        let mut journey = (*journey_of(market, JourneyKind::LeadCapture)).clone();
        journey.language = language;
        let journey = Arc::new(journey);
        let _mounted = mount_to(root.clone(), move || {
            view! { <AboutYouStage props=props_of(journey.clone()) on_submit=Callback::new(|_| {}) /> }
        });
        tick().await;
        let order: Vec<String> = root
            .query_selector_all("fieldset.date input")
            .unwrap()
            .values()
            .into_iter()
            .map(|node| {
                let name = node.unwrap().unchecked_into::<HtmlInputElement>().name();
                name.trim_start_matches("date_of_birth-").to_owned()
            })
            .collect();
        assert_eq!(order, expected, "{market:?} in {language:?}");
        let first_label = root
            .query_selector("label[for=date_of_birth]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap();
        let expected_label = match expected[0] {
            "day" => Phrase::DayLabel,
            "month" => Phrase::MonthLabel,
            _ => Phrase::YearLabel,
        };
        assert_eq!(first_label, expected_label.in_language(language));
    }
}

#[wasm_bindgen_test]
async fn the_servers_field_errors_are_shown_too() {
    let root = container();
    let server_errors = RwSignal::new(Vec::new());
    let _mounted = mount_to(root.clone(), move || {
        view! { <IdentityStage props=props(false, RwSignal::new(false), server_errors) on_submit=Callback::new(|_| {}) /> }
    });
    tick().await;
    server_errors.set(vec![FieldError {
        field: Field::IdNumber,
        error: ValidationError::InvalidCheckCharacter,
    }]);
    tick().await;
    assert_eq!(
        error_text(&root, Field::IdNumber),
        format!(
            "Error: {}",
            ValidationError::InvalidCheckCharacter.message_in(Market::Singapore)
        )
    );
}

#[wasm_bindgen_test]
async fn the_nric_check_letter_is_checked_in_the_browser() {
    let root = container();
    let _mounted = mount_to(root.clone(), || {
        view! { <IdentityStage props=props(false, RwSignal::new(false), RwSignal::new(vec![])) on_submit=Callback::new(|_| {}) /> }
    });
    tick().await;
    choose(&root, Field::IdType, "NRIC");
    type_into(&root, Field::IdNumber, "S1234567A");
    submit(&root);
    tick().await;
    assert!(error_text(&root, Field::IdNumber)
        .contains(&ValidationError::InvalidCheckCharacter.message_in(Market::Singapore)));
    type_into(&root, Field::IdNumber, "S1234567D");
    tick().await;
    assert_eq!(error_text(&root, Field::IdNumber), "");
}

#[wasm_bindgen_test]
async fn focus_moves_to_the_new_stage_heading() {
    let root = container();
    let stage = RwSignal::new(Stage::AboutYou);
    let _mounted = mount_to(root.clone(), move || {
        view! {
            {move || {
                let s = stage.get();
                view! { <StageHeading text=Phrase::title(s).english() focus={s != Stage::AboutYou} /> }
            }}
        }
    });
    tick().await;
    let active = || document().active_element().and_then(|e| e.text_content());
    assert_ne!(
        active().as_deref(),
        Some("About you"),
        "the first stage does not take focus from the page"
    );
    stage.set(Stage::Identity);
    tick().await;
    assert_eq!(active().as_deref(), Some("Identity and address"));
    stage.set(Stage::Finances);
    tick().await;
    assert_eq!(active().as_deref(), Some("Income and work"));
}

#[wasm_bindgen_test]
async fn the_submit_button_is_disabled_while_sending() {
    let root = container();
    let busy = RwSignal::new(false);
    let _mounted = mount_to(root.clone(), move || {
        view! { <FinancesStage props=props(false, busy, RwSignal::new(vec![])) on_submit=Callback::new(|_| {}) /> }
    });
    tick().await;
    let button: web_sys::HtmlButtonElement = root
        .query_selector("button[type=submit]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(!button.disabled());
    busy.set(true);
    tick().await;
    assert!(button.disabled());
    assert_eq!(button.text_content().as_deref(), Some("Sending…"));
}

#[wasm_bindgen_test]
async fn progress_marks_the_current_stage() {
    let root = container();
    let stage = RwSignal::new(Stage::Identity);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ProgressIndicator stages=Stage::FORMS.to_vec() stage=stage.into() /> },
    );
    tick().await;
    let current = root.query_selector("[aria-current=step]").unwrap().unwrap();
    assert!(current
        .text_content()
        .unwrap()
        .contains("Identity and address"));
    assert!(root.text_content().unwrap().contains("Step 2 of 3"));
}

#[wasm_bindgen_test]
async fn progress_counts_only_the_journeys_stages() {
    let root = container();
    let stage = RwSignal::new(Stage::Finances);
    // A placement whose provider knows the customer's identity skips that stage.
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ProgressIndicator stages=vec![Stage::AboutYou, Stage::Finances] stage=stage.into() /> },
    );
    tick().await;
    assert!(root.text_content().unwrap().contains("Step 2 of 2"));
    let steps = root.query_selector_all("li").unwrap();
    assert_eq!(steps.length(), 2);
    let current = root.query_selector("[aria-current=step]").unwrap().unwrap();
    assert!(current.text_content().unwrap().contains("Income and work"));
    let first: HtmlElement = steps.item(0).unwrap().unchecked_into();
    assert!(first.class_list().contains("done"));
    assert!(first
        .text_content()
        .unwrap()
        .contains("Completed: About you"));
    stage.set(Stage::Result);
    tick().await;
    assert!(root
        .text_content()
        .unwrap()
        .contains("Application complete"));
}

fn limit(amount: u64) -> CreditLimit {
    CreditLimit {
        amount,
        currency: "SGD".into(),
    }
}

fn offer(id: &str, card: &str, amount: u64, accepted: bool) -> Offer {
    Offer {
        id: id.into(),
        card: card.into(),
        credit_limit: limit(amount),
        accepted,
    }
}

/// The result screen of `decision`; offers the customer accepts are recorded in `accepted`.
fn mount_result(
    decision: Decision,
    busy: RwSignal<bool>,
    accepted: RwSignal<Vec<String>>,
) -> (HtmlElement, impl Sized) {
    let root = container();
    let mounted = mount_to(root.clone(), move || {
        view! {
            <ResultView
                journey=journey()
                reference="123456789012".to_owned()
                decision=decision.clone()
                focus=true
                busy=busy.into()
                on_accept=Callback::new(move |id| accepted.update(|a| a.push(id)))
            />
        }
    });
    (root, mounted)
}

fn text_of(root: &HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

fn focused_text() -> Option<String> {
    document().active_element().and_then(|e| e.text_content())
}

#[wasm_bindgen_test]
async fn an_approval_shows_the_limit_in_the_markets_currency() {
    let decision = Decision::Approved {
        card: None,
        credit_limit: limit(12_300),
        expires_on: "2026-12-22".into(),
        offers: vec![],
    };
    let (root, _mounted) = mount_result(decision, RwSignal::new(false), RwSignal::new(vec![]));
    tick().await;
    assert_eq!(text_of(&root, "h2"), "You're approved in principle");
    let limit = by_id::<HtmlElement>(&root, "credit-limit")
        .text_content()
        .unwrap();
    assert!(
        limit.contains("12,300") && limit.contains('$'),
        "formatted by Intl for en-SG: {limit}"
    );
    let expiry = by_id::<HtmlElement>(&root, "approval-expiry")
        .text_content()
        .unwrap();
    assert!(
        expiry.contains("2026") && expiry.contains("December"),
        "{expiry}"
    );
    assert!(by_id::<HtmlElement>(&root, "back-to-partner")
        .text_content()
        .unwrap()
        .contains("Demo Travel"));
    assert!(
        root.query_selector(".offers").unwrap().is_none(),
        "no offers, no offers section"
    );
}

#[wasm_bindgen_test]
async fn an_approval_offers_further_cards_to_add() {
    let busy = RwSignal::new(false);
    let accepted = RwSignal::new(Vec::new());
    let decision = Decision::Approved {
        card: Some("Travel Card".into()),
        credit_limit: limit(5_000),
        expires_on: "2026-12-22".into(),
        offers: vec![
            offer("11", "Rewards Card", 2_000, false),
            offer("12", "Cashback Card", 1_500, true),
        ],
    };
    let (root, _mounted) = mount_result(decision, busy, accepted);
    tick().await;
    assert_eq!(
        focused_text().as_deref(),
        Some("You're approved in principle for the Travel Card"),
        "the new screen's heading takes focus"
    );
    assert!(by_id::<HtmlElement>(&root, "credit-limit")
        .text_content()
        .unwrap()
        .contains("5,000"));
    assert_eq!(text_of(&root, ".offers h3"), "Also available to you");
    let offers = root.query_selector_all(".offer").unwrap();
    assert_eq!(offers.length(), 2);
    let rewards: HtmlElement = offers.item(0).unwrap().unchecked_into();
    assert!(rewards.text_content().unwrap().contains("2,000"));

    let add: web_sys::HtmlButtonElement = by_id(&root, "accept-offer-11");
    assert_eq!(add.text_content().as_deref(), Some("Add Rewards Card"));
    assert!(
        root.query_selector("#accept-offer-12").unwrap().is_none(),
        "an accepted offer has no button"
    );
    let added = root
        .query_selector(".offer [role=status]")
        .unwrap()
        .unwrap();
    assert_eq!(
        added.text_content().as_deref(),
        Some("Added: the bank will include Cashback Card when it confirms your application.")
    );

    add.click();
    tick().await;
    assert_eq!(accepted.get_untracked(), ["11"]);
    busy.set(true);
    tick().await;
    assert!(add.disabled());
    assert_eq!(add.text_content().as_deref(), Some("Sending…"));
}

#[wasm_bindgen_test]
async fn a_counter_offer_is_a_radio_group_that_needs_a_choice() {
    let accepted = RwSignal::new(Vec::new());
    let decision = Decision::CounterOffered {
        offers: vec![
            offer("7", "Everyday Card", 3_000, false),
            offer("8", "Travel Card", 5_000, false),
        ],
    };
    let (root, _mounted) = mount_result(decision, RwSignal::new(false), accepted);
    tick().await;
    assert_eq!(text_of(&root, "h2"), "We can offer you a different card");
    assert!(text_of(&root, ".result").contains("can't approve the card you applied for"));
    assert_eq!(text_of(&root, "fieldset legend"), "Choose an offer");
    let radios = root
        .query_selector_all("fieldset input[type=radio]")
        .unwrap();
    assert_eq!(radios.length(), 2);
    let radio = |i| -> HtmlInputElement { radios.item(i).unwrap().unchecked_into() };
    for (i, card, limit) in [(0, "Everyday Card", "3,000"), (1, "Travel Card", "5,000")] {
        assert!(!radio(i).checked(), "nothing is chosen for the customer");
        let label = text_of(&root, &format!("label[for='{}']", radio(i).id()));
        assert!(label.contains(card) && label.contains(limit), "{label}");
    }
    assert_eq!(
        by_id::<HtmlElement>(&root, "accept-offer")
            .text_content()
            .as_deref(),
        Some("Accept this offer")
    );
    let back = text_of(&root, "#back-to-partner");
    assert!(
        back.contains("No thanks") && back.contains("Demo Travel"),
        "{back}"
    );

    by_id::<HtmlElement>(&root, "accept-offer").click();
    tick().await;
    assert!(
        accepted.with_untracked(Vec::is_empty),
        "nothing accepted without a choice"
    );
    let error = by_id::<HtmlElement>(&root, "offer-error");
    assert_eq!(
        error.text_content().unwrap(),
        format!("Error: {}", Phrase::ChooseAnOfferError.english())
    );
    assert_eq!(error.get_attribute("aria-live").as_deref(), Some("polite"));
    assert_eq!(
        radio(0).get_attribute("aria-describedby").as_deref(),
        Some("offer-error")
    );
    assert_eq!(
        document().active_element().map(|e| e.id()),
        Some(radio(0).id()),
        "focus goes to the choice"
    );

    radio(1).click();
    tick().await;
    assert_eq!(
        error.text_content().unwrap(),
        "",
        "choosing clears the error"
    );
    by_id::<HtmlElement>(&root, "accept-offer").click();
    tick().await;
    assert_eq!(accepted.get_untracked(), ["8"]);
}

#[wasm_bindgen_test]
async fn under_review_says_the_bank_checks_it_by_hand() {
    let (root, _mounted) = mount_result(
        Decision::UnderReview,
        RwSignal::new(false),
        RwSignal::new(vec![]),
    );
    tick().await;
    assert_eq!(text_of(&root, "h2"), "Your application is under review");
    let text = root.text_content().unwrap();
    assert!(
        text.contains("complete application") && text.contains("by hand"),
        "{text}"
    );
    assert!(
        text.contains("SMS or e-mail") && text.contains("documents"),
        "{text}"
    );

    let (referred, _mounted) = mount_result(
        Decision::Referred,
        RwSignal::new(false),
        RwSignal::new(vec![]),
    );
    tick().await;
    assert_ne!(
        text_of(&referred, "h2"),
        text_of(&root, "h2"),
        "a referral reads differently"
    );
}

#[wasm_bindgen_test]
async fn a_decline_lists_its_reasons_in_plain_words() {
    let decision = Decision::Declined {
        reasons: vec![
            DeclineReason::CreditFreeze,
            DeclineReason::IdentityNotVerified,
        ],
    };
    let (root, _mounted) = mount_result(decision, RwSignal::new(false), RwSignal::new(vec![]));
    tick().await;
    assert_eq!(text_of(&root, "#decline-reasons"), "The main reasons:");
    let reasons = root.query_selector_all("ul.reasons li").unwrap();
    let reasons: Vec<String> = (0..reasons.length())
        .map(|i| reasons.item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "Your credit report is frozen, so it couldn't be checked. You can lift the freeze with the credit bureau and apply again.",
            "Your identity check with Demo Travel isn't complete yet.",
        ]
    );

    let (root, _mounted) = mount_result(
        Decision::declined(),
        RwSignal::new(false),
        RwSignal::new(vec![]),
    );
    tick().await;
    assert!(root
        .text_content()
        .unwrap()
        .contains("can't offer you this card"));
    assert!(
        root.query_selector("#decline-reasons").unwrap().is_none(),
        "no reasons given, no list"
    );
}

#[wasm_bindgen_test]
async fn a_lead_asks_the_address_only_where_the_bank_takes_prospects() {
    let root = container();
    let sent = RwSignal::new(Vec::<LeadForm>::new());
    let thai = journey_of(Market::Thailand, JourneyKind::LeadCapture);
    let _mounted = mount_to(root.clone(), move || {
        view! { <AboutYouStage props=props_of(thai.clone()) on_submit=Callback::new(move |f| sent.update(|s| s.push(f))) /> }
    });
    tick().await;
    assert_eq!(
        text_of(&root, "button[type=submit]"),
        Phrase::SendDetails.english()
    );
    assert!(text_of(&root, ".intro").starts_with("Leave your details"));
    choose(&root, Field::Title, "MR");
    type_into(&root, Field::GivenName, "Somchai");
    type_into(&root, Field::Surname, "Jaidee");
    type_date(&root, Field::DateOfBirth, "29", "2", "1988");
    type_into(&root, Field::MobileNumber, "081 234 5678");
    type_into(&root, Field::Email, "somchai@example.com");
    let consent: HtmlInputElement = by_id(&root, "terms_consent");
    consent.set_checked(true);
    fire(&consent, "change");
    submit(&root);
    tick().await;
    assert!(sent.with_untracked(Vec::is_empty), "the address is needed");
    assert_eq!(
        error_text(&root, Field::PostalCode),
        format!(
            "Error: {}",
            ValidationError::Required.message_in(Market::Thailand)
        )
    );
    type_into(&root, Field::AddressLine1, "99 Sukhumvit Road");
    type_into(&root, Field::PostalCode, "1011");
    tick().await;
    assert_eq!(
        error_text(&root, Field::PostalCode),
        "Error: Enter the postal code of the address, for example 50450."
    );
    type_into(&root, Field::PostalCode, "10110");
    submit(&root);
    tick().await;
    let sent = sent.get_untracked();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].postal_code, "10110");
    assert_eq!(sent[0].about.given_name, "Somchai");

    // Where the bank creates an application, a lead is stage 1 alone.
    let root = container();
    let singapore = journey_of(Market::Singapore, JourneyKind::LeadCapture);
    let _mounted = mount_to(root.clone(), move || {
        view! { <AboutYouStage props=props_of(singapore.clone()) on_submit=Callback::new(|_| {}) /> }
    });
    tick().await;
    assert!(root.query_selector("#address_line1").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn every_word_comes_from_the_pages_catalog() {
    let root = container();
    speak(Language::Polish);
    let _mounted = mount_to(root.clone(), move || {
        view! { <AboutYouStage props=props(true, RwSignal::new(false), RwSignal::new(vec![])) on_submit=Callback::new(|_| {}) /> }
    });
    tick().await;
    let polish = |phrase: Phrase| phrase.in_language(Language::Polish);
    assert_eq!(text_of(&root, "h2"), polish(Phrase::AboutYouTitle));
    assert_eq!(
        text_of(&root, "label[for=given_name]"),
        polish(Phrase::GivenNameLabel)
    );
    submit(&root);
    tick().await;
    let message = ValidationError::Required.message_with(Market::Singapore, polish);
    assert!(error_text(&root, Field::GivenName).ends_with(&message));
    speak(Language::English);
}

#[wasm_bindgen_test]
async fn a_saved_application_says_how_the_bank_carries_on() {
    for (follow_up, words) in [
        (FollowUp::ContinueOnline, Phrase::ContinueOnline),
        (FollowUp::RepresentativeCalls, Phrase::RepresentativeCalls),
        (FollowUp::BankWrites, Phrase::BankWillWrite),
    ] {
        let root = container();
        let _mounted = mount_to(root.clone(), move || {
            view! { <FollowUpView journey=journey() reference="123456789012".to_owned() follow_up focus=true return_to=None /> }
        });
        tick().await;
        assert_eq!(text_of(&root, "h2"), Phrase::Saved.english());
        assert_eq!(text_of(&root, "#result-reference"), "123456789012");
        assert_eq!(text_of(&root, "#follow-up"), words.english());
        assert_eq!(text_of(&root, "#back-to-partner"), "Back to Demo Travel");
    }
}

/// Names in the markets' own scripts and their customers', composed and decomposed (as
/// some keyboards and copied text give them): the BFF composes them, the widget must not
/// refuse them first.
const NAMES: &[&str] = &[
    "แก้วมณี",
    "สมศักดิ์",
    "कृष्ण",
    "श्रीनिवास",
    "Nguyễn Thị Hường",
    "Nguye\u{302}\u{303}n Thi\u{323} Hu\u{31B}o\u{31B}\u{300}ng",
    "Jos\u{E9}",
    "Jose\u{301}",
    "Łukasz Wójcik",
    "Сергей Иванов",
    "محمد عبد الله",
    "陳大文",
    "O'Brien",
    "Anne-Marie",
    "Nur Aisyah binti Abdullah",
];

#[wasm_bindgen_test]
async fn names_in_the_markets_own_scripts_are_accepted_as_typed() {
    let journeys = [
        (Market::Thailand, JourneyKind::LeadCapture),
        (Market::India, JourneyKind::InPrincipleApproval),
    ];
    let refused = [
        ("Tan\u{202E}Lee", ValidationError::InvalidCharacters),
        ("<b>Tan</b>", ValidationError::InvalidCharacters),
        ("", ValidationError::Required),
    ];
    for (market, kind) in journeys {
        let accepted = NAMES.iter().map(|name| (*name, None));
        let refused = refused.iter().map(|(name, error)| (*name, Some(*error)));
        for (name, error) in accepted.chain(refused) {
            let root = container();
            let journey = journey_of(market, kind);
            let _mounted = mount_to(root.clone(), move || {
                view! { <AboutYouStage props=props_of(journey.clone()) on_submit=Callback::new(|_| {}) /> }
            });
            tick().await;
            type_into(&root, Field::GivenName, name);
            type_into(&root, Field::Surname, name);
            submit(&root);
            tick().await;
            let expected =
                error.map_or_else(String::new, |e| format!("Error: {}", e.message_in(market)));
            for field in [Field::GivenName, Field::Surname] {
                assert_eq!(error_text(&root, field), expected, "{market:?} {name:?}");
            }
            // The form was checked: the e-mail address left out is refused.
            assert_ne!(error_text(&root, Field::Email), "", "{market:?} {name:?}");
        }
    }
}

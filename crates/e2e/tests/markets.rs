//! The twelve markets in their languages, in headless Chromium against the real BFF and its
//! embedded sandbox: the Lead Capture journey in every market, ending with the market's
//! next step and the bank's message in the outbox; the in-principle approval in Hong Kong,
//! Poland and the UAE (Singapore's runs in `journeys.rs`); Arabic right to left; axe-core
//! on every screen, so in every language.

use e2e::{Bff, Browser};
use onboarding_core::forms::LeadForm;
use onboarding_core::{FollowUp, Language, Market, Phrase};

/// The placement offering Lead Capture in every market (see `Bff::start`'s partners file).
const LEADS: &str = "demo-leads";
/// The placement offering the in-principle approval wherever the bank decides online.
const APPROVALS: &str = "demo-markets";

async fn assert_accessible(browser: &Browser, screen: &str) {
    let violations = browser.accessibility_violations().await;
    assert!(
        violations.is_empty(),
        "axe-core found violations on {screen}:\n{}",
        violations.join("\n")
    );
}

/// The language a market is shown in here: its own where it has one besides English, so
/// the twelve runs cover all nine languages.
fn language_of(market: Market) -> Language {
    *market
        .languages()
        .last()
        .expect("every market has a language")
}

/// Opens `partner`'s placement in `market` in `language` and waits for stage 1.
async fn open(browser: &Browser, bff: &Bff, partner: &str, market: Market, language: Language) {
    let page = bff.placement_page(partner, market.code(), Some(language.tag()));
    browser.open_widget(&page, "#given_name").await;
    let shown = browser
        .eval("[document.documentElement.lang, document.documentElement.dir]")
        .await;
    let dir = if language.is_right_to_left() {
        "rtl"
    } else {
        "ltr"
    };
    assert_eq!(
        shown,
        serde_json::json!([language.tag(), dir]),
        "{market:?}"
    );
    assert_eq!(
        browser.text("h2").await,
        Phrase::AboutYouTitle.in_language(language),
        "{market:?}"
    );
}

/// Fills stage 1 with details valid in `market` and ticks the consent.
async fn about_you(browser: &Browser, market: Market, surname: &str) {
    browser.choose("title", "MR").await;
    browser.fill("given_name", "Alex").await;
    browser.fill("surname", surname).await;
    browser.set_date("date_of_birth", "1985-06-15").await;
    browser
        .fill("mobile_number", market.mobile_plan().example)
        .await;
    browser.fill("email", "alex@example.com").await;
    browser.click("#terms_consent").await;
}

#[tokio::test]
async fn lead_capture_in_every_market_ends_with_its_next_step_and_the_banks_message() {
    let bff = Bff::start();
    let browser = Browser::start(1024).await;
    for market in Market::ALL {
        let language = language_of(market);
        let say = |phrase: Phrase| phrase.in_language(language);
        open(&browser, &bff, LEADS, market, language).await;
        assert_eq!(browser.text("#submit").await, say(Phrase::SendDetails));
        about_you(&browser, market, "Lee").await;
        if LeadForm::asks_address(market) {
            browser.fill("address_line1", "99 Main Road").await;
            let postal_code = market
                .postal_code_example()
                .expect("prospect markets have them");
            browser.fill("postal_code", postal_code).await;
        } else {
            assert_eq!(
                browser
                    .eval("document.getElementById('address_line1') === null")
                    .await,
                true,
                "{market:?} asks no address"
            );
        }
        assert_accessible(
            &browser,
            &format!("Lead Capture in {market:?} ({})", language.tag()),
        )
        .await;
        browser.click("#submit").await;
        browser.wait_for("#follow-up").await;
        assert_eq!(
            browser.text("h2").await,
            say(Phrase::LeadReceived),
            "{market:?}"
        );
        let next = match market.follow_up() {
            FollowUp::ContinueOnline => Phrase::ContinueOnline,
            FollowUp::RepresentativeCalls => Phrase::RepresentativeCalls,
            FollowUp::BankWrites => Phrase::BankWillWrite,
        };
        assert_eq!(browser.text("#follow-up").await, say(next), "{market:?}");
        assert_accessible(&browser, &format!("the lead's answer in {market:?}")).await;

        let reference = browser.text("#result-reference").await;
        let messages = bff.notifications(&reference).await;
        let sms = messages
            .iter()
            .find(|m| m["channel"] == "sms" && m["event"] == "acknowledgement")
            .unwrap_or_else(|| panic!("{market:?}: no acknowledgement by SMS in {messages:?}"));
        assert_eq!(sms["language"], language.tag(), "{market:?}");
        assert_eq!(sms["market"], market.code(), "{market:?}");
        let text = sms["text"].as_str().unwrap_or_default();
        assert!(text.contains(&reference), "{market:?}: {text}");
        assert_eq!(
            sms["link"].is_string(),
            market.follow_up() == FollowUp::ContinueOnline,
            "{market:?}: the continue link is only where the market has one: {sms}"
        );
        assert!(
            messages.iter().any(|m| m["channel"] == "email"),
            "{market:?}: an e-mail address was given, so an e-mail too"
        );
    }
}

/// Stage 2 with an ID valid in the market and its address.
async fn identity(browser: &Browser, market: Market) {
    let (id_type, id_number) = match market {
        Market::HongKong => ("HKID", "A123456(3)"),
        Market::Poland => ("PESEL", "44051401359"),
        Market::UnitedArabEmirates => ("EMIRATES_ID", "784-1990-6570305-2"),
        other => panic!("no test ID for {other:?}"),
    };
    browser.choose("id_type", id_type).await;
    browser.fill("id_number", id_number).await;
    browser.fill("address_line1", "1 Harbour Road").await;
    if let Some(postal_code) = market.postal_code_example() {
        browser.fill("postal_code", postal_code).await;
    }
    browser.choose("country", market.code()).await;
    browser.fill("years_at_address", "4").await;
}

async fn finances(browser: &Browser) {
    browser.choose("employment_status", "EMPLOYED").await;
    browser.choose("occupation", "PROFESSIONAL").await;
    browser.choose("industry", "IT_TELECOM").await;
    browser.fill("employer_name", "Acme").await;
    browser.fill("annual_income", "250000").await;
    browser.choose("education", "BACHELOR").await;
    browser.choose("residence_type", "RENTED").await;
}

#[tokio::test]
async fn the_in_principle_approval_decides_in_hong_kong_poland_and_the_uae() {
    let bff = Bff::start();
    let browser = Browser::start(1024).await;
    for (market, language) in [
        (Market::HongKong, Language::TraditionalChinese),
        (Market::Poland, Language::Polish),
        (Market::UnitedArabEmirates, Language::Arabic),
    ] {
        let say = |phrase: Phrase| phrase.in_language(language);
        open(&browser, &bff, APPROVALS, market, language).await;
        about_you(&browser, market, "Wong").await;
        browser.click("#submit").await;
        browser.wait_for("#id_type").await;
        assert_eq!(browser.text("h2").await, say(Phrase::IdentityTitle));
        identity(&browser, market).await;
        assert_accessible(&browser, &format!("stage 2 in {market:?}")).await;
        browser.click("#submit").await;
        browser.wait_for("#employment_status").await;
        finances(&browser).await;
        browser.click("#submit").await;
        browser.wait_for("#credit-limit").await;
        let heading = browser.text("h2").await;
        let for_card = say(Phrase::ApprovedForCard);
        let (before, after) = for_card.split_once("{card}").unwrap_or((for_card, ""));
        assert!(
            heading == say(Phrase::Approved)
                || (heading.starts_with(before) && heading.ends_with(after)),
            "{market:?}: {heading}"
        );
        let reference = browser.text("#result-reference").await;
        let application = bff.sandbox_application(&reference).await;
        assert_eq!(application["creditDecision"], "000", "{market:?}: approved");
        let limit = application["recommendedCreditLimit"]
            .as_f64()
            .map(|limit| limit as u64)
            .unwrap_or_else(|| panic!("{market:?}: no limit in {application}"));
        // The browser writes the limit in the market's currency for the language, Arabic
        // perhaps in Arabic-Indic digits: the number must be the bank's.
        let shown = browser.text("#credit-limit").await;
        assert_eq!(
            western_digits(&shown),
            limit.to_string(),
            "{market:?}: {shown}"
        );
        assert_accessible(&browser, &format!("the approval in {market:?}")).await;
    }
}

/// Digits of any script as ASCII, separators dropped.
fn western_digits(text: &str) -> String {
    text.chars()
        .filter_map(|c| c.to_digit(10).or_else(|| arabic_indic(c)))
        .map(|d| char::from_digit(d, 10).unwrap_or('0'))
        .collect()
}

fn arabic_indic(c: char) -> Option<u32> {
    match c {
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

#[tokio::test]
async fn arabic_reads_right_to_left_throughout() {
    let bff = Bff::start();
    let browser = Browser::start(1024).await;
    open(
        &browser,
        &bff,
        APPROVALS,
        Market::UnitedArabEmirates,
        Language::Arabic,
    )
    .await;
    let direction =
        |css: &str| format!("getComputedStyle(document.querySelector('{css}')).direction");
    for css in [
        "main",
        "h2",
        "label[for=given_name]",
        "#given_name",
        "#submit",
    ] {
        assert_eq!(browser.eval(&direction(css)).await, "rtl", "{css}");
    }
    // Phone numbers and e-mail addresses read left to right in every script.
    assert_eq!(browser.eval(&direction("#mobile_number")).await, "ltr");
    assert_eq!(browser.eval(&direction("#email")).await, "ltr");
    // Labels start at the right edge of their field, as Arabic is read.
    // Labels start at the right edge of their field, as Arabic is read: the label's words
    // (a range over its text, the element itself spans the field) end at the right.
    let gaps = browser
        .eval(
            "(() => { const label = document.querySelector('label[for=given_name]'); \
             const range = document.createRange(); range.selectNodeContents(label); \
             const words = range.getBoundingClientRect(); \
             const field = label.closest('.field').getBoundingClientRect(); \
             return [Math.round(field.right - words.right), Math.round(words.left - field.left)]; })()",
        )
        .await;
    assert!(
        gaps[0].as_i64() == Some(0) && gaps[1].as_i64() > Some(0),
        "the label hugs the right edge: {gaps}"
    );
    // The mobile number's prefix sits at the start of the row, on the right.
    let prefix_side = browser
        .eval(
            "document.querySelector('.prefix').getBoundingClientRect().left > \
             document.getElementById('mobile_number').getBoundingClientRect().left",
        )
        .await;
    assert_eq!(prefix_side, true, "the +971 prefix is on the right");
    // An error's bar is on the start side, the right.
    browser.click("#submit").await;
    browser.wait_for(".error-summary:not([hidden])").await;
    let bar = browser
        .eval(
            "(() => { const s = getComputedStyle(document.querySelector('.field.has-error')); \
             return [s.borderRightWidth, s.borderLeftWidth]; })()",
        )
        .await;
    assert_eq!(
        bar,
        serde_json::json!(["4px", "0px"]),
        "the error bar is on the right"
    );
    assert_accessible(&browser, "stage 1's errors in Arabic").await;
}

#[tokio::test]
async fn save_and_exit_tells_the_customer_how_to_continue_and_the_bank_texts_the_link() {
    let bff = Bff::start();
    let browser = Browser::start(1024).await;
    let market = Market::Singapore;
    open(&browser, &bff, APPROVALS, market, Language::English).await;
    assert_eq!(
        browser
            .eval("document.getElementById('save-and-exit') === null")
            .await,
        true,
        "nothing to save before the bank has the application"
    );
    about_you(&browser, market, "Tan").await;
    browser.click("#submit").await;
    browser.wait_for("#id_type").await;
    browser.click("#save-and-exit").await;
    browser.wait_for("#follow-up").await;
    assert_eq!(browser.text("h2").await, Phrase::Saved.english());
    assert_eq!(
        browser.text("#follow-up").await,
        Phrase::ContinueOnline.english()
    );
    assert_accessible(&browser, "the saved application").await;
    let reference = browser.text("#result-reference").await;
    let saved: Vec<_> = bff
        .notifications(&reference)
        .await
        .into_iter()
        .filter(|m| m["event"] == "saved" && m["channel"] == "sms")
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let link = saved[0]["link"]
        .as_str()
        .expect("Singapore's message has the link");
    assert!(saved[0]["text"].as_str().unwrap_or_default().contains(link));
}

//! The release widget, served by the real BFF with its embedded sandbox, driven in headless
//! Chromium from the demo partner page: every decision, keyboard only, axe on every screen.

use e2e::{Bff, Browser, ForeignSite, Key, THEME_BRAND};
use onboarding_core::Phrase;

/// Fails with the list of violations if axe-core finds any on the current frame.
async fn assert_accessible(browser: &Browser, screen: &str) {
    let violations = browser.accessibility_violations().await;
    assert!(
        violations.is_empty(),
        "axe-core found violations on {screen}:\n{}",
        violations.join("\n")
    );
}

/// What the BFF logs for each violation of a page's policy that a browser reports.
const VIOLATION: &str = "content security policy violation";

/// Fails if a browser reported any violation of the widget's or the partner page's policy.
fn assert_no_policy_violations(bff: &Bff) {
    let violations = bff.logged(VIOLATION);
    assert!(
        violations.is_empty(),
        "policy violations reported:\n{}",
        violations.join("\n")
    );
}

/// Opens the demo partner page and enters the widget's frame once it has loaded.
async fn open_widget(browser: &Browser, bff: &Bff) {
    open_widget_at(browser, &bff.partner_page()).await;
}

/// Opens a demo partner page and enters the widget's frame once it has loaded.
async fn open_widget_at(browser: &Browser, page: &str) {
    open_widget_showing(browser, page, "#given_name").await;
}

/// Opens a demo partner page (its iframe or the loader's) and enters the widget's frame
/// once it shows `first`.
async fn open_widget_showing(browser: &Browser, page: &str, first: &str) {
    browser.open_widget(page, first).await;
}

async fn about_you(browser: &Browser, surname: &str) {
    about_you_then(browser, surname, "#id_type").await;
}

/// Sends stage 1 and waits for `next`, the first field of the stage that follows.
async fn about_you_then(browser: &Browser, surname: &str, next: &str) {
    browser.choose("title", "MS").await;
    browser.fill("given_name", "Mei Ling").await;
    browser.fill("surname", surname).await;
    browser.set_date("date_of_birth", "1990-04-01").await;
    browser.fill("mobile_number", "9123 4567").await;
    browser.fill("email", "mei.ling@example.com").await;
    browser.click("#terms_consent").await;
    browser.click("#submit").await;
    browser.wait_for(next).await;
}

async fn identity(browser: &Browser) {
    browser.choose("id_type", "NRIC").await;
    browser.fill("id_number", "S1234567D").await;
    browser.fill("address_line1", "10 Anson Road #12-01").await;
    browser.fill("postal_code", "079903").await;
    browser.fill("years_at_address", "4").await;
    browser.click("#submit").await;
    browser.wait_for("#employment_status").await;
}

async fn finances(browser: &Browser, employment: &str, income: &str) {
    submit_finances(browser, employment, income).await;
    browser.wait_for("#back-to-partner").await;
}

async fn submit_finances(browser: &Browser, employment: &str, income: &str) {
    browser.choose("employment_status", employment).await;
    browser.choose("occupation", "PROFESSIONAL").await;
    browser.choose("industry", "IT_TELECOM").await;
    browser.fill("employer_name", "Acme Pte. Ltd.").await;
    browser.fill("annual_income", income).await;
    browser.choose("education", "BACHELOR").await;
    browser.choose("residence_type", "RENTED").await;
    browser.click("#submit").await;
}

fn digits(text: &str) -> u64 {
    text.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

#[tokio::test]
async fn approve_journey_shows_the_banks_limit_and_returns_to_the_partner() {
    let bff = Bff::start();
    let browser = Browser::start(1280).await;
    open_widget(&browser, &bff).await;
    assert_accessible(&browser, "stage 1").await;
    browser.screenshot_to("stage-1-about-you").await;

    // The partner's theme from the partners file: its colour on the primary button, its
    // corner radius, its logo above the application.
    let [r, g, b] = [1, 3, 5].map(|i| u8::from_str_radix(&THEME_BRAND[i..i + 2], 16).unwrap());
    let styles = browser
        .client
        .execute(
            "const button = getComputedStyle(document.getElementById('submit')); \
             const logo = getComputedStyle(document.querySelector('.widget'), '::before'); \
             return [button.backgroundColor, button.borderTopLeftRadius, logo.backgroundImage];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(styles[0], format!("rgb({r}, {g}, {b})"), "{styles}");
    assert_eq!(styles[1], "10px", "{styles}");
    assert!(
        styles[2]
            .as_str()
            .is_some_and(|image| image.contains(&format!("{}/demo/logo.svg", bff.partner_origin))),
        "{styles}"
    );

    // Submitting an empty stage shows the error summary, itself accessible.
    browser.click("#submit").await;
    browser
        .wait_until(
            "the error summary",
            "!document.querySelector('.error-summary').hidden",
        )
        .await;
    assert_accessible(&browser, "stage 1 with errors").await;

    about_you(&browser, "Tan").await;
    let reference = browser.text("#application-reference").await;
    assert_eq!(
        reference.len(),
        12,
        "the bank's reference number is shown: {reference}"
    );
    assert_eq!(
        browser.focused_id().await,
        "",
        "focus is on the new stage's heading"
    );
    assert_eq!(
        browser
            .client
            .execute("return document.activeElement.tagName", vec![])
            .await
            .unwrap(),
        "H2"
    );
    assert_accessible(&browser, "stage 2").await;
    browser.screenshot_to("stage-2-identity").await;

    identity(&browser).await;
    assert_accessible(&browser, "stage 3").await;
    browser.screenshot_to("stage-3-income").await;

    finances(&browser, "EMPLOYED", "60000").await;
    assert_accessible(&browser, "the approval").await;
    browser.screenshot_to("result-approved").await;
    let shown = browser.text("#credit-limit").await;
    let sandbox = bff.sandbox_application(&reference).await;
    assert_eq!(sandbox["creditDecision"], "000");
    assert_eq!(
        digits(&shown),
        sandbox["recommendedCreditLimit"].as_f64().unwrap() as u64,
        "on screen: {shown}"
    );
    assert!(
        shown.contains('$'),
        "formatted as a currency by Intl: {shown}"
    );
    assert!(browser
        .text("#approval-expiry")
        .await
        .chars()
        .any(|c| c.is_ascii_digit()));

    browser.click_and_leave("#back-to-partner").await;
    browser
        .client
        .enter_parent_frame()
        .await
        .expect("back to the top");
    browser
        .wait_until("the return page", "location.pathname === '/demo/return'")
        .await;
    let url = browser.client.current_url().await.unwrap();
    assert_eq!(url.origin().ascii_serialization(), bff.partner_origin);
    assert!(url
        .query_pairs()
        .any(|(k, v)| k == "reference" && v == reference));
    assert!(url
        .query_pairs()
        .any(|(k, v)| k == "outcome" && v == "approved"));
    // Signed by the BFF with the partner's secret, so the partner's server can trust it.
    assert!(
        url.query_pairs().any(|(k, v)| k == "sig" && v.len() == 64),
        "{url}"
    );
    let events = browser
        .client
        .execute(
            "return JSON.parse(sessionStorage.getItem('cardApplicationEvents') || '[]')",
            vec![],
        )
        .await
        .unwrap();
    let completed = events
        .as_array()
        .and_then(|e| e.iter().find(|m| m["type"] == "completed"))
        .cloned()
        .expect("the partner page got the completion message");
    assert_eq!(completed["reference"], reference.as_str());
    assert_eq!(completed["outcome"], "approved");
    assert_eq!(completed["version"], 1);

    // The whole journey, the theme and the logo included, broke neither the widget's policy
    // nor the partner page's. That the browser would have told: a violation provoked on
    // purpose in the partner page and in the widget is reported and logged.
    assert_no_policy_violations(&bff);
    browser
        .client
        .execute(
            "const img = document.createElement('img'); img.src = 'http://example.invalid/provoked.png'; document.body.append(img);",
            vec![],
        )
        .await
        .unwrap();
    wait_for_log(&bff, "http://example.invalid", 1).await;
    open_widget(&browser, &bff).await;
    browser
        .client
        .execute(
            "const img = document.createElement('img'); img.src = 'http://example.invalid/provoked-in-widget.png'; document.body.append(img);",
            vec![],
        )
        .await
        .unwrap();
    wait_for_log(&bff, "http://example.invalid", 2).await;
    take_provoked_failures(&browser, "http://example.invalid", 2).await;
    browser.close().await;
}

/// Waits until the BFF has logged `count` lines containing `text`.
async fn wait_for_log(bff: &Bff, text: &str, count: usize) {
    for _ in 0..100 {
        if bff.logged(text).len() >= count {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "the BFF never logged {count} lines with {text:?}; it logged:\n{}",
        bff.logged("").join("\n")
    );
}

#[tokio::test]
async fn refer_decline_and_review_journeys_end_with_clear_next_steps() {
    let bff = Bff::start();
    // (surname, employment, income, heading, screen, what the sandbox then holds)
    for (surname, employment, income, heading, screen, at_bank) in [
        (
            "Lim",
            "SELF_EMPLOYED",
            "90000",
            "Your application is being reviewed",
            "result-referred",
            ("creditDecision", "002"),
        ),
        (
            "Decline",
            "EMPLOYED",
            "60000",
            "We're sorry",
            "result-declined",
            ("creditDecision", "003"),
        ),
        (
            "applicationNeedsManualReview",
            "EMPLOYED",
            "60000",
            "Your application is under review",
            "result-under-review",
            ("stage", "SUBMITTED"),
        ),
    ] {
        let browser = Browser::start(1280).await;
        open_widget(&browser, &bff).await;
        about_you(&browser, surname).await;
        let reference = browser.text("#application-reference").await;
        identity(&browser).await;
        finances(&browser, employment, income).await;
        assert_eq!(browser.text(".stage-heading").await, heading);
        assert_eq!(browser.text("#result-reference").await, reference);
        assert_accessible(&browser, screen).await;
        browser.screenshot_to(screen).await;
        let (field, value) = at_bank;
        assert_eq!(
            bff.sandbox_application(&reference).await[field],
            value,
            "{surname}"
        );
        browser.close().await;
    }
}

#[tokio::test]
async fn a_counter_offer_is_chosen_and_accepted_and_a_cross_sell_offer_added() {
    let bff = Bff::start();
    let browser = Browser::start(1280).await;
    open_widget(&browser, &bff).await;
    about_you(&browser, "Counteroffer").await;
    let reference = browser.text("#application-reference").await;
    identity(&browser).await;
    submit_finances(&browser, "EMPLOYED", "60000").await;
    browser.wait_for("#offer-2").await;
    assert_accessible(&browser, "the counter-offers").await;
    browser.screenshot_to("result-counter-offer").await;
    let offers = browser.text("fieldset").await;
    assert!(
        offers.contains("Rewards Card") && offers.contains("Simplicity Card"),
        "both offers by name: {offers}"
    );

    // Accepting needs a choice, and says so where the choice is made.
    browser.click("#accept-offer").await;
    browser
        .wait_until(
            "the error asking for a choice",
            "document.querySelector('#offer-error').textContent.trim().length > 0",
        )
        .await;
    assert_eq!(
        bff.sandbox_application(&reference).await["acceptedOffers"],
        serde_json::json!([])
    );

    browser.click("#offer-2").await;
    browser.click("#accept-offer").await;
    browser.wait_for("#credit-limit").await;
    let heading = browser.text(".stage-heading").await;
    assert!(heading.contains("Simplicity Card"), "{heading}");
    assert_eq!(digits(&browser.text("#credit-limit").await), 10_000);
    assert_accessible(&browser, "the accepted counter-offer").await;
    let at_bank = bff.sandbox_application(&reference).await;
    assert_eq!(at_bank["acceptedOffers"], serde_json::json!(["2"]));
    assert_eq!(at_bank["stage"], "APPROVAL");
    browser.close().await;

    let browser = Browser::start(1280).await;
    open_widget(&browser, &bff).await;
    about_you(&browser, "Crosssell").await;
    let reference = browser.text("#application-reference").await;
    identity(&browser).await;
    finances(&browser, "EMPLOYED", "60000").await;
    assert_eq!(digits(&browser.text("#credit-limit").await), 10_000);
    let add = browser.text("#accept-offer-1").await;
    assert!(add.contains("Ready Credit"), "{add}");
    assert_accessible(&browser, "the approval with a cross-sell offer").await;
    browser.screenshot_to("result-approved-cross-sell").await;
    browser.click("#accept-offer-1").await;
    let added = browser.wait_for(".offer-added").await.text().await.unwrap();
    assert!(added.contains("Ready Credit"), "{added}");
    assert_eq!(
        bff.sandbox_application(&reference).await["acceptedOffers"],
        serde_json::json!(["1"])
    );
    assert_accessible(&browser, "the added cross-sell offer").await;
    browser.close().await;
}

#[tokio::test]
async fn a_connectfi_placement_has_two_stages_and_explains_a_decline() {
    let bff = Bff::start();
    let browser = Browser::start(1280).await;
    open_widget_at(&browser, &bff.connectfi_partner_page("cstap_sandboxFreeze")).await;
    let progress = browser.text(".progress-text").await;
    assert_eq!(progress, "Step 1 of 2");
    // connectFi has verified the customer: straight on to income and work.
    about_you_then(&browser, "Tan", "#employment_status").await;
    assert_eq!(browser.text(".progress-text").await, "Step 2 of 2");
    let saveable = browser
        .client
        .execute("return !!document.getElementById('save-and-exit')", vec![])
        .await
        .unwrap();
    assert_eq!(
        saveable, false,
        "the bank holds no connectFi application to save"
    );
    assert_accessible(&browser, "the connectFi stage 2").await;
    finances(&browser, "EMPLOYED", "60000").await;
    let reasons = browser.text(".reasons").await;
    assert!(
        reasons.to_lowercase().contains("frozen"),
        "the credit freeze in plain words: {reasons}"
    );
    assert_accessible(&browser, "the connectFi decline").await;
    browser.screenshot_to("result-declined-connectfi").await;
    browser.close().await;
}

#[tokio::test]
async fn approve_journey_with_the_keyboard_alone_at_320_pixels() {
    let bff = Bff::start();
    let browser = Browser::start(320).await;
    open_widget(&browser, &bff).await;
    browser
        .wait_until(
            "no sideways scrolling at 320 px",
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth",
        )
        .await;

    // Tab to the stage's button and press Enter, then wait for what comes next.
    let submit_by_keyboard = |next: &'static str| {
        let browser = &browser;
        async move {
            browser.tab_to("submit").await;
            browser.press(&char::from(Key::Enter).to_string()).await;
            browser.wait_for(next).await;
        }
    };
    let type_in = |id: &'static str, text: &'static str| {
        let browser = &browser;
        async move {
            browser.tab_to(id).await;
            browser.press(text).await;
        }
    };
    type_in("title", "Ms").await;
    type_in("given_name", "Mei Ling").await;
    type_in("surname", "Tan").await;
    // Day, month and year fields, in the page's order (en-SG: the day first), whatever
    // order the browser's own language would write dates in.
    type_in("date_of_birth", "1").await;
    type_in("date_of_birth-month", "4").await;
    type_in("date_of_birth-year", "1990").await;
    type_in("mobile_number", "91234567").await;
    type_in("email", "mei.ling@example.com").await;
    type_in("terms_consent", " ").await;
    submit_by_keyboard("#id_type").await;

    type_in("id_type", "NRIC").await;
    type_in("id_number", "S1234567D").await;
    type_in("address_line1", "10 Anson Road").await;
    type_in("postal_code", "079903").await;
    type_in("years_at_address", "4").await;
    submit_by_keyboard("#employment_status").await;

    type_in("employment_status", "Employed").await;
    type_in("occupation", "Professional").await;
    type_in("industry", "IT").await;
    type_in("employer_name", "Acme Pte. Ltd.").await;
    type_in("annual_income", "150000").await;
    type_in("education", "Bachelor").await;
    type_in("residence_type", "Rented").await;
    submit_by_keyboard("#credit-limit").await;
    assert_eq!(
        digits(&browser.text("#credit-limit").await),
        50_000,
        "150,000 a year earns four months' income"
    );
    browser
        .wait_until(
            "no sideways scrolling on the result",
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth",
        )
        .await;

    browser.tab_to("back-to-partner").await;
    browser.press(&char::from(Key::Enter).to_string()).await;
    browser
        .client
        .enter_parent_frame()
        .await
        .expect("back to the top");
    browser
        .wait_until("the return page", "location.pathname === '/demo/return'")
        .await;
    browser.close().await;
}

#[tokio::test]
async fn a_bank_failure_is_explained_and_a_retry_offered_only_where_it_can_help() {
    let bff = Bff::start();
    // serverUnavailable: the bank fails; what was entered is kept and "Try again" is offered.
    let browser = Browser::start(1280).await;
    open_widget(&browser, &bff).await;
    about_you(&browser, "serverUnavailable").await;
    let reference = browser.text("#application-reference").await;
    identity(&browser).await;
    submit_finances(&browser, "EMPLOYED", "60000").await;
    let problem = browser.text(".problem").await;
    assert!(
        problem.contains("isn't answering") && problem.contains("saved"),
        "{problem}"
    );
    assert_accessible(&browser, "the bank-unavailable message").await;
    // The notice is replaced when the retry's answer arrives: mark this one to tell them apart.
    browser
        .client
        .execute(
            "document.querySelector('.problem').dataset.before = 'retry'",
            vec![],
        )
        .await
        .unwrap();
    browser.click(".problem button").await;
    browser.wait_until("the retry's answer", "(() => { const p = document.querySelector('.problem'); return p && !p.dataset.before; })()").await;
    assert_eq!(
        browser.text("#application-reference").await,
        reference,
        "the same application, still at stage 3"
    );
    let applications = reqwest::get(format!("{}/sandbox/applications", bff.sandbox_origin))
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(
        applications.as_array().map(Vec::len),
        Some(1),
        "retrying never creates a second application"
    );
    // The bank's failure reached the widget as a 503, once and again on the retry.
    take_provoked_failures(&browser, "status of 503", 2).await;
    browser.close().await;

    // productAgreementExpired: nothing to retry; the customer is told the offer has ended.
    // A BFF of its own: the failures above have (rightly) opened this one's circuit breaker.
    let bff = Bff::start();
    let browser = Browser::start(1280).await;
    open_widget(&browser, &bff).await;
    about_you(&browser, "productAgreementExpired").await;
    identity(&browser).await;
    submit_finances(&browser, "EMPLOYED", "60000").await;
    let problem = browser.text(".problem").await;
    assert!(problem.contains("offer has ended"), "{problem}");
    assert!(
        browser
            .client
            .find(fantoccini::Locator::Css(".problem button"))
            .await
            .is_err(),
        "no retry for an ended offer"
    );
    take_provoked_failures(&browser, "status of 410", 1).await;
    browser.close().await;
}

#[tokio::test]
async fn the_loader_included_twice_gives_one_widget_sized_to_its_content_and_one_completion() {
    let bff = Bff::start();
    for width in [320, 1280] {
        let browser = Browser::start(width).await;
        browser
            .client
            .goto(&bff.script_page())
            .await
            .expect("script page");
        browser.wait_for("iframe[data-card-application]").await;
        browser
            .wait_until(
                "the widget's first height",
                "(window.cardApplicationEvents || []).some(m => m.type === 'resize')",
            )
            .await;
        let frames = browser
            .client
            .execute("return document.querySelectorAll('iframe').length", vec![])
            .await
            .unwrap();
        assert_eq!(frames, 1, "one widget from two script tags and two opens");
        // A message from any origin but the widget's is ignored, however well formed.
        browser
            .client
            .execute(
                "window.postMessage({source: 'card-application', version: 1, seq: 999, type: 'completed', reference: 'forged', outcome: 'approved'}, '*');",
                vec![],
            )
            .await
            .unwrap();
        // The frame is exactly as tall as the widget's content: no inner scrollbar.
        browser
            .wait_until(
                "the frame sized to the last height the widget reported",
                "(() => { const r = window.cardApplicationEvents.filter(m => m.type === 'resize').pop(); \
                 return r && document.querySelector('iframe').getBoundingClientRect().height === r.height; })()",
            )
            .await;
        browser
            .wait_for("iframe[data-card-application]")
            .await
            .enter_frame()
            .await
            .expect("into the widget's frame");
        browser.wait_for("#given_name").await;
        let inner_scroll = browser
            .client
            .execute(
                "return document.documentElement.scrollHeight - window.innerHeight",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            inner_scroll.as_i64().unwrap_or(1) <= 0,
            "at {width} px the frame scrolls inside by {inner_scroll}"
        );
        if width == 1280 {
            browser.close().await;
            continue;
        }
        about_you(&browser, "Decline").await;
        identity(&browser).await;
        finances(&browser, "EMPLOYED", "60000").await;
        browser
            .client
            .enter_parent_frame()
            .await
            .expect("back to the page");
        let events = browser
            .client
            .execute(
                "return window.cardApplicationEvents.map(m => m.type + ':' + m.seq)",
                vec![],
            )
            .await
            .unwrap();
        let events: Vec<String> = serde_json::from_value(events).unwrap();
        assert!(
            events.first().is_some_and(|e| e.starts_with("ready:")),
            "{events:?}"
        );
        for stage in ["about_you", "identity", "finances", "result"] {
            assert!(
                browser
                    .client
                    .execute(
                        &format!("return window.cardApplicationEvents.some(m => m.type === 'stage_changed' && m.stage === '{stage}')"),
                        vec![]
                    )
                    .await
                    .unwrap()
                    == true,
                "stage {stage} announced: {events:?}"
            );
        }
        let mut seqs: Vec<u64> = events
            .iter()
            .filter_map(|e| e.rsplit(':').next()?.parse().ok())
            .collect();
        let count = seqs.len();
        seqs.dedup();
        assert_eq!(seqs.len(), count, "each message delivered once: {events:?}");
        browser
            .wait_for("iframe[data-card-application]")
            .await
            .enter_frame()
            .await
            .unwrap();
        browser.click_and_leave("#back-to-partner").await;
        browser
            .client
            .enter_parent_frame()
            .await
            .expect("back to the page");
        browser
            .wait_until("the return page", "location.pathname === '/demo/return'")
            .await;
        let successes = browser
            .client
            .execute(
                "return JSON.parse(sessionStorage.getItem('cardApplicationSuccesses') || '[]')",
                vec![],
            )
            .await
            .unwrap();
        let successes = successes.as_array().cloned().unwrap_or_default();
        assert_eq!(
            successes.len(),
            1,
            "one completion, not the forged one: {successes:?}"
        );
        assert_eq!(successes[0]["outcome"], "declined");
        assert_ne!(successes[0]["reference"], "forged");
        browser.close().await;
    }
    assert_no_policy_violations(&bff);
}

#[tokio::test]
async fn a_page_on_an_origin_not_allowlisted_cannot_frame_the_widget() {
    let bff = Bff::start();
    // The placement itself is in order (partner, market, return URL): only the page
    // framing it is on no allowlist.
    let src = format!(
        "{}/apply?partner=demo-travel&market=SG&return_url={}/demo/return",
        bff.origin, bff.partner_origin
    );
    let site = ForeignSite::serve(format!(
        "<!doctype html><html lang=\"en\"><head><title>Elsewhere</title></head><body>\
         <iframe id=\"card-application\" title=\"Credit card application\" src=\"{src}\"></iframe></body></html>"
    ));
    let browser = Browser::start(1280).await;
    browser
        .client
        .goto(&site.url)
        .await
        .expect("the foreign page");
    // The browser refuses the frame and reports the refusal to the BFF.
    wait_for_log(&bff, "frame-ancestors", 1).await;
    take_provoked_failures(&browser, "frame-ancestors", 1).await;
    browser
        .wait_for("iframe#card-application")
        .await
        .enter_frame()
        .await
        .expect("into the frame");
    let shown = browser
        .client
        .execute(
            "return !!document.querySelector('#given_name, main')",
            vec![],
        )
        .await
        .unwrap_or(serde_json::Value::Bool(false));
    assert_eq!(shown, false, "the widget rendered inside a foreign page");

    // The very same address opens on its own: only the framing was refused.
    browser.client.enter_parent_frame().await.unwrap();
    browser.client.goto(&src).await.unwrap();
    browser.wait_for("#given_name").await;
    browser.close().await;
}

#[tokio::test]
async fn open_redirect_attempts_are_refused_before_the_journey_starts() {
    let bff = Bff::start();
    let partner = &bff.partner_origin;
    let host = partner.trim_start_matches("http://");
    let browser = Browser::start(1280).await;
    for attempt in [
        "https://evil.example/demo/return".to_owned(),
        format!("http://{host}.evil.example/demo/return"),
        format!("http://{host}@evil.example/demo/return"),
        format!("{partner}/demo/returned"),
        format!("{partner}/demo/return/../../evil"),
        format!("https://{host}/demo/return"),
        "//evil.example/demo/return".to_owned(),
        "javascript:alert(document.domain)".to_owned(),
        format!("{partner}/demo/return#@evil.example"),
    ] {
        let mut apply = url::Url::parse(&format!("{}/apply", bff.origin)).unwrap();
        apply
            .query_pairs_mut()
            .append_pair("partner", "demo-travel")
            .append_pair("market", "SG")
            .append_pair("return_url", &attempt);
        browser.client.goto(apply.as_str()).await.unwrap();
        assert_eq!(
            browser.text("h1").await,
            Phrase::ApplicationHeading.english(),
            "{attempt}"
        );
        assert_eq!(
            browser.text("main p").await,
            Phrase::UnknownPartner.english(),
            "{attempt}"
        );
        let started = browser
            .client
            .execute(
                "return !!document.querySelector('#given_name, script')",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(started, false, "{attempt}: a journey started");
        let url = browser.client.current_url().await.unwrap();
        assert_eq!(
            url.origin().ascii_serialization(),
            bff.origin,
            "{attempt}: the browser was sent away"
        );
        // The refusal is a 400, which the browser logs as a failed load.
        take_provoked_failures(&browser, "status of 400", 1).await;
    }
    browser.close().await;
}

#[tokio::test]
async fn leaving_before_a_decision_tells_the_partner_and_resumes_on_return() {
    let bff = Bff::start();
    let browser = Browser::start(1280).await;
    open_widget_at(&browser, &bff.script_page()).await;
    about_you(&browser, "Tan").await;
    let reference = browser.text("#application-reference").await;
    assert_eq!(
        browser.text("#leave").await,
        "Leave and go back to Demo Travel"
    );
    browser.click_and_leave("#leave").await;
    browser.client.enter_parent_frame().await.unwrap();
    browser
        .wait_until("the return page", "location.pathname === '/demo/return'")
        .await;
    let url = browser.client.current_url().await.unwrap();
    assert!(
        url.query().is_none(),
        "no result after leaving, nothing signed: {url}"
    );
    assert!(browser
        .text("#return-message")
        .await
        .starts_with("You left"));
    let exits = browser
        .client
        .execute(
            "return JSON.parse(sessionStorage.getItem('cardApplicationExits') || '[]')",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        exits.as_array().map(Vec::len),
        Some(1),
        "onExit once: {exits}"
    );
    assert_eq!(exits[0]["type"], "exited");
    assert_eq!(exits[0]["stage"], "identity");

    // Back on the partner's page in the same tab, the application resumes where it stopped.
    open_widget_showing(&browser, &bff.script_page(), "#id_type").await;
    assert_eq!(browser.text("#application-reference").await, reference);
    browser.close().await;
    assert_no_policy_violations(&bff);
}

/// Takes the failures the browser logged because a step provoked them: at least `count`,
/// each mentioning `provoked`. What else failed is not excused, and fails the test.
async fn take_provoked_failures(browser: &Browser, provoked: &str, count: usize) {
    let mut failures = Vec::new();
    for _ in 0..100 {
        failures.extend(browser.take_failures().await);
        if failures.len() >= count {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        failures.len() >= count && failures.iter().all(|line| line.contains(provoked)),
        "expected {count} failures mentioning {provoked:?}, the browser logged:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn the_widgets_page_arrives_compressed_and_declares_its_icon() {
    let bff = Bff::start();
    let browser = Browser::start(1280).await;
    open_widget(&browser, &bff).await;
    // Chromium accepts brotli: the page (a fresh nonce each time) is compressed per response.
    let sizes = browser
        .eval(
            "(() => { const page = performance.getEntriesByType('navigation')[0]; \
             return [page.encodedBodySize, page.decodedBodySize]; })()",
        )
        .await;
    let (sent, page) = (sizes[0].as_u64().unwrap(), sizes[1].as_u64().unwrap());
    assert!(sent > 0 && sent * 2 < page, "{sent} bytes sent for {page}");
    // No /favicon.ico is asked for: `close` fails on any failed request.
    let icon = browser
        .eval("document.querySelector('link[rel=icon]').getAttribute('href')")
        .await;
    assert_eq!(icon, "data:,");
    browser.close().await;
}

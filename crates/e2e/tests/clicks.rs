//! A customer's first click on "Continue" counts, straight after typing something invalid,
//! on every stage and for every field that can be wrong, on a phone's width and a desktop's.
//! The click is a real pointer's (move, press, a pause as a person's, release), so anything
//! the press sets off that moves the button away from under the pointer loses it, as it
//! would for a person.

use e2e::{Bff, Browser};

/// A field, a wrong value to type into it, and the right one it is then corrected to.
struct Wrong {
    /// The input's id (a date's day, month and year inputs are named `<date>-<part>`).
    input: &'static str,
    /// The field whose error the summary links to.
    field: &'static str,
    wrong: &'static str,
    right: &'static str,
}

const ABOUT_YOU: &[Wrong] = &[
    Wrong {
        input: "given_name",
        field: "given_name",
        wrong: "Mei<",
        right: "Mei Ling",
    },
    Wrong {
        input: "surname",
        field: "surname",
        wrong: "Tan>",
        right: "Tan",
    },
    Wrong {
        input: "date_of_birth",
        field: "date_of_birth",
        wrong: "31",
        right: "1",
    },
    Wrong {
        input: "mobile_number",
        field: "mobile_number",
        wrong: "123",
        right: "9123 4567",
    },
    Wrong {
        input: "email",
        field: "email",
        wrong: "mei.example.com",
        right: "mei@example.com",
    },
];

const IDENTITY: &[Wrong] = &[
    Wrong {
        input: "id_number",
        field: "id_number",
        wrong: "S1234567A",
        right: "S1234567D",
    },
    Wrong {
        input: "address_line1",
        field: "address_line1",
        wrong: "<b>",
        right: "10 Anson Road",
    },
    Wrong {
        input: "postal_code",
        field: "postal_code",
        wrong: "0799",
        right: "079903",
    },
    Wrong {
        input: "years_at_address",
        field: "years_at_address",
        wrong: "four",
        right: "4",
    },
];

const FINANCES: &[Wrong] = &[
    Wrong {
        input: "employer_name",
        field: "employer_name",
        wrong: "<Acme>",
        right: "Acme Pte. Ltd.",
    },
    Wrong {
        input: "annual_income",
        field: "annual_income",
        wrong: "lots",
        right: "150000",
    },
];

/// The ids the error summary links to.
async fn summary_links(browser: &Browser) -> Vec<String> {
    let links = browser
        .eval(
            "Array.from(document.querySelectorAll('.error-summary:not([hidden]) a')) \
             .map(a => a.getAttribute('href').slice(1))",
        )
        .await;
    serde_json::from_value(links).expect("a list of ids")
}

/// For each field in turn: type its wrong value, click "Continue" with the pointer, and
/// check that the click was taken (the summary now names that field), then correct it.
async fn every_first_click_counts(browser: &Browser, stage: &str, fields: &[Wrong], width: u32) {
    for field in fields {
        browser.type_over(field.input, field.wrong).await;
        browser.pointer_click("#submit").await;
        let script = format!(
            "Array.from(document.querySelectorAll('.error-summary:not([hidden]) a')) \
             .some(a => a.getAttribute('href') === '#{}')",
            field.field
        );
        let taken = format!(
            "the first click after typing a wrong {} ({stage}, {width} px)",
            field.input
        );
        browser.wait_until(&taken, &script).await;
        assert_eq!(
            summary_links(browser).await,
            [field.field],
            "{stage} at {width} px: only the field just made wrong is listed"
        );
        browser.fill(field.input, field.right).await;
    }
}

async fn stage_by_stage_at(width: u32) {
    let bff = Bff::start();
    let browser = Browser::start(width).await;
    browser
        .client
        .goto(&bff.partner_page())
        .await
        .expect("partner page");
    // The widget's own page, at the top of the window: chromedriver cannot aim a pointer
    // into a scrolled frame on another site ("move target out of bounds"), and the layout
    // under the pointer is the widget's alone.
    let widget = browser
        .wait_for("iframe#card-application")
        .await
        .attr("src")
        .await
        .expect("the frame's address")
        .expect("the frame has a src");
    browser
        .client
        .goto(&widget)
        .await
        .expect("the widget's page");
    browser.wait_for("#given_name").await;

    // Everything right but the field under test, so its error is the only one.
    browser.choose("title", "MS").await;
    for field in ABOUT_YOU {
        browser.fill(field.input, field.right).await;
    }
    browser.set_date("date_of_birth", "1990-04-01").await;
    browser.click("#terms_consent").await;
    every_first_click_counts(&browser, "about you", ABOUT_YOU, width).await;
    browser.pointer_click("#submit").await;
    browser.wait_for("#id_type").await;

    browser.choose("id_type", "NRIC").await;
    for field in IDENTITY {
        browser.fill(field.input, field.right).await;
    }
    every_first_click_counts(&browser, "identity and address", IDENTITY, width).await;
    browser.pointer_click("#submit").await;
    browser.wait_for("#employment_status").await;

    for (id, code) in [
        ("employment_status", "EMPLOYED"),
        ("occupation", "PROFESSIONAL"),
        ("industry", "IT_TELECOM"),
        ("education", "BACHELOR"),
        ("residence_type", "RENTED"),
    ] {
        browser.choose(id, code).await;
    }
    for field in FINANCES {
        browser.fill(field.input, field.right).await;
    }
    every_first_click_counts(&browser, "income and work", FINANCES, width).await;
    browser.pointer_click("#submit").await;
    browser.wait_for("#back-to-partner").await;
    browser.close().await;
}

#[tokio::test]
async fn the_first_click_after_a_wrong_entry_counts_on_a_phone() {
    stage_by_stage_at(320).await;
}

#[tokio::test]
async fn the_first_click_after_a_wrong_entry_counts_on_a_desktop() {
    stage_by_stage_at(1280).await;
}

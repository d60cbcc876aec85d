//! A reload, or leaving the partner's page and coming back, resumes the same application,
//! by iframe and by loader: in a default profile, where the widget's frame keeps its token
//! in its own sessionStorage, and in a profile that blocks third-party storage, where the
//! partner's page keeps a resume handle for it instead. Where nothing can be kept, stage 1
//! says so before the customer types.

use e2e::{Bff, Browser, WIDGET_FRAME};
use onboarding_core::Phrase;
use serde_json::{json, Value};

/// How the customer's browser treats the widget's frame, on a site other than the page's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Profile {
    /// A new profile as Chromium makes it: the frame's storage is partitioned by the
    /// page's site, and works.
    Default,
    /// Third-party cookies blocked, with storage partitioning off (as in older Chromium, or
    /// where an enterprise policy turns it off): the frame gets no storage at all.
    BlocksThirdPartyStorage,
}

impl Profile {
    async fn browser(self) -> Browser {
        match self {
            Self::Default => Browser::start(1280).await,
            Self::BlocksThirdPartyStorage => {
                Browser::start_with(
                    1280,
                    &["--disable-features=ThirdPartyStoragePartitioning"],
                    json!({ "profile": { "cookie_controls_mode": 1, "block_third_party_cookies": true } }),
                )
                .await
            }
        }
    }
}

/// How the demo partner embeds the widget, and where its page keeps the resume handle.
#[derive(Debug, Clone, Copy)]
enum Embedding {
    Iframe,
    Loader,
}

impl Embedding {
    fn page(self, bff: &Bff) -> String {
        match self {
            Self::Iframe => bff.partner_page(),
            Self::Loader => bff.script_page(),
        }
    }

    /// The key the page keeps the handle under, in its own sessionStorage.
    fn handle_key(self) -> &'static str {
        match self {
            Self::Iframe => "cardApplicationResume:demo-travel:SG",
            Self::Loader => "card-application-resume:demo-travel:SG",
        }
    }
}

/// Opens a partner page and enters the widget's frame once it shows `first`.
async fn open(browser: &Browser, page: &str, first: &str) {
    browser.open_widget(page, first).await;
}

/// Reloads the whole partner page, as the customer's browser button does.
async fn reload(browser: &Browser, first: &str) {
    browser
        .client
        .enter_parent_frame()
        .await
        .expect("to the page");
    browser.client.refresh().await.expect("reloaded");
    browser.enter_widget(first).await;
}

/// What reading sessionStorage gives in the current frame: `kept`, or the error's name.
async fn storage_in_frame(browser: &Browser) -> String {
    let answer = browser
        .eval("(() => { try { sessionStorage.setItem('probe', '1'); return 'kept'; } catch (e) { return e.name; } })()")
        .await;
    answer.as_str().unwrap_or_default().to_owned()
}

/// The resume handle the partner's page keeps, read from the page (then back into the frame).
async fn kept_handle(browser: &Browser, embedding: Embedding) -> Value {
    browser
        .client
        .enter_parent_frame()
        .await
        .expect("to the page");
    let handle = browser
        .eval(&format!(
            "sessionStorage.getItem('{}')",
            embedding.handle_key()
        ))
        .await;
    browser
        .wait_for(WIDGET_FRAME)
        .await
        .enter_frame()
        .await
        .expect("back into the widget's frame");
    handle
}

/// Waits until the page keeps a handle other than `before`, and answers it.
async fn new_handle(browser: &Browser, embedding: Embedding, before: &Value) -> Value {
    for _ in 0..100 {
        let handle = kept_handle(browser, embedding).await;
        if handle.is_string() && handle != *before {
            return handle;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the page never kept a new handle (it had {before})");
}

async fn about_you(browser: &Browser) {
    browser.choose("title", "MS").await;
    browser.fill("given_name", "Mei Ling").await;
    browser.fill("surname", "Tan").await;
    browser.set_date("date_of_birth", "1990-04-01").await;
    browser.fill("mobile_number", "9123 4567").await;
    browser.fill("email", "mei.ling@example.com").await;
    browser.click("#terms_consent").await;
    browser.click("#submit").await;
    browser.wait_for("#id_type").await;
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

async fn finances(browser: &Browser) {
    browser.choose("employment_status", "EMPLOYED").await;
    browser.choose("occupation", "PROFESSIONAL").await;
    browser.choose("industry", "IT_TELECOM").await;
    browser.fill("employer_name", "Acme Pte. Ltd.").await;
    browser.fill("annual_income", "60000").await;
    browser.choose("education", "BACHELOR").await;
    browser.choose("residence_type", "RENTED").await;
    browser.click("#submit").await;
    browser.wait_for("#back-to-partner").await;
}

/// Whether the notice that nothing survives a reload is shown, in its live region.
const NOTICE_SHOWN: &str =
    "(() => { const notice = document.querySelector('[role=status] > #not-kept'); \
     return !!notice && !notice.hidden; })()";

/// Whether stage 1 shows the notice that nothing survives a reload, once it would have.
async fn shows_notice(browser: &Browser) -> bool {
    // The words come a moment after their live region, for screen readers.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    browser.eval(NOTICE_SHOWN).await == Value::Bool(true)
}

/// Clicks something that sends the whole page to the partner's return page, and waits
/// for it.
async fn leave_by(browser: &Browser, css: &str) {
    browser.click_and_leave(css).await;
    browser
        .client
        .enter_parent_frame()
        .await
        .expect("to the page");
    browser
        .wait_until("the return page", "location.pathname === '/demo/return'")
        .await;
}

/// Stage 1, a reload at stage 2, a reload at stage 3, leaving and coming back: always the
/// same application. Then, once it is complete, the page opens a new one.
async fn resumes_through_reloads_and_coming_back(profile: Profile, embedding: Embedding) {
    let what = format!("{profile:?} by {embedding:?}");
    let bff = Bff::start();
    let browser = profile.browser().await;
    let page = embedding.page(&bff);
    open(&browser, &page, "#given_name").await;
    let expected = match profile {
        Profile::Default => "kept",
        Profile::BlocksThirdPartyStorage => "SecurityError",
    };
    assert_eq!(
        storage_in_frame(&browser).await,
        expected,
        "{what}: the frame's storage"
    );
    assert!(
        !shows_notice(&browser).await,
        "{what}: the page keeps handles"
    );
    // Where the frame keeps its token, the page is given no handle: nothing changes there.
    let mut handle = kept_handle(&browser, embedding).await;
    if profile == Profile::BlocksThirdPartyStorage {
        handle = new_handle(&browser, embedding, &Value::Null).await;
    }

    about_you(&browser).await;
    let reference = browser.text("#application-reference").await;
    reload(&browser, "#id_type").await;
    assert_eq!(
        browser.text("#application-reference").await,
        reference,
        "{what}: reloaded at stage 2"
    );
    if profile == Profile::BlocksThirdPartyStorage {
        // Used for the reload, the handle was replaced by a new one.
        handle = new_handle(&browser, embedding, &handle).await;
    }

    identity(&browser).await;
    reload(&browser, "#employment_status").await;
    assert_eq!(
        browser.text("#application-reference").await,
        reference,
        "{what}: reloaded at stage 3"
    );
    if profile == Profile::BlocksThirdPartyStorage {
        handle = new_handle(&browser, embedding, &handle).await;
    }

    leave_by(&browser, "#leave").await;
    open(&browser, &page, "#employment_status").await;
    assert_eq!(
        browser.text("#application-reference").await,
        reference,
        "{what}: back after leaving"
    );
    if profile == Profile::BlocksThirdPartyStorage {
        new_handle(&browser, embedding, &handle).await;
    } else {
        assert_eq!(
            kept_handle(&browser, embedding).await,
            Value::Null,
            "{what}"
        );
    }

    finances(&browser).await;
    leave_by(&browser, "#back-to-partner").await;
    open(&browser, &page, "#given_name").await;
    let started_again = browser
        .eval("!document.getElementById('application-reference')")
        .await;
    assert_eq!(
        started_again,
        Value::Bool(true),
        "{what}: a new application"
    );
    browser.close().await;
}

#[tokio::test]
async fn where_third_party_storage_is_blocked_the_loader_keeps_the_application() {
    resumes_through_reloads_and_coming_back(Profile::BlocksThirdPartyStorage, Embedding::Loader)
        .await;
}

#[tokio::test]
async fn where_third_party_storage_is_blocked_an_iframe_partner_keeps_the_application() {
    resumes_through_reloads_and_coming_back(Profile::BlocksThirdPartyStorage, Embedding::Iframe)
        .await;
}

#[tokio::test]
async fn by_default_the_frame_keeps_the_application_by_loader() {
    resumes_through_reloads_and_coming_back(Profile::Default, Embedding::Loader).await;
}

#[tokio::test]
async fn by_default_the_frame_keeps_the_application_by_iframe() {
    resumes_through_reloads_and_coming_back(Profile::Default, Embedding::Iframe).await;
}

#[tokio::test]
async fn where_nothing_can_be_kept_stage_1_says_so_before_the_customer_types() {
    let bff = Bff::start();
    // An iframe partner that passes no `resume`, in a browser that gives the frame no storage.
    let page = format!("{}?resume=no", bff.partner_page());
    let browser = Profile::BlocksThirdPartyStorage.browser().await;
    open(&browser, &page, "#given_name").await;
    browser.wait_until("the notice", NOTICE_SHOWN).await;
    assert_eq!(
        browser.text("#not-kept").await,
        Phrase::NotKeptHere.english()
    );
    // Above the form: the customer reads it before the first field.
    let above = browser
        .eval(
            "document.getElementById('not-kept').compareDocumentPosition(document.getElementById('given_name')) \
             & Node.DOCUMENT_POSITION_FOLLOWING",
        )
        .await;
    assert_ne!(above, json!(0), "the notice comes before the first field");
    let violations = browser.accessibility_violations().await;
    assert!(violations.is_empty(), "axe: {}", violations.join("\n"));

    // Only stage 1 carries it; and it is true: a reload starts again.
    about_you(&browser).await;
    assert!(!shows_notice(&browser).await, "stage 2 without the notice");
    reload(&browser, "#given_name").await;
    assert!(
        shows_notice(&browser).await,
        "a new application, told again"
    );
    browser.close().await;

    // Where the frame keeps its token, nothing needs saying.
    let browser = Profile::Default.browser().await;
    open(&browser, &page, "#given_name").await;
    assert!(!shows_notice(&browser).await, "storage works: no notice");
    browser.close().await;
}

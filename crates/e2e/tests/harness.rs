//! What every browser test relies on from the harness itself: whatever fails in the browser
//! (a request, a script, a policy) is seen, in the widget's frame too, and every browser
//! ends with its test, whether the test passes or panics.

use e2e::{processes_mentioning, Bff, Browser};
use std::time::{Duration, Instant};

/// Takes the browser's failures until one contains each of `expected`, or fails saying
/// which never came.
async fn wait_for_failures(browser: &Browser, expected: &[&str]) -> Vec<String> {
    let started = Instant::now();
    let mut seen = Vec::new();
    loop {
        seen.extend(browser.take_failures().await);
        let missing: Vec<&&str> = expected
            .iter()
            .filter(|text| !seen.iter().any(|line| line.contains(**text)))
            .collect();
        if missing.is_empty() {
            return seen;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no failure mentioning {missing:?}; the browser logged:\n{}",
            seen.join("\n")
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_missing_favicon_a_failed_request_and_a_console_error_are_failures() {
    let bff = Bff::start();
    let browser = Browser::start(1024).await;

    // A page that declares no icon, as the widget's did: the browser asks for
    // /favicon.ico, which nobody serves.
    browser
        .client
        .goto(&format!("{}/healthz", bff.origin))
        .await
        .expect("the health page");
    let failures = wait_for_failures(&browser, &["/favicon.ico"]).await;
    assert!(
        failures
            .iter()
            .any(|line| line.contains("/favicon.ico") && line.contains("404")),
        "{failures:?}"
    );

    // Inside the widget's frame, another origin and another process than the page's.
    browser
        .open_widget(&bff.partner_page(), "#given_name")
        .await;
    assert_eq!(
        browser.take_failures().await,
        Vec::<String>::new(),
        "the page and the widget loaded without a failure"
    );
    browser
        .client
        .execute(
            "fetch('/widget/no-such-file.js'); console.error('provoked in the widget');",
            vec![],
        )
        .await
        .expect("provoked");
    wait_for_failures(
        &browser,
        &["/widget/no-such-file.js", "provoked in the widget"],
    )
    .await;
    browser.close().await;
}

/// Waits until no process carries `marker`, or fails with those that still do.
fn assert_none_left(marker: &str, case: &str) {
    let started = Instant::now();
    loop {
        let left = processes_mentioning(marker);
        if left.is_empty() {
            return;
        }
        // A killed process may take a moment to go.
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{case}: processes of the browser still run: {left:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Runs `test` with a browser of its own on a runtime of its own, on a thread of its own;
/// returns the browser's marker and whether the test panicked.
fn with_browser<F, Fut>(test: F) -> (String, bool)
where
    F: FnOnce(Browser) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    let (marker, markers) = std::sync::mpsc::channel();
    let outcome = std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(async move {
                let browser = Browser::start(1024).await;
                let own = browser.marker();
                assert!(
                    !processes_mentioning(&own).is_empty(),
                    "the browser's processes carry its marker"
                );
                marker.send(own).expect("the marker sent");
                test(browser).await;
            });
    })
    .join();
    let marker = markers.recv().expect("the browser started");
    (marker, outcome.is_err())
}

#[test]
fn every_browser_ends_with_its_test_closed_dropped_or_panicking() {
    let (marker, panicked) = with_browser(|browser| async move { browser.close().await });
    assert!(!panicked);
    assert_none_left(&marker, "closed");

    let (marker, panicked) = with_browser(|browser| async move { drop(browser) });
    assert!(!panicked);
    assert_none_left(&marker, "dropped without closing");

    let (marker, panicked) = with_browser(|browser| async move {
        let _still_open = browser;
        panic!("on purpose, with the browser open");
    });
    assert!(panicked, "the test panicked");
    assert_none_left(&marker, "panicked");
}

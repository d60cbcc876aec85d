//! Headless Chromium through chromedriver, with the helpers the journeys use.

use crate::bff::free_port;
use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, MouseActions, PointerAction, MOUSE_BUTTON_LEFT,
};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use fantoccini::key::Key;

/// The widget's frame on a partner's page, whether the page or the loader made it.
pub const WIDGET_FRAME: &str = "iframe#card-application, iframe[data-card-application]";

/// How long a page may take to show what a step waits for.
const WAIT: Duration = Duration::from_secs(20);

/// The folder `cargo xtask test` gives this run's browser profiles, so it can find any
/// browser that outlives its test by the folder on its command line (xtask/src/browsers.rs).
const BROWSER_DIR_VARIABLE: &str = "E2E_BROWSER_DIR";

/// A browser session and the chromedriver serving it; both end when dropped, whether the
/// test passed or panicked. A test that ends without [`close`](Self::close) and without
/// panicking still fails if the browser logged a failure.
pub struct Browser {
    pub client: Client,
    session: String,
    closed: bool,
    // Fields drop in this order: the driver's group is ended before the profile goes.
    driver: Driver,
    profile: tempfile::TempDir,
}

/// chromedriver in a process group of its own, which the browsers it starts (and their
/// renderers) join: ending the group ends them all, even if chromedriver never got to
/// close its session.
struct Driver {
    child: Child,
    port: u16,
    ended: bool,
}

impl Driver {
    fn start(port: u16) -> Self {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromedriver starts");
        Self {
            child,
            port,
            ended: false,
        }
    }

    /// Kills the whole group and reaps chromedriver.
    fn end(&mut self) {
        if std::mem::replace(&mut self.ended, true) {
            return;
        }
        // The group's id is chromedriver's pid (`process_group(0)`).
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        // chromedriver at least, should `kill` be missing.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.end();
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium of the given window width.
    pub async fn start(width: u32) -> Self {
        Self::start_with(width, &[], json!({})).await
    }

    /// As [`start`](Self::start), with more Chromium arguments and the profile's
    /// preferences (`prefs` of chromedriver's `goog:chromeOptions`), for a profile set up
    /// as some customers' are.
    pub async fn start_with(width: u32, extra_args: &[&str], prefs: Value) -> Self {
        let port = free_port();
        // Started first and dropped on any panic below, so no failed start leaves it running.
        let driver = Driver::start(port);
        let profiles =
            std::env::var_os(BROWSER_DIR_VARIABLE).map_or_else(std::env::temp_dir, PathBuf::from);
        std::fs::create_dir_all(&profiles).expect("the profiles' folder");
        let profile = tempfile::Builder::new()
            .prefix("chromium-")
            .tempdir_in(&profiles)
            .expect("a profile directory");
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--lang=en-US".into(),
            // chromedriver's log has only the top frame's process: with site isolation the
            // widget's frame (another site) would run in a process of its own, and its
            // errors and failed requests would go unseen. Nothing the tests check depends
            // on which process a frame runs in: origins, policies and messages are the same.
            "--disable-site-isolation-trials".into(),
            format!("--window-size={width},1000"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        args.extend(extra_args.iter().map(|arg| (*arg).to_owned()));
        args.sort();
        let mut chrome = json!({ "args": args, "prefs": prefs });
        if let Ok(binary) = std::env::var("CHROMIUM") {
            chrome["binary"] = json!(binary);
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), chrome);
        // The console's messages and failed loads, read with `se/log` (see `take_failures`).
        capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::new(connector.clone())
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(e) if started.elapsed() < WAIT => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("no WebDriver session: {e}"),
            }
        };
        let session = client
            .session_id()
            .await
            .ok()
            .flatten()
            .expect("the new session's id");
        Self {
            client,
            session,
            closed: false,
            driver,
            profile,
        }
    }

    /// What every process of this browser has on its command line: its profile's folder.
    pub fn marker(&self) -> String {
        self.profile.path().display().to_string()
    }

    /// What went wrong in the browser since this was last asked (or the session began):
    /// console errors, uncaught exceptions, failed requests, loads a policy refused, in
    /// the page and in its frames. A test that provokes some takes them with this, so that
    /// [`close`](Self::close) finds none left.
    pub async fn take_failures(&self) -> Vec<String> {
        self.read_failures()
            .unwrap_or_else(|e| panic!("the browser's log: {e}"))
    }

    fn read_failures(&self) -> Result<Vec<String>, String> {
        let path = format!("/session/{}/se/log", self.session);
        let log = webdriver(
            self.driver.port,
            "POST",
            &path,
            &json!({ "type": "browser" }),
        )?;
        Ok(failures_in(&log))
    }

    /// Waits for an element to be present.
    pub async fn wait_for(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => panic!(
                "{css} never appeared ({e}); the page shows:\n{}",
                self.visible_text().await
            ),
        }
    }

    /// What the current frame shows, for failure messages.
    pub async fn visible_text(&self) -> String {
        let text = self
            .client
            .execute(
                "return document.body ? document.body.innerText : ''",
                vec![],
            )
            .await;
        text.ok()
            .and_then(|v| v.as_str().map(|t| t.chars().take(1500).collect()))
            .unwrap_or_default()
    }

    /// Waits until `script` (a JavaScript expression) is truthy.
    pub async fn wait_until(&self, what: &str, script: &str) {
        let started = Instant::now();
        loop {
            let value = self
                .client
                .execute(&format!("return !!({script});"), vec![])
                .await
                .unwrap_or(Value::Bool(false));
            if value == Value::Bool(true) {
                return;
            }
            if started.elapsed() >= WAIT {
                panic!(
                    "timed out waiting for {what}; the page shows:\n{}",
                    self.visible_text().await
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The value of a JavaScript expression in the current frame.
    pub async fn eval(&self, expression: &str) -> Value {
        self.client
            .execute(&format!("return ({expression});"), vec![])
            .await
            .unwrap_or_else(|e| panic!("{expression}: {e}"))
    }

    /// Types into the field with this id (clearing it first).
    pub async fn fill(&self, id: &str, text: &str) {
        let input = self.wait_for(&format!("#{id}")).await;
        input.clear().await.expect("clear");
        input.send_keys(text).await.expect("typing");
    }

    /// Types over what the field with this id holds, as a person does: click into it,
    /// select everything, type. Unlike [`fill`](Self::fill) (WebDriver's clear focuses and
    /// then leaves the field), the field keeps focus throughout.
    pub async fn type_over(&self, id: &str, text: &str) {
        let input = self.wait_for(&format!("#{id}")).await;
        input.click().await.expect("click into the field");
        let select_all = format!("{}a{}", char::from(Key::Control), char::from(Key::Null));
        input
            .send_keys(&format!("{select_all}{text}"))
            .await
            .expect("typing");
    }

    /// Chooses the option with this value in the dropdown with this id.
    pub async fn choose(&self, id: &str, value: &str) {
        self.wait_for(&format!("#{id}"))
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{id}={value}: {e}"));
    }

    /// Types an ISO date (`YYYY-MM-DD`) into the date field `id`'s day, month and year
    /// inputs (named `<id>-day`, `<id>-month`, `<id>-year`), as a person would.
    pub async fn set_date(&self, id: &str, iso: &str) {
        let mut parts = iso.splitn(3, '-');
        let (year, month, day) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        for (part, value) in [("day", day), ("month", month), ("year", year)] {
            let input = self.wait_for(&format!("input[name={id}-{part}]")).await;
            input.clear().await.expect("clear");
            input.send_keys(value).await.expect("typing");
        }
    }

    /// Opens a partner page and enters the widget's frame once it shows `first`.
    pub async fn open_widget(&self, page: &str, first: &str) {
        self.client.goto(page).await.expect("partner page");
        self.enter_widget(first).await;
    }

    /// Enters the widget's frame on the current partner page once it shows `first`.
    pub async fn enter_widget(&self, first: &str) {
        self.wait_for(WIDGET_FRAME)
            .await
            .enter_frame()
            .await
            .expect("into the widget's frame");
        self.wait_for(first).await;
    }

    /// Scrolls the element matching `css` to the middle of the window, as a person scrolls
    /// the partner's page to reach it: inside the widget's frame, and the partner's page
    /// around the frame (a frame on another site cannot scroll its parent itself).
    pub async fn scroll_into_view(&self, css: &str) {
        let element = self.wait_for(css).await;
        let middle = self
            .client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'}); \
                 const r = arguments[0].getBoundingClientRect(); \
                 return window.self === window.top ? null : r.top + r.height / 2;",
                vec![serde_json::to_value(&element).expect("an element reference")],
            )
            .await
            .expect("scrolled into view");
        let Some(middle) = middle.as_f64() else {
            return;
        };
        self.client
            .enter_parent_frame()
            .await
            .expect("to the partner's page");
        self.client
            .execute(
                "const frame = document.querySelector(arguments[0]); \
                 window.scrollBy(0, frame.getBoundingClientRect().top + arguments[1] - innerHeight / 2);",
                vec![json!(WIDGET_FRAME), json!(middle)],
            )
            .await
            .expect("the partner's page scrolled");
        self.wait_for(WIDGET_FRAME)
            .await
            .enter_frame()
            .await
            .expect("back into the widget's frame");
    }

    /// Clicks the element matching `css` with the mouse, as a person does: the pointer moves
    /// onto its middle, presses, rests a moment, releases. Whatever the press sets off
    /// (the field that had focus losing it) happens before the release, so a click lost to
    /// something moving under the pointer is lost here too.
    pub async fn pointer_click(&self, css: &str) {
        self.scroll_into_view(css).await;
        let element = self.wait_for(css).await;
        let mouse = MouseActions::new("mouse".to_owned())
            .then(PointerAction::MoveToElement {
                element,
                duration: Some(Duration::from_millis(150)),
                x: 0,
                y: 0,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Pause {
                duration: Duration::from_millis(120),
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.client
            .perform_actions(mouse)
            .await
            .unwrap_or_else(|e| panic!("pointer click on {css}: {e}"));
        self.client
            .release_actions()
            .await
            .expect("pointer released");
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        self.wait_for(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Clicks an element whose click takes the whole page elsewhere (removing this frame).
    /// The click runs after the script returns, so the driver is not left waiting on a frame
    /// that no longer exists ("target frame detached").
    pub async fn click_and_leave(&self, css: &str) {
        self.wait_for(css).await;
        let script = format!(
            "setTimeout(() => document.querySelector({}).click(), 0);",
            Value::String(css.to_owned())
        );
        self.client
            .execute(&script, vec![])
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// The text of the element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.expect("text")
    }

    /// Presses keys on whatever has focus, as a keyboard does (no element is targeted).
    pub async fn press(&self, keys: &str) {
        let mut actions = KeyActions::new("keyboard".to_owned());
        for key in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
        }
        self.client
            .perform_actions(actions)
            .await
            .expect("keys pressed");
        self.client.release_actions().await.expect("keys released");
    }

    /// The id of the focused element.
    pub async fn focused_id(&self) -> String {
        self.client
            .execute(
                "return document.activeElement ? document.activeElement.id : '';",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Presses Tab until the element with this id has focus.
    pub async fn tab_to(&self, id: &str) {
        for _ in 0..60 {
            if self.focused_id().await == id {
                return;
            }
            self.press(&char::from(Key::Tab).to_string()).await;
        }
        panic!("Tab never reached #{id}");
    }

    /// Runs axe-core (WCAG 2.x A and AA rules) on the current frame and returns the
    /// violations as `rule: target` lines.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        let path =
            std::env::var("AXE_JS").expect("AXE_JS is not set: run through `cargo xtask test`");
        let axe = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        // WebDriver scripts are not subject to the page's CSP, so axe can be injected even
        // though the widget allows only its own scripts.
        self.client
            .execute(&format!("{axe}\n;window.axe = axe; return true;"), vec![])
            .await
            .expect("axe injected");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }) \
                   .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))) \
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .expect("axe ran");
        result
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Saves a PNG of the viewport, for the README's screenshots (only when asked).
    pub async fn screenshot_to(&self, name: &str) {
        if let Ok(dir) = std::env::var("SCREENSHOT_DIR") {
            let png = self.client.screenshot().await.expect("screenshot");
            std::fs::write(format!("{dir}/{name}.png"), png).expect("screenshot written");
        }
    }

    /// Fails if the browser logged a failure not taken by [`take_failures`](Self::take_failures),
    /// then ends the session and the browser.
    pub async fn close(mut self) {
        let failures = self.take_failures().await;
        self.closed = true;
        let _ = self.client.clone().close().await;
        assert!(
            failures.is_empty(),
            "the browser logged failures:\n{}",
            failures.join("\n")
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if self.closed {
            return;
        }
        // A test that returned without `close` is checked here; one already failing is not
        // made to panic twice, which would abort the test binary.
        let failures = if std::thread::panicking() {
            Vec::new()
        } else {
            self.read_failures()
                .unwrap_or_else(|e| vec![format!("the browser's log could not be read: {e}")])
        };
        // Sent over a plain socket: the client's own task needs the runtime, which may be
        // ending. Chromium then quits as it should; the group's end catches what does not.
        let _ = webdriver(
            self.driver.port,
            "DELETE",
            &format!("/session/{}", self.session),
            &Value::Null,
        );
        self.driver.end();
        assert!(
            failures.is_empty(),
            "the browser logged failures:\n{}",
            failures.join("\n")
        );
    }
}

/// The log's entries that are failures (level SEVERE), as `source: message` lines.
/// Chromium logs at that level whatever a page's developer would see in red: console
/// errors, uncaught exceptions, failed requests (an HTTP error or a network one), loads
/// refused by a policy. Warnings and information are not failures.
fn failures_in(log: &Value) -> Vec<String> {
    log.as_array()
        .into_iter()
        .flatten()
        .filter(|entry| entry["level"] == "SEVERE")
        .map(|entry| {
            format!(
                "{}: {}",
                entry["source"].as_str().unwrap_or("browser"),
                entry["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// One WebDriver call to the chromedriver on `port`, over a plain socket so it can be
/// made from `drop`; returns the answer's `value`. A `Null` body sends none.
fn webdriver(port: u16, method: &str, path: &str, body: &Value) -> Result<Value, String> {
    let call = || -> std::io::Result<Vec<u8>> {
        let mut stream = TcpStream::connect(("127.0.0.1", port))?;
        // Long enough for Chromium to quit on DELETE; a hung driver is killed after it.
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )?;
        // chromedriver keeps the connection open whatever the request says: read exactly
        // the answer's length.
        let mut reader = BufReader::new(stream);
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut answer = vec![0; length];
        reader.read_exact(&mut answer)?;
        Ok(answer)
    };
    let answer = call().map_err(|e| format!("{method} {path}: {e}"))?;
    let answer: Value =
        serde_json::from_slice(&answer).map_err(|e| format!("{method} {path}: {e}"))?;
    Ok(answer["value"].clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severe_entries_are_failures_and_the_rest_are_not() {
        let log = json!([
            {"level": "SEVERE", "source": "network", "timestamp": 1,
             "message": "http://127.0.0.1:4000/favicon.ico - Failed to load resource: the server responded with a status of 404 (Not Found)"},
            {"level": "SEVERE", "source": "console-api", "timestamp": 2, "message": "console-api 0:16 \"boom\""},
            {"level": "SEVERE", "source": "javascript", "timestamp": 3, "message": "javascript 0:30 Uncaught TypeError: Failed to fetch"},
            {"level": "SEVERE", "source": "security", "timestamp": 4,
             "message": "http://127.0.0.1:4000/apply 0 Loading the image 'http://example.invalid/x.png' violates the following Content Security Policy directive: \"img-src 'self' data:\"."},
            {"level": "WARNING", "source": "console-api", "timestamp": 5, "message": "console-api 1:1 \"careful\""},
            {"level": "INFO", "source": "console-api", "timestamp": 6, "message": "console-api 1:1 \"hello\""},
            {"level": "DEBUG", "source": "network", "timestamp": 7, "message": "anything"},
        ]);
        let failures = failures_in(&log);
        assert_eq!(failures.len(), 4, "{failures:?}");
        assert!(
            failures[0].starts_with(
                "network: http://127.0.0.1:4000/favicon.ico - Failed to load resource"
            ) && failures[0].contains("404"),
            "{failures:?}"
        );
        assert!(failures[1].starts_with("console-api: "), "{failures:?}");
        assert!(failures[2].contains("Uncaught TypeError"), "{failures:?}");
        assert!(failures[3].starts_with("security: "), "{failures:?}");
        assert!(failures_in(&json!([])).is_empty());
        assert!(failures_in(&Value::Null).is_empty());
    }
}

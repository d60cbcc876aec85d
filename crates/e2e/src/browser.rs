//! Headless Chromium through chromedriver, with the helpers the journeys use.

use crate::bff::free_port;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use fantoccini::key::Key;

/// How long a page may take to show what a step waits for.
const WAIT: Duration = Duration::from_secs(20);

/// A browser session and the chromedriver serving it; both end when dropped.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium of the given window width.
    pub async fn start(width: u32) -> Self {
        let port = free_port();
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().expect("a profile directory");
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
            format!("--window-size={width},1000"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        args.sort();
        let mut chrome = json!({ "args": args });
        if let Ok(binary) = std::env::var("CHROMIUM") {
            chrome["binary"] = json!(binary);
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), chrome);
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
        Self {
            client,
            driver,
            _profile: profile,
        }
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

    /// Chooses the option with this value in the dropdown with this id.
    pub async fn choose(&self, id: &str, value: &str) {
        self.wait_for(&format!("#{id}"))
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{id}={value}: {e}"));
    }

    /// Sets a date input through the browser, as its picker would.
    pub async fn set_date(&self, id: &str, iso: &str) {
        self.wait_for(&format!("#{id}")).await;
        self.client
            .execute(
                "const el = document.getElementById(arguments[0]); el.value = arguments[1]; \
                 el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('blur'));",
                vec![json!(id), json!(iso)],
            )
            .await
            .expect("date set");
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

    /// Ends the session.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

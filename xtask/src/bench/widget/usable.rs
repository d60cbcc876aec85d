//! The time from navigating to the widget's page until its first stage can be used (its
//! first field focusable), in headless Chromium driven by chromedriver over WebDriver, each
//! load in a new browser with an empty profile, so nothing is cached.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::http;
use crate::process::Result;

/// The mark the page's watcher sets when the first field can take focus.
const MARK: &str = "xtask-first-field-usable";

/// Watches the page from before its own scripts run: the first field of the first stage
/// (`form.stage`, every journey's form) is usable once it is rendered, enabled and not
/// inert. The mark's start time is milliseconds since navigation began.
const WATCHER: &str = r#"(() => {
  let done = false;
  const check = () => {
    if (done) return;
    const field = document.querySelector(
      'form.stage input:not([type=hidden]), form.stage select, form.stage textarea');
    if (!field || field.disabled || field.closest('[inert]') || !field.getClientRects().length
        || getComputedStyle(field).visibility === 'hidden') return;
    done = true;
    performance.mark('__MARK__', { detail: field.id || field.name });
    observer.disconnect();
  };
  // Mutations catch the field as it is added; frames catch a change of style alone.
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true });
  const frame = () => { check(); if (!done) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})();"#;

/// How long one load may take before it counts as failed.
const LOAD_LIMIT: Duration = Duration::from_secs(30);

/// What one load found.
#[derive(Debug, Clone, PartialEq)]
pub struct Load {
    /// Milliseconds from navigation start to the first field being usable.
    pub millis: f64,
    /// The field's id.
    pub field: String,
}

/// chromedriver in a process group of its own, which the browsers it starts join: ending
/// the group ends them all (as crates/e2e/src/browser.rs does).
pub struct Driver {
    child: Child,
    origin: String,
    chromium: PathBuf,
    browser_dir: PathBuf,
}

impl Driver {
    /// Starts `chromedriver`; browsers it opens use `chromium` and keep their profiles in
    /// `browser_dir`.
    pub fn start(chromedriver: &Path, chromium: &Path, browser_dir: &Path) -> Result<Self> {
        let port = free_port()?;
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", chromedriver.display()))?;
        let driver = Self {
            child,
            origin: format!("http://127.0.0.1:{port}"),
            chromium: chromium.to_owned(),
            browser_dir: browser_dir.to_owned(),
        };
        let started = Instant::now();
        while http::get(&format!("{}/status", driver.origin), &[]).is_err() {
            if started.elapsed() > Duration::from_secs(10) {
                return Err(format!("{} did not answer", chromedriver.display()));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    /// Loads `url` in a new browser with a new profile, and times its first stage.
    pub fn cold_load(&self, url: &str, number: usize) -> Result<Load> {
        let profile = self.browser_dir.join(format!("usable-{number}"));
        let session = self.new_session(&profile)?;
        let result = self.time_load(&session, url);
        // The browser goes with its session; the profile is the run's to remove.
        let _ = http::send(
            "DELETE",
            &format!("{}/session/{session}", self.origin),
            &[],
            None,
        );
        let _ = std::fs::remove_dir_all(&profile);
        result
    }

    fn new_session(&self, profile: &Path) -> Result<String> {
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            // The navigation command returns at once; the watcher times the page.
            "pageLoadStrategy": "none",
            "goog:chromeOptions": {
                "binary": self.chromium,
                "args": [
                    "--headless=new",
                    // As root Chromium runs only without its sandbox.
                    "--no-sandbox",
                    "--disable-dev-shm-usage",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--lang=en-US",
                    // A phone's viewport, as lighthouse's mobile preset.
                    "--window-size=412,823",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        } } });
        let answer = self.call("POST", "/session", Some(&capabilities))?;
        answer["sessionId"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("chromedriver gave no session: {answer}"))
    }

    fn time_load(&self, session: &str, url: &str) -> Result<Load> {
        let base = format!("/session/{session}");
        self.call(
            "POST",
            &format!("{base}/goog/cdp/execute"),
            Some(&json!({
                "cmd": "Page.addScriptToEvaluateOnNewDocument",
                "params": { "source": WATCHER.replace("__MARK__", MARK) },
            })),
        )?;
        self.call("POST", &format!("{base}/url"), Some(&json!({ "url": url })))?;
        let read = json!({
            "script": format!(
                "const m = performance.getEntriesByName('{MARK}')[0]; \
                 return m ? [m.startTime, m.detail] : null;"
            ),
            "args": [],
        });
        let started = Instant::now();
        loop {
            let answer = self.call("POST", &format!("{base}/execute/sync"), Some(&read));
            if let Ok(found) = answer {
                if let (Some(millis), Some(field)) = (found[0].as_f64(), found[1].as_str()) {
                    return Ok(Load {
                        millis,
                        field: field.to_owned(),
                    });
                }
            }
            if started.elapsed() > LOAD_LIMIT {
                return Err(format!(
                    "{url}: no usable field in the first stage after {} s",
                    LOAD_LIMIT.as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A WebDriver command; its `value`, or its error as a message.
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        let url = format!("{}{path}", self.origin);
        let body = body
            .cloned()
            .or_else(|| (method == "POST").then(|| json!({})));
        let response = http::send(method, &url, &[], body.as_ref())?;
        let answer: Value = serde_json::from_slice(&response.body)
            .map_err(|e| format!("{method} {path}: not JSON ({e}): {}", response.text()))?;
        if response.status != 200 {
            return Err(format!(
                "{method} {path}: {} {}",
                response.status, answer["value"]["message"]
            ));
        }
        Ok(answer["value"].clone())
    }
}

/// A port nobody listens on now, for chromedriver, which cannot report one it picked.
fn free_port() -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("no free local port: {e}"))
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The group's id is chromedriver's pid (`process_group(0)`).
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

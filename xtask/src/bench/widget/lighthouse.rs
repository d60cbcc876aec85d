//! Lighthouse (npm, run by node) on the widget's page with Debian's Chromium: the scores and
//! the load metrics a partner's page inherits from the widget's frame.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::process::Result;

/// Lighthouse's form factors: mobile (a mid-range phone on a slow 4G link, simulated) is
/// its default; desktop is its `--preset=desktop`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Mobile,
    Desktop,
}

impl Preset {
    pub fn name(self) -> &'static str {
        match self {
            Preset::Mobile => "mobile",
            Preset::Desktop => "desktop",
        }
    }
}

/// One run's figures: scores out of 100, times in milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub performance: f64,
    pub accessibility: f64,
    pub best_practices: f64,
    pub largest_contentful_paint: f64,
    pub total_blocking_time: f64,
    pub interactive: f64,
    /// Lighthouse's measure of this machine's speed as the run began (higher is faster):
    /// other work on the machine lengthens the main-thread tasks that TBT counts.
    pub benchmark_index: f64,
    /// What the `errors-in-console` audit found, one line each.
    pub console_errors: Vec<String>,
    /// Every audit that lost points, with its score (0 to 1), for the notes.
    pub failing_audits: Vec<(String, f64)>,
}

impl Run {
    /// The run, for the JSON report.
    pub fn to_json(&self) -> Value {
        json!({
            "performance": self.performance,
            "accessibility": self.accessibility,
            "best_practices": self.best_practices,
            "largest_contentful_paint_ms": self.largest_contentful_paint,
            "total_blocking_time_ms": self.total_blocking_time,
            "interactive_ms": self.interactive,
            "benchmark_index": self.benchmark_index,
            "console_errors": self.console_errors,
            "failing_audits": self.failing_audits.iter()
                .map(|(id, score)| json!({ "audit": id, "score": score }))
                .collect::<Vec<_>>(),
        })
    }
}

/// Where lighthouse and Chromium are, and where runs leave their files.
pub struct Lighthouse<'a> {
    /// `node_modules/.bin/lighthouse`.
    pub program: &'a Path,
    pub chromium: &'a Path,
    /// The browsers' folder: Chromium's profile goes under it, so a Chromium that outlives
    /// lighthouse is found by it (crate::browsers).
    pub browser_dir: &'a Path,
    /// Where each run's full report is kept.
    pub out_dir: &'a Path,
}

impl Lighthouse<'_> {
    /// Runs lighthouse once on `url`; `label` names the kept report.
    pub fn run(&self, url: &str, preset: Preset, label: &str) -> Result<Run> {
        let report = self.out_dir.join(format!("lighthouse-{label}.json"));
        let mut command = Command::new(self.program);
        command
            .arg(url)
            .arg("--output=json")
            .arg(format!("--output-path={}", report.display()))
            .arg("--only-categories=performance,accessibility,best-practices")
            // As root Chromium runs only without its sandbox.
            .arg("--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage")
            .arg("--quiet")
            .env("CHROME_PATH", self.chromium)
            // chrome-launcher makes Chromium's profile with `mktemp`, under TMPDIR.
            .env("TMPDIR", self.browser_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if preset == Preset::Desktop {
            command.arg("--preset=desktop");
        }
        let output = command
            .output()
            .map_err(|e| format!("could not run {}: {e}", self.program.display()))?;
        if !output.status.success() {
            return Err(format!(
                "lighthouse failed ({}) on {url}:\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        let text = std::fs::read_to_string(&report)
            .map_err(|e| format!("cannot read {}: {e}", report.display()))?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not JSON: {e}", report.display()))?;
        parse(&value).map_err(|e| format!("{}: {e}", report.display()))
    }
}

/// A lighthouse JSON report's figures.
pub fn parse(report: &Value) -> Result<Run> {
    if let Some(error) = report.get("runtimeError") {
        return Err(format!("lighthouse could not test the page: {error}"));
    }
    let score = |category: &str| -> Result<f64> {
        report["categories"][category]["score"]
            .as_f64()
            .map(|score| (score * 100.0).round())
            .ok_or_else(|| format!("no {category} score"))
    };
    let millis = |audit: &str| -> Result<f64> {
        report["audits"][audit]["numericValue"]
            .as_f64()
            .ok_or_else(|| format!("no {audit} figure"))
    };
    let console_errors = report["audits"]["errors-in-console"]["details"]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| {
            let url = item["sourceLocation"]["url"].as_str().unwrap_or("");
            format!("{} ({url})", item["description"].as_str().unwrap_or("?"))
        })
        .collect();
    let mut failing_audits: Vec<(String, f64)> = report["audits"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(id, audit)| {
            // Pass-or-fail checks, metrics and savings; insights restate the savings.
            let scored = ["binary", "numeric", "metricSavings"]
                .iter()
                .any(|mode| audit["scoreDisplayMode"] == *mode);
            scored && !id.ends_with("-insight")
        })
        .filter_map(|(id, audit)| {
            let score = audit["score"].as_f64()?;
            (score < 1.0).then(|| (id.clone(), score))
        })
        .collect();
    failing_audits.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Run {
        performance: score("performance")?,
        accessibility: score("accessibility")?,
        best_practices: score("best-practices")?,
        largest_contentful_paint: millis("largest-contentful-paint")?,
        total_blocking_time: millis("total-blocking-time")?,
        interactive: millis("interactive")?,
        benchmark_index: report["environment"]["benchmarkIndex"]
            .as_f64()
            .unwrap_or_default(),
        console_errors,
        failing_audits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reports_scores_metrics_and_console_errors_are_read() {
        let report = json!({
            "environment": { "benchmarkIndex": 1523.5 },
            "categories": {
                "performance": { "score": 0.984 },
                "accessibility": { "score": 1 },
                "best-practices": { "score": 0.96 },
            },
            "audits": {
                "largest-contentful-paint": { "numericValue": 2301.5, "score": 0.9, "scoreDisplayMode": "numeric" },
                "total-blocking-time": { "numericValue": 113.0, "score": 0.97, "scoreDisplayMode": "numeric" },
                "interactive": { "numericValue": 2301.5, "score": 1, "scoreDisplayMode": "numeric" },
                "errors-in-console": { "score": 0, "scoreDisplayMode": "binary", "details": { "items": [
                    { "description": "Failed to load resource: 404", "sourceLocation": { "url": "http://x/favicon.ico" } }
                ] } },
                "meta-description": { "score": null, "scoreDisplayMode": "notApplicable" },
                "render-blocking-insight": { "score": 0.5, "scoreDisplayMode": "metricSavings" },
                "unminified-javascript": { "score": 0.5, "scoreDisplayMode": "metricSavings" },
            },
        });
        let run = parse(&report).unwrap();
        assert_eq!(
            (run.performance, run.accessibility, run.best_practices),
            (98.0, 100.0, 96.0)
        );
        assert_eq!(run.largest_contentful_paint, 2301.5);
        assert_eq!(run.total_blocking_time, 113.0);
        assert_eq!(run.benchmark_index, 1523.5);
        assert_eq!(
            run.console_errors,
            ["Failed to load resource: 404 (http://x/favicon.ico)"]
        );
        let failing: Vec<(&str, f64)> = run
            .failing_audits
            .iter()
            .map(|(id, score)| (id.as_str(), *score))
            .collect();
        assert_eq!(
            failing,
            [
                ("errors-in-console", 0.0),
                ("largest-contentful-paint", 0.9),
                ("total-blocking-time", 0.97),
                ("unminified-javascript", 0.5)
            ]
        );
    }

    #[test]
    fn a_page_lighthouse_could_not_test_is_an_error() {
        let report = json!({ "runtimeError": { "code": "NO_FCP" }, "categories": {} });
        assert!(parse(&report).unwrap_err().contains("NO_FCP"));
        assert!(parse(&json!({ "categories": {} }))
            .unwrap_err()
            .contains("no performance score"));
    }
}

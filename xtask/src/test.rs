//! `cargo xtask test`: every test layer, from native unit tests to the browser end to end.

use std::path::Path;

use crate::bench;
use crate::browsers::{BrowserRun, BROWSER_DIR_VARIABLE};
use crate::fuzz;
use crate::postgres::{self, TEST_DATABASE_URL};
use crate::process::{cargo, run, Result, Steps};
use crate::setup::{self, Profile, WASM_TARGET};
use crate::widget::{self, SizeReport};
use crate::{repo_root, target_dir};

/// Where Debian's chromium-driver and chromium packages put their binaries.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Variables wasm-bindgen-test-runner checks to pick a browser; the first one set wins,
/// so each run must see only its own.
const DRIVER_VARIABLES: &[&str] = &[
    "CHROMEDRIVER",
    "GECKODRIVER",
    "SAFARIDRIVER",
    "MSEDGEDRIVER",
];

/// Sets up the tools, runs every test layer in order, then prints sizes and times.
pub fn run_all() -> Result {
    let root = repo_root();
    let mut steps = Steps::new();
    let mut sizes = None;
    let result = run_steps(&mut steps, &root, &mut sizes);
    if let Some(report) = &sizes {
        report.print();
    }
    steps.print_summary();
    if result.is_ok() {
        println!("\nall tests passed");
    }
    result
}

fn run_steps(steps: &mut Steps, root: &Path, sizes: &mut Option<SizeReport>) -> Result {
    let tools = setup::run_all(steps, root, Profile::Test)?;
    let geckodriver = tools
        .geckodriver
        .ok_or("setup did not report where geckodriver is")?;

    steps.run("cargo fmt --check", || {
        run(cargo().args(["fmt", "--all", "--check"]).current_dir(root))
    })?;
    // Natively for every crate, then the widget again for the target it ships on: code
    // under `cfg(target_arch = "wasm32")` is linted only there. Last the BFF as production
    // builds it: its tests switch the embedded sandbox on, so the lines above never see
    // the BFF without it.
    steps.run(
        "cargo clippy (native, the widget on wasm32, the production BFF)",
        || {
            let deny_warnings = ["--all-targets", "--", "-D", "warnings"];
            run(cargo()
                .args(["clippy", "--workspace"])
                .args(deny_warnings)
                .current_dir(root))?;
            run(cargo()
                .args(["clippy", "-p", "card-widget", "--target", WASM_TARGET])
                .args(deny_warnings)
                .current_dir(root))?;
            run(cargo()
                .args(["clippy", "-p", "bff", "--", "-D", "warnings"])
                .current_dir(root))
        },
    )?;

    steps.run("native tests", || {
        run(cargo()
            .args([
                "test",
                "--workspace",
                "--exclude",
                "card-widget",
                "--exclude",
                "e2e",
            ])
            .current_dir(root)
            // This layer is the BFF on SQLite; a caller's server is for the next step only.
            .env_remove(TEST_DATABASE_URL))
    })?;
    steps.run("BFF integration tests on PostgreSQL", || {
        postgres::bff_integration_tests(root)
    })?;

    // The runner reads webdriver.json from the current directory, hence the repo root.
    let component = |driver_variable: &str, driver: &Path| {
        let mut cmd = cargo();
        cmd.args(["test", "-p", "card-widget", "--target", WASM_TARGET])
            .current_dir(root);
        for variable in DRIVER_VARIABLES {
            cmd.env_remove(variable);
        }
        run(cmd.env(driver_variable, driver))
    };
    steps.run("component tests in Chromium", || {
        component("CHROMEDRIVER", Path::new(CHROMEDRIVER))
    })?;
    steps.run("component tests in Firefox", || {
        component("GECKODRIVER", &geckodriver)
    })?;

    let dist = root.join("dist");
    steps.run("widget: trunk build --release", || widget::build(root))?;
    steps.run("widget: precompress (.gz, .br)", || {
        widget::precompress(&dist).map(drop)
    })?;
    steps.run("widget: size budget", || {
        let report = sizes.insert(SizeReport::measure(&dist)?);
        report.print();
        report.check()
    })?;

    steps.run("end to end: build the BFF", || {
        // With the sandbox inside, the bank of the fuzzing and of the browser tests.
        run(cargo()
            .args(["build", "-p", "bff", "--features", "embedded-sandbox"])
            .current_dir(root))
    })?;
    steps.run("API fuzzing: schemathesis against the BFF", || {
        fuzz::run_against(root, &target_dir(root).join("debug").join("bff"))
    })?;
    let browsers = BrowserRun::new()?;
    let tests = steps.run("end to end: browser tests", || {
        let bff = target_dir(root).join("debug").join("bff");
        let axe = root.join("node_modules/axe-core/axe.min.js");
        run(cargo()
            .args(["test", "-p", "e2e", "--", "--test-threads=1"])
            .current_dir(root)
            .env("BFF_BIN", bff)
            .env("WIDGET_DIR", &dist)
            .env("AXE_JS", axe)
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("CHROMIUM", CHROMIUM)
            .env(BROWSER_DIR_VARIABLE, browsers.dir()))
    });
    // Checked whether the tests passed or not: a failing test is the likeliest to leave one.
    let left = steps.run("end to end: no browser left running", || {
        browsers.check_none_left()
    });
    tests?;
    left?;
    // Last: every benchmark once, briefly, on debug builds, so the bench never rots.
    bench::run_steps(steps, true)
}

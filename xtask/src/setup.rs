//! Installs the tools the build and the tests need, skipping whatever is already right.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{cargo, probe, reports_version, run, skip, which, Result, Steps};
use crate::versions::{self, locked_version};

/// The trunk release that builds with this toolchain (0.22 needs a newer rustc).
pub const TRUNK_VERSION: &str = "0.21.14";

/// The geckodriver release the Firefox component tests run with (tested with Debian's
/// firefox-esr 153).
pub const GECKODRIVER_VERSION: &str = "0.37.1";

/// The widget's target.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Which tools a command needs: the demo runs no browsers.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Demo,
    Test,
}

impl Profile {
    fn debian_packages(self) -> &'static [&'static str] {
        match self {
            // wasm-opt comes from npm (binaryen): Debian's is too old for the externref
            // table wasm-bindgen emits.
            Profile::Demo => &[],
            // postgresql: the BFF's integration tests run on a throwaway server too.
            // python3-venv: schemathesis, from PyPI, runs in a virtual environment.
            Profile::Test => &[
                "chromium",
                "chromium-driver",
                "firefox-esr",
                "postgresql",
                "python3",
                "python3-venv",
            ],
        }
    }
}

/// Tools that later steps need by path.
pub struct Tools {
    /// Set for [`Profile::Test`].
    pub geckodriver: Option<PathBuf>,
}

/// Runs every setup step `profile` needs, each timed in `steps`.
pub fn run_all(steps: &mut Steps, root: &Path, profile: Profile) -> Result<Tools> {
    // First: a mismatch would otherwise surface minutes later as a failed trunk build.
    steps.run(
        "setup: Trunk.toml's tools equal Cargo.lock's and package-lock.json's",
        || versions::check(root),
    )?;
    steps.run(&format!("setup: rustup target {WASM_TARGET}"), wasm_target)?;
    steps.run("setup: Debian packages", || {
        let mut wanted = profile.debian_packages().to_vec();
        wanted.extend(node_packages(|program| which(program).is_some()));
        debian_packages(&wanted)
    })?;
    steps.run(&format!("setup: trunk {TRUNK_VERSION}"), trunk)?;
    steps.run("setup: wasm-bindgen-cli (Cargo.lock's version)", || {
        wasm_bindgen_cli(root)
    })?;
    let mut tools = Tools { geckodriver: None };
    steps.run(
        "setup: npm packages (binaryen, terser, axe-core, lighthouse)",
        || npm_packages(root),
    )?;
    if profile == Profile::Test {
        tools.geckodriver = Some(steps.run(
            &format!("setup: geckodriver {GECKODRIVER_VERSION}"),
            geckodriver,
        )?);
    }
    Ok(tools)
}

fn wasm_target() -> Result {
    let installed = probe("rustup", &["target", "list", "--installed"])
        .ok_or("`rustup target list --installed` failed; is rustup on PATH?")?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        skip(&format!("{WASM_TARGET} already installed"));
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// Debian's Node.js and npm (for `npm ci`), only where PATH has none: a Node.js installed
/// another way (nodesource, nvm) is kept, and nodesource's bundles an npm that Debian's
/// would conflict with. Any Node.js from 18.16 on (Debian 12 has 18.20) runs the locked
/// packages.
fn node_packages(on_path: impl Fn(&str) -> bool) -> Vec<&'static str> {
    [("node", "nodejs"), ("npm", "npm")]
        .into_iter()
        .filter(|(program, _)| !on_path(program))
        .map(|(_, package)| package)
        .collect()
}

fn debian_packages(wanted: &[&str]) -> Result {
    let mut missing = Vec::new();
    for &name in wanted {
        if !debian_package_installed(name)? {
            missing.push(name);
        }
    }
    if missing.is_empty() {
        skip(&format!("already installed: {}", wanted.join(" ")));
        return Ok(());
    }
    println!("    missing: {}", missing.join(" "));
    run(&mut privileged(&["apt-get", "update"])?)?;
    let mut install = vec!["apt-get", "install", "-y"];
    install.extend(&missing);
    run(&mut privileged(&install)?)
}

fn debian_package_installed(name: &str) -> Result<bool> {
    let output = Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", name])
        .output()
        .map_err(|e| {
            format!("could not run dpkg-query ({e}); setup expects Debian: install {name} yourself")
        })?;
    // dpkg-query fails for a package it has never heard of: that is "missing", not an error.
    Ok(String::from_utf8_lossy(&output.stdout).trim() == "install ok installed")
}

/// An apt-get command line run as root: directly when we are root, else through sudo.
fn privileged(argv: &[&str]) -> Result<Command> {
    const NONINTERACTIVE: &str = "DEBIAN_FRONTEND=noninteractive";
    let is_root = probe("id", &["-u"]).is_some_and(|uid| uid.trim() == "0");
    let mut cmd = if is_root {
        let mut cmd = Command::new(argv[0]);
        cmd.env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    } else if which("sudo").is_some() {
        // sudo resets the environment, so the variable goes on its command line via env.
        let mut cmd = Command::new("sudo");
        cmd.args(["env", NONINTERACTIVE, argv[0]]);
        cmd
    } else {
        return Err(format!(
            "`{}` needs root, and sudo is not installed; run it as root",
            argv.join(" ")
        ));
    };
    cmd.args(&argv[1..]);
    Ok(cmd)
}

fn trunk() -> Result {
    if probe("trunk", &["--version"]).is_some_and(|out| reports_version(&out, TRUNK_VERSION)) {
        skip(&format!("trunk {TRUNK_VERSION} already installed"));
        return Ok(());
    }
    println!("    (compiling trunk takes about 11 minutes on 2 cores)");
    run(cargo().args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))?;
    expect_version("trunk", TRUNK_VERSION)
}

fn wasm_bindgen_cli(root: &Path) -> Result {
    let lock_path = root.join("Cargo.lock");
    let lock = fs::read_to_string(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let version = locked_version(&lock, "wasm-bindgen")?;
    println!("    Cargo.lock has wasm-bindgen {version}");
    if probe("wasm-bindgen", &["--version"]).is_some_and(|out| reports_version(&out, &version)) {
        skip(&format!("wasm-bindgen-cli {version} already installed"));
        return Ok(());
    }
    // No --locked: the CLI's own lockfile names a crate version the registry mirror lacks.
    let exact = format!("={version}");
    run(cargo().args(["install", "wasm-bindgen-cli", "--version", &exact]))?;
    expect_version("wasm-bindgen", &version)
}

/// Fails if `program` on PATH does not report `version`, e.g. an older copy shadows the new one.
fn expect_version(program: &str, version: &str) -> Result {
    let out = probe(program, &["--version"]).unwrap_or_default();
    if reports_version(&out, version) {
        return Ok(());
    }
    let found = which(program).map_or("nothing".to_owned(), |p| p.display().to_string());
    Err(format!(
        "after installing, `{program} --version` (PATH finds {found}) says {:?}, not {version}",
        out.trim()
    ))
}

fn geckodriver() -> Result<PathBuf> {
    if probe("geckodriver", &["--version"])
        .is_some_and(|out| reports_version(&out, GECKODRIVER_VERSION))
    {
        skip(&format!(
            "geckodriver {GECKODRIVER_VERSION} already installed"
        ));
    } else {
        println!("    (compiling geckodriver takes about 2 minutes on 2 cores)");
        run(cargo().args([
            "install",
            "geckodriver",
            "--version",
            GECKODRIVER_VERSION,
            "--locked",
        ]))?;
        expect_version("geckodriver", GECKODRIVER_VERSION)?;
    }
    let path = which("geckodriver").ok_or("geckodriver is not on PATH after installing it")?;
    println!("    geckodriver: {}", path.display());
    Ok(path)
}

/// Installs the npm packages of the root `package-lock.json` unless every direct
/// dependency is already installed at its locked version.
fn npm_packages(root: &Path) -> Result {
    if !root.join("package-lock.json").is_file() {
        return Err("package-lock.json is missing at the repository root".into());
    }
    let all_locked_installed = "(() => { const lock = require('./package-lock.json'); \
        const top = lock.packages['']; \
        const names = Object.keys(Object.assign({}, top.dependencies, top.devDependencies)); \
        return names.every(n => { try { return require('./node_modules/' + n + '/package.json').version \
            === lock.packages['node_modules/' + n].version; } catch (e) { return false; } }); })()";
    if node_eval(root, all_locked_installed).as_deref() == Some("true") {
        skip("the locked npm packages are already installed");
        return Ok(());
    }
    run(Command::new("npm").arg("ci").current_dir(root))?;
    match node_eval(root, all_locked_installed).as_deref() {
        Some("true") => Ok(()),
        _ => Err("after `npm ci`, node_modules still differs from package-lock.json".into()),
    }
}

/// Evaluates a JavaScript expression with node in `dir`; node reads JSON so xtask need not.
fn node_eval(dir: &Path, expression: &str) -> Option<String> {
    let output = Command::new("node")
        .args(["-p", expression])
        .current_dir(dir)
        .output()
        .ok()?;
    let value = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    (output.status.success() && !value.is_empty() && value != "undefined").then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_and_npm_come_from_debian_only_when_missing() {
        assert_eq!(node_packages(|_| true), Vec::<&str>::new());
        assert_eq!(node_packages(|_| false), ["nodejs", "npm"]);
        assert_eq!(node_packages(|program| program == "node"), ["npm"]);
    }

    #[test]
    fn reads_the_workspace_lockfile() {
        let lock = fs::read_to_string(crate::repo_root().join("Cargo.lock")).unwrap();
        assert!(locked_version(&lock, "wasm-bindgen").is_ok());
    }
}

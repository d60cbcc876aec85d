//! Installs the tools the build and the tests need, skipping whatever is already right.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{cargo, probe, reports_version, run, skip, which, Result, Steps};

/// The trunk release that builds with this toolchain (0.22 needs a newer rustc).
pub const TRUNK_VERSION: &str = "0.21.14";

const WASM_TARGET: &str = "wasm32-unknown-unknown";

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
            Profile::Test => &["chromium", "chromium-driver", "firefox-esr", "postgresql"],
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
    steps.run(&format!("setup: rustup target {WASM_TARGET}"), wasm_target)?;
    steps.run("setup: Debian packages", || {
        debian_packages(profile.debian_packages())
    })?;
    steps.run(&format!("setup: trunk {TRUNK_VERSION}"), trunk)?;
    steps.run("setup: wasm-bindgen-cli (Cargo.lock's version)", || {
        wasm_bindgen_cli(root)
    })?;
    let mut tools = Tools { geckodriver: None };
    steps.run("setup: npm packages (binaryen, axe-core)", || {
        npm_packages(root)
    })?;
    if profile == Profile::Test {
        tools.geckodriver = Some(steps.run("setup: geckodriver", geckodriver)?);
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

/// The one version of package `name` in a Cargo.lock.
fn locked_version(lock: &str, name: &str) -> Result<String> {
    let mut versions: Vec<String> = Vec::new();
    for block in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            block.lines().find_map(|line| {
                let (k, v) = line.split_once('=')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
            })
        };
        if field("name").as_deref() == Some(name) {
            if let Some(version) = field("version") {
                if !versions.contains(&version) {
                    versions.push(version);
                }
            }
        }
    }
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("Cargo.lock has no `{name}` package")),
        // The CLI must match the library exactly, so two library versions cannot both work.
        many => Err(format!(
            "Cargo.lock has several `{name}` versions ({}); unify them first",
            many.join(", ")
        )),
    }
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
    if let Some(out) = probe("geckodriver", &["--version"]) {
        let first = out.lines().next().unwrap_or_default();
        skip(&format!("already installed: {first}"));
    } else {
        println!("    (compiling geckodriver takes about 2 minutes on 2 cores)");
        run(cargo().args(["install", "geckodriver", "--locked"]))?;
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

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen-backend"
version = "0.2.99"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "cfg-if",
]

[[package]]
name = "xtask"
version = "0.1.0"
"#;

    #[test]
    fn finds_the_locked_version_of_exactly_that_package() {
        assert_eq!(locked_version(LOCK, "wasm-bindgen").unwrap(), "0.2.130");
        assert_eq!(locked_version(LOCK, "xtask").unwrap(), "0.1.0");
        assert!(locked_version(LOCK, "trunk").is_err());
    }

    #[test]
    fn refuses_two_versions_of_one_package() {
        let two = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.100\"\n");
        let err = locked_version(&two, "wasm-bindgen").unwrap_err();
        assert!(err.contains("0.2.130, 0.2.100"), "{err}");
    }

    #[test]
    fn reads_the_workspace_lockfile() {
        let lock = fs::read_to_string(crate::repo_root().join("Cargo.lock")).unwrap();
        assert!(locked_version(&lock, "wasm-bindgen").is_ok());
    }
}

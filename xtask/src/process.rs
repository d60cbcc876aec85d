//! Running child commands and timed steps, with failures that name what failed.

use std::env;
use std::ffi::{OsStr, OsString};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// Result of an xtask operation; the error is a message ready for the user.
pub type Result<T = ()> = std::result::Result<T, String>;

/// A `cargo` command, using the same cargo binary that runs xtask.
pub fn cargo() -> Command {
    // Cargo tells its children which binary it is; using it keeps the rustup toolchain
    // that the user chose for `cargo xtask` for the nested builds too.
    Command::new(env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")))
}

/// Runs `cmd` with inherited stdio, failing with a message that names the command.
pub fn run(cmd: &mut Command) -> Result {
    let shown = describe(cmd);
    println!("    $ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs `program args` quietly and returns its stdout and stderr, or `None` if it is
/// missing or fails; for "is this tool installed, and which version" questions.
pub fn probe(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Some(text)
}

/// True if `version` appears as a whole word (optionally `v`-prefixed) in a `--version` output.
pub fn reports_version(output: &str, version: &str) -> bool {
    output
        .split_whitespace()
        .any(|word| word == version || word.strip_prefix('v') == Some(version))
}

/// The first executable called `program` on PATH.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| {
            candidate
                .metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// Prints that a step had nothing to do, and why.
pub fn skip(reason: &str) {
    println!("    skip: {reason}");
}

/// A shell-like rendering of a command: explicitly set variables, program, arguments, directory.
fn describe(cmd: &Command) -> String {
    let mut parts: Vec<String> = cmd
        .get_envs()
        .filter_map(|(key, value)| Some(format!("{}={}", quote(key), quote(value?))))
        .collect();
    parts.push(quote(cmd.get_program()));
    parts.extend(cmd.get_args().map(quote));
    let mut shown = parts.join(" ");
    if let Some(dir) = cmd.get_current_dir() {
        shown.push_str(&format!("  (in {})", dir.display()));
    }
    shown
}

fn quote(text: &OsStr) -> String {
    let text = text.to_string_lossy();
    if text.is_empty() || text.contains(|c: char| c.is_whitespace() || "'\"$".contains(c)) {
        format!("'{}'", text.replace('\'', r"'\''"))
    } else {
        text.into_owned()
    }
}

struct StepTime {
    name: String,
    elapsed: Duration,
    ok: bool,
}

/// Numbered, timed steps, remembered for the summary table.
pub struct Steps {
    started: Instant,
    done: Vec<StepTime>,
}

impl Steps {
    /// Starts the clock for the whole run.
    pub fn new() -> Self {
        Steps {
            started: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Runs one step, printing its name and elapsed time; a failure names the step.
    pub fn run<T>(&mut self, name: &str, step: impl FnOnce() -> Result<T>) -> Result<T> {
        println!("\n==> [{}] {name}", self.done.len() + 1);
        let start = Instant::now();
        let result = step();
        let elapsed = start.elapsed();
        let ok = result.is_ok();
        println!(
            "    {} in {:.1} s",
            if ok { "done" } else { "FAILED" },
            elapsed.as_secs_f64()
        );
        self.done.push(StepTime {
            name: name.to_owned(),
            elapsed,
            ok,
        });
        result.map_err(|e| format!("step `{name}` failed: {e}"))
    }

    /// Prints every step run so far with its time, then the total.
    pub fn print_summary(&self) {
        let width = self
            .done
            .iter()
            .map(|s| s.name.len())
            .chain([5])
            .max()
            .unwrap_or(0);
        println!("\n  {:<width$}  {:>9}", "step", "seconds");
        for step in &self.done {
            let mark = if step.ok { "" } else { "  FAILED" };
            println!(
                "  {:<width$}  {:>9.1}{mark}",
                step.name,
                step.elapsed.as_secs_f64()
            );
        }
        println!(
            "  {:<width$}  {:>9.1}",
            "total",
            self.started.elapsed().as_secs_f64()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_words_match_exactly() {
        assert!(reports_version("trunk 0.21.14\n", "0.21.14"));
        assert!(reports_version("wasm-bindgen 0.2.130", "0.2.130"));
        assert!(reports_version("geckodriver v0.36.0", "0.36.0"));
        assert!(!reports_version("trunk 0.21.140", "0.21.14"));
        assert!(!reports_version("trunk 0.22.0", "0.21.14"));
    }

    #[test]
    fn description_shows_env_program_args_and_dir() {
        let mut cmd = Command::new("cargo");
        cmd.args(["test", "--", "a b"])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env_remove("GECKODRIVER")
            .current_dir("/tmp");
        assert_eq!(
            describe(&cmd),
            "CHROMEDRIVER=/usr/bin/chromedriver cargo test -- 'a b'  (in /tmp)"
        );
    }
}

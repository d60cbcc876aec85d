//! Project automation: `cargo xtask demo`, `cargo xtask test`, `cargo xtask bench`,
//! `cargo xtask phrases`, `cargo xtask help`.

mod bench;
mod browsers;
mod demo;
#[cfg(test)]
mod docs;
mod fuzz;
mod phrases;
mod postgres;
mod process;
mod setup;
mod test;
mod versions;
mod widget;

use std::env;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const HELP: &str = "\
usage: cargo xtask <command>

commands:
  demo   install what the widget build needs, build the release widget, and run the
         BFF in the foreground (WIDGET_DIR=dist, PARTNERS_FILE=partners.toml unless set)
  test   install build tools, browsers and PostgreSQL, then check the formatting
         (cargo fmt) and the lints (cargo clippy, natively and for the widget on
         wasm32), then run every test layer in order: native (the BFF on SQLite),
         the BFF's integration tests on PostgreSQL (on the server TEST_DATABASE_URL
         names, else on a throwaway one started for them),
         component (Chromium, Firefox), release widget + size budget, API fuzzing
         (schemathesis from PyPI against the debug BFF, checked by crates/bff/openapi.yaml),
         end to end (which fails too if any browser it started outlives it), then
         `bench --smoke`
  bench  build in release and measure the widget's download and load, the BFF's
         throughput, latency and memory, and whole journeys with and without bank
         faults; writes BENCHMARKS.md and raw JSON under target/bench/.
         `bench --smoke` runs every measurement once, briefly, on debug builds, and
         writes only target/bench/
  phrases export <dir>
         write each translated language's phrases to <dir> as a gettext PO file
         (zh-Hant.po, th.po, ...) for translators (docs/translations.md)
  phrases import <dir>
         check the PO files in <dir> against the English (stale, missing, fuzzy or
         untranslated phrases, changed placeholders) and, if all pass, rewrite the
         language files in crates/core/src/phrase/
  help   show this text

Before installing anything, demo and test check that Trunk.toml's wasm-bindgen and
wasm-opt equal Cargo.lock's and package-lock.json's. Each step is timed and skips tools
already installed at the right version.";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let command = match args.as_slice() {
        [bench, flag] if bench == "bench" && flag == "--smoke" => "bench --smoke",
        [phrases, ..] if phrases == "phrases" => "phrases",
        [] => {
            eprintln!("{HELP}");
            return ExitCode::FAILURE;
        }
        [one] => one.as_str(),
        [first, rest @ ..] => {
            eprintln!(
                "xtask: `{first}` takes no arguments (got {})",
                rest.join(" ")
            );
            return ExitCode::FAILURE;
        }
    };
    let result = match command {
        "help" | "-h" | "--help" => {
            println!("{HELP}");
            Ok(())
        }
        "demo" | "test" => {
            prepare_environment();
            if command == "demo" {
                demo::run_all()
            } else {
                test::run_all()
            }
        }
        "bench" | "bench --smoke" => {
            prepare_environment();
            bench::run_all(command == "bench --smoke")
        }
        "phrases" => phrases::run(&args[1..]),
        other => Err(format!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask's parent folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// Cargo's target directory, as the nested cargo commands will use it.
pub fn target_dir(root: &Path) -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// Adjusts this process's environment, which every child inherits.
fn prepare_environment() {
    // Tools that `cargo install` just built must be found by the very next step, even when
    // the user's shell has not put cargo's bin folder on PATH.
    let cargo_bin = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .map(|home| home.join("bin"));
    if let Some(bin) = cargo_bin {
        let old = env::var_os("PATH").unwrap_or_default();
        // npm's tools (binaryen's wasm-opt, which trunk runs) come before the system's.
        let npm_bin = repo_root().join("node_modules").join(".bin");
        let paths = [npm_bin, bin].into_iter().chain(env::split_paths(&old));
        if let Ok(path) = env::join_paths(paths) {
            env::set_var("PATH", path);
        }
    }
    // Children run in the repo root, so a relative target dir would mean a different
    // folder to them than to the user who set it.
    if let Some(dir) = env::var_os("CARGO_TARGET_DIR") {
        let dir = PathBuf::from(dir);
        if dir.is_relative() {
            if let Ok(cwd) = env::current_dir() {
                env::set_var("CARGO_TARGET_DIR", cwd.join(dir));
            }
        }
    }
}

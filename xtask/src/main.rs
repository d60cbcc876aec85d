//! Project automation: `cargo xtask demo`, `cargo xtask test`, `cargo xtask help`.

mod browsers;
mod demo;
mod postgres;
mod process;
mod setup;
mod test;
mod widget;

use std::env;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const HELP: &str = "\
usage: cargo xtask <command>

commands:
  demo   install what the widget build needs, build the release widget, and run the
         BFF in the foreground (WIDGET_DIR=dist, PARTNERS_FILE=partners.toml unless set)
  test   install build tools, browsers and PostgreSQL, then run every test layer in order:
         native (the BFF on SQLite), the BFF's integration tests on PostgreSQL (on the
         server TEST_DATABASE_URL names, else on a throwaway one started for them),
         component (Chromium, Firefox), release widget + size budget, end to end (which
         fails too if any browser it started outlives it)
  help   show this text

Each step is timed and skips tools already installed at the right version.";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let command = match args.as_slice() {
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

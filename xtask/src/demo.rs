//! `cargo xtask demo`: build the release widget and serve it from the BFF.

use std::env;
use std::os::unix::process::CommandExt;

use crate::process::{cargo, Result, Steps};
use crate::repo_root;
use crate::setup::{self, Profile};
use crate::widget::{self, SizeReport};

/// Sets up, builds the widget, then replaces this process with the BFF in the foreground.
pub fn run_all() -> Result {
    let root = repo_root();
    let dist = root.join("dist");
    let mut steps = Steps::new();
    setup::run_all(&mut steps, &root, Profile::Demo)?;
    steps.run("widget: trunk build --release", || widget::build(&root))?;
    steps.run("widget: precompress (.gz, .br)", || {
        widget::precompress(&dist).map(drop)
    })?;
    steps.run("widget: size", || {
        let report = SizeReport::measure(&dist)?;
        report.print();
        // `cargo xtask test` enforces the budget; a demo of an oversized widget still helps.
        if let Err(over) = report.check() {
            println!("    warning: {over}");
        }
        Ok(())
    })?;
    steps.print_summary();

    // The demo's bank is the sandbox inside the BFF, which production builds leave out.
    let command = ["run", "-p", "bff", "--features", "embedded-sandbox"];
    let mut bff = cargo();
    bff.args(command).current_dir(&root);
    for (variable, default) in [
        ("WIDGET_DIR", dist),
        ("PARTNERS_FILE", root.join("partners.toml")),
    ] {
        match env::var_os(variable) {
            Some(set) => println!(
                "    {variable}={} (from your environment)",
                set.to_string_lossy()
            ),
            None => {
                println!("    {variable}={}", default.display());
                bff.env(variable, default);
            }
        }
    }
    println!("\n==> the BFF, in the foreground (Ctrl-C stops it)");
    println!("    $ cargo {}  (in {})", command.join(" "), root.display());
    // exec rather than spawn: Ctrl-C and the exit status then belong to the BFF alone.
    let error = bff.exec();
    Err(format!(
        "could not start `cargo {}`: {error}",
        command.join(" ")
    ))
}

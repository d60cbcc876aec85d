//! `cargo xtask bench [--smoke]`: what the product costs, measured side by side on this
//! machine: the widget's download and load, the BFF's throughput, journeys, memory and
//! behaviour while the bank fails. Writes BENCHMARKS.md and the raw figures as JSON under
//! target/bench/; `--smoke` runs every measurement once, briefly, on debug builds, and
//! writes under target/bench/ only.

mod machine;
pub(crate) mod processes;
mod report;
mod server;
mod widget;

use std::fs;
use std::path::PathBuf;

use serde_json::json;

use crate::process::{cargo, run, Result, Steps};
use crate::setup::{self, Profile};
use crate::{repo_root, target_dir};

/// One table of BENCHMARKS.md.
pub struct Table {
    pub title: String,
    pub notes: Vec<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What every measurement needs: where things are and how long to run.
pub struct Bench {
    pub root: PathBuf,
    pub smoke: bool,
    pub out_dir: PathBuf,
    pub bff_bin: PathBuf,
    pub sandbox_bin: PathBuf,
    pub dist: PathBuf,
}

/// Builds what is measured, measures it, and writes the report.
pub fn run_all(smoke: bool) -> Result {
    let mut steps = Steps::new();
    let result = prepare(&mut steps).and_then(|()| run_steps(&mut steps, smoke));
    steps.print_summary();
    result
}

/// Installs the tools and builds the release widget the bench measures, as `cargo xtask
/// test` has done before it runs the smoke run's steps.
fn prepare(steps: &mut Steps) -> Result {
    let root = repo_root();
    let dist = root.join("dist");
    setup::run_all(steps, &root, Profile::Test)?;
    steps.run("widget: trunk build --release", || {
        crate::widget::build(&root)
    })?;
    steps.run("widget: precompress (.gz, .br)", || {
        crate::widget::precompress(&dist).map(drop)
    })
}

/// The bench's steps, among `steps`; `cargo xtask test` runs the smoke run's after its own.
pub fn run_steps(steps: &mut Steps, smoke: bool) -> Result {
    let root = repo_root();
    let out_dir = target_dir(&root).join("bench");
    fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let dist = root.join("dist");
    // The tools and the release widget are there (see `prepare`); the smoke run measures
    // debug builds, the full bench release ones.
    let profile = if smoke { "debug" } else { "release" };
    steps.run(
        &format!("bench: build the BFF, sandbox and bench ({profile})"),
        || {
            let mut cmd = cargo();
            cmd.arg("build");
            if !smoke {
                cmd.arg("--release");
            }
            run(cmd
                .args(["-p", "bff", "-p", "bank-sandbox", "-p", "bench"])
                .current_dir(&root))
        },
    )?;
    let bins = target_dir(&root).join(profile);
    let bench = Bench {
        root: root.clone(),
        smoke,
        out_dir: out_dir.clone(),
        bff_bin: bins.join("bff"),
        sandbox_bin: bins.join("bank-sandbox"),
        dist,
    };
    let machine = machine::Machine::describe(&root, profile);
    let (widget_tables, widget_raw) = steps.run("bench: the widget", || widget::measure(&bench))?;
    let (server_tables, server_raw) = steps.run("bench: the BFF", || server::measure(&bench))?;

    let name = if smoke { "smoke" } else { "results" };
    let raw = json!({
        "machine": machine.to_json(),
        "widget": widget_raw,
        "server": server_raw,
    });
    let json_path = out_dir.join(format!("{name}.json"));
    let text = serde_json::to_string_pretty(&raw).map_err(|e| e.to_string())?;
    fs::write(&json_path, text).map_err(|e| format!("{}: {e}", json_path.display()))?;
    let tables: Vec<Table> = widget_tables.into_iter().chain(server_tables).collect();
    let markdown = report::render(&machine, &tables);
    let mut written = vec![json_path, out_dir.join(format!("{name}.md"))];
    if !smoke {
        written.push(root.join("BENCHMARKS.md"));
    }
    for path in &written[1..] {
        fs::write(path, &markdown).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!("\n{markdown}");
    for path in &written {
        println!("    wrote {}", path.display());
    }
    Ok(())
}

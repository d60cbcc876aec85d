//! The BFF's resident memory idle, and with many customers' sessions open at once.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::Duration;

use serde_json::{json, Value};

use super::{mib, number, whole, Load, Run};
use crate::bench::processes::memory;
use crate::bench::Table;
use crate::process::Result;

/// Idle, then with `load.open_sessions` sessions held open, then after they closed.
pub fn measure(run: &Run, load: &Load) -> Result<Value> {
    let sandbox = run.sandbox("memory-sandbox", None)?;
    let partners = run.partners_file("memory", None)?;
    let mut bff = run.bff("memory-bff", &sandbox, &run.sqlite("memory"), &partners, 1)?;
    let pid = bff.service.pid();
    // Past start-up's own allocations and first metrics upkeep.
    sleep(Duration::from_secs(1));
    let (idle, _) = memory(pid)?;

    let mut hold = Command::new(&run.hold)
        .args(["--origin", &bff.origin])
        .args(["--count", &load.open_sessions.to_string()])
        .args(["--start-session", &Run::start_session_body()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", run.hold.display()))?;
    let mut first_line = String::new();
    BufReader::new(hold.stdout.take().ok_or("bench-hold's stdout")?)
        .read_line(&mut first_line)
        .map_err(|e| format!("bench-hold: {e}"))?;
    let held: Value = serde_json::from_str(&first_line)
        .map_err(|e| format!("bench-hold printed no JSON ({e}): {first_line}"))?;
    sleep(Duration::from_millis(500));
    let (open, peak) = memory(pid)?;
    // Closing its input lets it close every connection and exit.
    drop(hold.stdin.take());
    hold.wait().map_err(|e| format!("bench-hold: {e}"))?;
    sleep(Duration::from_secs(1));
    let (after, _) = memory(pid)?;
    bff.service.check_running()?;
    println!(
        "    RSS idle {} MiB; with {} sessions open {} MiB (peak {} MiB); after {} MiB",
        mib(&json!(idle)),
        held["held"],
        mib(&json!(open)),
        mib(&json!(peak)),
        mib(&json!(after))
    );
    Ok(json!({
        "idle_rss": idle,
        "open_rss": open,
        "peak_rss": peak,
        "after_rss": after,
        "open_sessions": held,
    }))
}

/// The memory table.
pub fn tables(raw: &Value, load: &Load) -> Vec<Table> {
    let held = whole(number(&raw["open_sessions"]["held"]));
    vec![Table {
        title: "BFF: memory".into(),
        notes: vec![
            "Resident memory of the BFF process (`VmRSS`, and `VmHWM` for the peak, from \
             `/proc/<pid>/status`), on SQLite, the bank sandbox in a process of its own."
                .into(),
            format!(
                "\"Open\" sessions: {} customers' widgets open at once, as browsers hold them: \
                 each on a keep-alive connection of its own, its session started \
                 (`POST /api/v1/sessions`) and read once (`GET /api/v1/sessions/current`), and \
                 every connection still open when the memory is read (`bench-hold`). Idle is \
                 one second after start, before any request.",
                whole(load.open_sessions as f64)
            ),
        ],
        headers: ["state", "RSS MiB"].map(String::from).to_vec(),
        rows: vec![
            vec!["idle".into(), mib(&raw["idle_rss"])],
            vec![format!("{held} sessions open"), mib(&raw["open_rss"])],
            vec!["peak so far (VmHWM)".into(), mib(&raw["peak_rss"])],
            vec!["after they closed".into(), mib(&raw["after_rss"])],
        ],
    }]
}

/// Every session was opened and held.
pub fn check(raw: &Value) -> Result {
    let held = &raw["open_sessions"];
    if number(&held["held"]) == 0.0 || number(&held["failed"]) > 0.0 {
        return Err(format!("not every session could be held open: {held}"));
    }
    Ok(())
}

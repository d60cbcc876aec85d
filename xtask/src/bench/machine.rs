//! The machine a bench ran on, and when and what it measured: figures mean little without.

use std::path::Path;

use serde_json::{json, Value};

use crate::process::probe;

/// What BENCHMARKS.md says of the run.
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory_gib: f64,
    /// The 1-minute load average when the bench started: others' work skews the figures.
    pub load_average: String,
    pub date: String,
    pub commit: String,
    pub rustc: String,
    /// `release`, or `debug` for the smoke run.
    pub profile: String,
}

impl Machine {
    /// This machine, now, at the checkout in `root`.
    pub fn describe(root: &Path, profile: &str) -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let commit =
            git(root, &["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
        let dirty = git(root, &["status", "--porcelain"]).is_some_and(|s| !s.is_empty());
        Machine {
            cpu: field(&cpuinfo, "model name").unwrap_or_else(|| "unknown".into()),
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            memory_gib: field(&meminfo, "MemTotal")
                .and_then(|kib| kib.split_whitespace().next()?.parse::<f64>().ok())
                .map_or(0.0, |kib| kib / (1024.0 * 1024.0)),
            load_average: load_average(),
            date: probe("date", &["-u", "+%Y-%m-%d %H:%M UTC"])
                .map(|d| d.trim().to_owned())
                .unwrap_or_default(),
            commit: if dirty {
                format!("{commit} with uncommitted changes")
            } else {
                commit
            },
            rustc: probe("rustc", &["--version"])
                .map(|v| v.trim().to_owned())
                .unwrap_or_default(),
            profile: profile.to_owned(),
        }
    }

    /// The same, for the raw JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "cpu": self.cpu,
            "cores": self.cores,
            "memory_gib": self.memory_gib,
            "load_average_at_start": self.load_average,
            "date": self.date,
            "commit": self.commit,
            "rustc": self.rustc,
            "profile": self.profile,
        })
    }
}

/// The value of the first `name : value` line.
fn field(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == name).then(|| value.trim().to_owned())
    })
}

/// A read-only git command's output in `root`.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = std::process::Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The machine's 1-minute load average, as `/proc/loadavg` gives it; empty without one.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_by_name() {
        let text = "processor\t: 0\nmodel name\t: Some CPU @ 2GHz\nMemTotal:       24683772 kB\n";
        assert_eq!(
            field(text, "model name").as_deref(),
            Some("Some CPU @ 2GHz")
        );
        assert_eq!(field(text, "MemTotal").as_deref(), Some("24683772 kB"));
        assert_eq!(field(text, "flags"), None);
    }

    #[test]
    fn this_machine_is_described() {
        let machine = Machine::describe(&crate::repo_root(), "debug");
        assert!(machine.cores >= 1);
        assert!(machine.memory_gib > 0.0);
        assert_ne!(machine.commit, "unknown");
    }
}

//! The programs a measurement runs: servers started on free local ports and stopped when
//! dropped, one-shot programs whose JSON answer is read, and what `/proc` says of a
//! process's memory and CPU time.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::process::Result;

/// How long a server may take to say where it listens.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A server process, its output in a log file, killed when dropped.
pub struct Service {
    name: String,
    child: Child,
    log: PathBuf,
    /// The URL its ready line named, e.g. `http://127.0.0.1:41234`.
    pub url: String,
}

impl Service {
    /// Starts `cmd` (stdout and stderr to `<log_dir>/<name>.log`) and waits for the line
    /// starting with `ready`, whose rest is the URL it listens on.
    pub fn start(name: &str, mut cmd: Command, ready: &str, log_dir: &Path) -> Result<Self> {
        let log = log_dir.join(format!("{name}.log"));
        let out = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        let child = cmd
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("could not start {name} ({:?}): {e}", cmd.get_program()))?;
        let mut service = Service {
            name: name.to_owned(),
            child,
            log,
            url: String::new(),
        };
        let began = Instant::now();
        loop {
            if let Some(url) = service.logged_after(ready) {
                service.url = url.trim_end_matches("/metrics").to_owned();
                return Ok(service);
            }
            if let Ok(Some(status)) = service.child.try_wait() {
                return Err(format!(
                    "{name} stopped before listening ({status}):\n{}",
                    service.log_tail()
                ));
            }
            if began.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "{name} did not listen within {} s:\n{}",
                    START_TIMEOUT.as_secs(),
                    service.log_tail()
                ));
            }
            sleep(Duration::from_millis(20));
        }
    }

    /// The rest of the first line of its output that starts with `prefix`.
    pub fn logged_after(&self, prefix: &str) -> Option<String> {
        let text = fs::read_to_string(&self.log).ok()?;
        text.lines()
            .find_map(|line| line.strip_prefix(prefix))
            .map(|rest| rest.trim().to_owned())
    }

    /// The process id, for `/proc`.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The last lines of its output, for an error message.
    pub fn log_tail(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// Fails, with its output, if it has stopped.
    pub fn check_running(&mut self) -> Result {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(format!(
                "{} stopped ({status}):\n{}",
                self.name,
                self.log_tail()
            )),
            Err(e) => Err(format!("{}: {e}", self.name)),
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a one-shot bench program and parses the JSON it prints last.
pub fn json_of(mut cmd: Command) -> Result<Value> {
    let shown = format!("{:?}", cmd.get_program());
    let output = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("{shown} failed ({}): {stdout}", output.status));
    }
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).map_err(|e| format!("{shown} printed no JSON ({e}): {stdout}"))
}

/// Resident memory now and at its peak (`VmRSS`, `VmHWM`), in bytes.
pub fn memory(pid: u32) -> Result<(u64, u64)> {
    let status = fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("/proc/{pid}/status: {e}"))?;
    let kib = |field: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
            .map(|k| k * 1024)
            .ok_or_else(|| format!("no {field} in /proc/{pid}/status"))
    };
    Ok((kib("VmRSS:")?, kib("VmHWM:")?))
}

/// CPU time used so far, user and system, in seconds.
pub fn cpu_seconds(pid: u32) -> Result<f64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_err(|e| format!("/proc/{pid}/stat: {e}"))?;
    // The command name (field 2) may hold spaces; the fields after it are numbers.
    let after_name = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or("an unreadable /proc/<pid>/stat")?;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    let (Some(user), Some(system)) = (ticks(11), ticks(12)) else {
        return Err("no utime/stime in /proc/<pid>/stat".into());
    };
    Ok((user + system) / clock_ticks())
}

/// Clock ticks a second (`getconf CLK_TCK`; 100 on every Linux the bench runs on).
fn clock_ticks() -> f64 {
    crate::process::probe("getconf", &["CLK_TCK"])
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_memory_and_cpu_time() {
        let pid = std::process::id();
        let (rss, peak) = memory(pid).unwrap();
        assert!(rss > 1024 * 1024 && peak >= rss, "{rss} {peak}");
        let spin = Instant::now();
        while spin.elapsed() < Duration::from_millis(50) {}
        assert!(cpu_seconds(pid).unwrap() > 0.0);
    }

    #[test]
    fn a_service_is_ready_at_its_line_and_stopped_when_dropped() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let mut cmd = Command::new("sh");
        cmd.args([
            "-c",
            "echo starting; echo 'up at http://127.0.0.1:9/metrics'; exec sleep 30",
        ]);
        let mut service = Service::start("sleeper", cmd, "up at ", &dir).unwrap();
        assert_eq!(service.url, "http://127.0.0.1:9");
        service.check_running().unwrap();
        let pid = service.pid();
        drop(service);
        assert!(!Path::new(&format!("/proc/{pid}")).exists() || memory(pid).is_err());
        let mut failing = Command::new("sh");
        failing.args(["-c", "echo broken; exit 3"]);
        let error = Service::start("failing", failing, "up at ", &dir)
            .err()
            .unwrap();
        assert!(error.contains("broken"), "{error}");
        let _ = fs::remove_dir_all(&dir);
    }
}

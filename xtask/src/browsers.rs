//! The browsers the end-to-end tests start, and whether any outlived them. Each run gives
//! its tests a folder of its own for the browsers' profiles (`E2E_BROWSER_DIR`, read by
//! crates/e2e/src/browser.rs); every Chromium process has its profile, so that folder, on
//! its command line, which is how the run finds any left behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::process::Result;

/// The variable that tells the end-to-end tests where to put the browsers' profiles.
pub const BROWSER_DIR_VARIABLE: &str = "E2E_BROWSER_DIR";

/// How long a browser killed at its test's end may take to be gone.
const GRACE: Duration = Duration::from_secs(5);

/// One run's folder for the browsers' profiles; removed when dropped.
pub struct BrowserRun {
    dir: PathBuf,
}

impl BrowserRun {
    /// Creates a folder no other run has: this process's id and the time.
    pub fn new() -> Result<Self> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |t| t.as_nanos());
        let dir = std::env::temp_dir().join(format!("e2e-browsers-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Self { dir })
    }

    /// The folder, to pass to the tests in [`BROWSER_DIR_VARIABLE`].
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Fails, naming them, if any process of this run's browsers still runs once the
    /// tests are over; those are then killed, so one failed run does not leave them to
    /// the next.
    pub fn check_none_left(&self) -> Result {
        self.check_none_left_after(GRACE)
    }

    fn check_none_left_after(&self, grace: Duration) -> Result {
        let marker = self.dir.display().to_string();
        let left = left_after(&marker, grace);
        if left.is_empty() {
            return Ok(());
        }
        let listed: Vec<String> = left
            .iter()
            .map(|(pid, command)| format!("  {pid} {}", shorten(command)))
            .collect();
        for (pid, _) in &left {
            let _ = Command::new("kill")
                .args(["-s", "KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
        Err(format!(
            "{} browser processes outlived the run that started them (now killed):\n{}",
            left.len(),
            listed.join("\n")
        ))
    }
}

impl Drop for BrowserRun {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The processes still carrying `marker` after up to `grace`: a process killed a moment
/// ago may not have gone yet.
fn left_after(marker: &str, grace: Duration) -> Vec<(u32, String)> {
    let started = Instant::now();
    loop {
        let left = processes_mentioning(marker);
        if left.is_empty() || started.elapsed() >= grace {
            return left;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The running processes (but this one) whose command line contains `text`, with that
/// command line. An exited process not yet reaped has an empty one, so it is not counted.
pub fn processes_mentioning(text: &str) -> Vec<(u32, String)> {
    let own = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut found: Vec<(u32, String)> = entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != own)
        .filter_map(|pid| {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
            let command = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            command
                .contains(text)
                .then(|| (pid, command.trim_end().to_owned()))
        })
        .collect();
    found.sort_unstable();
    found
}

/// A command line cut to a readable length: Chromium's run to kilobytes.
fn shorten(command: &str) -> String {
    const SHOWN: usize = 160;
    match command.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &command[..end]),
        None => command.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::CommandExt;

    #[test]
    fn a_process_carrying_the_runs_marker_is_found_and_ended() {
        let run = BrowserRun::new().unwrap();
        assert_eq!(run.check_none_left(), Ok(()));

        // A stand-in for a browser left running: its name carries the run's folder, as
        // Chromium's `--user-data-dir` does.
        let marker = run.dir().display().to_string();
        let mut stray = Command::new("sleep")
            .arg0(format!("sleep --user-data-dir={marker}/chromium-x"))
            .arg("60")
            .spawn()
            .unwrap();
        // Its new command line shows a moment after `spawn` returns, once exec is done.
        let started = Instant::now();
        let mut found = processes_mentioning(&marker);
        while found.is_empty() && started.elapsed() < GRACE {
            std::thread::sleep(Duration::from_millis(10));
            found = processes_mentioning(&marker);
        }
        assert_eq!(
            found.iter().map(|(pid, _)| *pid).collect::<Vec<_>>(),
            [stray.id()],
            "{found:?}"
        );

        let error = run.check_none_left_after(Duration::ZERO).unwrap_err();
        assert!(error.contains(&stray.id().to_string()), "{error}");
        assert!(error.contains("outlived"), "{error}");
        // It was killed: it ends without being asked again.
        let status = stray.wait().unwrap();
        assert!(!status.success(), "{status}");
        assert!(processes_mentioning(&marker).is_empty());

        // Another run's processes are not this run's.
        let other = BrowserRun::new().unwrap();
        assert_ne!(other.dir(), run.dir());
    }

    #[test]
    fn long_command_lines_are_shortened_on_a_character_boundary() {
        assert_eq!(shorten("chromium --a"), "chromium --a");
        let long = "é".repeat(200);
        let short = shorten(&long);
        assert_eq!(short.chars().count(), 161);
        assert!(short.ends_with('…'));
    }
}

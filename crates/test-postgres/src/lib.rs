//! A throwaway PostgreSQL server for tests.
//!
//! [`Cluster::start`] runs `initdb` in a new temporary directory and starts the server on a
//! free port of 127.0.0.1; dropping the [`Cluster`] stops the server and removes the
//! directory. xtask runs the BFF's integration suite against one, and a BFF test starts its
//! own to stop and restart it mid-test. Standard library only, so both stay cheap to build.

use std::env;
use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{ErrorKind, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::process::{self, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Where Debian's `postgresql-<version>` packages put the server binaries.
const DEBIAN_ROOT: &str = "/usr/lib/postgresql";

/// Start of every cluster directory's name, followed by the owning process's id, so that a
/// later run can recognise the leftovers of a process that died without dropping its cluster.
const DIR_PREFIX: &str = "test-postgres-";

/// The user that runs initdb and the server when we are root: both refuse to run as root.
const SERVER_USER: &str = "postgres";

/// Another process can take the probed port before the server binds it, so a start whose
/// bind failed is retried on a new port this many times in all.
const PORT_ATTEMPTS: usize = 3;

/// How many lines of the server's log a start failure quotes.
const LOG_TAIL_LINES: usize = 30;

/// Seconds pg_ctl waits for a start or a stop before giving up.
const PG_CTL_TIMEOUT: &str = "60";

/// Settings appended to `postgresql.conf`. Durability is pointless for data thrown away after
/// the run, and costs most of a test's time; the BFF's pool and parallel tests need
/// connections. Every `CREATE DATABASE` writes the whole template (about 7 MB) to the log,
/// so a suite creating a database per test would keep up to the default 1 GB of it: a
/// small `max_wal_size` recycles it within seconds, which keeps the run within the disk of
/// a CI machine that has just built the workspace. `{socket_dir}` is replaced by the
/// cluster's directory.
const SETTINGS: &str = "
# Added by test-postgres: a throwaway server for tests.
listen_addresses = '127.0.0.1'
unix_socket_directories = '{socket_dir}'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
wal_level = minimal
max_wal_senders = 0
max_wal_size = '64MB'
min_wal_size = '32MB'
";

/// A PostgreSQL server in its own temporary directory, listening on 127.0.0.1 only.
///
/// Its superuser is `postgres`, with trust authentication (no password). Dropping it stops
/// the server and deletes the directory, also when a test panics.
#[derive(Debug)]
pub struct Cluster {
    /// The temporary directory: `data/` (the cluster), the Unix socket and `server.log`.
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    /// True when we are root and therefore run the binaries as [`SERVER_USER`].
    as_server_user: bool,
    running: bool,
}

impl Cluster {
    /// Creates a cluster in a new temporary directory and starts it on a free port.
    ///
    /// Uses the highest version under `/usr/lib/postgresql/<version>/bin`. When the current
    /// user is root, the server runs as the `postgres` user (through `runuser`).
    pub fn start() -> Result<Cluster, String> {
        let bin = server_binaries()?;
        let as_server_user = running_as_root();
        let base = base_dir();
        remove_leftovers(&base, &bin, as_server_user);
        let dir = create_unique_dir(&base)?;
        // From here on every early return drops `cluster`, which stops whatever started and
        // removes the directory.
        let mut cluster = Cluster {
            dir,
            bin,
            port: 0,
            as_server_user,
            running: false,
        };
        if as_server_user {
            run_quiet(
                Command::new("chown")
                    .args(["-R", &format!("{SERVER_USER}:{SERVER_USER}")])
                    .arg(&cluster.dir),
            )?;
        }
        cluster.initdb()?;
        cluster.configure()?;
        let mut attempt = 1;
        loop {
            cluster.port = free_port()?;
            let log_start = cluster.log_len();
            match cluster.start_server() {
                Ok(()) => return Ok(cluster),
                Err(error) => {
                    let port_taken = cluster.log_since(log_start).contains("could not bind");
                    if !port_taken || attempt == PORT_ATTEMPTS {
                        return Err(error);
                    }
                    attempt += 1;
                }
            }
        }
    }

    /// `postgres://postgres@127.0.0.1:<port>/postgres`: the `postgres` database as superuser.
    pub fn url(&self) -> String {
        format!("postgres://{SERVER_USER}@127.0.0.1:{}/postgres", self.port)
    }

    /// The TCP port on 127.0.0.1; it stays the same across [`Cluster::start_again`].
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The directory of the PostgreSQL binaries in use (`initdb`, `pg_ctl`, `psql`, …).
    pub fn bin_dir(&self) -> &Path {
        &self.bin
    }

    /// The server's log file, kept until the cluster is dropped.
    pub fn log_path(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    /// Stops the server (fast shutdown: open connections are closed) and waits until it
    /// has exited. Does nothing when it is already stopped.
    pub fn stop(&mut self) -> Result<(), String> {
        if !self.running {
            return Ok(());
        }
        run_quiet(
            self.pg_ctl()
                .args(["stop", "-w", "-t", PG_CTL_TIMEOUT, "-m", "fast", "-D"])
                .arg(self.data_dir()),
        )?;
        self.running = false;
        Ok(())
    }

    /// Starts the stopped server again on the same data and port, and waits until it
    /// accepts connections. Does nothing when it is already running.
    pub fn start_again(&mut self) -> Result<(), String> {
        if self.running {
            return Ok(());
        }
        self.start_server()
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn pg_ctl(&self) -> Command {
        server_command(&self.bin, "pg_ctl", self.as_server_user, &self.dir)
    }

    fn initdb(&self) -> Result<(), String> {
        // The C locale exists everywhere, whatever locales the machine has generated.
        run_quiet(
            server_command(&self.bin, "initdb", self.as_server_user, &self.dir)
                .arg("-D")
                .arg(self.data_dir())
                .args(["-A", "trust", "-U", SERVER_USER, "-E", "UTF8"])
                .args(["--locale=C", "--no-sync"]),
        )
    }

    fn configure(&self) -> Result<(), String> {
        let path = self.data_dir().join("postgresql.conf");
        let settings = SETTINGS.replace("{socket_dir}", &conf_quote(&self.dir));
        // Appending as root keeps the file's owner, the server user.
        OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut file| file.write_all(settings.as_bytes()))
            .map_err(|e| format!("cannot append the settings to {}: {e}", path.display()))
    }

    fn start_server(&mut self) -> Result<(), String> {
        let log_start = self.log_len();
        // The port goes on the command line rather than in postgresql.conf, so a retry on
        // another port needs no rewrite; start_again reuses it.
        let result = run_quiet(
            self.pg_ctl()
                .args(["start", "-w", "-t", PG_CTL_TIMEOUT, "-D"])
                .arg(self.data_dir())
                .arg("-l")
                .arg(self.log_path())
                .args(["-o", &format!("-p {}", self.port)]),
        );
        if let Err(error) = result {
            return Err(format!(
                "{error}\nlast lines of the server log {}:\n{}",
                self.log_path().display(),
                self.log_since(log_start)
            ));
        }
        self.running = true;
        // pg_ctl's wait reads the server's pid file; the tests connect over TCP, so check that.
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        TcpStream::connect_timeout(&address, Duration::from_secs(5))
            .map(drop)
            .map_err(|e| {
                format!(
                    "PostgreSQL started but 127.0.0.1:{} refuses connections: {e}",
                    self.port
                )
            })
    }

    fn log_len(&self) -> u64 {
        fs::metadata(self.log_path()).map_or(0, |m| m.len())
    }

    /// The last lines of the server's log, for a failure message: a crashed or full server
    /// says why there and nowhere else.
    pub fn log_tail(&self) -> String {
        self.log_since(0)
    }

    /// The last lines the server logged after byte `start` of its log.
    fn log_since(&self, start: u64) -> String {
        let bytes = fs::read(self.log_path()).unwrap_or_default();
        let start = usize::try_from(start)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        let text = String::from_utf8_lossy(&bytes[start..]);
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        stop_and_remove(&self.dir, &self.bin, self.as_server_user);
    }
}

/// The directory holding `initdb` and `pg_ctl` of the highest PostgreSQL version installed
/// under `/usr/lib/postgresql/<version>/bin`, or an error naming the package to install.
pub fn server_binaries() -> Result<PathBuf, String> {
    highest_version_bin(Path::new(DEBIAN_ROOT)).ok_or_else(|| {
        format!(
            "no PostgreSQL server binaries in {DEBIAN_ROOT}/<version>/bin; \
             install Debian's `postgresql` package (apt-get install postgresql)"
        )
    })
}

fn highest_version_bin(root: &Path) -> Option<PathBuf> {
    fs::read_dir(root)
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let version = parse_version(entry.file_name().to_str()?)?;
            let bin = entry.path().join("bin");
            let complete = ["initdb", "pg_ctl", "postgres"]
                .iter()
                .all(|program| bin.join(program).is_file());
            complete.then_some((version, bin))
        })
        .max_by(|(a, _), (b, _)| a.cmp(b))
        .map(|(_, bin)| bin)
}

/// `15` or `9.6` as numbers, so that 15 sorts above 9.6.
fn parse_version(name: &str) -> Option<Vec<u32>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|out| out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// `/tmp` rather than `$TMPDIR`: every user can traverse it (as root, the server runs as
/// another user), and its short path keeps the Unix socket's path under the 107-byte limit.
fn base_dir() -> PathBuf {
    let tmp = Path::new("/tmp");
    if tmp.is_dir() {
        tmp.to_path_buf()
    } else {
        env::temp_dir()
    }
}

fn create_unique_dir(base: &Path) -> Result<PathBuf, String> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let mut attempts = 0;
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = base.join(format!("{DIR_PREFIX}{}-{n}", process::id()));
        match DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            // A dead process with our id may have left one behind that is not ours to clear.
            Err(e) if e.kind() == ErrorKind::AlreadyExists && attempts < 1000 => attempts += 1,
            Err(e) => return Err(format!("cannot create {}: {e}", dir.display())),
        }
    }
}

/// Binds port 0 on 127.0.0.1 and releases it: a port that was free a moment ago.
fn free_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("cannot find a free port on 127.0.0.1: {e}"))
}

/// A PostgreSQL program from `bin`, run as the server user through runuser when we are root.
fn server_command(bin: &Path, program: &str, as_server_user: bool, cwd: &Path) -> Command {
    let path = bin.join(program);
    let mut cmd = if as_server_user {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", SERVER_USER, "--"]).arg(path);
        cmd
    } else {
        Command::new(path)
    };
    // The server user may not be allowed into the caller's directory, and the programs
    // then fail to locate each other.
    cmd.current_dir(cwd).stdin(Stdio::null());
    cmd
}

/// Runs `cmd` capturing its output, which goes into the error only when it fails.
fn run_quiet(cmd: &mut Command) -> Result<(), String> {
    let mut shown = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    let output = cmd
        .output()
        .map_err(|e| format!("could not run `{shown}`: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "`{shown}` failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

/// A string literal for postgresql.conf.
fn conf_quote(path: &Path) -> String {
    path.to_string_lossy()
        .replace('\\', "\\\\")
        .replace('\'', "''")
}

/// Stops the server of the cluster in `dir`, if one runs, and deletes the directory.
fn stop_and_remove(dir: &Path, bin: &Path, as_server_user: bool) {
    let data = dir.join("data");
    if data.join("postmaster.pid").exists() {
        // Immediate: the data is deleted next, so a clean shutdown would only cost time.
        let _ = run_quiet(
            server_command(bin, "pg_ctl", as_server_user, dir)
                .args(["stop", "-w", "-t", PG_CTL_TIMEOUT, "-m", "immediate", "-D"])
                .arg(&data),
        );
        kill_server_in(&data);
    }
    let _ = fs::remove_dir_all(dir);
}

/// Kills the server still running on `data` after pg_ctl failed to stop it.
fn kill_server_in(data: &Path) {
    let Ok(pid_file) = fs::read_to_string(data.join("postmaster.pid")) else {
        return;
    };
    let Some(pid) = pid_file
        .lines()
        .next()
        .and_then(|l| l.trim().parse::<u32>().ok())
    else {
        return;
    };
    // A stale pid file may name an unrelated process by now; the server works in its data
    // directory, so only a process whose working directory that is gets killed.
    let cwd = fs::read_link(format!("/proc/{pid}/cwd")).ok();
    if cwd.is_some() && cwd.and_then(|c| c.canonicalize().ok()) == data.canonicalize().ok() {
        // The server's children notice the postmaster's death and exit by themselves.
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .stderr(Stdio::null())
            .status();
    }
}

/// Stops and removes the clusters of processes that died without dropping them. A killed
/// test never runs Drop, and Ctrl-C does not reach the server either: pg_ctl starts it in a
/// session of its own.
fn remove_leftovers(base: &Path, bin: &Path, as_server_user: bool) {
    // Without /proc a live owner looks dead, so leave everything alone.
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(owner) = name.to_str().and_then(owner_pid) else {
            continue;
        };
        if owner != process::id() && !Path::new(&format!("/proc/{owner}")).exists() {
            stop_and_remove(&entry.path(), bin, as_server_user);
        }
    }
}

/// The process id in a cluster directory's name `test-postgres-<pid>-<n>`.
fn owner_pid(name: &str) -> Option<u32> {
    let (pid, n) = name.strip_prefix(DIR_PREFIX)?.split_once('-')?;
    n.parse::<u32>().ok()?;
    pid.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic;

    /// The binaries, or `None` after printing why the calling test is skipped.
    fn installed() -> Option<PathBuf> {
        match server_binaries() {
            Ok(bin) => Some(bin),
            Err(why) => {
                eprintln!("skipped: {why}");
                None
            }
        }
    }

    fn accepts_tcp(port: u16) -> bool {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        TcpStream::connect_timeout(&address, Duration::from_secs(2)).is_ok()
    }

    /// Runs one SQL statement with psql over TCP and returns its unaligned output.
    fn psql(cluster: &Cluster, sql: &str) -> String {
        let output = Command::new(cluster.bin_dir().join("psql"))
            .args([
                "-X",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                &cluster.url(),
            ])
            .args(["-c", sql])
            .output()
            .expect("psql runs");
        assert!(
            output.status.success(),
            "psql -c {sql:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    fn postmaster_pid(cluster: &Cluster) -> u32 {
        let pid_file = fs::read_to_string(cluster.data_dir().join("postmaster.pid")).unwrap();
        pid_file.lines().next().unwrap().trim().parse().unwrap()
    }

    /// Whether process `pid` is still alive a few seconds on: pg_ctl's wait ends when the
    /// server removes its pid file, an instant before the process exits and is reaped.
    fn still_running(pid: u32) -> bool {
        for _ in 0..50 {
            let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            // The state follows the parenthesised command name; a zombie has exited.
            let state = stat
                .rsplit_once(") ")
                .and_then(|(_, rest)| rest.chars().next());
            if state == Some('Z') {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        true
    }

    #[test]
    fn starts_stops_starts_again_and_cleans_up_on_drop() {
        if installed().is_none() {
            return;
        }
        let mut cluster = Cluster::start().unwrap();
        let port = cluster.port();
        assert_eq!(
            cluster.url(),
            format!("postgres://postgres@127.0.0.1:{port}/postgres")
        );
        assert!(accepts_tcp(port));
        assert_eq!(psql(&cluster, "SHOW fsync"), "off");
        assert_eq!(psql(&cluster, "SHOW max_connections"), "200");
        assert_eq!(psql(&cluster, "SHOW max_wal_size"), "64MB");
        assert_eq!(psql(&cluster, "SHOW server_encoding"), "UTF8");
        psql(
            &cluster,
            "CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)",
        );

        cluster.stop().unwrap();
        assert!(!accepts_tcp(port));
        cluster.stop().unwrap();

        cluster.start_again().unwrap();
        assert_eq!(cluster.port(), port);
        assert!(accepts_tcp(port));
        assert_eq!(psql(&cluster, "SELECT n FROM kept"), "7");

        let dir = cluster.dir.clone();
        let log = cluster.log_path();
        assert!(fs::read_to_string(log)
            .unwrap()
            .contains("ready to accept connections"));
        assert!(cluster.log_tail().contains("ready to accept connections"));
        let pid = postmaster_pid(&cluster);
        drop(cluster);
        assert!(!accepts_tcp(port));
        assert!(!still_running(pid), "postmaster {pid} survived the drop");
        assert!(!dir.exists(), "{} survived the drop", dir.display());
    }

    #[test]
    fn a_panicking_test_leaves_no_server_behind() {
        if installed().is_none() {
            return;
        }
        let mut seen = None;
        let result = panic::catch_unwind(panic::AssertUnwindSafe(|| {
            let cluster = Cluster::start().unwrap();
            seen = Some((postmaster_pid(&cluster), cluster.dir.clone()));
            panic!("a failing test");
        }));
        assert!(result.is_err());
        let (pid, dir) = seen.unwrap();
        assert!(!still_running(pid), "postmaster {pid} survived the panic");
        assert!(!dir.exists());
    }

    #[test]
    fn clusters_of_dead_processes_are_removed() {
        let Some(bin) = installed() else {
            return;
        };
        // A directory named after a process id above the kernel's maximum: its owner is dead.
        let leftover = base_dir().join(format!("{DIR_PREFIX}{}-0", u32::MAX));
        fs::create_dir_all(leftover.join("data")).unwrap();
        remove_leftovers(&base_dir(), &bin, running_as_root());
        assert!(!leftover.exists());
    }

    #[test]
    fn a_failed_start_quotes_the_server_log() {
        if installed().is_none() {
            return;
        }
        let mut cluster = Cluster::start().unwrap();
        cluster.stop().unwrap();
        // An unknown setting makes the server refuse to start.
        OpenOptions::new()
            .append(true)
            .open(cluster.data_dir().join("postgresql.conf"))
            .unwrap()
            .write_all(b"no_such_setting_here = 1\n")
            .unwrap();
        let error = cluster.start_again().unwrap_err();
        assert!(error.contains("no_such_setting_here"), "{error}");
        assert!(error.contains("server.log"), "{error}");
    }

    #[test]
    fn picks_the_highest_complete_version() {
        let root = create_unique_dir(&base_dir()).unwrap();
        for (version, complete) in [("9.6", true), ("15", true), ("16", false), ("x", true)] {
            let bin = root.join(version).join("bin");
            fs::create_dir_all(&bin).unwrap();
            let programs: &[&str] = if complete {
                &["initdb", "pg_ctl", "postgres"]
            } else {
                &["pg_ctl"]
            };
            for program in programs {
                fs::write(bin.join(program), "").unwrap();
            }
        }
        let found = highest_version_bin(&root);
        fs::remove_dir_all(&root).unwrap();
        assert_eq!(found, Some(root.join("15").join("bin")));
        assert_eq!(highest_version_bin(&root), None);
    }

    #[test]
    fn reads_the_owner_from_a_directory_name() {
        assert_eq!(owner_pid("test-postgres-1234-0"), Some(1234));
        assert_eq!(owner_pid("test-postgres-1234-17"), Some(1234));
        assert_eq!(owner_pid("test-postgres-1234"), None);
        assert_eq!(owner_pid("test-postgres-x-1"), None);
        assert_eq!(owner_pid("other-1234-0"), None);
    }

    #[test]
    fn quotes_paths_for_postgresql_conf() {
        assert_eq!(conf_quote(Path::new("/tmp/it's")), "/tmp/it''s");
    }
}

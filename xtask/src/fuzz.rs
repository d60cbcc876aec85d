//! The API fuzzing step of `cargo xtask test`: schemathesis (from PyPI) sends a running BFF
//! requests made from its description, `crates/bff/openapi.yaml`, valid and invalid, and
//! the step fails on any 500 and on any answer the description does not allow (its status,
//! media type, body or headers).

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::bench::processes::Service;
use crate::process::{probe, reports_version, run, skip, which, Result};
use crate::target_dir;

/// The schemathesis release the step runs.
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// The validator that first checks the description against OpenAPI 3.1's own schema.
pub const SPEC_VALIDATOR_VERSION: &str = "0.9.0";

/// What schemathesis checks each answer for.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
response_schema_conformance,response_headers_conformance";
/// Test cases per operation in each phase: enough to reach every operation's answers, few
/// enough that the step takes seconds.
const MAX_EXAMPLES: &str = "40";
/// Fixed, so a failure found once is found again on the next run.
const SEED: &str = "20261207";
/// The whole run is stopped past this, as a failure.
const TIME_LIMIT: Duration = Duration::from_secs(600);

/// The placements of the description's own examples (`POST /api/v1/sessions`,
/// `POST /partner/v1/placements`), so that schemathesis's examples are accepted too.
const PARTNERS: &str = r#"
[[partner]]
id = "demo-travel"
display_name = "Demo Travel"
allowed_origins = ["http://127.0.0.1:8080"]
allowed_return_urls = ["http://127.0.0.1:8080/demo/return"]
markets = ["SG"]
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }

[[partner]]
id = "demo-fintech"
display_name = "Demo Fintech"
allowed_origins = ["http://127.0.0.1:8080"]
allowed_return_urls = ["http://127.0.0.1:8080/demo/return"]
markets = ["SG"]
provider = "connectfi"
product = { product_code = "VC830", source_code = "WW5ARCE1", organization = "888", logo = "830" }

[cards]
VC830 = "Rewards Card"
"#;
/// The partners' API key while the bank sandbox runs inside the BFF (published in the
/// README, as the partners file above sets none).
const DEMO_API_KEY: &str = "demo-only-api-key-published-in-the-readme";
const START_SESSION: &str =
    r#"{"partner":"demo-travel","market":"SG","return_url":"http://127.0.0.1:8080/demo/return"}"#;

/// Installs schemathesis, starts the debug BFF at `bff` (with its embedded bank sandbox and
/// a fresh SQLite database), starts a session, and runs schemathesis against the BFF with
/// that session's token.
pub fn run_against(root: &Path, bff: &Path) -> Result {
    let work = target_dir(root).join("schemathesis");
    let venv = install(&work)?;
    let description = root.join("crates/bff/openapi.yaml");
    run(Command::new(venv.join("bin/openapi-spec-validator")).arg(&description))?;

    let run_dir = work.join("run");
    let _ = fs::remove_dir_all(&run_dir);
    fs::create_dir_all(&run_dir).map_err(|e| format!("{}: {e}", run_dir.display()))?;
    let server = start_bff(bff, root, &run_dir)?;
    let origin = server.url.clone();
    let token = start_session(origin.trim_start_matches("http://"))?;
    // Each security scheme of the description gets its credential: the session's calls its
    // token, the partner API the key. State-changing calls need the widget's own origin,
    // which a browser sends. Without them every call would be refused alike.
    let config = run_dir.join("schemathesis.toml");
    fs::write(
        &config,
        format!(
            "headers = {{ Origin = \"{origin}\" }}\n\n[auth.openapi.session]\nbearer = \"{token}\"\n\n\
             [auth.openapi.partnerKey]\nbearer = \"{DEMO_API_KEY}\"\n"
        ),
    )
    .map_err(|e| format!("{}: {e}", config.display()))?;
    let mut schemathesis = Command::new(venv.join("bin/schemathesis"));
    schemathesis
        .arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(&description)
        .args(["--url", &origin])
        .args(["--checks", CHECKS])
        .args(["--max-examples", MAX_EXAMPLES])
        .args(["--seed", SEED])
        // Two cores: one for schemathesis, one for the BFF.
        .args(["--workers", "1"])
        .args(["--request-timeout", "30"])
        .args(["--generation-database", "none"])
        .arg("--no-color")
        .current_dir(&run_dir);
    let result = run_for(&mut schemathesis, TIME_LIMIT);
    drop(server);
    result.map_err(|e| {
        format!(
            "{e}; the BFF's log is {}",
            run_dir.join("bff.log").display()
        )
    })
}

/// A virtual environment under `work` with schemathesis and the validator at their pinned
/// versions; installed only when they are not there already.
fn install(work: &Path) -> Result<PathBuf> {
    let venv = work.join("venv");
    let python = venv.join("bin/python");
    let installed = probe(
        &python.to_string_lossy(),
        &[
            "-c",
            "import importlib.metadata as m; print(m.version('schemathesis'), m.version('openapi-spec-validator'))",
        ],
    );
    if installed.as_deref().is_some_and(|out| {
        reports_version(out, SCHEMATHESIS_VERSION) && reports_version(out, SPEC_VALIDATOR_VERSION)
    }) {
        skip(&format!(
            "schemathesis {SCHEMATHESIS_VERSION} and openapi-spec-validator {SPEC_VALIDATOR_VERSION} already installed"
        ));
        return Ok(venv);
    }
    let system_python = which("python3").ok_or("python3 is not on PATH (setup installs it)")?;
    run(Command::new(system_python).arg("-m").arg("venv").arg(&venv))?;
    run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
        &format!("openapi-spec-validator=={SPEC_VALIDATOR_VERSION}"),
    ]))?;
    Ok(venv)
}

/// Starts the BFF on a free port with `dir` for its partners file, database and log
/// (`bff.log`), limits high enough that the run is never throttled, and waits until it
/// listens; the service is stopped when dropped.
fn start_bff(bff: &Path, root: &Path, dir: &Path) -> Result<Service> {
    let partners = dir.join("partners.toml");
    fs::write(&partners, PARTNERS).map_err(|e| format!("{}: {e}", partners.display()))?;
    let mut cmd = Command::new(bff);
    cmd.env("BFF_LISTEN_ADDR", "127.0.0.1:0")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.join("bff.db").display()),
        )
        .env("PARTNERS_FILE", &partners)
        .env("WIDGET_DIR", root.join("dist"))
        .env("RATE_LIMIT_PER_ADDRESS", "1000000")
        .env("RATE_LIMIT_PER_PARTNER", "1000000")
        .env("SANDBOX_SCREENING_DELAY_MS", "50")
        .env("DECISION_WAIT_MS", "3000")
        .env("RUST_LOG", "warn")
        .env("NO_COLOR", "1")
        // The embedded sandbox plays the bank and connectFi; a caller's settings for real
        // ones, or for a proxy in front, are not this run's.
        .env_remove("BANK_BASE_URL")
        .env_remove("CONNECTFI_BASE_URL")
        .env_remove("PUBLIC_ORIGIN")
        .env_remove("TRUSTED_PROXIES")
        .env_remove("METRICS_LISTEN_ADDR");
    let service = Service::start("bff", cmd, "BFF listening on ", dir)?;
    println!("    the BFF listens on {}", service.url);
    Ok(service)
}

/// Starts a session of the run's placement, as the widget does, and answers its token.
fn start_session(address: &str) -> Result<String> {
    let failed = |e: std::io::Error| format!("starting a session at {address}: {e}");
    let mut stream = TcpStream::connect(address).map_err(failed)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(failed)?;
    write!(
        stream,
        "POST /api/v1/sessions HTTP/1.1\r\nHost: {address}\r\nOrigin: http://{address}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{START_SESSION}",
        START_SESSION.len()
    )
    .map_err(failed)?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).map_err(failed)?;
    let token = answer
        .starts_with("HTTP/1.1 201")
        .then(|| answer.split("\"token\":\"").nth(1))
        .flatten()
        .and_then(|rest| rest.get(..64))
        .filter(|token| token.bytes().all(|b| b.is_ascii_hexdigit()));
    token
        .map(str::to_owned)
        .ok_or_else(|| format!("the BFF started no session:\n{answer}"))
}

/// Runs `cmd` with inherited output like [`run`], stopping it as a failure past `limit`.
fn run_for(cmd: &mut Command, limit: Duration) -> Result {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_string_lossy()).collect();
    println!(
        "    $ {program} {}  (at most {} s)",
        args.join(" "),
        limit.as_secs()
    );
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("could not start `{program}`: {e}"))?;
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) if status.success() => return Ok(()),
            Some(status) => return Err(format!("`{program}` failed ({status})")),
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "`{program}` ran longer than {} s and was stopped",
                    limit.as_secs()
                ));
            }
            None => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}

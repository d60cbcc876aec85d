//! The BFF's figures: throughput against a bare axum baseline, whole journeys on SQLite
//! and PostgreSQL with one instance and two, memory with open sessions, and journeys while
//! the bank fails. Every run gets fresh processes (the BFF, the sandbox playing the bank, a
//! partner's webhook receiver) on free local ports, and a fresh database.

mod journeys;
mod memory;
mod targets;
mod throughput;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use super::processes::Service;
use super::{Bench, Table};
use crate::postgres;
use crate::process::{which, Result};

/// The bench's partner: one placement in Singapore, its webhooks sent to the bench.
const PARTNER: &str = "bench-partner";
const RETURN_URL: &str = "http://partner.bench/done";
const SIGNING_SECRET_VARIABLE: &str = "BENCH_PARTNER_SIGNING_SECRET";
const SIGNING_SECRET: &str = "bench-partner-signing-secret-0123456789";

/// How long and how hard each measurement runs.
pub struct Load {
    /// Load generator: clients, seconds counted, seconds of warm-up before.
    pub clients: usize,
    pub seconds: f64,
    pub warmup: f64,
    /// Journeys: customers at once, and seconds of new journeys.
    pub customers: usize,
    pub journey_seconds: f64,
    pub fault_seconds: f64,
    /// Sessions held open for the memory figure.
    pub open_sessions: usize,
    /// Longest wait for the partner to be told of every decision after a run.
    pub settle_seconds: f64,
}

impl Load {
    /// The full bench, or the smoke run's token amounts.
    pub fn of(smoke: bool) -> Self {
        if smoke {
            Load {
                clients: 4,
                seconds: 1.0,
                warmup: 0.2,
                customers: 2,
                journey_seconds: 1.5,
                fault_seconds: 2.0,
                open_sessions: 20,
                settle_seconds: 20.0,
            }
        } else {
            Load {
                clients: 64,
                seconds: 10.0,
                warmup: 2.0,
                customers: 32,
                journey_seconds: 15.0,
                fault_seconds: 20.0,
                open_sessions: 1000,
                settle_seconds: 120.0,
            }
        }
    }
}

/// Measures everything of the BFF; answers its tables and raw figures.
pub fn measure(bench: &Bench) -> Result<(Vec<Table>, Value)> {
    let load = Load::of(bench.smoke);
    // Others' work on the machine skews every figure: the report says how busy it was.
    let load_average = crate::bench::machine::load_average();
    let run = Run::new(bench)?;
    println!(
        "    PostgreSQL: starting (or using {})",
        postgres::TEST_DATABASE_URL
    );
    let pg = Postgres::start()?;
    println!(
        "    PostgreSQL: {}",
        postgres::without_password(&pg.server.url())
    );

    let throughput = throughput::measure(&run, &load, &pg)?;
    let memory = memory::measure(&run, &load)?;
    let journeys = journeys::measure(&run, &load, &pg)?;
    pg.drop_databases();

    let raw = json!({
        "load_average_at_start": load_average,
        "load": {
            "clients": load.clients,
            "seconds": load.seconds,
            "warmup": load.warmup,
            "customers": load.customers,
            "journey_seconds": load.journey_seconds,
            "fault_seconds": load.fault_seconds,
            "open_sessions": load.open_sessions,
        },
        "throughput": throughput,
        "memory": memory,
        "journeys": journeys,
    });
    let mut tables = throughput::tables(&raw["throughput"], &load, &raw["load_average_at_start"]);
    tables.extend(journeys::tables(&raw["journeys"], &load));
    tables.extend(memory::tables(&raw["memory"], &load));
    tables.push(targets::table(&raw));
    if bench.smoke {
        check(&raw)?;
    }
    Ok((tables, raw))
}

/// What the smoke run insists on: every measurement produced figures, and the journeys
/// kept the product's promises (nothing lost or doubled, no undesigned 5xx).
fn check(raw: &Value) -> Result {
    throughput::check(&raw["throughput"])?;
    memory::check(&raw["memory"])?;
    journeys::check(&raw["journeys"])
}

/// The programs and files of one bench run.
pub struct Run {
    pub bff: PathBuf,
    pub sandbox: PathBuf,
    pub hello: PathBuf,
    pub load: PathBuf,
    pub journeys: PathBuf,
    pub webhooks: PathBuf,
    pub hold: PathBuf,
    pub widget_dir: PathBuf,
    /// Logs, partners files and SQLite databases.
    pub dir: PathBuf,
}

impl Run {
    fn new(bench: &Bench) -> Result<Self> {
        let bins = bench
            .bff_bin
            .parent()
            .ok_or("the BFF binary's folder")?
            .to_path_buf();
        let dir = bench.out_dir.join("server");
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let run = Run {
            bff: bench.bff_bin.clone(),
            sandbox: bench.sandbox_bin.clone(),
            hello: bins.join("bench-hello"),
            load: bins.join("bench-load"),
            journeys: bins.join("bench-journeys"),
            webhooks: bins.join("bench-webhooks"),
            hold: bins.join("bench-hold"),
            widget_dir: bench.dist.clone(),
            dir,
        };
        for program in [
            &run.bff,
            &run.sandbox,
            &run.hello,
            &run.load,
            &run.journeys,
            &run.webhooks,
            &run.hold,
        ] {
            if !program.is_file() {
                return Err(format!("{} is not built", program.display()));
            }
        }
        Ok(run)
    }

    /// The bank sandbox, deciding at once; `faults`: added latency (ms) and every n-th
    /// bank call answering 500.
    pub fn sandbox(&self, name: &str, faults: Option<(u64, u64)>) -> Result<Service> {
        let mut cmd = Command::new(&self.sandbox);
        cmd.env("SANDBOX_LISTEN_ADDR", "127.0.0.1:0")
            .env("SANDBOX_SCREENING_DELAY_MS", "0")
            // The bank runs elsewhere in production: its logging is not the BFF's cost.
            .env("RUST_LOG", "warn");
        if let Some((latency_ms, fail_every)) = faults {
            cmd.env("SANDBOX_LATENCY_MS", latency_ms.to_string())
                .env("SANDBOX_FAIL_EVERY", fail_every.to_string());
        }
        Service::start(name, cmd, "bank sandbox listening on ", &self.dir)
    }

    /// The partners file of the bench's one partner, its webhooks sent to `webhook_url`.
    pub fn partners_file(&self, name: &str, webhook_url: Option<&str>) -> Result<PathBuf> {
        let webhook = webhook_url.map_or(String::new(), |url| format!("webhook_url = \"{url}\"\n"));
        let text = format!(
            "[[partner]]\nid = \"{PARTNER}\"\ndisplay_name = \"Bench Partner\"\n\
             allowed_origins = [\"http://partner.bench\"]\nallowed_return_urls = [\"{RETURN_URL}\"]\n\
             markets = [\"SG\"]\nsigning_secret_env = \"{SIGNING_SECRET_VARIABLE}\"\n{webhook}\
             product = {{ product_code = \"VC830\", source_code = \"WW5ARCE1\", organization = \"888\", logo = \"830\" }}\n\
             [cards]\nVC830 = \"Rewards Card\"\n"
        );
        let path = self.dir.join(format!("partners-{name}.toml"));
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    }

    /// A SQLite database of its own.
    pub fn sqlite(&self, name: &str) -> String {
        format!("sqlite://{}", self.dir.join(format!("{name}.db")).display())
    }

    /// A BFF instance talking to `sandbox`, on `database_url`, as deployed: logging at
    /// `info`, metrics on a listener of their own. Its rate limits are raised out of the
    /// way: the load comes from one address, as no customer's would.
    pub fn bff(
        &self,
        name: &str,
        sandbox: &Service,
        database_url: &str,
        partners: &Path,
        instances: usize,
    ) -> Result<Bff> {
        let mut cmd = Command::new(&self.bff);
        cmd.env("BFF_LISTEN_ADDR", "127.0.0.1:0")
            .env("METRICS_LISTEN_ADDR", "127.0.0.1:0")
            .env("BANK_BASE_URL", format!("{}/api", sandbox.url))
            .env("BANK_CLIENT_ID", "sandbox-client")
            .env("BANK_CLIENT_SECRET", "sandbox-secret")
            .env("DATABASE_URL", database_url)
            .env("PARTNERS_FILE", partners)
            .env("WIDGET_DIR", &self.widget_dir)
            .env(SIGNING_SECRET_VARIABLE, SIGNING_SECRET)
            .env("RATE_LIMIT_PER_ADDRESS", "1000000000")
            .env("RATE_LIMIT_PER_PARTNER", "1000000000")
            .env("BFF_INSTANCES", instances.to_string())
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .env_remove("PUBLIC_ORIGIN")
            .env_remove("TRUSTED_PROXIES");
        // The metrics line comes after the listening line: both are known once it is there.
        let service = Service::start(name, cmd, "metrics listening on ", &self.dir)?;
        let origin = service
            .logged_after("BFF listening on ")
            .ok_or_else(|| format!("{name} did not say where it listens"))?;
        Ok(Bff {
            metrics: format!("{}/metrics", service.url),
            origin,
            service,
        })
    }

    /// The body of `POST /api/v1/sessions` for the bench's placement.
    pub fn start_session_body() -> String {
        json!({ "partner": PARTNER, "market": "SG", "return_url": RETURN_URL }).to_string()
    }

    /// The journey driver's placement options.
    pub fn placement_args() -> [&'static str; 6] {
        [
            "--partner",
            PARTNER,
            "--market",
            "SG",
            "--return-url",
            RETURN_URL,
        ]
    }
}

/// A BFF instance.
pub struct Bff {
    pub service: Service,
    /// `http://127.0.0.1:<port>`.
    pub origin: String,
    /// Its metrics' URL.
    pub metrics: String,
}

/// The PostgreSQL server of the run, and the databases made on it.
pub struct Postgres {
    server: postgres::Server,
    psql: PathBuf,
    made: std::cell::RefCell<Vec<String>>,
}

impl Postgres {
    fn start() -> Result<Self> {
        let server = postgres::server()?;
        let psql = match &server {
            postgres::Server::Throwaway(cluster) => cluster.bin_dir().join("psql"),
            postgres::Server::Given(_) => which("psql")
                .or_else(|| {
                    test_postgres::server_binaries()
                        .ok()
                        .map(|b| b.join("psql"))
                })
                .ok_or("psql is needed to make the bench's databases")?,
        };
        Ok(Postgres {
            server,
            psql,
            made: Default::default(),
        })
    }

    /// A new, empty database; answers its URL.
    pub fn database(&self, name: &str) -> Result<String> {
        let name = format!("bench_{}_{name}", std::process::id());
        self.sql(&format!("CREATE DATABASE {name}"))?;
        self.made.borrow_mut().push(name.clone());
        with_database(&self.server.url(), &name)
    }

    fn sql(&self, statement: &str) -> Result {
        let output = Command::new(&self.psql)
            .arg(self.server.url())
            .args(["-v", "ON_ERROR_STOP=1", "-q", "-c", statement])
            .output()
            .map_err(|e| format!("{}: {e}", self.psql.display()))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "psql `{statement}`: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    }

    /// Removes the databases made, on a server the caller gave (a throwaway one goes whole).
    fn drop_databases(&self) {
        if let postgres::Server::Given(_) = self.server {
            for name in self.made.borrow().iter() {
                if let Err(error) = self.sql(&format!("DROP DATABASE IF EXISTS {name}")) {
                    println!("    warning: {error}");
                }
            }
        }
    }
}

/// `url` naming database `name` instead of its own.
fn with_database(url: &str, name: &str) -> Result<String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("{} is not a URL", postgres::without_password(url)))?;
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let query = tail.find('?').map_or("", |q| &tail[q..]);
    Ok(format!("{scheme}://{authority}/{name}{query}"))
}

/// A figure of a JSON report as a number (0 when absent).
pub fn number(value: &Value) -> f64 {
    value.as_f64().unwrap_or(0.0)
}

/// Milliseconds with one decimal, or with two below 1 ms.
pub fn ms(value: &Value) -> String {
    let v = number(value);
    if v < 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.1}")
    }
}

/// Bytes as MiB with one decimal.
pub fn mib(bytes: &Value) -> String {
    format!("{:.1}", number(bytes) / (1024.0 * 1024.0))
}

/// A whole number with thousands separated.
pub fn whole(value: f64) -> String {
    crate::widget::thousands(value.max(0.0).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_replaces_the_servers_own_and_keeps_the_query() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "b1").unwrap(),
            "postgres://postgres@127.0.0.1:5432/b1"
        );
        assert_eq!(
            with_database("postgres://u:p@db:5432/app?sslmode=require", "b2").unwrap(),
            "postgres://u:p@db:5432/b2?sslmode=require"
        );
        assert_eq!(
            with_database("postgres://db", "b3").unwrap(),
            "postgres://db/b3"
        );
    }

    #[test]
    fn figures_print_as_the_tables_show_them() {
        assert_eq!(whole(1234567.4), "1,234,567");
        assert_eq!(whole(999.0), "999");
        assert_eq!(ms(&json!(0.456)), "0.46");
        assert_eq!(ms(&json!(12.34)), "12.3");
        assert_eq!(mib(&json!(33554432)), "32.0");
    }
}

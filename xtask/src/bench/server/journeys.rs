//! Whole journeys through the BFF and the bank sandbox: on SQLite and PostgreSQL, with one
//! instance and two on one database, and on SQLite again while the bank fails.

use std::process::Command;

use serde_json::{json, Value};

use super::{ms, number, whole, Load, Postgres, Run};
use crate::bench::processes::{cpu_seconds, json_of, Service};
use crate::bench::Table;
use crate::process::Result;

/// The bank's faults in the fault run: 200 ms added to every call, and every fifth call
/// (20 %) answering 500.
const FAULT_LATENCY_MS: u64 = 200;
const FAULT_FAIL_EVERY: u64 = 5;

/// The journeys' steps, as the driver names them, and as the tables do.
const STEPS: [(&str, &str); 4] = [
    ("session", "session start"),
    ("about_you", "stage 1 (about you)"),
    ("identity", "stage 2 (identity)"),
    ("finances", "stage 3 (finances → decision)"),
];

/// One run of journeys.
struct Scenario {
    name: &'static str,
    postgres: bool,
    instances: usize,
    faults: bool,
    /// Customers at once, when not the load's: one alone shows the BFF's own latency
    /// without requests queueing for the CPU or the database.
    customers: Option<usize>,
}

const SCENARIOS: [Scenario; 5] = [
    Scenario {
        name: "sqlite-1",
        postgres: false,
        instances: 1,
        faults: false,
        customers: None,
    },
    Scenario {
        name: "sqlite-1-alone",
        postgres: false,
        instances: 1,
        faults: false,
        customers: Some(1),
    },
    Scenario {
        name: "postgres-1",
        postgres: true,
        instances: 1,
        faults: false,
        customers: None,
    },
    Scenario {
        name: "postgres-2",
        postgres: true,
        instances: 2,
        faults: false,
        customers: None,
    },
    Scenario {
        name: "faults-sqlite-1",
        postgres: false,
        instances: 1,
        faults: true,
        customers: None,
    },
];

/// Every scenario, each on fresh processes and a fresh database.
pub fn measure(run: &Run, load: &Load, pg: &Postgres) -> Result<Value> {
    let mut results = Vec::new();
    for scenario in &SCENARIOS {
        let customers = scenario.customers.unwrap_or(load.customers);
        println!(
            "    journeys: {} ({customers} customer{} at once)",
            scenario.name,
            if customers == 1 { "" } else { "s" }
        );
        results.push(scenario.run(run, load, pg)?);
    }
    Ok(Value::Array(results))
}

impl Scenario {
    fn run(&self, run: &Run, load: &Load, pg: &Postgres) -> Result<Value> {
        let name = self.name;
        let webhooks = Service::start(
            &format!("{name}-webhooks"),
            Command::new(&run.webhooks),
            "webhooks listening on ",
            &run.dir,
        )?;
        let partners = run.partners_file(name, Some(&format!("{}/hooks", webhooks.url)))?;
        let faults = self.faults.then_some((FAULT_LATENCY_MS, FAULT_FAIL_EVERY));
        let sandbox = run.sandbox(&format!("{name}-sandbox"), faults)?;
        let database_url = if self.postgres {
            pg.database(&name.replace('-', "_"))?
        } else {
            run.sqlite(name)
        };
        let mut bffs = Vec::new();
        for n in 1..=self.instances {
            bffs.push(run.bff(
                &format!("{name}-bff-{n}"),
                &sandbox,
                &database_url,
                &partners,
                self.instances,
            )?);
        }
        let cpu = |pids: &[u32]| -> Result<f64> { pids.iter().map(|pid| cpu_seconds(*pid)).sum() };
        let pids: Vec<u32> = bffs.iter().map(|b| b.service.pid()).collect();
        let cpu_before = cpu(&pids)?;
        let sandbox_before = cpu_seconds(sandbox.pid())?;

        let seconds = if self.faults {
            load.fault_seconds
        } else {
            load.journey_seconds
        };
        let customers = self.customers.unwrap_or(load.customers);
        let mut cmd = Command::new(&run.journeys);
        for bff in &bffs {
            cmd.args(["--bff", &bff.origin, "--metrics", &bff.metrics]);
        }
        cmd.args(Run::placement_args())
            .args(["--concurrency", &customers.to_string()])
            .args(["--seconds", &seconds.to_string()])
            .args(["--sandbox", &sandbox.url])
            .args(["--webhooks", &webhooks.url])
            .args(["--database-url", &database_url])
            .args(["--settle-seconds", &load.settle_seconds.to_string()]);
        let result = json_of(cmd)?;
        let cpu_used = cpu(&pids)? - cpu_before;
        let sandbox_used = cpu_seconds(sandbox.pid())? - sandbox_before;
        for bff in &mut bffs {
            bff.service.check_running()?;
        }
        let completed = number(&result["journeys_completed"]);
        let per_journey = |seconds: f64| {
            if completed > 0.0 {
                seconds * 1000.0 / completed
            } else {
                0.0
            }
        };
        println!(
            "    {name}: {} journeys, {:.1} a second, BFF CPU {:.2} ms a journey; audit {}",
            completed,
            number(&result["journeys_per_second"]),
            per_journey(cpu_used),
            result["audit"]
        );
        Ok(json!({
            "name": name,
            "database": if self.postgres { "PostgreSQL" } else { "SQLite" },
            "instances": self.instances,
            "customers": customers,
            "faults": faults.map(|(latency_ms, fail_every)| json!({
                "latency_ms": latency_ms,
                "fail_every": fail_every,
            })),
            "bff_cpu_seconds": cpu_used,
            "bff_cpu_ms_per_journey": per_journey(cpu_used),
            "sandbox_cpu_seconds": sandbox_used,
            "sandbox_cpu_ms_per_journey": per_journey(sandbox_used),
            "result": result,
        }))
    }
}

/// The journey, per-stage and fault tables.
pub fn tables(raw: &Value, load: &Load) -> Vec<Table> {
    let scenarios = raw.as_array().cloned().unwrap_or_default();
    let label = |s: &Value| {
        let plural = |n: f64| if n == 1.0 { "" } else { "s" };
        let (instances, customers) = (number(&s["instances"]), number(&s["customers"]));
        let mut label = format!(
            "{}, {instances} instance{}, {customers} customer{}",
            s["database"].as_str().unwrap_or_default(),
            plural(instances),
            plural(customers),
        );
        if !s["faults"].is_null() {
            label.push_str(", bank faults");
        }
        label
    };
    let mut journeys = Table {
        title: "BFF: whole journeys".into(),
        notes: vec![
            format!(
                "{} customers at once (and one alone, to show the BFF's latency without requests \
                 queueing for the CPU or the database), each running journeys back to back for {} s \
                 (journeys under way then finish): session start, stage 1, stage 2, stage 3 with the \
                 decision, the requests and forms the widget sends (`bench-journeys`). The bank \
                 sandbox runs in a process of its own, deciding at once and adding no latency; it, \
                 the journey driver and PostgreSQL share the machine's cores with the BFF.",
                load.customers, load.journey_seconds
            ),
            "Two instances share one database and one bank; each request goes to the next \
             instance in turn, as a load balancer without sticky sessions sends it."
                .into(),
            "Journeys a second have no baseline of their own: the bare axum handler's requests a \
             second in the first table, measured in the same run, say how fast the machine was."
                .into(),
            "CPU is the user and system time of the BFF processes (and of the sandbox) over the \
             run, from `/proc/<pid>/stat`, webhook deliveries included, divided by the journeys \
             completed. SQLite's work is inside the BFF's process and counted; PostgreSQL's \
             server is not."
                .into(),
        ],
        headers: [
            "database, instances, customers at once",
            "journeys",
            "journeys/s",
            "journey p50 ms",
            "journey p99 ms",
            "BFF CPU ms/journey",
            "sandbox CPU ms/journey",
            "answers other than 2xx",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    let mut stages = Table {
        title: "BFF: latency per stage, and the latency the BFF adds".into(),
        notes: vec![
            "\"Customer waits\": each successful request's time, as the journey driver measured it. \
             \"BFF adds\": the request's time inside the BFF less the time any bank call of it was \
             under way, as the BFF measures it (`bff_http_request_overhead_seconds`), percentiles \
             interpolated in its histogram's buckets (0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, \
             7.5, 10, 15, 20, 25, 35, 50, 75, 100, 150, 200, 250, 350, 500 ms …), so they are \
             coarser than the customer's exact ones."
                .into(),
        ],
        headers: [
            "database, instances, customers at once",
            "stage",
            "customer waits p50 / p95 / p99 ms",
            "BFF adds p50 / p95 / p99 ms",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    let mut faults = None;
    for scenario in &scenarios {
        let result = &scenario["result"];
        let latency = &result["journey_latency"];
        for (step, shown) in STEPS {
            let waits = &result["steps"][step]["latency"];
            let adds = &result["bff_overhead"][step];
            stages.rows.push(vec![
                label(scenario),
                shown.to_owned(),
                format!(
                    "{} / {} / {}",
                    ms(&waits["p50_ms"]),
                    ms(&waits["p95_ms"]),
                    ms(&waits["p99_ms"])
                ),
                format!(
                    "{} / {} / {}",
                    ms(&adds["p50_ms"]),
                    ms(&adds["p95_ms"]),
                    ms(&adds["p99_ms"])
                ),
            ]);
        }
        if !scenario["faults"].is_null() {
            faults = Some(fault_table(scenario, load));
            continue;
        }
        journeys.rows.push(vec![
            label(scenario),
            whole(number(&result["journeys_completed"])),
            format!("{:.1}", number(&result["journeys_per_second"])),
            ms(&latency["p50_ms"]),
            ms(&latency["p99_ms"]),
            format!("{:.2}", number(&scenario["bff_cpu_ms_per_journey"])),
            format!("{:.2}", number(&scenario["sandbox_cpu_ms_per_journey"])),
            not_ok(result),
        ]);
    }
    let mut tables = vec![journeys, stages];
    tables.extend(faults);
    tables
}

/// The answers of every step that were not successes, as `503 × 12`, or "none".
fn not_ok(result: &Value) -> String {
    let mut counts = std::collections::BTreeMap::<String, f64>::new();
    for (step, _) in STEPS {
        if let Some(statuses) = result["steps"][step]["statuses"].as_object() {
            for (status, n) in statuses {
                if !status.starts_with('2') {
                    *counts.entry(status.clone()).or_default() += number(n);
                }
            }
        }
    }
    if counts.is_empty() {
        return "none".into();
    }
    counts
        .iter()
        .map(|(status, n)| format!("{status} × {}", whole(*n)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The fault run, figure by figure.
fn fault_table(scenario: &Value, load: &Load) -> Table {
    let result = &scenario["result"];
    let audit = &result["audit"];
    let count = |v: &Value| whole(number(v));
    let rows = vec![
        ("journeys started", count(&result["journeys_started"]), ""),
        (
            "journeys completed (a decision shown)",
            count(&result["journeys_completed"]),
            "",
        ),
        (
            "journeys a second",
            format!("{:.1}", number(&result["journeys_per_second"])),
            "",
        ),
        (
            "journey p50 / p99 ms",
            format!(
                "{} / {}",
                ms(&result["journey_latency"]["p50_ms"]),
                ms(&result["journey_latency"]["p99_ms"])
            ),
            "",
        ),
        (
            "applications at the bank",
            count(&audit["applications_at_bank"]),
            "",
        ),
        (
            "duplicate applications at the bank",
            count(&audit["duplicate_applications"]),
            "0",
        ),
        (
            "decided at the bank / stored by the BFF / shown / told to the partner",
            format!(
                "{} / {} / {} / {}",
                count(&audit["decided_at_bank"]),
                count(&audit["decisions_stored"]),
                count(&audit["decisions_shown"]),
                count(&audit["webhooks_accepted"])
            ),
            "",
        ),
        ("decisions lost", count(&audit["decisions_lost"]), "0"),
        (
            "webhook events sent twice for one decision",
            count(&audit["webhook_duplicates"]),
            "0",
        ),
        (
            "5xx answers other than the designed retryable 503",
            count(&result["undesigned_5xx"]),
            "0",
        ),
        (
            "designed retryable 503 answers (the customer tried again)",
            count(&result["designed_retryable_503"]),
            "",
        ),
        (
            "requests without an answer",
            count(&result["no_answer"]),
            "",
        ),
        ("all answers other than 2xx", not_ok(result), ""),
    ];
    Table {
        title: "Faults under load".into(),
        notes: vec![
            format!(
                "The journeys above ({} customers at once, {} s, SQLite, one instance) while every \
                 bank call takes {FAULT_LATENCY_MS} ms longer and every {FAULT_FAIL_EVERY}th \
                 answers 500 (20 %). A customer told the designed retryable 503 tries again with \
                 the same idempotency key after 100 ms, as the widget's \"Try again\" does, up to 20 \
                 times a step.",
                load.customers, load.fault_seconds
            ),
            "Decisions lost compares the bank's applications (the sandbox's inspection route), \
             the BFF's database and the webhooks the partner accepted: decided at the bank but not \
             stored, shown to the customer but not stored (or stored otherwise), and stored but \
             never accepted by the partner, after waiting for the outbox to drain."
                .into(),
        ],
        headers: ["figure", "measured", "must be"].map(String::from).to_vec(),
        rows: rows
            .into_iter()
            .map(|(figure, measured, must)| vec![figure.to_owned(), measured, must.to_owned()])
            .collect(),
    }
}

/// Every scenario completed journeys and kept the promises: nothing lost or doubled, no
/// undesigned 5xx, and without faults every journey completed.
pub fn check(raw: &Value) -> Result {
    for scenario in raw.as_array().into_iter().flatten() {
        let name = scenario["name"].as_str().unwrap_or_default();
        let result = &scenario["result"];
        let audit = &result["audit"];
        let fail = |what: &str| Err(format!("journeys {name}: {what}: {result}"));
        if number(&result["journeys_completed"]) == 0.0 {
            return fail("no journey completed");
        }
        if scenario["faults"].is_null()
            && number(&result["journeys_completed"]) != number(&result["journeys_started"])
        {
            return fail("journeys failed without any fault");
        }
        if number(&audit["decisions_lost"]) > 0.0 {
            return fail("decisions lost");
        }
        if number(&audit["duplicate_applications"]) > 0.0 {
            return fail("duplicate applications at the bank");
        }
        if number(&result["undesigned_5xx"]) > 0.0 {
            return fail("5xx answers other than the designed retryable 503");
        }
    }
    Ok(())
}

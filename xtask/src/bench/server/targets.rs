//! The BFF's targets from issue 13, each beside what this run measured and the gap.

use serde_json::Value;

use super::number;
use crate::bench::Table;

/// Which way a target points.
#[derive(Clone, Copy)]
enum Goal {
    AtLeast(f64),
    AtMost(f64),
}

/// "met", or how far off and by how much.
fn gap(measured: f64, goal: Goal) -> String {
    match goal {
        Goal::AtLeast(target) if measured >= target => "met".into(),
        Goal::AtMost(target) if measured <= target => "met".into(),
        Goal::AtLeast(target) => format!(
            "short by {} ({:.0} % of the target)",
            trim(target - measured),
            measured / target * 100.0
        ),
        Goal::AtMost(target) => format!(
            "over by {} ({:.1} × the target)",
            trim(measured - target),
            measured / target
        ),
    }
}

/// A figure with as many decimals as it needs.
fn trim(v: f64) -> String {
    if v >= 100.0 {
        super::whole(v)
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The targets table, from the whole server report.
pub fn table(raw: &Value) -> Table {
    let ratio = number(&raw["throughput"]["ratio"]["session_read_sqlite"]);
    let scenarios = raw["journeys"].as_array().cloned().unwrap_or_default();
    let sqlite = scenarios
        .iter()
        .find(|s| s["name"] == "sqlite-1")
        .cloned()
        .unwrap_or_default();
    let journeys = number(&sqlite["result"]["journeys_per_second"]);
    // The worst stage's p99 in the runs without faults, under load and alone.
    let worst = |alone: bool| {
        let mut worst = (0.0, String::new());
        let runs = scenarios
            .iter()
            .filter(|s| s["faults"].is_null() && (number(&s["customers"]) == 1.0) == alone);
        for scenario in runs {
            if let Some(steps) = scenario["result"]["bff_overhead"].as_object() {
                for (step, q) in steps {
                    let p99 = number(&q["p99_ms"]);
                    if p99 > worst.0 {
                        let name = scenario["name"].as_str().unwrap_or_default();
                        worst = (p99, format!("{step}, {name}"));
                    }
                }
            }
        }
        worst
    };
    let (loaded, alone) = (worst(false), worst(true));
    let customers = number(&sqlite["customers"]);
    let rss = number(&raw["memory"]["open_rss"]) / (1024.0 * 1024.0);
    let held = number(&raw["memory"]["open_sessions"]["held"]);
    let rows = [
        (
            "session read, BFF ÷ bare axum, same run".to_owned(),
            "≥ 0.7",
            format!("{ratio:.2}"),
            gap(ratio, Goal::AtLeast(0.7)),
        ),
        (
            format!("journeys per second, SQLite, {} cores", cores()),
            "≥ 1,000",
            format!("{journeys:.1}"),
            gap(journeys, Goal::AtLeast(1000.0)),
        ),
        (
            format!(
                "latency the BFF adds, p99 per stage, worst stage, {customers} customers at once"
            ),
            "≤ 5 ms",
            format!("{:.2} ms ({})", loaded.0, loaded.1),
            gap(loaded.0, Goal::AtMost(5.0)),
        ),
        (
            "the same, one customer alone".to_owned(),
            "≤ 5 ms",
            format!("{:.2} ms ({})", alone.0, alone.1),
            gap(alone.0, Goal::AtMost(5.0)),
        ),
        (
            format!("RSS with {} open sessions", super::whole(held)),
            "≤ 64 MiB",
            format!("{rss:.1} MiB"),
            gap(rss, Goal::AtMost(64.0)),
        ),
    ];
    Table {
        title: "BFF: targets".into(),
        notes: vec![
            "The issue's goals, each beside this run's figure; the bench is never tuned to meet them."
                .into(),
        ],
        headers: ["figure", "target", "measured", "gap"].map(String::from).to_vec(),
        rows: rows
            .into_iter()
            .map(|(figure, target, measured, gap)| vec![figure, target.to_owned(), measured, gap])
            .collect(),
    }
}

/// The machine's cores, as `nproc` counts them.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(0, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_say_which_way_and_how_far() {
        assert_eq!(gap(0.8, Goal::AtLeast(0.7)), "met");
        assert_eq!(
            gap(0.35, Goal::AtLeast(0.7)),
            "short by 0.35 (50 % of the target)"
        );
        assert_eq!(
            gap(160.0, Goal::AtLeast(1000.0)),
            "short by 840 (16 % of the target)"
        );
        assert_eq!(gap(3.0, Goal::AtMost(5.0)), "met");
        assert_eq!(
            gap(12.5, Goal::AtMost(5.0)),
            "over by 7.50 (2.5 × the target)"
        );
    }
}

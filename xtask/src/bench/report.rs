//! BENCHMARKS.md: the machine, then a table per section.

use super::machine::Machine;
use super::Table;

/// The whole report.
pub fn render(machine: &Machine, tables: &[Table]) -> String {
    let mut out = String::from("# Benchmarks\n\n");
    out.push_str(
        "Written by `cargo xtask bench`, which builds in release and measures everything below \
         side by side, in one run, on the machine it runs on; run it again to measure yours. \
         The raw figures are in `target/bench/results.json`. Absolute times vary from machine \
         to machine and run to run: each throughput figure stands beside a baseline measured \
         in the same run.\n\n",
    );
    let cores = machine.cores.to_string();
    let memory = format!("{:.1} GiB", machine.memory_gib);
    let machine_rows = [
        ("CPU", machine.cpu.as_str()),
        ("cores", cores.as_str()),
        ("memory", memory.as_str()),
        (
            "load average when the run started",
            machine.load_average.as_str(),
        ),
        ("date", machine.date.as_str()),
        ("commit", machine.commit.as_str()),
        ("compiler", machine.rustc.as_str()),
        ("build", machine.profile.as_str()),
    ];
    out.push_str(&markdown_table(
        &["machine".into(), String::new()],
        &machine_rows
            .iter()
            .map(|(k, v)| vec![(*k).to_owned(), (*v).to_owned()])
            .collect::<Vec<_>>(),
    ));
    for table in tables {
        out.push_str(&format!("\n## {}\n\n", table.title));
        for note in &table.notes {
            out.push_str(note);
            out.push_str("\n\n");
        }
        out.push_str(&markdown_table(&table.headers, &table.rows));
    }
    out
}

/// A Markdown table; `|` inside a cell is escaped.
fn markdown_table(headers: &[String], rows: &[Vec<String>]) -> String {
    let line = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let mut out = line(headers);
    out.push_str(&format!("|{}\n", "---|".repeat(headers.len())));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_markdown_with_their_notes() {
        let machine = Machine {
            cpu: "CPU".into(),
            cores: 2,
            memory_gib: 23.5,
            load_average: "0.5".into(),
            date: "2025-01-01 00:00 UTC".into(),
            commit: "abc".into(),
            rustc: "rustc 1.95.0".into(),
            profile: "release".into(),
        };
        let table = Table {
            title: "Throughput".into(),
            notes: vec!["Why.".into()],
            headers: vec!["a".into(), "b".into()],
            rows: vec![vec!["1".into(), "x | y".into()]],
        };
        let text = render(&machine, &[table]);
        assert!(text.contains("| cores | 2 |"), "{text}");
        assert!(
            text.contains("\n## Throughput\n\nWhy.\n\n| a | b |\n|---|---|\n| 1 | x \\| y |\n"),
            "{text}"
        );
    }
}

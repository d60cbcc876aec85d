//! What the widget adds to a partner's page: its first download as served in each
//! language, Lighthouse's scores and load metrics on its page, and how soon its first
//! stage can be used in a fresh browser.

mod http;
mod lighthouse;
mod server;
mod sizes;
mod usable;

use std::path::PathBuf;

use serde_json::{json, Value};

use self::lighthouse::{Lighthouse, Preset, Run};
use self::server::Bff;
use self::sizes::Sizes;
use super::{Bench, Table};
use crate::browsers::BrowserRun;
use crate::process::Result;
use crate::widget::thousands;

/// Lighthouse mobile's targets: performance, accessibility, best practices.
const LIGHTHOUSE_MOBILE_TARGETS: [f64; 3] = [95.0, 100.0, 100.0];
/// The most the English first download may weigh with brotli, in bytes (120 KB).
const ENGLISH_BROTLI_TARGET: u64 = 120_000;

/// How many times each measurement runs: the tables show medians.
struct Rounds {
    lighthouse: usize,
    presets: &'static [Preset],
    cold_loads: usize,
}

/// Measures what the widget adds to a partner's page.
pub fn measure(bench: &Bench) -> Result<(Vec<Table>, Value)> {
    let rounds = if bench.smoke {
        Rounds {
            lighthouse: 1,
            presets: &[Preset::Mobile],
            cold_loads: 1,
        }
    } else {
        Rounds {
            lighthouse: 3,
            presets: &[Preset::Mobile, Preset::Desktop],
            cold_loads: 10,
        }
    };
    let browsers = BrowserRun::new()?;
    let result = measure_with(bench, &rounds, &browsers);
    // Whatever happened, no browser of this bench may outlive it.
    let leftovers = browsers.check_none_left();
    let (tables, json) = result?;
    leftovers?;
    Ok((tables, json))
}

fn measure_with(
    bench: &Bench,
    rounds: &Rounds,
    browsers: &BrowserRun,
) -> Result<(Vec<Table>, Value)> {
    let dir = bench.out_dir.join("widget");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let bff = Bff::start(
        &bench.bff_bin,
        &bench.sandbox_bin,
        &bench.dist,
        &dir,
        &sizes::PAGES,
    )?;
    println!(
        "    widget: the BFF serves {} at {}",
        bench.dist.display(),
        bff.origin
    );

    let sizes = sizes::measure(&bff, &sizes::PAGES, &bench.root)?;
    let page = bff.apply_url(&sizes::PAGES[0]);

    let program = bench.root.join("node_modules/.bin/lighthouse");
    if !program.is_file() {
        return Err(format!(
            "{} is missing: install the npm packages with `npm ci` in {}",
            program.display(),
            bench.root.display()
        ));
    }
    let chromium = browser_binary("CHROMIUM", crate::test::CHROMIUM);
    let lighthouse = Lighthouse {
        program: &program,
        chromium: &chromium,
        browser_dir: browsers.dir(),
        out_dir: &dir,
    };
    let mut presets = Vec::new();
    for &preset in rounds.presets {
        let mut runs = Vec::new();
        for round in 1..=rounds.lighthouse {
            let run = lighthouse.run(&page, preset, &format!("{}-{round}", preset.name()))?;
            println!(
                "    lighthouse {} {round}/{}: {}/{}/{}, LCP {:.0} ms",
                preset.name(),
                rounds.lighthouse,
                run.performance,
                run.accessibility,
                run.best_practices,
                run.largest_contentful_paint
            );
            runs.push(run);
        }
        presets.push((preset, runs));
    }

    let chromedriver = browser_binary("CHROMEDRIVER", crate::test::CHROMEDRIVER);
    let driver = usable::Driver::start(&chromedriver, &chromium, browsers.dir())?;
    let mut loads = Vec::new();
    for number in 1..=rounds.cold_loads {
        let load = driver.cold_load(&page, number)?;
        println!(
            "    cold load {number}/{}: #{} usable at {:.0} ms",
            rounds.cold_loads, load.field, load.millis
        );
        loads.push(load);
    }
    drop(driver);

    let tables = vec![
        sizes_table(&sizes),
        files_table(&sizes),
        lighthouse_table(&presets, &page),
        usable_table(&loads),
    ];
    let json = json!({
        "sizes": sizes.to_json(),
        "lighthouse": {
            "url": page,
            "presets": presets.iter().map(|(preset, runs)| json!({
                "preset": preset.name(),
                "median": median_run(runs).to_json(),
                "runs": runs.iter().map(Run::to_json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        },
        "time_to_usable": {
            "url": page,
            "median_ms": median(loads.iter().map(|l| l.millis).collect()),
            "loads_ms": loads.iter().map(|l| l.millis).collect::<Vec<_>>(),
            "field": loads.first().map(|l| l.field.clone()),
        },
    });
    Ok((tables, json))
}

/// A browser tool's path: the variable's value, else where Debian puts it.
fn browser_binary(variable: &str, debian: &str) -> PathBuf {
    std::env::var_os(variable).map_or_else(|| PathBuf::from(debian), PathBuf::from)
}

fn sizes_table(sizes: &Sizes) -> Table {
    let mut notes = vec![
        "Bytes on the wire for a first visit: the `/apply` page in the language the link asks \
         for, and the JS, wasm and CSS it names (every language names the same files), each \
         fetched with `Accept-Encoding: br`, then `gzip`, then neither (raw). The BFF \
         compresses the page per response (brotli 5, gzip 6: it carries a fresh nonce) and \
         serves the files precompressed (brotli 11, gzip 9)."
            .to_owned(),
    ];
    if let Some(english) = sizes.languages.iter().find(|l| l.page.lang == "en") {
        notes.push(target_note(english.total.brotli));
    }
    Table {
        title: "Widget: first download as served, per language".into(),
        notes,
        headers: [
            "Language",
            "Placement",
            "/apply raw",
            "/apply gzip",
            "/apply brotli",
            "First download gzip",
            "First download brotli",
        ]
        .map(String::from)
        .to_vec(),
        rows: sizes
            .languages
            .iter()
            .map(|l| {
                vec![
                    l.page.lang.to_owned(),
                    format!("{}, {}", l.page.market, l.page.journey.label()),
                    thousands(l.html.raw),
                    thousands(l.html.gzip),
                    thousands(l.html.brotli),
                    thousands(l.total.gzip),
                    thousands(l.total.brotli),
                ]
            })
            .collect(),
    }
}

fn target_note(english_brotli: u64) -> String {
    let kb = |bytes: u64| format!("{:.1} KB", bytes as f64 / 1000.0);
    let verdict = if english_brotli <= ENGLISH_BROTLI_TARGET {
        "met".to_owned()
    } else {
        format!("missed by {}", kb(english_brotli - ENGLISH_BROTLI_TARGET))
    };
    format!(
        "English with brotli: {} against a target of at most {} ({verdict}); KB are 1,000 bytes.",
        kb(english_brotli),
        kb(ENGLISH_BROTLI_TARGET)
    )
}

fn files_table(sizes: &Sizes) -> Table {
    let mut rows: Vec<Vec<String>> = sizes
        .files
        .iter()
        .map(|f| file_row(f, "every page"))
        .collect();
    rows.push(file_row(&sizes.loader, "script-tag partners' pages"));
    Table {
        title: "Widget: the files the pages name, and the loader".into(),
        notes: vec![
            "Each file's bytes on the wire, as the BFF answers each `Accept-Encoding`; \
             \"served as\" is the `Content-Encoding` of the brotli and gzip answers. The \
             loader is what a partner's page includes with one script tag; it then frames \
             the `/apply` page. The paths, with their content hashes, are in the JSON."
                .into(),
        ],
        headers: [
            "File",
            "Downloaded by",
            "Raw",
            "gzip",
            "brotli",
            "Served as",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

fn file_row(file: &sizes::File, by: &str) -> Vec<String> {
    vec![
        file_label(&file.path),
        by.to_owned(),
        thousands(file.wire.raw),
        thousands(file.wire.gzip),
        thousands(file.wire.brotli),
        format!("{} / {}", file.codings.0, file.codings.1),
    ]
}

/// What a file is, with its path when that stays the same from build to build (the
/// widget's files are named by their content's hash).
fn file_label(path: &str) -> String {
    let kind = match path.rsplit('.').next() {
        Some("wasm") => "wasm",
        Some("js") if path.starts_with("/widget/") => "JS glue",
        Some("css") if path.starts_with("/theme/") => "partner's theme CSS",
        Some("css") => "CSS",
        _ => return format!("`{path}`"),
    };
    kind.to_owned()
}

fn lighthouse_table(presets: &[(Preset, Vec<Run>)], page: &str) -> Table {
    let mut notes = vec![format!(
        "Lighthouse 12.8 with Debian's Chromium (headless) on the English page of the \
         in-principle approval in Singapore (`{}`), its default throttling (simulated); \
         medians of each figure over the runs.",
        page.split_once("/apply").map_or(page, |(_, query)| query)
    )];
    let indexes: Vec<f64> = presets
        .iter()
        .flat_map(|(_, runs)| runs.iter().map(|r| r.benchmark_index))
        .collect();
    if let (Some(low), Some(high)) = (
        indexes.iter().copied().reduce(f64::min),
        indexes.iter().copied().reduce(f64::max),
    ) {
        notes.push(format!(
            "Lighthouse's benchmark index of this machine during the runs: {low:.0} to \
             {high:.0}. Mobile's figures scale the page's main-thread tasks by 4, so other \
             work on the machine raises its TBT and lowers its performance score."
        ));
    }
    for (preset, runs) in presets {
        let median = median_run(runs);
        if *preset == Preset::Mobile {
            let scores = [
                median.performance,
                median.accessibility,
                median.best_practices,
            ];
            let met = scores
                .iter()
                .zip(LIGHTHOUSE_MOBILE_TARGETS)
                .all(|(score, target)| *score >= target);
            notes.push(format!(
                "Mobile target: at least {}/{}/{}: {}.",
                LIGHTHOUSE_MOBILE_TARGETS[0],
                LIGHTHOUSE_MOBILE_TARGETS[1],
                LIGHTHOUSE_MOBILE_TARGETS[2],
                if met { "met" } else { "missed" }
            ));
        }
        let mut errors: Vec<&String> = runs.iter().flat_map(|r| &r.console_errors).collect();
        errors.sort();
        errors.dedup();
        if !errors.is_empty() {
            let listed: Vec<&str> = errors.iter().map(|e| e.as_str()).collect();
            notes.push(format!(
                "{} console errors: {}",
                preset.name(),
                listed.join("; ")
            ));
        }
        let failing = lowest_scores(runs);
        if !failing.is_empty() {
            let listed: Vec<String> = failing
                .iter()
                .map(|(id, score)| format!("{id} ({score})"))
                .collect();
            notes.push(format!(
                "{} audits below full marks, with their lowest score (0 to 1) over the runs: {}.",
                preset.name(),
                listed.join(", ")
            ));
        }
    }
    Table {
        title: "Widget: Lighthouse on the /apply page".into(),
        notes,
        headers: [
            "Preset",
            "Runs",
            "Performance",
            "Accessibility",
            "Best practices",
            "LCP",
            "TBT",
            "Time to interactive",
        ]
        .map(String::from)
        .to_vec(),
        rows: presets
            .iter()
            .map(|(preset, runs)| {
                let m = median_run(runs);
                vec![
                    preset.name().to_owned(),
                    runs.len().to_string(),
                    format!("{:.0}", m.performance),
                    format!("{:.0}", m.accessibility),
                    format!("{:.0}", m.best_practices),
                    format!("{:.2} s", m.largest_contentful_paint / 1000.0),
                    format!("{:.0} ms", m.total_blocking_time),
                    format!("{:.2} s", m.interactive / 1000.0),
                ]
            })
            .collect(),
    }
}

fn usable_table(loads: &[usable::Load]) -> Table {
    let millis: Vec<f64> = loads.iter().map(|l| l.millis).collect();
    let min = millis.iter().copied().fold(f64::INFINITY, f64::min);
    let max = millis.iter().copied().fold(0.0, f64::max);
    Table {
        title: "Widget: time until the first stage is usable".into(),
        notes: vec![format!(
            "From navigation start to the first field of the first stage (`#{}`) being \
             rendered, enabled and not inert, as a watcher in the page saw it \
             (`performance.mark`); headless Chromium through chromedriver, each load in a new \
             browser with an empty profile (nothing cached), over loopback without \
             throttling. It includes starting the customer's session (`POST /api/v1/sessions`).",
            loads.first().map_or("?", |l| l.field.as_str())
        )],
        headers: ["Cold loads", "Median", "Fastest", "Slowest"]
            .map(String::from)
            .to_vec(),
        rows: vec![vec![
            loads.len().to_string(),
            format!("{:.0} ms", median(millis)),
            format!("{min:.0} ms"),
            format!("{max:.0} ms"),
        ]],
    }
}

/// Each audit that lost points in some run, once, with its lowest score, by name.
fn lowest_scores(runs: &[Run]) -> Vec<(String, f64)> {
    let mut lowest: Vec<(String, f64)> = Vec::new();
    for (id, score) in runs.iter().flat_map(|r| &r.failing_audits) {
        match lowest.iter_mut().find(|(known, _)| known == id) {
            Some((_, low)) => *low = low.min(*score),
            None => lowest.push((id.clone(), *score)),
        }
    }
    lowest.sort_by(|a, b| a.0.cmp(&b.0));
    lowest
}

/// Each figure's median over the runs; errors and audits from every run.
fn median_run(runs: &[Run]) -> Run {
    let of = |figure: fn(&Run) -> f64| median(runs.iter().map(figure).collect());
    Run {
        performance: of(|r| r.performance),
        accessibility: of(|r| r.accessibility),
        best_practices: of(|r| r.best_practices),
        largest_contentful_paint: of(|r| r.largest_contentful_paint),
        total_blocking_time: of(|r| r.total_blocking_time),
        interactive: of(|r| r.interactive),
        benchmark_index: of(|r| r.benchmark_index),
        console_errors: runs.iter().flat_map(|r| r.console_errors.clone()).collect(),
        failing_audits: Vec::new(),
    }
}

/// The middle value (the mean of the middle two for an even count); 0 for none.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_by_kind_and_the_loader_by_its_path() {
        assert_eq!(file_label("/widget/card-widget-0123_bg.wasm"), "wasm");
        assert_eq!(file_label("/widget/card-widget-0123-4567.js"), "JS glue");
        assert_eq!(file_label("/widget/widget-89ab.css"), "CSS");
        assert_eq!(
            file_label("/theme/demo-travel/1.css"),
            "partner's theme CSS"
        );
        assert_eq!(file_label("/embed/v2/embed.js"), "`/embed/v2/embed.js`");
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![]), 0.0);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn an_audit_failing_in_several_runs_is_listed_once_at_its_lowest() {
        let run = |audits: &[(&str, f64)]| Run {
            performance: 99.0,
            accessibility: 100.0,
            best_practices: 100.0,
            largest_contentful_paint: 1900.0,
            total_blocking_time: 50.0,
            interactive: 1900.0,
            benchmark_index: 1500.0,
            console_errors: vec![],
            failing_audits: audits.iter().map(|(id, s)| (id.to_string(), *s)).collect(),
        };
        let runs = [
            run(&[("max-potential-fid", 0.87), ("total-blocking-time", 0.99)]),
            run(&[("max-potential-fid", 0.19)]),
            run(&[]),
        ];
        assert_eq!(
            lowest_scores(&runs),
            [
                ("max-potential-fid".to_owned(), 0.19),
                ("total-blocking-time".to_owned(), 0.99)
            ]
        );
    }

    #[test]
    fn the_english_target_says_by_how_much_it_is_missed() {
        assert!(target_note(120_000).contains("(met)"));
        let note = target_note(145_304);
        assert!(note.contains("145.3 KB"), "{note}");
        assert!(note.contains("missed by 25.3 KB"), "{note}");
    }
}

//! Checks that keep the documentation true where the code can tell: they run with the
//! native tests (`cargo test -p xtask`).

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::repo_root;
use crate::widget::{thousands, GZIP_BUDGET_BYTES};

fn read(relative: &str) -> String {
    let path = repo_root().join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The Markdown files a newcomer reads.
fn markdown_files() -> Vec<String> {
    let mut files = vec!["README.md".to_owned(), "CHANGELOG.md".to_owned()];
    for dir in ["docs", "crates"] {
        collect_markdown(&repo_root(), Path::new(dir), &mut files);
    }
    files.sort();
    files
}

fn collect_markdown(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(root.join(dir)) else {
        return;
    };
    for entry in entries.flatten() {
        let relative = dir.join(entry.file_name());
        let name = entry.file_name();
        if entry.path().is_dir() && name != "target" && name != "node_modules" {
            collect_markdown(root, &relative, out);
        } else if relative.extension().is_some_and(|e| e == "md") {
            out.push(relative.display().to_string());
        }
    }
}

/// Line numbers (1-based) of table rows that no header and separator row start: a blank
/// line inside a table makes its second half such rows, which Markdown shows as text.
fn headless_table_rows(markdown: &str) -> Vec<usize> {
    let mut orphans = Vec::new();
    let mut in_code = false;
    let mut previous_is_row = false;
    let lines: Vec<&str> = markdown.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let line = line.trim_start();
        if line.starts_with("```") {
            in_code = !in_code;
            previous_is_row = false;
            continue;
        }
        let is_row = !in_code && line.starts_with('|');
        if is_row && !previous_is_row {
            let separator = lines.get(index + 1).is_some_and(|next| {
                let next = next.trim();
                next.starts_with('|') && next.chars().all(|c| "|-: ".contains(c))
            });
            if !separator {
                orphans.push(index + 1);
            }
        }
        previous_is_row = is_row;
    }
    orphans
}

/// The widget's API routes, as `METHOD path` below `/api/v1/` with `{ref}` for the
/// reference, read from the doc comments of `onboarding_core::api::routes`.
fn api_routes(api_rs: &str) -> Vec<String> {
    let start = api_rs
        .find("pub mod routes {")
        .expect("core's api.rs has a `routes` module");
    let mut consts: Vec<(String, String)> = Vec::new();
    let mut routes = Vec::new();
    let mut method = None;
    // Braces in the format strings pair up within their line.
    let mut depth = 1;
    let mut lines = api_rs[start..].lines().skip(1);
    while let Some(line) = lines.next() {
        let line = line.trim();
        depth += line.matches('{').count();
        depth -= line.matches('}').count();
        if depth == 0 {
            break;
        }
        if let Some(doc) = line.strip_prefix("/// `") {
            method = doc.split('`').next().map(str::to_owned);
            continue;
        }
        let path = if let Some(rest) = line.strip_prefix("pub const ") {
            let (name, value) = rest.split_once(": &str = ").expect("a &str constant");
            let value = value.trim_end_matches(';').trim_matches('"').to_owned();
            consts.push((name.to_owned(), value.clone()));
            value
        } else if line.starts_with("pub fn ") {
            let body = lines.next().expect("a route function's body").trim();
            let mut template = body
                .strip_prefix("format!(\"")
                .and_then(|t| t.strip_suffix("\")"))
                .expect("a route function is one format!")
                .to_owned();
            for (name, value) in &consts {
                template = template.replace(&format!("{{{name}}}"), value);
            }
            template.replace("{reference}", "{ref}")
        } else {
            continue;
        };
        let method = method
            .take()
            .unwrap_or_else(|| panic!("the route {path} has no `METHOD` doc comment"));
        let relative = path
            .strip_prefix("/api/v1/")
            .unwrap_or_else(|| panic!("the route {path} is not under /api/v1/"));
        routes.push(format!("{method} {relative}"));
    }
    routes
}

/// The README's "How it fits together" diagram.
fn readme_diagram(readme: &str) -> &str {
    let section = &readme[readme
        .find("## How it fits together")
        .expect("the README has its diagram")..];
    let start = section.find("```\n").expect("the diagram is a code block") + 4;
    let end = section[start..].find("```").expect("the diagram ends") + start;
    &section[start..end]
}

/// `GET sessions/current` in the diagram's `  GET  sessions/current   …` spacing.
fn diagram_has(diagram: &str, route: &str) -> bool {
    let (method, path) = route.split_once(' ').expect("METHOD path");
    diagram.lines().any(|line| {
        let mut words = line.split_whitespace();
        words.next() == Some(method) && words.next() == Some(path)
    })
}

#[test]
fn markdown_tables_are_not_broken_by_blank_lines() {
    let mut broken = Vec::new();
    for file in markdown_files() {
        let Ok(text) = fs::read_to_string(repo_root().join(&file)) else {
            continue;
        };
        for line in headless_table_rows(&text) {
            broken.push(format!("{file}:{line}"));
        }
    }
    assert!(
        broken.is_empty(),
        "table rows without a header (a blank line inside a table?): {broken:?}"
    );
}

#[test]
fn a_blank_line_inside_a_table_is_found() {
    let table = "| a | b |\n|---|---|\n| 1 | 2 |\n\n| 3 | 4 |\n";
    assert_eq!(headless_table_rows(table), [5]);
    assert!(headless_table_rows(&table.replace("\n\n", "\n")).is_empty());
    assert!(headless_table_rows("```\n| in code |\n```\n").is_empty());
}

#[test]
fn the_readme_gives_the_size_budget_the_tests_enforce() {
    let readme = read("README.md");
    let kib = GZIP_BUDGET_BYTES / 1024;
    for wanted in [
        format!("above {kib} KiB ({} bytes)", thousands(GZIP_BUDGET_BYTES)),
        // Next to the measured size, which must not be mistaken for it.
        format!("budget of {kib} KiB"),
    ] {
        assert!(readme.contains(&wanted), "README.md should say `{wanted}`");
    }
}

#[test]
fn the_readme_names_the_tool_versions_setup_installs() {
    let readme = read("README.md");
    for wanted in [
        format!("trunk {}", crate::setup::TRUNK_VERSION),
        format!("geckodriver {}", crate::setup::GECKODRIVER_VERSION),
    ] {
        assert!(readme.contains(&wanted), "README.md should say `{wanted}`");
    }
}

#[test]
fn the_readme_diagram_names_every_api_route() {
    let routes = api_routes(&read("crates/core/src/api.rs"));
    assert!(
        routes.contains(&"PUT applications/{ref}/finances".to_owned()),
        "{routes:?}"
    );
    let readme = read("README.md");
    let diagram = readme_diagram(&readme);
    let missing: Vec<&String> = routes.iter().filter(|r| !diagram_has(diagram, r)).collect();
    assert!(
        missing.is_empty(),
        "README.md's diagram lacks {missing:?} (written `METHOD path` below /api/v1/)"
    );
}

#[test]
fn routes_are_read_with_their_methods() {
    let api = r#"
pub mod routes {
    /// `POST`: start.
    pub const SESSIONS: &str = "/api/v1/sessions";
    /// `PUT`: stage 2.
    pub fn identity(reference: &str) -> String {
        format!("{SESSIONS}/{reference}/identity")
    }
}

pub struct After;
"#;
    assert_eq!(
        api_routes(api),
        ["POST sessions", "PUT sessions/{ref}/identity"]
    );
    assert!(diagram_has(
        "  PUT  sessions/{ref}/identity  stage 2",
        "PUT sessions/{ref}/identity"
    ));
    assert!(!diagram_has("  POST sessions/resume", "POST sessions"));
}

/// The value of the first `name="…"` in `html`.
fn attribute<'a>(html: &'a str, name: &str) -> &'a str {
    let key = format!("{name}=\"");
    let start = html.find(&key).unwrap_or_else(|| panic!("no {name}=\"…\"")) + key.len();
    let end = html[start..].find('"').expect("the attribute ends") + start;
    &html[start..end]
}

/// The loader's path and `sha384-…` integrity in the script tag docs/partners.md publishes
/// (a BFF test holds that integrity to the loader served).
fn published_loader(guide: &str) -> (&str, &str) {
    let tag = &guide[guide
        .find("<script src=")
        .expect("docs/partners.md shows the loader's script tag")..];
    let src = attribute(tag, "src");
    let path = &src[src.find("/embed/").expect("the loader is under /embed/")..];
    (path, attribute(tag, "integrity"))
}

#[test]
fn the_changelog_records_the_versions_partners_pin_now() {
    let changelog = read("CHANGELOG.md");
    let guide = read("docs/partners.md");
    let (loader, integrity) = published_loader(&guide);
    let embed = read("crates/core/src/embed.rs");
    let protocol = embed
        .lines()
        .find_map(|line| line.strip_prefix("pub const PROTOCOL_VERSION: u32 = "))
        .expect("core's embed.rs has PROTOCOL_VERSION")
        .trim_end_matches(';');
    // The table of what partners pin now, above the dated entries.
    let now = &changelog[..changelog
        .find("## [Unreleased]")
        .expect("an Unreleased section")];
    for wanted in [
        format!("`{loader}`, integrity `{integrity}`"),
        format!("| version {protocol} |"),
        format!("`data.version === {protocol}`"),
    ] {
        assert!(
            now.contains(&wanted),
            "CHANGELOG.md's table of pins should say `{wanted}`"
        );
    }
}

#[test]
fn no_tracked_file_is_ignored() {
    let output = Command::new("git")
        .args(["ls-files", "--cached", "--ignored", "--exclude-standard"])
        .current_dir(repo_root())
        .output();
    let Ok(output) = output
        .as_ref()
        .map_err(|e| eprintln!("skipped: no git ({e})"))
    else {
        return;
    };
    if !output.status.success() {
        eprintln!("skipped: not a git checkout");
        return;
    }
    let ignored = String::from_utf8_lossy(&output.stdout);
    assert!(
        ignored.trim().is_empty(),
        ".gitignore matches tracked files: {ignored}"
    );
}

/// Every `.rs` file under `dir`, skipping build output and packages.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if !matches!(
                name.to_str(),
                Some("target" | "node_modules" | "dist" | ".git")
            ) {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_with_children_is_a_folder_with_mod_rs() {
    // One module-file style across the workspace: `name/mod.rs`, never `name.rs` beside a
    // `name/` folder, so a module and its children always sit in one folder.
    let mut files = Vec::new();
    rust_files(&repo_root(), &mut files);
    let mixed: Vec<String> = files
        .iter()
        .filter(|file| file.with_extension("").is_dir())
        .map(|file| file.display().to_string())
        .collect();
    assert!(
        mixed.is_empty(),
        "move each to <name>/mod.rs: {}",
        mixed.join(", ")
    );
}

//! No module of the sandbox imports one that imports it back, however long the way round:
//! the modules form layers (the parts below, `state.rs` above them, the handlers and the
//! routes on top), and a change that closed a circle fails here, naming it.
//!
//! The scanner reads `src/` as text, so it needs no compiler support. It is a module of its
//! own (`graph`) with no tie to this crate, for the BFF to include by `#[path]` once its
//! modules are layered too.

use std::path::Path;

#[test]
fn no_module_of_the_sandbox_imports_one_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = graph::module_edges(&src);
    // The scanner found the modules and their imports: an empty graph proves nothing.
    assert!(edges.len() > 20, "{edges:?}");
    assert!(edges["applications"].contains("state"), "{edges:?}");
    assert!(edges["connectfi::auth"].contains("connectfi::state"));
    let cycles = graph::cycles(&edges);
    assert!(
        cycles.is_empty(),
        "modules that import each other, directly or round about: {cycles:?}"
    );
}

#[test]
fn the_scanner_finds_direct_round_about_and_parent_child_circles() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("lib.rs", "mod a;\nmod b;\nmod c;\nmod d;\nmod e;\nmod p;\n");
    // a -> b -> a, through a use tree and through a path in code.
    write("a.rs", "use crate::{b::{self, B}, d::D};\n");
    write(
        "b.rs",
        "// crate::c::C in a comment is no import\nfn f() { crate::a::g(); }\n",
    );
    // c -> d -> e -> c, the long way round; `super::*` in a test module is the file itself.
    write(
        "c.rs",
        "pub fn c() { let _ = \"crate::a\"; super::d::D; }\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
    );
    write("d.rs", "use crate::e::E;\n");
    write("e.rs", "use super::c;\n");
    // A parent importing its child, which imports the parent's item back.
    write(
        "p/mod.rs",
        "mod q;\npub use q::handler;\npub struct Shared;\n",
    );
    write("p/q.rs", "use super::Shared;\npub fn handler() {}\n");
    let edges = graph::module_edges(dir.path());
    assert!(
        !edges["b"].contains("c"),
        "comments and strings are skipped"
    );
    assert!(
        !edges["c"].contains("a"),
        "comments and strings are skipped"
    );
    let cycles = graph::cycles(&edges);
    assert_eq!(
        cycles,
        [vec!["a", "b"], vec!["c", "d", "e"], vec!["p", "p::q"]],
        "{edges:?}"
    );
}

/// The import graph of a crate's modules, read from its source files.
mod graph {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// Module (`a::b`, the root is `crate`) to the modules it imports or names in code.
    /// Declaring a child (`mod b;`) is not importing it. A path into an inline module
    /// (`mod tests { ... }`) counts as a path into its file's module.
    pub type Edges = BTreeMap<String, BTreeSet<String>>;

    /// The edges of the modules under `src` (a crate's `src/`, whose `lib.rs` is the root;
    /// `main.rs` and `bin/` are other crates and left out).
    pub fn module_edges(src: &Path) -> Edges {
        let mut files = Vec::new();
        collect(src, src, &mut files);
        let modules: BTreeSet<Vec<String>> = files.iter().map(|(m, _)| m.clone()).collect();
        let mut edges = Edges::new();
        for (module, text) in &files {
            let children: BTreeSet<&str> = modules
                .iter()
                .filter(|m| m.len() == module.len() + 1 && m.starts_with(module))
                .map(|m| m[module.len()].as_str())
                .collect();
            let targets = edges.entry(name(module)).or_default();
            for (inline_depth, path) in paths(&clean(text)) {
                if let Some(target) = resolve(module, inline_depth, &path, &children, &modules) {
                    if target != *module {
                        targets.insert(name(&target));
                    }
                }
            }
        }
        edges
    }

    /// Every set of modules that reach each other (a strongly connected component of more
    /// than one module), each sorted, in order.
    pub fn cycles(edges: &Edges) -> Vec<Vec<String>> {
        let reached: BTreeMap<&String, BTreeSet<String>> =
            edges.keys().map(|m| (m, reach(edges, m))).collect();
        let mut found = BTreeSet::new();
        for (module, from_here) in &reached {
            // A module that reaches another reaching it back also reaches itself.
            let circle: Vec<String> = from_here
                .iter()
                .filter(|other| {
                    reached
                        .get(other)
                        .is_some_and(|back| back.contains(*module))
                })
                .cloned()
                .collect();
            if !circle.is_empty() {
                found.insert(circle);
            }
        }
        found.into_iter().collect()
    }

    /// Every module `from` leads to, directly or round about.
    fn reach(edges: &Edges, from: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut next = vec![from.to_owned()];
        while let Some(module) = next.pop() {
            for target in edges.get(&module).into_iter().flatten() {
                if seen.insert(target.clone()) {
                    next.push(target.clone());
                }
            }
        }
        seen
    }

    fn name(module: &[String]) -> String {
        if module.is_empty() {
            "crate".to_owned()
        } else {
            module.join("::")
        }
    }

    /// `(module path, text)` of every `.rs` file under `dir`.
    fn collect(root: &Path, dir: &Path, files: &mut Vec<(Vec<String>, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let relative = path.strip_prefix(root).unwrap();
            if path.is_dir() {
                if relative != Path::new("bin") {
                    collect(root, &path, files);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || relative == Path::new("main.rs") {
                continue;
            }
            let mut module: Vec<String> = relative
                .with_extension("")
                .iter()
                .map(|s| s.to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|l| l == "mod" || l == "lib") {
                module.pop();
            }
            files.push((module, std::fs::read_to_string(&path).unwrap()));
        }
    }

    /// The source without comments and without the contents of string and char literals,
    /// which may look like paths.
    fn clean(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            if c == '/' && next == Some('/') {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            } else if c == '/' && next == Some('*') {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            } else if c == 'r'
                && (next == Some('"') || next == Some('#'))
                && !ident(prev(&chars, i))
            {
                // A raw string: r"...", r#"..."#.
                let mut j = i + 1;
                let mut hashes = 0;
                while chars.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if chars.get(j) != Some(&'"') {
                    out.push(c);
                    i += 1;
                    continue;
                }
                j += 1;
                loop {
                    if j >= chars.len() {
                        break;
                    }
                    if chars[j] == '"' && (1..=hashes).all(|h| chars.get(j + h) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                i = j;
            } else if c == '"' {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            } else if c == '\'' {
                // A char literal ('x', '\n', '"'), or a lifetime ('a), which is kept.
                if next == Some('\\') {
                    // Past the quote, the backslash and the escaped character.
                    i += 3;
                    while i < chars.len() && chars[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                    out.push_str("' '");
                } else if chars.get(i + 2) == Some(&'\'') {
                    i += 3;
                    out.push_str("' '");
                } else {
                    out.push(c);
                    i += 1;
                }
            } else {
                out.push(c);
                i += 1;
            }
        }
        out
    }

    fn prev(chars: &[char], i: usize) -> Option<char> {
        i.checked_sub(1).map(|j| chars[j])
    }

    fn ident(c: Option<char>) -> bool {
        c.is_some_and(|c| c.is_alphanumeric() || c == '_')
    }

    /// Every path of at least two segments in `code`, use trees expanded, with how deep in
    /// inline modules it stands.
    fn paths(code: &str) -> Vec<(usize, Vec<String>)> {
        let tokens = tokenize(code);
        let mut found = Vec::new();
        // Brace depths at which inline modules opened.
        let mut inline: Vec<usize> = Vec::new();
        let mut depth = 0;
        let mut i = 0;
        while i < tokens.len() {
            match tokens[i].as_str() {
                "{" => depth += 1,
                "}" => {
                    depth -= 1;
                    if inline.last() == Some(&depth) {
                        inline.pop();
                    }
                }
                "mod" if tokens.get(i + 2).is_some_and(|t| t == "{") => {
                    inline.push(depth);
                    depth += 1;
                    i += 3;
                    continue;
                }
                "use" => {
                    let end = tokens[i..]
                        .iter()
                        .position(|t| t == ";")
                        .map_or(tokens.len(), |p| i + p);
                    let mut trees = Vec::new();
                    use_tree(&tokens[i + 1..end], &mut Vec::new(), &mut trees);
                    found.extend(trees.into_iter().map(|p| (inline.len(), p)));
                    i = end + 1;
                    continue;
                }
                token
                    if is_ident(token)
                        && tokens.get(i + 1).is_some_and(|t| t == "::")
                        && !(i > 0 && tokens[i - 1] == "::") =>
                {
                    let mut path = vec![token.to_owned()];
                    let mut j = i + 1;
                    while tokens.get(j).is_some_and(|t| t == "::")
                        && tokens.get(j + 1).is_some_and(|t| is_ident(t))
                    {
                        path.push(tokens[j + 1].clone());
                        j += 2;
                    }
                    found.push((inline.len(), path));
                    i = j;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        found
    }

    /// The paths of one use tree (`a::{b, c::{self, D}}`), `prefix` first.
    fn use_tree(tokens: &[String], prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        let start = prefix.len();
        let mut i = 0;
        while i < tokens.len() {
            let token = tokens[i].as_str();
            match token {
                "::" => i += 1,
                "{" => {
                    // Split the group at its top-level commas.
                    let mut level = 0;
                    let mut from = i + 1;
                    for j in i + 1..tokens.len() {
                        match tokens[j].as_str() {
                            "{" => level += 1,
                            "}" if level == 0 => {
                                use_tree(&tokens[from..j], prefix, out);
                                break;
                            }
                            "}" => level -= 1,
                            "," if level == 0 => {
                                use_tree(&tokens[from..j], prefix, out);
                                from = j + 1;
                            }
                            _ => {}
                        }
                    }
                    prefix.truncate(start);
                    return;
                }
                "as" | "*" => break,
                _ if is_ident(token) => {
                    prefix.push(token.to_owned());
                    i += 1;
                }
                _ => i += 1,
            }
        }
        if !prefix.is_empty() {
            out.push(prefix.clone());
        }
        prefix.truncate(start);
    }

    fn tokenize(code: &str) -> Vec<String> {
        let mut tokens = Vec::new();
        let chars: Vec<char> = code.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c.is_alphanumeric() || c == '_' {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                tokens.push(chars[start..i].iter().collect());
            } else if c == ':' && chars.get(i + 1) == Some(&':') {
                tokens.push("::".to_owned());
                i += 2;
            } else {
                if !c.is_whitespace() {
                    tokens.push(c.to_string());
                }
                i += 1;
            }
        }
        tokens
    }

    fn is_ident(token: &str) -> bool {
        token
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
    }

    /// The file module a path in `module` (at `inline_depth` inline modules down) leads
    /// into; `None` for a path outside the crate.
    fn resolve(
        module: &[String],
        inline_depth: usize,
        path: &[String],
        children: &BTreeSet<&str>,
        modules: &BTreeSet<Vec<String>>,
    ) -> Option<Vec<String>> {
        let (mut base, rest): (Vec<String>, &[String]) = match path[0].as_str() {
            "crate" => (Vec::new(), &path[1..]),
            "self" => (module.to_vec(), &path[1..]),
            "super" => {
                let supers = path.iter().take_while(|s| *s == "super").count();
                // Inside an inline module the first `super`s lead back to the file's module.
                let up = supers.saturating_sub(inline_depth);
                let base = module[..module.len().checked_sub(up)?].to_vec();
                (base, &path[supers..])
            }
            child if inline_depth == 0 && children.contains(child) => (module.to_vec(), path),
            _ => return None,
        };
        for segment in rest {
            base.push(segment.clone());
            if !modules.contains(&base) {
                base.pop();
                break;
            }
        }
        Some(base)
    }
}

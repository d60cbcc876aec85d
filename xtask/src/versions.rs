//! Versions written in more than one file: `Trunk.toml` pins the wasm-bindgen and wasm-opt
//! that trunk runs, while `Cargo.lock` decides the wasm-bindgen library the widget links and
//! `package-lock.json` the binaryen (wasm-opt) npm installs. The lockfiles lead; a
//! `Trunk.toml` that disagrees is the line to change.

use std::fs;
use std::path::Path;

use crate::process::Result;

/// A `key = "value"` line of a file, with its 1-based line number for the message.
#[derive(Debug, PartialEq, Eq)]
pub struct Pin {
    pub line: usize,
    pub value: String,
}

/// Fails, naming the file and line to change, unless `Trunk.toml`'s tools equal the lockfiles'.
pub fn check(root: &Path) -> Result {
    let read = |name: &str| {
        fs::read_to_string(root.join(name)).map_err(|e| format!("cannot read {name}: {e}"))
    };
    let trunk = read("Trunk.toml")?;
    let cargo_lock = read("Cargo.lock")?;
    let npm_lock = read("package-lock.json")?;
    let mismatches = mismatches(&trunk, &cargo_lock, &npm_lock)?;
    if mismatches.is_empty() {
        println!(
            "    Trunk.toml's wasm-bindgen and wasm-opt equal Cargo.lock's and package-lock.json's"
        );
        return Ok(());
    }
    Err(mismatches.join("\n"))
}

/// One sentence per tool whose `Trunk.toml` pin differs from its lockfile.
fn mismatches(trunk: &str, cargo_lock: &str, npm_lock: &str) -> Result<Vec<String>> {
    let bindgen = locked_version(cargo_lock, "wasm-bindgen")?;
    let binaryen = npm_locked_version(npm_lock, "binaryen")?;
    let wanted_opt = wasm_opt_release(&binaryen)?;
    let mut found = Vec::new();
    for (key, wanted, source) in [
        (
            "wasm_bindgen",
            bindgen.as_str(),
            format!("Cargo.lock's wasm-bindgen {bindgen}"),
        ),
        (
            "wasm_opt",
            wanted_opt.as_str(),
            format!("package-lock.json's binaryen {binaryen}"),
        ),
    ] {
        let pin = trunk_tool(trunk, key)?;
        if pin.value != wanted {
            found.push(format!(
                "Trunk.toml line {} pins {key} = \"{}\" but {source} is what gets installed: \
                 change that line to {key} = \"{wanted}\" (the lockfile decides)",
                pin.line, pin.value
            ));
        }
    }
    Ok(found)
}

/// `key`'s value in the `[tools]` table of a Trunk.toml.
fn trunk_tool(trunk: &str, key: &str) -> Result<Pin> {
    let mut in_tools = false;
    for (index, line) in trunk.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.starts_with('[') {
            in_tools = line == "[tools]";
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if in_tools && k.trim() == key {
            return Ok(Pin {
                line: index + 1,
                value: v.trim().trim_matches('"').to_owned(),
            });
        }
    }
    Err(format!(
        "Trunk.toml pins no `{key}` under [tools]; pin it so trunk runs the installed tool"
    ))
}

/// Trunk's name for the wasm-opt of binaryen's npm release: `132.0.0` is `version_132`.
fn wasm_opt_release(binaryen: &str) -> Result<String> {
    match binaryen.split_once('.') {
        Some((major, _)) if !major.is_empty() && major.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(format!("version_{major}"))
        }
        _ => Err(format!(
            "package-lock.json's binaryen {binaryen} is not a release number like 132.0.0"
        )),
    }
}

/// The one version of package `name` in a Cargo.lock.
pub fn locked_version(lock: &str, name: &str) -> Result<String> {
    let mut versions: Vec<String> = Vec::new();
    for block in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            block.lines().find_map(|line| {
                let (k, v) = line.split_once('=')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
            })
        };
        if field("name").as_deref() == Some(name) {
            if let Some(version) = field("version") {
                if !versions.contains(&version) {
                    versions.push(version);
                }
            }
        }
    }
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("Cargo.lock has no `{name}` package")),
        // The CLI must match the library exactly, so two library versions cannot both work.
        many => Err(format!(
            "Cargo.lock has several `{name}` versions ({}); unify them first",
            many.join(", ")
        )),
    }
}

/// The version npm installs of the top-level package `name`, from a package-lock.json
/// (lockfile version 2 or 3, as npm writes it: one key or field a line).
fn npm_locked_version(lock: &str, name: &str) -> Result<String> {
    let key = format!("\"node_modules/{name}\":");
    let missing = || format!("package-lock.json has no `node_modules/{name}`; run `npm install`");
    let start = lock.find(&key).ok_or_else(missing)? + key.len();
    let entry = &lock[start..];
    // The entry ends where the next package's key starts.
    let entry = entry
        .find("\"node_modules/")
        .map_or(entry, |next| &entry[..next]);
    entry
        .lines()
        .find_map(|line| {
            let (k, v) = line.split_once(':')?;
            (k.trim() == "\"version\"")
                .then(|| v.trim().trim_end_matches(',').trim_matches('"').to_owned())
        })
        .ok_or_else(missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen-backend"
version = "0.2.99"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "cfg-if",
]

[[package]]
name = "xtask"
version = "0.1.0"
"#;

    const TRUNK: &str = r#"[build]
target = "index.html"

# Pinned so trunk uses the installed tools.
[tools]
wasm_bindgen = "0.2.130"
wasm_opt = "version_132" # binaryen from npm
"#;

    const NPM_LOCK: &str = r#"{
  "name": "tools",
  "lockfileVersion": 3,
  "packages": {
    "": {
      "dependencies": {
        "binaryen": "132.0.0"
      }
    },
    "node_modules/axe-core": {
      "version": "4.14.1"
    },
    "node_modules/binaryen": {
      "version": "132.0.0",
      "bin": {
        "wasm-opt": "bin/wasm-opt"
      }
    },
    "node_modules/binaryen-extra": {
      "version": "9.0.0"
    }
  }
}"#;

    #[test]
    fn finds_the_locked_version_of_exactly_that_package() {
        assert_eq!(locked_version(LOCK, "wasm-bindgen").unwrap(), "0.2.130");
        assert_eq!(locked_version(LOCK, "xtask").unwrap(), "0.1.0");
        assert!(locked_version(LOCK, "trunk").is_err());
    }

    #[test]
    fn refuses_two_versions_of_one_package() {
        let two = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.100\"\n");
        let err = locked_version(&two, "wasm-bindgen").unwrap_err();
        assert!(err.contains("0.2.130, 0.2.100"), "{err}");
    }

    #[test]
    fn reads_the_npm_lockfile_entry_of_exactly_that_package() {
        assert_eq!(npm_locked_version(NPM_LOCK, "binaryen").unwrap(), "132.0.0");
        assert_eq!(npm_locked_version(NPM_LOCK, "axe-core").unwrap(), "4.14.1");
        assert!(npm_locked_version(NPM_LOCK, "lighthouse").is_err());
    }

    #[test]
    fn binaryen_releases_are_trunks_version_names() {
        assert_eq!(wasm_opt_release("132.0.0").unwrap(), "version_132");
        assert_eq!(wasm_opt_release("116.0.1").unwrap(), "version_116");
        assert!(wasm_opt_release("latest").is_err());
    }

    #[test]
    fn agreeing_pins_pass() {
        assert_eq!(
            mismatches(TRUNK, LOCK, NPM_LOCK).unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_newer_wasm_bindgen_in_cargo_lock_names_the_trunk_line_to_change() {
        let lock = LOCK.replace("0.2.130", "0.2.131");
        let found = mismatches(TRUNK, &lock, NPM_LOCK).unwrap();
        assert_eq!(
            found,
            [
                "Trunk.toml line 6 pins wasm_bindgen = \"0.2.130\" but Cargo.lock's wasm-bindgen \
              0.2.131 is what gets installed: change that line to wasm_bindgen = \"0.2.131\" \
              (the lockfile decides)"
            ]
        );
    }

    #[test]
    fn another_binaryen_in_package_lock_names_the_trunk_line_to_change() {
        let npm = NPM_LOCK.replace("\"version\": \"132.0.0\"", "\"version\": \"133.0.0\"");
        let found = mismatches(TRUNK, LOCK, &npm).unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("Trunk.toml line 7 pins wasm_opt = \"version_132\"")
                && found[0].contains("package-lock.json's binaryen 133.0.0")
                && found[0].contains("wasm_opt = \"version_133\""),
            "{}",
            found[0]
        );
    }

    #[test]
    fn both_wrong_are_both_named_and_a_missing_pin_is_refused() {
        let trunk = TRUNK.replace("0.2.130", "0.2.129").replace("_132", "_131");
        assert_eq!(mismatches(&trunk, LOCK, NPM_LOCK).unwrap().len(), 2);
        let unpinned = TRUNK.replace("wasm_opt", "# wasm_opt");
        let err = mismatches(&unpinned, LOCK, NPM_LOCK).unwrap_err();
        assert!(err.contains("`wasm_opt`"), "{err}");
        // A key of the same name in another table is not the pin.
        let elsewhere = TRUNK.replace("[tools]", "[serve]");
        assert!(mismatches(&elsewhere, LOCK, NPM_LOCK).is_err());
    }

    #[test]
    fn every_package_inherits_the_rust_version_license_and_lints() {
        let root = crate::repo_root();
        let workspace = fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let members = workspace
            .lines()
            .find_map(|line| line.strip_prefix("members = ["))
            .expect("the workspace lists its members on one line");
        let manifests = members
            .trim_end_matches(']')
            .split(',')
            .map(|member| format!("{}/Cargo.toml", member.trim().trim_matches('"')))
            .chain(["Cargo.toml".to_owned()]);
        for manifest in manifests {
            let text = fs::read_to_string(root.join(&manifest)).unwrap();
            for line in [
                "rust-version.workspace = true",
                "license.workspace = true",
                "[lints]\nworkspace = true",
            ] {
                assert!(text.contains(line), "{manifest} lacks `{line}`");
            }
        }
    }

    #[test]
    fn rust_version_is_the_pinned_toolchains() {
        let root = crate::repo_root();
        let value = |file: &str, key: &str| {
            let text = fs::read_to_string(root.join(file)).unwrap();
            text.lines()
                .find_map(|line| line.strip_prefix(key))
                .unwrap_or_else(|| panic!("{file} has no `{key}`"))
                .trim_matches('"')
                .to_owned()
        };
        let channel = value("rust-toolchain.toml", "channel = ");
        let rust_version = value("Cargo.toml", "rust-version = ");
        assert!(
            channel == rust_version || channel.starts_with(&format!("{rust_version}.")),
            "rust-toolchain.toml pins {channel} but Cargo.toml's rust-version is {rust_version}"
        );
    }

    #[test]
    fn the_repositorys_pins_agree() {
        check(&crate::repo_root()).unwrap();
    }
}

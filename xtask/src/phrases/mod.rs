//! `cargo xtask phrases export|import <dir>`: the translations of the customer's phrases as
//! gettext PO files, for translators who do not work in Rust (docs/translations.md).
//!
//! The Rust files stay the source: export reads the phrases compiled into onboarding-core,
//! and import rewrites each language's `match` in `crates/core/src/phrase/`, in the form
//! export reads back, so export after import gives the same files.

mod po;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use onboarding_core::{Language, Phrase};

use crate::process::Result;
use crate::repo_root;

const USAGE: &str = "usage: cargo xtask phrases export <dir> | cargo xtask phrases import <dir>";

/// Where a language file's match begins and ends: what import writes is between them.
const MATCH_START: &str = "    match p {\n";
const MATCH_END: &str = "    }\n}\n";

/// Runs `phrases export <dir>` or `phrases import <dir>`.
pub fn run(args: &[String]) -> Result {
    match args {
        [action, dir] if action == "export" => {
            for path in export(Path::new(dir))? {
                println!("wrote {}", path.display());
            }
            Ok(())
        }
        [action, dir] if action == "import" => {
            let changed = import(Path::new(dir), &repo_root().join("crates/core/src"))?;
            if changed.is_empty() {
                println!("the translations are unchanged");
            }
            for path in changed {
                println!("rewrote {}", path.display());
            }
            Ok(())
        }
        _ => Err(USAGE.into()),
    }
}

/// Writes a PO file per language other than English into `dir`; returns their paths.
pub fn export(dir: &Path) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let mut written = Vec::new();
    for language in translated_languages() {
        let path = dir.join(po_file_name(language));
        fs::write(&path, po_text(language))
            .map_err(|e| format!("writing {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// Reads the PO files in `po_dir` (any of the languages; those absent are left alone),
/// checks every one against the English, and only when all pass rewrites the language
/// files under `core_src` (`crates/core/src`). Returns the files whose words changed.
pub fn import(po_dir: &Path, core_src: &Path) -> Result<Vec<PathBuf>> {
    let modules = language_modules(&read(&core_src.join("phrase/mod.rs"))?)?;
    let mut found = BTreeMap::new();
    let entries = fs::read_dir(po_dir).map_err(|e| format!("reading {}: {e}", po_dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(tag) = name.strip_suffix(".po") else {
            continue;
        };
        let language = translated_languages()
            .position(|l| l.tag() == tag)
            .ok_or_else(|| {
                format!(
                    "{name}: no translated language has the tag `{tag}`; the files are {}",
                    expected_files()
                )
            })?;
        found.insert(language, path);
    }
    if found.is_empty() {
        return Err(format!(
            "{} has no PO files; expected any of {}",
            po_dir.display(),
            expected_files()
        ));
    }

    let mut problems = Vec::new();
    let mut rewrites = Vec::new();
    for (position, po_path) in found {
        let language = translated_languages()
            .nth(position)
            .expect("a position found above");
        let name = po_file_name(language);
        let checked = po::parse(&read(&po_path)?)
            .map_err(|problem| vec![problem])
            .and_then(|file| translations(language, &file));
        let words = match checked {
            Ok(words) => words,
            Err(found) => {
                problems.extend(found.into_iter().map(|p| format!("{name}: {p}")));
                continue;
            }
        };
        let module = modules
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, module)| module)
            .ok_or_else(|| format!("phrase/mod.rs names no file for {language:?}"))?;
        let rust_path = core_src.join("phrase").join(format!("{module}.rs"));
        let old = read(&rust_path)?;
        let new = with_words(&old, &words).map_err(|e| format!("{}: {e}", rust_path.display()))?;
        if new != old {
            rewrites.push((rust_path, new));
        }
    }
    if !problems.is_empty() {
        return Err(format!(
            "nothing was imported; fix these and import again:\n  {}",
            problems.join("\n  ")
        ));
    }
    for (path, text) in &rewrites {
        fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
    }
    Ok(rewrites.into_iter().map(|(path, _)| path).collect())
}

/// Every language but English, the source, in the core's order.
fn translated_languages() -> impl Iterator<Item = Language> {
    Language::ALL
        .into_iter()
        .filter(|language| *language != Language::English)
}

/// `pl.po`: a language's file is named by its BCP 47 tag.
fn po_file_name(language: Language) -> String {
    format!("{}.po", language.tag())
}

fn expected_files() -> String {
    translated_languages()
        .map(po_file_name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name translators and the PO files know a phrase by: its name in the code.
fn key(phrase: Phrase) -> String {
    format!("{phrase:?}")
}

fn po_text(language: Language) -> String {
    let comment = format!(
        "The card application's phrases in {language:?} ({tag}), translated from English.\n\
         Written by `cargo xtask phrases export`, read back by `cargo xtask phrases import`.\n\
         \n\
         msgctxt names the phrase and msgid is its English: leave both as they are and\n\
         translate msgstr. Words in braces, such as {{partner}}, are placeholders the\n\
         application fills in: keep each one exactly as written, untranslated, and put it\n\
         where the sentence needs it.",
        tag = language.tag()
    );
    let header = [
        ("Project-Id-Version", "card-application"),
        ("Language", &language.tag().replace('-', "_")),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ];
    let messages: Vec<_> = Phrase::ALL
        .iter()
        .map(|&phrase| {
            let english = phrase.english();
            let mut placeholders = Phrase::placeholders(english);
            placeholders.dedup();
            let (notes, flags) = if placeholders.is_empty() {
                (Vec::new(), Vec::new())
            } else {
                let list: Vec<_> = placeholders.iter().map(|p| format!("{{{p}}}")).collect();
                let note = format!(
                    "Keep {} exactly as written: the application fills in the value.",
                    list.join(" and ")
                );
                // Weblate and `msgfmt --check` check placeholders of this form.
                (vec![note], vec!["python-brace-format".to_owned()])
            };
            po::Message {
                line: 0,
                notes,
                flags,
                context: Some(key(phrase)),
                id: english.to_owned(),
                translation: phrase.in_language(language).to_owned(),
            }
        })
        .collect();
    po::write(&comment, &header, &messages)
}

/// The translation of every phrase, in catalog order, or everything wrong with the file.
fn translations(
    language: Language,
    file: &po::File,
) -> std::result::Result<Vec<String>, Vec<String>> {
    let mut problems = Vec::new();
    let declared = file.header_field("Language").unwrap_or_default();
    if Language::from_tag(declared) != Some(language) {
        problems.push(format!(
            "its header says Language `{declared}`, not {}",
            language.tag()
        ));
    }
    let mut by_key = BTreeMap::new();
    for message in &file.messages {
        let Some(context) = &message.context else {
            problems.push(format!(
                "line {}: msgid {:?} has no msgctxt naming its phrase",
                message.line, message.id
            ));
            continue;
        };
        if !Phrase::ALL.iter().any(|p| key(*p) == *context) {
            problems.push(format!(
                "line {}: there is no phrase `{context}` (any more): export again",
                message.line
            ));
        } else if by_key.insert(context.as_str(), message).is_some() {
            problems.push(format!("line {}: `{context}` a second time", message.line));
        }
    }
    let mut words = Vec::new();
    for phrase in Phrase::ALL {
        let name = key(*phrase);
        let Some(message) = by_key.get(name.as_str()) else {
            problems.push(format!("the phrase `{name}` is missing"));
            continue;
        };
        let line = message.line;
        let english = phrase.english();
        if message.id != english {
            problems.push(format!(
                "line {line}: `{name}` is stale: its English is now {english:?}, \
                 the file translates {:?}; export again and translate the new English",
                message.id
            ));
        } else if message.is_fuzzy() {
            problems.push(format!(
                "line {line}: `{name}` is marked fuzzy: review it and remove the flag"
            ));
        } else if message.translation.trim().is_empty() {
            problems.push(format!("line {line}: `{name}` is not translated"));
        } else {
            let mut theirs = Phrase::placeholders(&message.translation);
            let mut ours = Phrase::placeholders(english);
            theirs.sort_unstable();
            ours.sort_unstable();
            if theirs != ours {
                problems.push(format!(
                    "line {line}: `{name}` has the placeholders {} where the English has {}",
                    braces(&theirs),
                    braces(&ours)
                ));
            }
        }
        words.push(message.translation.clone());
    }
    if problems.is_empty() {
        Ok(words)
    } else {
        Err(problems)
    }
}

fn braces(names: &[&str]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    names
        .iter()
        .map(|n| format!("{{{n}}}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The module of each language's file, as `Phrase::in_language` in phrase/mod.rs names them
/// (`Language::Polish => polish::phrase(self)`), so the pairing is written once.
fn language_modules(phrase_rs: &str) -> Result<Vec<(Language, String)>> {
    translated_languages()
        .map(|language| {
            let arm = format!("Language::{language:?} => ");
            let module = phrase_rs
                .split_once(&arm)
                .and_then(|(_, rest)| rest.split_once("::phrase(self)"))
                .map(|(module, _)| module.trim())
                .filter(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .ok_or_else(|| {
                    format!(
                        "phrase/mod.rs has no `{arm}<module>::phrase(self)` in Phrase::in_language"
                    )
                })?;
            Ok((language, module.to_owned()))
        })
        .collect()
}

/// A language file's text with its match's arms replaced by `words`, one per phrase in
/// catalog order; the rest of the file (its doc comment) is kept as it is.
fn with_words(source: &str, words: &[String]) -> Result<String> {
    let start = source
        .find(MATCH_START)
        .map(|at| at + MATCH_START.len())
        .ok_or("no `match p {` line")?;
    let end = source[start..]
        .find(MATCH_END)
        .map(|at| start + at)
        .ok_or("the match is not closed by `    }` and `}` lines")?;
    let mut text = String::with_capacity(source.len());
    text.push_str(&source[..start]);
    for (phrase, words) in Phrase::ALL.iter().zip(words) {
        text.push_str(&format!(
            "        Phrase::{} => {},\n",
            key(*phrase),
            rust_string(words)
        ));
    }
    text.push_str(&source[end..]);
    Ok(text)
}

/// A Rust string literal of `text`: only what must be escaped is, so the words read as
/// they are (`str::escape_debug` would escape Thai's and Arabic's combining marks).
fn rust_string(text: &str) -> String {
    let mut literal = String::with_capacity(text.len() + 2);
    literal.push('"');
    for c in text.chars() {
        match c {
            '"' => literal.push_str("\\\""),
            '\\' => literal.push_str("\\\\"),
            '\n' => literal.push_str("\\n"),
            '\r' => literal.push_str("\\r"),
            '\t' => literal.push_str("\\t"),
            c if c.is_control() => literal.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => literal.push(c),
        }
    }
    literal.push('"');
    literal
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of phrase/mod.rs and the language files, for import to rewrite.
    struct Copy {
        _dir: tempfile::TempDir,
        core_src: PathBuf,
    }

    fn real_core_src() -> PathBuf {
        repo_root().join("crates/core/src")
    }

    fn copy_of_the_phrases() -> Copy {
        let dir = tempfile::tempdir().unwrap();
        let core_src = dir.path().join("src");
        fs::create_dir_all(core_src.join("phrase")).unwrap();
        fs::copy(
            real_core_src().join("phrase/mod.rs"),
            core_src.join("phrase/mod.rs"),
        )
        .unwrap();
        for (_, module) in language_files() {
            let name = format!("phrase/{module}.rs");
            fs::copy(real_core_src().join(&name), core_src.join(&name)).unwrap();
        }
        Copy {
            _dir: dir,
            core_src,
        }
    }

    fn language_files() -> Vec<(Language, String)> {
        language_modules(&read(&real_core_src().join("phrase/mod.rs")).unwrap()).unwrap()
    }

    fn file_of(core_src: &Path, language: Language) -> String {
        let (_, module) = language_files()
            .into_iter()
            .find(|(l, _)| *l == language)
            .unwrap();
        read(&core_src.join(format!("phrase/{module}.rs"))).unwrap()
    }

    fn exported() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        export(dir.path()).unwrap();
        dir
    }

    /// Replaces text in an exported PO file, checking it was there.
    fn edit(po_dir: &Path, language: Language, old: &str, new: &str) {
        let path = po_dir.join(po_file_name(language));
        let text = read(&path).unwrap();
        assert_eq!(text.matches(old).count(), 1, "{old}");
        fs::write(&path, text.replace(old, new)).unwrap();
    }

    fn message(phrase: Phrase, language: Language) -> String {
        format!(
            "msgctxt \"{}\"\nmsgid \"{}\"\nmsgstr \"{}\"\n",
            key(phrase),
            phrase.english(),
            phrase.in_language(language)
        )
    }

    #[test]
    fn every_translated_language_is_exported_with_each_phrase_once() {
        let dir = exported();
        for language in translated_languages() {
            let file = po::parse(&read(&dir.path().join(po_file_name(language))).unwrap()).unwrap();
            assert_eq!(file.messages.len(), Phrase::ALL.len(), "{language:?}");
            assert_eq!(
                translations(language, &file).unwrap().len(),
                Phrase::ALL.len()
            );
        }
        let polish = read(&dir.path().join("pl.po")).unwrap();
        assert!(polish.contains(
            "#. Keep {partner} exactly as written: the application fills in the value.\n\
             #, python-brace-format\n\
             msgctxt \"Leave\"\n\
             msgid \"Leave and go back to {partner}\"\n\
             msgstr \"Wyjdź i wróć na stronę {partner}\"\n"
        ));
        assert!(polish.contains("\"Language: pl\\n\"\n"));
        assert!(read(&dir.path().join("zh-Hant.po"))
            .unwrap()
            .contains("\"Language: zh_Hant\\n\""));
    }

    #[test]
    fn export_then_import_leaves_every_language_file_byte_identical() {
        let copy = copy_of_the_phrases();
        let po = exported();
        assert_eq!(
            import(po.path(), &copy.core_src).unwrap(),
            Vec::<PathBuf>::new()
        );
        for language in translated_languages() {
            assert_eq!(
                file_of(&copy.core_src, language),
                file_of(&real_core_src(), language),
                "{language:?}"
            );
        }
        // Exporting again writes the same PO files.
        let again = exported();
        for language in translated_languages() {
            let name = po_file_name(language);
            assert_eq!(
                read(&po.path().join(&name)).unwrap(),
                read(&again.path().join(&name)).unwrap()
            );
        }
    }

    #[test]
    fn an_edited_translation_changes_only_its_own_line() {
        let copy = copy_of_the_phrases();
        let po = exported();
        let polish = Language::Polish;
        let old = message(Phrase::TryAgain, polish);
        let new = old.replace("Spróbuj ponownie", "Spróbuj \\\"jeszcze\\\" raz");
        edit(po.path(), polish, &old, &new);

        let changed = import(po.path(), &copy.core_src).unwrap();
        assert_eq!(changed, [copy.core_src.join("phrase/polish.rs")]);
        let before = file_of(&real_core_src(), polish);
        let after = file_of(&copy.core_src, polish);
        let differing: Vec<_> = before
            .lines()
            .zip(after.lines())
            .filter(|(b, a)| b != a)
            .collect();
        assert_eq!(before.lines().count(), after.lines().count());
        assert_eq!(
            differing,
            [(
                "        Phrase::TryAgain => \"Spróbuj ponownie\",",
                "        Phrase::TryAgain => \"Spróbuj \\\"jeszcze\\\" raz\","
            )]
        );
        for language in translated_languages().filter(|l| *l != polish) {
            assert_eq!(
                file_of(&copy.core_src, language),
                file_of(&real_core_src(), language)
            );
        }
    }

    #[test]
    fn a_subset_of_the_languages_may_be_imported() {
        let copy = copy_of_the_phrases();
        let po = exported();
        for language in translated_languages().filter(|l| *l != Language::Thai) {
            fs::remove_file(po.path().join(po_file_name(language))).unwrap();
        }
        assert_eq!(
            import(po.path(), &copy.core_src).unwrap(),
            Vec::<PathBuf>::new()
        );
    }

    /// Imports `po` into a copy, expecting a refusal that changes no file.
    fn refusal(po: &Path) -> String {
        let copy = copy_of_the_phrases();
        let error = import(po, &copy.core_src).unwrap_err();
        for language in translated_languages() {
            assert_eq!(
                file_of(&copy.core_src, language),
                file_of(&real_core_src(), language)
            );
        }
        error
    }

    #[test]
    fn a_translation_of_old_english_is_refused_as_stale() {
        let po = exported();
        let old = message(Phrase::Leave, Language::Polish);
        let stale = old.replace("Leave and go back to", "Leave and return to");
        edit(po.path(), Language::Polish, &old, &stale);
        // A good edit in another language is not imported either.
        let thai = message(Phrase::TryAgain, Language::Thai);
        edit(
            po.path(),
            Language::Thai,
            &thai,
            &thai.replace("msgstr \"", "msgstr \"x"),
        );
        let error = refusal(po.path());
        assert!(error.contains("nothing was imported"), "{error}");
        assert!(error.contains("pl.po: line "), "{error}");
        assert!(
            error.contains(
                "`Leave` is stale: its English is now \"Leave and go back to {partner}\""
            ),
            "{error}"
        );
        assert!(!error.contains("th.po"), "{error}");
    }

    #[test]
    fn a_missing_phrase_is_refused() {
        let po = exported();
        let message = message(Phrase::Sending, Language::Russian);
        edit(po.path(), Language::Russian, &message, "");
        let error = refusal(po.path());
        assert!(
            error.contains("ru.po: the phrase `Sending` is missing"),
            "{error}"
        );
    }

    #[test]
    fn a_dropped_or_added_placeholder_is_refused() {
        let po = exported();
        let polish = Language::Polish;
        let words = Phrase::Leave.in_language(polish);
        let dropped = words.replace(" {partner}", "");
        edit(
            po.path(),
            polish,
            &format!("msgstr \"{words}\""),
            &format!("msgstr \"{dropped}\""),
        );
        let words = Phrase::TryAgain.in_language(polish);
        let added = format!("{words} {{card}}");
        edit(
            po.path(),
            polish,
            &format!("msgstr \"{words}\""),
            &format!("msgstr \"{added}\""),
        );
        let error = refusal(po.path());
        assert!(
            error.contains("`Leave` has the placeholders none where the English has {partner}"),
            "{error}"
        );
        assert!(
            error.contains("`TryAgain` has the placeholders {card} where the English has none"),
            "{error}"
        );
    }

    #[test]
    fn fuzzy_untranslated_unknown_and_misnamed_files_are_refused() {
        let po = exported();
        let continue_ = message(Phrase::Continue, Language::Malay);
        edit(
            po.path(),
            Language::Malay,
            &continue_,
            &format!("#, fuzzy\n{continue_}"),
        );
        let title = message(Phrase::ResultTitle, Language::Malay);
        let words = Phrase::ResultTitle.in_language(Language::Malay);
        let empty = title.replace(&format!("msgstr \"{words}\""), "msgstr \"\"");
        let gone = "msgctxt \"Gone\"\nmsgid \"Gone\"\nmsgstr \"Hilang\"\n";
        edit(
            po.path(),
            Language::Malay,
            &title,
            &format!("{empty}\n{gone}"),
        );
        fs::copy(po.path().join("ms.po"), po.path().join("id.po")).unwrap();
        let error = refusal(po.path());
        assert!(
            error.contains("ms.po: line") && error.contains("`Continue` is marked fuzzy"),
            "{error}"
        );
        assert!(error.contains("`ResultTitle` is not translated"), "{error}");
        assert!(error.contains("there is no phrase `Gone`"), "{error}");
        assert!(
            error.contains("id.po: its header says Language `ms`, not id"),
            "{error}"
        );

        fs::write(po.path().join("de.po"), "").unwrap();
        let error = refusal(po.path());
        assert!(
            error.starts_with("de.po: no translated language has the tag `de`"),
            "{error}"
        );
    }

    #[test]
    fn rust_strings_escape_only_what_they_must() {
        assert_eq!(rust_string("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(rust_string("x\ny\u{7}"), r#""x\ny\u{7}""#);
        // A combining mark stays as written (Thai's SARA AM after a consonant).
        assert_eq!(rust_string("\u{0e33}ทำ"), "\"\u{0e33}ทำ\"");
    }
}

//! The gettext PO format, as far as the phrases use it: one message per phrase, told apart
//! by its context, no plural forms.

/// A message of a PO file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    /// Where it starts (1-based), for errors.
    pub line: usize,
    /// Comments for the translator (`#.` lines).
    pub notes: Vec<String>,
    /// Flags (`#,` lines) such as `fuzzy` or `python-brace-format`.
    pub flags: Vec<String>,
    /// `msgctxt`: which phrase this is.
    pub context: Option<String>,
    /// `msgid`: the English.
    pub id: String,
    /// `msgstr`: the translation.
    pub translation: String,
}

impl Message {
    /// Whether a translator's tool marked the translation as needing review.
    pub fn is_fuzzy(&self) -> bool {
        self.flags.iter().any(|flag| flag == "fuzzy")
    }
}

/// A PO file: the header's fields and the messages in file order.
#[derive(Debug, Default)]
pub struct File {
    /// The header's `Name: value` fields.
    pub header: Vec<(String, String)>,
    /// Every message but the header and obsolete (`#~`) ones.
    pub messages: Vec<Message>,
}

impl File {
    /// The value of a header field, e.g. `Language`.
    pub fn header_field(&self, name: &str) -> Option<&str> {
        self.header
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// The text of a PO file. Strings are written on one line each: the phrases have no line
/// breaks, and a line per phrase keeps the files' diffs readable.
pub fn write(header_comment: &str, header: &[(&str, &str)], messages: &[Message]) -> String {
    let mut out = String::new();
    for line in header_comment.lines() {
        match line {
            "" => out.push_str("#\n"),
            line => out.push_str(&format!("# {line}\n")),
        }
    }
    out.push_str("msgid \"\"\nmsgstr \"\"\n");
    for (name, value) in header {
        out.push_str(&format!("{}\n", quote(&format!("{name}: {value}\n"))));
    }
    for message in messages {
        out.push('\n');
        for note in &message.notes {
            out.push_str(&format!("#. {note}\n"));
        }
        if !message.flags.is_empty() {
            out.push_str(&format!("#, {}\n", message.flags.join(", ")));
        }
        if let Some(context) = &message.context {
            out.push_str(&format!("msgctxt {}\n", quote(context)));
        }
        out.push_str(&format!("msgid {}\n", quote(&message.id)));
        out.push_str(&format!("msgstr {}\n", quote(&message.translation)));
    }
    out
}

/// Reads a PO file, as gettext's tools or a translator's editor may have rewritten it
/// (strings split over lines, comments of any kind, obsolete messages).
pub fn parse(text: &str) -> Result<File, String> {
    let mut file = File::default();
    let mut current: Option<Builder> = None;
    let mut header_seen = false;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim();
        let at = |message: String| format!("line {number}: {message}");
        if line.is_empty() || line.starts_with("#~") {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            // A comment after a message's strings starts the next message.
            if current.as_ref().is_some_and(|b| b.last.is_some()) {
                finish(current.take(), &mut file, &mut header_seen).map_err(at)?;
            }
            let builder = current.get_or_insert_with(|| Builder::new(number));
            if let Some(flags) = comment.strip_prefix(',') {
                let flags = flags.split(',').map(|f| f.trim().to_owned());
                builder
                    .message
                    .flags
                    .extend(flags.filter(|f| !f.is_empty()));
            } else if let Some(note) = comment.strip_prefix('.') {
                builder.message.notes.push(note.trim().to_owned());
            }
            continue;
        }
        if line.starts_with('"') {
            let builder = current
                .as_mut()
                .filter(|b| b.last.is_some())
                .ok_or_else(|| at("a string continues no keyword".into()))?;
            let more = unquote(line).map_err(at)?;
            builder.field().push_str(&more);
            continue;
        }
        let (keyword, rest) = line
            .split_once(char::is_whitespace)
            .ok_or_else(|| at(format!("`{line}` is not PO syntax")))?;
        let keyword = match keyword {
            "msgctxt" => Keyword::Context,
            "msgid" => Keyword::Id,
            "msgstr" => Keyword::Translation,
            "msgid_plural" | "msgstr[0]" => {
                return Err(at(
                    "plural forms are not used by the phrases: translate the message once".into(),
                ))
            }
            other => return Err(at(format!("unknown keyword `{other}`"))),
        };
        // msgctxt after any string, or msgid after a msgid, starts the next message.
        let starts_next = current.as_ref().is_some_and(|b| match keyword {
            Keyword::Context => b.last.is_some(),
            Keyword::Id => b.seen.contains(&Keyword::Id),
            Keyword::Translation => false,
        });
        if starts_next {
            finish(current.take(), &mut file, &mut header_seen).map_err(at)?;
        }
        let builder = current.get_or_insert_with(|| Builder::new(number));
        if builder.seen.contains(&keyword) {
            return Err(at(format!("a second {} in one message", keyword.name())));
        }
        builder.seen.push(keyword);
        builder.last = Some(keyword);
        let value = unquote(rest.trim()).map_err(at)?;
        builder.field().push_str(&value);
    }
    finish(current, &mut file, &mut header_seen)?;
    Ok(file)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keyword {
    Context,
    Id,
    Translation,
}

impl Keyword {
    fn name(self) -> &'static str {
        match self {
            Self::Context => "msgctxt",
            Self::Id => "msgid",
            Self::Translation => "msgstr",
        }
    }
}

/// A message being read.
struct Builder {
    message: Message,
    seen: Vec<Keyword>,
    last: Option<Keyword>,
}

impl Builder {
    fn new(line: usize) -> Self {
        Self {
            message: Message {
                line,
                ..Message::default()
            },
            seen: Vec::new(),
            last: None,
        }
    }

    /// The string the last keyword's continuation lines add to.
    fn field(&mut self) -> &mut String {
        match self.last {
            Some(Keyword::Context) => self.message.context.get_or_insert_with(String::new),
            Some(Keyword::Id) => &mut self.message.id,
            _ => &mut self.message.translation,
        }
    }
}

fn finish(builder: Option<Builder>, file: &mut File, header_seen: &mut bool) -> Result<(), String> {
    let Some(builder) = builder else {
        return Ok(());
    };
    let message = builder.message;
    for keyword in [Keyword::Id, Keyword::Translation] {
        if !builder.seen.contains(&keyword) {
            return Err(format!(
                "the message from line {} has no {}",
                message.line,
                keyword.name()
            ));
        }
    }
    if message.id.is_empty() && message.context.is_none() {
        if *header_seen {
            return Err(format!("a second header at line {}", message.line));
        }
        *header_seen = true;
        file.header = message
            .translation
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
            .collect();
    } else {
        file.messages.push(message);
    }
    Ok(())
}

/// A PO string literal of `text`.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The text of a PO string literal (C escapes, as gettext writes them).
fn unquote(literal: &str) -> Result<String, String> {
    let inner = literal
        .strip_prefix('"')
        .and_then(|l| l.strip_suffix('"'))
        .filter(|_| literal.len() >= 2)
        .ok_or_else(|| format!("expected a string in double quotes, found `{literal}`"))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(match chars.next() {
                Some('n') => '\n',
                Some('t') => '\t',
                Some('r') => '\r',
                Some('"') => '"',
                Some('\\') => '\\',
                other => {
                    let other = other.map_or_else(String::new, String::from);
                    return Err(format!("unsupported escape `\\{other}` in {literal}"));
                }
            }),
            '"' => return Err(format!("an unescaped `\"` inside {literal}")),
            c => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_split_over_lines_and_escapes_are_read_as_gettext_writes_them() {
        let text = r#"# A translator's comment
msgid ""
msgstr ""
"Language: pl\n"
"Content-Type: text/plain; charset=UTF-8\n"

#. Keep {partner}.
#, fuzzy, python-brace-format
msgctxt "Leave"
msgid ""
"Leave and go back "
"to {partner}"
msgstr "Wyjdź \"teraz\"\\ na {partner}"

#~ msgctxt "Gone"
#~ msgid "Gone"
#~ msgstr "Nie ma"
msgctxt "TryAgain"
msgid "Try again"
msgstr "Spróbuj ponownie"
"#;
        let file = parse(text).unwrap();
        assert_eq!(file.header_field("language"), Some("pl"));
        assert_eq!(file.messages.len(), 2);
        let leave = &file.messages[0];
        assert_eq!(leave.context.as_deref(), Some("Leave"));
        assert_eq!(leave.id, "Leave and go back to {partner}");
        assert_eq!(leave.translation, "Wyjdź \"teraz\"\\ na {partner}");
        assert_eq!(leave.notes, ["Keep {partner}."]);
        assert!(leave.is_fuzzy());
        assert_eq!(file.messages[1].translation, "Spróbuj ponownie");
        assert!(!file.messages[1].is_fuzzy());
    }

    #[test]
    fn what_is_written_is_read_back() {
        let messages = vec![Message {
            line: 0,
            notes: vec!["Keep {card}.".into()],
            flags: vec!["python-brace-format".into()],
            context: Some("AddCard".into()),
            id: "Add {card}".into(),
            translation: "Dodaj \"kartę\" {card}\\\t".into(),
        }];
        let text = write("Polish\n\nof the phrases", &[("Language", "pl")], &messages);
        assert!(text.starts_with("# Polish\n#\n# of the phrases\nmsgid \"\"\n"));
        let file = parse(&text).unwrap();
        assert_eq!(file.header_field("Language"), Some("pl"));
        let read = Message {
            line: 0,
            ..file.messages[0].clone()
        };
        assert_eq!(read, messages[0]);
    }

    #[test]
    fn broken_files_are_refused_with_the_line() {
        let plural = "msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[0] \"c\"\n";
        assert!(parse(plural).unwrap_err().contains("line 2: plural forms"));
        let unquoted = "msgctxt \"A\"\nmsgid \"a\"\nmsgstr c\n";
        assert!(parse(unquoted).unwrap_err().starts_with("line 3:"));
        let no_translation = "msgctxt \"A\"\nmsgid \"a\"\n";
        assert!(parse(no_translation).unwrap_err().contains("has no msgstr"));
    }
}

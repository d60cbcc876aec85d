use super::required;
use super::unicode::{is_in_word, is_joiner, is_letter, is_mark, joins_letters, nfc, Composition};
use crate::ValidationError;

/// A given name or surname: letters in any script, each with its combining marks (accents,
/// vowel signs, tone marks, viramas), ZWJ and ZWNJ between letters where a script needs
/// them, and spaces, hyphens, apostrophes and full stops between words. In NFC when parsed
/// by [`PersonName::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    /// The longest name the bank's systems store, in characters once composed (NFC).
    pub const MAX_CHARS: usize = 40;

    /// Parses a name as the customer typed it, composed to NFC: what the bank receives.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::parse_in(&nfc(raw), Composition::Nfc)
    }

    /// Parses a name already composed, or as typed (the widget, which cannot compose):
    /// the rules accept a letter's marks whether or not they were composed into it.
    pub(crate) fn parse_in(text: &str, composition: Composition) -> Result<Self, ValidationError> {
        let name = composition.at_most(required(text)?, Self::MAX_CHARS)?;
        if is_name(name) {
            Ok(Self(name.split_whitespace().collect::<Vec<_>>().join(" ")))
        } else {
            Err(ValidationError::InvalidCharacters)
        }
    }

    /// The name, with runs of spaces folded.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `name` starts with a letter and every character is one a name may hold where
/// it stands: a mark only on a letter, a joiner only between letters.
fn is_name(name: &str) -> bool {
    let mut chars = name.chars().peekable();
    let mut previous = None;
    while let Some(c) = chars.next() {
        let in_word = previous.is_some_and(|p| is_in_word(p) || is_joiner(p));
        let allowed = if is_mark(c) {
            in_word
        } else if is_joiner(c) {
            joins_letters(previous, &mut chars)
        } else if matches!(c, ' ' | '-' | '\'' | '.' | '’') {
            previous.is_some()
        } else {
            is_letter(c)
        };
        if !allowed {
            return false;
        }
        previous = Some(c);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::unicode::is_format;
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    fn nfd(text: &str) -> String {
        text.nfd().collect()
    }

    /// Names of the markets' own scripts and of their customers, each as typed composed;
    /// the decomposed ones are checked too.
    const NAMES: &[&str] = &[
        "แก้วมณี",
        "สมศักดิ์",
        "कृष्ण",
        "श्रीनिवास",
        "Nguyễn Thị Hường",
        "José",
        "Łukasz Wójcik",
        "Сергей Иванов",
        "محمد عبد الله",
        "陳大文",
        "O'Brien",
        "Anne-Marie",
        "Nur Aisyah binti Abdullah",
        "Tan",
        "Wong Jr.",
        "O’Neill",
        // A Devanagari half form chosen with ZWJ, and a Persian name kept apart with ZWNJ.
        "क्\u{200D}ष",
        "می\u{200C}نا",
    ];

    #[test]
    fn accepts_names_in_the_markets_own_scripts_composed_or_not() {
        for &name in NAMES {
            let parsed = PersonName::parse(name).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(parsed.as_str(), name, "kept as typed, in NFC");
            let decomposed = nfd(name);
            assert_eq!(
                PersonName::parse(&decomposed)
                    .as_ref()
                    .map(PersonName::as_str),
                Ok(name),
                "{name} decomposed is composed"
            );
            for typed in [name, decomposed.as_str()] {
                assert!(
                    PersonName::parse_in(typed, Composition::AsTyped).is_ok(),
                    "the widget accepts {typed:?}"
                );
            }
        }
        // Decomposed, the Vietnamese name and José are longer than as the bank gets them.
        assert_ne!(nfd("Nguyễn Thị Hường"), "Nguyễn Thị Hường");
        assert_eq!(
            PersonName::parse("Jose\u{301}").unwrap().as_str(),
            "Jos\u{E9}"
        );
    }

    #[test]
    fn refuses_digits_markup_controls_and_blank() {
        for blank in ["", "  "] {
            assert_eq!(PersonName::parse(blank), Err(ValidationError::Required));
        }
        for name in [
            "R2D2",
            "<b>",
            "Tan<",
            "-Tan",
            // A right-to-left override would show "Tan" as "naT" wherever it is printed.
            "\u{202E}Tan",
            "Ta\u{202E}n",
            "Tan\u{200F}",
            "Tan\u{FEFF}",
            // A mark or a joiner needs a letter: not first, not after a space.
            "\u{301}Tan",
            "Tan \u{301}",
            "\u{200D}Tan",
            "Tan\u{200D}",
            "Tan \u{200C}Lee",
            "Tan\tLee",
        ] {
            assert_eq!(
                PersonName::parse(name),
                Err(ValidationError::InvalidCharacters),
                "{name:?}"
            );
            assert_eq!(
                PersonName::parse_in(name, Composition::AsTyped),
                Err(ValidationError::InvalidCharacters),
                "the widget refuses {name:?} too"
            );
        }
        assert_eq!(
            PersonName::parse(&"a".repeat(41)),
            Err(ValidationError::TooLong)
        );
    }

    #[test]
    fn the_length_is_counted_as_the_bank_gets_the_name() {
        // 33 characters composed, 45 decomposed: accepted either way.
        let name = "Nguyễn Thị Hường Nguyễn Thị Hường";
        assert_eq!(name.chars().count(), 33);
        assert!(nfd(name).chars().count() > PersonName::MAX_CHARS);
        assert!(PersonName::parse(&nfd(name)).is_ok());
        assert!(PersonName::parse_in(&nfd(name), Composition::AsTyped).is_ok());
        // Thai marks stay marks in NFC: the bank stores them, so they count.
        let thai = "สมศักดิ์".repeat(5);
        assert_eq!(thai.chars().count(), PersonName::MAX_CHARS);
        assert!(PersonName::parse(&thai).is_ok());
        let longer = format!("{thai}ก");
        assert_eq!(PersonName::parse(&longer), Err(ValidationError::TooLong));
        // The widget cannot tell which marks NFC keeps, so it leaves this one to the BFF.
        assert!(PersonName::parse_in(&longer, Composition::AsTyped).is_ok());
    }

    /// Characters names are made of, and some they must not hold, for generated names.
    const POOL: &[char] = &[
        'a', 'Z', 'é', 'ệ', 'ł', 'ж', '陳', 'ه', 'ก', 'ว', '\u{E49}', '\u{E35}', '\u{E31}',
        '\u{E4C}', 'क', 'ष', '\u{94D}', '\u{93E}', '\u{93F}', '\u{943}', '\u{93C}', '\u{300}',
        '\u{301}', '\u{302}', '\u{323}', '\u{338}', '\u{200C}', '\u{200D}', '\u{202E}', '\u{200E}',
        '\u{FEFF}', ' ', '-', '\'', '’', '.', '<', '>', '=', '1', '\t', '\u{1112}', '\u{1161}',
        '\u{11AB}', '한', 'Å', '\u{212B}', '\u{344}',
    ];

    fn generated() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(POOL), 0..60)
            .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn parsed_names_are_composed_trimmed_short_and_plain(raw in "\\PC{0,60}") {
            if let Ok(name) = PersonName::parse(&raw) {
                let name = name.as_str();
                prop_assert_eq!(nfc(name), name);
                prop_assert_eq!(name.trim(), name);
                prop_assert!(name.chars().count() <= PersonName::MAX_CHARS);
                prop_assert!(!name.contains(['<', '>']));
                prop_assert!(!name.chars().any(|c| is_format(c) && !is_joiner(c)));
            }
        }

        #[test]
        fn the_widget_refuses_no_name_the_bank_would_get(raw in generated()) {
            if PersonName::parse(&raw).is_ok() {
                prop_assert!(PersonName::parse_in(&raw, Composition::AsTyped).is_ok());
                prop_assert!(PersonName::parse_in(&nfd(&raw), Composition::AsTyped).is_ok());
            }
        }

        #[test]
        fn a_name_composed_or_decomposed_is_the_same_name(raw in generated()) {
            prop_assert_eq!(PersonName::parse(&raw), PersonName::parse(&nfd(&raw)));
        }
    }
}

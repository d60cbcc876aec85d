//! The reader against serde_json: the same text gives the same value or an error in both,
//! except where the crate's doc says they differ (whole numbers only, the depth limit,
//! duplicate keys kept by `parse`), each accounted for here by name.

use json_lite::{Value, MAX_DEPTH};
use proptest::prelude::*;
use serde_json::Value as Reference;

/// What the reader must answer for `text`, derived from serde_json's reading of it.
fn expected(text: &str) -> Option<Reference> {
    let value = serde_json::from_str::<Reference>(text).ok()?;
    // Difference 1: every number serde_json reads as a float, the reader refuses; read from
    // the text, since a float under a duplicate key is gone from serde_json's last-wins value.
    // Difference 2: nesting past MAX_DEPTH is refused (serde_json's own limit is 128).
    let Floats(floats) = serde_json::from_str(text).ok()?;
    (!floats && depth(&value) <= MAX_DEPTH).then_some(value)
}

/// Whether a JSON text holds a number serde_json reads as a float, anywhere in it.
struct Floats(bool);

impl<'de> serde::Deserialize<'de> for Floats {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FloatsVisitor)
    }
}

struct FloatsVisitor;

impl<'de> serde::de::Visitor<'de> for FloatsVisitor {
    type Value = Floats;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_f64<E>(self, _: f64) -> Result<Floats, E> {
        Ok(Floats(true))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Floats, E> {
        Ok(Floats(false))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Floats, E> {
        Ok(Floats(false))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Floats, E> {
        Ok(Floats(false))
    }
    fn visit_str<E>(self, _: &str) -> Result<Floats, E> {
        Ok(Floats(false))
    }
    fn visit_unit<E>(self) -> Result<Floats, E> {
        Ok(Floats(false))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<Floats, A::Error> {
        let mut any = false;
        while let Some(Floats(float)) = items.next_element()? {
            any |= float;
        }
        Ok(Floats(any))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut members: A) -> Result<Floats, A::Error> {
        let mut any = false;
        while let Some((serde::de::IgnoredAny, Floats(float))) = members.next_entry()? {
            any |= float;
        }
        Ok(Floats(any))
    }
}

/// Whether a value holds a float.
fn has_float(value: &Reference) -> bool {
    match value {
        Reference::Number(n) => n.is_f64(),
        Reference::Array(items) => items.iter().any(has_float),
        Reference::Object(members) => members.values().any(has_float),
        _ => false,
    }
}

/// Arrays and objects nested, as `MAX_DEPTH` counts them.
fn depth(value: &Reference) -> u32 {
    match value {
        Reference::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Reference::Object(members) => 1 + members.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// The reader's tree as serde_json's. Difference 3: `parse` keeps duplicate keys; inserting
/// in order keeps the last, as serde_json does (`duplicate_keys_are_all_kept` checks the rest).
fn to_reference(value: Value) -> Reference {
    match value {
        Value::Null => Reference::Null,
        Value::Bool(b) => Reference::Bool(b),
        Value::Unsigned(n) => n.into(),
        Value::Signed(n) => n.into(),
        Value::String(s) => Reference::String(s),
        Value::Array(items) => Reference::Array(items.into_iter().map(to_reference).collect()),
        Value::Object(members) => Reference::Object(
            members
                .into_iter()
                .map(|(key, value)| (key, to_reference(value)))
                .collect(),
        ),
    }
}

/// Both of the reader's entry points agree with serde_json on `text`.
fn check(text: &str) -> Result<(), TestCaseError> {
    let expected = expected(text);
    let parsed = json_lite::parse(text).ok().map(to_reference);
    prop_assert_eq!(&parsed, &expected, "parse({:?})", text);
    // The serde side too: the same tree read into serde_json's own type through the reader.
    let read = json_lite::from_str::<Reference>(text).ok();
    prop_assert_eq!(&read, &expected, "from_str({:?})", text);
    Ok(())
}

fn any_value() -> impl Strategy<Value = Reference> {
    let leaf = prop_oneof![
        Just(Reference::Null),
        any::<bool>().prop_map(Reference::Bool),
        any::<u64>().prop_map(Reference::from),
        any::<i64>().prop_map(Reference::from),
        // Floats, which serde_json writes with a fraction or an exponent: refused.
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Reference::from),
        any::<String>().prop_map(Reference::String),
        "[a-c\"\\\\\\u{0}-\\u{1f}\\u{7f}é\\u{10000}]{0,6}".prop_map(Reference::String),
    ];
    leaf.prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Reference::Array),
            prop::collection::vec(("[a-c]{0,2}", inner), 0..6)
                .prop_map(|members| Reference::Object(members.into_iter().collect())),
        ]
    })
}

/// One edit of JSON text into near-JSON, on characters so the text stays a `str`.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, char),
    Replace(usize, char),
    Truncate(usize),
}

fn any_edit() -> impl Strategy<Value = Edit> {
    let index = any::<usize>();
    // JSON's own characters, and the ones next to them, are the edits that matter.
    let c = prop_oneof![
        prop::sample::select(
            "[]{}:,\"\\/ \t\n\r0123456789-+.eEtrufalsnbu\u{0}\u{1f}\u{7f}x"
                .chars()
                .collect::<Vec<_>>()
        ),
        any::<char>(),
    ];
    prop_oneof![
        index.prop_map(Edit::Delete),
        (index, c.clone()).prop_map(|(at, c)| Edit::Insert(at, c)),
        (index, c).prop_map(|(at, c)| Edit::Replace(at, c)),
        index.prop_map(Edit::Truncate),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for edit in edits {
        let len = chars.len();
        match *edit {
            Edit::Delete(at) if len > 0 => {
                chars.remove(at % len);
            }
            Edit::Insert(at, c) => chars.insert(at % (len + 1), c),
            Edit::Replace(at, c) if len > 0 => chars[at % len] = c,
            Edit::Truncate(at) => chars.truncate(at % (len + 1)),
            _ => {}
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn reads_what_serde_json_writes(value in any_value(), pretty: bool) {
        let text = if pretty {
            serde_json::to_string_pretty(&value)
        } else {
            serde_json::to_string(&value)
        }
        .unwrap();
        check(&text)?;
        // Floats aside, the value itself comes back.
        if !has_float(&value) {
            prop_assert_eq!(json_lite::parse(&text).map(to_reference), Ok(value));
        }
    }

    #[test]
    fn agrees_on_near_json(value in any_value(), edits in prop::collection::vec(any_edit(), 1..4)) {
        check(&apply(&serde_json::to_string(&value).unwrap(), &edits))?;
    }

    #[test]
    fn agrees_on_json_like_text(text in "[\\[\\]{}:,\" \\\\/0-9\\-+.eEtrufalsn\\u{0}\\u{1f}a-c]{0,24}") {
        check(&text)?;
    }

    #[test]
    fn agrees_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..48)) {
        // The reader takes a `str`, as the widget has one from `Response::text`.
        check(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn agrees_on_numbers(text in "-?(0|[1-9][0-9]{0,21}|0[0-9]{1,3})(\\.[0-9]{0,3})?([eE][+-]?[0-9]{0,3})?") {
        check(&text)?;
        check(&format!("[{text}]"))?;
    }

    #[test]
    fn agrees_on_escapes(text in "\"(\\\\(u[0-9a-fA-F]{4}|u[dD][89abAB][0-9a-fA-F]{2}\\\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{0,3}|[\"\\\\/bfnrtux0])|[a\\u{0}\\u{1f}])*\"?") {
        check(&text)?;
    }

    #[test]
    fn agrees_on_nesting(opens in prop::collection::vec(any::<bool>(), 0..140), leaf in "(1|\"a\"|\\[\\]|\\{\\}|1\\.5)") {
        // Arrays and objects alternating at random, around depths 64 and 128.
        let mut text = String::new();
        for &array in &opens {
            text.push_str(if array { "[" } else { "{\"k\":" });
        }
        text.push_str(&leaf);
        for &array in opens.iter().rev() {
            text.push(if array { ']' } else { '}' });
        }
        check(&text)?;
    }

    #[test]
    fn duplicate_keys_are_all_kept(members in prop::collection::vec(("[ab]", any::<u32>()), 0..6)) {
        let text = format!(
            "{{{}}}",
            members.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect::<Vec<_>>().join(",")
        );
        check(&text)?;
        let written: Vec<(String, Value)> = members
            .into_iter()
            .map(|(k, v)| (k, Value::Unsigned(v.into())))
            .collect();
        prop_assert_eq!(json_lite::parse(&text), Ok(Value::Object(written)));
    }

    #[test]
    fn writes_what_serde_json_reads(value in any_value()) {
        // Floats are refused in writing too; everything else reads back as written.
        let written = json_lite::to_string(&value);
        if has_float(&value) {
            prop_assert!(written.is_err());
        } else {
            let text = written.unwrap();
            prop_assert_eq!(serde_json::from_str::<Reference>(&text).unwrap(), value);
        }
    }
}

#[test]
fn nesting_stops_at_the_limit() {
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let at_limit = MAX_DEPTH as usize;
    assert!(json_lite::parse(&nested(at_limit)).is_ok());
    assert!(json_lite::parse(&nested(at_limit + 1)).is_err());
    assert!(json_lite::from_str::<Reference>(&nested(at_limit + 1)).is_err());
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    // Far past any stack: without the limit this aborts the test binary.
    for (open, close) in [("[", "]"), ("{\"a\":", "}"), ("[{\"a\":", "}]")] {
        let text = format!("{}1{}", open.repeat(100_000), close.repeat(100_000));
        assert_eq!(json_lite::parse(&text), Err(json_lite::Error));
        assert_eq!(
            json_lite::parse(&text[..text.len() / 2]),
            Err(json_lite::Error)
        );
    }
}

#[test]
fn known_differences_from_serde_json() {
    // Each accepted by serde_json, refused here (see the crate's doc).
    for text in [
        "1.0",
        "1e3",
        "-0",
        "[-0]",
        "18446744073709551616",
        "-9223372036854775809",
    ] {
        assert!(serde_json::from_str::<Reference>(text).is_ok(), "{text}");
        assert!(json_lite::parse(text).is_err(), "{text}");
    }
    // The extremes of the whole numbers are read alike.
    for text in ["18446744073709551615", "-9223372036854775808", "0"] {
        assert_eq!(
            json_lite::parse(text).map(to_reference).ok(),
            serde_json::from_str::<Reference>(text).ok(),
            "{text}"
        );
    }
}

#[test]
fn a_float_under_a_duplicate_key_is_still_refused() {
    // serde_json keeps the last "c", so its value has no float left; the reader refuses the
    // text for the float it holds. Found by the property test above.
    check(r#"{"c":6.5e-309,"c":1}"#).unwrap();
}

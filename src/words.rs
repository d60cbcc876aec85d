//! The words the customer reads, in their language: the catalog the BFF wrote into the page
//! (`<script type="application/json" id="phrases">`, one string per [`Phrase`] in catalog
//! order). The download carries no language, so each language costs only its own page.

use onboarding_core::phrase::fill;
use onboarding_core::Phrase;
use std::cell::Cell;

thread_local! {
    /// The page's catalog, read once; it lives as long as the page.
    static CATALOG: Cell<&'static [String]> = const { Cell::new(&[]) };
}

/// Reads the page's catalog. A page without one (or a malformed one) shows empty words
/// rather than failing: the BFF's tests check every page it serves has one.
pub fn load() {
    let text = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("phrases"))
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    install(crate::json::from_str(&text).unwrap_or_default());
}

/// Uses `catalog` (one string per phrase, in catalog order) from now on.
pub fn install(catalog: Vec<String>) {
    CATALOG.set(Box::leak(catalog.into_boxed_slice()));
}

/// The words of a phrase.
pub fn t(phrase: Phrase) -> &'static str {
    CATALOG
        .get()
        .get(phrase as usize)
        .map_or("", String::as_str)
}

/// The words of a phrase with its placeholders filled.
pub fn t_with(phrase: Phrase, values: &[(&str, &str)]) -> String {
    fill(t(phrase), values)
}

/// The words of a phrase with one placeholder, split around it: the value can then be
/// marked up (a date in `<strong>`) wherever the language puts it.
pub fn t_around(phrase: Phrase) -> (&'static str, &'static str) {
    let words = t(phrase);
    match (words.find('{'), words.find('}')) {
        (Some(open), Some(close)) if open < close => (&words[..open], &words[close + 1..]),
        _ => (words, ""),
    }
}

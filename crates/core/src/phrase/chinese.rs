//! Stub until translated.

use super::Phrase;

pub(super) const fn phrase(p: Phrase) -> &'static str {
    p.english()
}

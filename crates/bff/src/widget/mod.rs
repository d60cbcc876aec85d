//! Serving the widget: its page (per placement, with a fresh CSP nonce) and its assets.

mod assets;
mod page;

pub use assets::assets;
pub use page::{apply_page, busy_page, WidgetPage};

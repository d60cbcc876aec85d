//! Serving the widget: its page (per placement, with a fresh CSP nonce) and its assets.

mod assets;
mod language;
mod page;
mod violations;

pub use assets::assets;
pub use page::{apply_page, busy_page, notice_language, WidgetPage};
pub use violations::{csp_report, CSP_REPORTS_PATH, MAX_REPORT_BYTES};

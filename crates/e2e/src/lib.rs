//! What the end-to-end tests share: the real BFF process with its embedded sandbox, a
//! chromedriver process, a Chromium session, and axe-core.
//!
//! The tests need the release widget (`trunk build --release`), the BFF binary and the
//! browser; `cargo xtask test` provides them through `WIDGET_DIR`, `BFF_BIN`,
//! `CHROMEDRIVER`, `CHROMIUM` and `AXE_JS`.

mod bff;
mod browser;
mod foreign_site;
mod processes;

pub use bff::{Bff, THEME_BRAND};
pub use browser::{Browser, Key, WIDGET_FRAME};
pub use foreign_site::ForeignSite;
pub use processes::processes_mentioning;

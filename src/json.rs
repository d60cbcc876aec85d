//! JSON for the API: the [`json_lite`] crate, kept at this path so the widget's modules and
//! tests read and write through `crate::json` as before. It lives in a crate of its own so
//! its tests run natively against serde_json (this crate builds for the browser only).

pub use json_lite::*;

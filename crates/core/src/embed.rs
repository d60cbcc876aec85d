//! Messages the widget posts to the partner page that embeds it: protocol version 1.
//!
//! The frame posts only to the partner's exact origin, which it learns from the session
//! (the partners file via the BFF), never from a message. The loader (`embed.js`) reads a
//! message only from the widget's exact origin and frame, of this `source` and `version`,
//! and delivers each `seq` once.

use crate::Outcome;
use serde::{Deserialize, Serialize};

/// The version of the message protocol; a partner page checks it before reading further.
pub const PROTOCOL_VERSION: u32 = 1;

/// A message from the widget's frame to the partner page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerMessage {
    /// Always `card-application`, so a page can tell our messages from others.
    pub source: String,
    pub version: u32,
    /// Counts this frame's messages from 1, so a page delivers each one once.
    pub seq: u32,
    #[serde(flatten)]
    pub event: PartnerEvent,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PartnerEvent {
    /// The widget has loaded its session and shows its first screen.
    Ready,
    /// The customer moved to another stage (`about_you`, `identity`, `finances`, `result`).
    StageChanged { stage: String },
    /// The widget's content is now this many CSS pixels high; the page sizes the frame to it.
    Resize { height: u32 },
    /// The customer finished and is going back: the outcome and the bank's reference number.
    Completed { reference: String, outcome: Outcome },
    /// The customer left before a decision, from this stage, and is going back to the
    /// partner's return URL; what they entered is kept for when they come back.
    Exited { stage: String },
    /// The widget cannot go on (e.g. a refused placement or an ended session); `code` is the
    /// API's error code.
    Error { code: String },
    /// Where the browser keeps nothing for the widget's frame, the page that asked for it
    /// (`resume` on the frame's URL) keeps this opaque, single-use handle and passes it back
    /// as `resume` on the next open, so the application resumes. Only the widget's own page
    /// can exchange it.
    ResumeHandle { handle: String },
}

impl PartnerMessage {
    /// The name every message carries in `source`.
    pub const SOURCE: &'static str = "card-application";

    /// Message number `seq` of the current protocol version.
    pub fn new(seq: u32, event: PartnerEvent) -> Self {
        Self {
            source: Self::SOURCE.to_owned(),
            version: PROTOCOL_VERSION,
            seq,
            event,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_its_documented_shape() {
        let cases = [
            (PartnerEvent::Ready, r#""type":"ready""#),
            (
                PartnerEvent::StageChanged {
                    stage: "finances".into(),
                },
                r#""type":"stage_changed","stage":"finances""#,
            ),
            (
                PartnerEvent::Resize { height: 812 },
                r#""type":"resize","height":812"#,
            ),
            (
                PartnerEvent::Completed {
                    reference: "123456789012".into(),
                    outcome: Outcome::Approved,
                },
                r#""type":"completed","reference":"123456789012","outcome":"approved""#,
            ),
            (
                PartnerEvent::Exited {
                    stage: "identity".into(),
                },
                r#""type":"exited","stage":"identity""#,
            ),
            (
                PartnerEvent::Error {
                    code: "session_required".into(),
                },
                r#""type":"error","code":"session_required""#,
            ),
            (
                PartnerEvent::ResumeHandle {
                    handle: "9f2c".into(),
                },
                r#""type":"resume_handle","handle":"9f2c""#,
            ),
        ];
        for (event, fields) in cases {
            let json = serde_json::to_string(&PartnerMessage::new(3, event.clone())).unwrap();
            assert_eq!(
                json,
                format!(r#"{{"source":"card-application","version":1,"seq":3,{fields}}}"#)
            );
            let back: PartnerMessage = serde_json::from_str(&json).unwrap();
            assert_eq!(back.event, event);
        }
    }
}

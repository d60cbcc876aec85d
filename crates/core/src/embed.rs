//! Messages the widget posts to the partner page that embeds it.

use serde::{Deserialize, Serialize};

/// The version of the message protocol; a partner page checks it before reading further.
pub const PROTOCOL_VERSION: u32 = 1;

/// A message from the widget's frame to the partner page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerMessage {
    /// Always `card-application`, so a page can tell our messages from others.
    pub source: String,
    pub version: u32,
    #[serde(flatten)]
    pub event: PartnerEvent,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PartnerEvent {
    /// The customer finished and is going back: the outcome and the bank's reference number.
    Completed { reference: String, outcome: String },
}

impl PartnerMessage {
    /// The name every message carries in `source`.
    pub const SOURCE: &'static str = "card-application";

    /// A message of the current protocol version.
    pub fn new(event: PartnerEvent) -> Self {
        Self {
            source: Self::SOURCE.to_owned(),
            version: PROTOCOL_VERSION,
            event,
        }
    }
}

//! The stages of the journey, in order.

use serde::{Deserialize, Serialize};

/// Where the customer is in the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Stage 1: personal details and consent to the terms.
    AboutYou,
    /// Stage 2: ID and address.
    Identity,
    /// Stage 3: income, education, residence and employment.
    Finances,
    /// The decision.
    Result,
}

impl Stage {
    /// The three stages the customer fills in, for the progress indicator.
    pub const FORMS: [Self; 3] = [Self::AboutYou, Self::Identity, Self::Finances];

    /// 1-based position among the forms; the result counts as past the last.
    pub const fn number(self) -> usize {
        match self {
            Self::AboutYou => 1,
            Self::Identity => 2,
            Self::Finances => 3,
            Self::Result => 4,
        }
    }

    /// The stage's title, as its heading shows it.
    pub const fn title(self) -> &'static str {
        match self {
            Self::AboutYou => "About you",
            Self::Identity => "Identity and address",
            Self::Finances => "Income and work",
            Self::Result => "Your result",
        }
    }

    /// The stage's name in stored records and URLs.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AboutYou => "about_you",
            Self::Identity => "identity",
            Self::Finances => "finances",
            Self::Result => "result",
        }
    }

    /// Reads a stored name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::AboutYou, Self::Identity, Self::Finances, Self::Result]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

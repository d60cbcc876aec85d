//! What became of an application, in the words partners read: the signed return URL's
//! `outcome`, the `application.decided` webhook event and the widget's `completed` message
//! all spell it from here.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// What became of an application, as a partner is told it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Approved in principle.
    Approved,
    /// Not approved as applied for; the bank offers a lower limit or another card.
    CounterOffered,
    /// No instant decision: the bank reviews the application.
    Referred,
    /// The full application was submitted for review by hand.
    UnderReview,
    /// Not approved.
    Declined,
    /// Lead Capture handed the customer's details to the bank, which decides nothing online.
    LeadReceived,
    /// The customer saved the application to continue on the bank's channel.
    Saved,
}

impl Outcome {
    /// Every outcome, in the order the partners' documentation lists them.
    pub const ALL: [Self; 7] = [
        Self::Approved,
        Self::CounterOffered,
        Self::Referred,
        Self::UnderReview,
        Self::Declined,
        Self::LeadReceived,
        Self::Saved,
    ];

    /// The outcome's word on the wire, which partners' code compares with: never change one.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::CounterOffered => "counter_offered",
            Self::Referred => "referred",
            Self::UnderReview => "under_review",
            Self::Declined => "declined",
            Self::LeadReceived => "lead_received",
            Self::Saved => "saved",
        }
    }
}

/// A word that names no [`Outcome`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownOutcome(pub String);

impl fmt::Display for UnknownOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown outcome {:?}", self.0)
    }
}

impl std::error::Error for UnknownOutcome {}

impl FromStr for Outcome {
    type Err = UnknownOutcome;

    fn from_str(word: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|outcome| outcome.as_str() == word)
            .ok_or_else(|| UnknownOutcome(word.to_owned()))
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An outcome equals its word, so a check reads `assert_eq!(outcome, "approved")`.
impl PartialEq<str> for Outcome {
    fn eq(&self, word: &str) -> bool {
        self.as_str() == word
    }
}

impl PartialEq<&str> for Outcome {
    fn eq(&self, word: &&str) -> bool {
        self.as_str() == *word
    }
}

// By hand rather than derived with `rename_all`: the words are then written once, in
// `as_str`, and serde's derive cannot spell them differently from the return URL's.
impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_reads_back_from_its_word() {
        for outcome in Outcome::ALL {
            assert_eq!(outcome.as_str().parse(), Ok(outcome));
            assert_eq!(outcome.to_string(), outcome.as_str());
        }
        assert_eq!(
            "Approved".parse::<Outcome>(),
            Err(UnknownOutcome("Approved".into()))
        );
    }

    #[test]
    fn outcomes_keep_the_words_partners_compare_with() {
        let words: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(
            words,
            [
                "approved",
                "counter_offered",
                "referred",
                "under_review",
                "declined",
                "lead_received",
                "saved"
            ]
        );
    }

    #[test]
    fn json_carries_an_outcome_as_its_word() {
        assert_eq!(
            serde_json::to_string(&Outcome::LeadReceived).unwrap(),
            r#""lead_received""#
        );
        assert_eq!(
            serde_json::from_str::<Outcome>(r#""under_review""#).unwrap(),
            Outcome::UnderReview
        );
        assert!(serde_json::from_str::<Outcome>(r#""pending""#).is_err());
    }
}

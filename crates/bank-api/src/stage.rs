//! The names of the stages an application passes through at the bank.

use serde::{Deserialize, Serialize};

/// Where an application is at the bank: reference data `applicationStage`, as the sandbox
/// reports it.
///
/// The answers' `applicationStage` fields stay strings: the bank's reference data may name
/// stages the sandbox never reports, and a client must still read an answer carrying one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ApplicationStage {
    /// Just created.
    BasicDetails,
    /// Updated at least once.
    InProgress,
    /// Screening requested, no decision yet.
    BackgroundScreening,
    /// Approved in principle (`000`).
    Approval,
    /// Referred to the bank's underwriters (`002`).
    ManualReview,
    /// Rejected (`003`).
    Rejected,
    /// The card applied for was rejected, with counter-offers to choose from.
    CounterOffer,
    /// The IPA answered `applicationNeedsManualReview`: waiting for the full submission.
    AwaitingSubmission,
    /// Fully submitted, under review by hand.
    Submitted,
}

impl ApplicationStage {
    /// Every stage, in the order an application may reach them.
    pub const ALL: [Self; 9] = [
        Self::BasicDetails,
        Self::InProgress,
        Self::BackgroundScreening,
        Self::Approval,
        Self::ManualReview,
        Self::Rejected,
        Self::CounterOffer,
        Self::AwaitingSubmission,
        Self::Submitted,
    ];

    /// The name as the wire carries it (`BACKGROUND_SCREENING`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::BasicDetails => "BASIC_DETAILS",
            Self::InProgress => "IN_PROGRESS",
            Self::BackgroundScreening => "BACKGROUND_SCREENING",
            Self::Approval => "APPROVAL",
            Self::ManualReview => "MANUAL_REVIEW",
            Self::Rejected => "REJECTED",
            Self::CounterOffer => "COUNTER_OFFER",
            Self::AwaitingSubmission => "AWAITING_SUBMISSION",
            Self::Submitted => "SUBMITTED",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_serialise_as_themselves_and_read_back() {
        for stage in ApplicationStage::ALL {
            let json = serde_json::to_string(&stage).unwrap();
            assert_eq!(json, format!("\"{}\"", stage.name()));
            assert_eq!(
                serde_json::from_str::<ApplicationStage>(&json).unwrap(),
                stage
            );
        }
        assert!(serde_json::from_str::<ApplicationStage>("\"approval\"").is_err());
    }
}

//! The plan of a journey: for a journey kind and the provider that decides, its stages,
//! whether it can be saved, and whether it takes a given step now. Every rule of the
//! journey's shape is here, so the BFF and the widget read the one answer.

use crate::api::{routes, ErrorCode, JourneyKind};
use crate::stage::Stage;
use serde::{Deserialize, Serialize};

/// The credit provider a placement's applications go to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// The bank's onboarding API (create, update, screening, in-principle approval).
    #[default]
    Bank,
    /// connectFi's KYC check and credit application, for customers it already knows:
    /// it has verified their identity, and its application exists only once it decides.
    Connectfi,
}

impl Provider {
    /// The provider's name, as the partners file and the metrics spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Bank => "bank",
            Self::Connectfi => "connectfi",
        }
    }
}

/// What the customer sends in a journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// One of the approval journey's forms.
    Stage(Stage),
    /// Lead Capture's one form.
    Lead,
    /// "Save and exit": the bank keeps the application for the customer to continue on its
    /// own channel.
    Save,
}

/// Why a journey does not take a step now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The lead form, in the in-principle approval journey.
    NotLeadCapture,
    /// Stage 1 of the approval, in the Lead Capture journey.
    LeadCaptureOnly,
    /// A stage this journey does not have (connectFi's has no identity stage).
    NoSuchStage(Stage),
    /// A stage whose predecessor has not been sent.
    SendFirst(Stage),
    /// Saving a decided application.
    AlreadyDecided,
    /// Saving where the bank holds nothing to save.
    CannotSave,
}

impl Refusal {
    /// The API's error code for the refusal.
    pub const fn code(self) -> ErrorCode {
        match self {
            Self::AlreadyDecided => ErrorCode::AlreadyDecided,
            _ => ErrorCode::StageOutOfOrder,
        }
    }

    /// What the API tells the caller.
    pub fn message(self) -> String {
        match self {
            Self::NotLeadCapture => format!(
                "This placement's journey is the in-principle approval: send stage 1 to {}.",
                routes::APPLICATIONS
            ),
            Self::LeadCaptureOnly => format!(
                "This placement's journey is Lead Capture: send its one form to {}.",
                routes::LEADS
            ),
            Self::NoSuchStage(Stage::Identity) => "This placement's provider has verified the customer's identity already; there is no identity stage.".into(),
            Self::NoSuchStage(stage) => format!(
                "This placement's journey has no {} stage.",
                stage.title().to_lowercase()
            ),
            Self::SendFirst(stage) => {
                format!("Send the {} stage first.", stage.title().to_lowercase())
            }
            Self::AlreadyDecided => {
                "The bank has decided this application; there is nothing to save.".into()
            }
            Self::CannotSave => "This placement's provider decides the application in the journey; it cannot be saved to continue on the bank's channel.".into(),
        }
    }
}

/// A journey's shape: what it asks of the customer, in order, and what it allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JourneyPlan {
    pub kind: JourneyKind,
    pub provider: Provider,
}

impl JourneyPlan {
    /// The plan of a `kind` journey whose applications `provider` decides.
    pub const fn new(kind: JourneyKind, provider: Provider) -> Self {
        Self { kind, provider }
    }

    /// The forms, in order: Lead Capture has one; connectFi has verified the customer's
    /// identity already, so its journey has no identity stage.
    pub const fn stages(self) -> &'static [Stage] {
        match (self.kind, self.provider) {
            (JourneyKind::LeadCapture, _) => &[Stage::AboutYou],
            (_, Provider::Bank) => &Stage::FORMS,
            (_, Provider::Connectfi) => &[Stage::AboutYou, Stage::Finances],
        }
    }

    /// Whether the customer can save the application to continue on the bank's channel:
    /// only in the approval journey, and only where the bank holds the application
    /// (connectFi's exists only once it decides, under connectFi's id).
    pub fn can_save(self) -> bool {
        self.kind == JourneyKind::InPrincipleApproval && self.provider == Provider::Bank
    }

    /// Whether the journey takes `step` now, the application having got as far as
    /// `reached` (the last stage sent, [`Stage::Result`] once decided; `None` before it
    /// exists).
    pub fn accepts(self, step: Step, reached: Option<Stage>) -> Result<(), Refusal> {
        let lead_capture = self.kind == JourneyKind::LeadCapture;
        match step {
            Step::Lead if lead_capture => Ok(()),
            Step::Lead => Err(Refusal::NotLeadCapture),
            Step::Stage(_) if lead_capture => Err(Refusal::LeadCaptureOnly),
            Step::Stage(stage) => {
                let stages = self.stages();
                let at = stages
                    .iter()
                    .position(|s| *s == stage)
                    .ok_or(Refusal::NoSuchStage(stage))?;
                match at.checked_sub(1).map(|before| stages[before]) {
                    Some(before) if reached.is_none_or(|r| r < before) => {
                        Err(Refusal::SendFirst(before))
                    }
                    _ => Ok(()),
                }
            }
            Step::Save if reached == Some(Stage::Result) => Err(Refusal::AlreadyDecided),
            Step::Save if !self.can_save() => Err(Refusal::CannotSave),
            Step::Save => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APPROVAL: JourneyPlan =
        JourneyPlan::new(JourneyKind::InPrincipleApproval, Provider::Bank);
    const CONNECTFI: JourneyPlan =
        JourneyPlan::new(JourneyKind::InPrincipleApproval, Provider::Connectfi);
    const LEAD: JourneyPlan = JourneyPlan::new(JourneyKind::LeadCapture, Provider::Bank);

    #[test]
    fn each_journey_has_its_forms() {
        assert_eq!(APPROVAL.stages(), Stage::FORMS);
        assert_eq!(CONNECTFI.stages(), [Stage::AboutYou, Stage::Finances]);
        assert_eq!(LEAD.stages(), [Stage::AboutYou]);
        let connectfi_lead = JourneyPlan::new(JourneyKind::LeadCapture, Provider::Connectfi);
        assert_eq!(connectfi_lead.stages(), [Stage::AboutYou]);
    }

    #[test]
    fn only_the_banks_approval_journey_can_be_saved() {
        assert!(APPROVAL.can_save());
        assert!(!CONNECTFI.can_save());
        assert!(!LEAD.can_save());
        assert_eq!(APPROVAL.accepts(Step::Save, Some(Stage::Identity)), Ok(()));
        assert_eq!(
            CONNECTFI.accepts(Step::Save, Some(Stage::Identity)),
            Err(Refusal::CannotSave)
        );
        assert_eq!(
            APPROVAL.accepts(Step::Save, Some(Stage::Result)),
            Err(Refusal::AlreadyDecided)
        );
    }

    #[test]
    fn lead_capture_takes_only_the_lead_form() {
        assert_eq!(LEAD.accepts(Step::Lead, None), Ok(()));
        assert_eq!(
            LEAD.accepts(Step::Stage(Stage::AboutYou), None),
            Err(Refusal::LeadCaptureOnly)
        );
        assert_eq!(
            APPROVAL.accepts(Step::Lead, None),
            Err(Refusal::NotLeadCapture)
        );
        assert_eq!(
            CONNECTFI.accepts(Step::Lead, None),
            Err(Refusal::NotLeadCapture)
        );
    }

    #[test]
    fn stages_come_in_order_and_connectfi_has_no_identity_stage() {
        assert_eq!(APPROVAL.accepts(Step::Stage(Stage::AboutYou), None), Ok(()));
        assert_eq!(
            APPROVAL.accepts(Step::Stage(Stage::Identity), Some(Stage::AboutYou)),
            Ok(())
        );
        assert_eq!(
            APPROVAL.accepts(Step::Stage(Stage::Finances), Some(Stage::AboutYou)),
            Err(Refusal::SendFirst(Stage::Identity))
        );
        assert_eq!(
            APPROVAL.accepts(Step::Stage(Stage::Finances), Some(Stage::Identity)),
            Ok(())
        );
        assert_eq!(
            CONNECTFI.accepts(Step::Stage(Stage::Identity), Some(Stage::AboutYou)),
            Err(Refusal::NoSuchStage(Stage::Identity))
        );
        assert_eq!(
            CONNECTFI.accepts(Step::Stage(Stage::Finances), Some(Stage::AboutYou)),
            Ok(())
        );
    }

    #[test]
    fn refusals_say_what_to_send_instead() {
        assert_eq!(
            Refusal::SendFirst(Stage::Identity).message(),
            "Send the identity and address stage first."
        );
        assert_eq!(
            Refusal::LeadCaptureOnly.message(),
            "This placement's journey is Lead Capture: send its one form to /api/v1/leads."
        );
        assert_eq!(Refusal::AlreadyDecided.code(), ErrorCode::AlreadyDecided);
        assert_eq!(Refusal::CannotSave.code(), ErrorCode::StageOutOfOrder);
    }
}

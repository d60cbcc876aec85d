//! The three stages the customer fills in. Each is a plain form: it checks its fields with
//! the core crate's rules and hands a valid form to `on_submit`; sending it is the
//! journey's job, so the stages can be tested without a server.

mod about_you;
mod finances;
mod identity;

pub use about_you::AboutYouStage;
pub use finances::FinancesStage;
pub use identity::IdentityStage;

use crate::form::FormState;
use leptos::prelude::*;
use onboarding_core::api::Journey;
use onboarding_core::forms::FormContext;
use onboarding_core::{CalendarDate, FieldError};

/// What every stage is given.
#[derive(Clone)]
pub struct StageProps {
    /// The journey's data: market, terms and reference data.
    pub journey: std::sync::Arc<Journey>,
    /// True while the stage is being sent.
    pub busy: Signal<bool>,
    /// Field errors the server reported for the last submit.
    pub server_errors: Signal<Vec<FieldError>>,
    /// Whether the heading takes focus (not on the first stage of a fresh load).
    pub focus: bool,
}

impl StageProps {
    /// Runs `f` with the rules' context for this journey.
    pub fn with_context<T>(
        journey: &Journey,
        terms_version: &str,
        f: impl FnOnce(&FormContext<'_>) -> T,
    ) -> T {
        let today = CalendarDate::parse_iso(&journey.market.today)
            .unwrap_or_else(|| CalendarDate::from_days_since_epoch(0));
        f(&FormContext {
            market: journey.market.market,
            reference_data: &journey.reference_data,
            today,
            terms_version,
        })
    }

    /// Shows the server's field errors in `form` whenever a submit brings some.
    pub fn forward_server_errors(&self, form: FormState) {
        let server_errors = self.server_errors;
        Effect::new(move |_| {
            let errors = server_errors.get();
            if !errors.is_empty() {
                form.show_all(errors);
            }
        });
    }
}

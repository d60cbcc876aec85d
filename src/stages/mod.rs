//! The three stages the customer fills in. Each is a plain form: it checks its fields with
//! the core crate's rules and hands a valid form to `on_submit`; sending it is the
//! journey's job, so the stages can be tested without a server.

mod about_you;
mod finances;
mod identity;

pub use about_you::AboutYouStage;
pub use finances::FinancesStage;
pub use identity::IdentityStage;

use crate::form::{ErrorSummary, FormState, StageHeading, SubmitButton};
use crate::words::t;
use leptos::prelude::*;
use onboarding_core::api::Journey;
use onboarding_core::forms::FormContext;
use onboarding_core::{CalendarDate, FieldError, Phrase, Stage};

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

    /// The form state of a stage whose fields `check` checks against this journey's rules.
    pub fn form_state(
        &self,
        terms_version: String,
        check: impl Fn(&FormContext<'_>) -> Vec<FieldError> + Send + Sync + 'static,
    ) -> FormState {
        let journey = self.journey.clone();
        FormState::new(self.journey.market.market, move || {
            Self::with_context(&journey, &terms_version, &check)
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

/// The frame every stage shares: heading, introduction, error summary, the stage's fields,
/// and the submit button. Submitting checks every field and calls `on_valid` only when all
/// of them pass.
#[component]
pub fn StageForm(
    stage: Stage,
    intro: &'static str,
    submit_label: &'static str,
    props: StageProps,
    form: FormState,
    on_valid: Callback<()>,
    children: Children,
) -> impl IntoView {
    props.forward_server_errors(form);
    view! {
        <form
            class="stage"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                if form.check_all() {
                    on_valid.run(());
                }
            }
        >
            <StageHeading text=t(Phrase::title(stage)) focus=props.focus />
            <p class="intro">{intro}</p>
            <ErrorSummary form />
            {children()}
            <SubmitButton label=submit_label busy=props.busy />
        </form>
    }
}

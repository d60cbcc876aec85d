//! Where the customer is among the stages of the placement's journey.

use crate::words::{t, t_with};
use leptos::prelude::*;
use onboarding_core::{Phrase, Stage};

/// The progress indicator: the journey's stages, the current one marked for assistive tech.
/// `stages` are the forms of this journey in order (some placements skip one), so numbers
/// come from their position there rather than from the stage itself.
#[component]
pub fn ProgressIndicator(stages: Vec<Stage>, stage: Signal<Stage>) -> impl IntoView {
    let count = stages.len();
    let position = {
        let stages = stages.clone();
        move || stages.iter().position(|s| *s == stage.get())
    };
    view! {
        <nav class="progress" aria-label=t(Phrase::ProgressLabel)>
            <p class="progress-text">
                // Only the result is not among the forms.
                {move || match position() {
                    Some(index) => t_with(Phrase::StepOf, &[("step", &(index + 1).to_string()), ("count", &count.to_string())]),
                    None => t(Phrase::ApplicationComplete).to_owned(),
                }}
            </p>
            <ol>
                {stages
                    .into_iter()
                    .map(|s| {
                        view! {
                            <li
                                class:done=move || { stage.get() > s }
                                class:current=move || stage.get() == s
                                aria-current=move || (stage.get() == s).then_some("step")
                            >
                                <span class="visually-hidden">{move || { if stage.get() > s { t(Phrase::Completed) } else { "" } }} " "</span>
                                {t(Phrase::title(s))}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

//! Where the customer is among the stages of the placement's journey.

use leptos::prelude::*;
use onboarding_core::Stage;

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
        <nav class="progress" aria-label="Application progress">
            <p class="progress-text">
                // Only the result is not among the forms.
                {move || match position() {
                    Some(index) => format!("Step {} of {count}", index + 1),
                    None => "Application complete".to_owned(),
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
                                <span class="visually-hidden">{move || { if stage.get() > s { "Completed: " } else { "" } }}</span>
                                {s.title()}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

//! Where the customer is among the three stages.

use leptos::prelude::*;
use onboarding_core::Stage;

/// The progress indicator: the three stages, the current one marked for assistive tech.
#[component]
pub fn ProgressIndicator(stage: Signal<Stage>) -> impl IntoView {
    view! {
        <nav class="progress" aria-label="Application progress">
            <p class="progress-text">
                {move || match stage.get() {
                    Stage::Result => "Application complete".to_owned(),
                    current => format!("Step {} of {}", current.number(), Stage::FORMS.len()),
                }}
            </p>
            <ol>
                {Stage::FORMS
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

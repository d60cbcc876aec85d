//! The journey: shows the stage the application is at, sends each stage (and the acceptance
//! of an offer) to the BFF, and turns every answer into what the customer sees next.

use crate::api::{self, Problem, StageSubmission};
use crate::progress::ProgressIndicator;
use crate::result::{FollowUpView, ResultView};
use crate::stages::{AboutYouStage, FinancesStage, IdentityStage, StageProps};
use crate::words::{t, t_with};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onboarding_core::api::{ErrorCode, Journey, JourneyKind, Progress};
use onboarding_core::embed::PartnerEvent;
use onboarding_core::forms::LeadForm;
use onboarding_core::{FieldError, Phrase, Stage};
use std::sync::Arc;

/// A failed request as the customer is told it, with the request to send again if a retry can help.
#[derive(Clone)]
struct ProblemNotice {
    text: &'static str,
    retry: Option<StageSubmission>,
    session_ended: bool,
}

/// A new idempotency key: one per attempt at a stage, reused when that attempt is retried.
fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_default()
}

/// The whole journey of a session; `kept` says whether a reload would find it again.
#[component]
pub fn JourneyView(token: String, journey: Journey, kept: bool) -> impl IntoView {
    let progress = RwSignal::new(journey.progress.clone());
    let journey = Arc::new(journey);
    let stage = Memo::new(move |_| progress.with(|p| p.stage));
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ProblemNotice>);
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    let key = StoredValue::new(new_key());
    // The offer the current key was used for: choosing another one is a new request, and
    // must not be answered with the stored answer of the last.
    let key_offer = StoredValue::new(String::new());
    // The first stage shown keeps focus where the page put it; later stages take it.
    let arrived = StoredValue::new(false);
    let token = StoredValue::new(token);
    crate::partner::connect(&journey.partner);
    // The page hears of every stage the customer reaches, the first one included.
    Effect::new(move |_| {
        crate::partner::tell(PartnerEvent::StageChanged {
            stage: stage.get().as_str().to_owned(),
        })
    });

    let send = move |submission: StageSubmission| {
        if let StageSubmission::AcceptOffer(_, offer) = &submission {
            if key_offer.with_value(|k| k != offer) {
                key.set_value(new_key());
                key_offer.set_value(offer.clone());
            }
        }
        busy.set(true);
        problem.set(None);
        server_errors.set(Vec::new());
        spawn_local(async move {
            let answer =
                api::submit(&token.get_value(), &key.get_value(), submission.clone()).await;
            busy.set(false);
            match answer {
                Ok(next) => {
                    key.set_value(new_key());
                    arrived.set_value(true);
                    progress.set(next);
                }
                Err(Problem::Api(error)) if error.code == ErrorCode::InvalidInput => {
                    server_errors.set(error.fields)
                }
                Err(Problem::Api(error)) => {
                    let session_ended = error.code == ErrorCode::SessionRequired;
                    if session_ended {
                        crate::partner::tell(PartnerEvent::Error {
                            code: "session_required".to_owned(),
                        });
                    }
                    problem.set(Some(ProblemNotice {
                        text: t(Phrase::problem(error.code)),
                        retry: error.retryable.then_some(submission),
                        session_ended,
                    }))
                }
                Err(Problem::Network) => problem.set(Some(ProblemNotice {
                    text: t(Phrase::NetworkProblem),
                    retry: Some(submission),
                    session_ended: false,
                })),
            }
        });
    };

    // Where nothing survives a reload, stage 1 says so before the customer types. The words
    // show a moment after their live region is there, so screen readers announce them.
    let not_kept = RwSignal::new(false);
    if !kept {
        set_timeout(
            move || not_kept.set(true),
            std::time::Duration::from_millis(100),
        );
    }

    let reference = move || progress.with(|p| p.reference.clone());
    let view_journey = journey.clone();
    let leaving = journey.clone();
    let lead_capture = journey.kind == JourneyKind::LeadCapture;
    let saveable = journey.saveable;
    view! {
        <div class="journey">
            <ProgressIndicator stages=journey.stages.clone() stage=stage.into() />
            <div role="status">
                <p class="notice" id="not-kept" hidden=move || !not_kept.get() || stage.get() != Stage::AboutYou>{t(Phrase::NotKeptHere)}</p>
            </div>
            {move || reference().filter(|_| stage.get() != Stage::Result).map(|r| view! {
                <p class="reference">{t(Phrase::ApplicationReference)} " " <strong id="application-reference">{r}</strong></p>
            })}
            <ProblemBanner problem on_retry=Callback::new(send) />
            {move || {
                let props = StageProps { journey: view_journey.clone(), busy: busy.into(), server_errors: server_errors.into(), focus: arrived.get_value() };
                let reference = reference().unwrap_or_default();
                match stage.get() {
                    Stage::AboutYou if lead_capture => view! { <AboutYouStage props on_submit=Callback::new(move |f| send(StageSubmission::Lead(f))) /> }.into_any(),
                    Stage::AboutYou => view! { <AboutYouStage props on_submit=Callback::new(move |f: LeadForm| send(StageSubmission::AboutYou(f.about))) /> }.into_any(),
                    Stage::Identity => view! { <IdentityStage props on_submit=Callback::new(move |f| send(StageSubmission::Identity(reference.clone(), f))) /> }.into_any(),
                    Stage::Finances => view! { <FinancesStage props on_submit=Callback::new(move |f| send(StageSubmission::Finances(reference.clone(), f))) /> }.into_any(),
                    Stage::Result => match progress.with_untracked(|p: &Progress| (p.decision.clone(), p.follow_up, p.return_to.clone())) {
                        (Some(decision), ..) => view! { <ResultView journey=view_journey.clone() reference=reference.clone() decision focus=props.focus busy=props.busy return_to=Signal::derive(move || progress.with(|p| p.return_to.clone())) on_accept=Callback::new(move |offer| send(StageSubmission::AcceptOffer(reference.clone(), offer))) /> }.into_any(),
                        (None, Some(follow_up), return_to) => view! { <FollowUpView journey=view_journey.clone() reference follow_up focus=props.focus return_to /> }.into_any(),
                        (None, None, _) => view! { <p role="alert">{t(Phrase::Internal)}</p> }.into_any(),
                    },
                }
            }}
            // Once the bank has the application, it can be saved for the customer to continue
            // on the bank's own channel; a lead is sent whole, so there is nothing to save.
            {move || (saveable && reference().is_some() && stage.get() != Stage::Result).then(|| view! {
                <button type="button" class="secondary" id="save-and-exit" disabled=move || busy.get() on:click=move |_| send(StageSubmission::Save(reference().unwrap_or_default()))>
                    {t(Phrase::SaveAndExit)}
                </button>
            })}
            {move || (stage.get() != Stage::Result).then(|| {
                let leaving = leaving.clone();
                view! {
                    <button type="button" class="leave" id="leave" on:click=move |_| crate::partner::leave(&leaving.partner, stage.get_untracked().as_str())>
                        {t_with(Phrase::Leave, &[("partner", &leaving.partner.name)])}
                    </button>
                }
            })}
        </div>
    }
}

/// A failed request: what happened, and "Try again" where a retry can help.
#[component]
fn ProblemBanner(
    problem: RwSignal<Option<ProblemNotice>>,
    on_retry: Callback<StageSubmission>,
) -> impl IntoView {
    move || {
        problem.get().map(|notice| {
            let retry = notice.retry.clone();
            view! {
                <div class="problem" role="alert">
                    <p>{notice.text}</p>
                    {retry.map(|submission| view! {
                        <button type="button" class="secondary" on:click=move |_| on_retry.run(submission.clone())>{t(Phrase::TryAgain)}</button>
                    })}
                    {notice.session_ended.then(|| view! {
                        <button type="button" class="secondary" on:click=move |_| {
                            crate::session_store::forget();
                            let _ = window().location().reload();
                        }>{t(Phrase::StartAgain)}</button>
                    })}
                </div>
            }
        })
    }
}

//! The card application widget: opened by a partner page (iframe), it takes the customer
//! through the placement's stages to the bank's in-principle decision and back to the partner.

pub mod api;
pub mod form;
pub mod intl;
pub mod journey;
pub mod json;
pub mod partner;
pub mod progress;
pub mod result;
pub mod session_store;
pub mod stages;
pub mod words;

// Talc instead of the standard library's dlmalloc: measured 0.8 KB less gzipped download,
// and no slower. The widget runs on single-threaded wasm only (its tests too).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use api::Problem;
use journey::JourneyView;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onboarding_core::api::{ErrorCode, Journey, ResumeSession, StartSession};
use onboarding_core::Phrase;
use words::t;

/// What the widget shows before the journey is ready.
#[derive(Clone)]
enum Loading {
    Waiting,
    /// The token, the journey, and whether a reload finds the session again.
    Ready(String, Box<Journey>, bool),
    Failed(&'static str),
}

/// The widget: resumes this tab's session or starts one for the placement in the URL.
#[component]
pub fn App() -> impl IntoView {
    words::load();
    let state = RwSignal::new(Loading::Waiting);
    spawn_local(async move { state.set(open_session().await) });
    view! {
        <main class="widget">
            <h1 class="visually-hidden">{t(Phrase::ApplicationHeading)}</h1>
            {move || match state.get() {
                Loading::Waiting => view! { <p class="loading" role="status">{t(Phrase::Loading)}</p> }.into_any(),
                Loading::Ready(token, journey, kept) => view! { <JourneyView token journey=*journey kept /> }.into_any(),
                Loading::Failed(text) => view! { <div class="problem" role="alert"><p>{text}</p></div> }.into_any(),
            }}
        </main>
    }
}

async fn open_session() -> Loading {
    let (placement, resume) = placement();
    session_store::use_placement(
        &placement.partner,
        &placement.market,
        placement.placement.as_deref().unwrap_or_default(),
    );
    if let Some(token) = session_store::load() {
        match api::current_session(&token).await {
            Ok(journey) => return Loading::Ready(token, Box::new(journey), true),
            // An ended session is replaced by a new one; anything else is reported.
            Err(Problem::Api(e)) if e.code == ErrorCode::SessionRequired => session_store::forget(),
            Err(problem) => return Loading::Failed(describe(&problem)),
        }
    }
    // No token kept here: the partner's page may have kept a handle instead.
    let mut started = None;
    if let Some(handle) = resume.as_ref().filter(|handle| !handle.is_empty()) {
        let resuming = ResumeSession {
            handle: handle.clone(),
            partner: placement.partner.clone(),
            market: placement.market.clone(),
        };
        match api::resume_session(&resuming).await {
            Ok(resumed) => started = Some(resumed),
            // A used or ended handle is replaced by a new application, as an ended session is.
            Err(Problem::Api(e)) if e.code == ErrorCode::SessionRequired => {}
            Err(problem) => return Loading::Failed(describe(&problem)),
        }
    }
    let started = match started {
        Some(started) => started,
        None => match api::start_session(&placement).await {
            Ok(started) => started,
            Err(problem) => return Loading::Failed(describe(&problem)),
        },
    };
    // Where the frame's storage is blocked, a page that keeps handles (`resume` on the
    // frame's URL: the loader, or a partner's own frame) keeps this one; elsewhere nothing
    // survives a reload, and the customer is told before typing.
    let kept = session_store::save(&started.token)
        || resume.is_some_and(|_| {
            partner::keep_resume_handle(started.resume_handle);
            true
        });
    Loading::Ready(started.token, Box::new(started.journey), kept)
}

fn describe(problem: &Problem) -> &'static str {
    match problem {
        Problem::Api(e) => t(Phrase::problem(e.code)),
        Problem::Network => t(Phrase::NetworkProblem),
    }
}

/// The placement the page was opened with, and the resume handle its page passed if it
/// keeps them (`""` until it has one):
/// `/apply?partner=..&market=..&return_url=..[&placement=..][&resume=..]`.
fn placement() -> (StartSession, Option<String>) {
    let search = window().location().search().unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    let get = |name: &str| {
        params
            .as_ref()
            .and_then(|p| p.get(name))
            .unwrap_or_default()
    };
    let resume = params.as_ref().and_then(|p| p.get("resume"));
    let start = StartSession {
        partner: get("partner"),
        market: get("market"),
        return_url: get("return_url"),
        // The partner's server placed what the link cannot carry (a connectFi customer).
        placement: Some(get("placement")).filter(|p| !p.is_empty()),
        // The BFF wrote the page in the language it resolved; the session takes the same.
        language: document()
            .document_element()
            .map(|root| root.get_attribute("lang").unwrap_or_default()),
    };
    (start, resume)
}

//! The partner page that embeds the widget: the messages it is told (ready, stage changed,
//! resize, completed, exited, error, resume handle; see `onboarding_core::embed`), and
//! going back to it.

use onboarding_core::api::PartnerView;
use onboarding_core::embed::{PartnerEvent, PartnerMessage};
use onboarding_core::Outcome;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The partner's exact origin, from the session (the partners file), never from a message.
    static PARTNER_ORIGIN: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The last message's number.
    static SEQ: Cell<u32> = const { Cell::new(0) };
    /// The resume handle to give the page once connected (see [`keep_resume_handle`]).
    static RESUME_HANDLE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Has the page that asked for it keep this resume handle: it is posted, right after
/// `ready`, to the partner's exact origin only. For where the browser keeps nothing for the
/// frame; the handle is useless anywhere but on the widget's own page.
pub fn keep_resume_handle(handle: String) {
    RESUME_HANDLE.with(|h| *h.borrow_mut() = Some(handle));
}

/// Starts telling the partner page: `ready` now, then the widget's height on every layout
/// change (so the page sizes the frame and the submit button stays reachable).
pub fn connect(partner: &PartnerView) {
    PARTNER_ORIGIN.with(|o| *o.borrow_mut() = Some(partner.origin.clone()));
    tell(PartnerEvent::Ready);
    if let Some(handle) = RESUME_HANDLE.with(|h| h.borrow_mut().take()) {
        tell(PartnerEvent::ResumeHandle { handle });
    }
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let measured = root.clone();
    let on_resize = Closure::<dyn FnMut()>::new(move || {
        // An HTML document's root element is always an HTMLElement.
        let root: &web_sys::HtmlElement = measured.unchecked_ref();
        let height = u32::try_from(root.offset_height()).unwrap_or(0);
        // The observer only calls when the size changed.
        tell(PartnerEvent::Resize { height });
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        observer.observe(&root);
    }
    // The observer lives as long as the page, and so must its callback.
    on_resize.forget();
}

/// Posts a message to the embedding page, only to the partner's exact origin, and only
/// when the widget is framed.
pub fn tell(event: PartnerEvent) {
    let Some(origin) = PARTNER_ORIGIN.with(|o| o.borrow().clone()) else {
        return;
    };
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if JsValue::from(parent.clone()) == JsValue::from(window) {
        return;
    }
    let seq = SEQ.get() + 1;
    SEQ.set(seq);
    let message = PartnerMessage::new(seq, event);
    if let Some(payload) = crate::json::to_string(&message)
        .ok()
        .and_then(|json| js_sys::JSON::parse(&json).ok())
    {
        let _ = parent.post_message(&payload, &origin);
    }
}

/// Tells the embedding page the application is complete and sends the whole page back to
/// the partner's return URL with the result the BFF signed into it (the BFF signs every
/// decided application's; the plain return URL is only a fallback that carries no result).
pub fn go_back(partner: &PartnerView, reference: &str, outcome: Outcome, signed: Option<String>) {
    tell(PartnerEvent::Completed {
        reference: reference.to_owned(),
        outcome,
    });
    crate::session_store::forget();
    navigate_top(&signed.unwrap_or_else(|| partner.return_url.clone()));
}

/// Tells the embedding page the customer left at `stage` without a decision and sends the
/// whole page back to the partner's plain return URL. The session is kept, so coming back
/// in this tab resumes where the customer left.
pub fn leave(partner: &PartnerView, stage: &str) {
    tell(PartnerEvent::Exited {
        stage: stage.to_owned(),
    });
    navigate_top(&partner.return_url);
}

fn navigate_top(href: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let top = window.top().ok().flatten().unwrap_or(window);
    let _ = top.location().set_href(href);
}

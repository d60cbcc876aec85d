//! Going back to the partner: a message to the embedding page, then the top window to
//! the partner's return URL.

use onboarding_core::api::PartnerView;
use onboarding_core::embed::{PartnerEvent, PartnerMessage};
use wasm_bindgen::JsValue;

/// Posts the completion message to the embedding page (only to the partner's exact origin)
/// and sends the whole page back to the partner's return URL with the outcome.
pub fn go_back(partner: &PartnerView, reference: &str, outcome: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let message = PartnerMessage::new(PartnerEvent::Completed {
        reference: reference.to_owned(),
        outcome: outcome.to_owned(),
    });
    if let (Ok(Some(parent)), Ok(json)) = (window.parent(), crate::json::to_string(&message)) {
        let framed = JsValue::from(parent.clone()) != JsValue::from(window.clone());
        if let (true, Ok(payload)) = (framed, js_sys::JSON::parse(&json)) {
            let _ = parent.post_message(&payload, &partner.origin);
        }
    }
    crate::session_store::forget();
    let Ok(url) = web_sys::Url::new(&partner.return_url) else {
        return;
    };
    url.search_params().append("reference", reference);
    url.search_params().append("outcome", outcome);
    let top = window.top().ok().flatten().unwrap_or(window);
    let _ = top.location().set_href(&url.href());
}

//! The session token, kept in sessionStorage so a reload resumes the same application.
//! It never goes into a cookie: browsers block third-party cookies in frames. The token is
//! kept per placement (partner, market and the partner server's placement token, which
//! names one customer): the same tab opening another placement starts that placement's own
//! application rather than resuming the other's, another customer's above all. Where the browser
//! gives the partner's frame no storage at all, the partner's page keeps a resume handle
//! instead (see `partner::keep_resume_handle`).

use std::cell::RefCell;

thread_local! {
    /// The storage key of this page's placement.
    static KEY: RefCell<String> = RefCell::new(String::from("card-application-session"));
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Keeps this page's token under its placement from now on.
pub fn use_placement(partner: &str, market: &str, token: &str) {
    KEY.with(|key| {
        *key.borrow_mut() = format!("card-application-session:{partner}:{market}:{token}")
    });
}

/// The token saved for this tab and placement, if any.
pub fn load() -> Option<String> {
    KEY.with(|key| storage()?.get_item(&key.borrow()).ok().flatten())
}

/// Saves the token for this tab; `false` where the browser keeps nothing for the frame
/// (its storage is blocked, as third-party storage often is): the token then lives in
/// memory only, and only the partner's page can keep a way back (see `lib.rs`).
pub fn save(token: &str) -> bool {
    storage().is_some_and(|storage| KEY.with(|key| storage.set_item(&key.borrow(), token).is_ok()))
}

/// Forgets the token (journey finished, or the session ended).
pub fn forget() {
    if let Some(storage) = storage() {
        KEY.with(|key| {
            let _ = storage.remove_item(&key.borrow());
        });
    }
}

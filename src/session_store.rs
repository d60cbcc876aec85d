//! The session token, kept in sessionStorage so a reload resumes the same application.
//! It never goes into a cookie: browsers block third-party cookies in frames.

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

const KEY: &str = "card-application-session";

/// The token saved for this tab, if any.
pub fn load() -> Option<String> {
    storage()?.get_item(KEY).ok().flatten()
}

/// Saves the token for this tab (storage may be blocked: the session then lives in memory only).
pub fn save(token: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(KEY, token);
    }
}

/// Forgets the token (journey finished, or the session ended).
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}

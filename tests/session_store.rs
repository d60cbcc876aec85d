//! Component tests: the tab's saved session, in a real browser's sessionStorage.

use card_widget::session_store;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn another_customers_placement_in_the_same_tab_does_not_resume_the_first_customers_session() {
    session_store::use_placement("test-fintech", "SG", "plt_first");
    assert!(session_store::save("token-of-the-first-customer"));

    // The partner's server placed a second customer in the same tab.
    session_store::use_placement("test-fintech", "SG", "plt_second");
    assert_eq!(session_store::load(), None);

    // The first customer's own reload still resumes.
    session_store::use_placement("test-fintech", "SG", "plt_first");
    assert_eq!(
        session_store::load().as_deref(),
        Some("token-of-the-first-customer")
    );
    session_store::forget();
    assert_eq!(session_store::load(), None);
}

#[wasm_bindgen_test]
fn a_placement_without_a_token_resumes_by_partner_and_market() {
    session_store::use_placement("test-partner", "SG", "");
    assert!(session_store::save("token"));
    session_store::use_placement("test-partner", "MY", "");
    assert_eq!(session_store::load(), None);
    session_store::use_placement("test-partner", "SG", "");
    assert_eq!(session_store::load().as_deref(), Some("token"));
    session_store::forget();
}

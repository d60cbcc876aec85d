//! The Terms and Conditions the customer accepts in stage 1.

use onboarding_core::api::Terms;
use onboarding_core::Market;

/// The terms currently offered in a market. Changing the text means a new version, so the
/// consent records always say which text was accepted.
pub fn current_terms(market: Market) -> Terms {
    match market {
        Market::Singapore => Terms {
            version: "SG-EN-2026-11".into(),
            title: "Terms and Conditions of the card application".into(),
            paragraphs: [
                "By applying, you ask the bank to consider you for the credit card offered on this page and agree that the bank may use the details you give here to assess your application.",
                "You allow the bank to check your identity and your credit history with credit bureaus and screening services in Singapore, and to keep the results with your application.",
                "The partner website you came from does not see the details you enter, only whether your application was approved, referred or declined, and its reference number.",
                "An in-principle approval is not a final approval. The bank may ask for documents and confirm the credit limit after checking them. The in-principle approval lapses on the date shown.",
                "The bank keeps your application and this consent as the law requires, and you may ask the bank for a copy of the personal data it holds about you.",
            ]
            .map(str::to_owned)
            .to_vec(),
        },
    }
}

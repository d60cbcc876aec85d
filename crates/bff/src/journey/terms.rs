//! The Terms and Conditions the customer accepts in stage 1.

use onboarding_core::api::Terms;
use onboarding_core::Market;

/// The month the current text was issued, the last part of every market's version.
const ISSUED: &str = "2026-11";

/// The terms currently offered in a market: one English text, naming the market where the
/// bank's checks happen. Changing the text means a new version, so the consent records
/// always say which text was accepted; the version names the market too, because the same
/// words accepted in two markets are two consents.
pub fn current_terms(market: Market) -> Terms {
    Terms {
        version: format!("{}-EN-{ISSUED}", market.code()),
        title: "Terms and Conditions of the card application".into(),
        paragraphs: vec![
            "By applying, you ask the bank to consider you for the credit card offered on this page and agree that the bank may use the details you give here to assess your application.".into(),
            format!("You allow the bank to check your identity and your credit history with credit bureaus and screening services in {}, and to keep the results with your application.", market.name_in_sentence()),
            "The partner website you came from does not see the details you enter, only whether your application was approved, referred or declined, and its reference number.".into(),
            "An in-principle approval is not a final approval. The bank may ask for documents and confirm the credit limit after checking them. The in-principle approval lapses on the date shown.".into(),
            "The bank keeps your application and this consent as the law requires, and you may ask the bank for a copy of the personal data it holds about you.".into(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_market_has_its_own_version_and_names_itself() {
        let sg = current_terms(Market::Singapore);
        assert_eq!(sg.version, "SG-EN-2026-11");
        assert!(sg.paragraphs[1].contains("services in Singapore,"));
        let ph = current_terms(Market::Philippines);
        assert_eq!(ph.version, "PH-EN-2026-11");
        assert!(ph.paragraphs[1].contains("in the Philippines,"));
        let versions: std::collections::HashSet<_> =
            Market::ALL.map(|m| current_terms(m).version).into();
        assert_eq!(versions.len(), Market::ALL.len());
    }
}

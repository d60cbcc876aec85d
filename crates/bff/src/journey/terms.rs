//! The Terms and Conditions the customer accepts in stage 1.

use onboarding_core::api::Terms;
use onboarding_core::{Language, Market, Phrase};

/// The month the current text was issued, the last part of every version.
const ISSUED: &str = "2026-11";

/// The paragraphs of the text, in order.
const PARAGRAPHS: [Phrase; 5] = [
    Phrase::TermsAssessment,
    Phrase::TermsChecks,
    Phrase::TermsPartner,
    Phrase::TermsInPrinciple,
    Phrase::TermsRecords,
];

/// The terms offered in a market, in the customer's language. Changing the text means a
/// new version, so the consent records always say which text was accepted. The version
/// names the market and the language: the same words accepted in two markets are two
/// consents, and a translation is a text of its own.
pub fn current_terms(market: Market, language: Language) -> Terms {
    Terms {
        version: terms_version(market, language),
        title: Phrase::TermsTitle.in_language(language).into(),
        paragraphs: PARAGRAPHS
            .iter()
            .map(|p| p.in_language(language).to_owned())
            .collect(),
    }
}

/// The version of the terms offered in a market and language, which a stage's consent
/// records, without building their text.
pub fn terms_version(market: Market, language: Language) -> String {
    format!(
        "{}-{}-{ISSUED}",
        market.code(),
        language.tag().to_ascii_uppercase()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_market_and_language_has_its_own_version() {
        let sg = current_terms(Market::Singapore, Language::English);
        assert_eq!(sg.version, "SG-EN-2026-11");
        assert_eq!(sg.paragraphs.len(), 5);
        let hk = current_terms(Market::HongKong, Language::TraditionalChinese);
        assert_eq!(hk.version, "HK-ZH-HANT-2026-11");
        assert_eq!(
            hk.title,
            Phrase::TermsTitle.in_language(Language::TraditionalChinese)
        );
        let versions: std::collections::HashSet<_> = Market::ALL
            .iter()
            .flat_map(|m| m.languages().iter().map(|l| current_terms(*m, *l).version))
            .collect();
        let texts: usize = Market::ALL.iter().map(|m| m.languages().len()).sum();
        assert_eq!(versions.len(), texts);
    }
}

//! The sandbox's credit decision: documented test inputs first, then simple rules shaped
//! like a Singapore card issuer's. A pure function of the application, so every outcome
//! can be reproduced on purpose. Every market that takes applications (APAC and EMEA) is
//! decided by these rules, amounts read in its own currency with the same numbers: the
//! test inputs then work alike everywhere, which matters more in a sandbox than a realistic
//! minimum income per country.

use bank_api::{Applicant, BankErrorCode, CreditDecision};

/// Singapore's minimum annual income for an unsecured credit card, in SGD.
pub const MINIMUM_ANNUAL_INCOME: f64 = 30_000.0;
/// From this annual income on, the limit is four months' income instead of two.
pub const HIGHER_MULTIPLIER_FROM: f64 = 120_000.0;
/// The highest limit the sandbox recommends, in SGD.
pub const MAXIMUM_CREDIT_LIMIT: f64 = 200_000.0;
/// Surname that yields a referral (`002`) whatever the rest of the application says.
pub const REFERRAL_SURNAME: &str = "Referral";
/// Surname that yields a rejection (`003`) whatever the rest of the application says.
pub const DECLINE_SURNAME: &str = "Decline";
/// Surname that yields a rejection of the card applied for with two counter-offers: the
/// same card at a lower limit, and another card.
pub const COUNTER_OFFER_SURNAME: &str = "Counteroffer";
/// Surname that yields an approval with a cross-sell offer beside it.
pub const CROSS_SELL_SURNAME: &str = "Crosssell";
/// The other card the bank counter-offers.
pub const OTHER_CARD_PRODUCT: &str = "VC410";
/// The credit line the bank cross-sells.
pub const CROSS_SELL_PRODUCT: &str = "RC100";

/// A credit decision and, when approved, the recommended limit.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// `000`, `002` or `003`.
    pub credit_decision: CreditDecision,
    /// In SGD; only for an approval.
    pub recommended_credit_limit: Option<f64>,
    /// Offered instead of the card applied for.
    pub counter_offers: Vec<OfferTerms>,
    /// Offered beside the card applied for.
    pub cross_sell_offers: Vec<OfferTerms>,
}

/// One product the bank offers, with its limit.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferTerms {
    /// The `offerSequenceId` that names it on acceptance.
    pub sequence_id: &'static str,
    /// The product offered; `None` for the card applied for (at another limit).
    pub product_code: Option<&'static str>,
    /// In SGD.
    pub credit_limit: f64,
}

/// What the IPA answers once screening is complete.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A decision, which the bank then remembers.
    Decided(Decision),
    /// An error answer chosen by a test surname; nothing is remembered, so it repeats.
    Error(BankErrorCode),
}

/// Decides on an application whose screening is complete.
pub fn decide(applicant: &Applicant) -> Outcome {
    let surname = applicant
        .name
        .as_ref()
        .and_then(|n| n.surname.as_deref())
        .map(str::trim)
        .unwrap_or_default();
    if let Some(code) = BankErrorCode::from_code(surname) {
        return Outcome::Error(code);
    }
    if surname.eq_ignore_ascii_case(REFERRAL_SURNAME) {
        return Outcome::Decided(referred());
    }
    if surname.eq_ignore_ascii_case(DECLINE_SURNAME) {
        return Outcome::Decided(rejected());
    }
    // Offers are sized from the income, at least the minimum, so the test input works
    // whatever income the tester typed.
    let offer_limit = credit_limit(annual_income(applicant).max(MINIMUM_ANNUAL_INCOME));
    if surname.eq_ignore_ascii_case(COUNTER_OFFER_SURNAME) {
        return Outcome::Decided(Decision {
            counter_offers: vec![
                OfferTerms {
                    sequence_id: "1",
                    product_code: None,
                    credit_limit: half(offer_limit),
                },
                OfferTerms {
                    sequence_id: "2",
                    product_code: Some(OTHER_CARD_PRODUCT),
                    credit_limit: offer_limit,
                },
            ],
            ..rejected()
        });
    }
    if surname.eq_ignore_ascii_case(CROSS_SELL_SURNAME) {
        return Outcome::Decided(Decision {
            cross_sell_offers: vec![OfferTerms {
                sequence_id: "1",
                product_code: Some(CROSS_SELL_PRODUCT),
                credit_limit: half(offer_limit),
            }],
            ..approved(offer_limit)
        });
    }

    let status = applicant
        .employment_details
        .first()
        .map(|e| e.employment_status.as_str())
        .unwrap_or_default();
    let income = annual_income(applicant);
    let decision = if matches!(status, "UNEMPLOYED" | "STUDENT") || income < MINIMUM_ANNUAL_INCOME {
        rejected()
    } else if matches!(status, "SELF_EMPLOYED" | "RETIRED") {
        // Such incomes cannot be verified from an employer, only from documents.
        referred()
    } else {
        approved(credit_limit(income))
    };
    Outcome::Decided(decision)
}

/// Annual income in SGD: annual amounts plus twelve times monthly ones; other
/// frequencies do not count.
pub fn annual_income(applicant: &Applicant) -> f64 {
    applicant
        .financial_information
        .iter()
        .flat_map(|f| &f.income_details)
        .map(|income| {
            if income.frequency.eq_ignore_ascii_case("ANNUAL") {
                income.fixed_amount
            } else if income.frequency.eq_ignore_ascii_case("MONTHLY") {
                income.fixed_amount * 12.0
            } else {
                0.0
            }
        })
        .sum()
}

/// Two months' income (four from 120,000 a year), rounded down to hundreds, capped.
pub fn credit_limit(annual_income: f64) -> f64 {
    let months = if annual_income < HIGHER_MULTIPLIER_FROM {
        2.0
    } else {
        4.0
    };
    // One division: floor(income / 12 * months / 100) without compounding rounding errors.
    let hundreds = (annual_income * months / 1_200.0).floor();
    (hundreds * 100.0).min(MAXIMUM_CREDIT_LIMIT)
}

/// Half a limit, rounded down to hundreds.
fn half(limit: f64) -> f64 {
    (limit / 200.0).floor() * 100.0
}

fn approved(limit: f64) -> Decision {
    Decision {
        credit_decision: CreditDecision::Approved,
        recommended_credit_limit: Some(limit),
        counter_offers: Vec::new(),
        cross_sell_offers: Vec::new(),
    }
}

fn referred() -> Decision {
    Decision {
        credit_decision: CreditDecision::Referred,
        ..rejected()
    }
}

/// A rejection (`003`) with no offers.
pub fn rejected() -> Decision {
    Decision {
        credit_decision: CreditDecision::Rejected,
        recommended_credit_limit: None,
        counter_offers: Vec::new(),
        cross_sell_offers: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bank_api::{EmploymentDetail, FinancialInformation, IncomeDetail, Name};

    fn applicant(surname: &str, status: &str, incomes: &[(f64, &str)]) -> Applicant {
        Applicant {
            name: Some(Name {
                salutation: None,
                given_name: "Mei Ling".into(),
                surname: Some(surname.into()),
            }),
            employment_details: vec![EmploymentDetail {
                employment_status: status.into(),
                employer_name: None,
                occupation_code: "PROFESSIONAL".into(),
                industry_code: "IT_TELECOM".into(),
            }],
            financial_information: Some(FinancialInformation {
                income_details: incomes
                    .iter()
                    .map(|(amount, frequency)| IncomeDetail {
                        income_type: "SALARY".into(),
                        fixed_amount: *amount,
                        frequency: (*frequency).into(),
                    })
                    .collect(),
            }),
            ..Applicant::default()
        }
    }

    fn employed(income: f64) -> Applicant {
        applicant("Tan", "EMPLOYED", &[(income, "ANNUAL")])
    }

    fn approved(limit: f64) -> Outcome {
        Outcome::Decided(super::approved(limit))
    }

    #[test]
    fn employed_with_enough_income_is_approved_with_two_or_four_months() {
        assert_eq!(decide(&employed(60_000.0)), approved(10_000.0));
        assert_eq!(decide(&employed(150_000.0)), approved(50_000.0));
        assert_eq!(decide(&employed(30_000.0)), approved(5_000.0));
        assert_eq!(decide(&employed(119_999.0)), approved(19_900.0));
        assert_eq!(decide(&employed(120_000.0)), approved(40_000.0));
    }

    #[test]
    fn limits_round_down_to_hundreds_and_stop_at_the_cap() {
        assert_eq!(credit_limit(45_678.0), 7_600.0);
        assert_eq!(credit_limit(599_999.0), 199_900.0);
        assert_eq!(credit_limit(600_000.0), 200_000.0);
        assert_eq!(credit_limit(5_000_000.0), 200_000.0);
    }

    #[test]
    fn income_below_the_minimum_is_rejected() {
        assert_eq!(decide(&employed(29_999.99)), Outcome::Decided(rejected()));
        assert_eq!(decide(&employed(0.0)), Outcome::Decided(rejected()));
    }

    #[test]
    fn monthly_income_counts_twelve_times_and_other_frequencies_not_at_all() {
        let a = applicant(
            "Tan",
            "EMPLOYED",
            &[(4_000.0, "MONTHLY"), (12_000.0, "ANNUAL")],
        );
        assert_eq!(annual_income(&a), 60_000.0);
        assert_eq!(decide(&a), approved(10_000.0));
        let weekly = applicant("Tan", "EMPLOYED", &[(2_000.0, "WEEKLY")]);
        assert_eq!(annual_income(&weekly), 0.0);
        assert_eq!(decide(&weekly), Outcome::Decided(rejected()));
    }

    #[test]
    fn the_unemployed_and_students_are_rejected_whatever_their_income() {
        for status in ["UNEMPLOYED", "STUDENT"] {
            let a = applicant("Tan", status, &[(500_000.0, "ANNUAL")]);
            assert_eq!(decide(&a), Outcome::Decided(rejected()), "{status}");
        }
    }

    #[test]
    fn the_self_employed_and_retired_are_referred_when_income_is_enough() {
        for status in ["SELF_EMPLOYED", "RETIRED"] {
            let a = applicant("Tan", status, &[(80_000.0, "ANNUAL")]);
            assert_eq!(decide(&a), Outcome::Decided(referred()), "{status}");
            let poor = applicant("Tan", status, &[(20_000.0, "ANNUAL")]);
            assert_eq!(decide(&poor), Outcome::Decided(rejected()), "{status}");
        }
    }

    #[test]
    fn referral_and_decline_surnames_override_the_rules() {
        let rich = [(500_000.0, "ANNUAL")];
        for surname in ["Referral", "REFERRAL", "referral"] {
            let a = applicant(surname, "EMPLOYED", &rich);
            assert_eq!(decide(&a), Outcome::Decided(referred()), "{surname}");
        }
        assert_eq!(
            decide(&applicant("decline", "EMPLOYED", &rich)),
            Outcome::Decided(rejected())
        );
        // Only the whole surname is a test input.
        assert_eq!(
            decide(&applicant("Declined", "EMPLOYED", &rich)),
            approved(166_600.0)
        );
    }

    #[test]
    fn the_counteroffer_surname_offers_a_lower_limit_and_another_card() {
        let Outcome::Decided(decision) = decide(&applicant(
            "Counteroffer",
            "EMPLOYED",
            &[(60_000.0, "ANNUAL")],
        )) else {
            panic!("decided")
        };
        assert_eq!(decision.credit_decision, CreditDecision::Rejected);
        assert_eq!(
            decision.counter_offers,
            vec![
                OfferTerms {
                    sequence_id: "1",
                    product_code: None,
                    credit_limit: 5_000.0
                },
                OfferTerms {
                    sequence_id: "2",
                    product_code: Some(OTHER_CARD_PRODUCT),
                    credit_limit: 10_000.0
                },
            ]
        );
        // A low income still gets offers sized from the minimum income.
        let Outcome::Decided(poor) = decide(&applicant(
            "counteroffer",
            "EMPLOYED",
            &[(1_000.0, "ANNUAL")],
        )) else {
            panic!("decided")
        };
        assert_eq!(poor.counter_offers[1].credit_limit, 5_000.0);
    }

    #[test]
    fn the_crosssell_surname_is_approved_with_a_credit_line_beside_the_card() {
        let Outcome::Decided(decision) =
            decide(&applicant("Crosssell", "EMPLOYED", &[(60_000.0, "ANNUAL")]))
        else {
            panic!("decided")
        };
        assert_eq!(decision.credit_decision, CreditDecision::Approved);
        assert_eq!(decision.recommended_credit_limit, Some(10_000.0));
        assert_eq!(
            decision.cross_sell_offers,
            vec![OfferTerms {
                sequence_id: "1",
                product_code: Some(CROSS_SELL_PRODUCT),
                credit_limit: 5_000.0
            }]
        );
        assert!(decision.counter_offers.is_empty());
    }

    #[test]
    fn every_error_code_surname_answers_that_error() {
        for code in BankErrorCode::ALL {
            let upper = code.code().to_ascii_uppercase();
            for surname in [code.code(), upper.as_str()] {
                let a = applicant(surname, "EMPLOYED", &[(60_000.0, "ANNUAL")]);
                assert_eq!(decide(&a), Outcome::Error(code), "{surname}");
            }
        }
    }
}

//! Valid stage bodies, with the codes the bank's reference data offers.

use onboarding_core::api::Journey;
use onboarding_core::forms::{AboutYouForm, FinancesForm, IdentityForm};
use onboarding_core::ReferenceField;

/// `code` after checking the bank's reference data offers it for `field`.
pub fn offered(journey: &Journey, field: ReferenceField, code: &str) -> String {
    let options = journey.reference_data.options(field);
    assert!(
        options.iter().any(|o| o.code == code),
        "{field:?} offers no {code}: {options:?}"
    );
    code.to_owned()
}

/// The first option the bank offers for `field`, whatever it is.
pub fn first_option(journey: &Journey, field: ReferenceField) -> String {
    let options = journey.reference_data.options(field);
    options
        .first()
        .unwrap_or_else(|| panic!("no options for {field:?}"))
        .code
        .clone()
}

/// A valid stage 1, accepting the terms the session offered.
pub fn about_you_form(journey: &Journey, surname: &str) -> AboutYouForm {
    AboutYouForm {
        title: first_option(journey, ReferenceField::Salutation),
        given_name: "Mei Ling".into(),
        surname: surname.into(),
        date_of_birth: "1990-04-01".into(),
        mobile_number: "9123 4567".into(),
        email: "mei.ling@example.com".into(),
        accepted_terms_version: journey.terms.version.clone(),
    }
}

/// A valid NRIC (S1234567D has the right check letter) and a Singapore address.
pub fn identity_form(journey: &Journey) -> IdentityForm {
    IdentityForm {
        id_type: offered(journey, ReferenceField::IdType, "NRIC"),
        id_number: "S1234567D".into(),
        address_line1: "1 Raffles Place".into(),
        address_line2: "#20-01".into(),
        postal_code: "048616".into(),
        country: offered(journey, ReferenceField::Country, "SG"),
        years_at_address: "5".into(),
    }
}

/// A valid stage 3 with this employment status and annual income.
pub fn finances_form(
    journey: &Journey,
    employment_status: &str,
    annual_income: &str,
) -> FinancesForm {
    FinancesForm {
        employment_status: offered(journey, ReferenceField::EmploymentStatus, employment_status),
        occupation: first_option(journey, ReferenceField::OccupationCode),
        industry: first_option(journey, ReferenceField::IndustryCode),
        employer_name: "Acme Pte. Ltd.".into(),
        annual_income: annual_income.into(),
        education: first_option(journey, ReferenceField::HighestEducationLevel),
        residence_type: first_option(journey, ReferenceField::ResidenceType),
    }
}

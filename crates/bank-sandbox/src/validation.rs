//! The checks every section of an applicant or a prospect passes, against the reference
//! data of the market it was sent in. Applications and prospects share the bank's section
//! models, so they share these checks; only the root of the error location differs.

use crate::error::BankError;
use crate::markets::Market;
use crate::reference_data::is_valid;
use bank_api::{Applicant, CalendarDate};

/// Checks the sections present: required texts are not blank, coded fields hold values
/// the market's reference data offers, dates exist, amounts are not negative. Errors are
/// located under `root` (`applicant`, `prospect`).
pub fn validate_sections(
    applicant: &Applicant,
    market: Market,
    root: &str,
) -> Result<(), BankError> {
    let code = |reference_code: &str, value: &str, location: &str| {
        require_code(market, reference_code, value, &format!("{root}.{location}"))
    };
    let text = |value: &str, location: &str| require_text(value, &format!("{root}.{location}"));
    if let Some(name) = &applicant.name {
        text(&name.given_name, "name.givenName")?;
        if let Some(salutation) = &name.salutation {
            code("salutation", salutation, "name.salutation")?;
        }
    }
    for (i, phone) in applicant.phone.iter().enumerate() {
        text(&phone.phone_number, &format!("phone[{i}].phoneNumber"))?;
    }
    if let Some(demographics) = &applicant.demographics {
        if let Some(born) = &demographics.date_of_birth {
            if CalendarDate::parse_iso(born).is_none() {
                return Err(BankError::invalid_request(
                    Some(&format!("{root}.demographics.dateOfBirth")),
                    format!("dateOfBirth must be an existing date as YYYY-MM-DD, not {born:?}"),
                ));
            }
        }
        if let Some(residence) = &demographics.residence_type {
            code("residenceType", residence, "demographics.residenceType")?;
        }
    }
    for (i, address) in applicant.address.iter().enumerate() {
        text(
            &address.address_line1,
            &format!("address[{i}].addressLine1"),
        )?;
        code(
            "country",
            &address.country_code,
            &format!("address[{i}].countryCode"),
        )?;
    }
    if let Some(financial) = &applicant.financial_information {
        for (i, income) in financial.income_details.iter().enumerate() {
            if income.fixed_amount < 0.0 {
                return Err(BankError::invalid_request(
                    Some(&format!(
                        "{root}.financialInformation.incomeDetails[{i}].fixedAmount"
                    )),
                    "fixedAmount must not be negative",
                ));
            }
        }
    }
    if let Some(education) = &applicant.education {
        code(
            "highestEducationLevel",
            &education.highest_education_level,
            "education.highestEducationLevel",
        )?;
    }
    for (i, employment) in applicant.employment_details.iter().enumerate() {
        let at = |field: &str| format!("employmentDetails[{i}].{field}");
        code(
            "employmentStatus",
            &employment.employment_status,
            &at("employmentStatus"),
        )?;
        code(
            "occupationCode",
            &employment.occupation_code,
            &at("occupationCode"),
        )?;
        code(
            "industryCode",
            &employment.industry_code,
            &at("industryCode"),
        )?;
    }
    for (i, document) in applicant.identification_document_details.iter().enumerate() {
        let at = |field: &str| format!("identificationDocumentDetails[{i}].{field}");
        code("idType", &document.id_type, &at("idType"))?;
        text(&document.id_number, &at("idNumber"))?;
        code("country", &document.id_issue_country, &at("idIssueCountry"))?;
    }
    Ok(())
}

/// Refuses a blank text, naming where it was.
pub fn require_text(value: &str, location: &str) -> Result<(), BankError> {
    if value.trim().is_empty() {
        Err(BankError::invalid_request(
            Some(location),
            format!("{location} is required"),
        ))
    } else {
        Ok(())
    }
}

/// Refuses a code the market's reference data does not offer for the field.
fn require_code(
    market: Market,
    reference_code: &str,
    value: &str,
    location: &str,
) -> Result<(), BankError> {
    if is_valid(market, reference_code, value) {
        Ok(())
    } else {
        Err(BankError::invalid_request(
            Some(location),
            format!(
                "{value:?} is not a value of reference data {reference_code} in {}",
                market.code()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bank_api::IdentificationDocumentDetail;

    fn with_id(id_type: &str) -> Applicant {
        Applicant {
            identification_document_details: vec![IdentificationDocumentDetail {
                id_type: id_type.into(),
                id_number: "X1".into(),
                id_issue_country: "SG".into(),
                is_primary_id: true,
            }],
            ..Applicant::default()
        }
    }

    #[test]
    fn codes_are_checked_against_the_markets_reference_data() {
        assert!(validate_sections(&with_id("NRIC"), Market::Singapore, "applicant").is_ok());
        assert!(validate_sections(&with_id("HKID"), Market::HongKong, "applicant").is_ok());
        let error = validate_sections(&with_id("HKID"), Market::Singapore, "prospect").unwrap_err();
        let text = format!("{error:?}");
        assert!(
            text.contains("prospect.identificationDocumentDetails[0].idType"),
            "{text}"
        );
        assert!(text.contains("in SG"), "{text}");
    }
}

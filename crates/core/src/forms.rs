//! The three stages' forms: what the customer typed (`*Form`, plain strings, as the widget
//! holds them and the API carries them) and what the rules made of it.

use crate::field::Errors;
use crate::fields::*;
use crate::{
    CalendarDate, Code, Field, FieldError, Market, ReferenceData, ReferenceField, ValidationError,
};
use serde::{Deserialize, Serialize};

/// What the rules of a form depend on besides the typed values.
#[derive(Debug, Clone, Copy)]
pub struct FormContext<'a> {
    pub market: Market,
    pub reference_data: &'a ReferenceData,
    /// Today in the market, for age checks.
    pub today: CalendarDate,
    /// The version of the Terms and Conditions currently offered.
    pub terms_version: &'a str,
}

/// Employment statuses for which the employer's name is required.
pub const STATUSES_WITH_EMPLOYER: [&str; 2] = ["EMPLOYED", "SELF_EMPLOYED"];

/// Stage 1 as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AboutYouForm {
    pub title: String,
    pub given_name: String,
    pub surname: String,
    pub date_of_birth: String,
    pub mobile_number: String,
    pub email: String,
    /// The version of the terms the customer accepted; empty when the box is not ticked.
    pub accepted_terms_version: String,
}

/// Stage 1, every field valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AboutYou {
    pub title: Code,
    pub given_name: PersonName,
    pub surname: PersonName,
    pub date_of_birth: DateOfBirth,
    pub mobile_number: MobileNumber,
    pub email: EmailAddress,
    pub accepted_terms_version: String,
}

impl AboutYouForm {
    /// Applies every rule of stage 1 to the names as typed, reporting all refused fields at
    /// once: the widget's instant check, which accepts whatever [`Self::parse_composed`]
    /// would.
    pub fn parse(&self, ctx: &FormContext<'_>) -> Result<AboutYou, Vec<FieldError>> {
        self.parse_in(ctx, Composition::AsTyped)
    }

    /// Applies every rule of stage 1 to the names composed to NFC, as the bank gets them:
    /// the BFF's authoritative check. The widget does not call it (see [`nfc`]).
    pub fn parse_composed(&self, ctx: &FormContext<'_>) -> Result<AboutYou, Vec<FieldError>> {
        let composed = Self {
            given_name: nfc(&self.given_name),
            surname: nfc(&self.surname),
            ..self.clone()
        };
        composed.parse_in(ctx, Composition::Nfc)
    }

    fn parse_in(
        &self,
        ctx: &FormContext<'_>,
        composition: Composition,
    ) -> Result<AboutYou, Vec<FieldError>> {
        let mut e = Errors::default();
        let title = e.check(
            Field::Title,
            ctx.reference_data
                .parse_code(ReferenceField::Salutation, &self.title),
        );
        let given_name = e.check(
            Field::GivenName,
            PersonName::parse_in(&self.given_name, composition),
        );
        let surname = e.check(
            Field::Surname,
            PersonName::parse_in(&self.surname, composition),
        );
        let date_of_birth = e.check(
            Field::DateOfBirth,
            DateOfBirth::parse(&self.date_of_birth, ctx.market, ctx.today),
        );
        let mobile_number = e.check(
            Field::MobileNumber,
            MobileNumber::parse(&self.mobile_number, ctx.market),
        );
        let email = e.check(Field::Email, EmailAddress::parse(&self.email));
        let consent = e.check(
            Field::TermsConsent,
            if self.accepted_terms_version == ctx.terms_version {
                Ok(())
            } else {
                Err(ValidationError::ConsentRequired)
            },
        );
        e.finish(|| {
            consent?;
            Some(AboutYou {
                title: title?,
                given_name: given_name?,
                surname: surname?,
                date_of_birth: date_of_birth?,
                mobile_number: mobile_number?,
                email: email?,
                accepted_terms_version: self.accepted_terms_version.clone(),
            })
        })
    }
}

/// Stage 2 as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityForm {
    pub id_type: String,
    pub id_number: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub country: String,
    pub years_at_address: String,
}

/// Stage 2, every field valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub id_type: Code,
    pub id_number: IdNumber,
    pub address_line1: AddressLine,
    pub address_line2: Option<AddressLine>,
    /// `None` for an address in a country without postal codes (Hong Kong, the UAE).
    pub postal_code: Option<PostalCode>,
    pub country: Code,
    pub years_at_address: YearsAtAddress,
}

impl IdentityForm {
    /// Applies every rule of stage 2 to the address as typed (the widget's check); the ID
    /// type must be one of the market's, the ID number is checked by the chosen ID type and
    /// the postal code by the chosen country.
    pub fn parse(&self, ctx: &FormContext<'_>) -> Result<Identity, Vec<FieldError>> {
        self.parse_in(ctx, Composition::AsTyped)
    }

    /// Applies every rule of stage 2 to the address composed to NFC: the BFF's check.
    pub fn parse_composed(&self, ctx: &FormContext<'_>) -> Result<Identity, Vec<FieldError>> {
        let composed = Self {
            address_line1: nfc(&self.address_line1),
            address_line2: nfc(&self.address_line2),
            ..self.clone()
        };
        composed.parse_in(ctx, Composition::Nfc)
    }

    fn parse_in(
        &self,
        ctx: &FormContext<'_>,
        composition: Composition,
    ) -> Result<Identity, Vec<FieldError>> {
        let mut e = Errors::default();
        let id_type = e.check(
            Field::IdType,
            ctx.reference_data
                .parse_code(ReferenceField::IdType, &self.id_type)
                .and_then(|code| {
                    // The bank's list is the market's; a code of another market is refused too.
                    let kind = IdType::from_code(code.as_str())
                        .filter(|kind| ctx.market.id_types().contains(kind))
                        .ok_or(ValidationError::UnknownOption)?;
                    Ok((code, kind))
                }),
        );
        let id_number = match &id_type {
            Some((_, kind)) => e.check(Field::IdNumber, IdNumber::parse(&self.id_number, *kind)),
            // Without a known ID type only presence can be checked.
            None if self.id_number.trim().is_empty() => e.check(
                Field::IdNumber,
                Err::<IdNumber, _>(ValidationError::Required),
            ),
            None => None,
        };
        let address_line1 = e.check(
            Field::AddressLine1,
            AddressLine::parse_in(&self.address_line1, composition),
        );
        let address_line2 = e.check(
            Field::AddressLine2,
            AddressLine::parse_optional_in(&self.address_line2, composition),
        );
        let country = e.check(
            Field::Country,
            ctx.reference_data
                .parse_code(ReferenceField::Country, &self.country),
        );
        let country_code = country.as_ref().map_or("", Code::as_str);
        let postal_code = e.check(
            Field::PostalCode,
            PostalCode::parse(&self.postal_code, country_code),
        );
        let years_at_address = e.check(
            Field::YearsAtAddress,
            YearsAtAddress::parse(&self.years_at_address),
        );
        e.finish(|| {
            Some(Identity {
                id_type: id_type?.0,
                id_number: id_number?,
                address_line1: address_line1?,
                address_line2: address_line2?,
                postal_code: postal_code?,
                country: country?,
                years_at_address: years_at_address?,
            })
        })
    }
}

/// Stage 3 as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinancesForm {
    pub employment_status: String,
    pub occupation: String,
    pub industry: String,
    pub employer_name: String,
    pub annual_income: String,
    pub education: String,
    pub residence_type: String,
}

/// Stage 3, every field valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finances {
    pub employment_status: Code,
    pub occupation: Code,
    pub industry: Code,
    pub employer_name: Option<EmployerName>,
    pub annual_income: AnnualIncome,
    pub education: Code,
    pub residence_type: Code,
}

impl FinancesForm {
    /// Applies every rule of stage 3 to the employer's name as typed (the widget's check);
    /// the employer is required only of the employed and the self-employed.
    pub fn parse(&self, ctx: &FormContext<'_>) -> Result<Finances, Vec<FieldError>> {
        self.parse_in(ctx, Composition::AsTyped)
    }

    /// Applies every rule of stage 3 to the employer's name composed to NFC: the BFF's check.
    pub fn parse_composed(&self, ctx: &FormContext<'_>) -> Result<Finances, Vec<FieldError>> {
        let composed = Self {
            employer_name: nfc(&self.employer_name),
            ..self.clone()
        };
        composed.parse_in(ctx, Composition::Nfc)
    }

    fn parse_in(
        &self,
        ctx: &FormContext<'_>,
        composition: Composition,
    ) -> Result<Finances, Vec<FieldError>> {
        let data = ctx.reference_data;
        let mut e = Errors::default();
        let employment_status = e.check(
            Field::EmploymentStatus,
            data.parse_code(ReferenceField::EmploymentStatus, &self.employment_status),
        );
        let occupation = e.check(
            Field::Occupation,
            data.parse_code(ReferenceField::OccupationCode, &self.occupation),
        );
        let industry = e.check(
            Field::Industry,
            data.parse_code(ReferenceField::IndustryCode, &self.industry),
        );
        let employer_required = STATUSES_WITH_EMPLOYER.contains(&self.employment_status.trim());
        let employer_name = e.check(
            Field::EmployerName,
            if employer_required || !self.employer_name.trim().is_empty() {
                EmployerName::parse_in(&self.employer_name, composition).map(Some)
            } else {
                Ok(None)
            },
        );
        let annual_income = e.check(
            Field::AnnualIncome,
            AnnualIncome::parse(&self.annual_income),
        );
        let education = e.check(
            Field::Education,
            data.parse_code(ReferenceField::HighestEducationLevel, &self.education),
        );
        let residence_type = e.check(
            Field::ResidenceType,
            data.parse_code(ReferenceField::ResidenceType, &self.residence_type),
        );
        e.finish(|| {
            Some(Finances {
                employment_status: employment_status?,
                occupation: occupation?,
                industry: industry?,
                employer_name: employer_name?,
                annual_income: annual_income?,
                education: education?,
                residence_type: residence_type?,
            })
        })
    }
}

/// The Lead Capture journey's one form as typed: stage 1's details and consent, and the
/// address the bank's prospects need (only asked where the market's leads are prospects).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadForm {
    pub about: AboutYouForm,
    #[serde(default)]
    pub address_line1: String,
    #[serde(default)]
    pub address_line2: String,
    #[serde(default)]
    pub postal_code: String,
}

/// A lead, every field valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    pub about: AboutYou,
    /// The home address, in the market, where the market's leads are prospects.
    pub address: Option<LeadAddress>,
}

/// A lead's home address, in the market it applies in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadAddress {
    pub line1: AddressLine,
    pub line2: Option<AddressLine>,
    pub postal_code: Option<PostalCode>,
}

impl LeadForm {
    /// Whether the market's leads carry an address: the bank's Submit Prospect requires
    /// one, its create-application calls do not.
    pub fn asks_address(market: Market) -> bool {
        !market.api_variant().decides_online()
    }

    /// Applies stage 1's rules and, where asked, the address's, to the text as typed,
    /// reporting all at once: the widget's check.
    pub fn parse(&self, ctx: &FormContext<'_>) -> Result<Lead, Vec<FieldError>> {
        self.parse_in(ctx, Composition::AsTyped)
    }

    /// Applies the same rules to the names and address composed to NFC: the BFF's check.
    pub fn parse_composed(&self, ctx: &FormContext<'_>) -> Result<Lead, Vec<FieldError>> {
        let composed = Self {
            about: AboutYouForm {
                given_name: nfc(&self.about.given_name),
                surname: nfc(&self.about.surname),
                ..self.about.clone()
            },
            address_line1: nfc(&self.address_line1),
            address_line2: nfc(&self.address_line2),
            ..self.clone()
        };
        composed.parse_in(ctx, Composition::Nfc)
    }

    fn parse_in(
        &self,
        ctx: &FormContext<'_>,
        composition: Composition,
    ) -> Result<Lead, Vec<FieldError>> {
        let mut errors = Vec::new();
        let about = self
            .about
            .parse_in(ctx, composition)
            .map_err(|e| errors.extend(e))
            .ok();
        let address = if Self::asks_address(ctx.market) {
            let mut e = Errors::default();
            let line1 = e.check(
                Field::AddressLine1,
                AddressLine::parse_in(&self.address_line1, composition),
            );
            let line2 = e.check(
                Field::AddressLine2,
                AddressLine::parse_optional_in(&self.address_line2, composition),
            );
            let postal_code = e.check(
                Field::PostalCode,
                PostalCode::parse(&self.postal_code, ctx.market.code()),
            );
            let address = e.finish(|| {
                Some(LeadAddress {
                    line1: line1?,
                    line2: line2?,
                    postal_code: postal_code?,
                })
            });
            address.map(Some).map_err(|e| errors.extend(e)).ok()
        } else {
            Some(None)
        };
        match (about, address) {
            (Some(about), Some(address)) if errors.is_empty() => Ok(Lead { about, address }),
            _ => Err(errors),
        }
    }
}

/// The error of one field among a form's errors, for checking a field as it loses focus.
pub fn error_of(errors: &[FieldError], field: Field) -> Option<ValidationError> {
    errors.iter().find(|e| e.field == field).map(|e| e.error)
}

/// Stage 1's fields as a partner's server places them for its customer to check rather than
/// type: each one optional (empty), each one under stage 1's own rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prefill {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub given_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub surname: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mobile_number: String,
}

impl Prefill {
    /// Whether nothing is placed.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// The values as [`crate::api::Journey`] carries them to the widget: given name,
    /// surname, mobile number and e-mail, in this order; none at all when nothing is placed.
    pub fn to_list(&self) -> Vec<String> {
        if self.is_empty() {
            return Vec::new();
        }
        [
            &self.given_name,
            &self.surname,
            &self.mobile_number,
            &self.email,
        ]
        .map(Clone::clone)
        .to_vec()
    }

    /// The values of [`Self::to_list`]'s list (empty where it has none).
    pub fn from_list(list: &[String]) -> Self {
        let value = |i: usize| list.get(i).cloned().unwrap_or_default();
        Self {
            given_name: value(0),
            surname: value(1),
            mobile_number: value(2),
            email: value(3),
        }
    }

    /// Applies stage 1's rules to every value given, as the BFF applies them to the stage
    /// (names composed to NFC), reporting every refused field at once; answers the values as
    /// the rules wrote them (the mobile number as national digits, the e-mail's domain in
    /// lower case), which stage 1 accepts as they are.
    pub fn parse(&self, market: Market) -> Result<Self, Vec<FieldError>> {
        let mut e = Errors::default();
        let mut given =
            |field: Field, value: &str, rule: &dyn Fn(&str) -> Result<String, ValidationError>| {
                if value.is_empty() {
                    Some(String::new())
                } else {
                    e.check(field, rule(value))
                }
            };
        let given_name = given(Field::GivenName, &self.given_name, &|v| {
            PersonName::parse(v).map(|n| n.as_str().to_owned())
        });
        let surname = given(Field::Surname, &self.surname, &|v| {
            PersonName::parse(v).map(|n| n.as_str().to_owned())
        });
        let email = given(Field::Email, &self.email, &|v| {
            EmailAddress::parse(v).map(|a| a.as_str().to_owned())
        });
        let mobile_number = given(Field::MobileNumber, &self.mobile_number, &|v| {
            MobileNumber::parse(v, market).map(|n| n.national().to_owned())
        });
        e.finish(|| {
            Some(Self {
                given_name: given_name?,
                surname: surname?,
                email: email?,
                mobile_number: mobile_number?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference_data::{ReferenceList, ReferenceOption};

    fn reference_data() -> ReferenceData {
        let list = |field, codes: &[&str]| ReferenceList {
            field,
            options: codes
                .iter()
                .map(|c| ReferenceOption {
                    code: (*c).into(),
                    label: (*c).into(),
                })
                .collect(),
        };
        ReferenceData {
            lists: vec![
                list(ReferenceField::Salutation, &["MR", "MS"]),
                list(ReferenceField::IdType, &["NRIC", "FIN", "PASSPORT", "HKID"]),
                list(ReferenceField::Country, &["SG", "MY", "HK"]),
                list(ReferenceField::EmploymentStatus, &["EMPLOYED", "RETIRED"]),
                list(ReferenceField::OccupationCode, &["PROFESSIONAL"]),
                list(ReferenceField::IndustryCode, &["IT_TELECOM"]),
                list(ReferenceField::HighestEducationLevel, &["BACHELOR"]),
                list(ReferenceField::ResidenceType, &["RENTED"]),
            ],
        }
    }

    fn ctx(data: &ReferenceData) -> FormContext<'_> {
        ctx_in(Market::Singapore, data)
    }

    fn ctx_in(market: Market, data: &ReferenceData) -> FormContext<'_> {
        FormContext {
            market,
            reference_data: data,
            today: CalendarDate::new(2026, 11, 22).unwrap(),
            terms_version: "v1",
        }
    }

    #[test]
    fn stage_one_reports_every_refused_field_and_missing_consent() {
        let data = reference_data();
        let errors = AboutYouForm::default().parse(&ctx(&data)).unwrap_err();
        assert_eq!(errors.len(), 7);
        assert_eq!(
            error_of(&errors, Field::TermsConsent),
            Some(ValidationError::ConsentRequired)
        );
        let form = AboutYouForm {
            title: "MS".into(),
            given_name: "Mei Ling".into(),
            surname: "Tan".into(),
            date_of_birth: "1990-04-01".into(),
            mobile_number: "9123 4567".into(),
            email: "mei@example.com".into(),
            accepted_terms_version: "v1".into(),
        };
        assert!(form.parse(&ctx(&data)).is_ok());
        let outdated = AboutYouForm {
            accepted_terms_version: "v0".into(),
            ..form
        };
        assert_eq!(
            outdated.parse(&ctx(&data)).unwrap_err(),
            vec![FieldError {
                field: Field::TermsConsent,
                error: ValidationError::ConsentRequired
            }]
        );
    }

    #[test]
    fn the_bff_checks_names_and_addresses_composed_and_the_widget_as_typed() {
        let data = reference_data();
        let th = ctx_in(Market::Thailand, &data);
        let lead = LeadForm {
            about: AboutYouForm {
                title: "MR".into(),
                given_name: "Nguye\u{302}\u{303}n".into(),
                surname: "Jose\u{301}".into(),
                date_of_birth: "1988-02-29".into(),
                mobile_number: "081 234 5678".into(),
                email: "nguyen@example.com".into(),
                accepted_terms_version: "v1".into(),
            },
            address_line1: "99 Hu\u{31B}o\u{31B}\u{300}ng Road".into(),
            address_line2: String::new(),
            postal_code: "10110".into(),
        };
        assert!(lead.parse(&th).is_ok(), "the widget accepts it decomposed");
        let composed = lead.parse_composed(&th).unwrap();
        assert_eq!(composed.about.given_name.as_str(), "Nguy\u{1EC5}n");
        assert_eq!(composed.about.surname.as_str(), "Jos\u{E9}");
        assert_eq!(
            composed.address.unwrap().line1.as_str(),
            "99 H\u{1B0}\u{1EDD}ng Road"
        );
        let reversed = LeadForm {
            address_line2: "\u{202E}Soi 11".into(),
            ..lead
        };
        for errors in [
            reversed.parse(&th).unwrap_err(),
            reversed.parse_composed(&th).unwrap_err(),
        ] {
            assert_eq!(
                error_of(&errors, Field::AddressLine2),
                Some(ValidationError::InvalidCharacters)
            );
        }
    }

    #[test]
    fn a_lead_asks_an_address_only_where_the_bank_takes_prospects() {
        let data = reference_data();
        let about = AboutYouForm {
            title: "MR".into(),
            given_name: "Somchai".into(),
            surname: "Jaidee".into(),
            date_of_birth: "1988-02-29".into(),
            mobile_number: "081 234 5678".into(),
            email: "somchai@example.com".into(),
            accepted_terms_version: "v1".into(),
        };
        let thai = LeadForm {
            about: about.clone(),
            ..LeadForm::default()
        };
        let th = ctx_in(Market::Thailand, &data);
        let fields: Vec<Field> = thai
            .parse(&th)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, [Field::AddressLine1, Field::PostalCode]);
        let with_address = LeadForm {
            address_line1: "99 Sukhumvit Road".into(),
            postal_code: "10110".into(),
            ..thai
        };
        let lead = with_address.parse(&th).unwrap();
        assert_eq!(lead.address.unwrap().postal_code.unwrap().as_str(), "10110");

        let singapore = LeadForm {
            about: AboutYouForm {
                mobile_number: "9123 4567".into(),
                ..about
            },
            ..LeadForm::default()
        };
        assert_eq!(singapore.parse(&ctx(&data)).unwrap().address, None);
        assert!(!LeadForm::asks_address(Market::Poland));
    }

    #[test]
    fn stage_two_checks_the_number_by_id_type_and_postcode_by_country() {
        let data = reference_data();
        let form = IdentityForm {
            id_type: "NRIC".into(),
            id_number: "S1234567D".into(),
            address_line1: "10 Anson Road".into(),
            address_line2: String::new(),
            postal_code: "079903".into(),
            country: "SG".into(),
            years_at_address: "3".into(),
        };
        assert!(form.parse(&ctx(&data)).is_ok());
        let wrong_letter = IdentityForm {
            id_number: "S1234567A".into(),
            ..form.clone()
        };
        assert_eq!(
            error_of(
                &wrong_letter.parse(&ctx(&data)).unwrap_err(),
                Field::IdNumber
            ),
            Some(ValidationError::InvalidCheckCharacter)
        );
        let malaysian = IdentityForm {
            country: "MY".into(),
            postal_code: "50450".into(),
            ..form.clone()
        };
        assert!(malaysian.parse(&ctx(&data)).is_ok());
        let no_type = IdentityForm {
            id_type: String::new(),
            ..form
        };
        assert_eq!(
            no_type.parse(&ctx(&data)).unwrap_err(),
            vec![FieldError {
                field: Field::IdType,
                error: ValidationError::Required
            }]
        );
    }

    #[test]
    fn stage_two_takes_only_the_markets_id_types_and_no_postal_code_where_there_is_none() {
        let data = reference_data();
        let form = IdentityForm {
            id_type: "HKID".into(),
            id_number: "A123456(3)".into(),
            address_line1: "1 Queen's Road Central".into(),
            address_line2: String::new(),
            postal_code: String::new(),
            country: "HK".into(),
            years_at_address: "3".into(),
        };
        let identity = form.parse(&ctx_in(Market::HongKong, &data)).unwrap();
        assert_eq!(identity.id_number.as_str(), "A1234563");
        assert_eq!(identity.postal_code, None);
        assert_eq!(
            error_of(&form.parse(&ctx(&data)).unwrap_err(), Field::IdType),
            Some(ValidationError::UnknownOption)
        );
        let with_postal_code = IdentityForm {
            postal_code: "999077".into(),
            ..form
        };
        assert_eq!(
            error_of(
                &with_postal_code
                    .parse(&ctx_in(Market::HongKong, &data))
                    .unwrap_err(),
                Field::PostalCode
            ),
            Some(ValidationError::InvalidPostalCode)
        );
    }

    #[test]
    fn stage_three_requires_an_employer_only_of_the_employed() {
        let data = reference_data();
        let form = FinancesForm {
            employment_status: "EMPLOYED".into(),
            occupation: "PROFESSIONAL".into(),
            industry: "IT_TELECOM".into(),
            employer_name: String::new(),
            annual_income: "60000".into(),
            education: "BACHELOR".into(),
            residence_type: "RENTED".into(),
        };
        assert_eq!(
            error_of(&form.parse(&ctx(&data)).unwrap_err(), Field::EmployerName),
            Some(ValidationError::Required)
        );
        let retired = FinancesForm {
            employment_status: "RETIRED".into(),
            ..form
        };
        assert_eq!(retired.parse(&ctx(&data)).unwrap().employer_name, None);
    }

    #[test]
    fn a_prefill_takes_stage_ones_rules_and_its_values_pass_stage_one() {
        let data = reference_data();
        let placed = Prefill {
            given_name: "Me\u{0301}i  Ling".into(),
            surname: String::new(),
            email: "mei@Example.COM".into(),
            mobile_number: "+65 9123-4567".into(),
        };
        let parsed = placed.parse(Market::Singapore).unwrap();
        assert_eq!(
            parsed,
            Prefill {
                given_name: "M\u{e9}i Ling".into(),
                surname: String::new(),
                email: "mei@example.com".into(),
                mobile_number: "91234567".into(),
            }
        );
        let stage = AboutYouForm {
            title: "MS".into(),
            given_name: parsed.given_name.clone(),
            surname: "Tan".into(),
            date_of_birth: "1990-01-31".into(),
            mobile_number: parsed.mobile_number.clone(),
            email: parsed.email.clone(),
            accepted_terms_version: "v1".into(),
        };
        assert!(stage.parse(&ctx(&data)).is_ok());
        assert_eq!(Prefill::from_list(&parsed.to_list()), parsed);
        assert!(Prefill::default().to_list().is_empty());
        assert_eq!(
            Prefill::default().parse(Market::Singapore),
            Ok(Prefill::default())
        );

        let refused = Prefill {
            given_name: "M3i".into(),
            surname: "Tan".into(),
            email: "not an address".into(),
            mobile_number: "12345".into(),
        }
        .parse(Market::Singapore)
        .unwrap_err();
        let fields: Vec<Field> = refused.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![Field::GivenName, Field::Email, Field::MobileNumber]
        );
    }
}

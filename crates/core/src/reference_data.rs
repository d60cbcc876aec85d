//! The bank's reference data: the valid values of every coded field, with descriptions.

use crate::ValidationError;
use serde::{Deserialize, Serialize};

/// A coded field the widget fills from reference data, named by the bank's reference code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReferenceField {
    #[serde(rename = "salutation")]
    Salutation,
    #[serde(rename = "idType")]
    IdType,
    #[serde(rename = "country")]
    Country,
    #[serde(rename = "employmentStatus")]
    EmploymentStatus,
    #[serde(rename = "occupationCode")]
    OccupationCode,
    #[serde(rename = "industryCode")]
    IndustryCode,
    #[serde(rename = "highestEducationLevel")]
    HighestEducationLevel,
    #[serde(rename = "residenceType")]
    ResidenceType,
}

impl ReferenceField {
    /// Every field the journey needs, fetched together when a session starts.
    pub const ALL: [Self; 8] = [
        Self::Salutation,
        Self::IdType,
        Self::Country,
        Self::EmploymentStatus,
        Self::OccupationCode,
        Self::IndustryCode,
        Self::HighestEducationLevel,
        Self::ResidenceType,
    ];

    /// The bank's reference code (the path parameter of the reference-data call).
    pub const fn reference_code(self) -> &'static str {
        match self {
            Self::Salutation => "salutation",
            Self::IdType => "idType",
            Self::Country => "country",
            Self::EmploymentStatus => "employmentStatus",
            Self::OccupationCode => "occupationCode",
            Self::IndustryCode => "industryCode",
            Self::HighestEducationLevel => "highestEducationLevel",
            Self::ResidenceType => "residenceType",
        }
    }
}

/// One valid value and what the customer reads for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceOption {
    pub code: String,
    pub label: String,
}

/// The valid values of one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceList {
    pub field: ReferenceField,
    pub options: Vec<ReferenceOption>,
}

/// All reference data of a market and language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceData {
    pub lists: Vec<ReferenceList>,
}

impl ReferenceData {
    /// The options of a field; empty when the bank sent none.
    pub fn options(&self, field: ReferenceField) -> &[ReferenceOption] {
        self.lists
            .iter()
            .find(|l| l.field == field)
            .map_or(&[], |l| &l.options)
    }

    /// Parses a chosen code: it must be one of the field's options.
    pub fn parse_code(&self, field: ReferenceField, raw: &str) -> Result<Code, ValidationError> {
        let code = raw.trim();
        if code.is_empty() {
            return Err(ValidationError::Required);
        }
        self.options(field)
            .iter()
            .find(|o| o.code == code)
            .map(|o| Code(o.code.clone()))
            .ok_or(ValidationError::UnknownOption)
    }

    /// The label of a code, for showing a choice back to the customer.
    pub fn label(&self, field: ReferenceField, code: &str) -> Option<&str> {
        self.options(field)
            .iter()
            .find(|o| o.code == code)
            .map(|o| o.label.as_str())
    }
}

/// A code that is one of its field's reference-data values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code(String);

impl Code {
    /// The code, as the bank knows it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles() -> ReferenceData {
        let option = |code: &str, label: &str| ReferenceOption {
            code: code.into(),
            label: label.into(),
        };
        ReferenceData {
            lists: vec![ReferenceList {
                field: ReferenceField::Salutation,
                options: vec![option("MR", "Mr"), option("MS", "Ms")],
            }],
        }
    }

    #[test]
    fn only_listed_codes_parse() {
        let data = titles();
        assert_eq!(
            data.parse_code(ReferenceField::Salutation, "MS")
                .unwrap()
                .as_str(),
            "MS"
        );
        assert_eq!(
            data.parse_code(ReferenceField::Salutation, "DR"),
            Err(ValidationError::UnknownOption)
        );
        assert_eq!(
            data.parse_code(ReferenceField::Salutation, ""),
            Err(ValidationError::Required)
        );
        assert_eq!(
            data.parse_code(ReferenceField::Country, "SG"),
            Err(ValidationError::UnknownOption)
        );
    }

    #[test]
    fn serialises_fields_by_the_banks_reference_code() {
        for field in ReferenceField::ALL {
            let json = serde_json::to_string(&field).unwrap();
            assert_eq!(json, format!("\"{}\"", field.reference_code()));
        }
    }
}

//! Government ID numbers: the types the bank accepts and each type's number rule. The
//! rules live in one file per country; the check-sum algorithms they share in `checksum`.

mod australia;
mod checksum;
mod hong_kong;
mod india;
mod indonesia;
mod malaysia;
mod philippines;
mod poland;
mod russia;
mod singapore;
mod thailand;
mod united_arab_emirates;
mod vietnam;

use super::required;
use crate::{CalendarDate, ValidationError};

/// The kinds of government ID the bank accepts, each with its own number rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdType {
    /// A passport of any country.
    Passport,
    /// An Australian driver licence (each state numbers its own).
    AuDriverLicence,
    /// Australia's Medicare card.
    Medicare,
    /// The Hong Kong Identity Card.
    Hkid,
    /// India's Aadhaar number.
    Aadhaar,
    /// India's Permanent Account Number (tax).
    Pan,
    /// Indonesia's Nomor Induk Kependudukan, printed on the KTP.
    Nik,
    /// Malaysia's MyKad identity card number.
    MyKad,
    /// The Philippine Identification System's card (PhilSys).
    PhilSys,
    /// The Philippines' Unified Multi-Purpose ID (its Common Reference Number).
    Umid,
    /// Poland's PESEL personal number.
    Pesel,
    /// The Polish identity card (dowód osobisty).
    PolishIdCard,
    /// The Russian internal passport.
    RussianPassport,
    /// A Russian individual's taxpayer number (INN).
    Inn,
    /// Singapore's National Registration Identity Card (citizens and permanent residents).
    Nric,
    /// Singapore's Foreign Identification Number (long-term pass holders).
    Fin,
    /// The Thai national ID card.
    ThaiId,
    /// The Emirates ID card.
    EmiratesId,
    /// Vietnam's citizen identity card (Căn cước công dân), 12 digits.
    Cccd,
    /// Vietnam's old identity card (Chứng minh nhân dân), 9 digits.
    Cmnd,
}

impl IdType {
    /// Every ID type, passport first.
    pub const ALL: [Self; 20] = [
        Self::Passport,
        Self::AuDriverLicence,
        Self::Medicare,
        Self::Hkid,
        Self::Aadhaar,
        Self::Pan,
        Self::Nik,
        Self::MyKad,
        Self::PhilSys,
        Self::Umid,
        Self::Pesel,
        Self::PolishIdCard,
        Self::RussianPassport,
        Self::Inn,
        Self::Nric,
        Self::Fin,
        Self::ThaiId,
        Self::EmiratesId,
        Self::Cccd,
        Self::Cmnd,
    ];

    /// The type from its reference-data code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The reference-data code of the type (`idType`).
    pub const fn code(self) -> &'static str {
        match self {
            Self::Passport => "PASSPORT",
            Self::AuDriverLicence => "AU_DRIVER_LICENCE",
            Self::Medicare => "MEDICARE",
            Self::Hkid => "HKID",
            Self::Aadhaar => "AADHAAR",
            Self::Pan => "PAN",
            Self::Nik => "NIK",
            Self::MyKad => "MYKAD",
            Self::PhilSys => "PHILSYS",
            Self::Umid => "UMID",
            Self::Pesel => "PESEL",
            Self::PolishIdCard => "PL_ID_CARD",
            Self::RussianPassport => "RU_PASSPORT",
            Self::Inn => "INN",
            Self::Nric => "NRIC",
            Self::Fin => "FIN",
            Self::ThaiId => "THAI_ID",
            Self::EmiratesId => "EMIRATES_ID",
            Self::Cccd => "CCCD",
            Self::Cmnd => "CMND",
        }
    }
}

/// A government ID number that passed its type's format and check-character rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber(String);

impl IdNumber {
    /// Parses a number for the given ID type. Spaces are dropped and letters upper-cased;
    /// national numbers may also be typed with hyphens (dropped) and an HKID with its
    /// check digit in parentheses, so the number is stored as letters and digits only.
    pub fn parse(raw: &str, id_type: IdType) -> Result<Self, ValidationError> {
        let compact: String = required(raw)?
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let number = match id_type {
            IdType::Passport => compact,
            IdType::Hkid => hong_kong::without_brackets(&compact.replace('-', "")),
            IdType::Umid => philippines::without_crn_label(&compact.replace('-', "")),
            _ => compact.replace('-', ""),
        };
        match id_type {
            IdType::Passport => passport(&number)?,
            IdType::AuDriverLicence => australia::check_driver_licence(&number)?,
            IdType::Medicare => australia::check_medicare(&number)?,
            IdType::Hkid => hong_kong::check_hkid(&number)?,
            IdType::Aadhaar => india::check_aadhaar(&number)?,
            IdType::Pan => india::check_pan(&number)?,
            IdType::Nik => indonesia::check_nik(&number)?,
            IdType::MyKad => malaysia::check_mykad(&number)?,
            IdType::PhilSys => philippines::check_philsys(&number)?,
            IdType::Umid => philippines::check_umid(&number)?,
            IdType::Pesel => poland::check_pesel(&number)?,
            IdType::PolishIdCard => poland::check_id_card(&number)?,
            IdType::RussianPassport => russia::check_passport(&number)?,
            IdType::Inn => russia::check_inn(&number)?,
            IdType::Nric => singapore::check(&number, &['S', 'T'])?,
            IdType::Fin => singapore::check(&number, &['F', 'G', 'M'])?,
            IdType::ThaiId => thailand::check_id(&number)?,
            IdType::EmiratesId => united_arab_emirates::check_emirates_id(&number)?,
            IdType::Cccd => vietnam::check_cccd(&number)?,
            IdType::Cmnd => vietnam::check_cmnd(&number)?,
        }
        Ok(Self(number))
    }

    /// The number: upper-case letters and digits (a passport's as typed, without spaces).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Passports differ by country: 6 to 9 letters and digits, at least one a digit.
fn passport(number: &str) -> Result<(), ValidationError> {
    let shape_ok = (6..=9).contains(&number.len())
        && number.chars().all(|c| c.is_ascii_alphanumeric())
        && number.chars().any(|c| c.is_ascii_digit());
    shape_ok
        .then_some(())
        .ok_or(ValidationError::InvalidIdFormat)
}

/// Refuses a number that is not exactly `len` ASCII digits.
fn digits(number: &str, len: usize) -> Result<(), ValidationError> {
    let ok = number.len() == len && number.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(()).ok_or(ValidationError::InvalidIdFormat)
}

/// The number written by two ASCII digits at `at` (the caller checked they are digits).
fn two_digits(number: &str, at: usize) -> u8 {
    let b = number.as_bytes();
    (b[at] - b'0') * 10 + (b[at + 1] - b'0')
}

/// Whether a date written with a two-digit year exists in the 1900s or the 2000s: the
/// numbers that encode one do not say the century, and 29 February needs it.
fn date_exists_in_a_recent_century(yy: u8, month: u8, day: u8) -> bool {
    [1900, 2000]
        .iter()
        .any(|century| CalendarDate::new(century + i32::from(yy), month, day).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_is_found_by_its_code() {
        for id_type in IdType::ALL {
            assert_eq!(IdType::from_code(id_type.code()), Some(id_type));
        }
        assert_eq!(IdType::from_code("nric"), None);
        assert_eq!(IdType::from_code("DRIVING_LICENSE"), None);
    }

    #[test]
    fn passports_keep_todays_rule() {
        for number in ["E1234567A", "k1234567", "123456", "AB 123 4567"] {
            assert!(
                IdNumber::parse(number, IdType::Passport).is_ok(),
                "{number}"
            );
        }
        for number in ["ABCDEFG", "12345", "A12345678X", "E1234-567"] {
            assert_eq!(
                IdNumber::parse(number, IdType::Passport),
                Err(ValidationError::InvalidIdFormat),
                "{number}"
            );
        }
        assert_eq!(
            IdNumber::parse("  ", IdType::Passport),
            Err(ValidationError::Required)
        );
    }

    #[test]
    fn national_numbers_are_stored_without_separators() {
        let stored = |raw, id_type| IdNumber::parse(raw, id_type).unwrap().as_str().to_owned();
        assert_eq!(stored("a123456(3)", IdType::Hkid), "A1234563");
        assert_eq!(stored("900101-14-5678", IdType::MyKad), "900101145678");
        assert_eq!(
            stored("784-1990-6570305-2", IdType::EmiratesId),
            "784199065703052"
        );
        assert_eq!(stored("s1234567d", IdType::Nric), "S1234567D");
    }

    #[test]
    fn two_digit_years_may_be_of_either_century() {
        assert!(date_exists_in_a_recent_century(0, 2, 29));
        assert!(date_exists_in_a_recent_century(96, 2, 29));
        assert!(!date_exists_in_a_recent_century(97, 2, 29));
        assert!(!date_exists_in_a_recent_century(90, 4, 31));
        assert!(!date_exists_in_a_recent_century(90, 13, 1));
    }
}

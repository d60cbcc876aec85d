//! Reference data per market and per language: the valid codes of every coded field the
//! journey uses, labelled in the customer's language. The same tables validate the codes an
//! application carries, so whatever the widget offers in a market, the sandbox accepts there.

mod tables;

use crate::auth::BankHeaders;
use crate::error::BankError;
use crate::extract::BankPath;
use crate::markets::Market;
use axum::http::header::CONTENT_LANGUAGE;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bank_api::{Language, ReferenceDataResponse, ReferenceValue};
use tables::{Table, Value, TABLES};

/// The values of a reference code a market offers, in the order customers see them; `None`
/// for a code the sandbox does not know.
fn offered(market: Market, reference_code: &str) -> Option<Vec<&'static Value>> {
    let table: &Table = TABLES.iter().find(|t| t.reference_code == reference_code)?;
    let by_code = |code: &str| table.values.iter().find(|v| v.code == code);
    let values = match reference_code {
        "salutation" => market
            .salutations()
            .iter()
            .filter_map(|c| by_code(c))
            .collect(),
        "idType" => market
            .id_types()
            .iter()
            .filter_map(|c| by_code(c))
            .collect(),
        // The market's own country first: the address is most likely there, so a form
        // that preselects the first value preselects the right one.
        "country" => by_code(market.code())
            .into_iter()
            .chain(table.values.iter().filter(|v| v.code != market.code()))
            .collect(),
        _ => table.values.iter().collect(),
    };
    Some(values)
}

/// The values of a reference code in a market, labelled in `language`; `None` for a code
/// the sandbox does not know.
pub fn values(
    market: Market,
    language: Language,
    reference_code: &str,
) -> Option<ReferenceDataResponse> {
    let values = offered(market, reference_code)?;
    Some(ReferenceDataResponse {
        reference_code: reference_code.to_owned(),
        values: values
            .into_iter()
            .map(|value| ReferenceValue {
                code: value.code.to_owned(),
                description: value.label.get(language).to_owned(),
            })
            .collect(),
    })
}

/// Whether `code` is one of the values of `reference_code` that `market` offers.
pub fn is_valid(market: Market, reference_code: &str, code: &str) -> bool {
    offered(market, reference_code).is_some_and(|values| values.iter().any(|v| v.code == code))
}

/// `GET /api/v1/apac/utilities/referenceData/{referenceCode}`: the market's values, in the
/// language `Accept-Language` asks for, which `Content-Language` names.
pub async fn reference_data(
    headers: BankHeaders,
    BankPath(reference_code): BankPath<String>,
) -> Result<Response, BankError> {
    let answer = values(headers.market, headers.language, &reference_code).ok_or_else(|| {
        BankError::resource_not_found(format!("Reference data {reference_code:?}"))
    })?;
    Ok(([(CONTENT_LANGUAGE, headers.language.tag())], Json(answer)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_table_has_unique_codes_and_every_label_written() {
        for table in TABLES {
            assert!(!table.values.is_empty(), "{}", table.reference_code);
            let mut codes = HashSet::new();
            for value in table.values {
                assert!(codes.insert(value.code), "{} twice", value.code);
                for language in Language::ALL {
                    let label = value.label.get(language);
                    assert!(
                        !label.is_empty() && label.trim() == label,
                        "{}.{} in {language:?}: {label:?}",
                        table.reference_code,
                        value.code
                    );
                }
            }
        }
    }

    #[test]
    fn every_code_a_market_names_is_in_its_table() {
        for market in Market::ALL {
            for (field, codes) in [
                ("salutation", market.salutations()),
                ("idType", market.id_types()),
                ("country", &[market.code()][..]),
            ] {
                for code in codes {
                    assert!(
                        is_valid(market, field, code),
                        "{market:?} names {field} {code} that has no label"
                    );
                }
            }
            assert_eq!(
                offered(market, "salutation").unwrap().len(),
                market.salutations().len()
            );
            assert_eq!(
                offered(market, "idType").unwrap().len(),
                market.id_types().len()
            );
        }
    }

    #[test]
    fn no_two_values_a_market_offers_read_the_same_in_its_languages() {
        for market in Market::ALL {
            for &language in market.languages() {
                for table in TABLES {
                    let values = offered(market, table.reference_code).unwrap();
                    let mut seen = HashSet::new();
                    for value in values {
                        assert!(
                            seen.insert(value.label.get(language)),
                            "{market:?} {language:?} {}: {} reads like another value",
                            table.reference_code,
                            value.code
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_markets_own_country_comes_first_and_every_country_stays() {
        for market in Market::ALL {
            let countries = values(market, Language::English, "country").unwrap();
            assert_eq!(countries.values[0].code, market.code(), "{market:?}");
            assert_eq!(countries.values.len(), tables::COUNTRY.values.len());
        }
    }

    #[test]
    fn codes_are_checked_per_market_and_field() {
        assert!(is_valid(Market::HongKong, "idType", "HKID"));
        assert!(!is_valid(Market::Singapore, "idType", "HKID"));
        assert!(is_valid(Market::Singapore, "salutation", "MDM"));
        assert!(!is_valid(Market::HongKong, "salutation", "MDM"));
        assert!(is_valid(Market::Poland, "country", "SG"));
        assert!(!is_valid(
            Market::Singapore,
            "employmentStatus",
            "self_employed"
        ));
        assert!(!is_valid(Market::Singapore, "unknownField", "SG"));
        assert_eq!(
            values(Market::Singapore, Language::English, "Country"),
            None
        );
    }

    #[test]
    fn labels_follow_the_language_and_codes_do_not() {
        let thai = values(Market::Thailand, Language::Thai, "idType").unwrap();
        let english = values(Market::Thailand, Language::English, "idType").unwrap();
        let codes = |r: &ReferenceDataResponse| -> Vec<String> {
            r.values.iter().map(|v| v.code.clone()).collect()
        };
        assert_eq!(codes(&thai), ["THAI_ID", "PASSPORT"]);
        assert_eq!(codes(&thai), codes(&english));
        assert_eq!(thai.values[0].description, "บัตรประจำตัวประชาชน");
        assert_eq!(english.values[0].description, "Thai national ID card");
    }
}

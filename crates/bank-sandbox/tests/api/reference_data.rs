//! Reference data per market and per language.

use crate::support::*;
use axum::http::{Method, StatusCode};
use bank_api::ReferenceDataResponse;

const BASE: &str = "/api/v1/apac/utilities/referenceData";

async fn codes(sandbox: &Sandbox, field: &str) -> Vec<(String, String)> {
    let (status, body) = sandbox
        .call(Method::GET, &format!("{BASE}/{field}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{field}: {body}");
    let data: ReferenceDataResponse = serde_json::from_value(body).unwrap();
    assert_eq!(data.reference_code, field);
    data.values
        .into_iter()
        .map(|v| (v.code, v.description))
        .collect()
}

fn only_codes(values: &[(String, String)]) -> Vec<&str> {
    values.iter().map(|(c, _)| c.as_str()).collect()
}

#[tokio::test]
async fn every_field_has_its_singapore_values() {
    let sandbox = Sandbox::instant().await;
    let owned = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(c, d)| ((*c).to_owned(), (*d).to_owned()))
            .collect()
    };
    assert_eq!(
        codes(&sandbox, "salutation").await,
        owned(&[
            ("MR", "Mr"),
            ("MRS", "Mrs"),
            ("MS", "Ms"),
            ("MDM", "Mdm"),
            ("DR", "Dr")
        ])
    );
    assert_eq!(
        codes(&sandbox, "idType").await,
        owned(&[
            ("NRIC", "NRIC (Singapore citizen or permanent resident)"),
            ("FIN", "FIN (foreigner with a long-term pass)"),
            ("PASSPORT", "Passport"),
        ])
    );
    let countries = codes(&sandbox, "country").await;
    assert_eq!(
        only_codes(&countries),
        [
            "SG", "MY", "ID", "CN", "IN", "PH", "TH", "VN", "HK", "AU", "GB", "US", "PL", "RU",
            "AE"
        ]
    );
    assert_eq!(countries[0].1, "Singapore");
    assert_eq!(
        codes(&sandbox, "employmentStatus").await,
        owned(&[
            ("EMPLOYED", "Employed (salaried)"),
            ("SELF_EMPLOYED", "Self-employed"),
            ("RETIRED", "Retired"),
            ("STUDENT", "Student"),
            ("UNEMPLOYED", "Not employed"),
        ])
    );
    assert_eq!(
        only_codes(&codes(&sandbox, "occupationCode").await),
        [
            "MANAGER",
            "PROFESSIONAL",
            "TECHNICIAN",
            "CLERICAL",
            "SALES",
            "SERVICE",
            "TRADES",
            "OPERATOR",
            "HOMEMAKER",
            "OTHER"
        ]
    );
    assert_eq!(
        only_codes(&codes(&sandbox, "industryCode").await),
        [
            "BANKING_FINANCE",
            "GOVERNMENT",
            "HEALTHCARE",
            "EDUCATION",
            "IT_TELECOM",
            "MANUFACTURING",
            "RETAIL",
            "HOSPITALITY",
            "CONSTRUCTION",
            "OTHER"
        ]
    );
    assert_eq!(
        only_codes(&codes(&sandbox, "highestEducationLevel").await),
        [
            "PRIMARY",
            "SECONDARY",
            "DIPLOMA",
            "BACHELOR",
            "POSTGRADUATE",
            "OTHER"
        ]
    );
    assert_eq!(
        codes(&sandbox, "residenceType").await,
        owned(&[
            ("OWNED", "Owned, fully paid"),
            ("MORTGAGED", "Owned, with a mortgage"),
            ("RENTED", "Rented"),
            ("FAMILY", "Living with family"),
            ("EMPLOYER", "Employer-provided"),
        ])
    );
}

#[tokio::test]
async fn an_unknown_reference_code_is_resource_not_found() {
    let sandbox = Sandbox::instant().await;
    for field in ["maritalStatus", "SALUTATION", "salutation%20"] {
        let answer = sandbox
            .call(Method::GET, &format!("{BASE}/{field}"), None)
            .await;
        assert_error(&answer, 404, "error", "resourceNotFound", None);
    }
}

#[tokio::test]
async fn reference_data_needs_the_bank_headers() {
    let sandbox = Sandbox::instant().await;
    let mut request = sandbox
        .request(Method::GET, &format!("{BASE}/salutation"))
        .body(axum::body::Body::empty())
        .unwrap();
    request.headers_mut().remove("countrycode");
    let answer = sandbox.send(request).await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("countryCode"),
    );
}

/// The values of `field` in `market` and the `Content-Language` they came in.
async fn labelled(
    sandbox: &Sandbox,
    market: Market,
    field: &str,
) -> (Vec<(String, String)>, String) {
    let request = sandbox
        .request_in(market, Method::GET, &format!("{BASE}/{field}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, headers, body) = sandbox.send_with_headers(request).await;
    assert_eq!(status, StatusCode::OK, "{} {field}: {body}", market.code);
    let data: ReferenceDataResponse = serde_json::from_value(body).unwrap();
    let language = headers
        .get("content-language")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let values = data
        .values
        .into_iter()
        .map(|v| (v.code, v.description))
        .collect();
    (values, language)
}

fn in_market(code: &'static str) -> Market {
    Market { code, ..SG }
}

#[tokio::test]
async fn every_market_lists_its_own_id_types() {
    let sandbox = Sandbox::instant().await;
    for (market, id_types) in [
        ("SG", &["NRIC", "FIN", "PASSPORT"][..]),
        ("HK", &["HKID", "PASSPORT"]),
        ("IN", &["AADHAAR", "PAN", "PASSPORT"]),
        ("ID", &["NIK", "PASSPORT"]),
        ("MY", &["MYKAD", "PASSPORT"]),
        ("PH", &["PHILSYS", "UMID", "PASSPORT"]),
        ("PL", &["PESEL", "PL_ID_CARD", "PASSPORT"]),
        ("RU", &["RU_PASSPORT", "PASSPORT"]),
        ("TH", &["THAI_ID", "PASSPORT"]),
        ("AE", &["EMIRATES_ID", "PASSPORT"]),
        ("VN", &["CCCD", "PASSPORT"]),
        ("AU", &["AU_DRIVER_LICENCE", "MEDICARE", "PASSPORT"]),
    ] {
        let (values, _) = labelled(&sandbox, in_market(market), "idType").await;
        assert_eq!(only_codes(&values), id_types, "{market}");
        let (countries, _) = labelled(&sandbox, in_market(market), "country").await;
        assert_eq!(countries[0].0, market, "the market's own country first");
        assert_eq!(countries.len(), 15, "{market}");
    }
}

#[tokio::test]
async fn salutations_are_the_markets() {
    let sandbox = Sandbox::instant().await;
    for (market, salutations) in [
        ("SG", &["MR", "MRS", "MS", "MDM", "DR"][..]),
        ("HK", &["MR", "MRS", "MS", "MISS", "DR"]),
        ("TH", &["MR", "MRS", "MISS", "DR"]),
        ("PL", &["MR", "MS"]),
        ("AE", &["MR", "MRS", "MISS", "DR"]),
    ] {
        let (values, _) = labelled(&sandbox, in_market(market), "salutation").await;
        assert_eq!(only_codes(&values), salutations, "{market}");
    }
}

#[tokio::test]
async fn arabic_labels_for_the_uae() {
    let sandbox = Sandbox::instant().await;
    let arabic = AE.speaking("ar-AE,ar;q=0.9,en;q=0.8");
    let (ids, language) = labelled(&sandbox, arabic, "idType").await;
    assert_eq!(language, "ar");
    assert_eq!(
        ids,
        [
            (
                "EMIRATES_ID".to_owned(),
                "بطاقة الهوية الإماراتية".to_owned()
            ),
            ("PASSPORT".to_owned(), "جواز السفر".to_owned()),
        ]
    );
    let (salutations, _) = labelled(&sandbox, arabic, "salutation").await;
    assert_eq!(salutations[0], ("MR".to_owned(), "السيد".to_owned()));
    let (countries, _) = labelled(&sandbox, arabic, "country").await;
    assert_eq!(
        countries[0],
        ("AE".to_owned(), "الإمارات العربية المتحدة".to_owned())
    );
}

#[tokio::test]
async fn traditional_chinese_labels_for_hong_kong_by_script_or_region() {
    let sandbox = Sandbox::instant().await;
    for tag in ["zh-Hant", "zh-HK", "zh-TW;q=0.9, en;q=0.5"] {
        let (ids, language) = labelled(&sandbox, HK.speaking(tag), "idType").await;
        assert_eq!(language, "zh-Hant", "{tag}");
        assert_eq!(
            ids[0],
            ("HKID".to_owned(), "香港身份證".to_owned()),
            "{tag}"
        );
        let (residence, _) = labelled(&sandbox, HK.speaking(tag), "residenceType").await;
        assert_eq!(residence[2], ("RENTED".to_owned(), "租住".to_owned()));
    }
    // Simplified Chinese is not written: English, not traditional characters.
    let (ids, language) = labelled(&sandbox, HK.speaking("zh-CN"), "idType").await;
    assert_eq!(language, "en");
    assert_eq!(ids[0].1, "Hong Kong Identity Card");
}

#[tokio::test]
async fn thai_labels_for_thailand() {
    let sandbox = Sandbox::instant().await;
    let thai = in_market("TH").speaking("th-TH");
    let (ids, language) = labelled(&sandbox, thai, "idType").await;
    assert_eq!(language, "th");
    assert_eq!(
        ids[0],
        ("THAI_ID".to_owned(), "บัตรประจำตัวประชาชน".to_owned())
    );
    let (status, _) = labelled(&sandbox, thai, "employmentStatus").await;
    assert_eq!(
        status[0],
        ("EMPLOYED".to_owned(), "พนักงานประจำ (รับเงินเดือน)".to_owned())
    );
}

#[tokio::test]
async fn each_local_language_in_its_market() {
    let sandbox = Sandbox::instant().await;
    for (market, tag, code, label) in [
        ("VN", "vi-VN", "CCCD", "Căn cước công dân (CCCD)"),
        ("ID", "id", "NIK", "NIK (Nomor Induk Kependudukan, e-KTP)"),
        ("MY", "ms-MY", "MYKAD", "MyKad (kad pengenalan Malaysia)"),
        ("PL", "pl-PL", "PL_ID_CARD", "Dowód osobisty"),
        ("RU", "ru", "RU_PASSPORT", "Паспорт гражданина РФ"),
    ] {
        let (ids, language) = labelled(&sandbox, in_market(market).speaking(tag), "idType").await;
        assert_eq!(language, tag.split('-').next().unwrap(), "{market}");
        let found = ids.iter().find(|(c, _)| c == code).unwrap();
        assert_eq!(found.1, label, "{market}");
    }
}

#[tokio::test]
async fn a_language_the_market_is_not_served_in_or_none_is_english() {
    let sandbox = Sandbox::instant().await;
    for market in [
        SG.speaking("th"),
        in_market("TH").speaking("pl, fr;q=0.8"),
        AE.speaking("*"),
        AE,
    ] {
        let (values, language) = labelled(&sandbox, market, "salutation").await;
        assert_eq!(language, "en", "{market:?}");
        assert_eq!(values[0].1, "Mr", "{market:?}");
    }
}

//! The OpenAPI description must stay in step with this crate: every path the BFF and the
//! sandbox build, and every error code they know, must be in it.

use crate::paths::{self, ApplicationApi};
use crate::{BankErrorCode, OPENAPI_YAML};
use serde_json::Value;

const EMEA: ApplicationApi = ApplicationApi::Emea;

fn document() -> Value {
    serde_yaml_ng::from_str(OPENAPI_YAML).expect("openapi.yaml is valid YAML")
}

/// Whether `path` is an instance of `template`, whose `{name}` segments match any segment.
fn matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}

/// The value a local `$ref` (`#/components/...`) points at.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling $ref {r}")),
        None => value,
    }
}

#[test]
fn the_description_parses_as_openapi_3_1() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"].as_object().is_some_and(|p| !p.is_empty()));
    assert!(doc["components"]["schemas"].is_object());
}

#[test]
fn every_path_of_bank_api_paths_is_described_with_its_method() {
    let doc = document();
    let described = doc["paths"].as_object().expect("paths");
    let id = "000000000042";
    let built = [
        ("post", paths::token("SG")),
        ("post", paths::APPLICATIONS.to_owned()),
        ("put", paths::application(id)),
        ("get", paths::application(id)),
        ("get", paths::application_status(id)),
        ("post", paths::background_screening(id)),
        ("post", paths::in_principle_approvals(id)),
        ("get", paths::reference_data("salutation")),
        ("post", paths::offer_acceptance(id)),
        ("post", paths::submission(id)),
        ("post", paths::PROSPECTS.to_owned()),
        ("post", EMEA.applications().to_owned()),
        ("put", EMEA.application(id)),
        ("get", EMEA.application(id)),
        ("get", EMEA.status(id)),
        ("post", EMEA.background_screening(id)),
        ("post", EMEA.in_principle_approvals(id)),
        ("post", EMEA.offer_acceptance(id)),
        ("post", EMEA.submission(id)),
    ];
    for (method, path) in built {
        let found = described
            .iter()
            .filter(|(template, _)| matches(template, &path))
            .any(|(_, item)| item.get(method).is_some());
        assert!(found, "{method} {path} is not in openapi.yaml");
    }
}

#[test]
fn every_bank_error_code_is_documented_in_the_error_list() {
    let doc = document();
    let error_list = &doc["components"]["schemas"]["ErrorList"];
    let documentation = error_list["description"].as_str().expect("a description");
    for code in BankErrorCode::ALL {
        let cell = format!("`{}`", code.code());
        assert!(
            documentation.contains(&cell),
            "{} is not in ErrorList's description",
            code.code()
        );
        let status = code.http_status().to_string();
        let row = documentation
            .lines()
            .find(|line| line.contains(&cell))
            .unwrap_or_default();
        assert!(
            row.contains(&status) && row.contains(&format!("`{:?}`", code.kind()).to_lowercase()),
            "the row of {} does not give status {status} and its type: {row}",
            code.code()
        );
    }
}

#[test]
fn every_local_reference_resolves() {
    let doc = document();
    fn walk(doc: &Value, value: &Value) {
        match value {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                    resolve(doc, value);
                    assert!(r.starts_with("#/components/"), "non-local $ref {r}");
                }
                map.values().for_each(|v| walk(doc, v));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(doc, v)),
            _ => {}
        }
    }
    walk(&doc, &doc);
}

#[test]
fn every_schema_is_closed_and_types_its_fields() {
    let doc = document();
    for (name, schema) in doc["components"]["schemas"].as_object().expect("schemas") {
        assert_eq!(schema["type"], "object", "{name} is not an object");
        assert_eq!(
            schema["additionalProperties"], false,
            "{name} does not set additionalProperties: false"
        );
        let properties = schema["properties"].as_object().expect("properties");
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for field in required {
                let field = field.as_str().unwrap_or_default();
                assert!(
                    properties.contains_key(field),
                    "{name} requires unknown {field}"
                );
            }
        }
        for (field, property) in properties {
            let typed = property.get("type").is_some()
                || property.get("$ref").is_some()
                || property.get("allOf").is_some();
            assert!(typed, "{name}.{field} has no type");
            if property["type"] == "array" {
                assert!(property["items"].is_object(), "{name}.{field} has no items");
            }
        }
    }
}

#[test]
fn every_described_operation_has_its_required_headers() {
    let doc = document();
    for (template, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            if method == "parameters" {
                continue;
            }
            let headers: Vec<&str> = operation["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .map(|p| resolve(&doc, p))
                .filter(|p| p["in"] == "header" && p["required"] == true)
                .filter_map(|p| p["name"].as_str())
                .collect();
            let wanted: &[&str] = if template.starts_with("/clientCredentials") {
                &["Authorization", "Accept", "Content-Type"]
            } else if method == "get" {
                &["Authorization", "Accept", "client_id", "uuid"]
            } else {
                &[
                    "Authorization",
                    "Accept",
                    "client_id",
                    "uuid",
                    "Content-Type",
                ]
            };
            for header in wanted {
                assert!(
                    headers.contains(header),
                    "{method} {template} lacks {header}"
                );
            }
            if template.starts_with("/v1/emea/") {
                assert!(
                    headers.contains(&"countryCode"),
                    "{method} {template} lacks countryCode"
                );
            }
            let description = format!("{}{}", operation["summary"], operation["description"]);
            let served = !description.contains("not yet served by the sandbox");
            let sandbox_serves = [
                "issueToken",
                "createApplication",
                "updateApplication",
                "screenApplication",
                "requestInPrincipleApproval",
                "acceptOffers",
                "submitApplication",
                "referenceData",
                "submitProspect",
                "createEmeaApplication",
                "updateEmeaApplication",
                "screenEmeaApplication",
                "requestEmeaInPrincipleApproval",
                "acceptEmeaOffers",
                "submitEmeaApplication",
                "saveApplicationForLater",
                "saveEmeaApplicationForLater",
                "applicationStatus",
                "inquireApplication",
                "emeaApplicationStatus",
                "inquireEmeaApplication",
            ]
            .contains(&operation["operationId"].as_str().unwrap_or_default());
            assert_eq!(
                served, sandbox_serves,
                "{method} {template}: is it served by the sandbox?"
            );
        }
    }
}

#[test]
fn every_country_code_parameter_names_the_markets_of_its_api() {
    let doc = document();
    let markets = |name: &str| -> Vec<String> {
        doc["components"]["parameters"][name]["schema"]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} lists its markets"))
            .iter()
            .map(|m| m.as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let apac = markets("ApacCountryCode");
    let prospects = markets("ProspectCountryCode");
    let emea = markets("EmeaCountryCode");
    assert_eq!(apac, ["AU", "HK", "IN", "MY", "PH", "SG"]);
    assert_eq!(prospects, ["ID", "TH", "VN"]);
    assert_eq!(emea, ["PL", "RU", "AE"]);
    let mut every: Vec<String> = [apac, prospects, emea].concat();
    every.sort();
    let mut all = markets("CountryCode");
    all.sort();
    assert_eq!(every, all, "each market is taken by exactly one API");
}

#[test]
fn the_country_codes_are_the_described_ones() {
    let doc = document();
    let mut described: Vec<&str> = doc["components"]["parameters"]["CountryCode"]["schema"]["enum"]
        .as_array()
        .expect("CountryCode lists the markets")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    described.sort_unstable();
    let mut codes: Vec<&str> = crate::Country::ALL.iter().map(|c| c.code()).collect();
    codes.sort_unstable();
    assert_eq!(codes, described);
}

#[test]
fn the_prospect_request_serialises_into_its_schema_fields() {
    use crate::{ContactPreference, Interest, Name, Prospect, ProspectAddRequest};
    let doc = document();
    let request = ProspectAddRequest {
        interest: Interest {
            product_group: "CREDIT_CARD".into(),
            campaign_id: Some("CA13".into()),
            wave_id: None,
        },
        prospect: Prospect {
            name: Name {
                salutation: Some("MR".into()),
                given_name: "Somchai".into(),
                surname: Some("Jaidee".into()),
            },
            address: Vec::new(),
            email: Vec::new(),
            phone: Vec::new(),
            contact_preference: ContactPreference {
                send_sms_advice_flag: Some(true),
                ..ContactPreference::default()
            },
            mother_maiden_name: None,
            demographics: None,
            financial_information: None,
            education: None,
            employment_details: Vec::new(),
            identification_document_details: Vec::new(),
        },
    };
    let json = serde_json::to_value(&request).unwrap();
    for (schema, value) in [
        ("ProspectAddRequest", &json),
        ("Interest", &json["interest"]),
        ("Prospect", &json["prospect"]),
        ("ContactPreference", &json["prospect"]["contactPreference"]),
    ] {
        let described = doc["components"]["schemas"][schema]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{schema} is described"));
        for field in value.as_object().expect("an object").keys() {
            assert!(
                described.contains_key(field),
                "{schema}.{field} is not described"
            );
        }
    }
}

/// Every way `value` breaks the schema `schema` of the description, each located at a JSON
/// path from `at`. Covers what this crate's types produce: `$ref`, `allOf`, object fields
/// (closed, required), arrays, scalar types, `enum` and `format: date`.
fn misfits(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let schema = resolve(doc, schema);
    let mut problems: Vec<String> = schema["allOf"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|part| misfits(doc, part, value, at))
        .collect();
    let typed = |name: &str| match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        "boolean" => value.is_boolean(),
        _ => false,
    };
    if let Some(kind) = schema["type"].as_str() {
        if !typed(kind) {
            problems.push(format!("{at} is not of type {kind}: {value}"));
            return problems;
        }
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            problems.push(format!("{at} {value} is not one of {allowed:?}"));
        }
    }
    if schema["format"] == "date" {
        let date = value.as_str().unwrap_or_default();
        let shaped = date.len() == 10
            && date.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !shaped {
            problems.push(format!("{at} {value} is not a YYYY-MM-DD date"));
        }
    }
    for field in schema["required"].as_array().into_iter().flatten() {
        let field = field.as_str().unwrap_or_default();
        if value.get(field).is_none() {
            problems.push(format!("{at}.{field} is required"));
        }
    }
    if let (Some(properties), Some(fields)) = (schema["properties"].as_object(), value.as_object())
    {
        for (field, item) in fields {
            match properties.get(field) {
                Some(property) => {
                    problems.extend(misfits(doc, property, item, &format!("{at}.{field}")))
                }
                None if schema["additionalProperties"] == false => {
                    problems.push(format!("{at}.{field} is not described"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
        for (i, item) in values.iter().enumerate() {
            problems.extend(misfits(doc, items, item, &format!("{at}[{i}]")));
        }
    }
    problems
}

/// Asserts that `value` fits the component schema `name`.
#[track_caller]
fn assert_fits(doc: &Value, name: &str, value: &Value) {
    let schema = &doc["components"]["schemas"][name];
    assert!(schema.is_object(), "{name} is not described");
    let problems = misfits(doc, schema, value, name);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A decision with every field this crate writes: a limit, a counter-offer and a
/// cross-sell offer.
fn decided() -> crate::InPrincipleApprovalResponse {
    use crate::{CreditSpecificRecommendations, ProductOffer, RequestedProductDecision};
    let offer = |product: &str, sequence: &str| ProductOffer {
        offer_product_code: product.into(),
        offer_product_organisation_code: Some("888".into()),
        offer_source_code: Some("WW5ARCE1".into()),
        offer_sequence_id: sequence.into(),
        credit_specific_recommendations: vec![CreditSpecificRecommendations {
            recommended_credit_limit: Some(5_000.0),
        }],
    };
    crate::InPrincipleApprovalResponse {
        application_stage: "APPROVAL".into(),
        ipa_expiry_date: Some("2026-04-01".into()),
        requested_product_decision: vec![RequestedProductDecision {
            product_code: "VC830".into(),
            organisation_code: Some("888".into()),
            source_code: "WW5ARCE1".into(),
            credit_decision: Some("000".into()),
            credit_specific_recommendations: vec![CreditSpecificRecommendations {
                recommended_credit_limit: Some(10_000.0),
            }],
        }],
        counter_offers: vec![offer("VC410", "1")],
        cross_sell_offers: vec![offer("RC100", "2")],
    }
}

#[test]
fn the_checker_of_these_tests_catches_an_extra_a_missing_and_a_mistyped_field() {
    let doc = document();
    let good = serde_json::to_value(decided()).unwrap();
    assert_fits(&doc, "InPrincipleApprovalResponse", &good);
    let mut extra = good.clone();
    extra["requestedProductDecision"][0]["organisationName"] = "888".into();
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("applicationStage");
    let mut mistyped = good.clone();
    mistyped["crossSellOffers"][0]["creditSpecificRecommendations"][0]["recommendedCreditLimit"] =
        "5000".into();
    let mut undated = good;
    undated["ipaExpiryDate"] = "01/04/2026".into();
    for bad in [extra, missing, mistyped, undated] {
        let schema = &doc["components"]["schemas"]["InPrincipleApprovalResponse"];
        assert!(!misfits(&doc, schema, &bad, "").is_empty(), "{bad} fits");
    }
}

#[test]
fn the_status_answer_fits_its_schema_before_and_after_a_decision() {
    use crate::ApplicationStatusResponse;
    let doc = document();
    let ipa = decided();
    // The decision fields of a status are the IPA answer's, field for field.
    let status: ApplicationStatusResponse =
        serde_json::from_value(serde_json::to_value(&ipa).unwrap()).unwrap();
    let json = serde_json::to_value(&status).unwrap();
    assert_fits(&doc, "ApplicationStatusResponse", &json);
    assert_eq!(json, serde_json::to_value(&ipa).unwrap());
    assert_eq!(status.in_principle_approval(), Some(ipa));

    let before = ApplicationStatusResponse {
        application_stage: "BACKGROUND_SCREENING".into(),
        ipa_expiry_date: None,
        requested_product_decision: Vec::new(),
        counter_offers: Vec::new(),
        cross_sell_offers: Vec::new(),
    };
    assert_fits(
        &doc,
        "ApplicationStatusResponse",
        &serde_json::to_value(&before).unwrap(),
    );
    let schema = &doc["components"]["schemas"]["ApplicationStatusResponse"];
    assert!(
        !misfits(&doc, schema, &serde_json::json!({}), "").is_empty(),
        "a status without applicationStage fits"
    );
}

#[test]
fn the_inquiry_answer_fits_its_schema_with_the_application_and_its_decision() {
    use crate::{
        Applicant, ApplicationInquiryResponse, ConsentDetail, CreditCardProduct, Demographics,
        Phone, Product,
    };
    let doc = document();
    let ipa = decided();
    let inquiry = ApplicationInquiryResponse {
        application_stage: Some(ipa.application_stage.clone()),
        has_any_supplementary_flag: false,
        ipa_expiry_date: ipa.ipa_expiry_date.clone(),
        product: Some(Product {
            credit_card_product: CreditCardProduct {
                product_code: "VC830".into(),
                source_code: "WW5ARCE1".into(),
                organization: "888".into(),
                logo: "830".into(),
            },
        }),
        applicant: Some(Applicant {
            name: Some(crate::Name {
                salutation: Some("MS".into()),
                given_name: "Mei Ling".into(),
                surname: Some("Tan".into()),
            }),
            phone: vec![Phone {
                phone_type: "MOBILE".into(),
                phone_country_code: "65".into(),
                phone_number: "91234567".into(),
            }],
            demographics: Some(Demographics {
                date_of_birth: Some("1990-04-01".into()),
                residence_type: Some("RENTED".into()),
            }),
            consent_details: vec![ConsentDetail {
                consent_type: "TERMS_AND_CONDITIONS".into(),
                is_consent_given: true,
            }],
            ..Applicant::default()
        }),
        requested_product_decision: ipa.requested_product_decision.clone(),
        counter_offers: ipa.counter_offers.clone(),
        cross_sell_offers: ipa.cross_sell_offers.clone(),
    };
    assert_fits(
        &doc,
        "ApplicationInquiryResponse",
        &serde_json::to_value(&inquiry).unwrap(),
    );
    assert_eq!(inquiry.in_principle_approval(), Some(ipa));
    // An answer with nothing in it is still the inquiry's shape (nothing is required).
    assert_fits(&doc, "ApplicationInquiryResponse", &serde_json::json!({}));
}

#[test]
fn the_read_calls_take_the_flow_id_in_their_query_and_answer_their_schemas() {
    let doc = document();
    let id = "000000000042";
    for (path, schema) in [
        (paths::application(id), "ApplicationInquiryResponse"),
        (paths::application_status(id), "ApplicationStatusResponse"),
        (EMEA.application(id), "ApplicationInquiryResponse"),
        (EMEA.status(id), "ApplicationStatusResponse"),
    ] {
        let (template, item) = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(template, _)| matches(template, &path))
            .unwrap_or_else(|| panic!("{path} is not described"));
        let operation = &item["get"];
        let query: Vec<&Value> = operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| resolve(&doc, p))
            .filter(|p| p["in"] == "query")
            .collect();
        assert_eq!(query.len(), 1, "GET {template}");
        assert_eq!(query[0]["name"], crate::query::CONTROL_FLOW_ID);
        assert_eq!(query[0]["required"], true);
        let answer = &operation["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(
            answer["$ref"],
            format!("#/components/schemas/{schema}"),
            "GET {template}"
        );
        for status in ["400", "401", "404", "500"] {
            assert!(
                operation["responses"][status].is_object(),
                "GET {template} does not describe {status}"
            );
        }
    }
}

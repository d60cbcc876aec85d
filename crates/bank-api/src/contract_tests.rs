//! The OpenAPI description must stay in step with this crate: every path the BFF and the
//! sandbox build, and every error code they know, must be in it.

use crate::{paths, BankErrorCode, OPENAPI_YAML};
use serde_json::Value;

fn document() -> Value {
    serde_yaml::from_str(OPENAPI_YAML).expect("openapi.yaml is valid YAML")
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
        ("post", paths::background_screening(id)),
        ("post", paths::in_principle_approvals(id)),
        ("get", paths::reference_data("salutation")),
        ("post", paths::offer_acceptance(id)),
        ("post", paths::submission(id)),
        ("post", paths::PROSPECTS.to_owned()),
        ("post", paths::emea::APPLICATIONS.to_owned()),
        ("put", paths::emea::application(id)),
        ("post", paths::emea::background_screening(id)),
        ("post", paths::emea::in_principle_approvals(id)),
        ("post", paths::emea::offer_acceptance(id)),
        ("post", paths::emea::submission(id)),
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

//! Shapes on the wire, compared as exact JSON, and every request rule with values on both
//! sides of it.

use crate::*;
use serde_json::{json, Value};

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

fn credit_request() -> CreditApplicationRequest {
    CreditApplicationRequest {
        customer_id: "cstap_7uvAC6nLftLGCq7yic3TfI".into(),
        employer: "Amazon".into(),
        total_annual_income: 50000.0,
        total_annual_income_currency: "USD".into(),
    }
}

#[test]
fn paths_and_header_are_connectfis() {
    assert_eq!(paths::GET_TOKEN, "/auth/get-token");
    assert_eq!(paths::KYC_STATUS, "/akepa/status");
    assert_eq!(paths::CREDIT_APPLICATION, "/ibis/credit-card/application");
    assert_eq!(TOKEN_HEADER, "x-connectfi-token");
}

#[test]
fn the_login_request_nests_the_user() {
    let request = GetTokenRequest {
        user: User {
            login: "CONNECTFI_CLIENTID".into(),
            password: "CONNECTFI_PASSWORD".into(),
        },
    };
    assert_eq!(
        to_json(&request),
        json!({ "user": { "login": "CONNECTFI_CLIENTID", "password": "CONNECTFI_PASSWORD" } })
    );
    let debug = format!("{request:?}");
    assert!(!debug.contains("CONNECTFI_PASSWORD"), "{debug}");
    assert!(debug.contains("CONNECTFI_CLIENTID"), "{debug}");
}

#[test]
fn a_token_answer_is_an_envelope() {
    let answer = Envelope::success(
        Token {
            token: "2dImU5MSc4QCC5y3JJYp7A6cgZ2aNH6nyThjadS7k2kC42262YTedrOPMD9JglnsaR".into(),
            dts_expire_at: "2026-11-22T10:00:00.000Z".into(),
        },
        "64cd247078df11eeb5658f28ab5fe311",
    );
    assert_eq!(
        to_json(&answer),
        json!({
            "code": "0",
            "data": {
                "token": "2dImU5MSc4QCC5y3JJYp7A6cgZ2aNH6nyThjadS7k2kC42262YTedrOPMD9JglnsaR",
                "dtsExpireAt": "2026-11-22T10:00:00.000Z"
            },
            "requestId": "64cd247078df11eeb5658f28ab5fe311"
        })
    );
    assert!(answer.is_success());
}

#[test]
fn the_documented_login_answer_without_request_id_reads() {
    let documented = r#"{"code":"0","data":{"token":"a long random string","dtsExpireAt":"2022-10-07T08:18:57.360Z"}}"#;
    let answer: Envelope<Token> = serde_json::from_str(documented).unwrap();
    assert_eq!(answer.request_id, None);
    assert_eq!(answer.data.dts_expire_at, "2022-10-07T08:18:57.360Z");
    // Re-serialised, the missing requestId stays missing rather than becoming null.
    assert_eq!(to_json(&answer).get("requestId"), None);
}

#[test]
fn the_kyc_status_request_omits_a_missing_application_id() {
    let request = KycStatusRequest {
        customer_id: "cstap_5mBHiIx3QbkvEpjGfKsI9k".into(),
        application_id: None,
    };
    assert_eq!(
        to_json(&request),
        json!({ "customerId": "cstap_5mBHiIx3QbkvEpjGfKsI9k" })
    );
    let request = KycStatusRequest {
        application_id: Some("iapp_1BGgJeDQJFo5MCup15zq9A".into()),
        ..request
    };
    assert_eq!(
        to_json(&request),
        json!({
            "customerId": "cstap_5mBHiIx3QbkvEpjGfKsI9k",
            "applicationId": "iapp_1BGgJeDQJFo5MCup15zq9A"
        })
    );
}

#[test]
fn the_documented_kyc_status_reads_and_is_approved() {
    // The data of connectFi's KYC webhook example, which carries the status answer's fields
    // (and two more, aggregatorId and reference, that the client does not need).
    let documented = json!({
        "code": "0",
        "data": {
            "applicationId": "iapp_6HdIlzPVvBdPRMOLVb7BGW",
            "aggregatorId": "CLIENTID",
            "customerId": "cstap_5WMvWpL6XzfkmntDJeeHm2",
            "reference": "extRefAk124",
            "status": "completed",
            "outcome": "Approved",
            "entityApplications": [{
                "entityId": "cstap_5WMvWpL6XzfkmntDJeeHm2",
                "isCustomer": true,
                "status": "completed",
                "outcome": "approved"
            }]
        },
        "requestId": "2e4d99a0cc3311eebb061f991c0df212"
    });
    let answer: Envelope<KycStatus> = serde_json::from_value(documented).unwrap();
    assert!(answer.data.is_approved());
    assert_eq!(
        to_json(&answer.data),
        json!({
            "applicationId": "iapp_6HdIlzPVvBdPRMOLVb7BGW",
            "customerId": "cstap_5WMvWpL6XzfkmntDJeeHm2",
            "status": "completed",
            "outcome": "Approved",
            "entityApplications": [{
                "entityId": "cstap_5WMvWpL6XzfkmntDJeeHm2",
                "isCustomer": true,
                "status": "completed",
                "outcome": "approved"
            }]
        })
    );
}

fn kyc(outcome: Option<&str>, entities: &[Option<&str>]) -> KycStatus {
    KycStatus {
        application_id: "iapp_x".into(),
        customer_id: "cstap_x".into(),
        status: if outcome.is_some() {
            "completed"
        } else {
            "waiting_review"
        }
        .into(),
        outcome: outcome.map(Into::into),
        entity_applications: entities
            .iter()
            .enumerate()
            .map(|(i, outcome)| EntityApplication {
                entity_id: format!("cstap_{i}"),
                is_customer: i == 0,
                status: "completed".into(),
                outcome: outcome.map(Into::into),
            })
            .collect(),
    }
}

#[test]
fn kyc_is_approved_only_when_the_outcome_and_every_entity_are() {
    assert!(kyc(Some("Approved"), &[Some("approved")]).is_approved());
    assert!(kyc(Some("Approved"), &[Some("approved"), Some("approved")]).is_approved());
    // The defensive half: an Approved journey with a denied or undecided entity.
    assert!(!kyc(Some("Approved"), &[Some("approved"), Some("denied")]).is_approved());
    assert!(!kyc(Some("Approved"), &[Some("approved"), None]).is_approved());
    assert!(!kyc(Some("Approved"), &[]).is_approved());
    assert!(!kyc(Some("Denied"), &[Some("denied")]).is_approved());
    assert!(!kyc(Some("Denied"), &[Some("approved")]).is_approved());
    assert!(!kyc(None, &[None]).is_approved());
    // Cases are connectFi's: the journey capitalised, the entities lower case.
    assert!(!kyc(Some("approved"), &[Some("approved")]).is_approved());
    assert!(!kyc(Some("Approved"), &[Some("Approved")]).is_approved());
}

#[test]
fn a_pending_kyc_status_omits_the_outcomes() {
    let pending = kyc(None, &[None]);
    let value = to_json(&pending);
    assert_eq!(value.get("outcome"), None);
    assert_eq!(value["entityApplications"][0].get("outcome"), None);
    assert_eq!(value["status"], "waiting_review");
}

#[test]
fn the_credit_request_is_the_documented_body() {
    assert_eq!(
        to_json(&credit_request()),
        json!({
            "customerId": "cstap_7uvAC6nLftLGCq7yic3TfI",
            "employer": "Amazon",
            "totalAnnualIncome": 50000,
            "totalAnnualIncomeCurrency": "USD"
        })
    );
    // Whole amounts go out as integers, as in the documentation, others as decimals.
    assert_eq!(
        serde_json::to_string(&credit_request()).unwrap(),
        r#"{"customerId":"cstap_7uvAC6nLftLGCq7yic3TfI","employer":"Amazon","totalAnnualIncome":50000,"totalAnnualIncomeCurrency":"USD"}"#
    );
    let cents = CreditApplicationRequest {
        total_annual_income: 50000.1,
        ..credit_request()
    };
    assert_eq!(to_json(&cents)["totalAnnualIncome"], json!(50000.1));
    let read: CreditApplicationRequest =
        serde_json::from_value(to_json(&credit_request())).unwrap();
    assert_eq!(read, credit_request());
}

#[test]
fn the_documented_credit_answer_round_trips() {
    let documented = json!({
        "code": "0",
        "data": {
            "applicationId": "gsa_34doT0IgvGnvDgHEmsi54l",
            "customerId": "cstap_7uvAC6nLftLGCq7yic3TfI",
            "creditFreeze": false,
            "creditLimit": 2700,
            "creditLimitCurrency": "USD",
            "decision": "Approve",
            "adverseAction": []
        },
        "requestId": "64cd247078df11eeb5658f28ab5fe311"
    });
    let answer: Envelope<CreditApplication> = serde_json::from_value(documented.clone()).unwrap();
    assert_eq!(
        answer.data,
        CreditApplication {
            application_id: "gsa_34doT0IgvGnvDgHEmsi54l".into(),
            customer_id: "cstap_7uvAC6nLftLGCq7yic3TfI".into(),
            credit_freeze: false,
            credit_limit: 2700.0,
            credit_limit_currency: "USD".into(),
            decision: DECISION_APPROVE.into(),
            adverse_action: vec![],
        }
    );
    assert!(answer.data.is_approved());
    assert_eq!(to_json(&answer), documented);
}

#[test]
fn a_declined_application_lists_its_adverse_actions() {
    let declined = CreditApplication {
        application_id: "gsa_1".into(),
        customer_id: "cstap_sandboxFreeze".into(),
        credit_freeze: true,
        credit_limit: 0.0,
        credit_limit_currency: "USD".into(),
        decision: DECISION_DECLINE.into(),
        adverse_action: vec![CREDIT_FREEZE.into()],
    };
    assert_eq!(
        to_json(&declined),
        json!({
            "applicationId": "gsa_1",
            "customerId": "cstap_sandboxFreeze",
            "creditFreeze": true,
            "creditLimit": 0,
            "creditLimitCurrency": "USD",
            "decision": "Decline",
            "adverseAction": ["CREDIT_FREEZE"]
        })
    );
    assert!(!declined.is_approved());
}

#[test]
fn adverse_action_codes_are_their_names() {
    assert_eq!(INSUFFICIENT_INCOME, "INSUFFICIENT_INCOME");
    assert_eq!(
        DELINQUENT_CREDIT_OBLIGATIONS,
        "DELINQUENT_CREDIT_OBLIGATIONS"
    );
    assert_eq!(CREDIT_FREEZE, "CREDIT_FREEZE");
    assert_eq!(UNABLE_TO_VERIFY_IDENTITY, "UNABLE_TO_VERIFY_IDENTITY");
}

#[test]
fn the_error_envelope_always_carries_context_and_omits_a_missing_sub_code() {
    let mut context = serde_json::Map::new();
    context.insert("field".into(), json!("employer"));
    let error = ErrorEnvelope {
        request_id: "64cd247078df11eeb5658f28ab5fe311".into(),
        code: "validationError".into(),
        sub_code: None,
        context,
        message: "employer must not be only whitespace".into(),
    };
    assert_eq!(
        to_json(&error),
        json!({
            "requestId": "64cd247078df11eeb5658f28ab5fe311",
            "code": "validationError",
            "context": { "field": "employer" },
            "message": "employer must not be only whitespace"
        })
    );
    let empty = ErrorEnvelope {
        context: serde_json::Map::new(),
        sub_code: Some("B42".into()),
        ..error
    };
    assert_eq!(to_json(&empty)["context"], json!({}));
    assert_eq!(to_json(&empty)["subCode"], "B42");
}

#[test]
fn the_documented_401_reads_as_an_error_envelope() {
    let documented = r#"{"code":"unauthorized","message":"Authentication error"}"#;
    let error: ErrorEnvelope = serde_json::from_str(documented).unwrap();
    assert_eq!(error.code, "unauthorized");
    assert_eq!(error.message, "Authentication error");
    assert_eq!(error.request_id, "");
    assert!(error.context.is_empty());
}

// ----- rules -----

#[track_caller]
fn fails_at(request: &CreditApplicationRequest, field: &str) {
    match request.validate() {
        Err(failure) => {
            assert_eq!(failure.field, field, "{request:?}: {failure}");
            assert!(failure.rule.contains(field), "{failure}");
        }
        Ok(()) => panic!("{request:?} passed"),
    }
}

#[track_caller]
fn passes(request: &CreditApplicationRequest) {
    assert_eq!(request.validate(), Ok(()), "{request:?}");
}

fn with_customer(customer_id: &str) -> CreditApplicationRequest {
    CreditApplicationRequest {
        customer_id: customer_id.into(),
        ..credit_request()
    }
}

fn with_employer(employer: &str) -> CreditApplicationRequest {
    CreditApplicationRequest {
        employer: employer.into(),
        ..credit_request()
    }
}

fn with_income(income: f64) -> CreditApplicationRequest {
    CreditApplicationRequest {
        total_annual_income: income,
        ..credit_request()
    }
}

fn with_currency(currency: &str) -> CreditApplicationRequest {
    CreditApplicationRequest {
        total_annual_income_currency: currency.into(),
        ..credit_request()
    }
}

#[test]
fn the_documented_request_passes() {
    passes(&credit_request());
}

#[test]
fn customer_id_is_1_to_36_letters_digits_and_underscores() {
    passes(&with_customer("a"));
    passes(&with_customer("cstap_1Vu13vFOsYLXR2Tsvm68jW"));
    passes(&with_customer(&"x".repeat(36)));
    fails_at(&with_customer(&"x".repeat(37)), "customerId");
    fails_at(&with_customer(""), "customerId");
    for bad in [
        "cstap-1",
        "cstap 1",
        "cstap.1",
        "cstap_1\n",
        "cstapé",
        "ｃｓｔａｐ",
    ] {
        fails_at(&with_customer(bad), "customerId");
    }
}

#[test]
fn employer_is_1_to_50_characters() {
    passes(&with_employer("A"));
    passes(&with_employer(&"e".repeat(50)));
    fails_at(&with_employer(&"e".repeat(51)), "employer");
    fails_at(&with_employer(""), "employer");
    // Characters, not bytes: 50 two-byte letters pass, 51 do not.
    passes(&with_employer(&"é".repeat(50)));
    fails_at(&with_employer(&"é".repeat(51)), "employer");
}

#[test]
fn employer_has_no_angle_brackets_or_line_breaks() {
    passes(&with_employer("ABC123 Inc."));
    passes(&with_employer("Müller & Söhne (Ltd) 'quoted' \"too\""));
    for bad in [
        "<b>",
        "a<b",
        "a>b",
        ">",
        "Line\nbreak",
        "cr\r",
        "ls\u{2028}",
    ] {
        fails_at(&with_employer(bad), "employer");
    }
}

#[test]
fn employer_is_not_only_whitespace() {
    passes(&with_employer(" Acme "));
    for bad in ["   ", " ", "\t", "\u{a0}\u{3000}"] {
        fails_at(&with_employer(bad), "employer");
    }
}

#[test]
fn income_is_above_zero_and_finite() {
    passes(&with_income(0.01));
    passes(&with_income(1.0));
    passes(&with_income(1e15));
    for bad in [
        0.0,
        -0.0,
        -1.0,
        -0.01,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        fails_at(&with_income(bad), "totalAnnualIncome");
    }
}

#[test]
fn income_has_at_most_two_decimal_places() {
    for good in [12.34, 12.3, 50000.1, 0.07, 0.1, 99999.99, 123456789.12] {
        passes(&with_income(good));
    }
    // 1.005 is written with three places; that its f64 lies just below 1.005 does not
    // make it a two-place amount.
    for bad in [12.345, 1.005, 0.001, 0.1 + 0.2, 50000.125] {
        fails_at(&with_income(bad), "totalAnnualIncome");
    }
}

#[test]
fn currency_is_three_capital_letters() {
    passes(&with_currency("USD"));
    passes(&with_currency("SGD"));
    for bad in ["usd", "Usd", "US", "USDX", "", "U5D", "US ", "ÜSD"] {
        fails_at(&with_currency(bad), "totalAnnualIncomeCurrency");
    }
}

#[test]
fn the_first_broken_rule_is_reported_in_field_order() {
    let all_wrong = CreditApplicationRequest {
        customer_id: String::new(),
        employer: "<b>".into(),
        total_annual_income: -1.0,
        total_annual_income_currency: "usd".into(),
    };
    fails_at(&all_wrong, "customerId");
    fails_at(
        &CreditApplicationRequest {
            customer_id: "cstap_1".into(),
            ..all_wrong.clone()
        },
        "employer",
    );
}

#[test]
fn the_login_request_follows_common_id_and_common_password() {
    let login = |login: &str, password: &str| GetTokenRequest {
        user: User {
            login: login.into(),
            password: password.into(),
        },
    };
    assert_eq!(login("demo", "demo").validate(), Ok(()));
    assert_eq!(login(&"l".repeat(36), &"p".repeat(50)).validate(), Ok(()));
    let field = |request: GetTokenRequest| request.validate().unwrap_err().field;
    assert_eq!(field(login(&"l".repeat(37), "p")), "user.login");
    assert_eq!(field(login("", "p")), "user.login");
    assert_eq!(field(login("de-mo", "p")), "user.login");
    assert_eq!(field(login("demo", "")), "user.password");
    assert_eq!(field(login("demo", &"p".repeat(51))), "user.password");
    // A password may hold any character.
    assert_eq!(login("demo", "p@ss <word> \n").validate(), Ok(()));
}

#[test]
fn the_kyc_status_request_checks_both_ids() {
    let request = |customer: &str, application: Option<&str>| KycStatusRequest {
        customer_id: customer.into(),
        application_id: application.map(Into::into),
    };
    assert_eq!(request("cstap_1", None).validate(), Ok(()));
    assert_eq!(request("cstap_1", Some("iapp_1")).validate(), Ok(()));
    let field = |r: KycStatusRequest| r.validate().unwrap_err().field;
    assert_eq!(field(request("cstap-1", None)), "customerId");
    assert_eq!(field(request(&"c".repeat(37), None)), "customerId");
    assert_eq!(field(request("cstap_1", Some(""))), "applicationId");
    assert_eq!(field(request("cstap_1", Some("iapp 1"))), "applicationId");
    assert_eq!(
        field(request("cstap_1", Some(&"i".repeat(37)))),
        "applicationId"
    );
}

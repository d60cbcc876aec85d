//! The widget's JSON reader and writer against the API's wire shapes (as the BFF's serde_json
//! writes and reads them) and JSON's corner cases.

use card_widget::json::{self, Value};
use onboarding_core::api::{AcceptOffer, ApiError, ErrorCode, Progress, StartSession};
use onboarding_core::embed::{PartnerEvent, PartnerMessage};
use onboarding_core::{
    CreditLimit, Decision, DeclineReason, Field, FieldError, Offer, Outcome, Stage, ValidationError,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn limit(amount: u64) -> CreditLimit {
    CreditLimit {
        amount,
        currency: "SGD".into(),
    }
}

#[wasm_bindgen_test]
fn reads_every_decision_as_the_bff_writes_it() {
    let progress: Progress = json::from_str(
        r#" {"stage":"result","reference":"123456789012","decision":{"approved":{"card":"Travel Card",
        "credit_limit":{"amount":5000,"currency":"SGD"},"expires_on":"2026-12-22",
        "offers":[{"id":"11","card":"Rewards Card","credit_limit":{"amount":2000,"currency":"SGD"},"accepted":true},
                  {"id":"12","card":"Cashback Card","credit_limit":{"amount":1500,"currency":"SGD"}}]}}} "#,
    )
    .unwrap();
    assert_eq!(progress.stage, Stage::Result);
    assert_eq!(progress.reference.as_deref(), Some("123456789012"));
    assert_eq!(
        progress.decision,
        Some(Decision::Approved {
            card: Some("Travel Card".into()),
            credit_limit: limit(5_000),
            expires_on: "2026-12-22".into(),
            offers: vec![
                Offer {
                    id: "11".into(),
                    card: "Rewards Card".into(),
                    credit_limit: limit(2_000),
                    accepted: true,
                },
                Offer {
                    id: "12".into(),
                    card: "Cashback Card".into(),
                    credit_limit: limit(1_500),
                    accepted: false,
                },
            ],
        })
    );

    let cases = [
        (
            r#"{"approved":{"credit_limit":{"amount":5000,"currency":"SGD"},"expires_on":"2026-12-22"}}"#,
            Decision::Approved {
                card: None,
                credit_limit: limit(5_000),
                expires_on: "2026-12-22".into(),
                offers: vec![],
            },
        ),
        (
            r#"{"counter_offered":{"offers":[{"id":"7","card":"Everyday Card","credit_limit":{"amount":3000,"currency":"SGD"},"accepted":false}]}}"#,
            Decision::CounterOffered {
                offers: vec![Offer {
                    id: "7".into(),
                    card: "Everyday Card".into(),
                    credit_limit: limit(3_000),
                    accepted: false,
                }],
            },
        ),
        (r#""referred""#, Decision::Referred),
        (r#""under_review""#, Decision::UnderReview),
        (r#"{"declined":{}}"#, Decision::declined()),
        (
            r#"{"declined":{"reasons":["credit_freeze","identity_not_verified","insufficient_income","delinquent_credit"]}}"#,
            Decision::Declined {
                reasons: vec![
                    DeclineReason::CreditFreeze,
                    DeclineReason::IdentityNotVerified,
                    DeclineReason::InsufficientIncome,
                    DeclineReason::DelinquentCredit,
                ],
            },
        ),
    ];
    for (text, decision) in cases {
        assert_eq!(
            json::from_str::<Decision>(text),
            Ok(decision.clone()),
            "{text}"
        );
        // What the widget writes, it reads back the same.
        let written = json::to_string(&decision).unwrap();
        assert_eq!(
            json::from_str::<Decision>(&written),
            Ok(decision),
            "{written}"
        );
    }
    assert_eq!(
        json::to_string(&Decision::declined()).unwrap(),
        r#"{"declined":{}}"#
    );
}

#[wasm_bindgen_test]
fn reads_errors_ignores_unknown_members_and_refuses_other_shapes() {
    let error: ApiError = json::from_str(
        r#"{"code":"invalid_input","message":"Check \"id_number\".","retryable":false,
            "fields":[{"field":"id_number","error":"invalid_check_character"}],"added_later":{"a":[1,-2,null,true]}}"#,
    )
    .unwrap();
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert_eq!(error.message, "Check \"id_number\".");
    assert!(!error.retryable);
    assert_eq!(
        error.fields,
        [FieldError {
            field: Field::IdNumber,
            error: ValidationError::InvalidCheckCharacter
        }]
    );
    let error: ApiError =
        json::from_str(r#"{"code":"offer_not_found","message":"","retryable":false}"#).unwrap();
    assert_eq!(error.code, ErrorCode::OfferNotFound);
    assert!(error.fields.is_empty(), "a missing list is empty");

    for wrong in [
        r#"{"code":"no_such_code","message":"","retryable":false}"#,
        r#"{"code":"internal","retryable":false}"#,
        r#"{"code":"internal","message":"","retryable":"yes"}"#,
        r#"["internal","",false]x"#,
        r#"{"code":"internal","message":"","retryable":false"#,
    ] {
        assert!(json::from_str::<ApiError>(wrong).is_err(), "{wrong}");
    }
    assert!(json::from_str::<Decision>(r#"{"approved":{},"declined":{}}"#).is_err());
    assert!(json::from_str::<Decision>(r#""approved""#).is_err());
    assert!(json::from_str::<u8>("256").is_err());
}

#[wasm_bindgen_test]
fn strings_and_numbers_follow_json() {
    assert_eq!(
        json::parse(r#""q\" b\\ s\/ \b\f\n\r\t \u00e9 \u65e5 \ud83d\ude00 Café 日本""#),
        Ok(Value::String(
            "q\" b\\ s/ \u{8}\u{c}\n\r\t é 日 😀 Café 日本".into()
        ))
    );
    assert_eq!(
        json::parse(" [0, 18446744073709551615, -9223372036854775808, -1, {}, []] "),
        Ok(Value::Array(vec![
            Value::Unsigned(0),
            Value::Unsigned(u64::MAX),
            Value::Signed(i64::MIN),
            Value::Signed(-1),
            Value::Object(vec![]),
            Value::Array(vec![]),
        ]))
    );
    for wrong in [
        "",
        " ",
        "18446744073709551616",
        "-9223372036854775809",
        "1.5",
        "1e3",
        "-0",
        "01",
        "-",
        "+1",
        "nul",
        "truex",
        r#""open"#,
        "\"raw\ncontrol\"",
        r#""\x""#,
        r#""\u12""#,
        r#""\ud83d""#,
        r#""\ud83d\u0041""#,
        r#""\ude00""#,
        "[1,]",
        "[1 2]",
        r#"{"a" 1}"#,
        r#"{"a":1,}"#,
        r#"{a:1}"#,
        "{} {}",
    ] {
        assert!(json::parse(wrong).is_err(), "{wrong:?} is not JSON");
    }
}

#[wasm_bindgen_test]
fn deep_nesting_is_refused_within_the_wasm_stack() {
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(json::parse(&nested(json::MAX_DEPTH as usize)).is_ok());
    assert_eq!(
        json::parse(&nested(json::MAX_DEPTH as usize + 1)),
        Err(json::Error)
    );
    // Far past the stack: without the limit this traps instead of returning.
    assert_eq!(json::parse(&nested(100_000)), Err(json::Error));
    assert_eq!(
        json::from_str::<Progress>(&"{\"stage\":".repeat(100_000)),
        Err(json::Error)
    );
}

#[wasm_bindgen_test]
fn writes_the_request_bodies_and_the_partner_message() {
    assert_eq!(
        json::to_string(&AcceptOffer { offer: "7".into() }).unwrap(),
        r#"{"offer":"7"}"#
    );
    let start = StartSession {
        partner: "demo-travel".into(),
        market: "SG".into(),
        return_url: "https://partner.example/done?a=1&b=\"2\"".into(),
        placement: None,
        language: None,
    };
    assert_eq!(
        json::to_string(&start).unwrap(),
        r#"{"partner":"demo-travel","market":"SG","return_url":"https://partner.example/done?a=1&b=\"2\""}"#
    );
    let start = StartSession {
        placement: Some("plt_42".into()),
        language: Some("zh-Hant".into()),
        ..start
    };
    let written = json::to_string(&start).unwrap();
    assert!(
        written.ends_with(r#","placement":"plt_42","language":"zh-Hant"}"#),
        "{written}"
    );
    assert_eq!(json::from_str::<StartSession>(&written), Ok(start));

    let message = PartnerMessage::new(
        4,
        PartnerEvent::Completed {
            reference: "123456789012".into(),
            outcome: Outcome::CounterOffered,
        },
    );
    assert_eq!(
        json::to_string(&message).unwrap(),
        r#"{"source":"card-application","version":1,"seq":4,"type":"completed","reference":"123456789012","outcome":"counter_offered"}"#
    );
    assert_eq!(
        json::to_string(&PartnerMessage::new(
            1,
            PartnerEvent::Resize { height: 640 }
        ))
        .unwrap(),
        r#"{"source":"card-application","version":1,"seq":1,"type":"resize","height":640}"#
    );
    assert_eq!(
        json::to_string("tab\t nl\n cr\r bell\u{7} quote\" backslash\\ é").unwrap(),
        r#""tab\t nl\n cr\r bell\u0007 quote\" backslash\\ é""#
    );
    assert!(
        json::to_string(&1.5f64).is_err(),
        "the API has no fractions"
    );
}

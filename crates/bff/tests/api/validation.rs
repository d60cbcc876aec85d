//! Requests the BFF refuses, each with its designed code and never with a 500.

use crate::helpers::{about_you_form, finances_form, identity_form, new_key, spawn_app};
use bank_api::paths;
use onboarding_core::api::{routes, ErrorCode, MAX_BODY_BYTES};
use onboarding_core::{Field, FieldError, ValidationError};
use reqwest::header::CONTENT_TYPE;
use reqwest::Method;

#[tokio::test]
async fn stage_one_lists_every_invalid_field_with_its_code() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;
    let mut form = about_you_form(&journey, "Tan");
    form.mobile_number = "123".into();
    form.email = "mei.ling@".into();
    form.title = "NOT_A_TITLE".into();
    form.accepted_terms_version = String::new();

    let error = app
        .about_you(&token, &form)
        .await
        .refused_with(ErrorCode::InvalidInput);

    let mut fields = error.fields.clone();
    fields.sort_by_key(|f| f.field.as_str());
    let refused = |field, error| FieldError { field, error };
    assert_eq!(
        fields,
        vec![
            refused(Field::Email, ValidationError::InvalidEmail),
            refused(Field::MobileNumber, ValidationError::InvalidMobileNumber),
            refused(Field::TermsConsent, ValidationError::ConsentRequired),
            refused(Field::Title, ValidationError::UnknownOption),
        ]
    );
    assert!(!error.retryable);
    // Nothing invalid reaches the bank.
    assert_eq!(app.bank.calls_to("POST", paths::APPLICATIONS), 0);

    // A stale terms version is not consent to the current text.
    let mut stale = about_you_form(&journey, "Tan");
    stale.accepted_terms_version = "SG-EN-2000-01".into();
    let error = app
        .about_you(&token, &stale)
        .await
        .refused_with(ErrorCode::InvalidInput);
    assert_eq!(
        error.fields,
        vec![refused(
            Field::TermsConsent,
            ValidationError::ConsentRequired
        )]
    );
}

#[tokio::test]
async fn stage_two_refuses_an_nric_with_the_wrong_check_letter() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;
    let reference = app.about_you_reference(&token, &journey, "Tan").await;
    let mut form = identity_form(&journey);
    form.id_number = "S1234567A".into();

    let error = app
        .identity(&token, &reference, &form)
        .await
        .refused_with(ErrorCode::InvalidInput);

    assert_eq!(
        error.fields,
        vec![FieldError {
            field: Field::IdNumber,
            error: ValidationError::InvalidCheckCharacter
        }]
    );
    assert_eq!(app.bank.calls_to("PUT", &paths::application(&reference)), 0);
}

#[tokio::test]
async fn malformed_and_oversized_bodies_are_refused() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;
    let stage_one = || {
        app.api(
            Method::POST,
            routes::APPLICATIONS,
            Some(&token),
            Some("key-malformed-1"),
        )
    };

    let not_json = stage_one()
        .header(CONTENT_TYPE, "application/json")
        .body("{\"title\": ");
    app.send(not_json)
        .await
        .refused_with(ErrorCode::MalformedRequest);

    let wrong_shape = stage_one().json(&serde_json::json!({ "title": 3 }));
    app.send(wrong_shape)
        .await
        .refused_with(ErrorCode::MalformedRequest);

    let form = serde_json::to_string(&about_you_form(&journey, "Tan")).unwrap();
    let no_content_type = stage_one().body(form);
    app.send(no_content_type)
        .await
        .refused_with(ErrorCode::MalformedRequest);

    // Valid JSON, only too long: the limit is on the body, whatever it holds.
    let mut huge = about_you_form(&journey, "Tan");
    huge.given_name = "a".repeat(MAX_BODY_BYTES);
    app.send(stage_one().json(&huge))
        .await
        .refused_with(ErrorCode::PayloadTooLarge);
    let huge_start = serde_json::json!({ "partner": "a".repeat(MAX_BODY_BYTES), "market": "SG", "return_url": "x" });
    app.send(app.client.post(app.url(routes::SESSIONS)).json(&huge_start))
        .await
        .refused_with(ErrorCode::PayloadTooLarge);

    app.send(
        app.client
            .post(app.url(routes::SESSIONS))
            .header(CONTENT_TYPE, "application/json")
            .body("[]"),
    )
    .await
    .refused_with(ErrorCode::MalformedRequest);
    assert_eq!(app.bank.calls_to("POST", paths::APPLICATIONS), 0);
}

#[tokio::test]
async fn state_changing_calls_need_an_idempotency_key() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;
    let form = about_you_form(&journey, "Tan");
    for key in [None, Some("short"), Some("not a key, with spaces")] {
        let request = app
            .api(Method::POST, routes::APPLICATIONS, Some(&token), key)
            .json(&form);
        let error = app
            .send(request)
            .await
            .refused_with(ErrorCode::MalformedRequest);
        assert!(
            error.message.contains("Idempotency-Key"),
            "{key:?}: {}",
            error.message
        );
    }
    assert_eq!(app.bank.calls_to("POST", paths::APPLICATIONS), 0);
}

#[tokio::test]
async fn calls_without_a_known_session_are_refused() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;
    let form = about_you_form(&journey, "Tan");
    let unknown = "0".repeat(64);
    for (what, token) in [
        ("no token", None),
        ("unknown token", Some(unknown.as_str())),
    ] {
        let current = app.api(Method::GET, routes::CURRENT_SESSION, token, None);
        app.send(current)
            .await
            .refused_with(ErrorCode::SessionRequired);
        let key = new_key();
        let stage_one = app
            .api(Method::POST, routes::APPLICATIONS, token, Some(&key))
            .json(&form);
        let error = app
            .send(stage_one)
            .await
            .refused_with(ErrorCode::SessionRequired);
        assert!(!error.retryable, "{what}");
        let stage_two = app
            .api(Method::PUT, &routes::identity("APP1"), token, Some(&key))
            .json(&identity_form(&journey));
        app.send(stage_two)
            .await
            .refused_with(ErrorCode::SessionRequired);
    }
    // The token is only accepted as a bearer token.
    let raw = app
        .client
        .get(app.url(routes::CURRENT_SESSION))
        .header("authorization", token.as_str());
    app.send(raw).await.refused_with(ErrorCode::SessionRequired);
}

#[tokio::test]
async fn stage_three_before_stage_two_is_out_of_order() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;
    let reference = app.about_you_reference(&token, &journey, "Tan").await;

    app.finances(
        &token,
        &reference,
        &finances_form(&journey, "EMPLOYED", "60000"),
    )
    .await
    .refused_with(ErrorCode::StageOutOfOrder);

    assert_eq!(app.bank.calls_to("PUT", &paths::application(&reference)), 0);
    assert_eq!(
        app.bank
            .calls_to("POST", &paths::background_screening(&reference)),
        0
    );
}

#[tokio::test]
async fn another_sessions_application_is_not_found() {
    let app = spawn_app().await;
    let owner = app.through_identity("Tan").await;
    let (stranger, journey) = app.start_session().await;
    let identity = identity_form(&journey);
    let finances = finances_form(&journey, "EMPLOYED", "60000");

    // Without an application of its own, and then with one.
    for _ in 0..2 {
        app.identity(&stranger, &owner.reference, &identity)
            .await
            .refused_with(ErrorCode::ApplicationNotFound);
        app.finances(&stranger, &owner.reference, &finances)
            .await
            .refused_with(ErrorCode::ApplicationNotFound);
        app.about_you(&stranger, &about_you_form(&journey, "Lim"))
            .await
            .progress();
    }
    app.identity(&stranger, "NO-SUCH-REFERENCE", &identity)
        .await
        .refused_with(ErrorCode::ApplicationNotFound);
    // The owner's application was not touched by the stranger's calls.
    assert_eq!(
        app.bank
            .calls_to("PUT", &paths::application(&owner.reference)),
        1
    );
}

#[tokio::test]
async fn stage_three_lists_every_invalid_field_with_its_code() {
    let app = spawn_app().await;
    let customer = app.through_identity("Tan").await;
    let mut form = finances_form(&customer.journey, "EMPLOYED", "60000.123");
    form.employer_name = " ".into();
    form.residence_type = "CASTLE".into();

    let error = app
        .finances(&customer.token, &customer.reference, &form)
        .await
        .refused_with(ErrorCode::InvalidInput);

    let mut fields = error.fields.clone();
    fields.sort_by_key(|f| f.field.as_str());
    assert_eq!(
        fields,
        vec![
            FieldError {
                field: Field::AnnualIncome,
                error: ValidationError::TooManyDecimals
            },
            // Required of the employed.
            FieldError {
                field: Field::EmployerName,
                error: ValidationError::Required
            },
            FieldError {
                field: Field::ResidenceType,
                error: ValidationError::UnknownOption
            },
        ]
    );
    // Only stage 2 reached the bank; nothing was screened.
    assert_eq!(
        app.bank
            .calls_to("PUT", &paths::application(&customer.reference)),
        1
    );
    assert_eq!(
        app.bank
            .calls_to("POST", &paths::background_screening(&customer.reference)),
        0
    );
}

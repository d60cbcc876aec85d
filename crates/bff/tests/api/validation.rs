//! Requests the BFF refuses, each with its designed code and never with a 500.

use crate::helpers::{about_you_form, finances_form, identity_form, new_key, spawn_app, TestApp};
use bank_api::paths;
use onboarding_core::api::{routes, ErrorCode, Journey, MAX_BODY_BYTES};
use onboarding_core::forms::{AboutYouForm, LeadForm};
use onboarding_core::{Field, FieldError, ValidationError};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};

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

/// Names in the markets' own scripts and their customers', as typed (composed, or
/// decomposed as some keyboards and copied text give them) and as the bank must get them.
const NAMES: &[(&str, &str)] = &[
    ("แก้วมณี", "แก้วมณี"),
    ("สมศักดิ์", "สมศักดิ์"),
    ("कृष्ण", "कृष्ण"),
    ("श्रीनिवास", "श्रीनिवास"),
    ("Nguyễn Thị Hường", "Nguyễn Thị Hường"),
    (
        "Nguye\u{302}\u{303}n Thi\u{323} Hu\u{31B}o\u{31B}\u{300}ng",
        "Nguy\u{1EC5}n Th\u{1ECB} H\u{1B0}\u{1EDD}ng",
    ),
    ("Jos\u{E9}", "Jos\u{E9}"),
    ("Jose\u{301}", "Jos\u{E9}"),
    ("Łukasz Wójcik", "Łukasz Wójcik"),
    ("Сергей Иванов", "Сергей Иванов"),
    ("محمد عبد الله", "محمد عبد الله"),
    ("陳大文", "陳大文"),
    ("O'Brien", "O'Brien"),
    ("Anne-Marie", "Anne-Marie"),
    ("Nur Aisyah binti Abdullah", "Nur Aisyah binti Abdullah"),
];

/// Names refused, and why: a right-to-left override, markup, nothing.
const REFUSED_NAMES: &[(&str, ValidationError)] = &[
    ("Tan\u{202E}Lee", ValidationError::InvalidCharacters),
    ("<b>Tan</b>", ValidationError::InvalidCharacters),
    ("", ValidationError::Required),
];

/// The name in the last `path` call the bank received: `(givenName, surname)`.
fn name_sent(app: &TestApp, path: &str, section: &str) -> (String, String) {
    let wanted = format!("/api{path}");
    let exchange = app
        .bank
        .exchanges()
        .into_iter()
        .rev()
        .find(|e| e.method == "POST" && e.path == wanted)
        .unwrap_or_else(|| panic!("no call to {path}"));
    let body: serde_json::Value = serde_json::from_slice(&exchange.request_body).unwrap();
    let name = &body[section]["name"];
    let text = |field: &str| name[field].as_str().unwrap_or_default().to_owned();
    (text("givenName"), text("surname"))
}

/// Stage 1 valid in the journey's market, with this name as given name and surname.
fn named(journey: &Journey, name: &str) -> AboutYouForm {
    AboutYouForm {
        given_name: name.into(),
        surname: name.into(),
        mobile_number: journey.market.market.mobile_plan().example.into(),
        date_of_birth: "1985-06-15".into(),
        ..about_you_form(journey, "")
    }
}

#[tokio::test]
async fn names_in_the_markets_own_scripts_reach_the_bank_composed() {
    let app = spawn_app().await;
    // Thailand takes leads as the bank's prospects; India creates an application.
    for (typed, composed) in NAMES {
        let (token, journey) = app.start_session_in("test-leads", "TH", None).await;
        let lead = LeadForm {
            about: named(&journey, typed),
            address_line1: "99 ถนนสุขุมวิท".into(),
            address_line2: String::new(),
            postal_code: "10110".into(),
        };
        let answer = app.lead(&token, &lead).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "TH {typed:?}: {}",
            answer.body
        );
        let sent = name_sent(&app, paths::PROSPECTS, "prospect");
        assert_eq!(
            sent,
            (composed.to_string(), composed.to_string()),
            "TH {typed:?}"
        );

        let (token, journey) = app.start_session_in("test-markets", "IN", None).await;
        let answer = app.about_you(&token, &named(&journey, typed)).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "IN {typed:?}: {}",
            answer.body
        );
        let reference = answer.progress().reference.expect("a reference");
        let sent = name_sent(&app, paths::APPLICATIONS, "applicant");
        assert_eq!(
            sent,
            (composed.to_string(), composed.to_string()),
            "IN {typed:?}"
        );
        let held = app.bank.application(&app.client, &reference).await;
        assert_eq!(
            held["surname"], *composed,
            "the bank holds {typed:?} composed"
        );
    }

    let prospects = app.bank.calls_to("POST", paths::PROSPECTS);
    let applications = app.bank.calls_to("POST", paths::APPLICATIONS);
    for (name, error) in REFUSED_NAMES {
        let refused = |field| FieldError {
            field,
            error: *error,
        };
        let (token, journey) = app.start_session_in("test-leads", "TH", None).await;
        let lead = LeadForm {
            about: named(&journey, name),
            address_line1: "99 Sukhumvit Road".into(),
            address_line2: String::new(),
            postal_code: "10110".into(),
        };
        let error = app
            .lead(&token, &lead)
            .await
            .refused_with(ErrorCode::InvalidInput);
        assert_eq!(
            error.fields,
            [refused(Field::GivenName), refused(Field::Surname)],
            "TH {name:?}"
        );
        let (token, journey) = app.start_session_in("test-markets", "IN", None).await;
        let error = app
            .about_you(&token, &named(&journey, name))
            .await
            .refused_with(ErrorCode::InvalidInput);
        assert_eq!(
            error.fields,
            [refused(Field::GivenName), refused(Field::Surname)],
            "IN {name:?}"
        );
    }
    // Nothing refused reaches the bank.
    assert_eq!(app.bank.calls_to("POST", paths::PROSPECTS), prospects);
    assert_eq!(app.bank.calls_to("POST", paths::APPLICATIONS), applications);
}

#[tokio::test]
async fn unknown_fields_are_refused_by_name_and_values_never_quoted() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;
    let stage_one = |body: &serde_json::Value| {
        app.api(
            Method::POST,
            routes::APPLICATIONS,
            Some(&token),
            Some(&new_key()),
        )
        .json(body)
    };
    let form = serde_json::to_value(about_you_form(&journey, "Tan")).unwrap();

    let mut extra = form.clone();
    extra["nickname"] = "Mei Ling".into();
    let error = app
        .send(stage_one(&extra))
        .await
        .refused_with(ErrorCode::MalformedRequest);
    assert!(error.message.contains("`nickname`"), "{}", error.message);
    assert!(!error.message.contains("Mei Ling"), "{}", error.message);

    // A value of the wrong type is named by its field; what the customer typed is not quoted.
    let mut mistyped = form.clone();
    mistyped["mobile_number"] = 91234567.into();
    let error = app
        .send(stage_one(&mistyped))
        .await
        .refused_with(ErrorCode::MalformedRequest);
    assert!(error.message.contains("mobile_number"), "{}", error.message);
    assert!(!error.message.contains("91234567"), "{}", error.message);

    let start = serde_json::json!({
        "partner": crate::helpers::PARTNER,
        "market": crate::helpers::MARKET,
        "return_url": crate::helpers::RETURN_URL,
        "theme": "dark",
    });
    let error = app
        .send(app.client.post(app.url(routes::SESSIONS)).json(&start))
        .await
        .refused_with(ErrorCode::MalformedRequest);
    assert!(error.message.contains("`theme`"), "{}", error.message);
    assert_eq!(app.bank.calls_to("POST", paths::APPLICATIONS), 0);
}

#[test]
fn every_request_body_refuses_unknown_fields_even_nested() {
    use onboarding_core::api::{AcceptOffer, ResumeSession, StartSession};
    use onboarding_core::forms::{FinancesForm, IdentityForm};
    fn refuses<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T, at: &[&str]) {
        let mut body = serde_json::to_value(value).unwrap();
        let mut target = &mut body;
        for field in at {
            target = &mut target[*field];
        }
        target["surplus"] = true.into();
        let error = serde_json::from_value::<T>(body)
            .err()
            .map(|e| e.to_string());
        assert!(
            error
                .as_deref()
                .is_some_and(|e| e.contains("unknown field `surplus`")),
            "{} took an unknown field at {at:?}: {error:?}",
            std::any::type_name::<T>()
        );
    }
    let start = StartSession {
        partner: "p".into(),
        market: "SG".into(),
        return_url: "https://p.example".into(),
        placement: None,
        language: None,
    };
    refuses(&start, &[]);
    let resume = ResumeSession {
        handle: "h".into(),
        partner: "p".into(),
        market: "SG".into(),
    };
    refuses(&resume, &[]);
    refuses(&AcceptOffer { offer: "o".into() }, &[]);
    refuses(&AboutYouForm::default(), &[]);
    refuses(&IdentityForm::default(), &[]);
    refuses(&FinancesForm::default(), &[]);
    refuses(&LeadForm::default(), &[]);
    refuses(&LeadForm::default(), &["about"]);
}

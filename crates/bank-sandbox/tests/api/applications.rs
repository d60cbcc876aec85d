//! Creating and updating applications, and what the bank refuses.

use crate::support::*;
use axum::http::{Method, StatusCode};
use bank_api::{Applicant, ApplicationAddResponse};
use serde_json::json;

#[tokio::test]
async fn create_answers_a_12_digit_id_and_a_32_hex_control_flow_id() {
    let sandbox = Sandbox::instant().await;
    let (status, body) = sandbox
        .call(Method::POST, APPLICATIONS, Some(create_body("Tan")))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let created: ApplicationAddResponse = serde_json::from_value(body).unwrap();
    assert_eq!(created.application_stage, "BASIC_DETAILS");
    assert_eq!(created.application_id.len(), 12);
    assert!(created.application_id.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(created.control_flow_id.len(), 32);
    assert!(created
        .control_flow_id
        .bytes()
        .all(|b| b.is_ascii_hexdigit()));

    let second = sandbox.create("Lim").await;
    assert_ne!(second.id, created.application_id);
    assert_ne!(second.control_flow_id, created.control_flow_id);
}

#[tokio::test]
async fn create_requires_a_given_name_a_phone_and_consent_to_the_terms() {
    let sandbox = Sandbox::instant().await;
    // (JSON pointer of the field changed, its new value, the location the bank names)
    let cases = [
        ("/applicant/name", json!(null), "applicant.name"),
        (
            "/applicant/name/givenName",
            json!("  "),
            "applicant.name.givenName",
        ),
        ("/applicant/phone", json!([]), "applicant.phone"),
        (
            "/applicant/consentDetails",
            json!([]),
            "applicant.consentDetails",
        ),
        (
            "/applicant/consentDetails/0/isConsentGiven",
            json!(false),
            "applicant.consentDetails",
        ),
        (
            "/product/creditCardProduct/productCode",
            json!(""),
            "product.creditCardProduct.productCode",
        ),
    ];
    for (pointer, value, location) in cases {
        let mut body = create_body("Tan");
        *body.pointer_mut(pointer).unwrap() = value;
        let answer = sandbox.call(Method::POST, APPLICATIONS, Some(body)).await;
        assert_error(&answer, 400, "invalid", "invalidRequest", Some(location));
    }
}

#[tokio::test]
async fn codes_outside_the_reference_data_are_refused() {
    let sandbox = Sandbox::instant().await;
    let mut body = create_body("Tan");
    body["applicant"]["name"]["salutation"] = json!("SIR");
    let answer = sandbox.call(Method::POST, APPLICATIONS, Some(body)).await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("applicant.name.salutation"),
    );

    let mut body = create_body("Tan");
    body["applicant"]["demographics"]["dateOfBirth"] = json!("1990-02-30");
    let answer = sandbox.call(Method::POST, APPLICATIONS, Some(body)).await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("applicant.demographics.dateOfBirth"),
    );

    let app = sandbox.create("Tan").await;
    let mut bad_industry = finances("EMPLOYED", 60_000.0);
    bad_industry.employment_details[0].industry_code = "PIRACY".into();
    let answer = sandbox.update(&app, bad_industry).await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("applicant.employmentDetails[0].industryCode"),
    );
    let mut bad_id_type = identity();
    bad_id_type.identification_document_details[0].id_type = "DRIVING_LICENCE".into();
    let answer = sandbox.update(&app, bad_id_type).await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("applicant.identificationDocumentDetails[0].idType"),
    );
    let mut negative = finances("EMPLOYED", -1.0);
    negative.employment_details.clear();
    let answer = sandbox.update(&app, negative).await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("applicant.financialInformation.incomeDetails[0].fixedAmount"),
    );
}

#[tokio::test]
async fn updates_answer_in_progress_and_merge_sections() {
    let sandbox = Sandbox::instant().await;
    let app = sandbox.create("Tan").await;
    let (status, body) = sandbox.update(&app, identity()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({ "applicationStage": "IN_PROGRESS" }));
    // A later name replaces the earlier one; sections not sent stay.
    let rename = Applicant {
        name: basic_details("Lim").name,
        ..Applicant::default()
    };
    assert_eq!(sandbox.update(&app, rename).await.0, StatusCode::OK);
    let (status, _) = sandbox.update(&app, finances("EMPLOYED", 60_000.0)).await;
    assert_eq!(status, StatusCode::OK);
    let shown = sandbox.inspect(&app).await;
    assert_eq!(shown["surname"], "Lim");
    assert_eq!(shown["stage"], "IN_PROGRESS");
    // Identity from the first update is still there: screening accepts the application.
    assert_eq!(sandbox.screen(&app).await.0, StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_application_is_resource_not_found() {
    let sandbox = Sandbox::instant().await;
    let ghost = App {
        id: "123456789012".into(),
        control_flow_id: "0123456789abcdef0123456789abcdef".into(),
    };
    assert_error(
        &sandbox.update(&ghost, identity()).await,
        404,
        "error",
        "resourceNotFound",
        None,
    );
    assert_error(
        &sandbox.screen(&ghost).await,
        404,
        "error",
        "resourceNotFound",
        None,
    );
    assert_error(
        &sandbox.ipa(&ghost).await,
        404,
        "error",
        "resourceNotFound",
        None,
    );
}

#[tokio::test]
async fn a_control_flow_id_of_another_application_is_an_invalid_request() {
    let sandbox = Sandbox::instant().await;
    let app = sandbox.create("Tan").await;
    let other = sandbox.create("Lim").await;
    let mixed = App {
        id: app.id.clone(),
        control_flow_id: other.control_flow_id.clone(),
    };
    for answer in [
        sandbox.update(&mixed, identity()).await,
        sandbox.screen(&mixed).await,
        sandbox.ipa(&mixed).await,
    ] {
        assert_error(
            &answer,
            400,
            "invalid",
            "invalidRequest",
            Some("controlFlowId"),
        );
    }
}

#[tokio::test]
async fn screening_before_income_employment_and_identity_is_out_of_sequence() {
    let sandbox = Sandbox::instant().await;
    let app = sandbox.create("Tan").await;
    assert_error(
        &sandbox.screen(&app).await,
        400,
        "error",
        "invalidRequestSequence",
        Some("applicant.financialInformation"),
    );
    sandbox.update(&app, finances("EMPLOYED", 60_000.0)).await;
    assert_error(
        &sandbox.screen(&app).await,
        400,
        "error",
        "invalidRequestSequence",
        Some("applicant.identificationDocumentDetails"),
    );
    sandbox.update(&app, identity()).await;
    assert_eq!(sandbox.screen(&app).await.0, StatusCode::OK);
}

#[tokio::test]
async fn updates_after_screening_are_out_of_sequence() {
    let sandbox = Sandbox::instant().await;
    let app = sandbox.screened("Tan", "EMPLOYED", 60_000.0).await;
    let answer = sandbox.update(&app, finances("EMPLOYED", 900_000.0)).await;
    assert_error(&answer, 400, "error", "invalidRequestSequence", None);
}

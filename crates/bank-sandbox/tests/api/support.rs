//! Drives the sandbox's router in process with `oneshot`, as a BFF would call it.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use bank_api::{
    Address, Applicant, ApplicationAddRequest, ConsentDetail, CreditCardProduct, Demographics,
    Education, Email, EmploymentDetail, FinancialInformation, IdentificationDocumentDetail,
    IncomeDetail, Name, Phone, Product,
};
use bank_sandbox::{app, SandboxConfig};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::time::Duration;
use tower::ServiceExt;

pub const CLIENT_ID: &str = "sandbox-client";
pub const CLIENT_SECRET: &str = "sandbox-secret";
pub const APPLICATIONS: &str = "/api/v1/apac/onboarding/products/unsecured/applications";
pub const TOKEN: &str = "/api/clientCredentials/oauth2/token/sg/gcb";

/// Screening completes at once, so flows need not wait.
pub fn instant_screening() -> SandboxConfig {
    SandboxConfig {
        screening_delay: Duration::ZERO,
        ..SandboxConfig::default()
    }
}

/// An application as the tests follow it.
pub struct App {
    pub id: String,
    pub control_flow_id: String,
}

/// A sandbox router and a token it issued.
pub struct Sandbox {
    router: Router,
    pub token: String,
}

impl Sandbox {
    pub async fn new(config: SandboxConfig) -> Self {
        let router = app(config);
        let mut sandbox = Self {
            router,
            token: String::new(),
        };
        let (status, body) = sandbox
            .send(token_request(&basic(CLIENT_ID, CLIENT_SECRET), FORM))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        sandbox.token = body["access_token"].as_str().unwrap().to_owned();
        sandbox
    }

    pub async fn instant() -> Self {
        Self::new(instant_screening()).await
    }

    /// Sends a request and reads the JSON answer (`null` for an empty body).
    pub async fn send(&self, request: Request<Body>) -> (StatusCode, Value) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&bytes)))
        };
        (status, body)
    }

    /// A resource request with every header the bank requires.
    pub fn request(&self, method: Method, path: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .header("client_id", CLIENT_ID)
            // Fresh per request, as the bank asks: a create honours a repeated uuid.
            .header("uuid", uuid::Uuid::new_v4().to_string())
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, "application/json")
            .header("countryCode", "SG")
    }

    /// A resource call with every header the bank requires.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        self.send(self.request(method, path).body(body).unwrap())
            .await
    }

    pub async fn create(&self, surname: &str) -> App {
        let (status, body) = self
            .call(Method::POST, APPLICATIONS, Some(create_body(surname)))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        App {
            id: body["applicationId"].as_str().unwrap().to_owned(),
            control_flow_id: body["controlFlowId"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn update(&self, app: &App, applicant: Applicant) -> (StatusCode, Value) {
        let body = json!({ "applicant": applicant, "controlFlowId": app.control_flow_id });
        self.call(
            Method::PUT,
            &format!("{APPLICATIONS}/{}", app.id),
            Some(body),
        )
        .await
    }

    pub async fn screen(&self, app: &App) -> (StatusCode, Value) {
        self.call(
            Method::POST,
            &format!("{APPLICATIONS}/{}/backgroundScreening", app.id),
            Some(json!({ "controlFlowId": app.control_flow_id })),
        )
        .await
    }

    pub async fn ipa(&self, app: &App) -> (StatusCode, Value) {
        self.call(
            Method::POST,
            &format!("{APPLICATIONS}/{}/inPrincipleApprovals", app.id),
            Some(json!({ "controlFlowId": app.control_flow_id })),
        )
        .await
    }

    /// Creates, sends identity and finances, and requests screening.
    pub async fn screened(&self, surname: &str, status: &str, income: f64) -> App {
        let app = self.create(surname).await;
        let (code, body) = self.update(&app, identity()).await;
        assert_eq!(code, StatusCode::OK, "{body}");
        let (code, body) = self.update(&app, finances(status, income)).await;
        assert_eq!(code, StatusCode::OK, "{body}");
        let (code, body) = self.screen(&app).await;
        assert_eq!(code, StatusCode::OK, "{body}");
        assert_eq!(body, json!({ "applicationStage": "BACKGROUND_SCREENING" }));
        app
    }

    /// What the inspection route shows of an application.
    pub async fn inspect(&self, app: &App) -> Value {
        let request = Request::get(format!("/sandbox/applications/{}", app.id))
            .body(Body::empty())
            .unwrap();
        let (status, body) = self.send(request).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }
}

pub const FORM: &str = "grant_type=client_credentials&scope=%2Fapi";

pub fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

pub fn token_request(authorization: &str, form: &str) -> Request<Body> {
    Request::post(TOKEN)
        .header(header::AUTHORIZATION, authorization)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(form.to_owned()))
        .unwrap()
}

pub fn product() -> Product {
    Product {
        credit_card_product: CreditCardProduct {
            product_code: "VC830".into(),
            source_code: "WW5ARCE1".into(),
            organization: "888".into(),
            logo: "830".into(),
        },
    }
}

/// Stage 1: basic details and consent to the terms.
pub fn basic_details(surname: &str) -> Applicant {
    Applicant {
        name: Some(Name {
            salutation: Some("MS".into()),
            given_name: "Mei Ling".into(),
            surname: Some(surname.into()),
        }),
        phone: vec![Phone {
            phone_type: "MOBILE".into(),
            phone_country_code: "65".into(),
            phone_number: "91234567".into(),
        }],
        email: vec![Email {
            email_address: "mei.ling@example.com".into(),
        }],
        demographics: Some(Demographics {
            date_of_birth: Some("1990-04-01".into()),
            residence_type: None,
        }),
        consent_details: vec![ConsentDetail {
            consent_type: "TERMS_AND_CONDITIONS".into(),
            is_consent_given: true,
        }],
        ..Applicant::default()
    }
}

pub fn create_body(surname: &str) -> Value {
    serde_json::to_value(ApplicationAddRequest {
        product: product(),
        applicant: basic_details(surname),
    })
    .unwrap()
}

/// Stage 2: ID and address.
pub fn identity() -> Applicant {
    Applicant {
        identification_document_details: vec![IdentificationDocumentDetail {
            id_type: "NRIC".into(),
            id_number: "S1234567D".into(),
            id_issue_country: "SG".into(),
            is_primary_id: true,
        }],
        address: vec![Address {
            address_type: "HOME".into(),
            address_line1: "10 Anson Road".into(),
            address_line2: None,
            postal_code: "079903".into(),
            country_code: "SG".into(),
            residence_duration_in_years: Some(3),
        }],
        ..Applicant::default()
    }
}

/// Stage 3: income, education, residence and employment.
pub fn finances(status: &str, annual_income: f64) -> Applicant {
    Applicant {
        demographics: Some(Demographics {
            date_of_birth: None,
            residence_type: Some("RENTED".into()),
        }),
        financial_information: Some(FinancialInformation {
            income_details: vec![IncomeDetail {
                income_type: "SALARY".into(),
                fixed_amount: annual_income,
                frequency: "ANNUAL".into(),
            }],
        }),
        education: Some(Education {
            highest_education_level: "BACHELOR".into(),
        }),
        employment_details: vec![EmploymentDetail {
            employment_status: status.into(),
            employer_name: Some("Acme Pte Ltd".into()),
            occupation_code: "PROFESSIONAL".into(),
            industry_code: "IT_TELECOM".into(),
        }],
        ..Applicant::default()
    }
}

/// Asserts a single-error ErrorList answer.
#[track_caller]
pub fn assert_error(
    (status, body): &(StatusCode, Value),
    expected_status: u16,
    kind: &str,
    code: &str,
    location: Option<&str>,
) {
    assert_eq!(status.as_u16(), expected_status, "{body}");
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no ErrorList: {body}"));
    assert_eq!(errors.len(), 1, "{body}");
    assert_eq!(errors[0]["type"], kind, "{body}");
    assert_eq!(errors[0]["code"], code, "{body}");
    assert!(errors[0]["details"].is_string(), "{body}");
    assert_eq!(errors[0]["location"].as_str(), location, "{body}");
}

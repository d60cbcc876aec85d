//! Drives the sandbox's router in process with `oneshot`, as a BFF would call it.

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
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
pub const EMEA_APPLICATIONS: &str = "/api/v1/emea/onboarding/applications";
pub const PROSPECTS: &str = "/api/v1/apac/onboarding/prospects";
pub const TOKEN: &str = "/api/clientCredentials/oauth2/token/sg/gcb";

/// A market as a partner calls it: the `countryCode`, the customer's `Accept-Language`,
/// the applications path of the API that takes it, and what its customers type.
#[derive(Debug, Clone, Copy)]
pub struct Market {
    pub code: &'static str,
    pub accept_language: Option<&'static str>,
    pub applications: &'static str,
    pub salutation: &'static str,
    pub phone_country_code: &'static str,
    pub id_type: &'static str,
    pub id_number: &'static str,
}

impl Market {
    /// The same market, the customer's browser asking for `accept_language`.
    pub fn speaking(self, accept_language: &'static str) -> Self {
        Self {
            accept_language: Some(accept_language),
            ..self
        }
    }
}

pub const SG: Market = Market {
    code: "SG",
    accept_language: None,
    applications: APPLICATIONS,
    salutation: "MS",
    phone_country_code: "65",
    id_type: "NRIC",
    id_number: "S1234567D",
};
pub const HK: Market = Market {
    code: "HK",
    accept_language: None,
    applications: APPLICATIONS,
    salutation: "MS",
    phone_country_code: "852",
    id_type: "HKID",
    id_number: "A1234563",
};
pub const PL: Market = Market {
    code: "PL",
    accept_language: None,
    applications: EMEA_APPLICATIONS,
    salutation: "MS",
    phone_country_code: "48",
    id_type: "PESEL",
    id_number: "90040112345",
};
pub const RU: Market = Market {
    code: "RU",
    accept_language: None,
    applications: EMEA_APPLICATIONS,
    salutation: "MS",
    phone_country_code: "7",
    id_type: "RU_PASSPORT",
    id_number: "4509123456",
};
pub const AE: Market = Market {
    code: "AE",
    accept_language: None,
    applications: EMEA_APPLICATIONS,
    salutation: "MRS",
    phone_country_code: "971",
    id_type: "EMIRATES_ID",
    id_number: "784199012345671",
};

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
        let (status, _, body) = self.send_with_headers(request).await;
        (status, body)
    }

    /// Sends a request and reads the answer's headers and JSON body.
    pub async fn send_with_headers(
        &self,
        request: Request<Body>,
    ) -> (StatusCode, HeaderMap, Value) {
        let (status, headers, bytes) = self.send_raw(request).await;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&bytes)))
        };
        (status, headers, body)
    }

    /// Sends a request and answers its status, headers and body as they came.
    pub async fn send_raw(&self, request: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, bytes.to_vec())
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

    /// A resource request in `market`, with every header the bank requires.
    pub fn request_in(
        &self,
        market: Market,
        method: Method,
        path: &str,
    ) -> axum::http::request::Builder {
        let mut request = self.request(method, path);
        let headers = request.headers_mut().unwrap();
        headers.insert("countrycode", market.code.parse().unwrap());
        if let Some(language) = market.accept_language {
            headers.insert(header::ACCEPT_LANGUAGE, language.parse().unwrap());
        }
        request
    }

    /// A resource call in `market`.
    pub async fn call_in(
        &self,
        market: Market,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        self.send(self.request_in(market, method, path).body(body).unwrap())
            .await
    }

    /// Creates an application in `market` on the API that takes it.
    pub async fn create_in(&self, market: Market, applicant: Applicant) -> App {
        let body = json!({ "product": product(), "applicant": applicant });
        let (status, body) = self
            .call_in(market, Method::POST, market.applications, Some(body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{} {body}", market.code);
        App {
            id: body["applicationId"].as_str().unwrap().to_owned(),
            control_flow_id: body["controlFlowId"].as_str().unwrap().to_owned(),
        }
    }

    /// Creates, sends identity and finances, requests screening and asks for the IPA, all
    /// in `market`; answers the application and the IPA's answer.
    pub async fn decided_in(
        &self,
        market: Market,
        applicant: Applicant,
        status: &str,
        income: f64,
    ) -> (App, (StatusCode, Value)) {
        let app = self.create_in(market, applicant).await;
        let base = format!("{}/{}", market.applications, app.id);
        let flow = json!({ "controlFlowId": app.control_flow_id });
        for sections in [identity_in(market), finances(status, income)] {
            let body = json!({ "applicant": sections, "controlFlowId": app.control_flow_id });
            let (code, body) = self.call_in(market, Method::PUT, &base, Some(body)).await;
            assert_eq!(code, StatusCode::OK, "{} {body}", market.code);
        }
        let screening = format!("{base}/backgroundScreening");
        let (code, body) = self
            .call_in(market, Method::POST, &screening, Some(flow.clone()))
            .await;
        assert_eq!(code, StatusCode::OK, "{} {body}", market.code);
        let ipa = format!("{base}/inPrincipleApprovals");
        let answer = self.call_in(market, Method::POST, &ipa, Some(flow)).await;
        (app, answer)
    }

    /// The outbox, oldest first; only about `reference` when one is given.
    pub async fn notifications(&self, reference: Option<&str>) -> Vec<Value> {
        let path = match reference {
            Some(reference) => format!("/sandbox/notifications?reference={reference}"),
            None => "/sandbox/notifications".to_owned(),
        };
        let (status, body) = self
            .send(Request::get(path).body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body.as_array().unwrap().clone()
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

/// Stage 1 in `market`: a customer who gives an e-mail address only when `email` is some.
pub fn customer_in(
    market: Market,
    given_name: &str,
    surname: &str,
    email: Option<&str>,
) -> Applicant {
    Applicant {
        name: Some(Name {
            salutation: Some(market.salutation.into()),
            given_name: given_name.into(),
            surname: Some(surname.into()),
        }),
        phone: vec![Phone {
            phone_type: "MOBILE".into(),
            phone_country_code: market.phone_country_code.into(),
            phone_number: "512345678".into(),
        }],
        email: email
            .map(|address| Email {
                email_address: address.into(),
            })
            .into_iter()
            .collect(),
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

/// Stage 2 in `market`: its national ID and an address there.
pub fn identity_in(market: Market) -> Applicant {
    Applicant {
        identification_document_details: vec![IdentificationDocumentDetail {
            id_type: market.id_type.into(),
            id_number: market.id_number.into(),
            id_issue_country: market.code.into(),
            is_primary_id: true,
        }],
        address: vec![Address {
            address_type: "HOME".into(),
            address_line1: "1 Main Street".into(),
            address_line2: None,
            postal_code: "00950".into(),
            country_code: market.code.into(),
            residence_duration_in_years: Some(3),
        }],
        ..Applicant::default()
    }
}

/// A lead in `market`, as Submit Prospect takes it.
pub fn prospect_body(market: &str, salutation: &str, given_name: &str, surname: &str) -> Value {
    json!({
        "interest": { "productGroup": "CREDIT_CARD", "campaignId": "CA13" },
        "prospect": {
            "name": { "salutation": salutation, "givenName": given_name, "surname": surname },
            "address": [{ "addressType": "HOME", "addressLine1": "99 Main Road",
                          "postalCode": "10110", "countryCode": market }],
            "email": [{ "emailAddress": "lead@example.com" }],
            "phone": [{ "phoneType": "MOBILE", "phoneCountryCode": "66",
                        "phoneNumber": "812345678" }],
            "contactPreference": { "sendSmsAdviceFlag": true }
        }
    })
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

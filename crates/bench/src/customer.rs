//! A customer going through the widget's journey: the calls the widget makes, with the
//! forms it sends, and its "Try again" on a retryable failure (the same request, the same
//! idempotency key).

use crate::connection::decoded;
use onboarding_core::api::{
    routes, ApiError, Journey, Progress, SessionStarted, IDEMPOTENCY_KEY_HEADER, SESSION_HEADER,
};
use onboarding_core::forms::{AboutYouForm, FinancesForm, IdentityForm};
use onboarding_core::{ReferenceField, Stage};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// What Chromium sends as `Accept-Encoding`: the BFF compresses its JSON answers for it.
pub const BROWSER_ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

/// The requests of a journey, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// `POST /api/v1/sessions`.
    Session,
    /// Stage 1, `POST /api/v1/applications`: the bank opens the application.
    AboutYou,
    /// Stage 2, `PUT .../identity`.
    Identity,
    /// Stage 3, `PUT .../finances`: screening and the bank's decision.
    Finances,
}

impl Step {
    /// Every step, in journey order.
    pub const ALL: [Step; 4] = [
        Step::Session,
        Step::AboutYou,
        Step::Identity,
        Step::Finances,
    ];

    /// The BFF's route template for the step, as its metrics label it.
    pub fn route(self) -> String {
        match self {
            Step::Session => routes::SESSIONS.to_owned(),
            Step::AboutYou => routes::APPLICATIONS.to_owned(),
            Step::Identity => routes::identity("{reference}"),
            Step::Finances => routes::finances("{reference}"),
        }
    }
}

/// One request sent: its step, how long its answer took and how it ended.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub step: Step,
    pub elapsed: Duration,
    /// The HTTP status; `None` when no answer came (connection refused or cut).
    pub status: Option<u16>,
    /// Whether the answer is the designed retryable one (`503`, `retryable: true`).
    pub designed_retry: bool,
}

/// How a journey ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The bank's application reference, once stage 1 answered.
    pub reference: Option<String>,
    /// The decision shown to the customer (`approved`, …), or why the journey stopped.
    pub result: Result<String, String>,
}

/// The placement the customers come from.
#[derive(Debug, Clone)]
pub struct Placement {
    pub partner: String,
    pub market: String,
    pub return_url: String,
}

/// The widget, served by one or more BFF instances: each request goes to the next
/// instance in turn, as a load balancer without sticky sessions sends it.
pub struct Widget {
    /// Each instance's origin and a client sending it as `Origin`, as browsers do.
    instances: Vec<reqwest::Client>,
    origins: Vec<String>,
    next: AtomicUsize,
    placement: Placement,
    /// How long a customer waits before "Try again".
    retry_pause: Duration,
    /// Requests a step may take before the customer gives up.
    max_attempts: u32,
}

impl Widget {
    /// The widget on the BFFs at `origins` (`http://host:port`).
    pub fn new(
        origins: &[String],
        placement: Placement,
        retry_pause: Duration,
        max_attempts: u32,
    ) -> Self {
        let instances = origins
            .iter()
            .map(|origin| {
                let mut headers = reqwest::header::HeaderMap::new();
                headers.insert(
                    reqwest::header::ORIGIN,
                    origin.parse().expect("an origin is a header value"),
                );
                reqwest::Client::builder()
                    .default_headers(headers)
                    .timeout(Duration::from_secs(60))
                    .pool_max_idle_per_host(1024)
                    .build()
                    .expect("the HTTP client's settings are valid")
            })
            .collect();
        Self {
            instances,
            origins: origins.to_vec(),
            next: AtomicUsize::new(0),
            placement,
            retry_pause,
            max_attempts: max_attempts.max(1),
        }
    }

    /// One customer's whole journey, every request recorded in `attempts`.
    pub async fn journey(&self, surname: &str, attempts: &mut Vec<Attempt>) -> Outcome {
        let mut reference = None;
        let result = self.steps(surname, attempts, &mut reference).await;
        Outcome { reference, result }
    }

    async fn steps(
        &self,
        surname: &str,
        attempts: &mut Vec<Attempt>,
        reference: &mut Option<String>,
    ) -> Result<String, String> {
        // As JSON rather than `StartSession`: the placement's optional fields are not sent.
        let start = serde_json::json!({
            "partner": self.placement.partner,
            "market": self.placement.market,
            "return_url": self.placement.return_url,
        });
        let started: SessionStarted = self
            .send(
                Step::Session,
                Method::POST,
                routes::SESSIONS,
                None,
                &start,
                attempts,
            )
            .await?;
        let (token, journey) = (started.token, started.journey);
        let progress: Progress = self
            .send(
                Step::AboutYou,
                Method::POST,
                routes::APPLICATIONS,
                Some(&token),
                &about_you_form(&journey, surname),
                attempts,
            )
            .await?;
        let opened = progress
            .reference
            .ok_or("stage 1 answered without a reference")?;
        *reference = Some(opened.clone());
        let progress: Progress = self
            .send(
                Step::Identity,
                Method::PUT,
                &routes::identity(&opened),
                Some(&token),
                &identity_form(&journey)?,
                attempts,
            )
            .await?;
        if progress.stage != Stage::Finances {
            return Err(format!("stage 2 led to {:?}", progress.stage));
        }
        let progress: Progress = self
            .send(
                Step::Finances,
                Method::PUT,
                &routes::finances(&opened),
                Some(&token),
                &finances_form(&journey)?,
                attempts,
            )
            .await?;
        progress
            .decision
            .map(|d| d.outcome().as_str().to_owned())
            .ok_or_else(|| format!("stage 3 led to {:?} without a decision", progress.stage))
    }

    /// Sends one step until it succeeds, is refused for good, or the customer gives up;
    /// every attempt carries the same idempotency key.
    async fn send<T: DeserializeOwned>(
        &self,
        step: Step,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &impl Serialize,
        attempts: &mut Vec<Attempt>,
    ) -> Result<T, String> {
        let key = (step != Step::Session).then(|| uuid::Uuid::new_v4().to_string());
        let mut last = String::new();
        for _ in 0..self.max_attempts {
            let instance = self.next.fetch_add(1, Ordering::Relaxed) % self.instances.len();
            let mut request = self.instances[instance]
                .request(method.clone(), format!("{}{path}", self.origins[instance]))
                .header(reqwest::header::ACCEPT, "application/json")
                .header(reqwest::header::ACCEPT_ENCODING, BROWSER_ACCEPT_ENCODING)
                .json(body);
            if let Some(token) = token {
                request = request.header(SESSION_HEADER, format!("Bearer {token}"));
            }
            if let Some(key) = &key {
                request = request.header(IDEMPOTENCY_KEY_HEADER, key);
            }
            let sent = Instant::now();
            let answer = match request.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let coding = response
                        .headers()
                        .get(reqwest::header::CONTENT_ENCODING)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    match response.bytes().await {
                        Ok(body) => decoded(&coding, &body).map(|text| (status, text)),
                        Err(error) => Err(error.to_string()),
                    }
                }
                Err(error) => Err(error.to_string()),
            };
            let elapsed = sent.elapsed();
            let (status, text) = match answer {
                Ok(answer) => answer,
                Err(error) => {
                    attempts.push(Attempt {
                        step,
                        elapsed,
                        status: None,
                        designed_retry: false,
                    });
                    last = format!("no answer: {error}");
                    tokio::time::sleep(self.retry_pause).await;
                    continue;
                }
            };
            if (200..300).contains(&status) {
                attempts.push(Attempt {
                    step,
                    elapsed,
                    status: Some(status),
                    designed_retry: false,
                });
                return serde_json::from_str(&text)
                    .map_err(|e| format!("{step:?}: unreadable answer ({e}): {text}"));
            }
            let error: Option<ApiError> = serde_json::from_str(&text).ok();
            let retryable = error.as_ref().is_some_and(|e| e.retryable);
            attempts.push(Attempt {
                step,
                elapsed,
                status: Some(status),
                designed_retry: status == 503 && retryable,
            });
            last = format!("{status}: {text}");
            if !retryable {
                return Err(format!("{step:?} refused with {last}"));
            }
            tokio::time::sleep(self.retry_pause).await;
        }
        Err(format!(
            "{step:?}: gave up after {} attempts; last: {last}",
            self.max_attempts
        ))
    }
}

/// A surname of letters only, different for every `n`, that no sandbox rule reacts to.
pub fn surname(n: u64) -> String {
    let mut letters = Vec::new();
    let mut rest = n;
    loop {
        letters.push(b'a' + (rest % 26) as u8);
        rest /= 26;
        if rest == 0 {
            break;
        }
    }
    letters.reverse();
    format!(
        "Bench{}",
        String::from_utf8(letters).expect("ASCII letters")
    )
}

/// The first option the bank offers for `field`.
fn first(journey: &Journey, field: ReferenceField) -> Result<String, String> {
    journey
        .reference_data
        .options(field)
        .first()
        .map(|o| o.code.clone())
        .ok_or_else(|| format!("the bank offers no {field:?}"))
}

/// `code` if the bank offers it for `field`.
fn offered(journey: &Journey, field: ReferenceField, code: &str) -> Result<String, String> {
    journey
        .reference_data
        .options(field)
        .iter()
        .any(|o| o.code == code)
        .then(|| code.to_owned())
        .ok_or_else(|| format!("the bank offers no {field:?} {code}"))
}

/// Stage 1 as a Singapore customer fills it in, accepting the terms offered.
fn about_you_form(journey: &Journey, surname: &str) -> AboutYouForm {
    AboutYouForm {
        title: first(journey, ReferenceField::Salutation).unwrap_or_default(),
        given_name: "Mei Ling".into(),
        surname: surname.into(),
        date_of_birth: "1990-04-01".into(),
        mobile_number: "9123 4567".into(),
        email: "mei.ling@example.com".into(),
        accepted_terms_version: journey.terms.version.clone(),
    }
}

/// Stage 2: a valid NRIC and a Singapore address.
fn identity_form(journey: &Journey) -> Result<IdentityForm, String> {
    Ok(IdentityForm {
        id_type: offered(journey, ReferenceField::IdType, "NRIC")?,
        id_number: "S1234567D".into(),
        address_line1: "1 Raffles Place".into(),
        address_line2: "#20-01".into(),
        postal_code: "048616".into(),
        country: offered(journey, ReferenceField::Country, "SG")?,
        years_at_address: "5".into(),
    })
}

/// Stage 3: employed, with an income the sandbox approves.
fn finances_form(journey: &Journey) -> Result<FinancesForm, String> {
    Ok(FinancesForm {
        employment_status: offered(journey, ReferenceField::EmploymentStatus, "EMPLOYED")?,
        occupation: first(journey, ReferenceField::OccupationCode)?,
        industry: first(journey, ReferenceField::IndustryCode)?,
        employer_name: "Acme Pte. Ltd.".into(),
        annual_income: "60000".into(),
        education: first(journey, ReferenceField::HighestEducationLevel)?,
        residence_type: first(journey, ReferenceField::ResidenceType)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames_are_letters_and_distinct() {
        assert_eq!(surname(0), "Bencha");
        assert_eq!(surname(25), "Benchz");
        assert_eq!(surname(26), "Benchba");
        let all: std::collections::HashSet<String> = (0..2000).map(surname).collect();
        assert_eq!(all.len(), 2000);
        assert!(all
            .iter()
            .all(|s| s.chars().all(|c| c.is_ascii_alphabetic())));
    }

    #[test]
    fn steps_name_the_bffs_route_templates() {
        assert_eq!(Step::Session.route(), "/api/v1/sessions");
        assert_eq!(
            Step::Finances.route(),
            "/api/v1/applications/{reference}/finances"
        );
    }
}

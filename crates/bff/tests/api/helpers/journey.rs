//! The widget's journey as the tests drive it: sessions, stages and offers, each a call
//! with a session token and an idempotency key.

use super::answer::Answer;
use super::app::TestApp;
use super::forms::{about_you_form, finances_form, identity_form};
use super::partners::{MARKET, PARTNER, RETURN_URL};
use onboarding_core::api::{
    routes, AcceptOffer, ErrorCode, Journey, Progress, SessionStarted, StartSession,
    IDEMPOTENCY_KEY_HEADER, SESSION_HEADER,
};
use onboarding_core::forms::{AboutYouForm, FinancesForm, IdentityForm, LeadForm};
use onboarding_core::{Decision, Stage};
use reqwest::{Method, StatusCode};
use serde::Serialize;

/// A customer who has completed stages 1 and 2.
pub struct Customer {
    pub token: String,
    pub journey: Journey,
    pub reference: String,
}

impl TestApp {
    /// A state-changing API call with a session token and an idempotency key.
    pub fn api(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.header(SESSION_HEADER, format!("Bearer {token}"));
        }
        if let Some(key) = key {
            request = request.header(IDEMPOTENCY_KEY_HEADER, key);
        }
        request
    }

    pub async fn start_session_with(
        &self,
        partner: &str,
        market: &str,
        return_url: &str,
    ) -> Answer {
        self.start_session_for(partner, market, return_url, None)
            .await
    }

    /// Starts a session, from the placement of a placement token if one is given.
    pub async fn start_session_for(
        &self,
        partner: &str,
        market: &str,
        return_url: &str,
        placement: Option<&str>,
    ) -> Answer {
        let body = StartSession {
            partner: partner.into(),
            market: market.into(),
            return_url: return_url.into(),
            placement: placement.map(Into::into),
            language: None,
        };
        self.send(self.client.post(self.url(routes::SESSIONS)).json(&body))
            .await
    }

    /// Starts the session of `partner`'s placement in the test market with `token`,
    /// asserting that it started.
    pub async fn start_placed(&self, partner: &str, token: &str) -> Answer {
        let started = self
            .start_session_for(partner, MARKET, RETURN_URL, Some(token))
            .await;
        assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
        started
    }

    /// Asserts that the session of `partner`'s placement in the test market, with `token`
    /// if given, is refused as an unknown partner, saying `why`.
    pub async fn start_refused(&self, partner: &str, token: Option<&str>, why: &str) {
        let error = self
            .start_session_for(partner, MARKET, RETURN_URL, token)
            .await
            .refused_with(ErrorCode::UnknownPartner);
        assert!(error.message.contains(why), "{why}: {}", error.message);
    }

    /// A new session of `partner`'s placement in `market`, its page shown in `language`.
    pub async fn start_session_in(
        &self,
        partner: &str,
        market: &str,
        language: Option<&str>,
    ) -> (String, Journey) {
        let body = StartSession {
            partner: partner.into(),
            market: market.into(),
            return_url: RETURN_URL.into(),
            placement: None,
            language: language.map(Into::into),
        };
        let answer = self
            .send(self.client.post(self.url(routes::SESSIONS)).json(&body))
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        let started: SessionStarted = serde_json::from_str(&answer.body).expect("a SessionStarted");
        (started.token, started.journey)
    }

    /// `POST /api/v1/leads`.
    pub async fn lead(&self, token: &str, form: &LeadForm) -> Answer {
        let request = self.api(Method::POST, routes::LEADS, Some(token), Some(&new_key()));
        self.send(request.json(form)).await
    }

    /// `POST /api/v1/applications/{reference}/save`.
    pub async fn save(&self, token: &str, reference: &str) -> Answer {
        let path = routes::save(reference);
        self.send(self.api(Method::POST, &path, Some(token), Some(&new_key())))
            .await
    }

    /// A new session of the test partner's placement: its token and journey.
    pub async fn start_session(&self) -> (String, Journey) {
        let answer = self.start_session_with(PARTNER, MARKET, RETURN_URL).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        let started: SessionStarted = serde_json::from_str(&answer.body).expect("a SessionStarted");
        (started.token, started.journey)
    }

    /// `GET /api/v1/sessions/current`.
    pub async fn current(&self, token: &str) -> Answer {
        self.send(self.api(Method::GET, routes::CURRENT_SESSION, Some(token), None))
            .await
    }

    async fn stage(
        &self,
        method: Method,
        path: &str,
        token: &str,
        key: &str,
        form: &impl Serialize,
    ) -> Answer {
        self.send(self.api(method, path, Some(token), Some(key)).json(form))
            .await
    }

    pub async fn about_you(&self, token: &str, form: &AboutYouForm) -> Answer {
        self.about_you_with_key(token, form, &new_key()).await
    }

    pub async fn about_you_with_key(&self, token: &str, form: &AboutYouForm, key: &str) -> Answer {
        self.stage(Method::POST, routes::APPLICATIONS, token, key, form)
            .await
    }

    pub async fn identity(&self, token: &str, reference: &str, form: &IdentityForm) -> Answer {
        self.identity_with_key(token, reference, form, &new_key())
            .await
    }

    pub async fn identity_with_key(
        &self,
        token: &str,
        reference: &str,
        form: &IdentityForm,
        key: &str,
    ) -> Answer {
        let path = routes::identity(reference);
        self.stage(Method::PUT, &path, token, key, form).await
    }

    pub async fn finances(&self, token: &str, reference: &str, form: &FinancesForm) -> Answer {
        let path = routes::finances(reference);
        self.stage(Method::PUT, &path, token, &new_key(), form)
            .await
    }

    /// Accepts one of the decision's offers.
    pub async fn accept_offer(&self, token: &str, reference: &str, offer: &str) -> Answer {
        let path = routes::offer_acceptance(reference);
        let body = AcceptOffer {
            offer: offer.into(),
        };
        self.stage(Method::POST, &path, token, &new_key(), &body)
            .await
    }

    /// A new session through stage 1 (with this surname) and stage 2.
    /// Sends a valid stage 1 with this surname and returns the application's reference.
    pub async fn about_you_reference(
        &self,
        token: &str,
        journey: &Journey,
        surname: &str,
    ) -> String {
        self.about_you(token, &about_you_form(journey, surname))
            .await
            .progress()
            .reference
            .expect("stage 1 gives a reference")
    }

    pub async fn through_identity(&self, surname: &str) -> Customer {
        let (token, journey) = self.start_session().await;
        let reference = self.about_you_reference(&token, &journey, surname).await;
        let progress = self
            .identity(&token, &reference, &identity_form(&journey))
            .await
            .progress();
        assert_eq!(progress.stage, Stage::Finances);
        Customer {
            token,
            journey,
            reference,
        }
    }

    /// Sends stage 3 as an employed customer earning 60,000, asserting that the bank
    /// approved: the progress.
    pub async fn finances_approved(
        &self,
        token: &str,
        reference: &str,
        journey: &Journey,
    ) -> Progress {
        let form = finances_form(journey, "EMPLOYED", "60000");
        let progress = self.finances(token, reference, &form).await.progress();
        assert_eq!(progress.stage, Stage::Result);
        assert!(
            matches!(progress.decision, Some(Decision::Approved { .. })),
            "{progress:?}"
        );
        progress
    }
}

/// A fresh idempotency key, as the widget makes one per submission.
pub fn new_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The progress without its signed return URL, whose `ts` is the second it was answered.
pub fn unsigned(mut progress: Progress) -> Progress {
    progress.return_to = None;
    progress
}

//! A request of the customer's journey as a stage handler works on it: what the journey
//! reads and writes ([`Journeys`]), the session it came in, and that session's partner. A
//! handler opens the context, runs its step of the journey's plan, and answers where the
//! application stands.

use super::application::{ApplicationRecord, BankStep};
use super::reference_data::ReferenceDataCache;
use super::session_record::SessionRecord;
use crate::bank::BankClient;
use crate::config::JourneySettings;
use crate::connectfi::ConnectFiClient;
use crate::error::AppError;
use crate::faults::FaultHook;
use crate::partners::{Partner, Partners};
use crate::rate_limit::RateLimits;
use crate::store::{Store, WebhookEvent};
use crate::telemetry::Metrics;
use crate::time::{now_unix, today_in};
use crate::webhooks::decided_event;
use onboarding_core::api::{ErrorCode, Progress};
use onboarding_core::forms::FormContext;
use onboarding_core::plan::{JourneyPlan, Step};
use onboarding_core::{Decision, Stage};
use std::future::Future;
use std::sync::Arc;
use tokio_util::task::TaskTracker;

/// What the customer's journey reads and writes: the database, the partners, the bank and
/// connectFi, and the journey's settings.
#[derive(Clone)]
pub struct Journeys {
    pub store: Store,
    pub bank: Arc<BankClient>,
    /// connectFi, when it is configured (or the sandbox's runs in this process).
    pub connectfi: Option<Arc<ConnectFiClient>>,
    pub partners: Arc<Partners>,
    pub settings: Arc<JourneySettings>,
    pub reference_data: Arc<ReferenceDataCache>,
    /// Partners' webhook events waiting to be delivered.
    pub outbox: Arc<crate::webhooks::Outbox>,
    /// The stages under way: each runs in a task of its own, so a dropped request does not
    /// cut its bank calls short, and shutdown waits for them.
    pub tasks: TaskTracker,
    /// Where stage 3 stops dead, in the crash tests only.
    pub faults: FaultHook,
    /// Stages reaching the bank are charged to their partner's limit.
    pub limits: Arc<RateLimits>,
    /// This BFF's metrics (its own even when tests run several BFFs in one process).
    pub metrics: Metrics,
}

/// A session's request, with what every step of its journey reads.
pub(super) struct Context<'a> {
    pub state: &'a Journeys,
    pub session: &'a SessionRecord,
    /// The partner whose placement the session was started on.
    pub partner: &'a Partner,
}

impl<'a> Context<'a> {
    /// The context of a request of `session`, whose partner must still be configured.
    pub fn open(state: &'a Journeys, session: &'a SessionRecord) -> Result<Self, AppError> {
        let partner = state.partners.get(&session.partner_id).ok_or_else(|| {
            AppError::internal(format!(
                "session's partner {} left the partners file",
                session.partner_id
            ))
        })?;
        Ok(Self {
            state,
            session,
            partner,
        })
    }

    /// The plan of the session's journey.
    pub fn plan(&self) -> JourneyPlan {
        self.partner.plan()
    }

    /// Refuses `step` unless the journey's plan takes it now, with `application` as far
    /// as it got.
    pub fn accepts(
        &self,
        step: Step,
        application: Option<&ApplicationRecord>,
    ) -> Result<(), AppError> {
        Ok(self.plan().accepts(step, application.map(reached))?)
    }

    /// Where the application stands, as the widget shows it.
    pub fn progress(&self, application: Option<&ApplicationRecord>) -> Progress {
        let Some(app) = application else {
            return Progress {
                stage: Stage::AboutYou,
                reference: None,
                decision: None,
                return_to: None,
                follow_up: None,
            };
        };
        let stage = match (app.bank_step, &app.decision, app.handover) {
            (_, Some(_), _) | (BankStep::Decided, ..) | (.., Some(_)) => Stage::Result,
            (BankStep::Created, ..) => Stage::Identity,
            _ => Stage::Finances,
        };
        let outcome = app
            .decision
            .as_ref()
            .map(|decision| decision.outcome())
            .or(app.handover.map(|handover| handover.outcome()));
        // Signed afresh on every answer: the partner's server trusts the result only with a
        // valid `sig`, and refuses an old `ts`.
        let return_to = outcome.and_then(|outcome| {
            let secret = self
                .state
                .partners
                .signing_secret(&self.session.partner_id)?;
            let return_url = url::Url::parse(&self.session.return_url).ok()?;
            Some(crate::signing::signed_return_url(
                secret,
                &return_url,
                &app.reference,
                outcome,
                self.session.partner_state.as_deref(),
                now_unix(),
            ))
        });
        Progress {
            stage,
            reference: Some(app.reference.clone()),
            decision: app.decision.clone(),
            return_to,
            follow_up: app.handover.map(|_| self.session.market.follow_up()),
        }
    }

    /// Where the session's application stands now, as stored.
    pub async fn current_progress(&self) -> Result<Progress, AppError> {
        let application = self.application().await?;
        Ok(self.progress(application.as_ref()))
    }

    /// The session's application, if it has one.
    pub async fn application(&self) -> Result<Option<ApplicationRecord>, AppError> {
        Ok(self
            .state
            .store
            .find_application(&self.session.token_hash)
            .await?)
    }

    /// The session's application, if `reference` names it; another session's is not found.
    pub async fn own_application(&self, reference: &str) -> Result<ApplicationRecord, AppError> {
        self.application()
            .await?
            .filter(|app| app.reference == reference)
            .ok_or_else(|| {
                AppError::client(
                    ErrorCode::ApplicationNotFound,
                    "This session has no application with that reference.",
                )
            })
    }

    /// The session's application, if `reference` names it and the customer has not handed
    /// it over to the bank (a lead, or saved to continue on the bank's channel).
    pub async fn application_in_progress(
        &self,
        reference: &str,
    ) -> Result<ApplicationRecord, AppError> {
        let app = self.own_application(reference).await?;
        if app.handover.is_some() {
            return Err(AppError::client(
                ErrorCode::StageOutOfOrder,
                "This application was handed to the bank for the customer to continue on the bank's own channel; it takes no more stages here.",
            ));
        }
        Ok(app)
    }

    /// Stores a decision the partner hears of: `write` stores it with the partner's event
    /// of it (when the partner has a webhook) in one transaction, and answers whether it
    /// stood. A decision that stood wakes the outbox and is counted, by the session's
    /// provider and at `source` (see [`Metrics::decision`]); `false` when another was
    /// stored first, which was counted where it was stored.
    pub async fn store_decided<Write, Stored>(
        &self,
        reference: &str,
        decision: &Decision,
        source: &'static str,
        write: Write,
    ) -> Result<bool, AppError>
    where
        Write: FnOnce(Option<WebhookEvent>, i64) -> Stored,
        Stored: Future<Output = Result<bool, AppError>>,
    {
        let now = now_unix();
        let event = decided_event(
            &self.state.partners,
            &self.session.partner_id,
            reference,
            decision,
            self.session.partner_state.as_deref(),
            now,
        );
        let has_event = event.is_some();
        if !write(event, now).await? {
            return Ok(false);
        }
        if has_event {
            self.state.outbox.stored();
        }
        self.state.metrics.decision(
            self.partner.provider.as_str(),
            decision.outcome().as_str(),
            source,
        );
        Ok(true)
    }

    /// Checks a stage's form with the core crate's rules (the authoritative check) for the
    /// session's market, against the bank's reference data; a form that passes is about to
    /// be sent to the bank (or connectFi), so it is charged to the partner's rate limit here.
    pub async fn check<T>(
        &self,
        terms_version: &str,
        parse: impl FnOnce(&FormContext<'_>) -> Result<T, Vec<onboarding_core::FieldError>>,
    ) -> Result<T, AppError> {
        let market = self.session.market;
        let reference_data = self
            .state
            .reference_data
            .get(&self.state.bank, self.session.locale())
            .await
            .map_err(AppError::bank_unavailable)?;
        let form = FormContext {
            market,
            reference_data: &reference_data,
            today: today_in(market),
            terms_version,
        };
        let checked = parse(&form).map_err(AppError::invalid_input)?;
        self.reaching_the_bank()?;
        Ok(checked)
    }

    /// Charges the session's partner for a stage whose work is about to call the bank or
    /// connectFi: past the form's checks and the stage's own refusals, and after a replay
    /// was answered from what was stored, so that only what costs the bank counts against
    /// the partner (see [`crate::rate_limit::RateLimits::partner`]).
    pub fn reaching_the_bank(&self) -> Result<(), AppError> {
        self.state.limits.partner(&self.session.partner_id)
    }
}

/// How far the application got, as the journey's plan reads it: the last stage sent, the
/// result once decided.
fn reached(app: &ApplicationRecord) -> Stage {
    match app.bank_step {
        _ if app.decision.is_some() => Stage::Result,
        BankStep::Created => Stage::AboutYou,
        BankStep::IdentitySent => Stage::Identity,
        _ => Stage::Finances,
    }
}

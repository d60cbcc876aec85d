//! Partners' webhooks: an `application.decided` event for every decision, kept in the
//! database's outbox with the decision (see `Store::store_decision`) and delivered by a
//! background task, at least once, signed with the partner's secret (`signing.rs`).
//!
//! Each attempt is a `POST` of the stored body to the partner's `webhook_url` with the
//! Standard Webhooks headers: `webhook-id` (the same on every attempt), `webhook-timestamp`
//! and `webhook-signature` (signed afresh each time). The body's `sequence` numbers the
//! application's events in the order they were written. A 2xx answer within
//! five seconds delivers it; anything else is retried after a pause that doubles from
//! `WEBHOOK_BACKOFF_BASE_MS` (up to an hour), drawn between half and all of it so partners
//! that failed together are not retried together, until `WEBHOOK_MAX_ATTEMPTS`. Pending
//! events are rows, so a restarted BFF carries on where the last one stopped.

use crate::backoff::backoff;
use crate::config::WebhookSettings;
use crate::partners::Partners;
use crate::signing::webhook_signature;
use crate::store::{OutboxRecord, Store, WebhookEvent};
use crate::telemetry::Metrics;
use crate::time::{format_utc, millis, now_unix, now_unix_ms};
use onboarding_core::{CreditLimit, Decision, Outcome};
use rand::Rng;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

/// How long a partner has to answer one delivery.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);
/// No pause between attempts is longer.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// How long a claimed event is left alone by other instances: the attempt's timeout and
/// time to record its outcome.
const LEASE: Duration = Duration::from_secs(10);
/// How often the outbox is looked at when nothing wakes the task: events written by another
/// BFF instance are found within this.
const IDLE_POLL: Duration = Duration::from_secs(5);
/// Events sent at once.
const BATCH: u32 = 16;

/// The `application.decided` body, in its documented field order; the outbox appends
/// `sequence` when it stores the event.
#[derive(Serialize)]
struct Decided<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    reference: &'a str,
    outcome: Outcome,
    credit_limit: Option<&'a CreditLimit>,
    decided_at: String,
    /// The state of the placement the application started from, when it had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<&'a str>,
}

/// The `application.decided` event of `decision`, for a partner with a `webhook_url`, with
/// the `state` of the placement the application started from.
pub fn decided_event(
    partners: &Partners,
    partner_id: &str,
    reference: &str,
    decision: &Decision,
    state: Option<&str>,
    decided_at: i64,
) -> Option<WebhookEvent> {
    partners.get(partner_id)?.webhook_url.as_ref()?;
    let credit_limit = match decision {
        Decision::Approved { credit_limit, .. } => Some(credit_limit),
        _ => None,
    };
    let body = Decided {
        kind: "application.decided",
        reference,
        outcome: decision.outcome(),
        credit_limit,
        decided_at: format_utc(decided_at),
        state,
    };
    Some(WebhookEvent {
        // Random, and kept in the outbox: a partner drops repeats by it.
        id: format!("msg_{}", uuid::Uuid::new_v4().simple()),
        partner_id: partner_id.to_owned(),
        reference: reference.to_owned(),
        body: serde_json::to_string(&body).expect("an event always serialises"),
    })
}

/// The outbox's settings, and the bell that wakes the delivery task when an event is stored.
#[derive(Debug, Default)]
pub struct Outbox {
    pub settings: WebhookSettings,
    wake: Notify,
}

impl Outbox {
    /// An outbox retrying as `settings` say.
    pub fn new(settings: WebhookSettings) -> Self {
        Self {
            settings,
            wake: Notify::new(),
        }
    }

    /// Tells the delivery task an event was stored, so it is sent now rather than at the
    /// next look.
    pub fn stored(&self) {
        self.wake.notify_one();
    }
}

/// The running delivery task.
pub struct Delivery {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Delivery {
    /// Starts delivering the events of `outbox` (kept in `store`) to `partners` in the
    /// background, counting them in `metrics`.
    pub fn start(
        store: Store,
        partners: Arc<Partners>,
        outbox: Arc<Outbox>,
        metrics: Metrics,
    ) -> Self {
        let (stop, stopped) = watch::channel(false);
        let worker = Worker {
            store,
            partners,
            outbox,
            metrics,
            http: reqwest::Client::builder()
                .timeout(DELIVERY_TIMEOUT)
                .connect_timeout(DELIVERY_TIMEOUT)
                // A webhook URL is configured exactly; a redirect is a misconfiguration to
                // see in last_error, not a place to send customers' outcomes.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("the webhook client's settings are valid"),
        };
        Self {
            stop,
            task: tokio::spawn(worker.run(stopped)),
        }
    }

    /// Stops the task once its attempts under way have ended (at most their timeout), so an
    /// event is not left claimed by a process that is gone.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.task.await {
            tracing::error!(%error, "the webhook delivery task failed");
        }
    }
}

struct Worker {
    store: Store,
    partners: Arc<Partners>,
    outbox: Arc<Outbox>,
    metrics: Metrics,
    http: reqwest::Client,
}

impl Worker {
    async fn run(self, mut stopped: watch::Receiver<bool>) {
        while !*stopped.borrow() {
            let pause = match self.deliver_due(&stopped).await {
                Ok(pause) => pause,
                Err(error) => {
                    tracing::warn!(%error, "webhook outbox unreadable; trying again shortly");
                    Duration::from_secs(1)
                }
            };
            self.count_backlog().await;
            tokio::select! {
                changed = stopped.changed() => {
                    // The server's future was dropped without stopping us: stop all the same.
                    if changed.is_err() {
                        break;
                    }
                }
                _ = self.outbox.wake.notified() => {}
                _ = tokio::time::sleep(pause) => {}
            }
        }
    }

    /// Sends every due event, batch by batch until stopped; answers how long until the next
    /// one is due.
    async fn deliver_due(&self, stopped: &watch::Receiver<bool>) -> Result<Duration, sqlx::Error> {
        let max_attempts = self.outbox.settings.max_attempts;
        while !*stopped.borrow() {
            let due = self
                .store
                .due_events(now_unix_ms(), max_attempts, BATCH)
                .await?;
            if due.is_empty() {
                break;
            }
            let attempts = due.iter().map(|record| self.attempt(record));
            for result in futures_util::future::join_all(attempts).await {
                result?;
            }
        }
        let next = self.store.next_event_due(max_attempts).await?;
        let until_next = next.map_or(IDLE_POLL, |at| {
            Duration::from_millis(u64::try_from(at - now_unix_ms()).unwrap_or(0))
        });
        Ok(until_next.min(IDLE_POLL))
    }

    /// Reads the outbox's backlog into the metrics. With several instances each reads the
    /// same shared outbox: the gauge is the fleet's backlog, not this instance's.
    async fn count_backlog(&self) {
        match self
            .store
            .outbox_backlog(self.outbox.settings.max_attempts)
            .await
        {
            Ok((pending, given_up)) => self.metrics.webhook_backlog(pending, given_up),
            Err(error) => tracing::warn!(%error, "webhook outbox backlog unreadable"),
        }
    }

    /// One attempt at one event, recorded either way.
    async fn attempt(&self, record: &OutboxRecord) -> Result<(), sqlx::Error> {
        let lease_until = now_unix_ms() + millis(LEASE);
        if !self.store.claim_event(record, lease_until).await? {
            return Ok(());
        }
        let event = &record.event;
        let attempt = record.attempts + 1;
        match self.send(event).await {
            Ok(()) => {
                self.store.event_delivered(&event.id, now_unix_ms()).await?;
                tracing::info!(webhook_id = %event.id, partner = %event.partner_id, reference = %event.reference, attempt, "webhook delivered");
            }
            Err(error) => {
                self.metrics.webhook_failure(&event.partner_id);
                let settings = &self.outbox.settings;
                let pause = backoff(settings.backoff_base, MAX_BACKOFF, attempt, |cap| {
                    rand::thread_rng().gen_range(cap / 2..=cap)
                });
                let next = now_unix_ms() + millis(pause);
                self.store.event_failed(&event.id, &error, next).await?;
                if attempt >= settings.max_attempts {
                    tracing::error!(webhook_id = %event.id, partner = %event.partner_id, reference = %event.reference, attempt, %error, "webhook given up");
                } else {
                    tracing::warn!(webhook_id = %event.id, partner = %event.partner_id, attempt, %error, retry_in_ms = millis(pause), "webhook not delivered");
                }
            }
        }
        Ok(())
    }

    /// POSTs the event, signed; `Err` says why it was not accepted.
    async fn send(&self, event: &WebhookEvent) -> Result<(), String> {
        let partner = self
            .partners
            .get(&event.partner_id)
            .ok_or("the partner is no longer in the partners file")?;
        let url = partner
            .webhook_url
            .as_deref()
            .ok_or("the partner no longer has a webhook_url")?;
        let secret = self
            .partners
            .signing_secret(&partner.id)
            .ok_or("the partner has no signing secret")?;
        let timestamp = now_unix();
        let signature = webhook_signature(secret, &event.id, timestamp, event.body.as_bytes());
        let response = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("webhook-id", &event.id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(event.body.clone())
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    format!("no answer within {} s", DELIVERY_TIMEOUT.as_secs())
                } else {
                    format!("not sent: {e}")
                }
            })?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("answered {status}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_says_the_outcome_and_an_approvals_limit() {
        let partners = Partners::parse(
            r#"
[[partner]]
id = "hooked"
display_name = "Hooked"
allowed_origins = ["https://p.example"]
allowed_return_urls = ["https://p.example/done"]
markets = ["SG"]
product = { product_code = "VC830", source_code = "S", organization = "888", logo = "830" }
webhook_url = "https://p.example/hooks"

[[partner]]
id = "quiet"
display_name = "Quiet"
allowed_origins = ["https://q.example"]
allowed_return_urls = ["https://q.example/done"]
markets = ["SG"]
product = { product_code = "VC830", source_code = "S", organization = "888", logo = "830" }
"#,
        )
        .unwrap();
        let approved = Decision::Approved {
            card: None,
            credit_limit: CreditLimit {
                amount: 5000,
                currency: "SGD".into(),
            },
            expires_on: "2026-01-31".into(),
            offers: Vec::new(),
        };
        let event = decided_event(
            &partners,
            "hooked",
            "APP0001234",
            &approved,
            None,
            1_767_225_600,
        )
        .expect("a partner with a webhook_url");
        assert_eq!(
            event.body,
            r#"{"type":"application.decided","reference":"APP0001234","outcome":"approved","credit_limit":{"amount":5000,"currency":"SGD"},"decided_at":"2026-01-01T00:00:00Z"}"#
        );
        assert_eq!(
            (event.partner_id.as_str(), event.reference.as_str()),
            ("hooked", "APP0001234")
        );
        let referred = decided_event(
            &partners,
            "hooked",
            "APP1",
            &Decision::Referred,
            Some("cart \"7\""),
            0,
        )
        .unwrap();
        assert!(
            referred.body.contains(
                r#""outcome":"referred","credit_limit":null,"decided_at":"1970-01-01T00:00:00Z","state":"cart \"7\""}"#
            ),
            "the placement's state, last: {}",
            referred.body
        );
        assert_ne!(referred.id, event.id);
        assert!(
            event.id.starts_with("msg_") && event.id.len() == 36,
            "{}",
            event.id
        );
        assert_eq!(
            decided_event(&partners, "quiet", "APP1", &approved, None, 0),
            None
        );
    }
}

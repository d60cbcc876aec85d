//! The retention job: a background task that deletes what is past its period (see
//! `store/retention.rs` for what goes when), once at start and then every
//! `RETENTION_INTERVAL_SECS`. Every instance of a fleet runs it; a pass is idempotent.

use crate::config::RetentionSettings;
use crate::store::Store;
use crate::time::now_unix;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The running retention job.
pub struct Retention {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Retention {
    /// Starts the job in the background, purging `store` as `settings` say; an undelivered
    /// webhook event goes only once its `max_attempts` attempts are spent.
    pub fn start(store: Store, settings: Arc<RetentionSettings>, max_attempts: u32) -> Self {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(store, settings, max_attempts, stopped));
        Self { stop, task }
    }

    /// Stops the job, letting a pass under way finish.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.task.await {
            tracing::error!(%error, "the retention job failed");
        }
    }
}

async fn run(
    store: Store,
    settings: Arc<RetentionSettings>,
    max_attempts: u32,
    mut stopped: watch::Receiver<bool>,
) {
    while !*stopped.borrow() {
        match store
            .purge(&settings.periods, max_attempts, now_unix())
            .await
        {
            Ok(purged) => tracing::info!(
                sessions = purged.sessions,
                placements = purged.placements,
                idempotent_responses = purged.idempotent_responses,
                webhook_events = purged.events,
                applications = purged.applications,
                "retention pass"
            ),
            // The next pass catches up: nothing is lost by a pass that did not run.
            Err(error) => tracing::warn!(%error, "retention pass failed"),
        }
        tokio::select! {
            changed = stopped.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            _ = tokio::time::sleep(settings.interval) => {}
        }
    }
}

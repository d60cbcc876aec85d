//! What a SQLite commit survives. The store runs SQLite's write-ahead log at
//! `synchronous = NORMAL`: a commit is written to the log but not flushed to the disk, so it
//! survives the process crashing, not the machine losing power. The writes a decision
//! depends on are made durable before the store answers: the log is flushed (`fdatasync`)
//! once for every such write waiting at the time, rather than once per commit as
//! `synchronous = FULL` would, so a flush costs one disk round trip however many customers
//! are deciding at once.
//!
//! The log is appended in commit order and SQLite recovers its longest valid prefix, so a
//! flush keeps every commit before it too: a power cut loses at most the latest writes
//! that are not a decision's (a session started or a stage's progress a moment before),
//! never a decision, the attempt it was asked with, or a consent. The attempt is on the
//! disk before the bank is asked, so the decision the bank made can always be recovered
//! from the bank; the decision is on the disk before it is answered, and its webhook event
//! before it is sent.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::Mutex;

/// The write-ahead log of a SQLite file, flushed on demand.
#[derive(Debug)]
pub(super) struct WriteAheadLog {
    path: PathBuf,
    /// Writes that asked to be durable, counted once committed.
    asked: AtomicU64,
    /// How many of those the last flush covered; held while a flush runs.
    flushed: Mutex<u64>,
    /// Flushes done, for the tests.
    flushes: AtomicU64,
}

impl WriteAheadLog {
    /// The log of the database file at `database`.
    pub(super) fn of(database: &str) -> Self {
        Self {
            path: PathBuf::from(format!("{database}-wal")),
            asked: AtomicU64::new(0),
            flushed: Mutex::new(0),
            flushes: AtomicU64::new(0),
        }
    }

    /// Returns once every write committed before the call is on the disk. Callers waiting
    /// together share one flush: a flush started after a caller's commit covers it.
    pub(super) async fn make_durable(&self) -> Result<(), sqlx::Error> {
        let ticket = self.asked.fetch_add(1, Ordering::SeqCst) + 1;
        let mut flushed = self.flushed.lock().await;
        if *flushed >= ticket {
            return Ok(());
        }
        // Every ticket up to here was taken after its write committed, so this flush,
        // which starts after, covers them all.
        let covers = self.asked.load(Ordering::SeqCst);
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || match std::fs::File::open(&path) {
            Ok(log) => log.sync_data(),
            // No log: the last connection closed, and SQLite moved the log into the
            // database file and flushed it as it did.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        })
        .await
        .map_err(|e| sqlx::Error::Io(std::io::Error::other(e)))?
        .map_err(sqlx::Error::Io)?;
        self.flushes.fetch_add(1, Ordering::Relaxed);
        *flushed = covers;
        Ok(())
    }

    /// Flushes done so far.
    #[cfg(test)]
    pub(super) fn flushes(&self) -> u64 {
        self.flushes.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn callers_waiting_together_share_a_flush_and_a_later_caller_gets_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("bff.db");
        std::fs::write(format!("{}-wal", database.display()), b"frames").unwrap();
        let log = Arc::new(WriteAheadLog::of(database.to_str().unwrap()));
        // Holding the flush lock stands for a flush under way while 20 callers arrive.
        let held = log.flushed.lock().await;
        let callers: Vec<_> = (0..20)
            .map(|_| {
                let log = log.clone();
                tokio::spawn(async move { log.make_durable().await })
            })
            .collect();
        while log.asked.load(Ordering::SeqCst) < 20 {
            tokio::task::yield_now().await;
        }
        drop(held);
        for caller in callers {
            caller.await.unwrap().unwrap();
        }
        assert_eq!(log.flushes(), 1, "one flush covered the 20 callers");
        log.make_durable().await.unwrap();
        assert_eq!(
            log.flushes(),
            2,
            "a caller after that flush gets one of its own"
        );
    }

    #[tokio::test]
    async fn without_a_log_there_is_nothing_to_flush() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("closed.db");
        let log = WriteAheadLog::of(database.to_str().unwrap());
        log.make_durable().await.unwrap();
    }
}

//! The BFF's database: sessions, the placements they start from, applications with their
//! consents, the partners' webhook outbox and idempotent responses, one file per aggregate.
//! `DATABASE_URL` picks SQLite (`sqlite://…`, one instance) or PostgreSQL (`postgres://…`,
//! a fleet); every query is written once, in SQL both accept (`$1` placeholders, `ON
//! CONFLICT`), and the two migration folders keep the same schema step by step.

mod applications;
mod connections;
mod durability;
mod idempotency;
mod outbox;
mod placements;
mod retention;
mod sessions;

pub use applications::NewApplication;
pub use outbox::{OutboxRecord, WebhookEvent};
pub use placements::{PlacementRecord, PlacementState};
pub use retention::{Purged, RetentionPeriods};
pub use sessions::Lease;

use connections::{Connection, Connections, SqliteConnections};
use durability::WriteAheadLog;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::Connection as _;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// One file, one BFF instance: the demo's and a single-instance deployment's.
    Sqlite,
    /// A server shared by every instance of a fleet.
    Postgres,
}

impl Backend {
    /// The backend a `DATABASE_URL` names, or why it names none.
    pub fn of_url(url: &str) -> Result<Self, String> {
        let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
        match scheme {
            "sqlite" => Ok(Self::Sqlite),
            "postgres" | "postgresql" => Ok(Self::Postgres),
            _ => Err(format!(
                "a database URL starts with sqlite:// or postgres://, not {scheme:?}"
            )),
        }
    }
}

/// The database, migrated on connect.
#[derive(Clone)]
pub struct Store {
    /// Readers and the writer (see `connections.rs`).
    connections: Connections,
    /// SQLite's write-ahead log, flushed for the writes a decision depends on (see
    /// `durability.rs`); none on PostgreSQL, whose every commit is durable, and for an
    /// in-memory database.
    log: Option<Arc<WriteAheadLog>>,
    backend: Backend,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry a password: only the engine is printed.
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

/// How long a request waits for a connection before the database counts as down.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// How long a PostgreSQL connection may sit idle in the pool and still be used without a
/// ping first: under load connections come back far sooner, and a restart of the server
/// takes longer.
const PING_IDLE_AFTER: Duration = Duration::from_secs(1);

impl Store {
    /// Connects to the database at `url` (a SQLite file is created if missing, in WAL
    /// mode) and applies the migrations. Instances starting together on PostgreSQL apply
    /// them once: the migrator holds an advisory lock while it runs.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url).map_err(|e| sqlx::Error::Configuration(e.into()))?;
        let options = AnyConnectOptions::from_str(&with_defaults(url, backend))?;
        let connections = match backend {
            Backend::Sqlite => {
                // In WAL mode readers never wait for the writer.
                let readers = Arc::new(SqliteConnections::new(options.clone(), 8, ACQUIRE_TIMEOUT));
                let writer = Arc::new(SqliteConnections::new(options, 1, ACQUIRE_TIMEOUT));
                connections::checkpoints(readers.clone(), Arc::downgrade(&writer));
                Connections::Sqlite { readers, writer }
            }
            // Per instance: a fleet of N instances holds up to N × this many.
            Backend::Postgres => Connections::Postgres(
                postgres_pool_options()
                    .max_connections(16)
                    .connect_with(options)
                    .await?,
            ),
        };
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        // PostgreSQL: the migrator takes an advisory lock. SQLite has none, so processes
        // sharing a file take a lock on a file beside it.
        let _lock = match backend {
            Backend::Sqlite => sqlite_migration_lock(url).await?,
            Backend::Postgres => None,
        };
        migrator.run(&mut *connections.writer().await?).await?;
        let log = match backend {
            Backend::Sqlite => sqlite_file(url).map(|file| Arc::new(WriteAheadLog::of(file))),
            Backend::Postgres => None,
        };
        Ok(Self {
            connections,
            log,
            backend,
        })
    }

    /// A connection to read with.
    async fn reader(&self) -> Result<Connection<'_>, sqlx::Error> {
        self.connections.reader().await
    }

    /// A connection to write with (see `connections.rs`).
    async fn writer(&self) -> Result<Connection<'_>, sqlx::Error> {
        self.connections.writer().await
    }

    /// Returns once every write committed so far survives a power cut, not only a crash
    /// of the process (see `durability.rs`).
    async fn make_durable(&self) -> Result<(), sqlx::Error> {
        match &self.log {
            Some(log) => log.make_durable().await,
            None => Ok(()),
        }
    }

    /// Whether the database answers and has every migration this build knows applied.
    pub async fn is_ready(&self) -> Result<(), sqlx::Error> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let latest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&mut *self.reader().await?)
                .await?;
        if applied.unwrap_or(0) < latest {
            return Err(sqlx::Error::Protocol(format!(
                "the database is at migration {}, this build needs {latest}",
                applied.unwrap_or(0)
            )));
        }
        Ok(())
    }
}

/// The options of PostgreSQL's pool.
fn postgres_pool_options() -> AnyPoolOptions {
    AnyPoolOptions::new()
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // The pool pings every connection given back, so one taken from it was sound a
        // moment ago; pinging it again before each query would double the round trips of
        // every request. Only a connection left idle a while is pinged first: the server
        // may have restarted meanwhile.
        .test_before_acquire(false)
        .before_acquire(|connection, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_IDLE_AFTER {
                    connection.ping().await?;
                }
                Ok(true)
            })
        })
}

/// The URL with the options this store relies on: a SQLite file is created when missing.
fn with_defaults(url: &str, backend: Backend) -> String {
    match backend {
        Backend::Sqlite if !url.contains("mode=") => {
            let separator = if url.contains('?') { '&' } else { '?' };
            format!("{url}{separator}mode=rwc")
        }
        _ => url.to_owned(),
    }
}

/// An exclusive lock on `<database file>.migrations.lock`, held until dropped; none for an
/// in-memory database.
async fn sqlite_migration_lock(url: &str) -> Result<Option<std::fs::File>, sqlx::Error> {
    let Some(path) = sqlite_file(url) else {
        return Ok(None);
    };
    let lock_path = format!("{path}.migrations.lock");
    tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)?;
        file.lock()?;
        Ok(Some(file))
    })
    .await
    .map_err(|e| sqlx::Error::Io(std::io::Error::other(e)))?
    .map_err(sqlx::Error::Io)
}

/// The file of a SQLite URL; none for an in-memory database.
fn sqlite_file(url: &str) -> Option<&str> {
    let path = url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Reads a JSON column.
fn from_json<T: serde::de::DeserializeOwned>(
    text: Option<String>,
) -> Result<Option<T>, sqlx::Error> {
    text.map(|t| serde_json::from_str(&t))
        .transpose()
        .map_err(|e| sqlx::Error::Decode(e.into()))
}

/// Whether an error means the database could not be reached (down, restarting, or every
/// connection busy), rather than a query that is wrong: the request may succeed later.
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    matches!(
        error,
        sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Tls(_)
    ) || matches!(error, sqlx::Error::Database(e) if e.code().is_some_and(|code| {
        // PostgreSQL: the server is shutting down or starting up (class 57P), or the
        // connection failed (class 08). SQLite: the file is locked past the busy timeout.
        code.starts_with("57P") || code.starts_with("08") || code == "5"
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journey::{BankStep, SessionRecord};
    use onboarding_core::{Decision, Language, Market};

    #[tokio::test]
    async fn on_sqlite_what_a_decision_depends_on_is_flushed_to_the_disk_and_the_rest_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("bff.db").display());
        let store = Store::connect(&url).await.unwrap();
        let flushes = || {
            store
                .log
                .as_ref()
                .expect("a SQLite file has a log")
                .flushes()
        };
        let session = SessionRecord {
            token_hash: "s1".into(),
            partner_id: "test-partner".into(),
            market: Market::Singapore,
            return_url: "http://partner.test/done".into(),
            customer_id: None,
            language: Language::English,
            prefill: None,
            partner_state: None,
        };
        store
            .create_session(&session, Some("h1"), 0, i64::MAX)
            .await
            .unwrap();
        assert!(store.claim_session("s1", "a", 0, 1000).await.unwrap());
        assert_eq!(flushes(), 0, "a session and its lease survive a crash only");
        let application = NewApplication {
            reference: "APP-1",
            control_flow_id: "cf-1",
            partner_id: "test-partner",
            consent_type: "TERMS",
            terms_version: "SG-EN-2026-11",
            step: BankStep::Created,
            decision: None,
            event: None,
            handover: None,
        };
        store
            .insert_application("s1", &application, 0)
            .await
            .unwrap();
        assert_eq!(flushes(), 1, "the consent is evidence");
        store
            .advance("s1", BankStep::FinancesSent, 0)
            .await
            .unwrap();
        assert_eq!(flushes(), 1);
        store
            .record_decision_attempt("s1", "uuid-1", 0)
            .await
            .unwrap();
        assert_eq!(flushes(), 2, "the attempt recovers the bank's decision");
        assert!(store
            .store_decision("s1", &Decision::Referred, None, None, 0)
            .await
            .unwrap());
        assert_eq!(flushes(), 3, "the decision");
    }

    #[test]
    fn the_url_names_the_backend() {
        assert_eq!(Backend::of_url("sqlite://bff.db"), Ok(Backend::Sqlite));
        assert_eq!(
            Backend::of_url("postgres://u@db.example/bff"),
            Ok(Backend::Postgres)
        );
        assert_eq!(
            Backend::of_url("postgresql://u@db.example/bff"),
            Ok(Backend::Postgres)
        );
        let refused = Backend::of_url("mysql://u@db.example/bff").unwrap_err();
        assert!(refused.contains("\"mysql\""), "{refused}");
    }

    #[test]
    fn a_sqlite_file_is_created_when_missing_unless_the_url_says_otherwise() {
        assert_eq!(
            with_defaults("sqlite://bff.db", Backend::Sqlite),
            "sqlite://bff.db?mode=rwc"
        );
        assert_eq!(
            with_defaults("sqlite://bff.db?mode=ro", Backend::Sqlite),
            "sqlite://bff.db?mode=ro"
        );
        assert_eq!(
            with_defaults("postgres://h/db", Backend::Postgres),
            "postgres://h/db"
        );
    }
}

//! The BFF's database: sessions, applications with their consents, the partners' webhook
//! outbox and idempotent responses, one file per aggregate. `DATABASE_URL` picks SQLite
//! (`sqlite://…`, one instance) or PostgreSQL (`postgres://…`, a fleet); every query is
//! written once, in SQL both accept (`$1` placeholders, `ON CONFLICT`), and the two
//! migration folders keep the same schema step by step.

mod applications;
mod idempotency;
mod outbox;
mod retention;
mod sessions;

pub use applications::{
    ApplicationRecord, BankOffer, BankOffers, BankStep, Handover, NewApplication,
};
pub use outbox::{OutboxRecord, WebhookEvent};
pub use retention::{Purged, RetentionPeriods};
pub use sessions::{Lease, SessionRecord};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
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
    pool: AnyPool,
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

/// How long a request waits for a pooled connection before the database counts as down.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

impl Store {
    /// Connects to the database at `url` (a SQLite file is created if missing, in WAL
    /// mode) and applies the migrations. Instances starting together on PostgreSQL apply
    /// them once: the migrator holds an advisory lock while it runs.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url).map_err(|e| sqlx::Error::Configuration(e.into()))?;
        let options = AnyConnectOptions::from_str(&with_defaults(url, backend))?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                // One writer at a time in any case; a few readers beside it.
                Backend::Sqlite => 8,
                // Per instance: a fleet of N instances holds up to N × this many.
                Backend::Postgres => 16,
            })
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Readers never wait for the writer, and a writer waits (rather than
                        // failing) for another one.
                        connection
                            .execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
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
        migrator.run(&pool).await?;
        Ok(Self { pool, backend })
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
                .fetch_one(&self.pool)
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
    let path = url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(None);
    }
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

//! The store's connections: sqlx's pool on PostgreSQL; on SQLite a set of connections of
//! the store's own, readers and a single writer.
//!
//! A SQLite connection runs on a thread of its own, so every statement is a round trip to
//! that thread and back. sqlx's pool adds one more to every statement: it pings each
//! connection it takes back, which for a connection to a server checks it survived and
//! for a connection to a file checks nothing. Measured on the session read, the ping was a
//! quarter of the request's time in the scheduler, so SQLite's connections are kept here
//! instead: taken in turn, given back as they are, each opened once and kept. A statement
//! cancelled half-way (its request dropped) is still run to its end by the connection's
//! thread before the next one, as every statement sent to it runs in order.
//!
//! The writer is one connection: SQLite lets one writer at a time in, and writers that
//! find it taken wait in its busy handler, which sleeps (1 ms, then longer, up to 100 ms
//! at a time), so under load writes queued there slowly and out of order. Here they queue
//! for the connection, and each starts the moment the one before it commits. So a method
//! holds a connection no longer than its statements: a second `writer()` while the first
//! is held waits for itself, until it times out.

use sqlx::any::AnyConnectOptions;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, ConnectOptions, Executor};
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// What every SQLite connection is set to as it opens: readers never wait for the writer,
/// and a writer of another process sharing the file waits (rather than failing) for this
/// one's. A commit survives a crash of the process; those a decision depends on are
/// flushed to the disk as well (see `durability.rs`). No commit moves the log into the
/// database file: [`checkpoints`] does, beside the writer.
pub(super) const SQLITE_SETTINGS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = 0;";

/// How often [`checkpoints`] moves the log into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(200);

/// Up to `size` SQLite connections to one database, opened as they are first needed.
pub(super) struct SqliteConnections {
    options: AnyConnectOptions,
    idle: Mutex<Vec<AnyConnection>>,
    turns: Arc<Semaphore>,
    acquire_timeout: Duration,
}

impl SqliteConnections {
    /// Up to `size` connections with `options`; a caller waits at most `acquire_timeout`
    /// for one before the database counts as unavailable.
    pub(super) fn new(options: AnyConnectOptions, size: usize, acquire_timeout: Duration) -> Self {
        Self {
            options,
            idle: Mutex::new(Vec::with_capacity(size)),
            turns: Arc::new(Semaphore::new(size)),
            acquire_timeout,
        }
    }

    /// A connection of the set, for as long as the guard is held.
    async fn acquire(&self) -> Result<SqliteConnection<'_>, sqlx::Error> {
        let turn = tokio::time::timeout(self.acquire_timeout, self.turns.clone().acquire_owned())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let idle = self.idle.lock().expect("the idle connections' lock").pop();
        let connection = match idle {
            Some(connection) => connection,
            None => {
                let mut connection = self.options.connect().await?;
                connection.execute(SQLITE_SETTINGS).await?;
                connection
            }
        };
        Ok(SqliteConnection {
            connection: Some(connection),
            home: self,
            _turn: turn,
        })
    }
}

/// Moves SQLite's log into the database file every [`CHECKPOINT_EVERY`], on a reader, for
/// as long as the store's writer lives. SQLite would otherwise do it inside the commit that
/// fills the log past 1,000 pages: that commit, and every write queued behind the one
/// writer, would wait for the pages to be copied and the two files flushed. A passive
/// checkpoint waits for no reader and no writer, and the writer goes on meanwhile.
pub(super) fn checkpoints(readers: Arc<SqliteConnections>, writer: Weak<SqliteConnections>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(CHECKPOINT_EVERY).await;
            if writer.strong_count() == 0 {
                break;
            }
            let checkpoint = async {
                let mut connection = Connection::Sqlite(readers.acquire().await?);
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").await
            };
            if let Err(error) = checkpoint.await {
                // The log keeps the commits meanwhile; the next pass moves them.
                tracing::warn!(%error, "could not move SQLite's log into the database file");
            }
        }
    });
}

/// A SQLite connection taken from its set, given back when dropped.
pub(super) struct SqliteConnection<'a> {
    connection: Option<AnyConnection>,
    home: &'a SqliteConnections,
    _turn: OwnedSemaphorePermit,
}

impl Drop for SqliteConnection<'_> {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            self.home
                .idle
                .lock()
                .expect("the idle connections' lock")
                .push(connection);
        }
    }
}

/// Where a store's statements run.
#[derive(Clone)]
pub(super) enum Connections {
    /// A server's connections, shared by reads and writes.
    Postgres(AnyPool),
    /// A file's: readers, and the one writer.
    Sqlite {
        readers: Arc<SqliteConnections>,
        writer: Arc<SqliteConnections>,
    },
}

impl Connections {
    /// A connection to read with.
    pub(super) async fn reader(&self) -> Result<Connection<'_>, sqlx::Error> {
        match self {
            Self::Postgres(pool) => Ok(Connection::Pooled(pool.acquire().await?)),
            Self::Sqlite { readers, .. } => Ok(Connection::Sqlite(readers.acquire().await?)),
        }
    }

    /// A connection to write with: on SQLite, the writer, once the writes before are done.
    pub(super) async fn writer(&self) -> Result<Connection<'_>, sqlx::Error> {
        match self {
            Self::Postgres(pool) => Ok(Connection::Pooled(pool.acquire().await?)),
            Self::Sqlite { writer, .. } => Ok(Connection::Sqlite(writer.acquire().await?)),
        }
    }
}

/// A connection taken for a statement or a transaction, given back when dropped.
pub(super) enum Connection<'a> {
    Pooled(PoolConnection<Any>),
    Sqlite(SqliteConnection<'a>),
}

impl Deref for Connection<'_> {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        match self {
            Self::Pooled(connection) => connection,
            Self::Sqlite(connection) => connection.connection.as_ref().expect("held until dropped"),
        }
    }
}

impl DerefMut for Connection<'_> {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            Self::Pooled(connection) => connection,
            Self::Sqlite(connection) => connection.connection.as_mut().expect("held until dropped"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[tokio::test]
    async fn a_connection_given_back_is_taken_again_and_a_caller_past_the_size_waits_its_turn() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("bff.db").display());
        sqlx::any::install_default_drivers();
        let options = AnyConnectOptions::from_str(&url).unwrap();
        let set = SqliteConnections::new(options, 1, Duration::from_millis(100));
        let connections = Connections::Sqlite {
            readers: Arc::new(set),
            writer: Arc::new(SqliteConnections::new(
                AnyConnectOptions::from_str(&url).unwrap(),
                1,
                Duration::from_millis(100),
            )),
        };
        {
            let mut first = connections.reader().await.unwrap();
            // A connection's own state (a temporary table) tells it apart from another.
            first
                .execute("CREATE TEMP TABLE marker (id INTEGER)")
                .await
                .unwrap();
            let Err(waited) = connections.reader().await else {
                panic!("a second reader from a set of one");
            };
            assert!(matches!(waited, sqlx::Error::PoolTimedOut), "{waited}");
        }
        let mut again = connections.reader().await.unwrap();
        again
            .execute("SELECT id FROM marker")
            .await
            .expect("the same connection, kept");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut *again)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[tokio::test]
    async fn commits_leave_the_log_alone_and_the_checkpoints_move_it_into_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bff.db");
        let url = format!("sqlite://{}?mode=rwc", file.display());
        sqlx::any::install_default_drivers();
        let set = || {
            let options = AnyConnectOptions::from_str(&url).unwrap();
            Arc::new(SqliteConnections::new(options, 1, Duration::from_secs(3)))
        };
        let (readers, writer) = (set(), set());
        let database_size = || std::fs::metadata(&file).unwrap().len();
        {
            let mut connection = Connection::Sqlite(writer.acquire().await.unwrap());
            connection
                .execute("CREATE TABLE pages (body BLOB)")
                .await
                .unwrap();
            // 8 MB: 2,000 pages, twice what makes SQLite move the log inside a commit.
            connection
                .execute("INSERT INTO pages SELECT zeroblob(4000) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) SELECT i FROM n)")
                .await
                .unwrap();
        }
        assert!(database_size() < 1_000_000, "the commit left it in the log");
        checkpoints(readers, Arc::downgrade(&writer));
        let moved = async {
            while database_size() < 8_000_000 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(10), moved)
            .await
            .expect("a checkpoint moved the log into the file");
    }
}

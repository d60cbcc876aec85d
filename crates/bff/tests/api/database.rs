//! The database each test's BFF gets: a new SQLite file in the test's folder, or, when
//! `TEST_DATABASE_URL` names a PostgreSQL server (as `cargo xtask test` does for its
//! PostgreSQL run), a new database on that server. The whole suite thus runs against
//! either backend unchanged.

use std::path::Path;

/// The variable naming the PostgreSQL server to run the suite against.
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

/// The PostgreSQL server the suite runs against, if any.
pub fn postgres_server() -> Option<String> {
    std::env::var(TEST_DATABASE_URL)
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// A new, empty database for one test whose files live in `dir`.
pub async fn fresh_database_url(dir: &Path) -> String {
    match postgres_server() {
        None => format!("sqlite://{}", dir.join("bff.db").display()),
        Some(server) => create_postgres_database(&server).await,
    }
}

/// Creates a database with a unique name on `server` and answers its URL.
pub async fn create_postgres_database(server: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!("bff_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::AnyConnection::connect(server)
        .await
        .unwrap_or_else(|e| panic!("{TEST_DATABASE_URL} {server} does not answer: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("the test database is created");
    let _ = admin.close().await;
    let mut url = url::Url::parse(server).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&name);
    url.to_string()
}

/// One query's single text answer, on whichever backend the test runs.
pub async fn query_text(database_url: &str, sql: &str, bind: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut connection = sqlx::AnyConnection::connect(database_url)
        .await
        .expect("the test database answers");
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(&mut connection)
        .await
        .expect("the query answers")
}

/// The number one counting query answers, on whichever backend the test runs.
pub async fn query_count(database_url: &str, sql: &str) -> i64 {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut connection = sqlx::AnyConnection::connect(database_url)
        .await
        .expect("the test database answers");
    sqlx::query_scalar(sql)
        .fetch_one(&mut connection)
        .await
        .expect("the query answers")
}

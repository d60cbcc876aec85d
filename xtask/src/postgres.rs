//! The BFF's integration tests on PostgreSQL: on the server `TEST_DATABASE_URL` names, or
//! else on a throwaway one started for the step.

use std::env;
use std::path::Path;

use test_postgres::Cluster;

use crate::process::{cargo, run, Result};

/// The variable the BFF's test helper reads: when set, each test gets a fresh database on
/// that server instead of a SQLite file.
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

/// The server the step (or the bench) runs against.
pub enum Server {
    /// Named by the caller's `TEST_DATABASE_URL`, which the tests inherit.
    Given(String),
    /// Started for the step; dropping it stops the server and deletes its files.
    Throwaway(Cluster),
}

/// Runs `cargo test -p bff --test api` with `TEST_DATABASE_URL` set; a throwaway server
/// started here is stopped at the end, whether the tests pass or not.
pub fn bff_integration_tests(root: &Path) -> Result {
    let server = server()?;
    let mut cmd = cargo();
    cmd.args(["test", "-p", "bff", "--test", "api"])
        .current_dir(root);
    match &server {
        Server::Given(url) => {
            println!(
                "    PostgreSQL: {} (from {TEST_DATABASE_URL})",
                without_password(url)
            );
        }
        Server::Throwaway(cluster) => {
            println!(
                "    PostgreSQL: a throwaway server at {} ({})",
                cluster.url(),
                cluster.bin_dir().display()
            );
            cmd.env(TEST_DATABASE_URL, cluster.url());
        }
    }
    let result = run(&mut cmd);
    if let Server::Throwaway(cluster) = server {
        if result.is_err() {
            // A test that cannot reach the server says only that; the server's log says why
            // (a crash, a full disk), and it goes with the cluster.
            println!(
                "    the throwaway server's log ends:\n{}",
                indent(&cluster.log_tail())
            );
        }
        drop(cluster);
        println!("    stopped the throwaway server");
    }
    result
}

impl Server {
    /// The server's URL, with the database the server was named with.
    pub fn url(&self) -> String {
        match self {
            Server::Given(url) => url.clone(),
            Server::Throwaway(cluster) => cluster.url(),
        }
    }
}

/// The server `TEST_DATABASE_URL` names, else a throwaway one.
pub fn server() -> Result<Server> {
    choose_server(env::var(TEST_DATABASE_URL).ok())
}

/// The caller's server when `given` names one, else a throwaway one. An empty value counts
/// as unset: it cannot name a server, and `VAR= cargo xtask test` is how one unsets it.
fn choose_server(given: Option<String>) -> Result<Server> {
    match given.filter(|url| !url.trim().is_empty()) {
        Some(url) => Ok(Server::Given(url)),
        None => Cluster::start()
            .map(Server::Throwaway)
            .map_err(|e| format!("cannot start a throwaway PostgreSQL server: {e}")),
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|line| format!("      {line}\n")).collect()
}

/// `url` with the password of its user info masked, for printing a caller's URL.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let Some((user_info, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    match user_info.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}{path}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, TcpStream};

    #[test]
    fn a_given_url_is_used_as_given() {
        let url = "postgres://app:secret@db.example:5432/postgres";
        match choose_server(Some(url.to_owned())).unwrap() {
            Server::Given(given) => assert_eq!(given, url),
            Server::Throwaway(_) => panic!("started a server although one was given"),
        }
    }

    #[test]
    fn without_a_url_a_throwaway_server_runs_until_dropped() {
        if let Err(why) = test_postgres::server_binaries() {
            eprintln!("skipped: {why}");
            return;
        }
        for unset in [None, Some(String::new())] {
            let Server::Throwaway(cluster) = choose_server(unset).unwrap() else {
                panic!("no throwaway server without a URL");
            };
            let address = (Ipv4Addr::LOCALHOST, cluster.port());
            assert!(TcpStream::connect(address).is_ok());
            drop(cluster);
            assert!(TcpStream::connect(address).is_err());
        }
    }

    #[test]
    fn passwords_are_masked_in_printed_urls() {
        assert_eq!(
            without_password("postgres://app:s3cr@t@db:5432/x?sslmode=require"),
            "postgres://app:***@db:5432/x?sslmode=require"
        );
        assert_eq!(
            without_password("postgres://postgres@127.0.0.1:5432/postgres"),
            "postgres://postgres@127.0.0.1:5432/postgres"
        );
        assert_eq!(without_password("postgres://db/x"), "postgres://db/x");
        assert_eq!(without_password("host=db"), "host=db");
    }
}

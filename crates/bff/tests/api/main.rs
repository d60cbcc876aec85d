//! Integration tests of the BFF. Each test spawns a bank sandbox and a BFF on free local
//! ports, with a fresh database (SQLite, or PostgreSQL when `TEST_DATABASE_URL` names a
//! server) and partners file, and drives the widget's JSON API over HTTP as the widget
//! would. One binary, so the crate and its dependencies link once.

mod apply_page;
mod assets;
mod bank_errors;
mod compression;
mod conformance;
mod connectfi;
mod contract;
mod database;
mod decisions;
mod faults;
mod fleet;
mod headers;
mod helpers;
mod idempotency;
mod markets;
mod mutual_tls;
mod offers;
mod operations;
mod origin;
mod outages;
mod own_api;
mod placements;
mod privacy;
mod rate_limits;
mod restart;
mod resume;
mod sessions;
mod signing;
mod store;
mod validation;
mod webhooks;

//! The backend-for-frontend: serves the widget, answers its JSON API, keeps sessions,
//! applications and consents in SQLite or PostgreSQL, and speaks the bank's onboarding API
//! with the credentials only it holds.

pub mod backoff;
pub mod bank;
pub mod cache;
pub mod compression;
pub mod config;
pub mod connectfi;
pub mod demo;
pub mod embed;
#[cfg(feature = "embedded-sandbox")]
pub mod embedded_sandbox;
pub mod error;
pub mod faults;
pub mod journey;
pub mod operations;
pub mod partners;
pub mod placements;
pub mod proxies;
pub mod rate_limit;
pub mod retention;
mod routes;
pub mod signing;
pub mod stack;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod theme;
pub mod time;
pub mod webhooks;
pub mod widget;

pub use routes::{app, serve};
pub use state::AppState;

//! The programs `cargo xtask bench` runs beside the BFF and the bank sandbox, and what they
//! share: command-line options, latency summaries, the widget's calls, Prometheus
//! histograms and the count of what a run lost or doubled.

pub mod args;
pub mod audit;
pub mod connection;
pub mod customer;
pub mod prometheus;
pub mod stats;

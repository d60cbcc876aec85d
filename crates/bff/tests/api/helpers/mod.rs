//! `spawn_app()`: a bank sandbox and a BFF on free local ports, a fresh database, and the
//! calls and forms of the widget's journey. A file per concern; the tests import everything
//! from here.

mod answer;
mod app;
mod bank;
mod forms;
mod journey;
mod output;
mod partners;
mod process;

pub use answer::{check_answer, decode, decoded, Answer};
pub use app::{
    app_dir, refused_at_start, spawn_app, spawn_app_on, spawn_app_with, spawn_app_with_partners,
    spawn_app_with_webhook, widget_client, TestApp, DECISION_WAIT,
};
pub use bank::Bank;
pub use forms::{about_you_form, finances_form, identity_form, offered};
pub use journey::{new_key, unsigned, Customer};
pub use output::Output;
pub use partners::{
    partners_file_with, partners_with_webhook, API_KEY, FINTECH, FINTECH_API_KEY,
    FINTECH_SIGNING_SECRET, MARKET, OTHER_PARTNER, PARTNER, PARTNERS_FILE, PARTNER_ORIGIN,
    RETURN_URL, SIGNING_SECRET,
};
pub use process::{spawn_bff_process, spawn_bff_process_on, start_bff, BffRun};

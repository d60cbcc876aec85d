//! The sandbox through its HTTP interface: one test binary, a module per concept.

mod support;

mod applications;
mod connectfi;
mod decisions;
mod emea;
mod faults;
mod headers;
mod inquiry;
mod inspection;
mod markets;
mod notifications;
mod offers;
mod ordering;
mod prospects;
mod reference_data;
mod spawn;
mod test_inputs;
mod tls;
mod token;

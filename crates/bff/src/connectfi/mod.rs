//! connectFi (PayGears' API) as the BFF speaks it, for partners whose provider it is: the
//! token, the customer's KYC status and the credit-card application.

mod client;

pub use client::ConnectFiClient;

//! Customer ids that make the connectFi sandbox answer a chosen outcome. Compared whole and
//! case-sensitively, as connectFi compares ids. Any other valid customer id passes KYC and
//! is decided by income (see `credit::decide`).

/// `/akepa/status`: completed, `Denied`, its one entity `denied`. Credit: declined with
/// `UNABLE_TO_VERIFY_IDENTITY`, so a client that skips the KYC check still gets no credit.
pub const KYC_DENIED: &str = "cstap_sandboxKycDenied";
/// `/akepa/status`: `waiting_review` (manual review), no outcome yet.
pub const KYC_PENDING: &str = "cstap_sandboxKycPending";
/// `/akepa/status`: outcome `Approved` but one of its two entities `denied`: an answer a
/// client must not take as approved (connectFi requires every entity to be approved).
pub const KYC_PARTIAL: &str = "cstap_sandboxKycPartial";
/// The second entity of [`KYC_PARTIAL`]: a business representative.
pub const KYC_PARTIAL_REPRESENTATIVE: &str = "cstap_sandboxKycPartialRep";
/// Credit: declined with `DELINQUENT_CREDIT_OBLIGATIONS`, limit 0.
pub const DECLINE: &str = "cstap_sandboxDecline";
/// Credit: `creditFreeze` true, declined with `CREDIT_FREEZE`, limit 0.
pub const FREEZE: &str = "cstap_sandboxFreeze";

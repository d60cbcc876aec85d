//! A fault hook for the crash tests: `BFF_FAULT_HOOK=<point>` makes the process stop dead
//! at that point of stage 3 (it prints `fault hook: paused at <point>` and never goes on),
//! so a test can kill it there with SIGKILL and prove the customer's retry, on another
//! instance, loses no decision.
//!
//! The BFF refuses to start with a hook unless its bank is the embedded sandbox or a bank
//! on this machine's loopback interface: a production BFF, whose bank is elsewhere, cannot
//! be made to stall by a stray variable.

use std::fmt;
use std::str::FromStr;

/// Where in stage 3 the hook stops the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultPoint {
    /// Before the deciding in-principle-approval request is recorded and sent.
    BeforeDecision,
    /// After the bank answered its decision, before the database stores it.
    AfterDecision,
    /// After the decision and its webhook event are stored, before the customer is answered.
    AfterDecisionStored,
}

impl FaultPoint {
    const NAMES: [(Self, &'static str); 3] = [
        (Self::BeforeDecision, "before-decision"),
        (Self::AfterDecision, "after-decision"),
        (Self::AfterDecisionStored, "after-decision-stored"),
    ];

    /// The point's name, as `BFF_FAULT_HOOK` spells it.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(point, _)| *point == self)
            .map_or("", |(_, name)| name)
    }
}

impl FromStr for FaultPoint {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(point, _)| *point)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::NAMES.iter().map(|(_, n)| *n).collect();
                format!(
                    "BFF_FAULT_HOOK is one of {}, not {name:?}",
                    names.join(", ")
                )
            })
    }
}

impl fmt::Display for FaultPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The hook as configured: at most one point.
#[derive(Debug, Clone, Copy, Default)]
pub struct FaultHook(Option<FaultPoint>);

impl FaultHook {
    /// A hook at `point`, or none.
    pub fn new(point: Option<FaultPoint>) -> Self {
        Self(point)
    }

    /// Stops here for good if the hook is set at `point`; returns at once otherwise.
    pub async fn reached(&self, point: FaultPoint) {
        if self.0 == Some(point) {
            // Printed, not logged: the test reads it whatever the log's level and format.
            println!("fault hook: paused at {point}");
            std::future::pending::<()>().await;
        }
    }
}

/// Whether a hook may be set with this bank: the embedded sandbox (no URL), or a bank on
/// the loopback interface.
pub fn allowed_with_bank(bank_base_url: Option<&str>) -> bool {
    let Some(url) = bank_base_url else {
        return true;
    };
    let Ok(url) = url::Url::parse(url) else {
        return false;
    };
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_read_their_names_and_refuse_others() {
        for (point, name) in FaultPoint::NAMES {
            assert_eq!(name.parse::<FaultPoint>(), Ok(point));
            assert_eq!(point.to_string(), name);
        }
        let refused = "after-everything".parse::<FaultPoint>().unwrap_err();
        assert!(refused.contains("before-decision"), "{refused}");
    }

    #[test]
    fn a_hook_is_allowed_only_with_a_bank_on_this_machine() {
        assert!(allowed_with_bank(None));
        assert!(allowed_with_bank(Some("http://127.0.0.1:4010/api")));
        assert!(allowed_with_bank(Some("http://localhost:4010/api")));
        assert!(allowed_with_bank(Some("http://[::1]:4010/api")));
        assert!(!allowed_with_bank(Some("https://api.bank.example/api")));
        assert!(!allowed_with_bank(Some("https://10.0.0.7/api")));
    }
}

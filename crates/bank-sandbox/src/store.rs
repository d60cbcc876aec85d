//! The applications and prospects the sandbox keeps. Nothing is persisted, so a restart
//! forgets them all (with the tokens and the outbox, see `state.rs`); a BFF then sees 401s
//! and 404s, as it would after the bank revoked them.

use crate::decision_rules::Decision;
use crate::error::BankError;
use crate::markets::Market;
use bank_api::{
    Applicant, ApplicationAddResponse, ApplicationStage, CreditCardProduct,
    InPrincipleApprovalResponse, Language, ProspectAddRequest, ProspectAddResponse,
};
use std::collections::HashMap;
use std::time::Instant;

/// What a create brings: where and in which language, what for, and who.
#[derive(Debug, Clone)]
pub struct NewApplication {
    /// The market of the `countryCode` header; later calls must name the same.
    pub market: Market,
    /// The customer's language, from the create's `Accept-Language`, for every message.
    pub language: Language,
    /// The card applied for.
    pub product: CreditCardProduct,
    /// The sections the create sent.
    pub applicant: Applicant,
}

/// One application as the bank keeps it.
#[derive(Debug, Clone)]
pub struct Application {
    /// The 12-digit reference number.
    pub id: String,
    /// Where the customer applied.
    pub market: Market,
    /// The language the bank writes to the customer in.
    pub language: Language,
    /// The session id every later call must echo.
    pub control_flow_id: String,
    /// The card applied for.
    pub product: CreditCardProduct,
    /// Every section sent so far, later sections replacing earlier ones.
    pub applicant: Applicant,
    /// The current `applicationStage`.
    pub stage: ApplicationStage,
    /// When background screening was requested.
    pub screening_requested_at: Option<Instant>,
    /// The IPA decision, once given.
    pub decision: Option<Decision>,
    /// The `uuid` of the IPA request that decided, so its retry gets the same answer.
    pub decided_by: Option<String>,
    /// What the deciding IPA answered, kept as answered (its expiry date fixed on the day of
    /// the decision) for the status and the inquiry to repeat; for an outright
    /// `applicationRejected`, the `003` that error amounts to.
    pub ipa_answer: Option<InPrincipleApprovalResponse>,
    /// `offerSequenceId`s of the offers accepted, in order.
    pub accepted_offers: Vec<String>,
    /// The `uuid` of the last save for later, so its retry sends no second alert.
    pub saved_by: Option<String>,
}

/// Applications by id, remembering their creation order.
pub struct Applications {
    by_id: HashMap<String, Application>,
    order: Vec<String>,
    next_number: u64,
    /// Creates by their `uuid`: the request body they carried and the answer they got.
    creates: HashMap<String, (String, ApplicationAddResponse)>,
}

/// Smallest and one past the largest 12-digit application number.
const FIRST_NUMBER: u64 = 100_000_000_000;
const END_NUMBER: u64 = 1_000_000_000_000;

impl Applications {
    pub fn new() -> Self {
        // A random start makes reference numbers look like the bank's and keeps a restarted
        // sandbox from reissuing numbers a BFF still remembers; the lower half of the range
        // leaves room for hundreds of billions of sequential numbers.
        let random = uuid::Uuid::new_v4().as_u128() as u64;
        let span = (END_NUMBER - FIRST_NUMBER) / 2;
        Self {
            by_id: HashMap::new(),
            order: Vec::new(),
            next_number: FIRST_NUMBER + random % span,
            creates: HashMap::new(),
        }
    }

    /// Creates an application once per `uuid` when one is given: a repeated uuid with the
    /// same `body` answers what the first create answered, so a client may retry a create
    /// whose answer it lost. The same uuid with another body is a client's bug, refused as
    /// `invalidRequest`. Without a uuid every call opens an application. The answer says
    /// whether this one was opened now.
    pub fn create_once(
        &mut self,
        uuid: Option<&str>,
        body: &str,
        new: NewApplication,
    ) -> Result<(ApplicationAddResponse, bool), BankError> {
        if let Some((first_body, answer)) = uuid.and_then(|uuid| self.creates.get(uuid)) {
            return if first_body == body {
                Ok((answer.clone(), false))
            } else {
                Err(BankError::invalid_request(
                    Some("uuid"),
                    "this uuid was already used by a create with another body",
                ))
            };
        }
        let application = self.create(new);
        let answer = ApplicationAddResponse {
            application_id: application.id.clone(),
            application_stage: application.stage.name().to_owned(),
            control_flow_id: application.control_flow_id.clone(),
        };
        if let Some(uuid) = uuid {
            self.creates
                .insert(uuid.to_owned(), (body.to_owned(), answer.clone()));
        }
        Ok((answer, true))
    }

    /// Stores a new application under a fresh 12-digit id and returns it.
    pub fn create(&mut self, new: NewApplication) -> &Application {
        let mut number = self.next_number;
        while number >= END_NUMBER || self.by_id.contains_key(&number.to_string()) {
            number = if number >= END_NUMBER {
                FIRST_NUMBER
            } else {
                number + 1
            };
        }
        self.next_number = number + 1;
        let id = number.to_string();
        let NewApplication {
            market,
            language,
            product,
            applicant,
        } = new;
        let application = Application {
            id: id.clone(),
            market,
            language,
            control_flow_id: uuid::Uuid::new_v4().simple().to_string(),
            product,
            applicant,
            stage: ApplicationStage::BasicDetails,
            screening_requested_at: None,
            decision: None,
            decided_by: None,
            ipa_answer: None,
            accepted_offers: Vec::new(),
            saved_by: None,
        };
        self.order.push(id.clone());
        self.by_id.entry(id).or_insert(application)
    }

    /// The application with this id.
    pub fn get(&self, id: &str) -> Option<&Application> {
        self.by_id.get(id)
    }

    /// The application with this id, for changing it.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Application> {
        self.by_id.get_mut(id)
    }

    /// Every application, oldest first.
    pub fn in_creation_order(&self) -> impl Iterator<Item = &Application> {
        self.order.iter().filter_map(|id| self.by_id.get(id))
    }
}

/// One prospect as the bank keeps it: the lead and whom to write to in which language.
#[derive(Debug, Clone)]
pub struct Prospect {
    /// The reference the customer is told: `PR` and 10 digits.
    pub id: String,
    /// Where the customer asked.
    pub market: Market,
    /// The language the bank writes to the customer in.
    pub language: Language,
    /// The lead as received.
    pub request: ProspectAddRequest,
}

/// Prospects in the order they came, with the submissions seen per `uuid`.
pub struct Prospects {
    in_order: Vec<Prospect>,
    next_number: u64,
    /// Submissions by their `uuid`: the request body they carried and the answer they got.
    submissions: HashMap<String, (String, ProspectAddResponse)>,
}

/// Smallest and one past the largest 10-digit prospect number.
const FIRST_PROSPECT: u64 = 1_000_000_000;
const END_PROSPECT: u64 = 10_000_000_000;

impl Prospects {
    pub fn new() -> Self {
        // A random start, for the reason applications have one.
        let random = uuid::Uuid::new_v4().as_u128() as u64;
        Self {
            in_order: Vec::new(),
            next_number: FIRST_PROSPECT + random % ((END_PROSPECT - FIRST_PROSPECT) / 2),
            submissions: HashMap::new(),
        }
    }

    /// Records a prospect once per `uuid` when one is given, as creates are: a repeated uuid
    /// with the same `body` answers what the first answered, so a client may retry a lost
    /// answer without the customer being called twice. The answer says whether it was
    /// recorded now.
    pub fn submit_once(
        &mut self,
        uuid: Option<&str>,
        body: &str,
        market: Market,
        language: Language,
        request: ProspectAddRequest,
    ) -> Result<(ProspectAddResponse, bool), BankError> {
        if let Some((first_body, answer)) = uuid.and_then(|uuid| self.submissions.get(uuid)) {
            return if first_body == body {
                Ok((answer.clone(), false))
            } else {
                Err(BankError::invalid_request(
                    Some("uuid"),
                    "this uuid was already used by a prospect with another body",
                ))
            };
        }
        if self.next_number >= END_PROSPECT {
            self.next_number = FIRST_PROSPECT;
        }
        let id = format!("PR{}", self.next_number);
        self.next_number += 1;
        let answer = ProspectAddResponse {
            prospect_id: id.clone(),
        };
        self.in_order.push(Prospect {
            id,
            market,
            language,
            request,
        });
        if let Some(uuid) = uuid {
            self.submissions
                .insert(uuid.to_owned(), (body.to_owned(), answer.clone()));
        }
        Ok((answer, true))
    }

    /// Every prospect, oldest first.
    pub fn in_order(&self) -> &[Prospect] {
        &self.in_order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product() -> CreditCardProduct {
        CreditCardProduct {
            product_code: "VC830".into(),
            source_code: "WW5ARCE1".into(),
            organization: "888".into(),
            logo: "830".into(),
        }
    }

    fn new_app() -> NewApplication {
        NewApplication {
            market: Market::Singapore,
            language: Language::English,
            product: product(),
            applicant: Applicant::default(),
        }
    }

    #[test]
    fn ids_are_twelve_unique_digits_and_flow_ids_32_hex() {
        let mut apps = Applications::new();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..100 {
            let app = apps.create(new_app());
            assert_eq!(app.id.len(), 12, "{}", app.id);
            assert!(app.id.bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(app.control_flow_id.len(), 32);
            assert!(app.control_flow_id.bytes().all(|b| b.is_ascii_hexdigit()));
            assert!(seen.insert(app.id.clone()));
        }
        let order: Vec<_> = apps.in_creation_order().map(|a| a.id.clone()).collect();
        assert_eq!(order.len(), 100);
    }

    #[test]
    fn numbering_wraps_before_leaving_twelve_digits() {
        let mut apps = Applications::new();
        apps.next_number = END_NUMBER - 1;
        assert_eq!(apps.create(new_app()).id, "999999999999");
        assert_eq!(apps.create(new_app()).id, "100000000000");
    }

    #[test]
    fn a_create_repeated_with_its_uuid_answers_the_first_application() {
        let mut apps = Applications::new();
        let (first, created) = apps.create_once(Some("u1"), "{body}", new_app()).unwrap();
        assert!(created);
        let (again, created) = apps.create_once(Some("u1"), "{body}", new_app()).unwrap();
        assert!(!created);
        assert_eq!(again, first);
        assert_eq!(apps.in_creation_order().count(), 1);
        assert!(apps.create_once(Some("u1"), "{other}", new_app()).is_err());
        let (other, _) = apps.create_once(Some("u2"), "{body}", new_app()).unwrap();
        assert_ne!(other.application_id, first.application_id);
        assert_eq!(apps.in_creation_order().count(), 2);
    }

    #[test]
    fn without_a_uuid_every_create_opens_an_application() {
        let mut apps = Applications::new();
        let (first, created) = apps.create_once(None, "{body}", new_app()).unwrap();
        assert!(created);
        let (again, created) = apps.create_once(None, "{body}", new_app()).unwrap();
        assert!(created);
        assert_ne!(again.application_id, first.application_id);
        assert_eq!(apps.in_creation_order().count(), 2);
    }

    #[test]
    fn prospects_are_recorded_once_per_uuid_under_pr_and_ten_digits() {
        let request: ProspectAddRequest = serde_json::from_value(serde_json::json!({
            "interest": { "productGroup": "CREDIT_CARD" },
            "prospect": { "name": { "givenName": "Somchai" }, "address": [], "email": [],
                          "phone": [], "contactPreference": {} }
        }))
        .unwrap();
        let mut prospects = Prospects::new();
        let mut submit = |uuid: &str, body: &str| {
            prospects.submit_once(
                Some(uuid),
                body,
                Market::Thailand,
                Language::Thai,
                request.clone(),
            )
        };
        let (first, recorded) = submit("u1", "{body}").unwrap();
        assert!(recorded);
        let id = &first.prospect_id;
        assert!(id.starts_with("PR") && id.len() == 12, "{id}");
        assert!(id[2..].bytes().all(|b| b.is_ascii_digit()), "{id}");
        assert_eq!(submit("u1", "{body}").unwrap(), (first.clone(), false));
        assert!(submit("u1", "{other}").is_err());
        let (second, recorded) = submit("u2", "{body}").unwrap();
        assert!(recorded);
        assert_ne!(second, first);
        assert_eq!(prospects.in_order().len(), 2);
    }
}

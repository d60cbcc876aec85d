//! Submit Prospect: the lead capture of Indonesia, Thailand and Vietnam. The bank records
//! the lead and tells the customer that a representative will call; nothing is decided
//! online, so there is no flow id, no status and no decision to ask for.

use crate::auth::BankHeaders;
use crate::error::BankError;
use crate::extract::BankJson;
use crate::markets::Market;
use crate::notifications::{self, Customer, Event, Kind};
use crate::state::AppState;
use crate::validation::{require_text, validate_sections};
use axum::extract::State;
use axum::Json;
use bank_api::{Applicant, Prospect, ProspectAddRequest, ProspectAddResponse};

/// Where errors about a prospect's sections are located.
const ROOT: &str = "prospect";

/// `POST /api/v1/apac/onboarding/prospects`: records a lead and acknowledges it to the
/// customer. The header check has made sure the market takes prospects. The `uuid` header
/// is an idempotency key, as on creates, so a retried lead is neither recorded nor
/// acknowledged twice, unless the configuration leaves it for tracing only.
pub async fn submit(
    headers: BankHeaders,
    State(state): State<AppState>,
    BankJson(request): BankJson<ProspectAddRequest>,
) -> Result<Json<ProspectAddResponse>, BankError> {
    validate(&request, headers.market)?;
    // The body as received, re-serialised: what a repeated uuid must carry again.
    let body = serde_json::to_string(&request).unwrap_or_default();
    let uuid = state
        .config()
        .uuid_deduplication
        .then_some(headers.uuid.as_str());
    let mut prospects = state.prospects();
    let (answer, recorded) =
        prospects.submit_once(uuid, &body, headers.market, headers.language, request)?;
    if recorded {
        tracing::info!(prospect_id = %answer.prospect_id, market = headers.market.code(), "prospect recorded");
        if let Some(prospect) = prospects.in_order().last() {
            let lead = &prospect.request.prospect;
            let customer = Customer {
                market: prospect.market,
                language: prospect.language,
                kind: Kind::Prospect,
                reference: &prospect.id,
                name: Some(&lead.name),
                phones: &lead.phone,
                emails: &lead.email,
            };
            notifications::send(state.outbox(), &customer, Event::Acknowledgement);
        }
    } else {
        tracing::info!(prospect_id = %answer.prospect_id, "prospect repeated with its uuid; answered the first");
    }
    Ok(Json(answer))
}

/// What a lead must carry beyond its shape: a product group, at least one address, e-mail
/// address and phone, and sections that hold the market's reference data.
fn validate(request: &ProspectAddRequest, market: Market) -> Result<(), BankError> {
    require_text(&request.interest.product_group, "interest.productGroup")?;
    let prospect = &request.prospect;
    for (empty, location, what) in [
        (
            prospect.address.is_empty(),
            "prospect.address",
            "an address",
        ),
        (
            prospect.email.is_empty(),
            "prospect.email",
            "an e-mail address",
        ),
        (
            prospect.phone.is_empty(),
            "prospect.phone",
            "a phone number",
        ),
    ] {
        if empty {
            return Err(BankError::invalid_request(
                Some(location),
                format!("{what} is required: {location} must not be empty"),
            ));
        }
    }
    for (i, email) in prospect.email.iter().enumerate() {
        require_text(
            &email.email_address,
            &format!("prospect.email[{i}].emailAddress"),
        )?;
    }
    validate_sections(&sections(prospect), market, ROOT)
}

/// A prospect's sections in the shape of an applicant's, which they share with it, so that
/// one set of checks serves both.
fn sections(prospect: &Prospect) -> Applicant {
    Applicant {
        name: Some(prospect.name.clone()),
        phone: prospect.phone.clone(),
        email: prospect.email.clone(),
        demographics: prospect.demographics.clone(),
        address: prospect.address.clone(),
        consent_details: Vec::new(),
        financial_information: prospect.financial_information.clone(),
        education: prospect.education.clone(),
        employment_details: prospect.employment_details.clone(),
        identification_document_details: prospect.identification_document_details.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(edit: impl FnOnce(&mut serde_json::Value)) -> ProspectAddRequest {
        let mut body = json!({
            "interest": { "productGroup": "CREDIT_CARD" },
            "prospect": {
                "name": { "salutation": "MR", "givenName": "Somchai", "surname": "Jaidee" },
                "address": [{ "addressType": "HOME", "addressLine1": "99 Sukhumvit Road",
                              "postalCode": "10110", "countryCode": "TH" }],
                "email": [{ "emailAddress": "somchai@example.com" }],
                "phone": [{ "phoneType": "MOBILE", "phoneCountryCode": "66",
                            "phoneNumber": "812345678" }],
                "contactPreference": {}
            }
        });
        edit(&mut body);
        serde_json::from_value(body).unwrap()
    }

    /// A change that breaks a prospect's body.
    type Breakage = fn(&mut serde_json::Value);

    fn location(result: Result<(), BankError>) -> String {
        result
            .unwrap_err()
            .location()
            .unwrap_or_default()
            .to_owned()
    }

    #[test]
    fn a_complete_lead_in_its_market_passes() {
        assert!(validate(&request(|_| {}), Market::Thailand).is_ok());
    }

    #[test]
    fn each_required_list_and_text_is_named_when_missing() {
        let cases: [(&str, Breakage); 5] = [
            ("interest.productGroup", |b| {
                b["interest"]["productGroup"] = json!(" ")
            }),
            ("prospect.address", |b| b["prospect"]["address"] = json!([])),
            ("prospect.email", |b| b["prospect"]["email"] = json!([])),
            ("prospect.phone", |b| b["prospect"]["phone"] = json!([])),
            ("prospect.email[0].emailAddress", |b| {
                b["prospect"]["email"][0]["emailAddress"] = json!("")
            }),
        ];
        for (expected, edit) in cases {
            assert_eq!(
                location(validate(&request(edit), Market::Thailand)),
                expected
            );
        }
    }

    #[test]
    fn codes_are_the_markets() {
        // Any country may be the address's; the salutations are the market's own.
        assert!(validate(&request(|_| {}), Market::Vietnam).is_ok());
        let ms = request(|b| b["prospect"]["name"]["salutation"] = json!("MS"));
        assert_eq!(
            location(validate(&ms, Market::Thailand)),
            "prospect.name.salutation"
        );
    }
}

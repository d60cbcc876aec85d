//! Unsecured credit applications: create, update, background screening, the in-principle
//! approval and the two read calls (status and inquiry), with the ordering rules the bank's
//! error codes imply. The same handlers serve the APAC and the EMEA paths (`lib.rs` routes
//! each region's to them); the header check has already made sure the market belongs to
//! the region called.

use crate::auth::BankHeaders;
use crate::clock::today_utc;
use crate::decision_rules::{decide, rejected, Decision, OfferTerms, Outcome};
use crate::error::BankError;
use crate::extract::{BankJson, BankPath};
use crate::faults::{self, CallKind, SurnameFault};
use crate::markets::Market;
use crate::notifications::{self, Customer, Event, Kind};
use crate::state::AppState;
use crate::store::{Application, Applications, NewApplication};
use crate::validation::{require_text, validate_sections};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bank_api::{
    Applicant, ApplicationAddRequest, ApplicationInquiryResponse, ApplicationStage,
    ApplicationStageResponse, ApplicationStatusResponse, ApplicationUpdateRequest, BankErrorCode,
    ControlFlowRequest, CreditDecision, CreditSpecificRecommendations, Demographics,
    InPrincipleApprovalResponse, OfferAcceptanceRequest, Product, ProductOffer,
    RequestedProductDecision,
};
use serde::Deserialize;
use std::time::Instant;

/// How long an in-principle approval stays valid.
const IPA_VALIDITY_DAYS: i64 = 30;
/// The consent without which the bank does not open an application.
const TERMS_CONSENT: &str = "TERMS_AND_CONDITIONS";
/// Where errors about an application's sections are located.
const ROOT: &str = "applicant";

/// `POST .../applications`: opens an application with basic details and T&C consent, and
/// acknowledges it to the customer. The `uuid` header is an idempotency key unless the
/// configuration switches that off: a create repeated with its uuid and body answers the
/// application the first one opened.
pub async fn create(
    headers: BankHeaders,
    State(state): State<AppState>,
    BankJson(request): BankJson<ApplicationAddRequest>,
) -> Result<Response, BankError> {
    // The body as received, re-serialised: what a repeated uuid must carry again.
    let body = serde_json::to_string(&request).unwrap_or_default();
    let fault = surname_fault(&request.applicant);
    faults::before(state.faults(), fault, CallKind::Create, &body).await?;
    validate_new(&request)?;
    validate_sections(&request.applicant, headers.market, ROOT)?;
    let uuid = state
        .config()
        .uuid_deduplication
        .then_some(headers.uuid.as_str());
    let mut applications = state.applications();
    let (response, created) = applications.create_once(
        uuid,
        &body,
        NewApplication {
            market: headers.market,
            language: headers.language,
            product: request.product.credit_card_product,
            applicant: request.applicant,
        },
    )?;
    if created {
        tracing::info!(application_id = %response.application_id, market = headers.market.code(), "application created");
        if let Some(application) = applications.get(&response.application_id) {
            notifications::send(
                state.outbox(),
                &customer(application),
                Event::Acknowledgement,
            );
        }
    } else {
        tracing::info!(application_id = %response.application_id, "create repeated with its uuid; answered the first application");
    }
    drop(applications);
    // Stored, then lost: the case in which a client that retries without its uuid opens a
    // second application.
    if faults::drops_answer(state.faults(), fault, CallKind::Create, &body) {
        return Ok(faults::dropped_connection());
    }
    Ok((StatusCode::CREATED, Json(response)).into_response())
}

fn surname_fault(applicant: &Applicant) -> Option<SurnameFault> {
    SurnameFault::of_surname(applicant.name.as_ref().and_then(|n| n.surname.as_deref()))
}

/// The fault the stored application's surname asks for; none for an unknown id, which the
/// handler then answers as not found.
fn stored_fault(state: &AppState, application_id: &str) -> Option<SurnameFault> {
    state
        .applications()
        .get(application_id)
        .and_then(|a| surname_fault(&a.applicant))
}

/// The answer, or a closed connection if the fault says this one is lost.
fn answer_or_drop<T: IntoResponse>(
    state: &AppState,
    fault: Option<SurnameFault>,
    kind: CallKind,
    application_id: &str,
    answer: T,
) -> Response {
    if faults::drops_answer(state.faults(), fault, kind, application_id) {
        faults::dropped_connection()
    } else {
        answer.into_response()
    }
}

/// `PUT .../applications/{applicationId}`: adds or replaces applicant sections.
pub async fn update(
    headers: BankHeaders,
    BankPath(application_id): BankPath<String>,
    State(state): State<AppState>,
    BankJson(request): BankJson<ApplicationUpdateRequest>,
) -> Result<Response, BankError> {
    let fault = stored_fault(&state, &application_id);
    faults::before(state.faults(), fault, CallKind::Update, &application_id).await?;
    let mut applications = state.applications();
    let application = find(
        &mut applications,
        headers.market,
        &application_id,
        &request.control_flow_id,
    )?;
    // Screening and the decision are made on what was sent before; changing it afterwards
    // would make the decision describe a different applicant.
    if application.screening_requested_at.is_some() {
        return Err(BankError::code(BankErrorCode::InvalidRequestSequence));
    }
    validate_sections(&request.applicant, headers.market, ROOT)?;
    merge(&mut application.applicant, request.applicant);
    advance(&state, application, ApplicationStage::InProgress);
    tracing::info!(application_id, "application updated");
    let answer = stage_response(application.stage);
    drop(applications);
    Ok(answer_or_drop(
        &state,
        fault,
        CallKind::Update,
        &application_id,
        answer,
    ))
}

/// `POST .../applications/{applicationId}/backgroundScreening`: starts screening, which
/// completes `screening_delay` later.
pub async fn background_screening(
    headers: BankHeaders,
    BankPath(application_id): BankPath<String>,
    State(state): State<AppState>,
    BankJson(request): BankJson<ControlFlowRequest>,
) -> Result<Response, BankError> {
    let fault = stored_fault(&state, &application_id);
    faults::before(state.faults(), fault, CallKind::Screening, &application_id).await?;
    let mut applications = state.applications();
    let application = find(
        &mut applications,
        headers.market,
        &application_id,
        &request.control_flow_id,
    )?;
    if application.ipa_answer.is_some() {
        return Err(BankError::code(BankErrorCode::InvalidRequestSequence));
    }
    if let Some(missing) = missing_for_screening(&application.applicant) {
        return Err(BankError::code_at(
            BankErrorCode::InvalidRequestSequence,
            missing,
        ));
    }
    // A repeated request neither restarts nor shortens a screening already under way.
    if application.screening_requested_at.is_none() {
        application.screening_requested_at = Some(Instant::now());
    }
    advance(&state, application, ApplicationStage::BackgroundScreening);
    tracing::info!(application_id, "background screening requested");
    let answer = stage_response(application.stage);
    drop(applications);
    Ok(answer_or_drop(
        &state,
        fault,
        CallKind::Screening,
        &application_id,
        answer,
    ))
}

/// `POST .../applications/{applicationId}/inPrincipleApprovals`: the instant decision,
/// which the customer is also told (except counter-offers, which the customer is still
/// choosing from in the partner's journey). The request that decided may be repeated with
/// its `uuid` and gets the same answer, unless the configuration leaves the uuid for
/// tracing only; any other later request is told the approval was already given.
pub async fn in_principle_approval(
    headers: BankHeaders,
    BankPath(application_id): BankPath<String>,
    State(state): State<AppState>,
    BankJson(request): BankJson<ControlFlowRequest>,
) -> Result<Response, BankError> {
    let fault = stored_fault(&state, &application_id);
    faults::before(state.faults(), fault, CallKind::Ipa, &application_id).await?;
    let delay = state.config().screening_delay;
    let mut applications = state.applications();
    let application = find(
        &mut applications,
        headers.market,
        &application_id,
        &request.control_flow_id,
    )?;
    if application.decision.is_some() {
        let repeated = state.config().uuid_deduplication
            && application.decided_by.as_deref() == Some(headers.uuid.as_str());
        if let Some(answer) = application.ipa_answer.clone().filter(|_| repeated) {
            tracing::info!(
                application_id,
                "IPA repeated with its uuid; answered its decision"
            );
            return Ok(Json(answer).into_response());
        }
        return Err(BankError::code(
            BankErrorCode::InPrincipalApprovalAlreadyGiven,
        ));
    }
    let Some(requested_at) = application.screening_requested_at else {
        return Err(BankError::code(
            BankErrorCode::PerformBackgroundScreeningFirst,
        ));
    };
    if requested_at.elapsed() < delay {
        return Err(BankError::code(
            BankErrorCode::AwaitingBackgroundScreeningResult,
        ));
    }
    // A submitted application is with the underwriters; there is nothing left to approve.
    if application.stage == ApplicationStage::Submitted {
        return Err(BankError::code(BankErrorCode::InvalidRequestSequence));
    }
    match decide(&application.applicant) {
        Outcome::Error(code) => {
            match code {
                BankErrorCode::ApplicationNeedsManualReview => {
                    advance(&state, application, ApplicationStage::AwaitingSubmission);
                }
                // Rejected outright: the 003 it amounts to is kept for the status to tell.
                // No decision is recorded, so the IPA keeps answering the error, as every
                // test surname's error repeats.
                BankErrorCode::ApplicationRejected => {
                    advance(&state, application, ApplicationStage::Rejected);
                    application.ipa_answer = Some(ipa_response(application, rejected()));
                }
                _ => {}
            }
            tracing::info!(
                application_id,
                code = code.code(),
                "IPA answered a test error"
            );
            Err(match code {
                BankErrorCode::InvalidRequest => BankError::code_at(code, "applicant.name.surname"),
                _ => BankError::code(code),
            })
        }
        Outcome::Decided(decision) => {
            let decided = match decision.credit_decision {
                CreditDecision::Approved => ApplicationStage::Approval,
                CreditDecision::Referred => ApplicationStage::ManualReview,
                CreditDecision::Rejected if !decision.counter_offers.is_empty() => {
                    ApplicationStage::CounterOffer
                }
                CreditDecision::Rejected => ApplicationStage::Rejected,
            };
            advance(&state, application, decided);
            tracing::info!(
                application_id,
                credit_decision = decision.credit_decision.code(),
                "IPA decided"
            );
            let answer = ipa_response(application, decision.clone());
            application.decision = Some(decision);
            application.decided_by = Some(headers.uuid.clone());
            application.ipa_answer = Some(answer.clone());
            let answer = Json(answer);
            drop(applications);
            Ok(answer_or_drop(
                &state,
                fault,
                CallKind::Ipa,
                &application_id,
                answer,
            ))
        }
    }
}

fn ipa_response(application: &Application, decision: Decision) -> InPrincipleApprovalResponse {
    let approved = decision.credit_decision == CreditDecision::Approved;
    let product = &application.product;
    let offers = |terms: &[OfferTerms]| -> Vec<ProductOffer> {
        terms
            .iter()
            .map(|offer| ProductOffer {
                offer_product_code: offer
                    .product_code
                    .unwrap_or(&product.product_code)
                    .to_owned(),
                offer_product_organisation_code: Some(product.organization.clone()),
                offer_source_code: Some(product.source_code.clone()),
                offer_sequence_id: offer.sequence_id.to_owned(),
                credit_specific_recommendations: vec![CreditSpecificRecommendations {
                    recommended_credit_limit: Some(offer.credit_limit),
                }],
            })
            .collect()
    };
    let has_offers = !decision.counter_offers.is_empty() || !decision.cross_sell_offers.is_empty();
    InPrincipleApprovalResponse {
        counter_offers: offers(&decision.counter_offers),
        cross_sell_offers: offers(&decision.cross_sell_offers),
        application_stage: application.stage.name().to_owned(),
        // Offers lapse like an approval does.
        ipa_expiry_date: (approved || has_offers)
            .then(|| today_utc().plus_days(IPA_VALIDITY_DAYS).to_string()),
        requested_product_decision: vec![RequestedProductDecision {
            product_code: product.product_code.clone(),
            organisation_code: Some(product.organization.clone()),
            source_code: product.source_code.clone(),
            credit_decision: Some(decision.credit_decision.code().to_owned()),
            credit_specific_recommendations: decision
                .recommended_credit_limit
                .map(|limit| CreditSpecificRecommendations {
                    recommended_credit_limit: Some(limit),
                })
                .into_iter()
                .collect(),
        }],
    }
}

/// `POST .../applications/{applicationId}/offerAcceptance`: accepts offers of the IPA
/// answer. Counter-offers are alternatives, so one may be accepted; cross-sell offers add
/// to the approved card. Accepting what was already accepted answers the same again.
pub async fn offer_acceptance(
    headers: BankHeaders,
    BankPath(application_id): BankPath<String>,
    State(state): State<AppState>,
    BankJson(request): BankJson<OfferAcceptanceRequest>,
) -> Result<Response, BankError> {
    let mut applications = state.applications();
    let application = find(
        &mut applications,
        headers.market,
        &application_id,
        &request.control_flow_id,
    )?;
    let Some(decision) = application.decision.as_ref() else {
        return Err(BankError::code(BankErrorCode::InvalidRequestSequence));
    };
    if request.accepted_offers.is_empty() {
        return Err(BankError::invalid_request(
            Some("acceptedOffers"),
            "at least one offer must be accepted",
        ));
    }
    let product_code = &application.product.product_code;
    let matches = |terms: &OfferTerms, sequence_id: &str, code: &str| {
        terms.sequence_id == sequence_id && terms.product_code.unwrap_or(product_code) == code
    };
    let mut accepted = application.accepted_offers.clone();
    for (i, offer) in request.accepted_offers.iter().enumerate() {
        let (id, code) = (&offer.offer_sequence_id, &offer.offer_product_code);
        let counter = decision.counter_offers.iter().any(|t| matches(t, id, code));
        let cross_sell = decision
            .cross_sell_offers
            .iter()
            .any(|t| matches(t, id, code));
        if !counter && !cross_sell {
            return Err(BankError::invalid_request(
                Some(&format!("acceptedOffers[{i}]")),
                format!("the IPA answer offered no product {code:?} with offerSequenceId {id:?}"),
            ));
        }
        if accepted.contains(id) {
            continue;
        }
        let other_counter_accepted = counter
            && accepted.iter().any(|a| {
                decision
                    .counter_offers
                    .iter()
                    .any(|t| t.sequence_id == a.as_str())
            });
        if other_counter_accepted {
            return Err(BankError::invalid_request(
                Some(&format!("acceptedOffers[{i}]")),
                "another counter-offer was already accepted; counter-offers are alternatives",
            ));
        }
        accepted.push(id.clone());
    }
    application.accepted_offers = accepted;
    // A counter-offer taken approves the application: news to the customer, unlike a
    // cross-sell offer added to a card already approved.
    advance(&state, application, ApplicationStage::Approval);
    tracing::info!(application_id, offers = ?application.accepted_offers, "offers accepted");
    Ok(stage_response(application.stage).into_response())
}

/// `POST .../applications/{applicationId}/submission`: the full submission the bank asks for
/// when the IPA answered `applicationNeedsManualReview`; the application then waits for its
/// underwriters. A repeated submission answers the same.
pub async fn submission(
    headers: BankHeaders,
    BankPath(application_id): BankPath<String>,
    State(state): State<AppState>,
    BankJson(request): BankJson<ControlFlowRequest>,
) -> Result<Response, BankError> {
    let mut applications = state.applications();
    let application = find(
        &mut applications,
        headers.market,
        &application_id,
        &request.control_flow_id,
    )?;
    if !matches!(
        application.stage,
        ApplicationStage::AwaitingSubmission | ApplicationStage::Submitted
    ) {
        return Err(BankError::code(BankErrorCode::InvalidRequestSequence));
    }
    advance(&state, application, ApplicationStage::Submitted);
    tracing::info!(application_id, "application submitted for manual review");
    Ok(stage_response(application.stage).into_response())
}

/// Save for later (inferred from the journeys' "Save and Exit" step): the application is
/// kept as it is and the customer is sent its reference and the way to continue. A retry
/// with the same `uuid` sends nothing more (unless the uuid is for tracing only); a decided
/// application has nothing to save.
pub async fn save_for_later(
    headers: BankHeaders,
    BankPath(application_id): BankPath<String>,
    State(state): State<AppState>,
    BankJson(request): BankJson<ControlFlowRequest>,
) -> Result<Response, BankError> {
    let mut applications = state.applications();
    let application = find(
        &mut applications,
        headers.market,
        &application_id,
        &request.control_flow_id,
    )?;
    if application.decision.is_some()
        || matches!(
            application.stage,
            ApplicationStage::Approval
                | ApplicationStage::Rejected
                | ApplicationStage::ManualReview
                | ApplicationStage::Submitted
        )
    {
        return Err(BankError::code(BankErrorCode::InvalidRequestSequence));
    }
    let repeated = state.config().uuid_deduplication
        && application.saved_by.as_deref() == Some(headers.uuid.as_str());
    if !repeated {
        application.saved_by = Some(headers.uuid.clone());
        notifications::send(state.outbox(), &customer(application), Event::Saved);
        tracing::info!(application_id, "application saved for later");
    }
    Ok(stage_response(application.stage).into_response())
}

/// The query of the read calls. The flow id is optional here so that its absence is
/// answered as the bank does, `invalidRequest` at `controlFlowId`, not as a bad query.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadQuery {
    control_flow_id: Option<String>,
}

/// `GET .../applications/{applicationId}/status?controlFlowId=…`: the stage and, once the
/// IPA has decided, the decision it answered, so a client that lost that answer can
/// rebuild it.
pub async fn status(
    headers: BankHeaders,
    BankPath(application_id): BankPath<String>,
    State(state): State<AppState>,
    query: Result<Query<ReadQuery>, QueryRejection>,
) -> Result<Json<ApplicationStatusResponse>, BankError> {
    read(&headers, &application_id, &state, query, status_of)
}

/// `GET .../applications/{applicationId}?controlFlowId=…`: the application as kept, with
/// the same decision fields as the status.
pub async fn inquiry(
    headers: BankHeaders,
    BankPath(application_id): BankPath<String>,
    State(state): State<AppState>,
    query: Result<Query<ReadQuery>, QueryRejection>,
) -> Result<Json<ApplicationInquiryResponse>, BankError> {
    read(&headers, &application_id, &state, query, inquiry_of)
}

/// Answers a read call with `answer` of the application its path and query name.
fn read<T>(
    headers: &BankHeaders,
    application_id: &str,
    state: &AppState,
    query: Result<Query<ReadQuery>, QueryRejection>,
    answer: impl FnOnce(&Application) -> T,
) -> Result<Json<T>, BankError> {
    let control_flow_id = read_flow_id(query)?;
    let applications = state.applications();
    let application = find_to_read(
        &applications,
        headers.market,
        application_id,
        &control_flow_id,
    )?;
    Ok(Json(answer(application)))
}

/// The whole application as kept, with the status's decision fields.
fn inquiry_of(application: &Application) -> ApplicationInquiryResponse {
    // Destructured in full so that a field added to the status cannot be left out here.
    let ApplicationStatusResponse {
        application_stage,
        ipa_expiry_date,
        requested_product_decision,
        counter_offers,
        cross_sell_offers,
    } = status_of(application);
    ApplicationInquiryResponse {
        application_stage: Some(application_stage),
        // The journeys apply for the main card holder only.
        has_any_supplementary_flag: false,
        ipa_expiry_date,
        product: Some(Product {
            credit_card_product: application.product.clone(),
        }),
        applicant: Some(application.applicant.clone()),
        requested_product_decision,
        counter_offers,
        cross_sell_offers,
    }
}

/// The flow id of a read call's query; missing or blank is the bank's `invalidRequest`.
fn read_flow_id(query: Result<Query<ReadQuery>, QueryRejection>) -> Result<String, BankError> {
    let Query(query) = query?;
    query
        .control_flow_id
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| {
            BankError::invalid_request(
                Some(bank_api::query::CONTROL_FLOW_ID),
                "the controlFlowId query parameter is required",
            )
        })
}

/// The application to read, if it exists in the caller's market and the caller holds its
/// controlFlowId. Unlike the calls that change it, a read with another flow id is answered
/// not found, so a caller without the flow id does not learn that the application exists.
fn find_to_read<'a>(
    applications: &'a Applications,
    market: Market,
    application_id: &str,
    control_flow_id: &str,
) -> Result<&'a Application, BankError> {
    applications
        .get(application_id)
        .filter(|a| a.market == market && a.control_flow_id == control_flow_id)
        .ok_or_else(|| BankError::resource_not_found(format!("Application {application_id:?}")))
}

/// Where the application is now, and the decision fields of the IPA's answer as it was given.
fn status_of(application: &Application) -> ApplicationStatusResponse {
    let application_stage = application.stage.name().to_owned();
    match application.ipa_answer.clone() {
        // Destructured in full so that a field added to the IPA answer cannot be left out of
        // the status, which must let a client rebuild that answer.
        Some(InPrincipleApprovalResponse {
            application_stage: _,
            ipa_expiry_date,
            requested_product_decision,
            counter_offers,
            cross_sell_offers,
        }) => ApplicationStatusResponse {
            application_stage,
            ipa_expiry_date,
            requested_product_decision,
            counter_offers,
            cross_sell_offers,
        },
        None => ApplicationStatusResponse {
            application_stage,
            ipa_expiry_date: None,
            requested_product_decision: Vec::new(),
            counter_offers: Vec::new(),
            cross_sell_offers: Vec::new(),
        },
    }
}

fn stage_response(stage: ApplicationStage) -> Json<ApplicationStageResponse> {
    Json(ApplicationStageResponse {
        application_stage: Some(stage.name().to_owned()),
    })
}

/// Moves the application to `stage`; a stage that is news to the customer is told them,
/// once, however often the call that reached it is repeated.
fn advance(state: &AppState, application: &mut Application, stage: ApplicationStage) {
    let changed = application.stage != stage;
    application.stage = stage;
    if let Some(event) = Event::of_stage(stage).filter(|_| changed) {
        notifications::send(state.outbox(), &customer(application), event);
    }
}

/// Whom the bank writes to about an application, in the language of its create.
fn customer(application: &Application) -> Customer<'_> {
    Customer {
        market: application.market,
        language: application.language,
        kind: Kind::Application,
        reference: &application.id,
        name: application.applicant.name.as_ref(),
        phones: &application.applicant.phone,
        emails: &application.applicant.email,
    }
}

/// The application, if it exists in the caller's market and the caller holds its
/// controlFlowId. The bank's systems are per country: another market's application is
/// not found there.
fn find<'a>(
    applications: &'a mut Applications,
    market: Market,
    application_id: &str,
    control_flow_id: &str,
) -> Result<&'a mut Application, BankError> {
    let application = applications
        .get_mut(application_id)
        .filter(|a| a.market == market)
        .ok_or_else(|| BankError::resource_not_found(format!("Application {application_id:?}")))?;
    if application.control_flow_id != control_flow_id {
        return Err(BankError::invalid_request(
            Some("controlFlowId"),
            "controlFlowId is not the one issued for this application",
        ));
    }
    Ok(application)
}

/// The first section screening needs that has not been sent yet.
fn missing_for_screening(applicant: &Applicant) -> Option<&'static str> {
    if applicant.financial_information.is_none() {
        Some("applicant.financialInformation")
    } else if applicant.employment_details.is_empty() {
        Some("applicant.employmentDetails")
    } else if applicant.identification_document_details.is_empty() {
        Some("applicant.identificationDocumentDetails")
    } else if applicant.address.is_empty() {
        Some("applicant.address")
    } else {
        None
    }
}

/// What a new application must carry: a named product, a given name, a phone, and
/// consent to the terms and conditions.
fn validate_new(request: &ApplicationAddRequest) -> Result<(), BankError> {
    let product = &request.product.credit_card_product;
    for (value, location) in [
        (
            &product.product_code,
            "product.creditCardProduct.productCode",
        ),
        (&product.source_code, "product.creditCardProduct.sourceCode"),
        (
            &product.organization,
            "product.creditCardProduct.organization",
        ),
    ] {
        require_text(value, location)?;
    }
    let applicant = &request.applicant;
    if applicant.name.is_none() {
        return Err(BankError::invalid_request(
            Some("applicant.name"),
            "the applicant's name is required",
        ));
    }
    if applicant.phone.is_empty() {
        return Err(BankError::invalid_request(
            Some("applicant.phone"),
            "at least one phone number is required",
        ));
    }
    let consented = applicant
        .consent_details
        .iter()
        .any(|c| c.consent_type == TERMS_CONSENT && c.is_consent_given);
    if !consented {
        return Err(BankError::invalid_request(
            Some("applicant.consentDetails"),
            format!("consent {TERMS_CONSENT} must be given"),
        ));
    }
    Ok(())
}

/// Sections sent replace the stored ones; demographics merge field by field, because the
/// journey sends the date of birth and the residence type at different stages.
fn merge(stored: &mut Applicant, update: Applicant) {
    // Destructured in full so that a section added to bank-api cannot be dropped silently.
    let Applicant {
        name,
        phone,
        email,
        demographics,
        address,
        consent_details,
        financial_information,
        education,
        employment_details,
        identification_document_details,
    } = update;
    replace_if_some(&mut stored.name, name);
    replace_if_sent(&mut stored.phone, phone);
    replace_if_sent(&mut stored.email, email);
    if let Some(Demographics {
        date_of_birth,
        residence_type,
    }) = demographics
    {
        let target = stored
            .demographics
            .get_or_insert_with(Demographics::default);
        replace_if_some(&mut target.date_of_birth, date_of_birth);
        replace_if_some(&mut target.residence_type, residence_type);
    }
    replace_if_sent(&mut stored.address, address);
    replace_if_sent(&mut stored.consent_details, consent_details);
    replace_if_some(&mut stored.financial_information, financial_information);
    replace_if_some(&mut stored.education, education);
    replace_if_sent(&mut stored.employment_details, employment_details);
    replace_if_sent(
        &mut stored.identification_document_details,
        identification_document_details,
    );
}

fn replace_if_some<T>(stored: &mut Option<T>, update: Option<T>) {
    if update.is_some() {
        *stored = update;
    }
}

fn replace_if_sent<T>(stored: &mut Vec<T>, update: Vec<T>) {
    if !update.is_empty() {
        *stored = update;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bank_api::{Education, Name};

    #[test]
    fn updates_replace_sent_sections_and_keep_the_rest() {
        let mut stored = Applicant {
            name: Some(Name {
                salutation: Some("MS".into()),
                given_name: "Mei Ling".into(),
                surname: Some("Tan".into()),
            }),
            demographics: Some(Demographics {
                date_of_birth: Some("1990-04-01".into()),
                residence_type: None,
            }),
            ..Applicant::default()
        };
        merge(
            &mut stored,
            Applicant {
                demographics: Some(Demographics {
                    date_of_birth: None,
                    residence_type: Some("RENTED".into()),
                }),
                education: Some(Education {
                    highest_education_level: "BACHELOR".into(),
                }),
                ..Applicant::default()
            },
        );
        assert_eq!(
            stored.name.as_ref().and_then(|n| n.surname.as_deref()),
            Some("Tan")
        );
        let demographics = stored.demographics.clone().unwrap();
        assert_eq!(demographics.date_of_birth.as_deref(), Some("1990-04-01"));
        assert_eq!(demographics.residence_type.as_deref(), Some("RENTED"));
        assert!(stored.education.is_some());
    }
}

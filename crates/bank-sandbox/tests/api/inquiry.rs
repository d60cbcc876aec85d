//! The two read calls, Check Application Status and Application Inquiry, on the APAC and
//! EMEA APIs: the stage before a decision and, after it, the decision the IPA answered, so a
//! client that lost the IPA answer can rebuild it. And `uuid` de-duplication switched off,
//! when a repeated IPA is only told the approval was already given.

use crate::support::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use bank_api::{
    paths, ApplicationInquiryResponse, ApplicationStatusResponse, InPrincipleApprovalResponse,
};
use bank_sandbox::SandboxConfig;
use serde_json::{json, Value};

/// Screening completes at once and `uuid` is for tracing only, as the bank documents it.
fn without_deduplication() -> SandboxConfig {
    SandboxConfig {
        uuid_deduplication: false,
        ..instant_screening()
    }
}

/// Poland on the EMEA API, Singapore on the APAC one.
fn is_emea(market: Market) -> bool {
    market.applications == EMEA_APPLICATIONS
}

/// The inquiry's and the status's paths of `market`'s API, under the sandbox's `/api`.
fn read_paths(market: Market, id: &str) -> (String, String) {
    let api = if is_emea(market) {
        paths::ApplicationApi::Emea
    } else {
        paths::ApplicationApi::Apac
    };
    let (inquiry, status) = (api.application(id), api.status(id));
    (format!("/api{inquiry}"), format!("/api{status}"))
}

/// A GET of `path` in `market`, with `query` as its query string.
async fn get(sandbox: &Sandbox, market: Market, path: &str, query: &str) -> (StatusCode, Value) {
    let uri = if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    };
    let request = sandbox
        .request_in(market, Method::GET, &uri)
        .body(Body::empty())
        .unwrap();
    sandbox.send(request).await
}

/// The status of `app`, asked with its flow id.
async fn status(sandbox: &Sandbox, market: Market, app: &App) -> Value {
    let (_, path) = read_paths(market, &app.id);
    let (code, body) = get(
        sandbox,
        market,
        &path,
        &format!("controlFlowId={}", app.control_flow_id),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{} {body}", market.code);
    body
}

/// The inquiry of `app`, asked with its flow id.
async fn inquiry(sandbox: &Sandbox, market: Market, app: &App) -> Value {
    let (path, _) = read_paths(market, &app.id);
    let (code, body) = get(
        sandbox,
        market,
        &path,
        &format!("controlFlowId={}", app.control_flow_id),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{} {body}", market.code);
    body
}

/// The inquiry without what only it carries (the application's sections): its status part.
fn decision_part(mut inquiry: Value) -> Value {
    let fields = inquiry.as_object_mut().unwrap();
    for own in ["hasAnySupplementaryFlag", "product", "applicant"] {
        fields.remove(own);
    }
    inquiry
}

/// A POST of one of `app`'s calls in `market` (`screening`, `offerAcceptance`, ...).
async fn post(
    sandbox: &Sandbox,
    market: Market,
    app: &App,
    call: &str,
    body: Value,
) -> (StatusCode, Value) {
    let path = format!("{}/{}/{call}", market.applications, app.id);
    sandbox
        .call_in(market, Method::POST, &path, Some(body))
        .await
}

/// A POST of `path` in `market` with this `uuid` instead of a fresh one.
async fn post_with_uuid(
    sandbox: &Sandbox,
    market: Market,
    path: &str,
    body: &Value,
    uuid: &str,
) -> (StatusCode, Value) {
    let mut request = sandbox
        .request_in(market, Method::POST, path)
        .body(Body::from(body.to_string()))
        .unwrap();
    request.headers_mut().insert("uuid", uuid.parse().unwrap());
    sandbox.send(request).await
}

#[tokio::test]
async fn before_a_decision_both_tell_the_stage_and_no_decision() {
    let sandbox = Sandbox::instant().await;
    for market in [SG, PL] {
        let applicant = customer_in(market, "Anna", "Nowak", Some("anna@example.com"));
        let app = sandbox.create_in(market, applicant.clone()).await;
        assert_eq!(
            status(&sandbox, market, &app).await,
            json!({ "applicationStage": "BASIC_DETAILS" }),
            "{}",
            market.code
        );
        let shown = inquiry(&sandbox, market, &app).await;
        assert_eq!(
            shown,
            json!({
                "applicationStage": "BASIC_DETAILS",
                "hasAnySupplementaryFlag": false,
                "product": product(),
                "applicant": applicant,
            }),
            "{}",
            market.code
        );
        let read: ApplicationInquiryResponse = serde_json::from_value(shown).unwrap();
        assert_eq!(read.in_principle_approval(), None);

        let base = format!("{}/{}", market.applications, app.id);
        let body =
            json!({ "applicant": identity_in(market), "controlFlowId": app.control_flow_id });
        let (code, _) = sandbox
            .call_in(market, Method::PUT, &base, Some(body))
            .await;
        assert_eq!(code, StatusCode::OK);
        assert_eq!(
            status(&sandbox, market, &app).await,
            json!({ "applicationStage": "IN_PROGRESS" })
        );
        let body = json!({ "applicant": finances("EMPLOYED", 60_000.0), "controlFlowId": app.control_flow_id });
        sandbox
            .call_in(market, Method::PUT, &base, Some(body))
            .await;
        let flow = json!({ "controlFlowId": app.control_flow_id });
        let (code, _) = post(&sandbox, market, &app, "backgroundScreening", flow).await;
        assert_eq!(code, StatusCode::OK);
        let screening = status(&sandbox, market, &app).await;
        assert_eq!(
            screening,
            json!({ "applicationStage": "BACKGROUND_SCREENING" })
        );
        let read: ApplicationStatusResponse = serde_json::from_value(screening).unwrap();
        assert_eq!(read.in_principle_approval(), None);
        // Every section sent so far, the updates merged into the create's.
        let applicant = &inquiry(&sandbox, market, &app).await["applicant"];
        assert_eq!(applicant["name"]["surname"], "Nowak");
        assert_eq!(
            applicant["identificationDocumentDetails"][0]["idType"],
            market.id_type
        );
        assert_eq!(
            applicant["employmentDetails"][0]["employmentStatus"],
            "EMPLOYED"
        );
    }
}

#[tokio::test]
async fn after_a_decision_both_answer_what_the_ipa_answered_on_apac_and_emea() {
    let sandbox = Sandbox::instant().await;
    // An approval with a limit, a counter-offer, a referral, a decline and a cross-sell.
    let cases = [
        ("Tan", "EMPLOYED", "APPROVAL", "000"),
        ("Counteroffer", "EMPLOYED", "COUNTER_OFFER", "003"),
        ("Tan", "SELF_EMPLOYED", "MANUAL_REVIEW", "002"),
        ("Decline", "EMPLOYED", "REJECTED", "003"),
        ("Crosssell", "EMPLOYED", "APPROVAL", "000"),
    ];
    for market in [SG, HK, PL, RU, AE] {
        for (surname, employment, stage, decision) in cases {
            let applicant = customer_in(market, "Anna", surname, None);
            let (app, (code, answered)) = sandbox
                .decided_in(market, applicant, employment, 80_000.0)
                .await;
            let case = format!("{} {surname} {employment}", market.code);
            assert_eq!(code, StatusCode::OK, "{case} {answered}");
            assert_eq!(answered["applicationStage"], stage, "{case}");
            assert_eq!(
                answered["requestedProductDecision"][0]["creditDecision"], decision,
                "{case}"
            );

            let told = status(&sandbox, market, &app).await;
            assert_eq!(told, answered, "{case}: the status is the IPA answer");
            let shown = inquiry(&sandbox, market, &app).await;
            assert_eq!(shown["product"], json!(product()), "{case}");
            assert_eq!(shown["applicant"]["name"]["surname"], surname, "{case}");
            assert_eq!(decision_part(shown.clone()), answered, "{case}");

            // What a client that lost the IPA answer rebuilds from either.
            let ipa: InPrincipleApprovalResponse = serde_json::from_value(answered).unwrap();
            let read: ApplicationStatusResponse = serde_json::from_value(told).unwrap();
            assert_eq!(read.in_principle_approval(), Some(ipa.clone()), "{case}");
            let read: ApplicationInquiryResponse = serde_json::from_value(shown).unwrap();
            assert_eq!(read.in_principle_approval(), Some(ipa), "{case}");
        }
    }
}

#[tokio::test]
async fn the_decision_fields_stay_as_answered_when_the_stage_moves_on() {
    let sandbox = Sandbox::instant().await;
    for market in [SG, PL] {
        let applicant = customer_in(market, "Anna", "Counteroffer", None);
        let (app, (_, answered)) = sandbox
            .decided_in(market, applicant, "EMPLOYED", 60_000.0)
            .await;
        let offer = &answered["counterOffers"][0];
        let accepted = json!({
            "controlFlowId": app.control_flow_id,
            "acceptedOffers": [{ "offerSequenceId": offer["offerSequenceId"],
                                 "offerProductCode": offer["offerProductCode"] }]
        });
        let (code, body) = post(&sandbox, market, &app, "offerAcceptance", accepted).await;
        assert_eq!(code, StatusCode::OK, "{body}");

        let told = status(&sandbox, market, &app).await;
        assert_eq!(told["applicationStage"], "APPROVAL", "{}", market.code);
        let mut expected = answered.clone();
        expected["applicationStage"] = json!("APPROVAL");
        assert_eq!(told, expected, "{}", market.code);
        assert_eq!(
            decision_part(inquiry(&sandbox, market, &app).await),
            expected
        );
    }
}

#[tokio::test]
async fn an_outright_rejection_is_told_as_a_003_and_the_ipa_still_answers_its_error() {
    let sandbox = Sandbox::instant().await;
    for market in [SG, AE] {
        let applicant = customer_in(market, "Anna", "applicationRejected", None);
        let (app, answer) = sandbox
            .decided_in(market, applicant, "EMPLOYED", 60_000.0)
            .await;
        assert_error(&answer, 400, "error", "applicationRejected", None);
        let told = status(&sandbox, market, &app).await;
        assert_eq!(
            told,
            json!({
                "applicationStage": "REJECTED",
                "requestedProductDecision": [{
                    "productCode": "VC830",
                    "organisationCode": "888",
                    "sourceCode": "WW5ARCE1",
                    "creditDecision": "003"
                }]
            }),
            "{}",
            market.code
        );
        assert_eq!(decision_part(inquiry(&sandbox, market, &app).await), told);
        // No decision was given, so the IPA answers the same error again, and a rejected
        // application is not screened again.
        let flow = json!({ "controlFlowId": app.control_flow_id });
        let again = post(&sandbox, market, &app, "inPrincipleApprovals", flow.clone()).await;
        assert_error(&again, 400, "error", "applicationRejected", None);
        let screening = post(&sandbox, market, &app, "backgroundScreening", flow).await;
        assert_error(&screening, 400, "error", "invalidRequestSequence", None);
        assert_eq!(status(&sandbox, market, &app).await, told);
    }
}

#[tokio::test]
async fn manual_review_and_other_ipa_errors_are_told_by_the_stage_without_a_decision() {
    let sandbox = Sandbox::instant().await;
    for market in [SG, RU] {
        let applicant = customer_in(market, "Anna", "applicationNeedsManualReview", None);
        let (app, answer) = sandbox
            .decided_in(market, applicant, "EMPLOYED", 60_000.0)
            .await;
        assert_error(&answer, 400, "error", "applicationNeedsManualReview", None);
        assert_eq!(
            status(&sandbox, market, &app).await,
            json!({ "applicationStage": "AWAITING_SUBMISSION" })
        );
        let flow = json!({ "controlFlowId": app.control_flow_id });
        let (code, _) = post(&sandbox, market, &app, "submission", flow).await;
        assert_eq!(code, StatusCode::OK);
        assert_eq!(
            status(&sandbox, market, &app).await,
            json!({ "applicationStage": "SUBMITTED" })
        );
        assert_eq!(
            decision_part(inquiry(&sandbox, market, &app).await),
            json!({ "applicationStage": "SUBMITTED" })
        );

        // An error that decides nothing leaves the application where screening left it.
        for surname in ["ipaNotInitiated", "ipaFailed", "productAgreementExpired"] {
            let applicant = customer_in(market, "Anna", surname, None);
            let (app, (code, _)) = sandbox
                .decided_in(market, applicant, "EMPLOYED", 60_000.0)
                .await;
            assert_eq!(code, StatusCode::BAD_REQUEST, "{surname}");
            assert_eq!(
                status(&sandbox, market, &app).await,
                json!({ "applicationStage": "BACKGROUND_SCREENING" }),
                "{} {surname}",
                market.code
            );
        }
    }
}

#[tokio::test]
async fn a_wrong_flow_id_an_unknown_id_and_another_markets_application_are_not_found() {
    let sandbox = Sandbox::instant().await;
    let sg = sandbox.create_in(SG, basic_details("Tan")).await;
    let pl = sandbox
        .create_in(PL, customer_in(PL, "Anna", "Nowak", None))
        .await;
    let other = uuid::Uuid::new_v4().simple().to_string();
    for (market, app) in [(SG, &sg), (PL, &pl)] {
        let (inquiry, status) = read_paths(market, &app.id);
        for path in [&inquiry, &status] {
            let wrong_flow = get(&sandbox, market, path, &format!("controlFlowId={other}")).await;
            assert_error(&wrong_flow, 404, "error", "resourceNotFound", None);
            // Another application's flow id does not open this one.
            let neighbour = if market.code == "SG" { &pl } else { &sg };
            let borrowed = format!("controlFlowId={}", neighbour.control_flow_id);
            let answer = get(&sandbox, market, path, &borrowed).await;
            assert_error(&answer, 404, "error", "resourceNotFound", None);
        }
        let (inquiry, status) = read_paths(market, "100000000000");
        for path in [inquiry, status] {
            let unknown = get(&sandbox, market, &path, "controlFlowId=abc").await;
            assert_error(&unknown, 404, "error", "resourceNotFound", None);
        }
    }
    // An APAC application read on the EMEA API, and from another market of its own API.
    let flow = format!("controlFlowId={}", sg.control_flow_id);
    let (_, on_emea) = read_paths(PL, &sg.id);
    let answer = get(&sandbox, PL, &on_emea, &flow).await;
    assert_error(&answer, 404, "error", "resourceNotFound", None);
    let (_, status) = read_paths(HK, &sg.id);
    let answer = get(&sandbox, HK, &status, &flow).await;
    assert_error(&answer, 404, "error", "resourceNotFound", None);
}

#[tokio::test]
async fn a_read_without_its_flow_id_is_an_invalid_request() {
    let sandbox = Sandbox::instant().await;
    for market in [SG, AE] {
        let applicant = customer_in(market, "Anna", "Nowak", None);
        let app = sandbox.create_in(market, applicant).await;
        let (inquiry, status) = read_paths(market, &app.id);
        for path in [&inquiry, &status] {
            for query in ["", "controlFlowId=", "controlFlowId=%20", "flow=abc"] {
                let answer = get(&sandbox, market, path, query).await;
                assert_error(
                    &answer,
                    400,
                    "invalid",
                    "invalidRequest",
                    Some("controlFlowId"),
                );
            }
        }
        // The request is checked before the application is looked for.
        let (_, unknown) = read_paths(market, "100000000000");
        let answer = get(&sandbox, market, &unknown, "").await;
        assert_error(
            &answer,
            400,
            "invalid",
            "invalidRequest",
            Some("controlFlowId"),
        );
    }
}

#[tokio::test]
async fn the_reads_check_the_headers_as_the_other_application_calls_do() {
    let sandbox = Sandbox::instant().await;
    let app = sandbox.create_in(SG, basic_details("Tan")).await;
    let (_, path) = read_paths(SG, &app.id);
    let uri = format!("{path}?controlFlowId={}", app.control_flow_id);
    let without = |header: &str| {
        let mut request = sandbox
            .request_in(SG, Method::GET, &uri)
            .body(Body::empty())
            .unwrap();
        request.headers_mut().remove(header);
        request
    };
    assert_error(
        &sandbox.send(without("authorization")).await,
        401,
        "error",
        "unAuthorized",
        None,
    );
    assert_error(
        &sandbox.send(without("client_id")).await,
        403,
        "invalid",
        "accessNotConfigured",
        Some("client_id"),
    );
    assert_error(
        &sandbox.send(without("uuid")).await,
        400,
        "invalid",
        "invalidRequest",
        Some("uuid"),
    );
    // A GET has no body, so it needs no Content-Type.
    let (code, body) = sandbox.send(without("content-type")).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    // Poland is the EMEA API's: refused on the APAC path before anything is looked up.
    let answer = get(
        &sandbox,
        PL,
        &path,
        &format!("controlFlowId={}", app.control_flow_id),
    )
    .await;
    assert_error(
        &answer,
        400,
        "invalid",
        "invalidRequest",
        Some("countryCode"),
    );
}

/// The crash the read calls are for: the IPA decided, its answer was lost, and asking again
/// is only told the approval was already given (always so with a fresh uuid; with the
/// same uuid too when de-duplication is off). The status gives the decision back.
#[tokio::test]
async fn without_deduplication_a_repeated_ipa_is_already_given_and_the_status_recovers_it() {
    let sandbox = Sandbox::new(without_deduplication()).await;
    for market in [SG, PL] {
        let applicant = customer_in(market, "Anna", "Crosssell", None);
        let app = sandbox.create_in(market, applicant).await;
        let base = format!("{}/{}", market.applications, app.id);
        for sections in [identity_in(market), finances("EMPLOYED", 60_000.0)] {
            let body = json!({ "applicant": sections, "controlFlowId": app.control_flow_id });
            sandbox
                .call_in(market, Method::PUT, &base, Some(body))
                .await;
        }
        let flow = json!({ "controlFlowId": app.control_flow_id });
        post(&sandbox, market, &app, "backgroundScreening", flow.clone()).await;
        let ipa = format!("{base}/inPrincipleApprovals");
        let uuid = uuid::Uuid::new_v4().to_string();
        let (code, lost) = post_with_uuid(&sandbox, market, &ipa, &flow, &uuid).await;
        assert_eq!(code, StatusCode::OK, "{lost}");

        let again = post_with_uuid(&sandbox, market, &ipa, &flow, &uuid).await;
        assert_error(
            &again,
            400,
            "error",
            "inPrincipalApprovalAlreadyGiven",
            None,
        );
        let told = status(&sandbox, market, &app).await;
        assert_eq!(told, lost, "{}", market.code);
        let read: ApplicationStatusResponse = serde_json::from_value(told).unwrap();
        let rebuilt = read.in_principle_approval().unwrap();
        assert_eq!(serde_json::to_value(rebuilt).unwrap(), lost);
    }
}

#[tokio::test]
async fn with_deduplication_a_repeated_ipa_answers_again_what_the_status_tells() {
    let sandbox = Sandbox::instant().await;
    for market in [SG, RU] {
        let applicant = customer_in(market, "Anna", "Counteroffer", None);
        let app = sandbox.create_in(market, applicant).await;
        let base = format!("{}/{}", market.applications, app.id);
        for sections in [identity_in(market), finances("EMPLOYED", 60_000.0)] {
            let body = json!({ "applicant": sections, "controlFlowId": app.control_flow_id });
            sandbox
                .call_in(market, Method::PUT, &base, Some(body))
                .await;
        }
        let flow = json!({ "controlFlowId": app.control_flow_id });
        post(&sandbox, market, &app, "backgroundScreening", flow.clone()).await;
        let ipa = format!("{base}/inPrincipleApprovals");
        let uuid = uuid::Uuid::new_v4().to_string();
        let first = post_with_uuid(&sandbox, market, &ipa, &flow, &uuid).await;
        assert_eq!(first.0, StatusCode::OK, "{}", first.1);
        assert_eq!(
            post_with_uuid(&sandbox, market, &ipa, &flow, &uuid).await,
            first
        );
        assert_eq!(status(&sandbox, market, &app).await, first.1);
        let fresh = uuid::Uuid::new_v4().to_string();
        let other = post_with_uuid(&sandbox, market, &ipa, &flow, &fresh).await;
        assert_error(
            &other,
            400,
            "error",
            "inPrincipalApprovalAlreadyGiven",
            None,
        );
    }
}

#[tokio::test]
async fn without_deduplication_a_create_repeated_with_its_uuid_opens_a_second_application() {
    let sandbox = Sandbox::new(without_deduplication()).await;
    for market in [SG, AE] {
        let uuid = uuid::Uuid::new_v4().to_string();
        let body =
            json!({ "product": product(), "applicant": customer_in(market, "Anna", "Tan", None) });
        let (code, first) =
            post_with_uuid(&sandbox, market, market.applications, &body, &uuid).await;
        assert_eq!(code, StatusCode::CREATED, "{first}");
        let (code, second) =
            post_with_uuid(&sandbox, market, market.applications, &body, &uuid).await;
        assert_eq!(code, StatusCode::CREATED, "{second}");
        assert_ne!(first["applicationId"], second["applicationId"]);
        assert_ne!(first["controlFlowId"], second["controlFlowId"]);
        // The uuid says nothing of the body either: another body is a third application.
        let other =
            json!({ "product": product(), "applicant": customer_in(market, "Anna", "Lim", None) });
        let (code, third) =
            post_with_uuid(&sandbox, market, market.applications, &other, &uuid).await;
        assert_eq!(code, StatusCode::CREATED, "{third}");
        // Each is an application of its own, acknowledged to the customer.
        for answer in [&first, &second, &third] {
            let app = App {
                id: answer["applicationId"].as_str().unwrap().to_owned(),
                control_flow_id: answer["controlFlowId"].as_str().unwrap().to_owned(),
            };
            assert_eq!(
                status(&sandbox, market, &app).await,
                json!({ "applicationStage": "BASIC_DETAILS" })
            );
            assert_eq!(sandbox.notifications(Some(&app.id)).await.len(), 1);
        }
    }
    assert_eq!(listed(&sandbox, "/sandbox/applications").await, 6);
}

#[tokio::test]
async fn with_deduplication_a_create_repeated_with_its_uuid_is_the_first_application() {
    let sandbox = Sandbox::instant().await;
    let uuid = uuid::Uuid::new_v4().to_string();
    let body = json!({ "product": product(), "applicant": basic_details("Tan") });
    let first = post_with_uuid(&sandbox, SG, APPLICATIONS, &body, &uuid).await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
    assert_eq!(
        post_with_uuid(&sandbox, SG, APPLICATIONS, &body, &uuid).await,
        first
    );
    assert_eq!(listed(&sandbox, "/sandbox/applications").await, 1);
}

#[tokio::test]
async fn without_deduplication_a_prospect_and_a_save_repeated_with_their_uuid_count_twice() {
    let sandbox = Sandbox::new(without_deduplication()).await;
    let vietnam = Market { code: "VN", ..SG };
    let uuid = uuid::Uuid::new_v4().to_string();
    let lead = prospect_body("VN", "MR", "Minh", "Nguyen");
    let (_, first) = post_with_uuid(&sandbox, vietnam, PROSPECTS, &lead, &uuid).await;
    let (code, second) = post_with_uuid(&sandbox, vietnam, PROSPECTS, &lead, &uuid).await;
    assert_eq!(code, StatusCode::OK, "{second}");
    assert_ne!(first["prospectId"], second["prospectId"]);
    assert_eq!(listed(&sandbox, "/sandbox/prospects").await, 2);

    let app = sandbox.create_in(SG, basic_details("Tan")).await;
    let save = format!("{APPLICATIONS}/{}/saveForLater", app.id);
    let flow = json!({ "controlFlowId": app.control_flow_id });
    for _ in 0..2 {
        let (code, body) = post_with_uuid(&sandbox, SG, &save, &flow, &uuid).await;
        assert_eq!(code, StatusCode::OK, "{body}");
    }
    let alerts = sandbox.notifications(Some(&app.id)).await;
    let saved = alerts.iter().filter(|m| m["event"] == "saved").count();
    assert_eq!(saved, 4, "an SMS and an e-mail for each save: {alerts:?}");
}

/// How many entries an inspection route lists.
async fn listed(sandbox: &Sandbox, route: &str) -> usize {
    let (code, body) = sandbox
        .send(Request::get(route).body(Body::empty()).unwrap())
        .await;
    assert_eq!(code, StatusCode::OK, "{body}");
    body.as_array().unwrap().len()
}

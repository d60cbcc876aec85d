//! The three decisions, end to end through the bank sandbox's rules.

use crate::helpers::{about_you_form, finances_form, identity_form, spawn_app, TestApp};
use bank_api::paths;
use bff::store::Store;
use onboarding_core::{CalendarDate, Decision, Stage};

#[tokio::test]
async fn an_employed_applicant_with_enough_income_is_approved_with_the_banks_limit() {
    let app = spawn_app().await;
    let (token, journey) = app.start_session().await;

    let mut bodies = Vec::new();
    let created = app
        .about_you(&token, &about_you_form(&journey, "Tan"))
        .await;
    bodies.push(created.body.clone());
    let reference = created.progress().reference.expect("a reference");
    let identity = app
        .identity(&token, &reference, &identity_form(&journey))
        .await;
    bodies.push(identity.body.clone());
    let decided = app
        .finances(
            &token,
            &reference,
            &finances_form(&journey, "EMPLOYED", "60000"),
        )
        .await;
    bodies.push(decided.body.clone());
    let progress = decided.progress();

    assert_eq!(progress.stage, Stage::Result);
    assert_eq!(progress.reference.as_deref(), Some(reference.as_str()));
    // "Back" carries the result signed with the partner's secret, so its server can trust it.
    let return_to = progress.return_to.clone().expect("a signed return URL");
    assert!(
        return_to.starts_with(crate::helpers::RETURN_URL),
        "{return_to}"
    );
    let secret = bff::config::Secret::new(crate::helpers::SIGNING_SECRET);
    let signed = bff::signing::verify(
        &secret,
        &return_to,
        bff::time::now_unix(),
        std::time::Duration::from_secs(60),
    )
    .expect("the signature verifies");
    assert_eq!(signed.reference, reference);
    assert_eq!(signed.outcome, "approved");
    let forged = return_to.replace("outcome=approved", "outcome=declined");
    assert!(bff::signing::verify(
        &secret,
        &forged,
        bff::time::now_unix(),
        std::time::Duration::from_secs(60)
    )
    .is_err());
    let Some(Decision::Approved {
        credit_limit,
        expires_on,
        ..
    }) = progress.decision.clone()
    else {
        panic!("expected an approval, got {:?}", progress.decision);
    };
    // The limit is the bank's recommendation, not one the BFF made up.
    let at_bank = app.bank.application(&app.client, &reference).await;
    assert_eq!(at_bank["creditDecision"], "000", "{at_bank}");
    let recommended = at_bank["recommendedCreditLimit"]
        .as_f64()
        .expect("a recommended limit");
    assert!(recommended > 0.0);
    assert_eq!(credit_limit.amount as f64, recommended);
    assert_eq!(credit_limit.currency, "SGD");
    let expiry = CalendarDate::parse_iso(&expires_on)
        .unwrap_or_else(|| panic!("expires_on {expires_on:?} is not YYYY-MM-DD"));
    assert_eq!(
        expiry.to_string(),
        expires_on,
        "expires_on is exactly YYYY-MM-DD"
    );
    assert!(
        expires_on > journey.market.today,
        "an approval expires in the future"
    );

    // The consent is on record with the version of the text the customer accepted.
    let store = Store::connect(&app.database_url).await.unwrap();
    let consents = store.consents(&reference).await.unwrap();
    assert_eq!(consents.len(), 1, "{consents:?}");
    let (consent_type, version, accepted_at) = &consents[0];
    assert_eq!(consent_type, "TERMS_AND_CONDITIONS");
    assert_eq!(version, &journey.terms.version);
    assert!(*accepted_at > 0);

    // A reload shows the decision, not the form again.
    let resumed = app.current(&token).await;
    bodies.push(resumed.body.clone());
    assert_eq!(
        crate::helpers::unsigned(resumed.journey().progress),
        crate::helpers::unsigned(progress.clone())
    );

    // Sending stage 3 again (a new key: a reload and a second click) answers the kept
    // decision without asking the bank, which would refuse a second IPA.
    let ipa = paths::in_principle_approvals(&reference);
    let asked = app.bank.calls_to("POST", &ipa);
    let again = app
        .finances(
            &token,
            &reference,
            &finances_form(&journey, "EMPLOYED", "60000"),
        )
        .await;
    bodies.push(again.body.clone());
    assert_eq!(again.progress(), progress);
    assert_eq!(app.bank.calls_to("POST", &ipa), asked);

    // The controlFlowId authorises calls on the application at the bank: it stays in the BFF.
    let control_flow_id = control_flow_id(&app, &reference).await;
    for body in &bodies {
        assert!(
            !body.contains(&control_flow_id),
            "the controlFlowId leaked: {body}"
        );
        assert!(!body.to_ascii_lowercase().contains("controlflow"), "{body}");
    }
}

#[tokio::test]
async fn the_self_employed_and_the_referral_surname_are_referred() {
    let app = spawn_app().await;
    let (self_employed, referral) = tokio::join!(
        decision_of(&app, "Tan", "SELF_EMPLOYED", "80000"),
        decision_of(&app, "Referral", "EMPLOYED", "80000"),
    );
    assert_eq!(self_employed, Decision::Referred, "self-employed");
    assert_eq!(referral, Decision::Referred, "surname Referral");
}

#[tokio::test]
async fn a_low_income_and_the_decline_surname_are_declined() {
    let app = spawn_app().await;
    let (low_income, decline) = tokio::join!(
        decision_of(&app, "Tan", "EMPLOYED", "20000"),
        decision_of(&app, "Decline", "EMPLOYED", "80000"),
    );
    assert_eq!(low_income, Decision::declined(), "income 20000");
    assert_eq!(decline, Decision::declined(), "surname Decline");
}

/// The decision of a whole journey, checked to be what the bank decided.
pub async fn decision_of(app: &TestApp, surname: &str, status: &str, income: &str) -> Decision {
    let customer = app.through_identity(surname).await;
    let form = finances_form(&customer.journey, status, income);
    let progress = app
        .finances(&customer.token, &customer.reference, &form)
        .await
        .progress();
    assert_eq!(progress.stage, Stage::Result);
    let decision = progress
        .decision
        .expect("stage 3 answers with the decision");
    let at_bank = app.bank.application(&app.client, &customer.reference).await;
    let expected_code = match decision {
        Decision::Approved { .. } => "000",
        Decision::Referred => "002",
        Decision::Declined { .. } | Decision::CounterOffered { .. } => "003",
        // Submitted for review by hand: the bank gave no credit decision.
        Decision::UnderReview => "",
    };
    assert_eq!(
        at_bank["creditDecision"], expected_code,
        "{surname}: {at_bank}"
    );
    decision
}

/// The controlFlowId the bank issued for an application, as the BFF stored it.
async fn control_flow_id(app: &TestApp, reference: &str) -> String {
    let id = crate::database::query_text(
        &app.database_url,
        "SELECT control_flow_id FROM applications WHERE reference = $1",
        reference,
    )
    .await;
    assert!(!id.is_empty());
    id
}

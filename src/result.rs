//! The decision, as the customer reads it, and the way back to the partner.

use crate::form::StageHeading;
use crate::intl;
use leptos::prelude::*;
use onboarding_core::api::Journey;
use onboarding_core::Decision;
use std::sync::Arc;

/// The result screen of a decided application.
#[component]
pub fn ResultView(
    journey: Arc<Journey>,
    reference: String,
    decision: Decision,
    focus: bool,
) -> impl IntoView {
    let locale = journey.market.locale.clone();
    let (heading, body) = match &decision {
        Decision::Approved { credit_limit, expires_on } => (
            "You're approved in principle",
            view! {
                <p>"The bank has approved your application in principle with a credit limit of"</p>
                <p class="credit-limit" id="credit-limit">{intl::money(credit_limit.amount, &credit_limit.currency, &locale)}</p>
                <p>"This approval is valid until " <strong id="approval-expiry">{intl::date(expires_on, &locale)}</strong> "."</p>
                <h3>"What happens next"</h3>
                <p>"The bank will send you an SMS with the next steps. It may ask for documents before it confirms the limit and sends your card."</p>
            }
            .into_any(),
        ),
        Decision::Referred => (
            "Your application is being reviewed",
            view! {
                <p>"The bank needs to look at your application more closely before it can decide, so it can't give an instant answer this time."</p>
                <h3>"What happens next"</h3>
                <p>"A member of the bank's team will review it, usually within 3 working days, and contact you by SMS or e-mail. They may ask you for documents such as payslips."</p>
            }
            .into_any(),
        ),
        Decision::Declined => (
            "We're sorry",
            view! {
                <p>"The bank can't offer you this card at the moment. This decision is based on the details you gave and the bank's lending criteria."</p>
                <h3>"What happens next"</h3>
                <p>"The bank will send you a message confirming the decision. You're welcome to apply again if your circumstances change."</p>
            }
            .into_any(),
        ),
    };
    let outcome = decision.outcome();
    let partner = journey.partner.clone();
    let back_reference = reference.clone();
    view! {
        <section class=format!("result {outcome}")>
            <StageHeading text=heading focus />
            <p class="reference">"Application reference: " <strong id="result-reference">{reference}</strong></p>
            {body}
            <button type="button" class="primary" id="back-to-partner" on:click=move |_| crate::partner::go_back(&partner, &back_reference, outcome)>
                "Back to " {journey.partner.name.clone()}
            </button>
        </section>
    }
}

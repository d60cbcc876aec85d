//! The decision, as the customer reads it: an approval (with any further cards offered
//! beside it), a counter-offer to accept, a review, or a decline; and the way back to the
//! partner.

use crate::copy;
use crate::form::{focus_by_id, StageHeading, SubmitButton};
use crate::intl;
use leptos::prelude::*;
use onboarding_core::api::Journey;
use onboarding_core::{Decision, Offer};
use std::sync::Arc;

/// The result screen of a decided application. `on_accept` sends the acceptance of the
/// offer with this id; `busy` is true while one is being sent.
#[component]
pub fn ResultView(
    journey: Arc<Journey>,
    reference: String,
    decision: Decision,
    focus: bool,
    busy: Signal<bool>,
    on_accept: Callback<String>,
    /// The partner's return URL with the signed result, as the BFF last answered it.
    #[prop(optional)]
    return_to: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let locale = journey.market.locale.clone();
    let partner = journey.partner.clone();
    let outcome = decision.outcome();
    let counter_offered = matches!(decision, Decision::CounterOffered { .. });
    let (heading, body, next): (String, AnyView, Option<&'static str>) = match decision {
        Decision::Approved {
            card,
            credit_limit,
            expires_on,
            offers,
        } => (
            card.map_or_else(
                || "You're approved in principle".to_owned(),
                |card| format!("You're approved in principle for the {card}"),
            ),
            view! {
                <p>"The bank has approved your application in principle with a credit limit of"</p>
                <p class="credit-limit" id="credit-limit">{intl::money(credit_limit.amount, &credit_limit.currency, &locale)}</p>
                <p>"This approval is valid until " <strong id="approval-expiry">{intl::date(&expires_on, &locale)}</strong> "."</p>
                {(!offers.is_empty()).then(|| view! { <CrossSell offers locale busy on_accept /> })}
            }
            .into_any(),
            Some("The bank will send you an SMS with the next steps. It may ask for documents before it confirms the limit and sends your card."),
        ),
        Decision::CounterOffered { offers } => (
            "We can offer you a different card".to_owned(),
            view! {
                <p>"The bank can't approve the card you applied for, but it can offer you one of these instead."</p>
                <CounterOffers offers locale busy on_accept />
            }
            .into_any(),
            None,
        ),
        Decision::Referred => (
            "Your application is being reviewed".to_owned(),
            view! {
                <p>"The bank needs to look at your application more closely before it can decide, so it can't give an instant answer this time."</p>
            }
            .into_any(),
            Some("A member of the bank's team will review it, usually within 3 working days, and contact you by SMS or e-mail. They may ask you for documents such as payslips."),
        ),
        Decision::UnderReview => (
            "Your application is under review".to_owned(),
            view! {
                <p>"The bank has your complete application. A member of its team is checking it by hand, so there's no instant answer this time."</p>
            }
            .into_any(),
            Some("The bank will contact you by SMS or e-mail, usually within 5 working days. It may ask you to send documents, such as payslips or proof of address, before it decides."),
        ),
        Decision::Declined { reasons } => {
            let partner_name = partner.name.clone();
            (
                "We're sorry".to_owned(),
                view! {
                    <p>"The bank can't offer you this card at the moment. This decision is based on the details you gave and the bank's lending criteria."</p>
                    {(!reasons.is_empty()).then(|| view! {
                        <p id="decline-reasons">"The main reasons:"</p>
                        <ul class="reasons" aria-labelledby="decline-reasons">
                            {reasons.into_iter().map(|r| view! { <li>{copy::decline_reason(r, &partner_name)}</li> }).collect_view()}
                        </ul>
                    })}
                }
                .into_any(),
                Some("The bank will send you a message confirming the decision. You're welcome to apply again if your circumstances change."),
            )
        }
    };
    // Turning a counter-offer down is the way back from that screen, so it says so and
    // leaves the primary place to "Accept this offer".
    let (back_class, back_text) = if counter_offered {
        ("secondary", "No thanks, back to ")
    } else {
        ("primary", "Back to ")
    };
    let partner_name = partner.name.clone();
    let back_reference = reference.clone();
    view! {
        <section class=format!("result {outcome}")>
            <StageHeading text=heading focus />
            <p class="reference">"Application reference: " <strong id="result-reference">{reference}</strong></p>
            {body}
            {next.map(|text| view! {
                <h3>"What happens next"</h3>
                <p>{text}</p>
            })}
            // Not while an offer's acceptance is on its way: the partner would be told an
            // outcome the bank may be changing.
            <button type="button" class=back_class id="back-to-partner" disabled=move || busy.get() on:click=move |_| crate::partner::go_back(&partner, &back_reference, outcome, return_to.and_then(|r| r.get_untracked()))>
                {back_text} {partner_name}
            </button>
        </section>
    }
}

/// Further cards the bank offers beside an approval, each added with its own button.
#[component]
fn CrossSell(
    offers: Vec<Offer>,
    locale: String,
    busy: Signal<bool>,
    on_accept: Callback<String>,
) -> impl IntoView {
    // The offer whose button was pressed: only that one says it is sending.
    let pressed = RwSignal::new(String::new());
    view! {
        <section class="offers" aria-labelledby="offers-heading">
            <h3 id="offers-heading">"Also available to you"</h3>
            <ul class="offer-list">
                {offers
                    .into_iter()
                    .map(|offer| {
                        let limit = intl::money(offer.credit_limit.amount, &offer.credit_limit.currency, &locale);
                        let action = if offer.accepted {
                            view! {
                                <p class="offer-added" role="status">
                                    "Added: the bank will include " {offer.card.clone()} " when it confirms your application."
                                </p>
                            }
                            .into_any()
                        } else {
                            let label = format!("Add {}", offer.card);
                            let button_id = format!("accept-offer-{}", offer.id);
                            let id = offer.id;
                            let sending = {
                                let id = id.clone();
                                move || busy.get() && pressed.with(|p| *p == id)
                            };
                            view! {
                                <button
                                    type="button"
                                    class="secondary"
                                    id=button_id
                                    disabled=move || busy.get()
                                    aria-disabled=move || busy.get().to_string()
                                    on:click=move |_| {
                                        pressed.set(id.clone());
                                        on_accept.run(id.clone());
                                    }
                                >
                                    {move || if sending() { "Sending…".to_owned() } else { label.clone() }}
                                </button>
                            }
                            .into_any()
                        };
                        view! {
                            <li class="offer">
                                <p class="offer-card">{offer.card}</p>
                                <p>"Credit limit " {limit}</p>
                                {action}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The bank's counter-offers as a radio group, and the button that accepts the chosen one.
#[component]
fn CounterOffers(
    offers: Vec<Offer>,
    locale: String,
    busy: Signal<bool>,
    on_accept: Callback<String>,
) -> impl IntoView {
    // Nothing is chosen at first: a preselected radio is easily accepted unread, and taking
    // on credit must be the customer's own choice. Screen readers then also announce the
    // group as "not selected", which makes the task plain.
    let chosen = RwSignal::new(None::<String>);
    let missing = RwSignal::new(false);
    let first = offers
        .first()
        .map(|o| format!("offer-{}", o.id))
        .unwrap_or_default();
    view! {
        <form
            class="offers"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                match chosen.get_untracked() {
                    Some(id) => on_accept.run(id),
                    None => {
                        missing.set(true);
                        // Into the group, where the answer is chosen; the radios are
                        // described by the error, so it is read out there too.
                        focus_by_id(&first);
                    }
                }
            }
        >
            <fieldset class="field" class:has-error=move || missing.get()>
                <legend>"Choose an offer"</legend>
                <p class="field-error" id="offer-error" aria-live="polite">
                    {move || missing.get().then(|| view! { <span class="visually-hidden">"Error: "</span> {copy::CHOOSE_AN_OFFER} })}
                </p>
                {offers
                    .into_iter()
                    .map(|offer| {
                        let limit = intl::money(offer.credit_limit.amount, &offer.credit_limit.currency, &locale);
                        let input_id = format!("offer-{}", offer.id);
                        let id = offer.id;
                        view! {
                            <div class="radio">
                                <input
                                    type="radio"
                                    name="offer"
                                    id=input_id.clone()
                                    value=id.clone()
                                    aria-describedby="offer-error"
                                    on:change=move |_| {
                                        chosen.set(Some(id.clone()));
                                        missing.set(false);
                                    }
                                />
                                <label for=input_id>
                                    <span class="offer-card">{offer.card}</span>
                                    <span class="visually-hidden">", "</span>
                                    <span class="offer-limit">"Credit limit " {limit}</span>
                                </label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <SubmitButton id="accept-offer" label="Accept this offer" busy />
        </form>
    }
}

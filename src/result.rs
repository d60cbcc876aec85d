//! The decision, as the customer reads it: an approval (with any further cards offered
//! beside it), a counter-offer to accept, a review, or a decline; and the way back to the
//! partner.

use crate::form::{focus_by_id, StageHeading, SubmitButton};
use crate::intl;
use crate::words::{t, t_around, t_with};
use leptos::prelude::*;
use onboarding_core::api::{Journey, JourneyKind};
use onboarding_core::{Decision, FollowUp, Offer, Outcome, Phrase};
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
    let locale = intl::locale(&journey);
    let partner = journey.partner.clone();
    let outcome = decision.outcome();
    let counter_offered = matches!(decision, Decision::CounterOffered { .. });
    let (heading, body, next): (String, AnyView, Option<Phrase>) = match decision {
        Decision::Approved {
            card,
            credit_limit,
            expires_on,
            offers,
        } => (
            card.map_or_else(
                || t(Phrase::Approved).to_owned(),
                |card| t_with(Phrase::ApprovedForCard, &[("card", &card)]),
            ),
            {
                let (before, after) = t_around(Phrase::ValidUntil);
                view! {
                    <p>{t(Phrase::ApprovedWithLimit)}</p>
                    <p class="credit-limit" id="credit-limit">{intl::money(credit_limit.amount, &credit_limit.currency, &locale)}</p>
                    <p>{before} <strong id="approval-expiry">{intl::date(&expires_on, &locale)}</strong> {after}</p>
                    {(!offers.is_empty()).then(|| view! { <CrossSell offers locale busy on_accept /> })}
                }
                .into_any()
            },
            Some(Phrase::ApprovedNext),
        ),
        Decision::CounterOffered { offers } => (
            t(Phrase::CounterOffered).to_owned(),
            view! {
                <p>{t(Phrase::CounterOfferedBody)}</p>
                <CounterOffers offers locale busy on_accept />
            }
            .into_any(),
            None,
        ),
        Decision::Referred => (
            t(Phrase::Referred).to_owned(),
            view! { <p>{t(Phrase::ReferredBody)}</p> }.into_any(),
            Some(Phrase::ReferredNext),
        ),
        Decision::UnderReview => (
            t(Phrase::UnderReview).to_owned(),
            view! { <p>{t(Phrase::UnderReviewBody)}</p> }.into_any(),
            Some(Phrase::UnderReviewNext),
        ),
        Decision::Declined { reasons } => {
            let partner_name = partner.name.clone();
            (
                t(Phrase::Declined).to_owned(),
                view! {
                    <p>{t(Phrase::DeclinedBody)}</p>
                    {(!reasons.is_empty()).then(|| view! {
                        <p id="decline-reasons">{t(Phrase::DeclineReasons)}</p>
                        <ul class="reasons" aria-labelledby="decline-reasons">
                            {reasons.into_iter().map(|r| view! { <li>{t_with(Phrase::decline_reason(r), &[("partner", &partner_name)])}</li> }).collect_view()}
                        </ul>
                    })}
                }
                .into_any(),
                Some(Phrase::DeclinedNext),
            )
        }
    };
    // Turning a counter-offer down is the way back from that screen, so it says so and
    // leaves the primary place to "Accept this offer".
    let (back_class, back_text) = if counter_offered {
        ("secondary", Phrase::NoThanksBackTo)
    } else {
        ("primary", Phrase::BackTo)
    };
    let back_text = t_with(back_text, &[("partner", &partner.name)]);
    let back_reference = reference.clone();
    view! {
        <section class=format!("result {}", outcome.as_str())>
            <StageHeading text=heading focus />
            <Reference reference />
            {body}
            {next.map(|text| view! {
                <h3>{t(Phrase::WhatHappensNext)}</h3>
                <p>{t(text)}</p>
            })}
            // Not while an offer's acceptance is on its way: the partner would be told an
            // outcome the bank may be changing.
            <button type="button" class=back_class id="back-to-partner" disabled=move || busy.get() on:click=move |_| crate::partner::go_back(&partner, &back_reference, outcome, return_to.and_then(|r| r.get_untracked()))>
                {back_text}
            </button>
        </section>
    }
}

/// The application's reference on the result screen, which the customer may need to quote.
#[component]
fn Reference(reference: String) -> impl IntoView {
    view! { <p class="reference">{t(Phrase::ApplicationReference)} " " <strong id="result-reference">{reference}</strong></p> }
}

/// The bank has the customer's details but decides nothing online: a lead sent, or an
/// application saved for later. Says how the bank carries on in the market.
#[component]
pub fn FollowUpView(
    journey: Arc<Journey>,
    reference: String,
    follow_up: FollowUp,
    focus: bool,
    /// The partner's return URL with the signed outcome, when the BFF signed one.
    return_to: Option<String>,
) -> impl IntoView {
    let (heading, outcome) = match journey.kind {
        JourneyKind::LeadCapture => (Phrase::LeadReceived, Outcome::LeadReceived),
        JourneyKind::InPrincipleApproval => (Phrase::Saved, Outcome::Saved),
    };
    let next = match follow_up {
        FollowUp::ContinueOnline => Phrase::ContinueOnline,
        FollowUp::RepresentativeCalls => Phrase::RepresentativeCalls,
        FollowUp::BankWrites => Phrase::BankWillWrite,
    };
    let partner = journey.partner.clone();
    let back_text = t_with(Phrase::BackTo, &[("partner", &partner.name)]);
    let back_reference = reference.clone();
    view! {
        <section class=format!("result {}", outcome.as_str())>
            <StageHeading text=t(heading) focus />
            <Reference reference />
            <h3>{t(Phrase::WhatHappensNext)}</h3>
            <p id="follow-up">{t(next)}</p>
            <button type="button" class="primary" id="back-to-partner" on:click=move |_| crate::partner::go_back(&partner, &back_reference, outcome, return_to.clone())>
                {back_text}
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
            <h3 id="offers-heading">{t(Phrase::AlsoAvailable)}</h3>
            <ul class="offer-list">
                {offers
                    .into_iter()
                    .map(|offer| {
                        let limit = intl::money(offer.credit_limit.amount, &offer.credit_limit.currency, &locale);
                        let action = if offer.accepted {
                            view! {
                                <p class="offer-added" role="status">
                                    {t_with(Phrase::OfferAdded, &[("card", &offer.card)])}
                                </p>
                            }
                            .into_any()
                        } else {
                            let label = t_with(Phrase::AddCard, &[("card", &offer.card)]);
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
                                    {move || if sending() { t(Phrase::Sending).to_owned() } else { label.clone() }}
                                </button>
                            }
                            .into_any()
                        };
                        view! {
                            <li class="offer">
                                <p class="offer-card">{offer.card}</p>
                                <p>{t_with(Phrase::CreditLimit, &[("limit", &limit)])}</p>
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
                <legend>{t(Phrase::ChooseAnOffer)}</legend>
                <p class="field-error" id="offer-error" aria-live="polite">
                    {move || missing.get().then(|| view! { <span class="visually-hidden">{t(Phrase::ErrorPrefix)} " "</span> {t(Phrase::ChooseAnOfferError)} })}
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
                                    <span class="offer-limit">{t_with(Phrase::CreditLimit, &[("limit", &limit)])}</span>
                                </label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <SubmitButton id="accept-offer" label=t(Phrase::AcceptOffer) busy />
        </form>
    }
}

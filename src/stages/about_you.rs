use super::{StageForm, StageProps};
use crate::form::{DateField, SelectField, TextField};
use crate::words::{t, t_with};
use leptos::prelude::*;
use onboarding_core::api::JourneyKind;
use onboarding_core::forms::{AboutYouForm, LeadForm, Prefill};
use onboarding_core::{Field, Phrase, ReferenceField, Stage};

/// Stage 1: title, names, date of birth, mobile, e-mail, and consent to the terms. In the
/// Lead Capture journey it is the only form, with the home address where the market's
/// leads need one; `on_submit` gets the address empty otherwise.
#[component]
pub fn AboutYouStage(props: StageProps, on_submit: Callback<LeadForm>) -> impl IntoView {
    let journey = props.journey.clone();
    let market = journey.market.market;
    let lead_capture = journey.kind == JourneyKind::LeadCapture;
    let asks_address = lead_capture && LeadForm::asks_address(market);
    let [title, date_of_birth, address_line1, address_line2, postal_code] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    // What the partner's server placed, for the customer to check rather than type.
    let placed = Prefill::from_list(&journey.prefill);
    let [given_name, surname, mobile_number, email] = [
        placed.given_name,
        placed.surname,
        placed.mobile_number,
        placed.email,
    ]
    .map(RwSignal::new);
    let accepted = RwSignal::new(false);
    let terms_version = journey.terms.version.clone();
    let read = {
        let terms_version = terms_version.clone();
        move || LeadForm {
            about: AboutYouForm {
                title: title.get_untracked(),
                given_name: given_name.get_untracked(),
                surname: surname.get_untracked(),
                date_of_birth: date_of_birth.get_untracked(),
                mobile_number: mobile_number.get_untracked(),
                email: email.get_untracked(),
                accepted_terms_version: if accepted.get_untracked() {
                    terms_version.clone()
                } else {
                    String::new()
                },
            },
            address_line1: address_line1.get_untracked(),
            address_line2: address_line2.get_untracked(),
            postal_code: postal_code.get_untracked(),
        }
    };
    let form = {
        let read = read.clone();
        props.form_state(terms_version.clone(), move |ctx| {
            let form = read();
            let errors = if lead_capture {
                form.parse(ctx).err()
            } else {
                form.about.parse(ctx).err()
            };
            errors.unwrap_or_default()
        })
    };
    let phone_prefix = format!("+{}", journey.market.phone_country_code);
    let age_hint = t_with(
        Phrase::AgeHint,
        &[("age", &market.minimum_age().to_string())],
    );
    let mobile_hint = t_with(
        Phrase::MobileHint,
        &[("example", market.mobile_plan().example)],
    );
    let (intro, submit_label) = if lead_capture {
        (Phrase::LeadIntro, Phrase::SendDetails)
    } else {
        (Phrase::AboutYouIntro, Phrase::Continue)
    };
    let date_order = crate::intl::date_order(&crate::intl::locale(&journey));
    let titles = journey
        .reference_data
        .options(ReferenceField::Salutation)
        .to_vec();
    view! {
        <StageForm stage=Stage::AboutYou intro=t(intro) submit_label=t(submit_label) props=props.clone() form on_valid=Callback::new(move |()| on_submit.run(read()))>
            <SelectField field=Field::Title value=title form options=titles autocomplete="honorific-prefix" />
            <TextField field=Field::GivenName value=given_name form autocomplete="given-name" />
            <TextField field=Field::Surname value=surname form autocomplete="family-name" />
            <DateField field=Field::DateOfBirth value=date_of_birth form order=date_order hint=age_hint />
            <TextField
                field=Field::MobileNumber
                value=mobile_number
                form
                input_type="tel"
                autocomplete="tel-national"
                inputmode="tel"
                prefix=phone_prefix
                hint=mobile_hint
            />
            <TextField field=Field::Email value=email form input_type="email" autocomplete="email" />
            {asks_address.then(|| view! {
                <TextField field=Field::AddressLine1 value=address_line1 form autocomplete="address-line1" />
                <TextField field=Field::AddressLine2 value=address_line2 form autocomplete="address-line2" />
                <TextField field=Field::PostalCode value=postal_code form autocomplete="postal-code" inputmode="numeric" />
            })}
            <fieldset class="consent field" class:has-error=move || form.error(Field::TermsConsent).is_some()>
                <legend>{t(Phrase::TermsLabel)}</legend>
                <details class="terms">
                    <summary>{t(Phrase::ReadTerms)}</summary>
                    <div class="terms-text">
                        <h3>{journey.terms.title.clone()}</h3>
                        {journey.terms.paragraphs.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view()}
                        <p class="hint">{t_with(Phrase::TermsVersion, &[("version", &terms_version)])}</p>
                    </div>
                </details>
                <p class="field-error" id="terms_consent-error" aria-live="polite">
                    {move || form.error(Field::TermsConsent).map(|e| form.message(e))}
                </p>
                <div class="checkbox">
                    <input
                        type="checkbox"
                        id="terms_consent"
                        name="terms_consent"
                        aria-describedby="terms_consent-error"
                        aria-invalid=move || form.error(Field::TermsConsent).is_some().to_string()
                        prop:checked=move || accepted.get()
                        on:change=move |ev| {
                            accepted.set(event_target_checked(&ev));
                            form.recheck_if_shown(Field::TermsConsent);
                        }
                    />
                    <label for="terms_consent">{t(Phrase::Consent)}</label>
                </div>
            </fieldset>
            </StageForm>
    }
}

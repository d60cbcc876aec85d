use super::{StageForm, StageProps};
use crate::form::{SelectField, TextField};
use leptos::prelude::*;
use onboarding_core::forms::AboutYouForm;
use onboarding_core::{Field, ReferenceField, Stage};

/// Stage 1: title, names, date of birth, mobile, e-mail, and consent to the terms.
#[component]
pub fn AboutYouStage(props: StageProps, on_submit: Callback<AboutYouForm>) -> impl IntoView {
    let journey = props.journey.clone();
    let [title, given_name, surname, date_of_birth, mobile_number, email] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let accepted = RwSignal::new(false);
    let terms_version = journey.terms.version.clone();
    let read = {
        let terms_version = terms_version.clone();
        move || AboutYouForm {
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
        }
    };
    let form = {
        let read = read.clone();
        props.form_state(terms_version.clone(), move |ctx| {
            read().parse(ctx).err().unwrap_or_default()
        })
    };
    let phone_prefix = format!("+{}", journey.market.phone_country_code);
    let market = journey.market.market;
    let age_hint = format!("You must be {} or older to apply.", market.minimum_age());
    let mobile_hint = format!(
        "For example {}. The bank texts you about your application.",
        market.mobile_plan().example
    );
    let titles = journey
        .reference_data
        .options(ReferenceField::Salutation)
        .to_vec();
    view! {
        <StageForm stage=Stage::AboutYou intro="Tell us about yourself. Applying takes about 5 minutes." submit_label="Continue" props=props.clone() form on_valid=Callback::new(move |()| on_submit.run(read()))>
            <SelectField field=Field::Title value=title form options=titles autocomplete="honorific-prefix" />
            <TextField field=Field::GivenName value=given_name form autocomplete="given-name" />
            <TextField field=Field::Surname value=surname form autocomplete="family-name" />
            <TextField field=Field::DateOfBirth value=date_of_birth form input_type="date" autocomplete="bday" hint=age_hint />
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
            <fieldset class="consent field" class:has-error=move || form.error(Field::TermsConsent).is_some()>
                <legend>"Terms and Conditions"</legend>
                <details class="terms">
                    <summary>"Read the Terms and Conditions"</summary>
                    <div class="terms-text">
                        <h3>{journey.terms.title.clone()}</h3>
                        {journey.terms.paragraphs.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view()}
                        <p class="hint">"Version " {terms_version.clone()}</p>
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
                    <label for="terms_consent">"I have read and accept the Terms and Conditions, and agree to share these details with the bank."</label>
                </div>
            </fieldset>
            </StageForm>
    }
}

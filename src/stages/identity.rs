use super::{StageForm, StageProps};
use crate::form::{SelectField, TextField};
use crate::words::t;
use leptos::prelude::*;
use onboarding_core::forms::IdentityForm;
use onboarding_core::{Field, Phrase, ReferenceField, Stage};

/// Stage 2: government ID and residential address.
#[component]
pub fn IdentityStage(props: StageProps, on_submit: Callback<IdentityForm>) -> impl IntoView {
    let journey = props.journey.clone();
    let [id_type, id_number, address_line1, address_line2, postal_code, years_at_address] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    // Most applicants live in the market they apply in.
    let country = RwSignal::new(journey.market.market.code().to_owned());
    let read = move || IdentityForm {
        id_type: id_type.get_untracked(),
        id_number: id_number.get_untracked(),
        address_line1: address_line1.get_untracked(),
        address_line2: address_line2.get_untracked(),
        postal_code: postal_code.get_untracked(),
        country: country.get_untracked(),
        years_at_address: years_at_address.get_untracked(),
    };
    let form = props.form_state(String::new(), move |ctx| {
        read().parse(ctx).err().unwrap_or_default()
    });
    let options = {
        let journey = journey.clone();
        move |field| journey.reference_data.options(field).to_vec()
    };
    view! {
        <StageForm stage=Stage::Identity intro=t(Phrase::IdentityIntro) submit_label=t(Phrase::Continue) props=props.clone() form on_valid=Callback::new(move |()| on_submit.run(read()))>
            <SelectField field=Field::IdType value=id_type form options=options(ReferenceField::IdType) />
            <TextField field=Field::IdNumber value=id_number form autocomplete="off" hint=t(Phrase::IdNumberHint) />
            <TextField field=Field::AddressLine1 value=address_line1 form autocomplete="address-line1" />
            <TextField field=Field::AddressLine2 value=address_line2 form autocomplete="address-line2" />
            <TextField field=Field::PostalCode value=postal_code form autocomplete="postal-code" inputmode="numeric" />
            <SelectField field=Field::Country value=country form options=options(ReferenceField::Country) autocomplete="country" />
            <TextField field=Field::YearsAtAddress value=years_at_address form inputmode="numeric" hint=t(Phrase::YearsHint) />
            </StageForm>
    }
}

use super::{StageForm, StageProps};
use crate::form::{SelectField, TextField};
use crate::words::t;
use leptos::prelude::*;
use onboarding_core::forms::FinancesForm;
use onboarding_core::{Field, Phrase, ReferenceField, Stage};

/// Stage 3: employment, income, education and residence; submitting asks for the decision.
#[component]
pub fn FinancesStage(props: StageProps, on_submit: Callback<FinancesForm>) -> impl IntoView {
    let journey = props.journey.clone();
    let [employment_status, occupation, industry, employer_name, annual_income, education, residence_type] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let read = move || FinancesForm {
        employment_status: employment_status.get_untracked(),
        occupation: occupation.get_untracked(),
        industry: industry.get_untracked(),
        employer_name: employer_name.get_untracked(),
        annual_income: annual_income.get_untracked(),
        education: education.get_untracked(),
        residence_type: residence_type.get_untracked(),
    };
    let form = props.form_state(String::new(), move |ctx| {
        read().parse(ctx).err().unwrap_or_default()
    });
    let options = {
        let journey = journey.clone();
        move |field| journey.reference_data.options(field).to_vec()
    };
    view! {
        <StageForm stage=Stage::Finances intro=t(Phrase::FinancesIntro) submit_label=t(Phrase::SubmitApplication) props=props.clone() form on_valid=Callback::new(move |()| on_submit.run(read()))>
            <SelectField field=Field::EmploymentStatus value=employment_status form options=options(ReferenceField::EmploymentStatus) />
            <SelectField field=Field::Occupation value=occupation form options=options(ReferenceField::OccupationCode) />
            <SelectField field=Field::Industry value=industry form options=options(ReferenceField::IndustryCode) />
            <TextField field=Field::EmployerName value=employer_name form autocomplete="organization" hint=t(Phrase::EmployerHint) />
            <TextField
                field=Field::AnnualIncome
                value=annual_income
                form
                inputmode="decimal"
                prefix=journey.market.currency.clone()
                hint=t(Phrase::IncomeHint)
            />
            <SelectField field=Field::Education value=education form options=options(ReferenceField::HighestEducationLevel) />
            <SelectField field=Field::ResidenceType value=residence_type form options=options(ReferenceField::ResidenceType) />
            </StageForm>
    }
}

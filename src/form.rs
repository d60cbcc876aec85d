//! The pieces every stage's form is made of: labelled fields whose errors show when the
//! form is submitted, an error summary linking to the fields, and the stage's heading.
//!
//! Errors appear only on submit (GOV.UK's "Recover from validation errors" pattern), never
//! when a field loses focus: a message shown on blur pushes down what is below it between
//! the press and the release of a click on "Continue", and the click is lost. A shown error
//! is re-checked as the customer types, so it goes as soon as the field is right.

use crate::intl::DatePart;
use crate::words::t;
use leptos::html;
use leptos::prelude::*;
use onboarding_core::reference_data::ReferenceOption;
use onboarding_core::{Field, FieldError, Market, Phrase, ValidationError};

/// A form's error state: which errors are shown, and how to check the fields now.
#[derive(Clone, Copy)]
pub struct FormState {
    shown: RwSignal<Vec<FieldError>>,
    summary: RwSignal<Vec<FieldError>>,
    validate: Callback<(), Vec<FieldError>>,
    /// Whose rules the messages explain (its minimum age, its numbers' shapes).
    market: Market,
}

impl FormState {
    /// A form of `market` whose fields are checked by `validate` (the core crate's rules).
    pub fn new(
        market: Market,
        validate: impl Fn() -> Vec<FieldError> + Send + Sync + 'static,
    ) -> Self {
        Self {
            shown: RwSignal::new(Vec::new()),
            summary: RwSignal::new(Vec::new()),
            validate: Callback::new(move |()| validate()),
            market,
        }
    }

    /// What the customer is told of an error, with the market's specifics.
    pub fn message(&self, error: ValidationError) -> String {
        error.message_with(self.market, t)
    }

    /// The shown error of a field.
    pub fn error(&self, field: Field) -> Option<ValidationError> {
        self.shown
            .with(|shown| onboarding_core::forms::error_of(shown, field))
    }

    /// Checks one field, showing or clearing its error.
    fn check(&self, field: Field) {
        let errors = self.validate.run(());
        self.shown.update(|shown| {
            shown.retain(|e| e.field != field);
            shown.extend(errors.iter().filter(|e| e.field == field));
        });
    }

    /// Re-checks a field whose error is shown, so the error clears as soon as it is fixed.
    pub fn recheck_if_shown(&self, field: Field) {
        if self.error(field).is_some() {
            self.check(field);
        }
    }

    /// Checks every field (on submit); `true` when all passed. Failed fields are listed
    /// in the summary, which takes focus.
    pub fn check_all(&self) -> bool {
        self.show_all(self.validate.run(()));
        self.shown.with(Vec::is_empty)
    }

    /// Shows a list of errors (from the checks or from the server) and summarises them.
    pub fn show_all(&self, errors: Vec<FieldError>) {
        self.summary.set(errors.clone());
        self.shown.set(errors);
    }
}

/// A text input with its label, hint and error.
#[component]
pub fn TextField(
    field: Field,
    value: RwSignal<String>,
    form: FormState,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] inputmode: &'static str,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] prefix: Option<String>,
) -> impl IntoView {
    let id = field.as_str();
    let hint_id = format!("{id}-hint");
    let described_by = describe(id, hint.is_some());
    // Erased to AnyView: every stage embeds many fields, and concrete view types would be
    // monomorphised into each stage's code, growing the download.
    view! {
        <div class="field" class:has-error=move || form.error(field).is_some()>
            <label for=id>{t(Phrase::label(field))}</label>
            {hint.map(|text| view! { <p class="hint" id=hint_id.clone()>{text}</p> })}
            <FieldError field form />
            <div class="input-row">
                {prefix.map(|text| view! { <span class="prefix" aria-hidden="true">{text}</span> })}
                {text_input(TextInput {
                    id: id.to_owned(),
                    name: id.to_owned(),
                    input_type,
                    autocomplete,
                    inputmode,
                    maxlength: None,
                    described_by,
                    form,
                    field,
                    value,
                    changed: Callback::new(move |()| form.recheck_if_shown(field)),
                })}
            </div>
        </div>
    }
    .into_any()
}

/// A date the customer knows by heart (a date of birth) as day, month and year fields, in
/// the order the page's locale writes dates, with numeric keyboards on phones (GOV.UK's
/// date input pattern). A browser's own date input would show and take the date in the
/// browser's language's order, not the page's. `value` is the ISO date core reads.
#[component]
pub fn DateField(
    field: Field,
    value: RwSignal<String>,
    form: FormState,
    order: [DatePart; 3],
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let id = field.as_str();
    let hint_id = format!("{id}-hint");
    let described_by = describe(id, hint.is_some());
    let [day, month, year] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let inputs = order
        .into_iter()
        .enumerate()
        .map(|(position, part)| {
            let (signal, name, label, autocomplete, size) = match part {
                DatePart::Day => (day, "day", Phrase::DayLabel, "bday-day", "2"),
                DatePart::Month => (month, "month", Phrase::MonthLabel, "bday-month", "2"),
                DatePart::Year => (year, "year", Phrase::YearLabel, "bday-year", "4"),
            };
            // The first part carries the field's id, so the label of the group and the
            // error summary's link land on it.
            let input_id = if position == 0 {
                id.to_owned()
            } else {
                format!("{id}-{name}")
            };
            let changed = Callback::new(move |()| {
                value.set(onboarding_core::fields::date_from_parts(
                    &day.get_untracked(),
                    &month.get_untracked(),
                    &year.get_untracked(),
                ));
                form.recheck_if_shown(field);
            });
            view! {
                <div class="date-part">
                    <label for=input_id.clone()>{t(label)}</label>
                    {text_input(TextInput {
                        id: input_id,
                        name: format!("{id}-{name}"),
                        input_type: "text",
                        autocomplete,
                        inputmode: "numeric",
                        maxlength: Some(size),
                        described_by: described_by.clone(),
                        form,
                        field,
                        value: signal,
                        changed,
                    })}
                </div>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <fieldset class="field date" class:has-error=move || form.error(field).is_some()>
            <legend>{t(Phrase::label(field))}</legend>
            {hint.map(|text| view! { <p class="hint" id=hint_id.clone()>{text}</p> })}
            <FieldError field form />
            <div class="date-parts">{inputs}</div>
        </fieldset>
    }
    .into_any()
}

/// What an input of text is made of.
struct TextInput {
    id: String,
    name: String,
    input_type: &'static str,
    autocomplete: &'static str,
    inputmode: &'static str,
    maxlength: Option<&'static str>,
    described_by: String,
    form: FormState,
    /// Whose error marks the input invalid.
    field: Field,
    value: RwSignal<String>,
    /// Told after each change of the value.
    changed: Callback<()>,
}

/// The one input every text field and date part is: one view type in the download
/// however many kinds of field use it.
fn text_input(input: TextInput) -> AnyView {
    let TextInput {
        id,
        name,
        input_type,
        autocomplete,
        inputmode,
        maxlength,
        described_by,
        form,
        field,
        value,
        changed,
    } = input;
    view! {
        <input
            id=id
            name=name
            type=input_type
            autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
            inputmode=(!inputmode.is_empty()).then_some(inputmode)
            maxlength=maxlength
            aria-invalid=move || form.error(field).is_some().to_string()
            aria-describedby=described_by
            prop:value=move || value.get()
            on:input=move |ev| {
                value.set(event_target_value(&ev));
                changed.run(());
            }
        />
    }
    .into_any()
}

/// A dropdown filled from reference data.
#[component]
pub fn SelectField(
    field: Field,
    value: RwSignal<String>,
    form: FormState,
    options: Vec<ReferenceOption>,
    #[prop(optional)] autocomplete: &'static str,
) -> impl IntoView {
    let id = field.as_str();
    view! {
        <div class="field" class:has-error=move || form.error(field).is_some()>
            <label for=id>{t(Phrase::label(field))}</label>
            <FieldError field form />
            <select
                id=id
                name=id
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                aria-invalid=move || form.error(field).is_some().to_string()
                aria-describedby=describe(id, false)
                prop:value=move || value.get()
                on:change=move |ev| {
                    value.set(event_target_value(&ev));
                    form.recheck_if_shown(field);
                }
            >
                <option value="" selected=move || value.with(String::is_empty)>{t(Phrase::Choose)}</option>
                {options
                    .into_iter()
                    .map(|o| {
                        let code = o.code.clone();
                        view! { <option value=o.code selected=move || value.with(|v| *v == code)>{o.label}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
    .into_any()
}

/// A field's error message. Always present (empty without an error) so that screen
/// readers announce the message when it appears.
#[component]
fn FieldError(field: Field, form: FormState) -> impl IntoView {
    view! {
        <p class="field-error" id=format!("{}-error", field.as_str()) aria-live="polite">
            {move || form.error(field).map(|e| view! { <span class="visually-hidden">{t(Phrase::ErrorPrefix)} " "</span> {form.message(e)} })}
        </p>
    }
}

fn describe(id: &str, with_hint: bool) -> String {
    if with_hint {
        format!("{id}-hint {id}-error")
    } else {
        format!("{id}-error")
    }
}

/// The list of a submit's errors, each linking to its field; it takes focus when it appears
/// so keyboard and screen-reader users land on it.
#[component]
pub fn ErrorSummary(form: FormState) -> impl IntoView {
    let summary = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if !form.summary.with(Vec::is_empty) {
            if let Some(element) = summary.get() {
                let _ = element.focus();
            }
        }
    });
    view! {
        <div class="error-summary" role="alert" tabindex="-1" node_ref=summary hidden=move || form.summary.with(Vec::is_empty)>
            <h3>{t(Phrase::ThereIsAProblem)}</h3>
            <ul>
                {move || {
                    form.summary
                        .get()
                        .into_iter()
                        .map(|e| {
                            let target = e.field.as_str();
                            view! {
                                <li>
                                    <a
                                        href=format!("#{target}")
                                        on:click=move |ev| {
                                            ev.prevent_default();
                                            focus_by_id(target);
                                        }
                                    >
                                        {t(Phrase::label(e.field))}
                                        ": "
                                        {form.message(e.error)}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// Moves focus to the element with this id (a summary link to its field).
pub fn focus_by_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// A stage's heading. When the customer arrives at a new stage it takes focus, so
/// screen readers announce where they are and the keyboard starts from the top.
#[component]
pub fn StageHeading(#[prop(into)] text: String, focus: bool) -> impl IntoView {
    let heading = NodeRef::<html::H2>::new();
    Effect::new(move |_| {
        if let (true, Some(element)) = (focus, heading.get()) {
            let _ = element.focus();
        }
    });
    view! { <h2 class="stage-heading" tabindex="-1" node_ref=heading>{text}</h2> }
}

/// The submit button: disabled, and saying so, while its request is being sent.
#[component]
pub fn SubmitButton(
    #[prop(into)] label: String,
    busy: Signal<bool>,
    #[prop(default = "submit")] id: &'static str,
) -> impl IntoView {
    view! {
        <button type="submit" id=id class="primary" disabled=move || busy.get() aria-disabled=move || busy.get().to_string()>
            {move || if busy.get() { t(Phrase::Sending).to_owned() } else { label.clone() }}
        </button>
    }
}

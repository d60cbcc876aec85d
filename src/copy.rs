//! The words the customer reads that are the widget's own (field rules' messages live in
//! the core crate, so the BFF reports the same ones).

use onboarding_core::api::ErrorCode;
use onboarding_core::{DeclineReason, Field};

/// The label of a field.
pub fn label(field: Field) -> &'static str {
    match field {
        Field::Title => "Title",
        Field::GivenName => "Given name",
        Field::Surname => "Surname",
        Field::DateOfBirth => "Date of birth",
        Field::MobileNumber => "Mobile number",
        Field::Email => "E-mail address",
        Field::TermsConsent => "Terms and Conditions",
        Field::IdType => "ID type",
        Field::IdNumber => "ID number",
        Field::AddressLine1 => "Address line 1",
        Field::AddressLine2 => "Address line 2 (optional)",
        Field::PostalCode => "Postal code",
        Field::Country => "Country",
        Field::YearsAtAddress => "Years at this address",
        Field::EmploymentStatus => "Employment status",
        Field::Occupation => "Occupation",
        Field::Industry => "Industry",
        Field::EmployerName => "Employer or business name",
        Field::AnnualIncome => "Annual income",
        Field::Education => "Highest education",
        Field::ResidenceType => "Residence type",
    }
}

/// What the customer is told when a request fails, and whether "Try again" is offered.
pub fn problem(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::BankUnavailable => "The bank isn't answering right now. What you entered is saved: try again in a moment.",
        ErrorCode::DecisionPending => "The bank is still checking your application. What you entered is saved: try again in a moment.",
        ErrorCode::RequestInProgress => "We're still working on your last request. Try again in a moment.",
        ErrorCode::DetailsRejected => "The bank couldn't accept some of your details. Please check them and submit again.",
        ErrorCode::AlreadyDecided => "The bank has already decided on this application and will tell you the result by SMS.",
        ErrorCode::OfferExpired => "Sorry, this card offer has ended, so the application can't continue.",
        ErrorCode::OfferNotFound => "Sorry, that offer isn't available any more. You can choose another one, or go back without it.",
        ErrorCode::SessionRequired => "Your session has ended. Start again to apply.",
        ErrorCode::InvalidInput => "Some details need your attention.",
        ErrorCode::UnknownPartner => "This link to the card application doesn't work. Go back to the website you came from and try again.",
        ErrorCode::TooManyRequests => "Too many requests came from your connection just now. What you entered is kept: wait a minute, then try again.",
        ErrorCode::ForbiddenOrigin => "For your security, this request was refused. Reload the page and try again.",
        ErrorCode::Internal => "Something went wrong on our side. What you entered is saved: try again in a moment.",
        _ => "Something went wrong. Try again in a moment.",
    }
}

/// When the service could not be reached at all.
pub const NETWORK_PROBLEM: &str = "We can't reach the card application service. Check your connection; what you entered is kept, so try again when you're back online.";

/// The way out before a decision, followed by the partner's name (hence the final space).
pub const LEAVE: &str = "Leave and go back to ";

/// When "Accept this offer" is pressed with no offer chosen.
pub const CHOOSE_AN_OFFER: &str = "Choose the offer you'd like to accept.";

/// A reason for a decline, in plain words; `partner` is the name of the partner whose
/// provider checks the customer's identity.
pub fn decline_reason(reason: DeclineReason, partner: &str) -> String {
    match reason {
        DeclineReason::InsufficientIncome => "Your income is below what the bank needs for this card.".to_owned(),
        DeclineReason::DelinquentCredit => "Your credit report shows payments on other credit that are late or were missed.".to_owned(),
        DeclineReason::CreditFreeze => "Your credit report is frozen, so it couldn't be checked. You can lift the freeze with the credit bureau and apply again.".to_owned(),
        DeclineReason::IdentityNotVerified => format!("Your identity check with {partner} isn't complete yet."),
    }
}

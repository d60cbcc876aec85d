//! Every phrase the customer reads, in every language of the markets.
//!
//! The widget never holds the words themselves: the BFF writes the customer's language's
//! catalog ([`catalog`]) into the widget's page, and the widget looks phrases up by
//! position. So the download carries no language at all, and a language costs only its own
//! catalog on the page that uses it. English is the source; each other language is a
//! `match` over [`Phrase`] in its own file, so the compiler refuses a missing phrase and a
//! test refuses a translation whose placeholders differ from the English. Translators get
//! and return the words as gettext PO files: `cargo xtask phrases export|import`
//! (docs/translations.md), whose import rewrites those matches.

mod arabic;
mod chinese;
mod indonesian;
mod malay;
mod polish;
mod russian;
mod thai;
mod vietnamese;

use crate::api::ErrorCode;
use crate::{DeclineReason, Field, Language, Stage, ValidationError};

/// Declares the phrases in catalog order with their English words, once.
macro_rules! phrases {
    ($($name:ident => $english:literal,)*) => {
        /// A phrase the customer reads. Placeholders in braces (`{partner}`) are filled by
        /// [`fill`]; every language has the same ones.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u16)]
        pub enum Phrase {
            $($name,)*
        }

        impl Phrase {
            /// Every phrase, in catalog order (the order of declaration).
            pub const ALL: &'static [Self] = &[$(Self::$name,)*];

            /// The English words, the source every translation is made from.
            pub const fn english(self) -> &'static str {
                match self {
                    $(Self::$name => $english,)*
                }
            }
        }
    };
}

phrases! {
    // The page and the journey around the stages.
    ApplicationHeading => "Credit card application",
    Loading => "Loading the application…",
    ApplicationReference => "Application reference:",
    TryAgain => "Try again",
    StartAgain => "Start again",
    Leave => "Leave and go back to {partner}",
    SaveAndExit => "Save and exit",
    BackTo => "Back to {partner}",
    NoThanksBackTo => "No thanks, back to {partner}",
    Sending => "Sending…",
    ProgressLabel => "Application progress",
    StepOf => "Step {step} of {count}",
    ApplicationComplete => "Application complete",
    Completed => "Completed:",
    NotKeptHere => "Your browser doesn't let us keep your application on this page. If you reload or leave it before you finish, you'll need to start again.",

    // Stage headings, introductions and buttons.
    AboutYouTitle => "About you",
    IdentityTitle => "Identity and address",
    FinancesTitle => "Income and work",
    ResultTitle => "Your result",
    AboutYouIntro => "Tell us about yourself. Applying takes about 5 minutes.",
    LeadIntro => "Leave your details with the bank. It takes a minute, and the bank takes your application on from there.",
    IdentityIntro => "The bank uses your ID and address to confirm who you are.",
    FinancesIntro => "Last step. When you submit, the bank checks your application and answers straight away.",
    Continue => "Continue",
    SubmitApplication => "Submit application",
    SendDetails => "Send my details to the bank",

    // Fields.
    TitleLabel => "Title",
    GivenNameLabel => "Given name",
    SurnameLabel => "Surname",
    DateOfBirthLabel => "Date of birth",
    DayLabel => "Day",
    MonthLabel => "Month",
    YearLabel => "Year",
    MobileNumberLabel => "Mobile number",
    EmailLabel => "E-mail address",
    TermsLabel => "Terms and Conditions",
    IdTypeLabel => "ID type",
    IdNumberLabel => "ID number",
    AddressLine1Label => "Address line 1",
    AddressLine2Label => "Address line 2 (optional)",
    PostalCodeLabel => "Postal code",
    CountryLabel => "Country",
    YearsAtAddressLabel => "Years at this address",
    EmploymentStatusLabel => "Employment status",
    OccupationLabel => "Occupation",
    IndustryLabel => "Industry",
    EmployerNameLabel => "Employer or business name",
    AnnualIncomeLabel => "Annual income",
    EducationLabel => "Highest education",
    ResidenceTypeLabel => "Residence type",
    Choose => "Choose…",
    AgeHint => "You must be {age} or older to apply.",
    MobileHint => "For example {example}. The bank texts you about your application.",
    IdNumberHint => "As printed on your ID.",
    EmployerHint => "Not needed if you are retired, a student or not employed.",
    IncomeHint => "Your yearly income before tax, in numbers only.",
    YearsHint => "Whole years; enter 0 if less than a year.",
    ReadTerms => "Read the Terms and Conditions",
    TermsVersion => "Version {version}",
    Consent => "I have read and accept the Terms and Conditions, and agree to share these details with the bank.",

    // What is wrong with a field.
    ErrorPrefix => "Error:",
    ThereIsAProblem => "There is a problem",
    Required => "This is required.",
    TooLong => "This is too long.",
    InvalidCharacters => "This contains characters we can't accept.",
    InvalidDate => "Enter a real date.",
    TooYoung => "You must be at least {age} years old to apply.",
    TooOld => "Check the year of birth.",
    InvalidMobileNumber => "Enter a mobile number like {example}.",
    InvalidEmail => "Enter an e-mail address like name@example.com.",
    InvalidIdFormat => "This doesn't look like a number of the ID type you chose.",
    InvalidCheckCharacter => "Check the ID number: its check digit or letter doesn't match.",
    InvalidPostalCode => "Check the postal code of the address.",
    InvalidPostalCodeLike => "Enter the postal code of the address, for example {example}.",
    OutOfRange => "Enter a number between 0 and 99.",
    InvalidAmount => "Enter an amount greater than 0, in numbers only.",
    TooManyDecimals => "Use at most 2 decimal places.",
    UnknownOption => "Choose one of the options.",
    ConsentRequired => "Read and accept the Terms and Conditions to continue.",

    // What went wrong with a request.
    BankUnavailable => "The bank isn't answering right now. What you entered is saved: try again in a moment.",
    DecisionPending => "The bank is still checking your application. What you entered is saved: try again in a moment.",
    RequestInProgress => "We're still working on your last request. Try again in a moment.",
    DetailsRejected => "The bank couldn't accept some of your details. Please check them and submit again.",
    AlreadyDecided => "The bank has already decided on this application and will tell you the result by SMS.",
    OfferExpired => "Sorry, this card offer has ended, so the application can't continue.",
    OfferNotFound => "Sorry, that offer isn't available any more. You can choose another one, or go back without it.",
    SessionRequired => "Your session has ended. Start again to apply.",
    InvalidInput => "Some details need your attention.",
    UnknownPartner => "This link to the card application doesn't work. Go back to the website you came from and try again.",
    TooManyRequests => "Too many requests came from your connection just now. What you entered is kept: wait a minute, then try again.",
    ForbiddenOrigin => "For your security, this request was refused. Reload the page and try again.",
    Internal => "Something went wrong on our side. What you entered is saved: try again in a moment.",
    SomethingWentWrong => "Something went wrong. Try again in a moment.",
    NetworkProblem => "We can't reach the card application service. Check your connection; what you entered is kept, so try again when you're back online.",

    // The decision.
    Approved => "You're approved in principle",
    ApprovedForCard => "You're approved in principle for the {card}",
    ApprovedWithLimit => "The bank has approved your application in principle with a credit limit of",
    ValidUntil => "This approval is valid until {date}.",
    ApprovedNext => "The bank will send you an SMS with the next steps. It may ask for documents before it confirms the limit and sends your card.",
    AlsoAvailable => "Also available to you",
    OfferAdded => "Added: the bank will include {card} when it confirms your application.",
    AddCard => "Add {card}",
    CreditLimit => "Credit limit {limit}",
    CounterOffered => "We can offer you a different card",
    CounterOfferedBody => "The bank can't approve the card you applied for, but it can offer you one of these instead.",
    ChooseAnOffer => "Choose an offer",
    ChooseAnOfferError => "Choose the offer you'd like to accept.",
    AcceptOffer => "Accept this offer",
    Referred => "Your application is being reviewed",
    ReferredBody => "The bank needs to look at your application more closely before it can decide, so it can't give an instant answer this time.",
    ReferredNext => "A member of the bank's team will review it, usually within 3 working days, and contact you by SMS or e-mail. They may ask you for documents such as payslips.",
    UnderReview => "Your application is under review",
    UnderReviewBody => "The bank has your complete application. A member of its team is checking it by hand, so there's no instant answer this time.",
    UnderReviewNext => "The bank will contact you by SMS or e-mail, usually within 5 working days. It may ask you to send documents, such as payslips or proof of address, before it decides.",
    Declined => "We're sorry",
    DeclinedBody => "The bank can't offer you this card at the moment. This decision is based on the details you gave and the bank's lending criteria.",
    DeclineReasons => "The main reasons:",
    InsufficientIncome => "Your income is below what the bank needs for this card.",
    DelinquentCredit => "Your credit report shows payments on other credit that are late or were missed.",
    CreditFreeze => "Your credit report is frozen, so it couldn't be checked. You can lift the freeze with the credit bureau and apply again.",
    IdentityNotVerified => "Your identity check with {partner} isn't complete yet.",
    DeclinedNext => "The bank will send you a message confirming the decision. You're welcome to apply again if your circumstances change.",
    WhatHappensNext => "What happens next",

    // A lead sent, or an application saved for later.
    LeadReceived => "The bank has your details",
    Saved => "Your application is saved",
    ContinueOnline => "The bank has sent you an SMS with your reference number and a link to continue your application on its website.",
    RepresentativeCalls => "A representative of the bank will call you soon to help you complete your application.",
    BankWillWrite => "The bank will send you an SMS with your reference number and the next steps.",

    // The page around the widget, written by the BFF.
    NeedsJavaScript => "The card application needs JavaScript to run. Turn it on in your browser, then reload this page.",
    Busy => "The card application is busy: too many requests came from here in the last minute. Try again in a minute.",

    // The Terms and Conditions, written by the BFF into the journey.
    TermsTitle => "Terms and Conditions of the card application",
    TermsAssessment => "By applying, you ask the bank to consider you for the credit card offered on this page and agree that the bank may use the details you give here to assess your application.",
    TermsChecks => "You allow the bank to check your identity and your credit history with credit bureaus and screening services in the country you apply in, and to keep the results with your application.",
    TermsPartner => "The partner website you came from does not see the details you enter, only whether your application was approved, referred or declined, and its reference number.",
    TermsInPrinciple => "An in-principle approval is not a final approval. The bank may ask for documents and confirm the credit limit after checking them. The in-principle approval lapses on the date shown.",
    TermsRecords => "The bank keeps your application and this consent as the law requires, and you may ask the bank for a copy of the personal data it holds about you.",
}

impl Phrase {
    /// The words of this phrase in `language`.
    pub fn in_language(self, language: Language) -> &'static str {
        match language {
            Language::English => self.english(),
            Language::TraditionalChinese => chinese::phrase(self),
            Language::Thai => thai::phrase(self),
            Language::Vietnamese => vietnamese::phrase(self),
            Language::Indonesian => indonesian::phrase(self),
            Language::Malay => malay::phrase(self),
            Language::Polish => polish::phrase(self),
            Language::Russian => russian::phrase(self),
            Language::Arabic => arabic::phrase(self),
        }
    }

    /// The label of a field.
    pub const fn label(field: Field) -> Self {
        match field {
            Field::Title => Self::TitleLabel,
            Field::GivenName => Self::GivenNameLabel,
            Field::Surname => Self::SurnameLabel,
            Field::DateOfBirth => Self::DateOfBirthLabel,
            Field::MobileNumber => Self::MobileNumberLabel,
            Field::Email => Self::EmailLabel,
            Field::TermsConsent => Self::TermsLabel,
            Field::IdType => Self::IdTypeLabel,
            Field::IdNumber => Self::IdNumberLabel,
            Field::AddressLine1 => Self::AddressLine1Label,
            Field::AddressLine2 => Self::AddressLine2Label,
            Field::PostalCode => Self::PostalCodeLabel,
            Field::Country => Self::CountryLabel,
            Field::YearsAtAddress => Self::YearsAtAddressLabel,
            Field::EmploymentStatus => Self::EmploymentStatusLabel,
            Field::Occupation => Self::OccupationLabel,
            Field::Industry => Self::IndustryLabel,
            Field::EmployerName => Self::EmployerNameLabel,
            Field::AnnualIncome => Self::AnnualIncomeLabel,
            Field::Education => Self::EducationLabel,
            Field::ResidenceType => Self::ResidenceTypeLabel,
        }
    }

    /// A stage's heading.
    pub const fn title(stage: Stage) -> Self {
        match stage {
            Stage::AboutYou => Self::AboutYouTitle,
            Stage::Identity => Self::IdentityTitle,
            Stage::Finances => Self::FinancesTitle,
            Stage::Result => Self::ResultTitle,
        }
    }

    /// What the customer is told when a request fails with `code`.
    pub const fn problem(code: ErrorCode) -> Self {
        match code {
            ErrorCode::BankUnavailable => Self::BankUnavailable,
            ErrorCode::DecisionPending => Self::DecisionPending,
            ErrorCode::RequestInProgress => Self::RequestInProgress,
            ErrorCode::DetailsRejected => Self::DetailsRejected,
            ErrorCode::AlreadyDecided => Self::AlreadyDecided,
            ErrorCode::OfferExpired => Self::OfferExpired,
            ErrorCode::OfferNotFound => Self::OfferNotFound,
            ErrorCode::SessionRequired => Self::SessionRequired,
            ErrorCode::InvalidInput => Self::InvalidInput,
            ErrorCode::UnknownPartner => Self::UnknownPartner,
            ErrorCode::TooManyRequests => Self::TooManyRequests,
            ErrorCode::ForbiddenOrigin => Self::ForbiddenOrigin,
            ErrorCode::Internal => Self::Internal,
            _ => Self::SomethingWentWrong,
        }
    }

    /// A reason for a decline, in plain words (`{partner}` where the partner's provider
    /// checks the customer's identity).
    pub const fn decline_reason(reason: DeclineReason) -> Self {
        match reason {
            DeclineReason::InsufficientIncome => Self::InsufficientIncome,
            DeclineReason::DelinquentCredit => Self::DelinquentCredit,
            DeclineReason::CreditFreeze => Self::CreditFreeze,
            DeclineReason::IdentityNotVerified => Self::IdentityNotVerified,
        }
    }

    /// What the customer is told of a field's error; the market's specifics (its minimum
    /// age, an example mobile number or postal code) are the placeholders' values.
    pub const fn error(error: ValidationError, has_postal_code: bool) -> Self {
        match error {
            ValidationError::Required => Self::Required,
            ValidationError::TooLong => Self::TooLong,
            ValidationError::InvalidCharacters => Self::InvalidCharacters,
            ValidationError::InvalidDate => Self::InvalidDate,
            ValidationError::TooYoung => Self::TooYoung,
            ValidationError::TooOld => Self::TooOld,
            ValidationError::InvalidMobileNumber => Self::InvalidMobileNumber,
            ValidationError::InvalidEmail => Self::InvalidEmail,
            ValidationError::InvalidIdFormat => Self::InvalidIdFormat,
            ValidationError::InvalidCheckCharacter => Self::InvalidCheckCharacter,
            // An address abroad has its own rule, so an example is only given at home.
            ValidationError::InvalidPostalCode if has_postal_code => Self::InvalidPostalCodeLike,
            ValidationError::InvalidPostalCode => Self::InvalidPostalCode,
            ValidationError::OutOfRange => Self::OutOfRange,
            ValidationError::InvalidAmount => Self::InvalidAmount,
            ValidationError::TooManyDecimals => Self::TooManyDecimals,
            ValidationError::UnknownOption => Self::UnknownOption,
            ValidationError::ConsentRequired => Self::ConsentRequired,
        }
    }

    /// The placeholders of the English words, in order (`["partner"]` for `Leave`).
    pub fn placeholders(text: &str) -> Vec<&str> {
        let mut names = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            names.push(&rest[open + 1..open + close]);
            rest = &rest[open + close + 1..];
        }
        names
    }
}

/// `text` with each `{name}` replaced by its value; an unknown name is left as written.
/// One pass by character: substring search would add its own code to the widget.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut filled = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            rest = &rest[open..];
            break;
        };
        let name = &after[..close];
        match values.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => filled.push_str(value),
            None => filled.push_str(&rest[open..open + close + 2]),
        }
        rest = &after[close + 1..];
    }
    filled.push_str(rest);
    filled
}

/// `language`'s words of every phrase, in catalog order: what the widget's page carries.
pub fn catalog(language: Language) -> Vec<&'static str> {
    Phrase::ALL
        .iter()
        .map(|p| p.in_language(language))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_order_is_the_order_of_declaration() {
        for (position, phrase) in Phrase::ALL.iter().enumerate() {
            assert_eq!(*phrase as usize, position, "{phrase:?}");
        }
    }

    #[test]
    fn every_translation_has_the_english_placeholders_and_no_empty_phrase() {
        for language in Language::ALL {
            for phrase in Phrase::ALL {
                let words = phrase.in_language(language);
                assert!(!words.trim().is_empty(), "{language:?} {phrase:?} is empty");
                let mut theirs = Phrase::placeholders(words);
                let mut ours = Phrase::placeholders(phrase.english());
                theirs.sort_unstable();
                ours.sort_unstable();
                assert_eq!(theirs, ours, "{language:?} {phrase:?}: {words}");
            }
        }
    }

    #[test]
    fn translations_are_translated() {
        // A phrase left in English is a phrase missed; these are the same in every language.
        let same_everywhere = [Phrase::InvalidEmail];
        for language in Language::ALL {
            if language == Language::English {
                continue;
            }
            let untranslated: Vec<_> = Phrase::ALL
                .iter()
                .filter(|p| !same_everywhere.contains(p))
                .filter(|p| p.in_language(language) == p.english() && p.english().len() > 12)
                .collect();
            assert!(untranslated.is_empty(), "{language:?}: {untranslated:?}");
        }
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(
            fill(Phrase::StepOf.english(), &[("count", "3"), ("step", "1")]),
            "Step 1 of 3"
        );
        assert_eq!(fill("{a} {b} {a}{", &[("a", "1")]), "1 {b} 1{");
        assert_eq!(Phrase::placeholders("{a} and {b}"), ["a", "b"]);
    }
}

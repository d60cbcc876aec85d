//! The bank's messages to customers. The bank, not the partner, tells a customer that their
//! application or lead was received and, later, each change of its status: by SMS, and by
//! e-mail too where the customer gave an address, in the customer's language, with the
//! reference number and the market's way to carry on. The sandbox keeps them in an outbox
//! instead of sending them: `GET /sandbox/notifications` serves it to tests and
//! `GET /sandbox/notifications/page` to people watching a demo.

pub mod page;
mod wording;

use crate::clock::timestamp_utc;
use crate::error::BankError;
use crate::languages::Translated;
use crate::lock::lock;
use crate::markets::{FollowUp, Market};
use axum::extract::{Query, State};
use axum::Json;
use bank_api::{ApplicationStage, Email, Language, Name, Phone};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// What a message tells the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Event {
    /// The application was created, or the prospect recorded.
    Acknowledgement,
    /// The application was approved in principle.
    Approved,
    /// The application was referred to the bank's underwriters, or submitted to them.
    UnderReview,
    /// The application was declined.
    Declined,
    /// The customer saved the application to continue later (inferred `saveForLater`).
    Saved,
}

impl Event {
    /// The news a new stage is to the customer; `None` for stages they are not told about,
    /// because the partner's journey is still under way (screening, counter-offers, the
    /// full submission the bank waits for).
    pub fn of_stage(stage: ApplicationStage) -> Option<Self> {
        use ApplicationStage::*;
        match stage {
            Approval => Some(Self::Approved),
            ManualReview | Submitted => Some(Self::UnderReview),
            Rejected => Some(Self::Declined),
            BasicDetails | InProgress | BackgroundScreening | CounterOffer | AwaitingSubmission => {
                None
            }
        }
    }
}

/// How a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Channel {
    /// A text message to the customer's mobile.
    Sms,
    /// An e-mail, only where the customer gave an address.
    Email,
}

/// What the reference number names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An application (APAC or EMEA).
    Application,
    /// A prospect: a lead the bank's representatives follow up.
    Prospect,
}

/// One message in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// When the bank sent it, in UTC (`YYYY-MM-DDTHH:MM:SSZ`).
    pub sent_at: String,
    /// The application id or prospect id it is about.
    pub reference: String,
    /// The market of the application or prospect.
    pub market: Market,
    /// SMS or e-mail.
    pub channel: Channel,
    /// The phone number (`+65 91234567`) or e-mail address, as the customer gave it.
    pub to: String,
    /// The customer's name, as they typed it.
    pub recipient: String,
    /// What the message tells.
    pub event: Event,
    /// The language it is written in.
    pub language: Language,
    /// The e-mail's subject; an SMS has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The message.
    pub text: String,
    /// The link to continue online, also in the text; only where the market has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The messages sent to customers, oldest first: the bank's outbox, which the sandbox keeps
/// instead of sending them.
#[derive(Clone, Default)]
pub struct Outbox {
    messages: Arc<Mutex<Vec<Notification>>>,
}

impl Outbox {
    /// Puts messages in the outbox. Callers may hold the applications' or prospects' lock:
    /// the outbox's is always taken after those, never before.
    pub fn put(&self, messages: Vec<Notification>) {
        lock(&self.messages).extend(messages);
    }

    /// The messages sent, oldest first; only those about `reference` when one is given.
    pub fn messages(&self, reference: Option<&str>) -> Vec<Notification> {
        lock(&self.messages)
            .iter()
            .filter(|n| reference.is_none_or(|r| n.reference == r))
            .cloned()
            .collect()
    }
}

/// The customer a message goes to and the application or prospect it is about.
#[derive(Debug, Clone, Copy)]
pub struct Customer<'a> {
    /// Where the customer applied.
    pub market: Market,
    /// The language they asked for when they applied.
    pub language: Language,
    /// Whether the reference is an application's or a prospect's.
    pub kind: Kind,
    /// The application id or prospect id.
    pub reference: &'a str,
    /// The customer's name, for the outbox's record of who was written to.
    pub name: Option<&'a Name>,
    /// Phone numbers; the SMS goes to the first mobile, else the first number.
    pub phones: &'a [Phone],
    /// E-mail addresses; the e-mail goes to the first.
    pub emails: &'a [Email],
}

/// The link to continue on the bank's online channel, for the markets that have one.
pub fn continue_link(market: Market, reference: &str) -> Option<String> {
    (market.follow_up() == FollowUp::ContinueOnline).then(|| {
        format!(
            "https://online.bank.example/{}/continue?ref={reference}",
            market.code().to_ascii_lowercase()
        )
    })
}

/// The messages of `event`: an SMS, and an e-mail when the customer gave an address.
pub fn compose(customer: &Customer<'_>, event: Event, sent_at: &str) -> Vec<Notification> {
    let language = customer.language;
    let say = |phrase: &Translated| phrase.get(language);
    let opening = match (event, customer.kind) {
        (Event::Acknowledgement, Kind::Application) => &wording::APPLICATION_RECEIVED,
        (Event::Acknowledgement, Kind::Prospect) => &wording::PROSPECT_RECEIVED,
        (Event::Saved, _) => &wording::APPLICATION_SAVED,
        _ => &wording::STATUS_CHANGED,
    };
    let status = match event {
        Event::Acknowledgement => &wording::RECEIVED,
        Event::Approved => &wording::APPROVED,
        Event::UnderReview => &wording::UNDER_REVIEW,
        Event::Declined => &wording::DECLINED,
        Event::Saved => &wording::SAVED,
    };
    // A declined customer has nothing to continue.
    let link = (event != Event::Declined)
        .then(|| continue_link(customer.market, customer.reference))
        .flatten();
    let last = match (event, customer.market.follow_up()) {
        (Event::Declined, _) => Some(say(&wording::DECLINED_NOTE).to_owned()),
        (_, FollowUp::ContinueOnline) => link
            .as_deref()
            .map(|link| say(&wording::CONTINUE_ONLINE).replace("{link}", link)),
        (_, FollowUp::RepresentativeCalls) => {
            Some(say(&wording::REPRESENTATIVE_WILL_CALL).to_owned())
        }
        (_, FollowUp::Neither) => None,
    };
    let text = [
        Some(say(opening).to_owned()),
        Some(say(&wording::REFERENCE).replace("{reference}", customer.reference)),
        Some(say(&wording::STATUS).replace("{status}", say(status))),
        last,
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(say(&wording::SENTENCE_GAP));
    let subject = match customer.kind {
        Kind::Application => &wording::APPLICATION_SUBJECT,
        Kind::Prospect => &wording::PROSPECT_SUBJECT,
    };

    let recipient = customer
        .name
        .map(|n| {
            [Some(n.given_name.as_str()), n.surname.as_deref()]
                .into_iter()
                .flatten()
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let message = |channel, to: String, subject: Option<String>| Notification {
        sent_at: sent_at.to_owned(),
        reference: customer.reference.to_owned(),
        market: customer.market,
        channel,
        to,
        recipient: recipient.clone(),
        event,
        language,
        subject,
        text: text.clone(),
        link: link.clone(),
    };
    let mobile = customer
        .phones
        .iter()
        .find(|p| p.phone_type.to_ascii_uppercase().contains("MOBILE"))
        .or_else(|| customer.phones.first());
    let sms = mobile.map(|phone| {
        let to = format!(
            "+{} {}",
            phone.phone_country_code.trim().trim_start_matches('+'),
            phone.phone_number.trim()
        );
        message(Channel::Sms, to, None)
    });
    let email = customer.emails.first().map(|email| {
        let subject = say(subject).replace("{reference}", customer.reference);
        message(
            Channel::Email,
            email.email_address.trim().to_owned(),
            Some(subject),
        )
    });
    sms.into_iter().chain(email).collect()
}

/// Sends the messages of `event` to the customer, that is, puts them in the outbox.
pub fn send(outbox: &Outbox, customer: &Customer<'_>, event: Event) {
    let messages = compose(customer, event, &timestamp_utc());
    // Only the reference and what was sent: the addresses are the customer's.
    tracing::info!(
        reference = customer.reference,
        ?event,
        messages = messages.len(),
        "customer notified"
    );
    outbox.put(messages);
}

/// The outbox's filter: `?reference=` keeps the messages about one application or prospect.
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    /// An application id or prospect id.
    reference: Option<String>,
}

/// `GET /sandbox/notifications`: the outbox as JSON, newest last.
pub async fn list(
    State(outbox): State<Outbox>,
    filter: Result<Query<Filter>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<Notification>>, BankError> {
    let Query(filter) = filter?;
    Ok(Json(outbox.messages(filter.reference.as_deref())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(kind: &str, number: &str) -> Phone {
        Phone {
            phone_type: kind.into(),
            phone_country_code: "65".into(),
            phone_number: number.into(),
        }
    }

    fn customer<'a>(
        market: Market,
        language: Language,
        kind: Kind,
        phones: &'a [Phone],
        emails: &'a [Email],
    ) -> Customer<'a> {
        Customer {
            market,
            language,
            kind,
            reference: "123456789012",
            name: None,
            phones,
            emails,
        }
    }

    #[test]
    fn every_phrase_is_written_in_every_language_with_its_placeholders() {
        for (name, phrase) in wording::ALL {
            let english = phrase.get(Language::English);
            for language in Language::ALL {
                let text = phrase.get(language);
                if name != "SENTENCE_GAP" {
                    assert!(
                        !text.is_empty() && text.trim() == text,
                        "{name} {language:?}"
                    );
                }
                for placeholder in ["{reference}", "{status}", "{link}"] {
                    assert_eq!(
                        text.matches(placeholder).count(),
                        usize::from(english.contains(placeholder)),
                        "{name} {language:?}: {text}"
                    );
                }
                if english.contains("{link}") {
                    assert!(text.ends_with("{link}"), "{name} {language:?}: {text}");
                }
            }
        }
    }

    #[test]
    fn an_acknowledgement_in_singapore_links_to_the_online_channel() {
        let phones = [phone("HOME", "61234567"), phone("MOBILE", "91234567")];
        let emails = [Email {
            email_address: "mei.ling@example.com".into(),
        }];
        let customer = customer(
            Market::Singapore,
            Language::English,
            Kind::Application,
            &phones,
            &emails,
        );
        let sent = compose(&customer, Event::Acknowledgement, "2026-03-02T11:34:56Z");
        assert_eq!(sent.len(), 2);
        let link = "https://online.bank.example/sg/continue?ref=123456789012";
        assert_eq!(sent[0].channel, Channel::Sms);
        assert_eq!(
            sent[0].to, "+65 91234567",
            "the mobile, not the first phone"
        );
        assert_eq!(
            sent[0].text,
            format!(
                "Thank you. We have received your credit card application. \
                 Reference number: 123456789012. Status: Received. \
                 To continue your application online, go to {link}"
            )
        );
        assert_eq!(sent[0].link.as_deref(), Some(link));
        assert_eq!(sent[0].subject, None);
        assert_eq!(sent[1].channel, Channel::Email);
        assert_eq!(sent[1].to, "mei.ling@example.com");
        assert_eq!(
            sent[1].subject.as_deref(),
            Some("Your credit card application 123456789012")
        );
        assert_eq!(sent[1].text, sent[0].text);
    }

    #[test]
    fn without_an_email_address_only_an_sms_is_sent() {
        let phones = [phone("MOBILE", "91234567")];
        let customer = customer(
            Market::India,
            Language::English,
            Kind::Application,
            &phones,
            &[],
        );
        let sent = compose(&customer, Event::Approved, "t");
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].channel, Channel::Sms);
        // India has no online channel to continue on, and no calls from representatives.
        assert_eq!(sent[0].link, None);
        assert!(sent[0].text.ends_with("Status: Approved in principle."));
    }

    #[test]
    fn a_thai_prospect_is_told_in_thai_that_a_representative_will_call() {
        let phones = [phone("MOBILE", "812345678")];
        let customer = customer(
            Market::Thailand,
            Language::Thai,
            Kind::Prospect,
            &phones,
            &[],
        );
        let sent = compose(&customer, Event::Acknowledgement, "t");
        assert_eq!(
            sent[0].text,
            "ขอบคุณที่สนใจบัตรเครดิตของเรา เราได้รับข้อมูลของท่านแล้ว \
             หมายเลขอ้างอิง: 123456789012 สถานะ: ได้รับแล้ว \
             เจ้าหน้าที่ของเราจะติดต่อกลับทางโทรศัพท์เพื่อช่วยท่านดำเนินการสมัครให้เสร็จสมบูรณ์"
        );
        assert_eq!(sent[0].link, None);
    }

    #[test]
    fn chinese_sentences_follow_each_other_without_spaces() {
        let phones = [phone("MOBILE", "91234567")];
        let customer = customer(
            Market::HongKong,
            Language::TraditionalChinese,
            Kind::Application,
            &phones,
            &[],
        );
        let sent = compose(&customer, Event::UnderReview, "t");
        assert_eq!(
            sent[0].text,
            "閣下的信用卡申請狀態已更新。參考編號：123456789012。狀態：審核中。\
             如欲於網上繼續申請，請前往 https://online.bank.example/hk/continue?ref=123456789012"
        );
    }

    #[test]
    fn a_decline_offers_no_link_but_an_apology() {
        let phones = [phone("MOBILE", "91234567")];
        let customer = customer(
            Market::Singapore,
            Language::English,
            Kind::Application,
            &phones,
            &[],
        );
        let sent = compose(&customer, Event::Declined, "t");
        assert_eq!(sent[0].link, None);
        assert!(sent[0].text.contains("Status: Not approved."));
        assert!(sent[0]
            .text
            .ends_with("We are sorry that we cannot offer you the card at this time."));
    }

    #[test]
    fn stages_the_customer_is_told_about() {
        use ApplicationStage as stage;
        assert_eq!(Event::of_stage(stage::Approval), Some(Event::Approved));
        assert_eq!(
            Event::of_stage(stage::ManualReview),
            Some(Event::UnderReview)
        );
        assert_eq!(Event::of_stage(stage::Submitted), Some(Event::UnderReview));
        assert_eq!(Event::of_stage(stage::Rejected), Some(Event::Declined));
        for quiet in [
            stage::BasicDetails,
            stage::InProgress,
            stage::BackgroundScreening,
            stage::CounterOffer,
            stage::AwaitingSubmission,
        ] {
            assert_eq!(Event::of_stage(quiet), None, "{quiet:?}");
        }
    }

    #[test]
    fn the_outbox_filters_by_reference_and_keeps_the_order() {
        let outbox = Outbox::default();
        let message = |reference: &str, text: &str| Notification {
            sent_at: "2026-03-02T11:34:56Z".into(),
            reference: reference.into(),
            market: Market::Singapore,
            channel: Channel::Sms,
            to: "+65 91234567".into(),
            recipient: "Mei Ling Tan".into(),
            event: Event::Acknowledgement,
            language: Language::English,
            subject: None,
            text: text.into(),
            link: None,
        };
        outbox.put(vec![message("1", "a"), message("2", "b")]);
        outbox.put(vec![message("1", "c")]);
        let texts = |reference| -> Vec<String> {
            outbox
                .messages(reference)
                .into_iter()
                .map(|n| n.text)
                .collect()
        };
        assert_eq!(texts(None), ["a", "b", "c"]);
        assert_eq!(texts(Some("1")), ["a", "c"]);
        assert!(texts(Some("3")).is_empty());
    }
}

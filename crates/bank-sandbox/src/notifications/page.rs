//! The outbox as a page a person can open during a demo: a table of the messages, each one
//! marked with its language (and its direction, for Arabic) so that screen readers speak it
//! in the right voice and browsers lay it out right, and everything a customer typed
//! escaped, since names and addresses arrive from the partner's page unchecked.

use super::{Channel, Event, Filter, Notification, Outbox};
use crate::error::BankError;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

/// Where the page's stylesheet is served; the page allows no other style.
const STYLESHEET: &str = "/sandbox/notifications/page.css";
/// Nothing but the stylesheet: the page has no script, no image and no inline style.
const POLICY: &str =
    "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// `GET /sandbox/notifications/page`: the outbox as HTML, oldest first, optionally only the
/// messages about one `?reference=`.
pub async fn page(
    State(outbox): State<Outbox>,
    filter: Result<Query<Filter>, QueryRejection>,
) -> Result<Response, BankError> {
    let Query(filter) = filter?;
    let reference = filter.reference.as_deref();
    let html = render(&outbox.messages(reference), reference);
    Ok((
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CONTENT_SECURITY_POLICY, POLICY),
            (X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (REFERRER_POLICY, "no-referrer"),
            // A demo reloads the page to see new messages; an old copy would hide them.
            (CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response())
}

/// `GET /sandbox/notifications/page.css`: the page's only style.
pub async fn stylesheet() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        CSS,
    )
        .into_response()
}

const CSS: &str = "\
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; background: #fff; }
main { max-width: 80rem; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: start; font-weight: 600; padding: 0.5rem 0; }
th, td { border: 1px solid #767676; padding: 0.5rem; vertical-align: top; text-align: start; }
th { background: #f0f0f0; }
.subject { font-weight: 600; margin: 0 0 0.25rem; }
.text { margin: 0; }
a { color: #0645ad; }
a:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }
";

/// The whole page for these messages; `reference` is the filter, when there is one.
fn render(notifications: &[Notification], reference: Option<&str>) -> String {
    let mut html = String::new();
    let count = match notifications.len() {
        1 => "1 message".to_owned(),
        n => format!("{n} messages"),
    };
    let caption = match reference {
        Some(reference) => format!("{count} about {}", escape(reference)),
        None => count,
    };
    let _ = write!(
        html,
        "<!DOCTYPE html>\n\
         <html lang=\"en\">\n\
         <head>\n\
         <meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Messages to customers · bank sandbox</title>\n\
         <link rel=\"stylesheet\" href=\"{STYLESHEET}\">\n\
         </head>\n\
         <body>\n\
         <main>\n\
         <h1>Messages to customers</h1>\n\
         <p>The SMS and e-mails the bank sent about applications and prospects, oldest first. \
         They stay in the sandbox: nobody receives them. Reload the page to see new ones. \
         <a href=\"/sandbox/notifications\">The same as JSON</a>.</p>\n"
    );
    if reference.is_some() {
        html.push_str("<p><a href=\"/sandbox/notifications/page\">All messages</a></p>\n");
    }
    let _ = write!(
        html,
        "<table>\n\
         <caption>{caption}</caption>\n\
         <thead>\n\
         <tr><th scope=\"col\">Sent (UTC)</th><th scope=\"col\">Reference</th>\
         <th scope=\"col\">Market</th><th scope=\"col\">Event</th><th scope=\"col\">Channel</th>\
         <th scope=\"col\">To</th><th scope=\"col\">Message</th></tr>\n\
         </thead>\n\
         <tbody>\n"
    );
    if notifications.is_empty() {
        html.push_str("<tr><td colspan=\"7\">No message has been sent yet.</td></tr>\n");
    }
    for message in notifications {
        row(&mut html, message);
    }
    html.push_str("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
    html
}

fn row(html: &mut String, message: &Notification) {
    let language = message.language;
    // Right-to-left text in a left-to-right page needs its direction, or its full stops and
    // numbers land at the wrong end.
    let direction = if language.is_right_to_left() {
        " dir=\"rtl\""
    } else {
        ""
    };
    let event = match message.event {
        Event::Acknowledgement => "Acknowledgement",
        Event::Approved => "Approved",
        Event::UnderReview => "Under review",
        Event::Declined => "Declined",
        Event::Saved => "Saved for later",
    };
    let channel = match message.channel {
        Channel::Sms => "SMS",
        Channel::Email => "E-mail",
    };
    let subject = message
        .subject
        .as_deref()
        .map(|s| format!("<p class=\"subject\">{}</p>", escape(s)))
        .unwrap_or_default();
    let sent = escape(&message.sent_at);
    let reference = escape(&message.reference);
    let _ = writeln!(
        html,
        "<tr>\
         <td><time datetime=\"{sent}\">{}</time></td>\
         <td><a href=\"/sandbox/notifications/page?reference={}\">{reference}</a></td>\
         <td>{}</td><td>{event}</td><td>{channel}</td>\
         <td><bdi>{}</bdi><br><bdi>{}</bdi></td>\
         <td lang=\"{}\"{direction}>{subject}<p class=\"text\">{}</p></td>\
         </tr>",
        sent.replace('T', " ").trim_end_matches('Z'),
        query_value(&message.reference),
        message.market.code(),
        escape(&message.recipient),
        escape(&message.to),
        language.tag(),
        escape(&message.text),
    );
}

/// Text made safe for HTML content and double-quoted attribute values.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A query-string value: letters, digits and `-._~` as they are, every other byte
/// percent-encoded (references are digits today, but the page must not trust that).
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            b => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markets::Market;
    use bank_api::Language;

    fn message(language: Language, recipient: &str) -> Notification {
        Notification {
            sent_at: "2026-03-02T11:34:56Z".into(),
            reference: "123456789012".into(),
            market: Market::UnitedArabEmirates,
            channel: Channel::Email,
            to: "a&b@example.com".into(),
            recipient: recipient.into(),
            event: Event::Approved,
            language,
            subject: Some("طلب بطاقة الائتمان 123456789012".into()),
            text: "text".into(),
            link: None,
        }
    }

    #[test]
    fn what_customers_typed_is_escaped() {
        let html = render(
            &[message(Language::English, "<script>alert('x')</script>")],
            Some("<b>"),
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("a&amp;b@example.com"), "{html}");
        assert!(html.contains("1 message about &lt;b&gt;"), "{html}");
    }

    #[test]
    fn each_message_carries_its_language_and_arabic_its_direction() {
        let html = render(
            &[
                message(Language::Arabic, "Amal"),
                message(Language::TraditionalChinese, "Chan"),
            ],
            None,
        );
        assert!(html.contains("<td lang=\"ar\" dir=\"rtl\">"), "{html}");
        assert!(html.contains("<td lang=\"zh-Hant\">"), "{html}");
        assert!(html.contains("<caption>2 messages</caption>"), "{html}");
        assert!(html.contains("<th scope=\"col\">Message</th>"), "{html}");
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
            "{html}"
        );
    }

    #[test]
    fn an_empty_outbox_says_so() {
        let html = render(&[], None);
        assert!(html.contains("No message has been sent yet."), "{html}");
        assert!(html.contains("<caption>0 messages</caption>"), "{html}");
    }

    #[test]
    fn references_are_percent_encoded_in_links() {
        assert_eq!(query_value("PR0012345678"), "PR0012345678");
        assert_eq!(query_value("a b&c"), "a%20b%26c");
    }
}

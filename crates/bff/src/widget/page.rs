//! `GET /apply`: the widget's HTML for one placement, after checking the placement, in the
//! customer's language: `<html lang dir>` and that language's catalog of phrases, which the
//! widget reads (a `<script type="application/json">`, a data block no CSP directive runs).

use super::language::{any_language, page_language};
use crate::error::AppError;
use crate::journey::check_placement;
use crate::partners::Partners;
use crate::placements::{check_link, LinkError};
use crate::store::Store;
use crate::widget::CSP_REPORTS_PATH;
use axum::extract::{Query, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use onboarding_core::{phrase, Language, Phrase};
use rand::RngCore;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Stands in the page template where each response puts its own nonce.
const NONCE_SLOT: &str = "__CSP_NONCE__";
/// Stands in the page template for the `<html>` element's `lang` and `dir`.
const LANGUAGE_SLOT: &str = "__PAGE_LANGUAGE__";
/// Stands in the page template for the title and the catalog of phrases.
const HEAD_SLOT: &str = "__PAGE_HEAD__";
/// Stands in the page template for what a browser without JavaScript shows.
const NOSCRIPT_SLOT: &str = "__PAGE_NOSCRIPT__";
/// The page's icon: none, declared. Without a declared icon a browser asks for
/// `/favicon.ico`, which nobody serves: a 404 in the console of every page. `data:` is
/// within the page's `img-src`.
const NO_ICON: &str = "<link rel=\"icon\" href=\"data:,\">";

/// The built widget's `index.html`, prepared once so each request only fills in a nonce
/// and its language's parts, which are prepared once too.
pub struct WidgetPage {
    template: Option<String>,
    languages: HashMap<Language, PageLanguage>,
}

/// What a language changes in the page.
struct PageLanguage {
    /// `lang="pl" dir="ltr"`.
    attributes: String,
    /// The `<title>` and the catalog.
    head: String,
    /// What a browser without JavaScript shows.
    noscript: String,
}

impl PageLanguage {
    fn new(language: Language) -> Self {
        let dir = if language.is_right_to_left() {
            "rtl"
        } else {
            "ltr"
        };
        // `<` escaped, so no phrase can end the script element.
        let catalog = serde_json::to_string(&phrase::catalog(language))
            .unwrap_or_else(|_| "[]".into())
            .replace('<', "\\u003c");
        Self {
            attributes: format!("lang=\"{}\" dir=\"{dir}\"", language.tag()),
            head: format!(
                "<title>{}</title><script nonce=\"{NONCE_SLOT}\" type=\"application/json\" id=\"phrases\">{catalog}</script>",
                escape_html(Phrase::ApplicationHeading.in_language(language))
            ),
            noscript: escape_html(Phrase::NeedsJavaScript.in_language(language)),
        }
    }
}

impl WidgetPage {
    /// Reads trunk's `index.html` from the widget directory; a missing build is reported
    /// on the page rather than stopping the API.
    pub fn load(widget_dir: &Path) -> Self {
        let template = std::fs::read_to_string(widget_dir.join("index.html"))
            .ok()
            .map(|html| {
                // Trunk's bootstrap is an inline module script: it runs only with the nonce.
                let html = html.replace("<script", &format!("<script nonce=\"{NONCE_SLOT}\""));
                let html = match (html.find("<title>"), html.find("</title>")) {
                    (Some(start), Some(end)) => {
                        format!(
                            "{}{HEAD_SLOT}{}",
                            &html[..start],
                            &html[end + "</title>".len()..]
                        )
                    }
                    _ => html.replacen("</head>", &format!("{HEAD_SLOT}</head>"), 1),
                };
                let html = html.replacen(HEAD_SLOT, &format!("{HEAD_SLOT}{NO_ICON}"), 1);
                let html = match (html.find("<noscript>"), html.find("</noscript>")) {
                    (Some(start), Some(end)) => format!(
                        "{}<noscript><p>{NOSCRIPT_SLOT}</p>{}",
                        &html[..start],
                        &html[end..]
                    ),
                    _ => html,
                };
                // The whole start tag: trunk's minifier writes `<html lang=en>`.
                let tag = html
                    .find("<html")
                    .and_then(|start| Some((start, start + html[start..].find('>')?)));
                match tag {
                    Some((start, end)) => format!(
                        "{}<html {LANGUAGE_SLOT}>{}",
                        &html[..start],
                        &html[end + 1..]
                    ),
                    None => html,
                }
            });
        if template.is_none() {
            tracing::warn!(dir = %widget_dir.display(), "no built widget found; build it with `cargo xtask demo`");
        }
        let languages = Language::ALL
            .into_iter()
            .map(|language| (language, PageLanguage::new(language)))
            .collect();
        Self {
            template,
            languages,
        }
    }
}

/// The query string of `/apply`.
#[derive(Debug, Deserialize)]
pub struct Placement {
    partner: String,
    market: String,
    return_url: String,
    /// The language the link asks for (a BCP 47 tag), used when the market offers it.
    lang: Option<String>,
    /// The placement token its partner's server created (see `placements.rs`).
    placement: Option<String>,
    /// A customer's id, which only a placement token may carry: refused where the partner's
    /// placements take one.
    customer: Option<String>,
}

/// `GET /apply?partner=..&market=..&return_url=..[&placement=..]`
pub async fn apply_page(
    State(partners): State<Arc<Partners>>,
    State(store): State<Store>,
    State(widget): State<Arc<WidgetPage>>,
    headers: axum::http::HeaderMap,
    RawQuery(raw): RawQuery,
    query: Result<Query<Placement>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let notice = notice_language(&headers, raw.as_deref());
    let Ok(Query(placement)) = query else {
        return refusal(StatusCode::BAD_REQUEST, "This link to the card application is incomplete: it needs partner, market and return_url.", notice);
    };
    let (partner, market, return_url) = match check_placement(
        &partners,
        &placement.partner,
        &placement.market,
        &placement.return_url,
    ) {
        Ok(checked) => checked,
        Err(error) => return refusal(StatusCode::BAD_REQUEST, &error.message(), notice),
    };
    let placed = match check_link(
        &store,
        partner,
        market,
        &return_url,
        placement.placement.as_deref(),
        placement.customer.is_some(),
    )
    .await
    {
        Ok(placed) => placed,
        Err(LinkError::Refused(refused)) => {
            return refusal(refused.status(), refused.reason(), notice)
        }
        Err(LinkError::Failed(error)) => return error.into_response(),
    };
    let Some(template) = &widget.template else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "The widget has not been built on this server.",
        )
            .into_response();
    };
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let nonce: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let theme = partners.theme(&partner.id);
    let csp = content_security_policy(
        &nonce,
        &partner.allowed_origins,
        theme.and_then(|t| t.logo_origin()),
    );
    // The language the partner's server placed, over the link's.
    let placed_language = placed.and_then(|placed| placed.language).map(Language::tag);
    let language = page_language(
        partner.language,
        placed_language.or(placement.lang.as_deref()),
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
        market,
    );
    let Some(parts) = widget.languages.get(&language) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut html = template
        .replacen(LANGUAGE_SLOT, &parts.attributes, 1)
        .replacen(HEAD_SLOT, &parts.head, 1)
        .replacen(NOSCRIPT_SLOT, &parts.noscript, 1)
        .replace(NONCE_SLOT, &nonce);
    if let Some(theme) = theme {
        // After the widget's own stylesheet, so the partner's properties win.
        let link = format!(
            "<link rel=\"stylesheet\" href=\"{}\"></head>",
            escape_html(&theme.path(&partner.id))
        );
        html = html.replacen("</head>", &link, 1);
    }
    let mut response = crate::compression::html_response(&headers, html);
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The page's policy: only our own scripts (and the bootstrap by nonce), wasm allowed to
/// compile, calls only to us, images from us and the partner's logo origin, and framing
/// only by the partner's origins.
pub fn content_security_policy(
    nonce: &str,
    frame_ancestors: &[String],
    logo_origin: Option<&str>,
) -> String {
    // An empty source list is not a valid directive, and browsers drop an invalid
    // `frame-ancestors`, which would let any site frame the page: say 'none' instead.
    let ancestors = if frame_ancestors.is_empty() {
        "'none'".to_owned()
    } else {
        frame_ancestors.join(" ")
    };
    let logo = logo_origin.map_or(String::new(), |origin| format!(" {origin}"));
    format!(
        "default-src 'none'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:{logo}; \
         font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'; frame-ancestors {ancestors}; \
         report-uri {CSP_REPORTS_PATH}"
    )
}

/// The language of a notice shown instead of the widget, whose market may be unknown: the
/// link's `lang`, else the browser's, among every language of the markets.
pub fn notice_language(headers: &axum::http::HeaderMap, query: Option<&str>) -> Language {
    let asked = query.and_then(|query| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(name, _)| name == "lang")
            .map(|(_, value)| value.into_owned())
    });
    any_language(
        asked.as_deref(),
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// A plain page in the customer's language: the application's name and what happened, and
/// for the partner's developer, when there is one, the reason in English.
fn notice(language: Language, text: Phrase, reason: Option<&str>) -> String {
    let heading = escape_html(Phrase::ApplicationHeading.in_language(language));
    let dir = if language.is_right_to_left() {
        "rtl"
    } else {
        "ltr"
    };
    let reason = reason.map_or(String::new(), |reason| {
        format!("<p lang=\"en\" dir=\"ltr\">{}</p>", escape_html(reason))
    });
    format!(
        "<!doctype html><html lang=\"{}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><title>{heading}</title></head>\
         <body><main><h1>{heading}</h1><p>{}</p>{reason}</main></body></html>",
        language.tag(),
        escape_html(text.in_language(language)),
    )
}

/// The page for a request over a rate limit: the API's 429 and Retry-After, in words.
pub fn busy_page(refused: AppError, language: Language) -> Response {
    let limited = refused.into_response();
    let mut page = (
        limited.status(),
        [(header::CONTENT_SECURITY_POLICY, NOTICE_POLICY)],
        Html(notice(language, Phrase::Busy, None)),
    )
        .into_response();
    if let Some(retry_after) = limited.headers().get(header::RETRY_AFTER) {
        page.headers_mut()
            .insert(header::RETRY_AFTER, retry_after.clone());
    }
    page
}

fn refusal(status: StatusCode, reason: &str, language: Language) -> Response {
    (
        status,
        [(header::CONTENT_SECURITY_POLICY, NOTICE_POLICY)],
        Html(notice(language, Phrase::UnknownPartner, Some(reason))),
    )
        .into_response()
}

/// The policy of the plain notices (a refused link, a busy server): nothing but their own
/// markup. They stay frameable, so a partner's developer sees why in the frame.
const NOTICE_POLICY: &str = "default-src 'none'; base-uri 'none'; form-action 'none'";

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_without_origins_gets_a_page_nobody_may_frame() {
        let csp = content_security_policy("n", &[], None);
        assert!(csp.contains("; frame-ancestors 'none';"), "{csp}");
        let csp = content_security_policy(
            "n",
            &["https://a.example".into(), "https://b.example".into()],
            Some("https://cdn.a.example"),
        );
        assert!(
            csp.contains("; frame-ancestors https://a.example https://b.example;"),
            "{csp}"
        );
        assert!(
            csp.contains("img-src 'self' data: https://cdn.a.example;"),
            "{csp}"
        );
    }

    /// The most a language's catalog may add to the page, gzipped: the issue allows the
    /// first download to grow by what one language needs, and no more.
    const CATALOG_BUDGET_GZIP: usize = 4 * 1024;

    #[test]
    fn each_language_adds_only_its_own_catalog_to_the_page() {
        use std::io::Write;
        for language in Language::ALL {
            let part = PageLanguage::new(language);
            let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gzip.write_all(part.head.as_bytes()).unwrap();
            let size = gzip.finish().unwrap().len();
            println!(
                "{}: {} bytes, {size} gzipped",
                language.tag(),
                part.head.len()
            );
            assert!(
                size <= CATALOG_BUDGET_GZIP,
                "{language:?}: {size} bytes gzipped"
            );
            // Nothing of another language: each phrase is this language's own.
            let json = part.head.split("id=\"phrases\">").nth(1).unwrap();
            let json = json.trim_end_matches("</script>").replace("\\u003c", "<");
            let phrases: Vec<String> = serde_json::from_str(&json).unwrap();
            assert_eq!(phrases, phrase::catalog(language), "{language:?}");
        }
    }

    #[test]
    fn no_phrase_can_end_the_catalogs_script_element() {
        let part = PageLanguage::new(Language::English);
        let inside = part.head.split("id=\"phrases\">").nth(1).unwrap();
        assert_eq!(
            inside.matches("</").count(),
            1,
            "only the element's own end tag"
        );
        assert!(PageLanguage::new(Language::Arabic)
            .attributes
            .contains("dir=\"rtl\""));
    }
}

//! `GET /apply`: the widget's page for a checked placement, with a fresh CSP nonce.

use crate::helpers::{
    decode, spawn_app, TestApp, MARKET, OTHER_PARTNER, PARTNER, PARTNER_ORIGIN, RETURN_URL,
};
use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use reqwest::StatusCode;

async fn apply(
    app: &TestApp,
    partner: &str,
    market: &str,
    return_url: &str,
) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let request = app.client.get(app.url("/apply")).query(&[
        ("partner", partner),
        ("market", market),
        ("return_url", return_url),
    ]);
    let answer = app.send(request).await;
    (answer.status, answer.headers, answer.body)
}

/// The nonce of a `script-src` policy.
fn nonce_of(csp: &str) -> String {
    let start = csp
        .find("'nonce-")
        .unwrap_or_else(|| panic!("no nonce in {csp}"))
        + "'nonce-".len();
    let length = csp[start..].find('\'').expect("a closing quote");
    csp[start..start + length].to_owned()
}

#[tokio::test]
async fn the_page_frames_only_for_the_partner_and_has_a_fresh_nonce() {
    let app = spawn_app().await;

    let (status, headers, page) = apply(&app, PARTNER, MARKET, RETURN_URL).await;

    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(headers[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let csp = headers[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains(&format!("frame-ancestors {PARTNER_ORIGIN}")),
        "{csp}"
    );
    let nonce = nonce_of(&csp);
    // The whole policy, exactly: a directive added or loosened is a decision to review.
    assert_eq!(
        csp.replace(&nonce, "NONCE"),
        format!(
            "default-src 'none'; script-src 'self' 'nonce-NONCE' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
             base-uri 'none'; form-action 'none'; object-src 'none'; \
             frame-ancestors {PARTNER_ORIGIN}; report-uri /csp-reports"
        )
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
        "{csp}"
    );
    assert!(nonce.len() >= 22, "a nonce of at least 128 bits: {nonce}");
    assert!(
        !page.contains("/theme/"),
        "a partner without a theme gets the widget's own look"
    );
    // The inline bootstrap runs only because it carries the policy's nonce; the catalog of
    // phrases, a data block, carries it too, so every script element of the page does.
    let tags: Vec<&str> = page
        .match_indices("<script")
        .map(|(start, _)| &page[start..start + page[start..].find('>').unwrap()])
        .collect();
    assert_eq!(tags.len(), 2, "{tags:?}");
    for tag in &tags {
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "{tag} lacks the nonce {nonce}"
        );
    }
    assert!(
        tags.iter().any(|tag| tag.contains("type=\"module\"")),
        "{tags:?}"
    );
    assert!(
        tags.iter()
            .any(|tag| tag.contains("type=\"application/json\"")),
        "{tags:?}"
    );
    // A page with a nonce must not be cached and served again with it.
    assert_eq!(headers[CACHE_CONTROL], "no-store");

    let (_, again, second_page) = apply(&app, PARTNER, MARKET, RETURN_URL).await;
    let second = nonce_of(again[CONTENT_SECURITY_POLICY].to_str().unwrap());
    assert_ne!(second, nonce, "every response has its own nonce");
    assert!(second_page.contains(&format!("nonce=\"{second}\"")));
    assert!(!second_page.contains(&nonce));
}

#[tokio::test]
async fn a_bad_placement_gets_a_page_saying_why() {
    let app = spawn_app().await;
    let cases = [
        (("nobody", MARKET, RETURN_URL), "There is no partner"),
        (
            (PARTNER, "MY", RETURN_URL),
            "does not offer the card in market",
        ),
        (
            (PARTNER, MARKET, "http://partner.test.evil/done"),
            "return_url is not on the allowlist",
        ),
        (
            (PARTNER, MARKET, "http://partner.test/done-evil"),
            "return_url is not on the allowlist",
        ),
        (
            (PARTNER, MARKET, "not a url"),
            "return_url is not an absolute URL",
        ),
    ];
    for ((partner, market, return_url), why) in cases {
        let (status, headers, page) = apply(&app, partner, market, return_url).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{partner} {market} {return_url}"
        );
        assert!(headers[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert!(
            page.contains(why),
            "{return_url}: {page} does not say {why:?}"
        );
        // The refusal is a plain page: no widget is started for a placement that failed.
        assert!(!page.contains("<script"), "{page}");
    }

    let incomplete = app
        .send(app.client.get(app.url("/apply?partner=test-partner")))
        .await;
    assert_eq!(incomplete.status, StatusCode::BAD_REQUEST);
    assert!(
        incomplete.body.contains("incomplete"),
        "{}",
        incomplete.body
    );

    // What the link says is shown escaped, never as markup.
    let (status, _, page) = apply(&app, "<script>alert(1)</script>", MARKET, RETURN_URL).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!page.contains("<script>alert(1)</script>"), "{page}");
    assert!(page.contains("&lt;script&gt;"), "{page}");
}

#[tokio::test]
async fn a_themed_partners_page_links_its_stylesheet_and_allows_its_logo() {
    let app = spawn_app().await;
    let (status, headers, page) = apply(&app, OTHER_PARTNER, MARKET, RETURN_URL).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let csp = headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("img-src 'self' data: https://cdn.partner.test;"),
        "{csp}"
    );
    // Served by us, so `style-src 'self'` holds: no inline style, no 'unsafe-inline'.
    let start = page.find("/theme/other-partner/").expect("a theme link");
    let path = &page[start..start + page[start..].find('"').unwrap()];
    assert!(
        page.find(path).unwrap() > page.find("</title>").unwrap()
            && page[page.find(path).unwrap()..].contains("</head>"),
        "linked in the head, after the widget's own stylesheet: {page}"
    );

    let sheet = app.send(app.client.get(app.url(path))).await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert_eq!(sheet.headers[CONTENT_TYPE], "text/css; charset=utf-8");
    assert_eq!(
        sheet.headers[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(
        sheet
            .body
            .starts_with(":root{--brand:#6b1d5c;--radius:12px}\n"),
        "{}",
        sheet.body
    );
    assert!(sheet
        .body
        .contains("url(\"https://cdn.partner.test/logo.svg\")"));

    for missing in [
        "/theme/other-partner/0000000000000000.css",
        "/theme/test-partner/0000000000000000.css",
        "/theme/nobody/0000000000000000.css",
    ] {
        let answer = app.send(app.client.get(app.url(missing))).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{missing}");
    }
}

/// The page of `partner`'s placement in `market`, with `?lang=` and `Accept-Language` if given.
async fn page_in(
    app: &TestApp,
    partner: &str,
    market: &str,
    lang: Option<&str>,
    accept_language: Option<&str>,
) -> String {
    let mut query = vec![
        ("partner", partner),
        ("market", market),
        ("return_url", RETURN_URL),
    ];
    if let Some(lang) = lang {
        query.push(("lang", lang));
    }
    let mut request = app.client.get(app.url("/apply")).query(&query);
    if let Some(header) = accept_language {
        request = request.header(reqwest::header::ACCEPT_LANGUAGE, header);
    }
    let answer = app.send(request).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

/// The `lang` and `dir` of the page's root, and its catalog's first phrase.
fn language_of(page: &str) -> (String, String, String) {
    let root = &page[page.find("<html ").expect("a root element")..];
    let root = &root[..root.find('>').unwrap()];
    let attribute = |name: &str| {
        let start = root.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        root[start..start + root[start..].find('"').unwrap()].to_owned()
    };
    let catalog = page.split("id=\"phrases\">").nth(1).expect("a catalog");
    let phrases: Vec<String> = serde_json::from_str(
        &catalog[..catalog.find("</script>").unwrap()].replace("\\u003c", "<"),
    )
    .expect("the catalog is a JSON list of phrases");
    (attribute("lang"), attribute("dir"), phrases[0].clone())
}

#[tokio::test]
async fn the_page_is_in_the_partners_then_the_links_then_the_browsers_language() {
    use onboarding_core::{Language, Phrase};
    let app = spawn_app().await;
    let heading = |language: Language| Phrase::ApplicationHeading.in_language(language).to_owned();
    let shown = |lang: &str, dir: &str, language: Language| {
        (lang.to_owned(), dir.to_owned(), heading(language))
    };

    let page = page_in(&app, "test-markets", "PL", Some("pl"), Some("en")).await;
    assert_eq!(language_of(&page), shown("pl", "ltr", Language::Polish));
    assert!(page.contains(&format!("<title>{}</title>", heading(Language::Polish))));

    let page = page_in(
        &app,
        "test-markets",
        "AE",
        None,
        Some("fr;q=0.9, ar;q=0.8, en;q=0.1"),
    )
    .await;
    assert_eq!(language_of(&page), shown("ar", "rtl", Language::Arabic));

    // A language the market does not offer is not shown; nor is the browser's over the partner's.
    let page = page_in(&app, "test-markets", "SG", Some("pl"), Some("ar")).await;
    assert_eq!(language_of(&page), shown("en", "ltr", Language::English));
    let page = page_in(&app, "test-english", "AE", Some("ar"), Some("ar")).await;
    assert_eq!(language_of(&page), shown("en", "ltr", Language::English));
}

#[tokio::test]
async fn refusals_and_a_page_without_javascript_speak_the_customers_language() {
    use onboarding_core::{Language, Phrase};
    let app = spawn_app().await;
    let arabic = |phrase: Phrase| phrase.in_language(Language::Arabic).to_owned();
    let refused = app
        .send(
            app.client
                .get(app.url("/apply?partner=nobody&market=AE&return_url=x"))
                .header(reqwest::header::ACCEPT_LANGUAGE, "ar-AE,ar;q=0.9,en;q=0.5"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let page = refused.body;
    assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">"), "{page}");
    assert!(page.contains(&arabic(Phrase::UnknownPartner)), "{page}");
    // The partner's developer still reads why, in English, marked as such.
    assert!(
        page.contains("<p lang=\"en\" dir=\"ltr\">There is no partner"),
        "{page}"
    );

    let incomplete = app.send(app.client.get(app.url("/apply?lang=pl"))).await;
    assert!(
        incomplete.body.contains("<html lang=\"pl\""),
        "{}",
        incomplete.body
    );

    let page = page_in(&app, "test-markets", "PL", Some("pl"), None).await;
    let noscript = Phrase::NeedsJavaScript.in_language(Language::Polish);
    assert!(
        page.contains(&format!("<noscript><p>{noscript}</p></noscript>")),
        "{page}"
    );
}

/// The page's answer when the request accepts `accept_encoding`: its headers and its
/// body decoded by what `Content-Encoding` says, with the nonce replaced so that two
/// answers compare equal.
async fn page_accepting(
    app: &TestApp,
    accept_encoding: Option<&str>,
) -> (reqwest::header::HeaderMap, String) {
    use reqwest::header::ACCEPT_ENCODING;
    let mut request = app.client.get(app.url("/apply")).query(&[
        ("partner", PARTNER),
        ("market", MARKET),
        ("return_url", RETURN_URL),
    ]);
    if let Some(accepted) = accept_encoding {
        request = request.header(ACCEPT_ENCODING, accepted);
    }
    let answer = request.send().await.expect("the BFF answers");
    assert_eq!(answer.status(), StatusCode::OK);
    let headers = answer.headers().clone();
    let body = answer.bytes().await.expect("a body");
    let page = String::from_utf8(decode(&headers, &body)).expect("UTF-8");
    let nonce = nonce_of(headers[CONTENT_SECURITY_POLICY].to_str().unwrap());
    (headers, page.replace(&nonce, "NONCE"))
}

#[tokio::test]
async fn the_page_is_compressed_as_the_browser_accepts_and_decodes_to_the_same_page() {
    use reqwest::header::{CONTENT_ENCODING, CONTENT_LENGTH, VARY};
    let app = spawn_app().await;
    let (plain_headers, plain) = page_accepting(&app, None).await;
    assert!(plain.starts_with("<!doctype html>") || plain.starts_with("<!DOCTYPE html>"));

    for (accepted, coding) in [
        (None, None),
        (Some("identity"), None),
        (Some("deflate, zstd"), None),
        (Some("br;q=0, gzip;q=0"), None),
        (Some("gzip, deflate, br, zstd"), Some("br")),
        (Some("br"), Some("br")),
        (Some("gzip"), Some("gzip")),
        (Some("br;q=0.5, gzip;q=0.9"), Some("gzip")),
        (Some("br;q=0, *"), Some("gzip")),
    ] {
        let (headers, page) = page_accepting(&app, accepted).await;
        assert_eq!(
            headers.get(CONTENT_ENCODING).map(|v| v.to_str().unwrap()),
            coding,
            "{accepted:?}"
        );
        assert_eq!(page, plain, "{accepted:?} decodes to the page");
        // Caches keep one copy per coding, whichever this answer is in.
        assert!(
            headers
                .get_all(VARY)
                .iter()
                .any(|v| v.to_str().unwrap().eq_ignore_ascii_case("accept-encoding")),
            "{accepted:?}: {headers:?}"
        );
        assert_eq!(headers[CACHE_CONTROL], "no-store");
        assert!(headers[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        if coding.is_some() {
            let sent: usize = headers[CONTENT_LENGTH].to_str().unwrap().parse().unwrap();
            let whole: usize = plain_headers[CONTENT_LENGTH]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!(sent * 2 < whole, "{accepted:?}: {sent} of {whole} bytes");
        }
    }
}

#[tokio::test]
async fn the_page_declares_an_icon_its_policy_allows() {
    let app = spawn_app().await;
    let (status, headers, page) = apply(&app, PARTNER, MARKET, RETURN_URL).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    // Else the browser asks for /favicon.ico, which nobody serves.
    let head = &page[..page.find("</head>").expect("a head")];
    assert!(
        head.contains("<link rel=\"icon\" href=\"data:,\">"),
        "{head}"
    );
    let csp = headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("img-src 'self' data:"), "{csp}");
}

//! The security headers every answer of the BFF carries, whatever route or outcome.

use crate::helpers::{spawn_app, MARKET, PARTNER, RETURN_URL};
use onboarding_core::api::routes;
use reqwest::header::HeaderMap;
use reqwest::Method;

const EXPECTED: [(&str, &str); 4] = [
    ("referrer-policy", "no-referrer"),
    ("x-content-type-options", "nosniff"),
    (
        "permissions-policy",
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), \
         gyroscope=(), hid=(), idle-detection=(), magnetometer=(), microphone=(), midi=(), \
         payment=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), \
         xr-spatial-tracking=()",
    ),
    (
        "strict-transport-security",
        "max-age=63072000; includeSubDomains",
    ),
];

fn assert_secured(what: &str, headers: &HeaderMap) {
    for (name, value) in EXPECTED {
        let got = headers.get_all(name).iter().collect::<Vec<_>>();
        assert_eq!(got, [value], "{what}: {name}");
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    std::fs::write(app.widget_dir().join("widget-0123.js"), "export {};").unwrap();
    let (token, _) = app.start_session().await;
    let apply = app.client.get(app.url("/apply")).query(&[
        ("partner", PARTNER),
        ("market", MARKET),
        ("return_url", RETURN_URL),
    ]);
    let cases = [
        ("health", app.client.get(app.url("/healthz"))),
        ("widget page", apply),
        (
            "bad placement page",
            app.client.get(app.url("/apply?partner=nobody")),
        ),
        (
            "widget file",
            app.client.get(app.url("/widget/widget-0123.js")),
        ),
        (
            "missing file",
            app.client.get(app.url("/widget/missing.js")),
        ),
        ("unknown route", app.client.get(app.url("/nothing-here"))),
        (
            "journey",
            app.api(Method::GET, routes::CURRENT_SESSION, Some(&token), None),
        ),
        (
            "refused call",
            app.api(Method::GET, routes::CURRENT_SESSION, None, None),
        ),
        (
            "session start",
            app.client
                .post(app.url(routes::SESSIONS))
                .json(&serde_json::json!({
                    "partner": PARTNER, "market": MARKET, "return_url": RETURN_URL
                })),
        ),
    ];
    for (what, request) in cases {
        let answer = app.send(request).await;
        assert_secured(what, &answer.headers);
    }
}

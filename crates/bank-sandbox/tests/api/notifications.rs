//! The bank's messages to customers: an SMS (and an e-mail where the customer gave an
//! address) on acknowledgement and on each change of status, in the customer's language,
//! kept in the outbox and shown on a page a person can open during a demo.

use crate::support::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use bank_sandbox::spawn;
use serde_json::{json, Value};
use std::time::Duration;

/// The texts, channels and events of `messages`, in order.
fn summary(messages: &[Value]) -> Vec<(String, String, String)> {
    messages
        .iter()
        .map(|m| {
            (
                m["event"].as_str().unwrap().to_owned(),
                m["channel"].as_str().unwrap().to_owned(),
                m["language"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn triple(event: &str, channel: &str, language: &str) -> (String, String, String) {
    (event.into(), channel.into(), language.into())
}

#[tokio::test]
async fn a_singapore_application_is_acknowledged_and_its_approval_told_in_english_with_the_link() {
    let sandbox = Sandbox::instant().await;
    let applicant = customer_in(SG, "Mei Ling", "Tan", Some("mei.ling@example.com"));
    let (app, (status, body)) = sandbox
        .decided_in(SG, applicant, "EMPLOYED", 60_000.0)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let messages = sandbox.notifications(Some(&app.id)).await;
    assert_eq!(
        summary(&messages),
        [
            triple("acknowledgement", "sms", "en"),
            triple("acknowledgement", "email", "en"),
            triple("approved", "sms", "en"),
            triple("approved", "email", "en"),
        ],
        "newest last, nothing for the updates and the screening"
    );
    let link = format!("https://online.bank.example/sg/continue?ref={}", app.id);
    let acknowledgement = &messages[0];
    assert_eq!(acknowledgement["reference"], app.id.as_str());
    assert_eq!(acknowledgement["market"], "SG");
    assert_eq!(acknowledgement["to"], "+65 512345678");
    assert_eq!(acknowledgement["recipient"], "Mei Ling Tan");
    assert_eq!(acknowledgement["link"], link.as_str());
    assert_eq!(
        acknowledgement["text"],
        format!(
            "Thank you. We have received your credit card application. \
             Reference number: {}. Status: Received. \
             To continue your application online, go to {link}",
            app.id
        )
    );
    assert!(acknowledgement.get("subject").is_none(), "an SMS has none");
    assert_eq!(messages[1]["to"], "mei.ling@example.com");
    assert_eq!(
        messages[1]["subject"],
        format!("Your credit card application {}", app.id)
    );
    assert_eq!(
        messages[2]["text"],
        format!(
            "There is an update on your credit card application. \
             Reference number: {}. Status: Approved in principle. \
             To continue your application online, go to {link}",
            app.id
        )
    );
    let sent_at = messages[0]["sentAt"].as_str().unwrap();
    assert!(sent_at.len() == 20 && sent_at.ends_with('Z'), "{sent_at}");
}

#[tokio::test]
async fn an_email_is_sent_only_when_the_customer_gave_an_address() {
    let sandbox = Sandbox::instant().await;
    let without = customer_in(SG, "Wei", "Lim", None);
    let (app, _) = sandbox.decided_in(SG, without, "EMPLOYED", 60_000.0).await;
    assert_eq!(
        summary(&sandbox.notifications(Some(&app.id)).await),
        [
            triple("acknowledgement", "sms", "en"),
            triple("approved", "sms", "en"),
        ]
    );
}

#[tokio::test]
async fn a_thai_prospect_is_told_in_thai_that_a_representative_will_call() {
    let sandbox = Sandbox::instant().await;
    let thai = Market {
        code: "TH",
        ..SG.speaking("th-TH,th;q=0.9,en;q=0.5")
    };
    let (status, body) = sandbox
        .call_in(
            thai,
            Method::POST,
            PROSPECTS,
            Some(prospect_body("TH", "MR", "สมชาย", "ใจดี")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let reference = body["prospectId"].as_str().unwrap();
    let messages = sandbox.notifications(Some(reference)).await;
    assert_eq!(
        summary(&messages),
        [
            triple("acknowledgement", "sms", "th"),
            triple("acknowledgement", "email", "th"),
        ]
    );
    assert_eq!(
        messages[0]["text"],
        format!(
            "ขอบคุณที่สนใจบัตรเครดิตของเรา เราได้รับข้อมูลของท่านแล้ว \
             หมายเลขอ้างอิง: {reference} สถานะ: ได้รับแล้ว \
             เจ้าหน้าที่ของเราจะติดต่อกลับทางโทรศัพท์เพื่อช่วยท่านดำเนินการสมัครให้เสร็จสมบูรณ์"
        )
    );
    assert!(
        messages[0].get("link").is_none(),
        "Thailand has no online channel"
    );
    assert_eq!(messages[0]["to"], "+66 812345678");
    assert_eq!(messages[0]["recipient"], "สมชาย ใจดี");
    assert_eq!(
        messages[1]["subject"],
        format!("คำขอข้อมูลบัตรเครดิตของท่าน {reference}")
    );
}

#[tokio::test]
async fn a_uae_application_is_written_in_arabic_from_acknowledgement_to_decline() {
    let sandbox = Sandbox::instant().await;
    let arabic = AE.speaking("ar");
    let applicant = customer_in(AE, "Amal", "Decline", Some("amal@example.com"));
    let (app, (status, body)) = sandbox
        .decided_in(arabic, applicant, "EMPLOYED", 60_000.0)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(sandbox.inspect(&app).await["language"], "ar");
    let messages = sandbox.notifications(Some(&app.id)).await;
    assert_eq!(
        summary(&messages),
        [
            triple("acknowledgement", "sms", "ar"),
            triple("acknowledgement", "email", "ar"),
            triple("declined", "sms", "ar"),
            triple("declined", "email", "ar"),
        ]
    );
    assert_eq!(
        messages[0]["text"],
        format!(
            "شكرًا لك. لقد استلمنا طلبك للحصول على بطاقة ائتمان. \
             الرقم المرجعي: {}. الحالة: تم الاستلام.",
            app.id
        ),
        "the UAE has neither an online channel nor calls"
    );
    assert_eq!(
        messages[2]["text"],
        format!(
            "هناك تحديث بشأن طلبك للحصول على بطاقة ائتمان. \
             الرقم المرجعي: {}. الحالة: لم تتم الموافقة. \
             نأسف لعدم تمكننا من تقديم البطاقة لك في الوقت الحالي.",
            app.id
        )
    );
    assert_eq!(
        messages[3]["subject"],
        format!("طلب بطاقة الائتمان {}", app.id)
    );
}

#[tokio::test]
async fn the_language_is_the_creates_not_a_later_calls() {
    let sandbox = Sandbox::instant().await;
    let polish = PL.speaking("pl");
    let app = sandbox
        .create_in(polish, customer_in(PL, "Anna", "Referral", None))
        .await;
    // Later calls in English change nothing: the bank writes in the language applied in.
    let english = PL.speaking("en");
    let base = format!("{EMEA_APPLICATIONS}/{}", app.id);
    for sections in [identity_in(PL), finances("EMPLOYED", 60_000.0)] {
        let body = json!({ "applicant": sections, "controlFlowId": app.control_flow_id });
        let (status, body) = sandbox
            .call_in(english, Method::PUT, &base, Some(body))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let flow = json!({ "controlFlowId": app.control_flow_id });
    for step in ["backgroundScreening", "inPrincipleApprovals"] {
        let (status, body) = sandbox
            .call_in(
                english,
                Method::POST,
                &format!("{base}/{step}"),
                Some(flow.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let messages = sandbox.notifications(Some(&app.id)).await;
    assert_eq!(
        summary(&messages),
        [
            triple("acknowledgement", "sms", "pl"),
            triple("underReview", "sms", "pl"),
        ]
    );
    assert_eq!(
        messages[1]["text"],
        format!(
            "Status wniosku o kartę kredytową uległ zmianie. \
             Numer referencyjny: {}. Status wniosku: w trakcie rozpatrywania.",
            app.id
        )
    );
}

#[tokio::test]
async fn each_status_change_is_told_once() {
    let sandbox = Sandbox::instant().await;
    // A counter-offer is not news yet; taking it approves the application.
    let app = sandbox.screened("Counteroffer", "EMPLOYED", 60_000.0).await;
    assert_eq!(sandbox.ipa(&app).await.0, StatusCode::OK);
    let events = |messages: Vec<Value>| -> Vec<String> {
        messages
            .iter()
            .filter(|m| m["channel"] == "sms")
            .map(|m| m["event"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        events(sandbox.notifications(Some(&app.id)).await),
        ["acknowledgement"]
    );
    let accept = json!({ "controlFlowId": app.control_flow_id,
                         "acceptedOffers": [{ "offerSequenceId": "2", "offerProductCode": "VC410" }] });
    let path = format!("{APPLICATIONS}/{}/offerAcceptance", app.id);
    for _ in 0..2 {
        let (status, body) = sandbox
            .call(Method::POST, &path, Some(accept.clone()))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    assert_eq!(
        events(sandbox.notifications(Some(&app.id)).await),
        ["acknowledgement", "approved"]
    );

    // Manual review: nothing while the bank waits for the full submission, then "under
    // review" once, however often the submission is repeated.
    let app = sandbox
        .screened("applicationNeedsManualReview", "EMPLOYED", 60_000.0)
        .await;
    assert_eq!(sandbox.ipa(&app).await.0, StatusCode::BAD_REQUEST);
    let path = format!("{APPLICATIONS}/{}/submission", app.id);
    for _ in 0..2 {
        let flow = json!({ "controlFlowId": app.control_flow_id });
        assert_eq!(
            sandbox.call(Method::POST, &path, Some(flow)).await.0,
            StatusCode::OK
        );
    }
    assert_eq!(
        events(sandbox.notifications(Some(&app.id)).await),
        ["acknowledgement", "underReview"]
    );
}

#[tokio::test]
async fn a_repeated_create_or_ipa_sends_nothing_twice() {
    let sandbox = Sandbox::instant().await;
    let with_uuid = |method: Method, path: &str, body: Value, uuid: &str| {
        let mut request = sandbox
            .request(method, path)
            .body(Body::from(body.to_string()))
            .unwrap();
        request.headers_mut().insert("uuid", uuid.parse().unwrap());
        sandbox.send(request)
    };
    let uuid = uuid::Uuid::new_v4().to_string();
    let (status, first) = with_uuid(Method::POST, APPLICATIONS, create_body("Tan"), &uuid).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, again) = with_uuid(Method::POST, APPLICATIONS, create_body("Tan"), &uuid).await;
    assert_eq!((status, &again), (StatusCode::CREATED, &first));
    let reference = first["applicationId"].as_str().unwrap();
    assert_eq!(sandbox.notifications(Some(reference)).await.len(), 2);

    let app = sandbox.screened("Lim", "EMPLOYED", 60_000.0).await;
    let path = format!("{APPLICATIONS}/{}/inPrincipleApprovals", app.id);
    let flow = json!({ "controlFlowId": app.control_flow_id });
    let uuid = uuid::Uuid::new_v4().to_string();
    for _ in 0..2 {
        let (status, body) = with_uuid(Method::POST, &path, flow.clone(), &uuid).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let events: Vec<Value> = sandbox
        .notifications(Some(&app.id))
        .await
        .iter()
        .map(|m| m["event"].clone())
        .collect();
    assert_eq!(
        events,
        ["acknowledgement", "acknowledgement", "approved", "approved"]
    );
}

#[tokio::test]
async fn an_unknown_reference_has_no_messages() {
    let sandbox = Sandbox::instant().await;
    sandbox.create("Tan").await;
    assert!(sandbox.notifications(Some("000000000000")).await.is_empty());
    assert_eq!(sandbox.notifications(None).await.len(), 2);
}

/// The page over a real connection, as a person's browser opens it.
#[tokio::test]
async fn the_page_escapes_what_customers_typed_and_marks_each_language() {
    let sandbox = spawn(instant_screening()).await.unwrap();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let token: Value = client
        .post(format!("{}{TOKEN}", sandbox.origin()))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(FORM)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_owned();
    let create = |market: &str, language: &str, body: Value| {
        client
            .post(format!(
                "{}{}",
                sandbox.origin(),
                match market {
                    "AE" => EMEA_APPLICATIONS,
                    _ => APPLICATIONS,
                }
            ))
            .bearer_auth(&token)
            .header("client_id", CLIENT_ID)
            .header("uuid", uuid::Uuid::new_v4().to_string())
            .header("countryCode", market)
            .header("Accept-Language", language)
            .header("Accept", "application/json")
            .json(&body)
            .send()
    };
    let mut typed = json!({ "product": product(),
                            "applicant": customer_in(SG, "<script>alert('x')</script>", "O'Brien & Sons",
                                                     Some("\"mei\"<b>@example.com")) });
    typed["applicant"]["phone"][0]["phoneNumber"] = json!("9123<i>4567");
    let answer = create("SG", "en", typed).await.unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);
    let sg: Value = answer.json().await.unwrap();
    let arabic =
        json!({ "product": product(), "applicant": customer_in(AE, "أمل", "Saeed", None) });
    let answer = create("AE", "ar", arabic).await.unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);
    let hk = json!({ "product": product(), "applicant": customer_in(HK, "大文", "陳", None) });
    let answer = create("HK", "zh-HK", hk).await.unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);

    let page = client
        .get(format!("{}/sandbox/notifications/page", sandbox.origin()))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let header = |name: &str| {
        page.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "text/html; charset=utf-8");
    let policy = header("content-security-policy");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("style-src 'self'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let html = page.text().await.unwrap();

    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("<b>@"), "{html}");
    assert!(!html.contains("<i>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; O&#39;Brien &amp; Sons"),
        "{html}"
    );
    assert!(
        html.contains("&quot;mei&quot;&lt;b&gt;@example.com"),
        "{html}"
    );
    assert!(html.contains("+65 9123&lt;i&gt;4567"), "{html}");

    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "{html}"
    );
    assert!(html.contains("<caption>4 messages</caption>"), "{html}");
    assert_eq!(html.matches("<th scope=\"col\">").count(), 7, "{html}");
    assert_eq!(html.matches("<td lang=\"en\">").count(), 2, "{html}");
    assert_eq!(
        html.matches("<td lang=\"ar\" dir=\"rtl\">").count(),
        1,
        "{html}"
    );
    assert_eq!(html.matches("<td lang=\"zh-Hant\">").count(), 1, "{html}");
    assert!(html.contains("我們已收到閣下的信用卡申請"), "{html}");
    assert!(html.contains("لقد استلمنا طلبك"), "{html}");

    // The page of one reference, and its stylesheet, the only style the policy allows.
    let reference = sg["applicationId"].as_str().unwrap();
    let one = client
        .get(format!(
            "{}/sandbox/notifications/page?reference={reference}",
            sandbox.origin()
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        one.contains(&format!("<caption>2 messages about {reference}</caption>")),
        "{one}"
    );
    let css = client
        .get(format!(
            "{}/sandbox/notifications/page.css",
            sandbox.origin()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), StatusCode::OK);
    assert_eq!(
        css.headers().get("content-type").unwrap(),
        "text/css; charset=utf-8"
    );
}

#[tokio::test]
async fn the_outbox_routes_need_no_bank_headers_and_get_no_faults() {
    let sandbox = Sandbox::instant().await;
    let every_call_fails = Request::post("/sandbox/faults")
        .header("Content-Type", "application/json")
        .body(Body::from(json!({ "failEvery": 1 }).to_string()))
        .unwrap();
    assert_eq!(sandbox.send(every_call_fails).await.0, StatusCode::OK);
    let json = sandbox
        .send(
            Request::get("/sandbox/notifications")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(json, (StatusCode::OK, json!([])));
    let (status, headers, body) = sandbox
        .send_raw(
            Request::get("/sandbox/notifications/page")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("No message has been sent yet."), "{html}");
}

#[tokio::test]
async fn a_saved_application_is_told_once_per_uuid_with_the_link_and_a_decided_one_is_refused() {
    let sandbox = Sandbox::instant().await;
    let save = |id: &str, flow: &str, uuid: &str| {
        let mut request = sandbox
            .request(Method::POST, &format!("{APPLICATIONS}/{id}/saveForLater"))
            .body(Body::from(json!({ "controlFlowId": flow }).to_string()))
            .unwrap();
        request.headers_mut().insert("uuid", uuid.parse().unwrap());
        sandbox.send(request)
    };
    let app = sandbox.create("Tan").await;
    let uuid = uuid::Uuid::new_v4().to_string();
    for _ in 0..2 {
        let (status, body) = save(&app.id, &app.control_flow_id, &uuid).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let saved: Vec<Value> = sandbox
        .notifications(Some(&app.id))
        .await
        .into_iter()
        .filter(|m| m["event"] == "saved" && m["channel"] == "sms")
        .collect();
    assert_eq!(
        saved.len(),
        1,
        "a retry with the same uuid sends nothing more"
    );
    let link = format!("https://online.bank.example/sg/continue?ref={}", app.id);
    assert_eq!(saved[0]["link"], link.as_str());
    assert!(saved[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("Your credit card application is saved."));

    let (status, _) = save(&app.id, "not-the-flow", &uuid::Uuid::new_v4().to_string()).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a wrong controlFlowId is refused"
    );

    let (decided, _) = sandbox
        .decided_in(
            SG,
            customer_in(SG, "Mei Ling", "Lim", None),
            "EMPLOYED",
            60_000.0,
        )
        .await;
    let (status, body) = save(
        &decided.id,
        &decided.control_flow_id,
        &uuid::Uuid::new_v4().to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["errors"][0]["code"], "invalidRequestSequence");
}

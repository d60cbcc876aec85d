//! A partner's webhook endpoint for the bench: accepts every event at `POST /hooks` and
//! lists what it accepted at `GET /deliveries`, so a run can check that every decision
//! reached the partner.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use bench::audit::Delivery;
use std::sync::{Arc, Mutex};

type Inbox = Arc<Mutex<Vec<Delivery>>>;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let inbox = Inbox::default();
    let app = Router::new()
        .route("/hooks", post(receive))
        .route("/deliveries", get(deliveries))
        .with_state(inbox);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("webhooks listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}

/// Accepts an `application.decided` event (the signature is the webhook tests' concern).
async fn receive(State(inbox): State<Inbox>, headers: HeaderMap, body: String) -> StatusCode {
    let event: serde_json::Value = match serde_json::from_str(&body) {
        Ok(event) => event,
        Err(_) => return StatusCode::BAD_REQUEST,
    };
    let text = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_owned();
    let delivery = Delivery {
        id: headers
            .get("webhook-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        reference: text(&event["reference"]),
        outcome: text(&event["outcome"]),
    };
    inbox.lock().expect("the inbox").push(delivery);
    StatusCode::OK
}

async fn deliveries(State(inbox): State<Inbox>) -> Json<Vec<Delivery>> {
    Json(inbox.lock().expect("the inbox").clone())
}

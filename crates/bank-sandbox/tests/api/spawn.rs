//! The sandbox on a real port, as a BFF's tests start it.

use bank_sandbox::{spawn, SandboxConfig};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A bare HTTP/1.1 GET, since the crate has no HTTP client.
async fn get(origin: &str, path: &str) -> std::io::Result<String> {
    let host = origin.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).await?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(response)
}

#[tokio::test]
async fn a_spawned_sandbox_serves_on_a_local_port_until_dropped() {
    let sandbox = spawn(SandboxConfig::default()).await.unwrap();
    let origin = sandbox.origin();
    assert!(origin.starts_with("http://127.0.0.1:"), "{origin}");
    assert_eq!(sandbox.base_url(), format!("{origin}/api"));

    let response = get(&origin, "/sandbox/applications").await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("[]"), "{response}");

    drop(sandbox);
    // Graceful shutdown closes the listener once the server task sees the signal.
    let mut refused = false;
    for _ in 0..50 {
        if get(&origin, "/sandbox/applications").await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "the sandbox still answers after being dropped");
}

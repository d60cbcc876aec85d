//! A minimal HTTP/1.1 client for servers on this machine (the BFF, chromedriver). The bench
//! counts the bytes a response carries on the wire, so it must never decode a body, as
//! ready-made clients offer to; one request per connection keeps it short.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::process::Result;

/// How long a request may wait for its answer: a new WebDriver session starts a browser.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A response as received: the body is the payload on the wire, still content-encoded
/// (a chunked body's framing removed).
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// `GET url` with these request headers.
pub fn get(url: &str, headers: &[(&str, &str)]) -> Result<Response> {
    send("GET", url, headers, None)
}

/// `method url` with these headers and, if any, a JSON body.
pub fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    json: Option<&serde_json::Value>,
) -> Result<Response> {
    let (host, path) = split_url(url)?;
    let fail = |e: std::io::Error| format!("{method} {url}: {e}");
    let mut stream = TcpStream::connect(host).map_err(fail)?;
    stream.set_read_timeout(Some(TIMEOUT)).map_err(fail)?;
    stream.set_write_timeout(Some(TIMEOUT)).map_err(fail)?;
    let body = json.map(|value| value.to_string()).unwrap_or_default();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if json.is_some() {
        request.push_str("Content-Type: application/json\r\n");
    }
    if json.is_some() || method == "POST" {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    stream.write_all(request.as_bytes()).map_err(fail)?;
    let raw = read_response(&mut stream).map_err(fail)?;
    parse(&raw).map_err(|e| format!("{method} {url}: {e}"))
}

/// Reads until the response is complete: some servers (chromedriver) keep the connection
/// open despite `Connection: close`, so the end of the stream cannot be waited for.
fn read_response(stream: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    let mut buffer = [0; 16 * 1024];
    loop {
        let read = stream.read(&mut buffer)?;
        if read == 0 {
            return Ok(raw);
        }
        raw.extend_from_slice(&buffer[..read]);
        if is_complete(&raw) {
            return Ok(raw);
        }
    }
}

/// Whether `raw` holds a whole response: its headers and as much body as they announce.
fn is_complete(raw: &[u8]) -> bool {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let body = &raw[end + 4..];
    let header = |name: &str| {
        head.split("\r\n")
            .filter_map(|line| line.split_once(':'))
            .find(|(key, _)| key.trim() == name)
            .map(|(_, value)| value.trim().to_owned())
    };
    if header("transfer-encoding").is_some_and(|te| te == "chunked") {
        // Complete once its chunks run up to the last, empty one.
        return dechunk(body).is_ok();
    }
    match header("content-length").and_then(|length| length.parse::<usize>().ok()) {
        Some(length) => body.len() >= length,
        // Without a length the body ends when the server closes the connection.
        None => false,
    }
}

/// `http://host:port/path?query` as (`host:port`, `/path?query`).
fn split_url(url: &str) -> Result<(&str, &str)> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: only http:// URLs are supported"))?;
    Ok(match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, "/"),
    })
}

/// A whole response, read until the server closed the connection.
fn parse(raw: &[u8]) -> Result<Response> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("the response ended inside its headers")?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("not an HTTP status line: {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let mut response = Response {
        status,
        headers,
        body: Vec::new(),
    };
    let payload = &raw[end + 4..];
    response.body = if response
        .header("transfer-encoding")
        .is_some_and(|te| te.eq_ignore_ascii_case("chunked"))
    {
        dechunk(payload)?
    } else if let Some(length) = response.header("content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| format!("bad Content-Length {length:?}"))?;
        payload
            .get(..length)
            .ok_or_else(|| format!("the body ended after {} of {length} bytes", payload.len()))?
            .to_vec()
    } else {
        payload.to_vec()
    };
    Ok(response)
}

/// A chunked body's payload.
fn dechunk(mut chunked: &[u8]) -> Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = chunked
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("a chunk size line without its end")?;
        let line = String::from_utf8_lossy(&chunked[..line_end]);
        let hex = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(hex, 16).map_err(|_| format!("bad chunk size {hex:?}"))?;
        chunked = &chunked[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        let chunk = chunked.get(..size).ok_or("the body ended inside a chunk")?;
        body.extend_from_slice(chunk);
        chunked = chunked.get(size + 2..).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// Serves `answer` to one connection and returns what the client sent.
    fn serve_once(answer: &'static [u8]) -> (String, std::thread::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/apply?lang=en", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = Vec::new();
            let mut buffer = [0; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let read = stream.read(&mut buffer).unwrap();
                request.extend_from_slice(&buffer[..read]);
            }
            stream.write_all(answer).unwrap();
            String::from_utf8(request).unwrap()
        });
        (url, server)
    }

    #[test]
    fn a_compressed_body_is_counted_as_sent_not_decoded() {
        // Bytes that are not valid brotli: a decoding client would fail or change them.
        let (url, server) = serve_once(
            b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 5\r\n\r\n\x1b\x00\xff\x01\x02",
        );
        let response = get(&url, &[("Accept-Encoding", "br")]).unwrap();
        let request = server.join().unwrap();
        assert!(
            request.starts_with("GET /apply?lang=en HTTP/1.1\r\n"),
            "{request}"
        );
        assert!(request.contains("\r\nAccept-Encoding: br\r\n"), "{request}");
        assert_eq!(response.status, 200);
        assert_eq!(response.header("content-encoding"), Some("br"));
        assert_eq!(response.body, b"\x1b\x00\xff\x01\x02");
    }

    #[test]
    fn a_chunked_body_loses_only_its_framing() {
        let (url, server) = serve_once(
            b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwasm\r\n0A;x=y\r\n0123456789\r\n0\r\n\r\n",
        );
        let response = send("POST", &url, &[], Some(&serde_json::json!({"a": 1}))).unwrap();
        let request = server.join().unwrap();
        assert!(request.contains("Content-Length: 7\r\n"), "{request}");
        assert_eq!(response.status, 201);
        assert_eq!(response.text(), "wasm0123456789");
    }

    #[test]
    fn only_plain_http_urls() {
        assert!(get("https://example.com/", &[])
            .unwrap_err()
            .contains("only http://"));
        assert_eq!(
            split_url("http://127.0.0.1:9/").unwrap(),
            ("127.0.0.1:9", "/")
        );
        assert_eq!(split_url("http://h:1").unwrap(), ("h:1", "/"));
    }
}

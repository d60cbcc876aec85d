//! One HTTP/1.1 keep-alive connection, as one browser tab or one load-generator client
//! holds it: requests sent one after another, no pool in between.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{handshake, SendRequest};
use hyper::header::{HeaderName, HeaderValue, HOST};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// An `http://host:port/path` URL split into what a request needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `host:port`.
    pub authority: String,
    /// The path and query, `/` at least.
    pub path: String,
}

impl Url {
    /// Parses a plain-http URL (the bench runs on one machine; TLS is not measured).
    pub fn parse(url: &str) -> Result<Self, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| format!("{url:?} is not an http:// URL"))?;
        let (authority, path) = match rest.find('/') {
            Some(slash) => (&rest[..slash], &rest[slash..]),
            None => (rest, "/"),
        };
        if authority.is_empty() {
            return Err(format!("{url:?} names no host"));
        }
        Ok(Self {
            authority: authority.to_owned(),
            path: path.to_owned(),
        })
    }

    /// `http://host:port`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.authority)
    }
}

/// A request to send again and again.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub path: String,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Bytes,
}

impl Call {
    /// `method path` with these headers and body; exits on a header that is not valid.
    pub fn new(method: &str, path: &str, headers: &[(String, String)], body: Bytes) -> Self {
        let method = Method::from_bytes(method.as_bytes())
            .unwrap_or_else(|_| crate::args::fail(&format!("{method:?} is not an HTTP method")));
        let headers = headers
            .iter()
            .map(|(name, value)| {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .unwrap_or_else(|_| crate::args::fail(&format!("bad header name {name:?}")));
                let value = HeaderValue::from_str(value)
                    .unwrap_or_else(|_| crate::args::fail(&format!("bad header value {value:?}")));
                (name, value)
            })
            .collect();
        Self {
            method,
            path: path.to_owned(),
            headers,
            body,
        }
    }

    /// The same call with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((
            HeaderName::from_bytes(name.as_bytes()).expect("a valid header name"),
            HeaderValue::from_str(value).expect("a valid header value"),
        ));
        self
    }
}

/// An open connection to one server.
pub struct Connection {
    authority: String,
    sender: SendRequest<Full<Bytes>>,
}

impl Connection {
    /// Connects to `authority` (`host:port`), with Nagle's delay off as browsers have it.
    pub async fn open(authority: &str) -> Result<Self, String> {
        let stream = TcpStream::connect(authority)
            .await
            .map_err(|e| format!("connect {authority}: {e}"))?;
        stream
            .set_nodelay(true)
            .map_err(|e| format!("nodelay: {e}"))?;
        let (sender, connection) = handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("handshake {authority}: {e}"))?;
        tokio::spawn(connection);
        Ok(Self {
            authority: authority.to_owned(),
            sender,
        })
    }

    /// Sends `call` and reads the answer as text, decoded from the coding it came in.
    pub async fn text(&mut self, call: &Call) -> Result<(StatusCode, String), String> {
        let (status, coding, body) = self.exchange(call).await?;
        Ok((status, decoded(&coding, &body)?))
    }

    /// Sends `call` and reads the whole answer, leaving its body as sent.
    pub async fn send(&mut self, call: &Call) -> Result<(StatusCode, Bytes), String> {
        let (status, _, body) = self.exchange(call).await?;
        Ok((status, body))
    }

    /// Sends `call`; answers the status, the `Content-Encoding` and the body as sent.
    async fn exchange(&mut self, call: &Call) -> Result<(StatusCode, String, Bytes), String> {
        let mut request = Request::builder()
            .method(call.method.clone())
            .uri(&call.path)
            .header(HOST, &self.authority);
        for (name, value) in &call.headers {
            request = request.header(name, value);
        }
        let request = request
            .body(Full::new(call.body.clone()))
            .map_err(|e| format!("request: {e}"))?;
        self.sender
            .ready()
            .await
            .map_err(|e| format!("connection: {e}"))?;
        let response = self
            .sender
            .send_request(request)
            .await
            .map_err(|e| format!("send: {e}"))?;
        let status = response.status();
        let coding = response
            .headers()
            .get(hyper::header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("body: {e}"))?
            .to_bytes();
        Ok((status, coding, body))
    }
}

/// A body as sent in `coding` (`br`, `gzip` or none), as text.
pub fn decoded(coding: &str, body: &[u8]) -> Result<String, String> {
    use std::io::Read;
    let mut text = String::new();
    let read = match coding {
        "" | "identity" => return String::from_utf8(body.to_vec()).map_err(|e| e.to_string()),
        "br" => brotli::Decompressor::new(body, 4096).read_to_string(&mut text),
        "gzip" => flate2::read::GzDecoder::new(body).read_to_string(&mut text),
        other => return Err(format!("an answer in {other}, which no browser asked for")),
    };
    read.map(|_| text)
        .map_err(|e| format!("a {coding} body: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_in_the_coding_they_came_in() {
        use std::io::Write;
        let text = r#"{"stage":"identity"}"#;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gzip.write_all(text.as_bytes()).unwrap();
        let gzip = gzip.finish().unwrap();
        let mut br = Vec::new();
        brotli::CompressorWriter::new(&mut br, 4096, 5, 18)
            .write_all(text.as_bytes())
            .unwrap();
        assert_eq!(decoded("gzip", &gzip).unwrap(), text);
        assert_eq!(decoded("br", &br).unwrap(), text);
        assert_eq!(decoded("", text.as_bytes()).unwrap(), text);
        assert!(decoded("zstd", b"x").is_err());
    }

    #[test]
    fn urls_split_into_authority_and_path() {
        let url = Url::parse("http://127.0.0.1:8080/api/v1/sessions/current").unwrap();
        assert_eq!(url.authority, "127.0.0.1:8080");
        assert_eq!(url.path, "/api/v1/sessions/current");
        assert_eq!(url.origin(), "http://127.0.0.1:8080");
        assert_eq!(Url::parse("http://localhost:1").unwrap().path, "/");
        assert!(Url::parse("https://x/").is_err());
        assert!(Url::parse("http:///x").is_err());
    }
}

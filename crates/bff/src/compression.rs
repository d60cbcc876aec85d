//! Compressing answers in the coding the request's `Accept-Encoding` prefers: the one place
//! that chooses the coding, for the widget's page, the loader and the JSON API. The widget's
//! own files are precompressed by `cargo xtask` and served by `ServeDir` instead.
//!
//! How hard each is compressed depends on how often: the page carries a fresh CSP nonce and
//! an API answer is made per request, so they are compressed per response at levels chosen
//! to cost well under a millisecond (measured on the release build: brotli 5 takes 0.25 to
//! 0.5 ms for a page of 8 to 19 KB and saves 58 to 80 %, where brotli 11 would save a few
//! points more for 10 to 30 ms; gzip 6 takes 0.1 to 0.5 ms; for the journey of 4.3 to
//! 4.5 KB, brotli 5 takes 0.15 to 0.25 ms and saves 61 %). The loader never changes, so it
//! is compressed once per process, as hard as the encoders go (brotli 11 takes 6 to 9 ms).
//!
//! None of it can leak a secret through its size (BREACH): the loader holds none, the
//! page's only one (its CSP nonce) is new in every answer, and the API's are reasoned about
//! route by route at [`api_answers`].

use crate::error::AppError;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use std::io::Write;

/// Brotli's quality: from 5 on it models the literals' context, 7 to 14 % smaller than 4
/// on these pages for about 0.1 ms more (6 % smaller on the journey, for 0.05 ms more); above it the time grows much faster than the
/// savings (9 takes 3 to 6 ms for 0 to 4 % less).
const BROTLI_QUALITY: u32 = 5;
/// Brotli's quality for the JSON API's answers, on the hot path of every session read:
/// `cargo xtask bench` measured quality 5 at about half the BFF's CPU on `GET
/// /api/v1/sessions/current` (1,910 against 8,446 answers a second uncompressed); quality 2
/// skips the context modelling and the large hasher for a few hundred bytes more.
const BROTLI_FAST_QUALITY: u32 = 2;
/// Brotli's quality for what is compressed once: its highest.
const BROTLI_BEST_QUALITY: u32 = 11;
/// Brotli's window: 256 KiB holds the largest page, the loader and an API answer whole. The
/// default (4 MiB) only costs the time to set it up, and this encoder is slow below 17 at
/// quality 5.
const BROTLI_WINDOW_BITS: u32 = 18;

/// A content coding an answer can be sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The coding to send, given the request's `Accept-Encoding`: the one with the highest
    /// weight (`q`) among brotli and gzip, `tie` when they weigh the same; identity when
    /// neither is accepted, or the client weighs identity above both. `*` stands for any
    /// coding not named; `q=0` refuses one. Without the header, identity, as most servers
    /// do (the RFC would allow any coding, and old clients rely on it not happening).
    pub fn negotiate(accept_encoding: Option<&str>, tie: Encoding) -> Self {
        let Some(accepted) = accept_encoding else {
            return Self::Identity;
        };
        let mut brotli = None;
        let mut gzip = None;
        let mut identity = None;
        let mut any = None;
        for item in accepted.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let Some(weight) = weight(parts) else {
                continue;
            };
            let slot = match coding.as_str() {
                "br" => &mut brotli,
                "gzip" | "x-gzip" => &mut gzip,
                "identity" => &mut identity,
                "*" => &mut any,
                _ => continue,
            };
            *slot = Some(weight);
        }
        let brotli = brotli.or(any).unwrap_or(0);
        let gzip = gzip.or(any).unwrap_or(0);
        // Identity is acceptable unless refused; it wins only when weighed above both.
        let identity = identity.unwrap_or(0);
        let best = brotli.max(gzip);
        if best == 0 || identity > best {
            Self::Identity
        } else if brotli == gzip {
            tie
        } else if brotli == best {
            Self::Brotli
        } else {
            Self::Gzip
        }
    }

    /// The coding to send in answer to a request with these headers, brotli on a tie: it
    /// is smaller, and what is compressed hard (the page, the loader) is worth it.
    pub fn of(request: &HeaderMap) -> Self {
        Self::negotiate(accept_encoding(request), Self::Brotli)
    }

    /// The coding for a JSON API answer, gzip on a tie: at the fast levels both save about
    /// the same on the journey (1,884 bytes of 4,283 against brotli's 1,832), and gzip
    /// served twice the session reads a second (11,500 against 5,500 on 2 cores), brotli
    /// setting up its encoder per answer.
    pub fn of_api(request: &HeaderMap) -> Self {
        Self::negotiate(accept_encoding(request), Self::Gzip)
    }

    fn header_value(self) -> Option<HeaderValue> {
        match self {
            Self::Brotli => Some(HeaderValue::from_static("br")),
            Self::Gzip => Some(HeaderValue::from_static("gzip")),
            Self::Identity => None,
        }
    }
}

fn accept_encoding(request: &HeaderMap) -> Option<&str> {
    request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
}

/// An item's weight in thousandths (`q=0.5` is 500, none is 1000); `None` when its
/// parameters are malformed, so the item is ignored rather than guessed at.
fn weight<'a>(parameters: impl Iterator<Item = &'a str>) -> Option<u16> {
    let mut weight = 1000;
    for parameter in parameters {
        let (name, value) = parameter.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("q") {
            continue;
        }
        let value: f32 = value.trim().parse().ok()?;
        if !(0.0..=1.0).contains(&value) {
            return None;
        }
        weight = (value * 1000.0).round() as u16;
    }
    Some(weight)
}

/// How hard to compress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    /// An answer made per request: a fraction of a millisecond (brotli 5, gzip 6).
    PerResponse,
    /// An API answer, on the hot path: tens of microseconds (brotli 2, gzip 1).
    Fast,
    /// A constant, compressed once per process: as small as the encoders make it (brotli
    /// 11, gzip 9).
    Once,
}

/// The widget's page as an HTML response in the best coding the request accepts, marked as
/// varying by `Accept-Encoding` whichever coding it is in.
pub fn html_response(request: &HeaderMap, html: String) -> Response {
    let encoding = Encoding::of(request);
    let mut response = match compress(html.as_bytes(), encoding, Effort::PerResponse) {
        Some(body) => {
            let mut response = Html(body).into_response();
            mark(&mut response, encoding);
            response
        }
        None => Html(html).into_response(),
    };
    vary(&mut response);
    response
}

/// A constant body in each coding, compressed once: the loader.
#[derive(Debug)]
pub struct Precompressed {
    identity: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
}

impl Precompressed {
    /// `raw` compressed in each coding at [`Effort::Once`].
    pub fn new(raw: &'static [u8]) -> Self {
        let coded = |encoding| compress(raw, encoding, Effort::Once).map(Bytes::from);
        Self {
            identity: Bytes::from_static(raw),
            brotli: coded(Encoding::Brotli),
            gzip: coded(Encoding::Gzip),
        }
    }

    /// The body in the best coding the request accepts, marked as varying by
    /// `Accept-Encoding`; the caller adds the content type and its other headers.
    pub fn response(&self, request: &HeaderMap) -> Response {
        let encoding = Encoding::of(request);
        let coded = match encoding {
            Encoding::Brotli => self.brotli.as_ref(),
            Encoding::Gzip => self.gzip.as_ref(),
            Encoding::Identity => None,
        };
        let mut response = match coded {
            Some(body) => {
                let mut response = body.clone().into_response();
                mark(&mut response, encoding);
                response
            }
            None => self.identity.clone().into_response(),
        };
        vary(&mut response);
        response
    }
}

/// The smallest JSON answer worth compressing. Below it the saving is a few hundred bytes
/// at most (an error, a stage's progress), less than the request's own headers.
pub const MIN_COMPRESSED_ANSWER_BYTES: u64 = 1024;

/// Compresses the JSON API's answers of [`MIN_COMPRESSED_ANSWER_BYTES`] or more, per
/// response, in the coding the request prefers. The journey (in `POST /api/v1/sessions`,
/// `POST /api/v1/sessions/resume` and `GET /api/v1/sessions/current`) is 4 to 5 KB, on the
/// way to the first stage.
///
/// Why this is safe from BREACH, route by route. BREACH reads a secret out of the size of
/// compressed answers: it needs (1) the same secret in many answers, (2) input the
/// attacker chooses reflected beside it, and (3) the victim's browser sending the attacker's
/// requests with the victim's credentials, while the attacker watches the sizes on the wire.
/// - (3) fails for every route under `/api/`: the session token travels in `Authorization`,
///   which only the widget's own script sets (the BFF sets no cookie, so a browser adds no
///   credential to another page's request), and other origins' state-changing calls are
///   refused before any handler runs (`stack::same_origin_writes`).
/// - `POST /api/v1/sessions` and `POST /api/v1/sessions/resume` answer secrets, the session
///   token and a resume handle, beside the placement's return URL (which whoever opens the
///   widget chooses within the partner's allowlist); but both secrets are new in every
///   answer, so (1) fails too: there is no repeated secret to guess byte by byte.
/// - `GET /api/v1/sessions/current` answers no credential (the journey, and the partner's
///   prefill of the customer's details, are the customer's own and reflect nothing the
///   attacker sends with the victim's token, which the attacker does not have).
/// - The stages' answers (progress) reflect none of the form's input, and their signed
///   return URL is a result for the partner, not a credential; they and the API's errors
///   are under the threshold anyway.
///
/// Not here: the partners' API (`/partner/v1/placements`, server to server, answers under
/// 1 KB holding a placement token), and the page and loader, compressed by their handlers.
/// A new route under `/api/` whose answer repeats a secret beside reflected input, for a
/// credential a browser sends by itself, would need to be left out of this rule.
pub async fn api_answers(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let encoding = Encoding::of_api(request.headers());
    let mut response = next.run(request).await;
    vary(&mut response);
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    // Only a body already whole in memory (its size is known): a stream is never buffered.
    let size = response.body().size_hint().exact();
    if encoding == Encoding::Identity
        || !json
        || response.headers().contains_key(header::CONTENT_ENCODING)
        || size.is_none_or(|size| size < MIN_COMPRESSED_ANSWER_BYTES)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let raw = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(raw) => raw,
        Err(error) => return AppError::internal(error).into_response(),
    };
    let Some(coded) = compress(&raw, encoding, Effort::Fast) else {
        return Response::from_parts(parts, Body::from(raw));
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    let mut response = Response::from_parts(parts, Body::from(coded));
    mark(&mut response, encoding);
    response
}

/// Says which coding the body is in.
fn mark(response: &mut Response, encoding: Encoding) {
    if let Some(value) = encoding.header_value() {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, value);
    }
}

/// Tells caches that the answer depends on `Accept-Encoding`, whichever coding this one is in.
fn vary(response: &mut Response) {
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from(header::ACCEPT_ENCODING));
}

/// `raw` in `encoding` at `effort`, or `None` for identity (or, never expected, a failing
/// encoder).
pub fn compress(raw: &[u8], encoding: Encoding, effort: Effort) -> Option<Vec<u8>> {
    match encoding {
        Encoding::Identity => None,
        Encoding::Gzip => {
            let level = match effort {
                Effort::PerResponse => flate2::Compression::default(),
                Effort::Fast => flate2::Compression::fast(),
                Effort::Once => flate2::Compression::best(),
            };
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::with_capacity(raw.len() / 2), level);
            encoder.write_all(raw).ok()?;
            encoder.finish().ok()
        }
        Encoding::Brotli => {
            let quality = match effort {
                Effort::PerResponse => BROTLI_QUALITY,
                Effort::Fast => BROTLI_FAST_QUALITY,
                Effort::Once => BROTLI_BEST_QUALITY,
            };
            let params = brotli::enc::BrotliEncoderParams {
                quality: quality as i32,
                lgwin: BROTLI_WINDOW_BITS as i32,
                size_hint: raw.len(),
                ..Default::default()
            };
            let mut out = Vec::with_capacity(raw.len() / 2);
            brotli::BrotliCompress(&mut &raw[..], &mut out, &params).ok()?;
            Some(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_heaviest_accepted_coding_wins_and_the_callers_choice_breaks_ties() {
        use Encoding::*;
        // Each header with the coding chosen when brotli breaks ties (the page, the loader);
        // gzip breaking them (API answers) changes exactly the rows marked `tied`.
        let tied = ["gzip, deflate, br, zstd", "br;q=0.8, gzip;q=0.8", "*"];
        for (header, expected) in [
            (None, Identity),
            (Some(""), Identity),
            (Some("gzip, deflate, br, zstd"), Brotli),
            (Some("gzip"), Gzip),
            (Some("x-gzip"), Gzip),
            (Some("GZIP;Q=1"), Gzip),
            (Some("br;q=0.5, gzip;q=0.8"), Gzip),
            (Some("br;q=0.8, gzip;q=0.8"), Brotli),
            (Some("br;q=0, gzip;q=0"), Identity),
            (Some("br;q=0, *"), Gzip),
            (Some("*;q=0.3, br;q=0.2"), Gzip),
            (Some("*"), Brotli),
            (Some("deflate, zstd"), Identity),
            (Some("identity;q=1, br;q=0.5"), Identity),
            (Some("identity;q=0.5, br"), Brotli),
            (Some("identity;q=0, gzip"), Gzip),
            // Malformed weights are ignored, not read as "accepted".
            (Some("br;q=abc, gzip"), Gzip),
            (Some("br;q=2"), Identity),
            (Some("br;q"), Identity),
            (Some(" br ; q=0.001 "), Brotli),
        ] {
            assert_eq!(Encoding::negotiate(header, Brotli), expected, "{header:?}");
            let api = if header.is_some_and(|h| tied.contains(&h)) {
                Gzip
            } else {
                expected
            };
            assert_eq!(Encoding::negotiate(header, Gzip), api, "{header:?}");
        }
    }

    #[test]
    fn each_coding_decodes_to_the_page_at_each_effort() {
        let page = "<!doctype html><html lang=\"en\"><title>Apply</title>".repeat(40);
        for effort in [Effort::PerResponse, Effort::Fast, Effort::Once] {
            assert_eq!(compress(page.as_bytes(), Encoding::Identity, effort), None);

            let gzip = compress(page.as_bytes(), Encoding::Gzip, effort).unwrap();
            let mut decoded = String::new();
            flate2::read::GzDecoder::new(&gzip[..])
                .read_to_string(&mut decoded)
                .unwrap();
            assert_eq!(decoded, page, "{effort:?}");

            let brotli = compress(page.as_bytes(), Encoding::Brotli, effort).unwrap();
            let mut decoded = String::new();
            brotli::Decompressor::new(&brotli[..], 4096)
                .read_to_string(&mut decoded)
                .unwrap();
            assert_eq!(decoded, page, "{effort:?}");
            assert!(brotli.len() < page.len() / 10, "{}", brotli.len());
        }
    }
}

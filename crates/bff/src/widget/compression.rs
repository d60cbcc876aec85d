//! Compressing the widget's page per response. The page carries a fresh CSP nonce each
//! time, so unlike the widget's files it cannot be compressed ahead of time: the levels
//! are chosen to cost well under a millisecond for a page of 8 to 19 KB (measured on the
//! release build: brotli 5 takes 0.25 to 0.5 ms and saves 58 to 80 %, where brotli 11
//! would save a few points more for 10 to 30 ms; gzip 6 takes 0.1 to 0.5 ms).

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use std::io::Write;

/// Brotli's quality: from 5 on it models the literals' context, 7 to 14 % smaller than 4
/// on these pages for about 0.1 ms more; above it the time grows much faster than the
/// savings (9 takes 3 to 6 ms for 0 to 4 % less).
const BROTLI_QUALITY: u32 = 5;
/// Brotli's window: 256 KiB holds the largest page whole. The default (4 MiB) only costs
/// the time to set it up, and this encoder is slow below 17 at quality 5.
const BROTLI_WINDOW_BITS: u32 = 18;

/// A content coding the page can be sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The coding to send, given the request's `Accept-Encoding`: the one with the highest
    /// weight (`q`) among brotli and gzip, brotli on a tie (it is smaller); identity when
    /// neither is accepted, or the client weighs identity above both. `*` stands for any
    /// coding not named; `q=0` refuses one. Without the header, identity, as most servers
    /// do (the RFC would allow any coding, and old clients rely on it not happening).
    pub(super) fn negotiate(accept_encoding: Option<&str>) -> Self {
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
        } else if brotli == best {
            Self::Brotli
        } else {
            Self::Gzip
        }
    }

    fn header_value(self) -> Option<HeaderValue> {
        match self {
            Self::Brotli => Some(HeaderValue::from_static("br")),
            Self::Gzip => Some(HeaderValue::from_static("gzip")),
            Self::Identity => None,
        }
    }
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

/// The page as an HTML response in the best coding the request accepts, marked as
/// varying by `Accept-Encoding` whichever coding it is in.
pub(super) fn html_response(request: &HeaderMap, html: String) -> Response {
    let accepted = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok());
    let encoding = Encoding::negotiate(accepted);
    let mut response = match compress(html.as_bytes(), encoding) {
        Some(body) => {
            let mut response = Html(body).into_response();
            if let Some(value) = encoding.header_value() {
                response
                    .headers_mut()
                    .insert(header::CONTENT_ENCODING, value);
            }
            response
        }
        None => Html(html).into_response(),
    };
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from(header::ACCEPT_ENCODING));
    response
}

/// `raw` in `encoding`, or `None` for identity (or, never expected, a failing encoder).
pub(super) fn compress(raw: &[u8], encoding: Encoding) -> Option<Vec<u8>> {
    match encoding {
        Encoding::Identity => None,
        Encoding::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(raw.len() / 2),
                flate2::Compression::default(),
            );
            encoder.write_all(raw).ok()?;
            encoder.finish().ok()
        }
        Encoding::Brotli => {
            let params = brotli::enc::BrotliEncoderParams {
                quality: BROTLI_QUALITY as i32,
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
    fn the_heaviest_accepted_coding_wins_and_brotli_breaks_ties() {
        use Encoding::*;
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
            assert_eq!(Encoding::negotiate(header), expected, "{header:?}");
        }
    }

    #[test]
    fn each_coding_decodes_to_the_page() {
        let page = "<!doctype html><html lang=\"en\"><title>Apply</title>".repeat(40);
        assert_eq!(compress(page.as_bytes(), Encoding::Identity), None);

        let gzip = compress(page.as_bytes(), Encoding::Gzip).unwrap();
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, page);

        let brotli = compress(page.as_bytes(), Encoding::Brotli).unwrap();
        let mut decoded = String::new();
        brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, page);
        assert!(brotli.len() < page.len() / 10, "{}", brotli.len());
    }
}

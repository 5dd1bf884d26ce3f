//! Photo URLs and the images behind them.
//!
//! The platform's accident records carry photo URLs on a download host, shaped
//! `download?e=EXPIRY&token=TOKEN&attname=NAME`, where `e` is the expiry in Unix seconds. The
//! simulator issues URLs of the same shape pointing back at itself. The token is a keyed hash of
//! the name and the expiry, so a client that edits `e=` gets 403 just as it would for an expired
//! link.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::state::Shared;

/// Path of the photo download endpoint.
pub(crate) const PHOTO_PATH: &str = "/photos/download";

/// Width and height, in pixels, of every generated image.
const WIDTH: u32 = 64;
const HEIGHT: u32 = 48;

/// Query parameters of a photo URL.
#[derive(Debug, Deserialize)]
pub(crate) struct PhotoQuery {
    e: Option<String>,
    token: Option<String>,
    attname: Option<String>,
}

/// Why a photo request gets no image.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PhotoRejection {
    /// A parameter is missing or malformed (400).
    BadRequest,
    /// The token does not match the name and expiry (403).
    BadToken,
    /// The expiry has passed (403).
    Expired,
    /// The image could not be encoded (500).
    Encode,
}

/// Signs photo URLs and checks them when they come back.
#[derive(Clone, Debug)]
pub(crate) struct PhotoSigner {
    secret: [u8; 32],
    base_url: String,
}

impl PhotoSigner {
    /// Creates a signer whose secret is derived from the scenario seed, so the same seed
    /// issues the same URLs.
    pub(crate) fn new(seed: u64, base_url: &str) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"jb-sim photo token");
        hasher.update(seed.to_be_bytes());
        Self {
            secret: hasher.finalize().into(),
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }

    /// Returns the URL of the photo `attname`, valid until `expires` (Unix seconds).
    pub(crate) fn url(&self, attname: &str, expires: i64) -> String {
        format!(
            "{}{PHOTO_PATH}?e={expires}&token={}&attname={attname}",
            self.base_url,
            self.token(attname, expires)
        )
    }

    /// Checks a photo request at time `now` (Unix seconds) and returns the PNG bytes.
    pub(crate) fn serve(&self, query: &PhotoQuery, now: i64) -> Result<Vec<u8>, PhotoRejection> {
        let (Some(expiry), Some(token), Some(attname)) = (&query.e, &query.token, &query.attname)
        else {
            return Err(PhotoRejection::BadRequest);
        };
        let expires: i64 = expiry.parse().map_err(|_| PhotoRejection::BadRequest)?;
        if !is_attachment_name(attname) {
            return Err(PhotoRejection::BadRequest);
        }

        if !constant_time_eq(token.as_bytes(), self.token(attname, expires).as_bytes()) {
            return Err(PhotoRejection::BadToken);
        }
        if now > expires {
            return Err(PhotoRejection::Expired);
        }

        render_png(attname).ok_or(PhotoRejection::Encode)
    }

    fn token(&self, attname: &str, expires: i64) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.secret);
        hasher.update(attname.as_bytes());
        hasher.update(b"\n");
        hasher.update(expires.to_string().as_bytes());
        let digest = hasher.finalize();
        hex::encode(&digest[..16])
    }
}

/// Serves `GET /photos/download`: the PNG image, or 400 for a malformed URL, 403 for a bad
/// token or a passed expiry.
pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<PhotoQuery>,
) -> Response {
    let now = chrono::Utc::now().timestamp();
    match shared.photos.serve(&query, now) {
        Ok(bytes) => ([(header::CONTENT_TYPE, "image/png")], bytes).into_response(),
        Err(rejection) => {
            let (status, text) = match rejection {
                PhotoRejection::BadRequest => (
                    StatusCode::BAD_REQUEST,
                    "photo URL needs e, token and attname parameters",
                ),
                PhotoRejection::BadToken => (StatusCode::FORBIDDEN, "photo token does not match"),
                PhotoRejection::Expired => (StatusCode::FORBIDDEN, "photo URL has expired"),
                PhotoRejection::Encode => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "photo could not be generated",
                ),
            };
            tracing::debug!(?rejection, "photo request rejected");
            (status, text).into_response()
        }
    }
}

/// Whether `name` is a generated attachment name: 32 lowercase hex digits and `.png`.
fn is_attachment_name(name: &str) -> bool {
    name.strip_suffix(".png").is_some_and(|stem| {
        stem.len() == 32
            && stem
                .bytes()
                .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
    })
}

fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len()
        && left
            .iter()
            .zip(right)
            .fold(0u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

/// Draws a small diagonal gradient whose colours depend on the name, so each photo differs.
fn render_png(attname: &str) -> Option<Vec<u8>> {
    let digest = Sha256::digest(attname.as_bytes());
    let (red, green, blue) = (digest[0], digest[1], digest[2]);

    let mut pixels = Vec::with_capacity((WIDTH * HEIGHT * 3) as usize);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            let shade = ((x + y) * 255 / (WIDTH + HEIGHT)) as u8;
            pixels.extend_from_slice(&[red ^ shade, green, blue.wrapping_add(shade / 2)]);
        }
    }

    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&pixels).ok()?;
    writer.finish().ok()?;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: &str = "0123456789abcdef0123456789abcdef.png";

    fn query_of(url: &str) -> PhotoQuery {
        let query = url.split_once('?').map(|(_, query)| query).unwrap_or("");
        let mut parsed = PhotoQuery {
            e: None,
            token: None,
            attname: None,
        };
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap();
            match key {
                "e" => parsed.e = Some(value.to_owned()),
                "token" => parsed.token = Some(value.to_owned()),
                "attname" => parsed.attname = Some(value.to_owned()),
                _ => {}
            }
        }
        parsed
    }

    #[test]
    fn serve_returns_png_before_expiry() {
        let signer = PhotoSigner::new(1, "http://127.0.0.1:1/");
        let url = signer.url(NAME, 2000);

        let bytes = signer.serve(&query_of(&url), 1999).unwrap();

        assert!(url.starts_with("http://127.0.0.1:1/photos/download?e=2000&token="));
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    }

    #[test]
    fn serve_rejects_after_expiry() {
        let signer = PhotoSigner::new(1, "http://127.0.0.1:1");
        let url = signer.url(NAME, 2000);

        assert_eq!(
            signer.serve(&query_of(&url), 2001),
            Err(PhotoRejection::Expired)
        );
    }

    #[test]
    fn serve_rejects_edited_expiry() {
        let signer = PhotoSigner::new(1, "http://127.0.0.1:1");
        let url = signer.url(NAME, 2000).replace("e=2000", "e=9000");

        assert_eq!(
            signer.serve(&query_of(&url), 2001),
            Err(PhotoRejection::BadToken)
        );
    }

    #[test]
    fn serve_rejects_missing_or_odd_name() {
        let signer = PhotoSigner::new(1, "http://127.0.0.1:1");
        let url = signer.url("../etc/passwd", 2000);
        let mut missing = query_of(&signer.url(NAME, 2000));
        missing.token = None;

        assert_eq!(
            signer.serve(&query_of(&url), 1),
            Err(PhotoRejection::BadRequest)
        );
        assert_eq!(signer.serve(&missing, 1), Err(PhotoRejection::BadRequest));
    }

    #[test]
    fn render_png_differs_per_name() {
        let first = render_png(NAME).unwrap();
        let second = render_png("fedcba9876543210fedcba9876543210.png").unwrap();

        assert_ne!(first, second);
    }
}

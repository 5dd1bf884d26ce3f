//! Errors of a photo download.

use std::path::PathBuf;

use crate::error::{BoxError, TransportError};

/// A photo download that failed. Photo URLs carry access tokens, so messages name only the
/// host, never the full URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PhotoError {
    /// The URL is not an absolute `http(s)://` URL with a host.
    #[error(
        "invalid photo URL: {reason}; pass the photoUrl value of the accident record unchanged"
    )]
    InvalidUrl {
        /// The reason for rejecting it.
        reason: String,
    },

    /// The URL's `e` parameter is not a number of Unix seconds.
    #[error("invalid photo URL expiry e={value}: expected Unix seconds")]
    InvalidExpiry {
        /// The parameter's value.
        value: String,
    },

    /// The URL's `e` parameter lies in the past; no request was sent. Download the accident
    /// record again to get a fresh link.
    #[error(
        "photo URL expired at Unix time {expires_at} (now {now}); no request was sent; download the accident again for a fresh link"
    )]
    Expired {
        /// Expiry from the URL, Unix seconds.
        expires_at: u64,
        /// Current time, Unix seconds.
        now: u64,
    },

    /// The photo is larger than the configured maximum; nothing past the maximum was written.
    #[error(
        "photo from {host} is larger than the maximum of {limit} bytes; raise max_bytes if such photos are expected"
    )]
    TooLarge {
        /// Host (and port) of the URL.
        host: String,
        /// The maximum in force, in bytes.
        limit: u64,
    },

    /// The photo server responded with a status other than 2xx.
    #[error("photo server {host} returned HTTP {status} after {attempts} attempt(s); {advice}", advice = if *status == 403 || *status == 410 { "the link may have expired or been revoked; download the accident again" } else { "try again later" })]
    Status {
        /// Host (and port) of the URL.
        host: String,
        /// The HTTP status code.
        status: u16,
        /// Attempts made.
        attempts: u32,
    },

    /// The response is not an image.
    #[error("photo server {host} sent content type {content_type} instead of image/*; check the photo URL and any prefix rewrite", content_type = content_type.as_deref().unwrap_or("(none)"))]
    ContentType {
        /// Host (and port) of the URL.
        host: String,
        /// The `Content-Type` header, if any.
        content_type: Option<String>,
    },

    /// The connection failed or timed out, after the retries the policy allows.
    #[error(transparent)]
    Network(TransportError),

    /// The connection broke after part of the photo was written to a writer that cannot be
    /// rewound.
    #[error(
        "photo download from {host} broke after {written} bytes were written: {source}; discard the partial data and download again"
    )]
    Incomplete {
        /// Host (and port) of the URL.
        host: String,
        /// Bytes written before the failure.
        written: u64,
        /// The network error.
        #[source]
        source: BoxError,
    },

    /// Writing the photo failed.
    #[error("cannot write photo{}: {source}; check the disk space and permissions", path.as_ref().map(|path| format!(" to {}", path.display())).unwrap_or_default())]
    Io {
        /// The target file, when downloading to a file.
        path: Option<PathBuf>,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

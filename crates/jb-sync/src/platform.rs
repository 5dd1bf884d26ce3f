//! The platform as the service uses it: three downloads, two uploads, photo fetches.
//!
//! [`Platform`] is implemented for `jingbao::Client` (see [`JingbaoPlatform`]); tests and
//! insurers with their own client implement it themselves.
//!
//! [`JingbaoPlatform`]: crate::JingbaoPlatform

use std::future::Future;
use std::path::Path;

use crate::operation::Operation;
use crate::record::DownloadedRecord;
use crate::store::UploadKind;

/// A download that failed as a whole (network, platform error code, bad sign, ...).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DownloadFailure {
    /// What went wrong, for the poll's record and the log.
    pub message: String,
}

/// The platform's acceptance of an upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadAccepted {
    /// serialNo (通讯流水号) of the accepted request, for tracing it with the platform.
    pub serial_no: String,
    /// The platform's returnMsg, such as `成功`.
    pub message: String,
}

/// An upload that was not accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UploadFailure {
    /// The platform rejected the upload (a returnCode other than `0000`, or
    /// `FAIL`). The upload is parked with this message.
    #[error("platform rejected the upload: {message}")]
    Rejected {
        /// The platform's returnCode, when it sent one.
        code: Option<String>,
        /// The platform's returnMsg, or `FAIL`.
        message: String,
    },
    /// The record did not pass validation, so nothing was sent. The upload is parked.
    #[error("upload is invalid and was not sent: {0}")]
    Invalid(String),
    /// The request certainly did not reach the platform (connection refused, HTTP 503, ...).
    /// The upload is queued again with backoff.
    #[error("upload not sent: {0}")]
    NotSent(String),
    /// The request may have reached the platform (timeout after sending, connection reset,
    /// HTTP 500). The upload is sent again later, and the re-send is logged.
    #[error("upload outcome unknown: {0}")]
    OutcomeUnknown(String),
}

/// A photo fetched to a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchedPhoto {
    /// SHA-256 of the bytes written, lowercase hex.
    pub sha256: String,
    /// Bytes written.
    pub size_bytes: u64,
}

/// A photo fetch that failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PhotoFailure {
    /// The URL's expiry has passed (or the server reports that the link expired): later cycles do not
    /// try it again unless a new poll brings a fresh URL.
    #[error("photo URL expired: {0}")]
    Expired(String),
    /// Any other failure: later cycles try again while the URL is valid.
    #[error("photo fetch failed: {0}")]
    Failed(String),
}

/// The platform operations the sync service calls.
pub trait Platform: Send + Sync {
    /// Downloads one batch of `operation`, every record kept: decoded, or raw with the reason
    /// it failed to decode.
    fn download(
        &self,
        operation: Operation,
    ) -> impl Future<Output = Result<Vec<DownloadedRecord>, DownloadFailure>> + Send;

    /// Uploads one report or claim given as its JSON text. `Ok` means the platform returned
    /// SUCCESS.
    fn upload(
        &self,
        kind: UploadKind,
        payload: &str,
    ) -> impl Future<Output = Result<UploadAccepted, UploadFailure>> + Send;

    /// Fetches a photo into `destination`, replacing what is there.
    fn fetch_photo(
        &self,
        url: &str,
        destination: &Path,
    ) -> impl Future<Output = Result<FetchedPhoto, PhotoFailure>> + Send;
}

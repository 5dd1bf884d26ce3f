//! Errors of building a client and of one platform call.

use jb_model::{DecodeError, InvalidRecord, mask};
use jb_proto::{Method, OpenError, SerialNo};
use jb_transport::TransportError;

/// Invalid client configuration, reported by [`ClientBuilder::build`](crate::ClientBuilder::build).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A required setting was not given.
    #[error("missing client setting {setting}; set it on the builder before build()")]
    Missing {
        /// The builder method that sets it: `endpoint`, `app_id`, `app_key` or `insurance_code`.
        setting: &'static str,
    },

    /// A required setting is blank.
    #[error("client setting {setting} is empty; give the value the platform issued")]
    Empty {
        /// The builder method that sets it.
        setting: &'static str,
    },

    /// The insurer code (insuranceCode, 保险公司代码) is not in the platform's insurer table.
    #[error(
        "insurance code {code:?} is invalid: {reason}; use the code the platform assigned, such as CPIC"
    )]
    InsuranceCode {
        /// The code given.
        code: String,
        /// The broken rule.
        reason: String,
    },

    /// The transport or photo downloader settings are invalid.
    #[error(transparent)]
    Transport(#[from] jb_transport::BuildError),
}

/// A platform call that failed. Every variant names the operation, and every variant past
/// validation names the request's `serialNo`, the key to find the call in the logs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The record breaks the platform's field rules; nothing was sent.
    #[error("{method} record not sent: {source}")]
    InvalidRecord {
        /// The operation.
        method: Method,
        /// Every broken rule, values masked.
        #[source]
        source: InvalidRecord,
    },

    /// The record could not be written as JSON; nothing was sent.
    #[error("{method} record not sent: cannot encode it as JSON: {source}")]
    Encode {
        /// The operation.
        method: Method,
        /// The serializer's error.
        #[source]
        source: serde_json::Error,
    },

    /// The request failed in the HTTP layer after the retries the policy allows.
    #[error("{method} request {serial_no} failed: {source}")]
    Transport {
        /// The operation.
        method: Method,
        /// serialNo (通讯流水号) of the request.
        serial_no: SerialNo,
        /// The transport's error.
        #[source]
        source: TransportError,
    },

    /// The platform returned a returnCode other than `0000`.
    #[error("{method} request {serial_no}: platform returned error code {return_code} ({return_msg:?}){}", if *sign_verified { "" } else { "; the response sign did not verify, so code and message are unauthenticated" })]
    Platform {
        /// The operation.
        method: Method,
        /// serialNo (通讯流水号) of the request.
        serial_no: SerialNo,
        /// returnCode (返回码).
        return_code: String,
        /// returnMsg (返回信息).
        return_msg: String,
        /// Whether the response sign verified.
        sign_verified: bool,
    },

    /// The platform returned `FAIL` for an upload because it rejected the record.
    #[error(
        "{method} request {serial_no}: platform rejected the record with FAIL ({return_msg:?}); fix the record and upload it again"
    )]
    UploadRejected {
        /// The operation.
        method: Method,
        /// serialNo (通讯流水号) of the request.
        serial_no: SerialNo,
        /// returnMsg (返回信息).
        return_msg: String,
    },

    /// The response failed a check: bad sign, wrong method or appId, undecryptable data.
    /// Its data was not used.
    #[error("{method} request {serial_no}: response rejected: {source}")]
    Response {
        /// The operation.
        method: Method,
        /// serialNo (通讯流水号) of the request.
        serial_no: SerialNo,
        /// The check that failed.
        #[source]
        source: OpenError,
    },

    /// The download data decrypted but is not JSON, so no record could be kept.
    #[error("{method} request {serial_no}: {source}")]
    Decode {
        /// The operation.
        method: Method,
        /// serialNo (通讯流水号) of the request.
        serial_no: SerialNo,
        /// The decoder's error.
        #[source]
        source: DecodeError,
    },
}

impl Error {
    /// The operation that failed.
    pub fn method(&self) -> Method {
        match self {
            Self::InvalidRecord { method, .. }
            | Self::Encode { method, .. }
            | Self::Transport { method, .. }
            | Self::Platform { method, .. }
            | Self::UploadRejected { method, .. }
            | Self::Response { method, .. }
            | Self::Decode { method, .. } => *method,
        }
    }

    /// serialNo of the request, or `None` when nothing was sent.
    pub fn serial_no(&self) -> Option<&SerialNo> {
        match self {
            Self::InvalidRecord { .. } | Self::Encode { .. } => None,
            Self::Transport { serial_no, .. }
            | Self::Platform { serial_no, .. }
            | Self::UploadRejected { serial_no, .. }
            | Self::Response { serial_no, .. }
            | Self::Decode { serial_no, .. } => Some(serial_no),
        }
    }

    /// returnCode of a platform error, or `None` for every other failure.
    pub fn return_code(&self) -> Option<&str> {
        match self {
            Self::Platform { return_code, .. } => Some(return_code),
            _ => None,
        }
    }

    /// Returns whether the platform may have processed the request although the call failed:
    /// a timeout or broken connection after sending, or a relay's HTTP 500, 502 or 504. An
    /// upload that fails this way may already be stored; see
    /// [`RetryPolicy`](jb_transport::RetryPolicy) for what that means.
    pub fn is_outcome_unknown(&self) -> bool {
        match self {
            Self::Transport { source, .. } => source.is_outcome_unknown(),
            _ => false,
        }
    }

    /// A short name of the failure kind, recorded as the `outcome` of the call's span.
    pub(crate) fn outcome(&self) -> &'static str {
        match self {
            Self::InvalidRecord { .. } => "invalid_record",
            Self::Encode { .. } => "encode_error",
            Self::Transport { .. } => "transport_error",
            Self::Platform { .. } => "platform_error",
            Self::UploadRejected { .. } => "upload_rejected",
            Self::Response { .. } => "bad_response",
            Self::Decode { .. } => "decode_error",
        }
    }

    /// Describes the failure without the operation and serialNo (the log span carries them),
    /// with digit runs of platform text masked, since a returnMsg may quote a phone or ID
    /// number. Violations and transport errors arrive masked or free of personal data.
    pub(crate) fn log_detail(&self) -> String {
        match self {
            Self::InvalidRecord { source, .. } => source.to_string(),
            Self::Encode { source, .. } => source.to_string(),
            Self::Transport { source, .. } => source.to_string(),
            Self::Platform {
                return_code,
                return_msg,
                sign_verified,
                ..
            } => format!(
                "platform returned error code {} ({:?}), sign verified: {sign_verified}",
                mask::free_text(return_code),
                mask::free_text(return_msg)
            ),
            Self::UploadRejected { return_msg, .. } => {
                format!(
                    "platform rejected the record with FAIL ({:?})",
                    mask::free_text(return_msg)
                )
            }
            Self::Response { source, .. } => mask::free_text(&source.to_string()),
            Self::Decode { source, .. } => source.to_string(),
        }
    }

    /// Converts the error of opening a response, lifting platform codes and `FAIL` into their
    /// own variants.
    pub(crate) fn from_open(method: Method, serial_no: SerialNo, error: OpenError) -> Self {
        match error {
            OpenError::Platform {
                code,
                message,
                sign_verified,
            } => Self::Platform {
                method,
                serial_no,
                return_code: code,
                return_msg: message,
                sign_verified,
            },
            OpenError::UploadRejected { message } => Self::UploadRejected {
                method,
                serial_no,
                return_msg: message,
            },
            source => Self::Response {
                method,
                serial_no,
                source,
            },
        }
    }
}

//! Errors of building a transport and of sending a request.

use std::path::PathBuf;
use std::time::Duration;

use crate::error_chain::{innermost, rejected_certificate};

/// An error from a source that this crate does not name, such as the HTTP stack.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Invalid configuration, reported by a builder's `build()`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A URL that is not absolute `http(s)://` with a host.
    #[error("invalid {what} URL `{url}`: {reason}; give an absolute http:// or https:// URL")]
    InvalidUrl {
        /// The URL's role: `endpoint`, `proxy`, `rewrite prefix`.
        what: &'static str,
        /// The URL as given.
        url: String,
        /// The reason for rejecting it.
        reason: String,
    },

    /// A setting outside its allowed range.
    #[error("invalid setting {name} = {value}: {reason}")]
    InvalidSetting {
        /// The setting's name, as the builder method spells it.
        name: &'static str,
        /// The rejected value.
        value: String,
        /// The allowed range.
        reason: &'static str,
    },

    /// A root certificate bundle that could not be read.
    #[error(
        "cannot read root certificate file {path}: {source}; check the path and its permissions"
    )]
    CertificateFile {
        /// The file given.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },

    /// A root certificate bundle without any usable PEM certificate.
    #[error(
        "invalid root certificate bundle {origin}: {reason}; give PEM text with at least one CERTIFICATE block"
    )]
    Certificate {
        /// The file name, or `(in memory)`.
        origin: String,
        /// The reason for rejecting it.
        reason: String,
    },

    /// The HTTP client could not be built from otherwise valid settings.
    #[error("cannot build the HTTP client: {0}")]
    Client(#[source] BoxError),
}

/// A request that failed in the HTTP layer, after the retries that the policy allows.
///
/// Every variant that involves the network records how many attempts were made. Use
/// [`is_retryable`](Self::is_retryable) and [`is_outcome_unknown`](Self::is_outcome_unknown)
/// to decide what to do with a request that has failed for good: an upload whose outcome is
/// unknown may have been stored by the platform.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// No connection was made: refused, unreachable, DNS, TLS handshake or connect timeout.
    /// The request never reached the server. A rejected server certificate is not retried,
    /// and [`is_certificate_error`](Self::is_certificate_error) identifies it.
    #[error(
        "cannot connect to {host} after {attempts} attempt(s): {cause}; {advice}",
        cause = innermost(source.as_ref()),
        advice = connect_advice(source.as_ref())
    )]
    Connect {
        /// Host (and port) of the URL.
        host: String,
        /// Attempts made.
        attempts: u32,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// The whole-request timeout fired after the request was sent. The server may have
    /// processed it.
    #[error(
        "request to {host} timed out after {timeout:?} (attempt {attempts}); raise the request timeout or try again later"
    )]
    Timeout {
        /// Host (and port) of the URL.
        host: String,
        /// Attempts made.
        attempts: u32,
        /// The whole-request timeout in force.
        timeout: Duration,
    },

    /// The connection failed after it was established (reset, closed early, broken body).
    /// The server may have processed the request.
    #[error(
        "connection to {host} failed during the exchange after {attempts} attempt(s): {cause}; try again later",
        cause = innermost(source.as_ref())
    )]
    Interrupted {
        /// Host (and port) of the URL.
        host: String,
        /// Attempts made.
        attempts: u32,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// The server responded with a status other than 2xx.
    #[error("{host} returned HTTP {status} after {attempts} attempt(s); {advice}", advice = status_advice(*status))]
    Status {
        /// Host (and port) of the URL.
        host: String,
        /// The HTTP status code.
        status: u16,
        /// Attempts made.
        attempts: u32,
    },

    /// The response body is larger than the configured maximum.
    #[error(
        "response from {host} is larger than the maximum of {limit} bytes; raise max_response_bytes if this is expected"
    )]
    ResponseTooLarge {
        /// Host (and port) of the URL.
        host: String,
        /// The maximum in force, in bytes.
        limit: u64,
    },
}

impl TransportError {
    /// Returns whether another attempt could succeed: connection failures, timeouts, broken
    /// exchanges, HTTP 5xx and 429. A 4xx or an oversized response is not retryable.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Connect { .. } => !self.is_certificate_error(),
            Self::Timeout { .. } | Self::Interrupted { .. } => true,
            Self::Status { status, .. } => is_retryable_status(*status),
            Self::ResponseTooLarge { .. } => false,
        }
    }

    /// Returns whether the connection failed because the server's TLS certificate was rejected:
    /// signed by an authority that is not trusted, issued for another host name, expired, or
    /// otherwise invalid. A certificate from a private authority is accepted once its root is
    /// added with [`HttpConfig::add_root_certificates_file`](crate::HttpConfig::add_root_certificates_file).
    pub fn is_certificate_error(&self) -> bool {
        match self {
            Self::Connect { source, .. } => rejected_certificate(source.as_ref()).is_some(),
            _ => false,
        }
    }

    /// Returns whether the server may have received and processed the request: a timeout or
    /// broken exchange after sending, or an HTTP 500, 502 or 504, which a relay can return
    /// after the platform has acted. A connection failure, an HTTP 429 or 503 and any 4xx mean
    /// the request was not processed.
    pub fn is_outcome_unknown(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Interrupted { .. } => true,
            Self::Status { status, .. } => {
                is_retryable_status(*status) && !is_declined_status(*status)
            }
            Self::Connect { .. } | Self::ResponseTooLarge { .. } => false,
        }
    }

    /// Number of attempts made, or 1 for an error that stops at the first attempt.
    pub fn attempts(&self) -> u32 {
        match self {
            Self::Connect { attempts, .. }
            | Self::Timeout { attempts, .. }
            | Self::Interrupted { attempts, .. }
            | Self::Status { attempts, .. } => *attempts,
            Self::ResponseTooLarge { .. } => 1,
        }
    }
}

/// What to do about a failed connection, chosen by its cause.
fn connect_advice(source: &(dyn std::error::Error + 'static)) -> &'static str {
    use rustls::CertificateError;

    match rejected_certificate(source) {
        None => "check the endpoint, the proxy settings and the network",
        Some(CertificateError::UnknownIssuer) => {
            "the server's TLS certificate is not signed by a trusted root; if the server uses a private or self-signed certificate authority, add its root certificate in PEM with HttpConfig::add_root_certificates_file or add_root_certificates_pem"
        }
        Some(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => {
            "the server's TLS certificate was issued for another host name; use a URL with a host name that the certificate names"
        }
        Some(_) => "the server's TLS certificate is invalid; the server's operator must replace it",
    }
}

/// HTTP 5xx and 429 (too many requests) are worth another attempt.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

/// HTTP 429 and 503 mean the server declined the request without processing it.
pub(crate) fn is_declined_status(status: u16) -> bool {
    status == 429 || status == 503
}

fn status_advice(status: u16) -> &'static str {
    match status {
        429 => "the server is rate limiting; poll less often or try again later",
        500..=599 => "the server failed or is unavailable; try again later",
        404 => "check the endpoint URL path",
        400..=499 => "the server rejected the request; check the endpoint and the request",
        _ => "check the endpoint URL",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16) -> TransportError {
        TransportError::Status {
            host: "127.0.0.1:1".to_owned(),
            status: code,
            attempts: 1,
        }
    }

    #[test]
    fn status_retryable_classes() {
        for code in [429, 500, 502, 503, 504] {
            assert!(status(code).is_retryable(), "{code}");
        }
        for code in [301, 400, 401, 403, 404, 413] {
            assert!(!status(code).is_retryable(), "{code}");
        }
    }

    #[test]
    fn status_outcome_unknown_classes() {
        for code in [500, 502, 504] {
            assert!(status(code).is_outcome_unknown(), "{code}");
        }
        for code in [400, 404, 429, 503] {
            assert!(!status(code).is_outcome_unknown(), "{code}");
        }
    }

    #[test]
    fn timeout_is_retryable_and_unknown() {
        let error = TransportError::Timeout {
            host: "127.0.0.1:1".to_owned(),
            attempts: 3,
            timeout: Duration::from_secs(1),
        };
        assert!(error.is_retryable());
        assert!(error.is_outcome_unknown());
        assert_eq!(error.attempts(), 3);
    }

    fn connect(cause: std::io::Error) -> TransportError {
        TransportError::Connect {
            host: "127.0.0.1:1".to_owned(),
            attempts: 1,
            source: Box::new(cause),
        }
    }

    fn certificate(reason: rustls::CertificateError) -> TransportError {
        connect(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(reason),
        ))
    }

    #[test]
    fn connect_display_advises_by_cause() {
        let refused = connect(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        let text = refused.to_string();
        assert!(
            text.contains("check the endpoint, the proxy settings"),
            "{text}"
        );
        assert!(refused.is_retryable());
        assert!(!refused.is_certificate_error());

        let unknown = certificate(rustls::CertificateError::UnknownIssuer);
        let text = unknown.to_string();
        assert!(
            text.contains("invalid peer certificate: UnknownIssuer"),
            "{text}"
        );
        assert!(text.contains("add_root_certificates_file"), "{text}");

        let text = certificate(rustls::CertificateError::NotValidForName).to_string();
        assert!(text.contains("issued for another host name"), "{text}");

        let text = certificate(rustls::CertificateError::Expired).to_string();
        assert!(text.contains("operator must replace it"), "{text}");
    }

    #[test]
    fn certificate_error_is_not_retryable() {
        let error = certificate(rustls::CertificateError::UnknownIssuer);
        assert!(error.is_certificate_error());
        assert!(!error.is_retryable());
        assert!(!error.is_outcome_unknown());
    }

    #[test]
    fn status_display_names_code_and_advice() {
        let text = status(503).to_string();
        assert!(text.contains("HTTP 503"), "{text}");
        assert!(text.contains("try again later"), "{text}");
    }
}

//! One HTTP attempt's failure, classified for the retry schedule.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::error::{TransportError, is_declined_status, is_retryable_status};
use crate::error_chain::{innermost, rejected_certificate};
use crate::retry::FailureClass;

/// The cause of one failed attempt.
#[derive(Debug)]
pub(crate) enum AttemptError {
    Connect(reqwest::Error),
    Timeout,
    Interrupted(reqwest::Error),
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    TooLarge {
        limit: u64,
    },
}

impl AttemptError {
    /// Classifies an error from sending a request or reading its body. The URL is dropped from
    /// the error because photo URLs carry access tokens.
    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        let error = error.without_url();
        // A connect timeout reports both `is_connect` and `is_timeout`: the request was not sent.
        if error.is_connect() {
            Self::Connect(error)
        } else if error.is_timeout() {
            Self::Timeout
        } else {
            Self::Interrupted(error)
        }
    }

    /// Builds the error for a response whose status is not 2xx.
    pub(crate) fn from_status(status: reqwest::StatusCode, headers: &HeaderMap) -> Self {
        let status = status.as_u16();
        let retry_after = if is_declined_status(status) {
            retry_after_seconds(headers)
        } else {
            None
        };
        Self::Status {
            status,
            retry_after,
        }
    }

    pub(crate) fn class(&self) -> FailureClass {
        match self {
            // A rejected certificate is rejected again on every attempt.
            Self::Connect(error) if rejected_certificate(error).is_some() => FailureClass::Final,
            Self::Connect(_) => FailureClass::NotProcessed,
            Self::Timeout | Self::Interrupted(_) => FailureClass::OutcomeUnknown,
            Self::Status { status, .. } if is_declined_status(*status) => {
                FailureClass::NotProcessed
            }
            Self::Status { status, .. } if is_retryable_status(*status) => {
                FailureClass::OutcomeUnknown
            }
            Self::Status { .. } | Self::TooLarge { .. } => FailureClass::Final,
        }
    }

    pub(crate) fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Describes the cause in a few words, for the retry log line.
    pub(crate) fn cause(&self) -> String {
        match self {
            Self::Connect(error) => format!("connection failed: {}", innermost(error)),
            Self::Timeout => "timed out".to_owned(),
            Self::Interrupted(error) => format!("connection broken: {}", innermost(error)),
            Self::Status { status, .. } => format!("HTTP {status}"),
            Self::TooLarge { limit } => format!("body larger than {limit} bytes"),
        }
    }

    pub(crate) fn into_transport_error(
        self,
        host: String,
        attempts: u32,
        timeout: Duration,
    ) -> TransportError {
        match self {
            Self::Connect(error) => TransportError::Connect {
                host,
                attempts,
                source: Box::new(error),
            },
            Self::Timeout => TransportError::Timeout {
                host,
                attempts,
                timeout,
            },
            Self::Interrupted(error) => TransportError::Interrupted {
                host,
                attempts,
                source: Box::new(error),
            },
            Self::Status { status, .. } => TransportError::Status {
                host,
                status,
                attempts,
            },
            Self::TooLarge { limit } => TransportError::ResponseTooLarge { host, limit },
        }
    }
}

/// Reads `Retry-After` in seconds. The HTTP-date form is ignored and the backoff applies.
fn retry_after_seconds(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// `host:port` of a URL, the only part of it that logs and errors show.
pub(crate) fn host_of(url: &url::Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => "(no host)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, retry_after.parse().unwrap());
        headers
    }

    #[test]
    fn status_retry_after_read_on_429_and_503() {
        let error =
            AttemptError::from_status(reqwest::StatusCode::TOO_MANY_REQUESTS, &headers("2"));
        assert_eq!(error.retry_after(), Some(Duration::from_secs(2)));
        let error =
            AttemptError::from_status(reqwest::StatusCode::SERVICE_UNAVAILABLE, &headers(" 7 "));
        assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
    }

    #[test]
    fn status_retry_after_ignored_elsewhere() {
        let error =
            AttemptError::from_status(reqwest::StatusCode::INTERNAL_SERVER_ERROR, &headers("2"));
        assert_eq!(error.retry_after(), None);
        let error = AttemptError::from_status(
            reqwest::StatusCode::TOO_MANY_REQUESTS,
            &headers("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(error.retry_after(), None);
    }

    #[test]
    fn status_classes() {
        let class = |code: u16| {
            AttemptError::from_status(
                reqwest::StatusCode::from_u16(code).unwrap(),
                &HeaderMap::new(),
            )
            .class()
        };
        assert_eq!(class(429), FailureClass::NotProcessed);
        assert_eq!(class(503), FailureClass::NotProcessed);
        assert_eq!(class(500), FailureClass::OutcomeUnknown);
        assert_eq!(class(504), FailureClass::OutcomeUnknown);
        assert_eq!(class(400), FailureClass::Final);
        assert_eq!(class(404), FailureClass::Final);
    }

    #[test]
    fn host_of_keeps_port_only_when_given() {
        let url = url::Url::parse("http://127.0.0.1:8080/a?b=c").unwrap();
        assert_eq!(host_of(&url), "127.0.0.1:8080");
        let url = url::Url::parse("https://photos.example.invalid/x.jpg?e=1").unwrap();
        assert_eq!(host_of(&url), "photos.example.invalid");
    }
}

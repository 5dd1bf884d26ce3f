//! Reading an error's source chain: its innermost cause and a rejected TLS certificate.

use std::error::Error;

/// The deepest source of an error, which for reqwest names the actual cause
/// (`Connection refused`) rather than the wrapper (`error sending request`).
pub(crate) fn innermost(error: &(dyn Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

/// Finds the reason rustls rejected the server's certificate, if that ended the connection.
///
/// The TLS layers wrap the rustls error in one or more `std::io::Error`s. `io::Error::source`
/// skips the error it wraps, so the walk opens each `io::Error` with `get_ref` instead.
pub(crate) fn rejected_certificate<'a>(
    error: &'a (dyn Error + 'static),
) -> Option<&'a rustls::CertificateError> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(rustls::Error::InvalidCertificate(reason)) = error.downcast_ref() {
            return Some(reason);
        }
        current = match error.downcast_ref::<std::io::Error>() {
            Some(io_error) => io_error
                .get_ref()
                .map(|inner| inner as &(dyn Error + 'static)),
            None => error.source(),
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Wrapper(std::io::Error);

    impl std::fmt::Display for Wrapper {
        fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            formatter.write_str("error sending request")
        }
    }

    impl Error for Wrapper {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    fn wrapped(error: rustls::Error) -> Wrapper {
        Wrapper(std::io::Error::new(std::io::ErrorKind::InvalidData, error))
    }

    #[test]
    fn rejected_certificate_found_inside_io_error() {
        let error = wrapped(rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer,
        ));
        assert_eq!(
            rejected_certificate(&error),
            Some(&rustls::CertificateError::UnknownIssuer)
        );
    }

    #[test]
    fn rejected_certificate_found_inside_nested_io_errors() {
        let inner = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName),
        );
        let error = Wrapper(std::io::Error::other(inner));
        assert_eq!(
            rejected_certificate(&error),
            Some(&rustls::CertificateError::NotValidForName)
        );
    }

    #[test]
    fn rejected_certificate_found_at_top() {
        let error = rustls::Error::InvalidCertificate(rustls::CertificateError::Expired);
        assert_eq!(
            rejected_certificate(&error),
            Some(&rustls::CertificateError::Expired)
        );
    }

    #[test]
    fn rejected_certificate_absent_for_other_errors() {
        let refused = Wrapper(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(rejected_certificate(&refused), None);
        let alert = wrapped(rustls::Error::AlertReceived(
            rustls::AlertDescription::HandshakeFailure,
        ));
        assert_eq!(rejected_certificate(&alert), None);
    }

    #[test]
    fn innermost_names_the_deepest_cause() {
        let error = wrapped(rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer,
        ));
        assert_eq!(innermost(&error), "invalid peer certificate: UnknownIssuer");
    }
}

//! The gateway URL that every platform call is posted to.

use std::fmt;
use std::str::FromStr;

use url::Url;

use crate::error::BuildError;

/// Gateway URL of the platform's test environment (测试环境).
pub const TEST_GATEWAY: &str = "https://testbxgs.jk.szpisp.cn/police-policy-api/openapi/gateway.do";

/// Gateway URL of the platform's production environment (生产环境).
pub const PRODUCTION_GATEWAY: &str =
    "https://bxgs.jk.szpisp.cn/police-policy-api/openapi/gateway.do";

/// The gateway that receives every call: the platform's test or production gateway, or any
/// `http://` or `https://` URL (a simulator, a local test server, an internal relay).
///
/// Parsing accepts `test`, `prod` (or `production`) and absolute URLs:
///
/// ```
/// use jb_transport::{Endpoint, TEST_GATEWAY};
///
/// let test: Endpoint = "test".parse()?;
/// assert_eq!(test.url().as_str(), TEST_GATEWAY);
///
/// let local: Endpoint = "http://127.0.0.1:8080/gateway.do".parse()?;
/// assert_eq!(local.url().port(), Some(8080));
/// # Ok::<(), jb_transport::BuildError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    url: Url,
}

impl Endpoint {
    /// The platform's test gateway, [`TEST_GATEWAY`].
    pub fn test() -> Self {
        Self::from_constant(TEST_GATEWAY)
    }

    /// The platform's production gateway, [`PRODUCTION_GATEWAY`].
    pub fn production() -> Self {
        Self::from_constant(PRODUCTION_GATEWAY)
    }

    /// Parses an absolute `http://` or `https://` URL with a host.
    ///
    /// Plain `http://` is accepted so that tests and simulators can run without certificates;
    /// the platform itself is only reachable over HTTPS.
    pub fn from_url(url: &str) -> Result<Self, BuildError> {
        let parsed = Url::parse(url.trim()).map_err(|error| BuildError::InvalidUrl {
            what: "endpoint",
            url: url.to_owned(),
            reason: error.to_string(),
        })?;
        check_http_url("endpoint", &parsed)?;
        Ok(Self { url: parsed })
    }

    /// The gateway URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    fn from_constant(url: &str) -> Self {
        // The constants above are valid absolute URLs; a parse failure here would be a typo in
        // this file, caught by the unit tests.
        #[allow(clippy::expect_used)]
        let url = Url::parse(url).expect("gateway constant is a valid URL");
        Self { url }
    }
}

impl FromStr for Endpoint {
    type Err = BuildError;

    /// Parses `test`, `prod`, `production` or an absolute `http(s)://` URL.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.trim() {
            "test" => Ok(Self::test()),
            "prod" | "production" => Ok(Self::production()),
            other => Self::from_url(other),
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.url.as_str())
    }
}

/// Checks that a URL is `http` or `https` with a host, the only URLs this crate sends to.
pub(crate) fn check_http_url(what: &'static str, url: &Url) -> Result<(), BuildError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(BuildError::InvalidUrl {
            what,
            url: url.to_string(),
            reason: format!("scheme `{}` is not http or https", url.scheme()),
        });
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(BuildError::InvalidUrl {
            what,
            url: url.to_string(),
            reason: "the URL has no host".to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_constants_parse() {
        assert_eq!(Endpoint::test().url().as_str(), TEST_GATEWAY);
        assert_eq!(Endpoint::production().url().as_str(), PRODUCTION_GATEWAY);
        assert_eq!(Endpoint::test().url().scheme(), "https");
        assert_eq!(Endpoint::production().url().scheme(), "https");
    }

    #[test]
    fn endpoint_from_str_names() {
        assert_eq!("test".parse::<Endpoint>().ok(), Some(Endpoint::test()));
        assert_eq!(
            "prod".parse::<Endpoint>().ok(),
            Some(Endpoint::production())
        );
        assert_eq!(
            "production".parse::<Endpoint>().ok(),
            Some(Endpoint::production())
        );
    }

    #[test]
    fn endpoint_accepts_plain_http() {
        let endpoint: Endpoint = "http://127.0.0.1:3000/gateway.do".parse().unwrap();
        assert_eq!(endpoint.url().scheme(), "http");
        assert_eq!(endpoint.url().path(), "/gateway.do");
    }

    #[test]
    fn endpoint_rejects_other_schemes() {
        let error = "ftp://example.invalid/".parse::<Endpoint>().unwrap_err();
        assert!(error.to_string().contains("ftp"), "{error}");
    }

    #[test]
    fn endpoint_rejects_relative_and_empty() {
        assert!("gateway.do".parse::<Endpoint>().is_err());
        assert!("".parse::<Endpoint>().is_err());
        assert!("tset".parse::<Endpoint>().is_err());
    }
}

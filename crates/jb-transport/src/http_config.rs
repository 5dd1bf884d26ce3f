//! Connection settings shared by the gateway transport and the photo downloader.

use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use crate::endpoint::check_http_url;
use crate::error::BuildError;

/// The proxy that requests go through: the one named by the environment, none, or a configured one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProxyConfig {
    /// Uses the proxy named by `HTTPS_PROXY` for `https://` URLs and `HTTP_PROXY` for
    /// `http://` URLs, or else `ALL_PROXY` (each also in lowercase), except hosts listed in
    /// `NO_PROXY`. No proxy when they are unset. This is the default.
    ///
    /// The variables are read when the transport or downloader is built. `NO_PROXY` entries
    /// are compared with the URL's host as written, so `localhost` does not cover
    /// `127.0.0.1`, and `*` covers every host name but no IP address. All the variables are
    /// ignored when `REQUEST_METHOD` is set, as in a CGI program, where a request's `Proxy`
    /// header would otherwise become `HTTP_PROXY`. (Behaviour of reqwest 0.12 through
    /// hyper-util 0.1.)
    #[default]
    Environment,
    /// Connects directly and ignores the proxy environment variables.
    Disabled,
    /// Sends every request through this `http://` or `https://` proxy URL, which may carry
    /// `user:password@`. `no_proxy` lists hosts to reach directly, in the `NO_PROXY` format:
    /// comma-separated host names, domain suffixes, IP addresses or CIDR ranges. When it is
    /// `None`, the `NO_PROXY` environment variable applies.
    Url {
        /// The proxy URL.
        url: String,
        /// Hosts reached without the proxy.
        no_proxy: Option<String>,
    },
}

/// HTTP connection settings: timeouts, extra trusted root certificates and proxy.
///
/// TLS certificate and host name verification are always on; there is no setting to turn them
/// off. A server with a private or self-signed certificate is trusted by adding its root
/// certificate with [`add_root_certificates_file`](Self::add_root_certificates_file). Settings
/// are checked when a transport or downloader is built.
///
/// ```
/// use std::time::Duration;
/// use jb_transport::{HttpConfig, ProxyConfig};
///
/// let config = HttpConfig::default()
///     .connect_timeout(Duration::from_secs(5))
///     .request_timeout(Duration::from_secs(20))
///     .proxy(ProxyConfig::Disabled);
/// # drop(config);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpConfig {
    connect_timeout: Duration,
    request_timeout: Duration,
    root_certificates: Vec<RootCertificates>,
    proxy: ProxyConfig,
    user_agent: String,
}

#[derive(Clone, PartialEq, Eq)]
enum RootCertificates {
    File(PathBuf),
    Pem(Vec<u8>),
}

impl std::fmt::Debug for RootCertificates {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(path) => formatter.debug_tuple("File").field(path).finish(),
            Self::Pem(pem) => write!(formatter, "Pem({} bytes)", pem.len()),
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            root_certificates: Vec::new(),
            proxy: ProxyConfig::Environment,
            user_agent: concat!("jb-transport/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

impl HttpConfig {
    /// Sets the time allowed to open a connection, TLS handshake included. Default: 10 s.
    /// Must not be zero.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the time allowed for one whole attempt, from connecting until the last byte of the
    /// response body. Default: 30 s. Must not be zero. A photo download counts its body against
    /// this timeout too, so large photos over slow links may need more.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Trusts the root certificates in a PEM file, in addition to the built-in Mozilla roots.
    /// Every certificate in the file becomes a root, so it may be a bundle of several CAs, or
    /// a server's own self-signed certificate. Host names are still checked against the
    /// server's certificate. The file is read when the transport is built. Default: no extra
    /// roots.
    pub fn add_root_certificates_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.root_certificates
            .push(RootCertificates::File(path.into()));
        self
    }

    /// Trusts the root certificates in PEM text, in addition to the built-in Mozilla roots.
    pub fn add_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates
            .push(RootCertificates::Pem(pem.into()));
        self
    }

    /// Sets the proxy. Default: [`ProxyConfig::Environment`].
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = proxy;
        self
    }

    /// Sets the `User-Agent` header. Default: `jb-transport/` and the crate version.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The whole-request timeout, reported in timeout errors.
    pub(crate) fn timeout(&self) -> Duration {
        self.request_timeout
    }

    /// Checks the settings and builds the HTTP client. `follow_redirects` is off for the
    /// gateway, where a redirected POST would turn into a GET, and on for photo hosts.
    pub(crate) fn build_client(
        &self,
        follow_redirects: bool,
    ) -> Result<reqwest::Client, BuildError> {
        if self.connect_timeout.is_zero() {
            return Err(zero_timeout("connect_timeout"));
        }
        if self.request_timeout.is_zero() {
            return Err(zero_timeout("request_timeout"));
        }

        let redirect = if follow_redirects {
            reqwest::redirect::Policy::limited(5)
        } else {
            reqwest::redirect::Policy::none()
        };
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .user_agent(self.user_agent.clone())
            .redirect(redirect);

        for roots in &self.root_certificates {
            for certificate in roots.load()? {
                builder = builder.add_root_certificate(certificate);
            }
        }

        builder = match &self.proxy {
            ProxyConfig::Environment => builder,
            ProxyConfig::Disabled => builder.no_proxy(),
            ProxyConfig::Url { url, no_proxy } => {
                builder.proxy(explicit_proxy(url, no_proxy.as_deref())?)
            }
        };

        builder
            .build()
            .map_err(|error| BuildError::Client(Box::new(error)))
    }
}

impl RootCertificates {
    fn load(&self) -> Result<Vec<reqwest::Certificate>, BuildError> {
        let (origin, pem) = match self {
            Self::File(path) => {
                let pem = std::fs::read(path).map_err(|source| BuildError::CertificateFile {
                    path: path.clone(),
                    source,
                })?;
                (path.display().to_string(), pem)
            }
            Self::Pem(pem) => ("(in memory)".to_owned(), pem.clone()),
        };

        let certificates = reqwest::Certificate::from_pem_bundle(&pem).map_err(|error| {
            BuildError::Certificate {
                origin: origin.clone(),
                reason: error.to_string(),
            }
        })?;
        if certificates.is_empty() {
            return Err(BuildError::Certificate {
                origin,
                reason: "no certificate found".to_owned(),
            });
        }
        Ok(certificates)
    }
}

fn explicit_proxy(url: &str, no_proxy: Option<&str>) -> Result<reqwest::Proxy, BuildError> {
    let invalid = |reason: String| BuildError::InvalidUrl {
        what: "proxy",
        url: redact_userinfo(url),
        reason,
    };
    let parsed = Url::parse(url).map_err(|error| invalid(error.to_string()))?;
    check_http_url("proxy", &parsed).map_err(|_| {
        invalid("a proxy must be an http:// or https:// URL with a host".to_owned())
    })?;

    let no_proxy = match no_proxy {
        Some(list) => reqwest::NoProxy::from_string(list),
        None => reqwest::NoProxy::from_env(),
    };
    let proxy = reqwest::Proxy::all(parsed.as_str()).map_err(|error| invalid(error.to_string()))?;
    Ok(proxy.no_proxy(no_proxy))
}

/// Removes a password from a URL so that it can appear in an error message.
fn redact_userinfo(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // `set_password` fails only for URLs without a host, and this URL has a password, so a host.
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "(unparsable URL)".to_owned(),
    }
}

fn zero_timeout(name: &'static str) -> BuildError {
    BuildError::InvalidSetting {
        name,
        value: "0s".to_owned(),
        reason: "a timeout must be longer than zero",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_default_builds() {
        assert!(HttpConfig::default().build_client(false).is_ok());
    }

    #[test]
    fn config_rejects_zero_timeouts() {
        let error = HttpConfig::default()
            .connect_timeout(Duration::ZERO)
            .build_client(false)
            .unwrap_err();
        assert!(error.to_string().contains("connect_timeout"), "{error}");

        let error = HttpConfig::default()
            .request_timeout(Duration::ZERO)
            .build_client(false)
            .unwrap_err();
        assert!(error.to_string().contains("request_timeout"), "{error}");
    }

    #[test]
    fn config_rejects_missing_certificate_file() {
        let error = HttpConfig::default()
            .add_root_certificates_file("/nonexistent/roots.pem")
            .build_client(false)
            .unwrap_err();
        assert!(
            matches!(error, BuildError::CertificateFile { .. }),
            "{error}"
        );
        assert!(
            error.to_string().contains("/nonexistent/roots.pem"),
            "{error}"
        );
    }

    #[test]
    fn config_rejects_pem_without_certificate() {
        let error = HttpConfig::default()
            .add_root_certificates_pem("not a certificate")
            .build_client(false)
            .unwrap_err();
        assert!(matches!(error, BuildError::Certificate { .. }), "{error}");
    }

    #[test]
    fn config_rejects_bad_proxy_and_hides_password() {
        let error = HttpConfig::default()
            .proxy(ProxyConfig::Url {
                url: "ftp://user:secret@proxy.invalid:21".to_owned(),
                no_proxy: None,
            })
            .build_client(false)
            .unwrap_err();
        let text = error.to_string();
        assert!(text.contains("proxy"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }

    #[test]
    fn config_accepts_proxy_url() {
        let config = HttpConfig::default().proxy(ProxyConfig::Url {
            url: "http://127.0.0.1:3128".to_owned(),
            no_proxy: Some("localhost,10.0.0.0/8".to_owned()),
        });
        assert!(config.build_client(false).is_ok());
    }
}

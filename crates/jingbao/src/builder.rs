//! `ClientBuilder`: the settings of a [`Client`], checked at `build()`.

use jb_crypto::AppKey;
use jb_model::DownloadRequest;
use jb_model::{Insurer, Validate, ValidationOptions};
use jb_proto::{Codec, SerialNoGenerator};
use jb_transport::{Endpoint, HttpConfig, HttpTransport, PhotoDownloader, RetryPolicy, Transport};

use crate::client::Client;
use crate::error::BuildError;

/// Builder of a [`Client`]. The endpoint, appId, appKey and insurer code are required; every
/// other setting has a documented default.
#[derive(Debug, Default)]
pub struct ClientBuilder {
    endpoint: Option<Endpoint>,
    app_id: Option<String>,
    app_key: Option<AppKey>,
    insurance_code: Option<String>,
    http: HttpConfig,
    retry: RetryPolicy,
    max_response_bytes: Option<u64>,
    photos: Option<PhotoDownloader>,
}

impl ClientBuilder {
    /// Sets the gateway: [`Endpoint::test`], [`Endpoint::production`] or any URL. Required,
    /// unless the client is built with [`build_with_transport`](Self::build_with_transport).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// Sets the appId (合作方唯一标识) the platform issued. Required.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// Sets the appKey, the shared secret for signing and encryption. Required. It is never
    /// logged.
    pub fn app_key(mut self, app_key: AppKey) -> Self {
        self.app_key = Some(app_key);
        self
    }

    /// Sets the insurer code (insuranceCode, 保险公司代码), such as `CPIC`, sent with every
    /// download. Required; it must be in the platform's insurer table.
    pub fn insurance_code(mut self, code: impl Into<String>) -> Self {
        self.insurance_code = Some(code.into());
        self
    }

    /// Sets timeouts, extra root certificates and proxy, for the gateway and photo hosts.
    /// Default: [`HttpConfig::default`].
    pub fn http(mut self, http: HttpConfig) -> Self {
        self.http = http;
        self
    }

    /// Sets the retry policy, for the gateway and photo hosts. Default: [`RetryPolicy::default`].
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the largest gateway response accepted, in bytes. Default: the transport's, 32 MiB.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Sets the photo downloader, for a size limit or URL rewrite of its own. Default: one
    /// built from [`http`](Self::http) and [`retry`](Self::retry) with a 20 MiB limit.
    pub fn photo_downloader(mut self, photos: PhotoDownloader) -> Self {
        self.photos = Some(photos);
        self
    }

    /// Checks the settings and builds a client over HTTP(S).
    pub fn build(mut self) -> Result<Client<HttpTransport>, BuildError> {
        let endpoint = self.endpoint.take().ok_or(BuildError::Missing {
            setting: "endpoint",
        })?;
        let mut transport = HttpTransport::builder(endpoint)
            .http(self.http.clone())
            .retry(self.retry.clone());
        if let Some(limit) = self.max_response_bytes {
            transport = transport.max_response_bytes(limit);
        }
        let transport = transport.build()?;
        self.build_with_transport(transport)
    }

    /// Checks the settings and builds a client over another [`Transport`], such as a test
    /// double or another HTTP stack. The endpoint, HTTP and retry settings then apply to the
    /// photo downloader only.
    pub fn build_with_transport<T: Transport>(self, transport: T) -> Result<Client<T>, BuildError> {
        let app_id = required(self.app_id, "app_id")?;
        let app_key = self
            .app_key
            .ok_or(BuildError::Missing { setting: "app_key" })?;
        if app_key.is_empty() {
            return Err(BuildError::Empty { setting: "app_key" });
        }
        let code = required(self.insurance_code, "insurance_code")?;
        let insurer = checked_insurer(&code)?;

        let photos = match self.photos {
            Some(photos) => photos,
            None => PhotoDownloader::builder()
                .http(self.http)
                .retry(self.retry)
                .build()?,
        };

        Ok(Client::from_parts(
            Codec::new(app_id, app_key),
            insurer,
            transport,
            photos,
            SerialNoGenerator::new(),
        ))
    }
}

fn required(value: Option<String>, setting: &'static str) -> Result<String, BuildError> {
    let value = value.ok_or(BuildError::Missing { setting })?;
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(BuildError::Empty { setting });
    }
    Ok(trimmed.to_owned())
}

/// Parses the insurer code and checks it strictly, as an upload would be.
fn checked_insurer(code: &str) -> Result<Insurer, BuildError> {
    let insurer = Insurer::from_code(code);
    let violations =
        DownloadRequest::new(insurer.clone()).validate_with(&ValidationOptions::upload());
    match violations.first() {
        None => Ok(insurer),
        Some(violation) => Err(BuildError::InsuranceCode {
            code: code.to_owned(),
            reason: violation.rule.to_string(),
        }),
    }
}

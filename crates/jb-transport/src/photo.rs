//! `PhotoDownloader`: streams accident photos to a file or writer with checks and a checksum.

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};

use reqwest::header::CONTENT_TYPE;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncSeekExt, AsyncWrite, AsyncWriteExt};
use url::Url;

use crate::attempt::{AttemptError, host_of};
use crate::error::{BuildError, TransportError};
use crate::http_config::HttpConfig;
use crate::photo_error::PhotoError;
use crate::photo_url::{PrefixRewrite, check_not_expired, resolve};
use crate::retry::{RetryPolicy, Schedule};

/// Default maximum photo size: 20 MiB.
const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;

/// A downloaded photo: its size, content type and SHA-256 of exactly the bytes written.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Photo {
    /// Bytes written.
    pub size: u64,
    /// The `Content-Type` the server sent, such as `image/jpeg`.
    pub content_type: String,
    /// SHA-256 of the bytes written.
    pub sha256: [u8; 32],
    /// Attempts made.
    pub attempts: u32,
}

impl Photo {
    /// The SHA-256 as 64 lowercase hex digits.
    pub fn sha256_hex(&self) -> String {
        self.sha256
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// Downloads the photos that accident records link to.
///
/// Before any request, the URL's `e` parameter (expiry, Unix seconds) is checked: a link that
/// has expired fails with [`PhotoError::Expired`] without contacting the server, and the check
/// is repeated before each retry. The response must be 2xx with an `image/*` content type and
/// at most [`max_bytes`](PhotoDownloaderBuilder::max_bytes) long. Failures are retried like
/// gateway requests (see [`RetryPolicy`]); photo requests are GETs, so every retryable failure
/// is retried. Logs and errors name the host only, since photo URLs carry access tokens.
#[derive(Clone, Debug)]
pub struct PhotoDownloader {
    client: reqwest::Client,
    retry: RetryPolicy,
    timeout: std::time::Duration,
    max_bytes: u64,
    rewrites: Vec<PrefixRewrite>,
}

/// Builder of a [`PhotoDownloader`]; settings are checked by [`build`](Self::build).
#[derive(Clone, Debug)]
pub struct PhotoDownloaderBuilder {
    http: HttpConfig,
    retry: RetryPolicy,
    max_bytes: u64,
    rewrites: Vec<(String, String)>,
}

impl PhotoDownloader {
    /// Starts a builder with the defaults.
    pub fn builder() -> PhotoDownloaderBuilder {
        PhotoDownloaderBuilder {
            http: HttpConfig::default(),
            retry: RetryPolicy::default(),
            max_bytes: DEFAULT_MAX_BYTES,
            rewrites: Vec::new(),
        }
    }

    /// Streams the photo at `url` into `writer`.
    ///
    /// A failure before the first byte is written is retried. A writer cannot be rewound, so a
    /// connection that breaks after bytes were written ends the download with
    /// [`PhotoError::Incomplete`]; [`download_to_file`](Self::download_to_file) retries that
    /// case too. The writer is flushed but not shut down.
    pub async fn download_to_writer<W>(
        &self,
        url: &str,
        writer: &mut W,
    ) -> Result<Photo, PhotoError>
    where
        W: AsyncWrite + Unpin + Send + ?Sized,
    {
        let mut sink = WriterSink { writer };
        self.download(url, &mut sink).await
    }

    /// Downloads the photo at `url` into the file at `path`.
    ///
    /// The photo is written to `path` with `.part` appended, restarted from the first byte on
    /// each retry, synced and then renamed to `path`, so `path` only ever contains a complete
    /// photo. The partial file is removed on failure.
    pub async fn download_to_file(
        &self,
        url: &str,
        path: impl AsRef<Path>,
    ) -> Result<Photo, PhotoError> {
        let path = path.as_ref();
        let partial = partial_path(path);
        let io_error = |source| PhotoError::Io {
            path: Some(path.to_owned()),
            source,
        };

        // Check the URL before creating any file.
        let target = resolve(url, &self.rewrites)?;
        check_not_expired(&target)?;

        let file = tokio::fs::File::create(&partial).await.map_err(io_error)?;
        let mut sink = FileSink { file };
        let result = self.download(url, &mut sink).await;
        let finished = match result {
            Ok(photo) => sink.file.sync_all().await.and(Ok(photo)).map_err(io_error),
            Err(PhotoError::Io { path: None, source }) => Err(io_error(source)),
            Err(error) => Err(error),
        };
        drop(sink);

        match finished {
            Ok(photo) => {
                tokio::fs::rename(&partial, path).await.map_err(io_error)?;
                Ok(photo)
            }
            Err(error) => {
                // The download already failed; a leftover partial file is the lesser problem.
                let _ = tokio::fs::remove_file(&partial).await;
                Err(error)
            }
        }
    }

    async fn download<S: Sink>(&self, url: &str, sink: &mut S) -> Result<Photo, PhotoError> {
        let target = resolve(url, &self.rewrites)?;
        let host = host_of(&target);
        let mut schedule = Schedule::start(&self.retry, true);

        loop {
            check_not_expired(&target)?;
            let attempt = schedule.begin_attempt();
            tracing::debug!(host = %host, attempt, "downloading photo");

            let mut progress = Progress::default();
            let error = match self.fetch(&target, sink, &mut progress).await {
                Ok(content_type) => {
                    return Ok(Photo {
                        size: progress.written,
                        content_type,
                        sha256: progress.hasher.finalize().into(),
                        attempts: attempt,
                    });
                }
                Err(Fetch::Final(error)) => return Err(error),
                Err(Fetch::Attempt(error)) => error,
            };

            if progress.written > 0
                && !sink
                    .restart()
                    .await
                    .map_err(|source| PhotoError::Io { path: None, source })?
            {
                return Err(incomplete(error, host, progress.written));
            }
            let Some(wait) = schedule.next_wait(error.class(), error.retry_after()) else {
                return Err(final_error(error, host, schedule.attempts(), self.timeout));
            };
            tracing::warn!(
                host = %host,
                attempt,
                cause = %error.cause(),
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "photo download failed; retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// Makes one attempt; returns the content type.
    async fn fetch<S: Sink>(
        &self,
        url: &Url,
        sink: &mut S,
        progress: &mut Progress,
    ) -> Result<String, Fetch> {
        let host = host_of(url);
        let mut response = self
            .client
            .get(url.clone())
            .send()
            .await
            .map_err(|error| Fetch::Attempt(AttemptError::from_reqwest(error)))?;

        let status = response.status();
        if !status.is_success() {
            return Err(Fetch::Attempt(AttemptError::from_status(
                status,
                response.headers(),
            )));
        }

        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(|value| value.trim().to_owned());
        let is_image = content_type.as_deref().is_some_and(|value| {
            value
                .get(..6)
                .is_some_and(|kind| kind.eq_ignore_ascii_case("image/"))
        });
        let content_type = match content_type {
            Some(content_type) if is_image => content_type,
            content_type => {
                return Err(Fetch::Final(PhotoError::ContentType { host, content_type }));
            }
        };

        let too_large = || {
            Fetch::Final(PhotoError::TooLarge {
                host: host.clone(),
                limit: self.max_bytes,
            })
        };
        if response
            .content_length()
            .is_some_and(|length| length > self.max_bytes)
        {
            return Err(too_large());
        }

        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| Fetch::Attempt(AttemptError::from_reqwest(error)))?
        {
            if progress.written + chunk.len() as u64 > self.max_bytes {
                return Err(too_large());
            }
            sink.write_chunk(&chunk)
                .await
                .map_err(|source| Fetch::Final(PhotoError::Io { path: None, source }))?;
            progress.hasher.update(&chunk);
            progress.written += chunk.len() as u64;
        }
        sink.flush()
            .await
            .map_err(|source| Fetch::Final(PhotoError::Io { path: None, source }))?;
        Ok(content_type)
    }
}

impl PhotoDownloaderBuilder {
    /// Sets timeouts, extra root certificates and proxy. Default: [`HttpConfig::default`].
    /// Photo hosts with a private certificate authority are trusted by adding its root here.
    pub fn http(mut self, http: HttpConfig) -> Self {
        self.http = http;
        self
    }

    /// Sets the retry policy. Default: [`RetryPolicy::default`].
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the largest photo accepted, in bytes. Default: 20 MiB. Must not be zero.
    pub fn max_bytes(mut self, limit: u64) -> Self {
        self.max_bytes = limit;
        self
    }

    /// Rewrites photo URLs that start with `from` to start with `to` instead, for photo hosts
    /// reached through an internal address. Rules are tried in the order added and the first
    /// match applies; the rest of the URL, query included, is kept. Both prefixes must be
    /// absolute `http(s)://` URLs. Default: no rewrite.
    pub fn rewrite_prefix(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.rewrites.push((from.into(), to.into()));
        self
    }

    /// Checks the settings and builds the downloader.
    pub fn build(self) -> Result<PhotoDownloader, BuildError> {
        self.retry.validate()?;
        if self.max_bytes == 0 {
            return Err(BuildError::InvalidSetting {
                name: "max_bytes",
                value: "0".to_owned(),
                reason: "must be at least 1 byte",
            });
        }
        let rewrites = self
            .rewrites
            .into_iter()
            .map(|(from, to)| PrefixRewrite::new(from, to))
            .collect::<Result<Vec<_>, _>>()?;
        let client = self.http.build_client(true)?;
        Ok(PhotoDownloader {
            client,
            retry: self.retry,
            timeout: self.http.timeout(),
            max_bytes: self.max_bytes,
            rewrites,
        })
    }
}

/// Bytes written and their running hash, for one attempt.
#[derive(Default)]
struct Progress {
    written: u64,
    hasher: Sha256,
}

/// The failure of one attempt: retryable through the schedule, or final.
enum Fetch {
    Attempt(AttemptError),
    Final(PhotoError),
}

fn final_error(
    error: AttemptError,
    host: String,
    attempts: u32,
    timeout: std::time::Duration,
) -> PhotoError {
    match error {
        AttemptError::Status { status, .. } => PhotoError::Status {
            host,
            status,
            attempts,
        },
        AttemptError::TooLarge { limit } => PhotoError::TooLarge { host, limit },
        other => PhotoError::Network(other.into_transport_error(host, attempts, timeout)),
    }
}

fn incomplete(error: AttemptError, host: String, written: u64) -> PhotoError {
    let source: crate::error::BoxError = match error {
        AttemptError::Connect(error) | AttemptError::Interrupted(error) => Box::new(error),
        other => other.cause().into(),
    };
    PhotoError::Incomplete {
        host,
        written,
        source,
    }
}

/// The destination of photo bytes.
trait Sink: Send {
    fn write_chunk(&mut self, chunk: &[u8]) -> impl Future<Output = io::Result<()>> + Send;
    fn flush(&mut self) -> impl Future<Output = io::Result<()>> + Send;
    /// Discards what an earlier attempt wrote; returns `false` when that is impossible.
    fn restart(&mut self) -> impl Future<Output = io::Result<bool>> + Send;
}

struct WriterSink<'a, W: ?Sized> {
    writer: &'a mut W,
}

impl<W: AsyncWrite + Unpin + Send + ?Sized> Sink for WriterSink<'_, W> {
    async fn write_chunk(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.writer.write_all(chunk).await
    }

    async fn flush(&mut self) -> io::Result<()> {
        self.writer.flush().await
    }

    async fn restart(&mut self) -> io::Result<bool> {
        Ok(false)
    }
}

struct FileSink {
    file: tokio::fs::File,
}

impl Sink for FileSink {
    async fn write_chunk(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.file.write_all(chunk).await
    }

    async fn flush(&mut self) -> io::Result<()> {
        self.file.flush().await
    }

    async fn restart(&mut self) -> io::Result<bool> {
        self.file.flush().await?;
        self.file.set_len(0).await?;
        self.file.seek(io::SeekFrom::Start(0)).await?;
        Ok(true)
    }
}

/// `photo.jpg` → `photo.jpg.part`, in the same directory so that the rename stays on one file
/// system.
fn partial_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|name| name.to_os_string())
        .unwrap_or_default();
    name.push(".part");
    path.with_file_name(name)
}

impl From<TransportError> for PhotoError {
    fn from(error: TransportError) -> Self {
        Self::Network(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_path_appends_suffix() {
        assert_eq!(
            partial_path(Path::new("/tmp/a/p.jpg")),
            PathBuf::from("/tmp/a/p.jpg.part")
        );
    }

    #[test]
    fn photo_sha256_hex_is_lowercase() {
        let photo = Photo {
            size: 0,
            content_type: "image/jpeg".to_owned(),
            sha256: Sha256::digest(b"").into(),
            attempts: 1,
        };
        assert_eq!(
            photo.sha256_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn builder_rejects_zero_max_bytes() {
        let error = PhotoDownloader::builder().max_bytes(0).build().unwrap_err();
        assert!(error.to_string().contains("max_bytes"), "{error}");
    }

    #[test]
    fn builder_rejects_bad_rewrite() {
        let error = PhotoDownloader::builder()
            .rewrite_prefix("photos/", "http://10.0.0.1/")
            .build()
            .unwrap_err();
        assert!(error.to_string().contains("rewrite prefix"), "{error}");
    }
}

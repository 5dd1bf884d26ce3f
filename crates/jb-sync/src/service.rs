//! The sync service: its settings, start-up, and the loop of cycles until shutdown.

use std::fs::File;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::data_dir::DataDir;
use crate::emitter::Emitter;
use crate::error::{Setting, SyncError};
use crate::metrics::{CycleReport, Totals, UploadCounts};
use crate::operation::Operation;
use crate::photos::PhotoSettings;
use crate::platform::Platform;
use crate::private_file::open_private;
use crate::progress::{NoProgress, Progress};
use crate::schedule::{jittered, outside_recommended};
use crate::sender::{Backoff, send_due_uploads};
use crate::sink::{NdjsonFile, Sink, Stdout};
use crate::stop::{StopSignal, stop_pair};
use crate::store::Store;

/// The largest number of photos fetched at once that the builder accepts.
const MAX_PHOTO_CONCURRENCY: usize = 64;

/// Where the NDJSON file goes.
#[derive(Clone, Debug)]
enum NdjsonTarget {
    InDataDir,
    At(PathBuf),
    Off,
}

/// Settings of a [`SyncService`]; see each method for its default.
#[derive(Debug)]
pub struct SyncServiceBuilder<P> {
    platform: P,
    data_dir: DataDir,
    interval: Duration,
    jitter: Duration,
    operations: Vec<Operation>,
    ndjson: NdjsonTarget,
    ndjson_max_bytes: u64,
    stdout: bool,
    photos: bool,
    photo_concurrency: usize,
    photo_max_attempts: u32,
    upload_backoff: Backoff,
    progress: Arc<dyn Progress>,
}

impl std::fmt::Debug for dyn Progress {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Progress")
    }
}

impl<P: Platform> SyncServiceBuilder<P> {
    /// Time between cycle starts. Default 3 minutes. The platform expects polls every 2 to 10
    /// minutes: a value outside that range is accepted with a warning in the log. Zero is
    /// rejected.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Each wait between cycles is the interval plus a random offset of up to this much either
    /// way. Default 15 seconds; clamped to the interval.
    pub fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter = jitter;
        self
    }

    /// The downloads each cycle polls. Default all three; an empty list is rejected.
    pub fn operations(mut self, operations: impl IntoIterator<Item = Operation>) -> Self {
        self.operations = operations.into_iter().collect();
        self
    }

    /// Writes the NDJSON output to `path` instead of `<data-dir>/records.ndjson`.
    pub fn ndjson_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ndjson = NdjsonTarget::At(path.into());
        self
    }

    /// Writes no NDJSON file. At least one sink must remain.
    pub fn no_ndjson_file(mut self) -> Self {
        self.ndjson = NdjsonTarget::Off;
        self
    }

    /// Size at which the NDJSON file is rotated. Default 64 MiB; zero is rejected.
    pub fn ndjson_max_bytes(mut self, bytes: u64) -> Self {
        self.ndjson_max_bytes = bytes;
        self
    }

    /// Also writes each line to standard output. Default off.
    pub fn stdout(mut self, enabled: bool) -> Self {
        self.stdout = enabled;
        self
    }

    /// Whether cycles fetch accident photos. Default on.
    pub fn fetch_photos(mut self, enabled: bool) -> Self {
        self.photos = enabled;
        self
    }

    /// Photos fetched at once. Default 4; accepted 1 to 64.
    pub fn photo_concurrency(mut self, concurrency: usize) -> Self {
        self.photo_concurrency = concurrency;
        self
    }

    /// Attempts after which a failing photo whose URL has no `e=` expiry is no longer tried.
    /// Default 10. Photos with an expiry are tried until it passes.
    pub fn photo_max_attempts(mut self, attempts: u32) -> Self {
        self.photo_max_attempts = attempts;
        self
    }

    /// Waits between attempts of an upload. Default 30 seconds doubling up to 30 minutes.
    pub fn upload_backoff(mut self, backoff: Backoff) -> Self {
        self.upload_backoff = backoff;
        self
    }

    /// Receives progress events, for progress bars. Default: none.
    pub fn progress(mut self, progress: Arc<dyn Progress>) -> Self {
        self.progress = progress;
        self
    }

    /// Creates the data directory, takes its lock, opens the store (applying migrations) and
    /// turns uploads left in flight by a previous process into unknown-outcome ones.
    ///
    /// # Errors
    /// [`SyncError::Config`] for an invalid setting, [`SyncError::Locked`] when another service
    /// runs on the directory, and the store's errors.
    pub async fn build(self) -> Result<SyncService<P>, SyncError> {
        self.validate()?;
        if outside_recommended(self.interval) {
            tracing::warn!(
                interval_s = self.interval.as_secs_f64(),
                "the poll interval is outside the platform's expected 2 to 10 minutes"
            );
        }

        self.data_dir.create()?;
        let lock = take_lock(&self.data_dir)?;
        let store = Store::open(self.data_dir.database()).await?;
        for id in store.recover_interrupted_uploads().await? {
            tracing::warn!(
                upload = id,
                "an upload was in flight when the service last stopped; its outcome is unknown and it will be sent again"
            );
        }

        let mut sinks: Vec<Box<dyn Sink>> = Vec::new();
        let ndjson_path = match self.ndjson {
            NdjsonTarget::InDataDir => Some(self.data_dir.records()),
            NdjsonTarget::At(path) => Some(path),
            NdjsonTarget::Off => None,
        };
        if let Some(path) = &ndjson_path {
            sinks.push(Box::new(NdjsonFile::new(path, self.ndjson_max_bytes)));
        }
        if self.stdout {
            sinks.push(Box::new(Stdout));
        }

        tracing::info!(
            data_dir = %self.data_dir.root().display(),
            interval_s = self.interval.as_secs_f64(),
            ndjson = ?ndjson_path,
            stdout = self.stdout,
            "sync service started"
        );
        Ok(SyncService {
            platform: self.platform,
            store,
            data_dir: self.data_dir,
            emitter: Emitter::new(sinks),
            ndjson_path,
            interval: self.interval,
            jitter: self.jitter,
            operations: self.operations,
            photos: self.photos.then_some(PhotoSettings {
                concurrency: self.photo_concurrency,
                max_attempts_without_expiry: self.photo_max_attempts,
            }),
            upload_backoff: self.upload_backoff,
            progress: self.progress,
            cycle: 0,
            totals: Totals::default(),
            _lock: lock,
        })
    }

    fn validate(&self) -> Result<(), SyncError> {
        if self.interval.is_zero() {
            return Err(SyncError::Config {
                setting: Setting::Interval,
                value: "0".to_owned(),
                reason: "the interval must be positive; the platform expects 2 to 10 minutes",
            });
        }
        if self.operations.is_empty() {
            return Err(SyncError::Config {
                setting: Setting::Operations,
                value: "[]".to_owned(),
                reason: "poll at least one of warnings, accidents, dispatches",
            });
        }
        if matches!(self.ndjson, NdjsonTarget::Off) && !self.stdout {
            return Err(SyncError::Config {
                setting: Setting::Sinks,
                value: "none".to_owned(),
                reason: "enable the NDJSON file or standard output, or records would be stored but never emitted",
            });
        }
        if self.ndjson_max_bytes == 0 {
            return Err(SyncError::Config {
                setting: Setting::NdjsonMaxBytes,
                value: "0".to_owned(),
                reason: "the rotation size must be at least 1 byte",
            });
        }
        if self.photo_concurrency == 0 || self.photo_concurrency > MAX_PHOTO_CONCURRENCY {
            return Err(SyncError::Config {
                setting: Setting::PhotoConcurrency,
                value: self.photo_concurrency.to_string(),
                reason: "fetch between 1 and 64 photos at once",
            });
        }
        if self.upload_backoff.initial > self.upload_backoff.max {
            return Err(SyncError::Config {
                setting: Setting::UploadBackoff,
                value: format!(
                    "{:?} > {:?}",
                    self.upload_backoff.initial, self.upload_backoff.max
                ),
                reason: "the initial wait cannot exceed the longest wait",
            });
        }
        Ok(())
    }
}

/// Keeps an insurer's store in step with the platform: polls the downloads, stores and emits
/// what is new, fetches photos and sends queued uploads, one cycle at a time.
#[derive(Debug)]
pub struct SyncService<P> {
    pub(crate) platform: P,
    pub(crate) store: Store,
    pub(crate) data_dir: DataDir,
    pub(crate) emitter: Emitter,
    ndjson_path: Option<PathBuf>,
    interval: Duration,
    jitter: Duration,
    pub(crate) operations: Vec<Operation>,
    pub(crate) photos: Option<PhotoSettings>,
    pub(crate) upload_backoff: Backoff,
    pub(crate) progress: Arc<dyn Progress>,
    pub(crate) cycle: u64,
    pub(crate) totals: Totals,
    _lock: File,
}

impl<P: Platform> SyncService<P> {
    /// Starts the settings of a service on `data_dir` with `platform`.
    pub fn builder(platform: P, data_dir: impl Into<PathBuf>) -> SyncServiceBuilder<P> {
        SyncServiceBuilder {
            platform,
            data_dir: DataDir::new(data_dir),
            interval: Duration::from_secs(180),
            jitter: Duration::from_secs(15),
            operations: Operation::ALL.to_vec(),
            ndjson: NdjsonTarget::InDataDir,
            ndjson_max_bytes: NdjsonFile::DEFAULT_MAX_BYTES,
            stdout: false,
            photos: true,
            photo_concurrency: 4,
            photo_max_attempts: 10,
            upload_backoff: Backoff::default(),
            progress: Arc::new(NoProgress),
        }
    }

    /// The store, to queue uploads or read status while the service is idle.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The data directory.
    pub fn data_dir(&self) -> &DataDir {
        &self.data_dir
    }

    /// The NDJSON file written, when there is one.
    pub fn ndjson_path(&self) -> Option<&std::path::Path> {
        self.ndjson_path.as_deref()
    }

    /// Counters summed over the cycles run so far.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// Runs one cycle to its end.
    pub async fn run_once(&mut self) -> CycleReport {
        self.run_cycle(&StopSignal::never()).await
    }

    /// Sends the uploads due now, outside a cycle (for example right after queuing them).
    pub async fn send_uploads(&mut self) -> Result<UploadCounts, SyncError> {
        send_due_uploads(
            &self.platform,
            &self.store,
            self.upload_backoff,
            &StopSignal::never(),
            self.progress.as_ref(),
        )
        .await
        .map(|sent| sent.counts)
    }

    /// Runs cycles every interval (with jitter) until `shutdown` completes. A shutdown during a
    /// cycle lets the download or upload in flight finish and be committed, abandons photo
    /// fetches in flight (they stay pending), and skips the cycle's remaining steps.
    pub async fn run<F>(&mut self, shutdown: F) -> Totals
    where
        F: Future<Output = ()>,
    {
        let (trigger, signal) = stop_pair();
        let mut shutdown = std::pin::pin!(shutdown);
        let mut shutdown_seen = false;

        loop {
            let started = Instant::now();
            {
                let cycle = self.run_cycle(&signal);
                let mut cycle = std::pin::pin!(cycle);
                tokio::select! {
                    _report = &mut cycle => {}
                    () = &mut shutdown => {
                        shutdown_seen = true;
                        tracing::info!("shutdown requested; finishing the call in flight");
                        trigger.stop();
                        cycle.await;
                    }
                }
            }
            if shutdown_seen {
                break;
            }

            let wait = jittered(self.interval, self.jitter, &mut rand::thread_rng())
                .saturating_sub(started.elapsed());
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                "waiting for the next cycle"
            );
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = &mut shutdown => {
                    tracing::info!("shutdown requested between cycles");
                    break;
                }
            }
        }

        tracing::info!(cycles = self.totals.cycles, "sync service stopped");
        self.totals.clone()
    }

    /// Closes the store, checkpointing its write-ahead log, and releases the directory's lock.
    pub async fn close(self) {
        self.store.close().await;
    }
}

/// Takes the data directory's lock, held for the life of the returned file.
fn take_lock(data_dir: &DataDir) -> Result<File, SyncError> {
    let path = data_dir.lock();
    let file = open_private(&path).map_err(|source| SyncError::io(&path, source))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(SyncError::Locked { path }),
        Err(std::fs::TryLockError::Error(source)) => Err(SyncError::io(&path, source)),
    }
}

//! The sync service of the Shenzhen police-insurance platform (深圳市警保信息共享平台): keeps
//! an insurer's systems in step with the platform, unattended, losing nothing and emitting
//! nothing twice.
//!
//! Each cycle of a [`SyncService`]:
//!
//! 1. downloads warnings (J1), accidents (J2) and dispatches (J5) through a [`Platform`]
//!    ([`JingbaoPlatform`] wraps the `jingbao` client);
//! 2. stores every record in a SQLite [`Store`] (WAL mode, migrations embedded), de-duplicated
//!    by natural key and content hash: a repeat is counted, a changed record becomes a new
//!    version, and a record that failed to decode is kept with its raw JSON and the reason;
//! 3. emits each new version exactly once to its [`Sink`]s: an [`NdjsonFile`], rotated by
//!    size and read back after a crash, and [`Stdout`];
//! 4. fetches accident photos under the data directory with bounded concurrency, checksums
//!    and retries until their links expire;
//! 5. sends the uploads queued with [`Store::queue_report`] and [`Store::queue_claim`] until
//!    the platform answers SUCCESS, parks the ones it rejects, and re-sends only after an
//!    unknown outcome.
//!
//! [`SyncService::run`] repeats cycles every interval, with jitter, until its shutdown future
//! completes; [`SyncService::run_once`] runs one.
//!
//! ```
//! use jb_sim::{Simulator, Tenant};
//! use jb_sync::{JingbaoPlatform, Operation, SyncService};
//! use jingbao::{Client, crypto::AppKey};
//! use jingbao::transport::{HttpConfig, ProxyConfig, RetryPolicy};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A platform simulator on a free local port stands in for the real gateway.
//! let key = AppKey::new("demo-key");
//! let simulator = Simulator::builder()
//!     .tenant(Tenant::new("APP0001", "CPIC", key.clone()))
//!     .bind("127.0.0.1:0")
//!     .await?;
//!
//! let client = Client::builder()
//!     .endpoint(simulator.gateway_url().parse()?)
//!     .app_id("APP0001")
//!     .app_key(key)
//!     .insurance_code("CPIC")
//!     .http(HttpConfig::default().proxy(ProxyConfig::Disabled))
//!     // The outbox decides itself when an upload with an unknown outcome is sent again.
//!     .retry(RetryPolicy::default().retry_unknown_outcome(false))
//!     .build()?;
//!
//! let data_dir = tempfile::tempdir()?;
//! let mut service = SyncService::builder(JingbaoPlatform::new(client), data_dir.path())
//!     .build()
//!     .await?;
//! let report = service.run_once().await;
//!
//! let warnings = report.poll_counts(Operation::Warnings).expect("the poll succeeded");
//! assert_eq!(warnings.new_records, warnings.received);
//! assert!(std::fs::read_to_string(service.data_dir().records())?.lines().count() > 0);
//! # service.close().await;
//! # simulator.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod cycle;
mod data_dir;
mod emitter;
mod error;
mod identity;
mod jingbao_platform;
mod metrics;
mod operation;
mod photos;
mod platform;
mod private_file;
mod progress;
mod record;
mod schedule;
mod sender;
mod service;
mod sink;
mod stop;
mod store;
mod time;

pub use data_dir::DataDir;
pub use error::{Setting, SyncError};
pub use jingbao_platform::{JingbaoPlatform, Queued};
pub use metrics::{CycleReport, PhotoCounts, PollError, PollReport, Totals, UploadCounts};
pub use operation::Operation;
pub use platform::{
    DownloadFailure, FetchedPhoto, PhotoFailure, Platform, UploadAccepted, UploadFailure,
};
pub use progress::{NoProgress, Progress};
pub use record::{
    AccidentFields, DispatchFields, DownloadedRecord, PhotoRef, Plate, RecordFields, WarningFields,
};
pub use sender::Backoff;
pub use service::{SyncService, SyncServiceBuilder};
pub use sink::{EmittedLine, NdjsonFile, Sink, Stdout};
pub use store::{
    OutboxAttempt, OutboxEntry, OutboxState, OutboxStateCount, PhotoRow, PhotoState, PollCounts,
    PollOutcome, PollRun, StatusReport, Store, StoredVersion, UploadKind,
};
pub use time::beijing_time;

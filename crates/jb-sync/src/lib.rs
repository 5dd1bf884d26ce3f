//! Keeps an insurer in step with the Shenzhen police-insurance platform.

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
pub use error::SyncError;
pub use jingbao_platform::{JingbaoPlatform, Queued};
pub use metrics::{CycleReport, PhotoCounts, PollReport, Totals, UploadCounts};
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

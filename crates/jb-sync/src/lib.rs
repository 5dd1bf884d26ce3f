//! Keeps an insurer in step with the Shenzhen police-insurance platform.

mod emitter;
mod error;
mod identity;
mod operation;
mod record;
mod sink;
mod store;
mod time;

pub use error::SyncError;
pub use operation::Operation;
pub use sink::{EmittedLine, NdjsonFile, Sink, Stdout};
pub use record::{
    AccidentFields, DispatchFields, DownloadedRecord, PhotoRef, Plate, RecordFields, WarningFields,
};
pub use store::{
    OutboxAttempt, OutboxEntry, OutboxState, OutboxStateCount, PhotoRow, PhotoState, PollCounts,
    PollOutcome, PollRun, StatusReport, Store, StoredVersion, UploadKind,
};

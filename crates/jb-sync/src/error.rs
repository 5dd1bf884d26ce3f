//! The error type of the sync service.

use std::io;
use std::path::PathBuf;

/// What can go wrong in the store, the sinks, the outbox or the service's configuration.
///
/// A failed platform call is not an error of this type: the service records it in the store
/// (poll outcome, photo failure, outbox attempt) and carries on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The database file could not be opened or created.
    #[error(
        "cannot open the store database {path}: {source}; check that the data directory is writable and no other program holds the file"
    )]
    Open {
        /// The database file.
        path: PathBuf,
        /// The database driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// The embedded schema migrations could not be applied, for example because the database
    /// was written by a newer version of the service.
    #[error(
        "cannot apply the store's schema migrations: {0}; restore the database from a backup or run the service version that wrote it"
    )]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// A query of the store failed.
    #[error("store query failed: {0}")]
    Database(#[from] sqlx::Error),
    /// The store contains a value this version cannot read.
    #[error(
        "store row {table}.{id} holds an unreadable value {value:?} in column {column}; the database was changed outside the service"
    )]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The row id.
        id: i64,
        /// The column.
        column: &'static str,
        /// The value found.
        value: String,
    },
    /// A file or directory of the data directory could not be created, read or written.
    #[error("cannot use {path}: {source}; check the path and its permissions")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// A sink could not write or flush its output.
    #[error(
        "sink {sink} failed: {source}; nothing past the last durable line was recorded as emitted, so the next run resumes there"
    )]
    Sink {
        /// The sink's name.
        sink: String,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// Another sync service has locked the data directory.
    #[error(
        "another jb sync is running on this data directory (lock file {path}); stop it or choose another --data-dir"
    )]
    Locked {
        /// The lock file.
        path: PathBuf,
    },
    /// The outbox has no entry with this id.
    #[error("outbox entry {0} not found; `jb outbox list` shows the ids")]
    OutboxNotFound(i64),
    /// The outbox entry is not in a state that allows the requested change.
    #[error(
        "outbox entry {id} is {state}; only queued, parked or unknown-outcome entries can be retried"
    )]
    OutboxState {
        /// The entry's id.
        id: i64,
        /// Its current state.
        state: String,
    },
    /// An upload was not queued because it is not a valid record.
    #[error("upload not queued: {0}")]
    InvalidUpload(String),
    /// A setting of the service is out of range.
    #[error("invalid setting {setting} = {value}: {reason}")]
    Config {
        /// The setting.
        setting: Setting,
        /// The value given.
        value: String,
        /// Why it is rejected and what is accepted.
        reason: &'static str,
    },
}

/// A setting of [`SyncServiceBuilder`](crate::SyncServiceBuilder) that
/// [`SyncError::Config`] can reject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Setting {
    /// The time between cycle starts.
    Interval,
    /// The downloads each cycle polls.
    Operations,
    /// The outputs: the NDJSON file and standard output.
    Sinks,
    /// The size at which the NDJSON file is rotated.
    NdjsonMaxBytes,
    /// The number of photos fetched at once.
    PhotoConcurrency,
    /// The waits between attempts of an upload.
    UploadBackoff,
}

impl Setting {
    /// The setting's name, as the builder method spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Setting::Interval => "interval",
            Setting::Operations => "operations",
            Setting::Sinks => "sinks",
            Setting::NdjsonMaxBytes => "ndjson_max_bytes",
            Setting::PhotoConcurrency => "photo_concurrency",
            Setting::UploadBackoff => "upload_backoff",
        }
    }
}

impl std::fmt::Display for Setting {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl SyncError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> SyncError {
        SyncError::Io {
            path: path.into(),
            source,
        }
    }
}

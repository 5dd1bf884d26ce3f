//! The SQLite store: one database file in WAL mode, its schema migrations embedded in the
//! binary and applied when the store opens.

mod cursor;
mod outbox;
mod photos;
mod polls;
mod records;
mod status;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

use crate::error::SyncError;
use crate::private_file::{ensure_private_file, restrict_existing};

pub(crate) use outbox::AttemptResult;
pub use outbox::{OutboxAttempt, OutboxEntry, OutboxState, UploadKind};
pub use photos::{PhotoRow, PhotoState};
pub use polls::{PollCounts, PollOutcome, PollRun};
pub use records::StoredVersion;
pub use status::{OutboxStateCount, StatusReport};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// How long a connection waits for another writer (another `jb` process, say) before a query
/// fails with "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The service's database.
///
/// Every write runs in a `BEGIN IMMEDIATE` transaction, so writers queue on the database lock
/// instead of failing half-way, and `synchronous=FULL` makes each commit durable before it
/// returns: the emission cursors are only safe if a committed record version cannot vanish.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
}

impl Store {
    /// Opens the database file at `path`, creating it if missing, and applies any schema
    /// migration it lacks.
    ///
    /// On Unix the file is created readable by its owner only (mode 0600) before SQLite opens
    /// it, so SQLite gives its `-wal` and `-shm` files the same mode. An existing database,
    /// `-wal` or `-shm` file that others can access is tightened, with a warning in the log.
    ///
    /// # Errors
    /// [`SyncError::Open`] when the file cannot be opened, [`SyncError::Migrate`] when its
    /// schema cannot be brought up to date.
    pub async fn open(path: impl AsRef<Path>) -> Result<Store, SyncError> {
        let path = path.as_ref().to_path_buf();
        make_private(&path).map_err(|source| SyncError::Open {
            path: path.clone(),
            source: sqlx::Error::Io(source),
        })?;
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(|source| SyncError::Open {
                path: path.clone(),
                source,
            })?
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| SyncError::Open {
                path: path.clone(),
                source,
            })?;
        MIGRATOR.run(&pool).await.map_err(SyncError::Migrate)?;
        Ok(Store { pool, path })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes every connection, checkpointing the write-ahead log into the database file.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Starts a write transaction that holds the database's write lock from its first statement.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, SyncError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// Creates the database file owner-only, or tightens it and the write-ahead files beside it.
fn make_private(database: &Path) -> std::io::Result<()> {
    ensure_private_file(database)?;
    for suffix in ["-wal", "-shm"] {
        let mut name = database.as_os_str().to_owned();
        name.push(suffix);
        restrict_existing(Path::new(&name))?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::Store;

    /// Opens a store in a fresh temporary directory, kept alive by the returned guard.
    pub(crate) async fn temp_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let store = Store::open(dir.path().join("jb.sqlite"))
            .await
            .expect("a fresh store opens");
        (dir, store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn open_applies_migrations_and_reopens() {
        let (dir, store) = test_support::temp_store().await;
        let tables: Vec<(String,)> =
            sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                .fetch_all(store.pool())
                .await
                .expect("the schema can be listed");
        let names: Vec<&str> = tables.iter().map(|(name,)| name.as_str()).collect();
        for expected in [
            "record_versions",
            "poll_runs",
            "photos",
            "outbox",
            "emission_cursors",
        ] {
            assert!(
                names.contains(&expected),
                "missing table {expected}: {names:?}"
            );
        }
        store.close().await;

        let reopened = Store::open(dir.path().join("jb.sqlite")).await;
        assert!(reopened.is_ok(), "reopening failed: {reopened:?}");
    }

    #[tokio::test]
    async fn open_uses_wal_journal() {
        let (_dir, store) = test_support::temp_store().await;
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(store.pool())
            .await
            .expect("the journal mode can be read");
        assert_eq!(mode, "wal");
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .expect("the file exists")
            .permissions()
            .mode()
            & 0o777
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn open_creates_database_and_wal_owner_only() {
        let (dir, store) = test_support::temp_store().await;
        sqlx::query("CREATE TABLE scratch (value INTEGER)")
            .execute(store.pool())
            .await
            .expect("a write goes to the write-ahead log");
        let database = dir.path().join("jb.sqlite");
        let wal = dir.path().join("jb.sqlite-wal");
        let shm = dir.path().join("jb.sqlite-shm");
        assert!(
            wal.is_file() && shm.is_file(),
            "WAL mode keeps both files while open"
        );
        assert_eq!(mode(&database), 0o600);
        assert_eq!(mode(&wal), 0o600);
        assert_eq!(mode(&shm), 0o600);
        store.close().await;
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn open_tightens_existing_database() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, store) = test_support::temp_store().await;
        store.close().await;
        let database = dir.path().join("jb.sqlite");
        let wal = dir.path().join("jb.sqlite-wal");
        std::fs::write(&wal, b"").expect("a stale write-ahead log");
        for path in [&database, &wal] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        }

        let reopened = Store::open(&database).await.expect("reopens");

        assert_eq!(mode(&database), 0o600);
        if wal.exists() {
            assert_eq!(mode(&wal), 0o600);
        }
        reopened.close().await;
    }

    #[tokio::test]
    async fn open_rejects_directory_path() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let result = Store::open(dir.path()).await;
        assert!(matches!(result, Err(SyncError::Open { .. })), "{result:?}");
    }
}

//! Poll runs: one row per poll of one operation, with its outcome and counts.

use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::Store;
use crate::error::SyncError;
use crate::operation::Operation;

/// How a poll ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollOutcome {
    /// The batch was downloaded and stored.
    Succeeded,
    /// The download failed; nothing was stored.
    Failed,
}

impl PollOutcome {
    /// The name the store and `jb status` use.
    pub fn as_str(self) -> &'static str {
        match self {
            PollOutcome::Succeeded => "succeeded",
            PollOutcome::Failed => "failed",
        }
    }

    fn from_name(name: &str) -> Option<PollOutcome> {
        match name {
            "succeeded" => Some(PollOutcome::Succeeded),
            "failed" => Some(PollOutcome::Failed),
            _ => None,
        }
    }
}

/// What one poll brought.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PollCounts {
    /// Records in the batch.
    pub received: u64,
    /// Records whose natural key the store had never seen.
    pub new_records: u64,
    /// Records already known under their key but with changed content.
    pub new_versions: u64,
    /// Records identical to the latest stored version of their key.
    pub repeated: u64,
    /// Records that could not be decoded (stored with their raw JSON and the reason).
    pub decode_failures: u64,
}

impl PollCounts {
    /// Adds another poll's counts to these.
    pub fn add(&mut self, other: &PollCounts) {
        self.received += other.received;
        self.new_records += other.new_records;
        self.new_versions += other.new_versions;
        self.repeated += other.repeated;
        self.decode_failures += other.decode_failures;
    }
}

/// A stored poll run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollRun {
    /// Row id.
    pub id: i64,
    /// The operation polled.
    pub operation: Operation,
    /// When the download started (UTC, RFC 3339).
    pub started_at: String,
    /// When the poll was recorded (UTC, RFC 3339).
    pub finished_at: String,
    /// How it ended.
    pub outcome: PollOutcome,
    /// The error of a failed poll.
    pub error: Option<String>,
    /// What it brought.
    pub counts: PollCounts,
}

const POLL_COLUMNS: &str = "id, operation, started_at, finished_at, outcome, error, received, \
     new_records, new_versions, repeated, decode_failures";

impl Store {
    /// The latest poll of each operation that has been polled, in [`Operation::ALL`] order.
    pub async fn last_polls(&self) -> Result<Vec<PollRun>, SyncError> {
        let mut runs = Vec::new();
        for operation in Operation::ALL {
            let row = sqlx::query(&format!(
                "SELECT {POLL_COLUMNS} FROM poll_runs WHERE operation = ? ORDER BY id DESC LIMIT 1"
            ))
            .bind(operation.as_str())
            .fetch_optional(self.pool())
            .await?;
            if let Some(row) = row {
                runs.push(poll_from_row(&row)?);
            }
        }
        Ok(runs)
    }

    /// Records a poll whose download failed.
    pub(crate) async fn record_failed_poll(
        &self,
        operation: Operation,
        started_at: &str,
        error: &str,
    ) -> Result<i64, SyncError> {
        let mut transaction = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO poll_runs (operation, started_at, finished_at, outcome, error) \
             VALUES (?, ?, ?, 'failed', ?) RETURNING id",
        )
        .bind(operation.as_str())
        .bind(started_at)
        .bind(crate::time::now_text())
        .bind(error)
        .fetch_one(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(id)
    }
}

/// Sums the counts of every successful poll, per operation.
pub(crate) async fn totals(store: &Store, operation: Operation) -> Result<PollCounts, SyncError> {
    let row = sqlx::query(
        "SELECT COALESCE(SUM(received), 0), COALESCE(SUM(new_records), 0), \
         COALESCE(SUM(new_versions), 0), COALESCE(SUM(repeated), 0), \
         COALESCE(SUM(decode_failures), 0) FROM poll_runs WHERE operation = ?",
    )
    .bind(operation.as_str())
    .fetch_one(store.pool())
    .await?;
    Ok(PollCounts {
        received: count(row.try_get(0)?),
        new_records: count(row.try_get(1)?),
        new_versions: count(row.try_get(2)?),
        repeated: count(row.try_get(3)?),
        decode_failures: count(row.try_get(4)?),
    })
}

/// Converts a count column, which SQLite stores as a signed integer, to `u64`.
pub(crate) fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

fn poll_from_row(row: &SqliteRow) -> Result<PollRun, SyncError> {
    let id: i64 = row.try_get("id")?;
    let operation_name: String = row.try_get("operation")?;
    let operation = Operation::from_name(&operation_name).ok_or(SyncError::Corrupt {
        table: "poll_runs",
        id,
        column: "operation",
        value: operation_name.clone(),
    })?;
    let outcome_name: String = row.try_get("outcome")?;
    let outcome = PollOutcome::from_name(&outcome_name).ok_or(SyncError::Corrupt {
        table: "poll_runs",
        id,
        column: "outcome",
        value: outcome_name.clone(),
    })?;
    Ok(PollRun {
        id,
        operation,
        started_at: row.try_get("started_at")?,
        finished_at: row.try_get("finished_at")?,
        outcome,
        error: row.try_get("error")?,
        counts: PollCounts {
            received: count(row.try_get("received")?),
            new_records: count(row.try_get("new_records")?),
            new_versions: count(row.try_get("new_versions")?),
            repeated: count(row.try_get("repeated")?),
            decode_failures: count(row.try_get("decode_failures")?),
        },
    })
}

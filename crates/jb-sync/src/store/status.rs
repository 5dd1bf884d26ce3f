//! The figures `jb status` prints, read from the database alone.

use super::Store;
use super::outbox::OutboxState;
use super::photos::PhotoState;
use super::polls::{PollCounts, PollRun, count, totals};
use crate::error::SyncError;
use crate::operation::Operation;

/// A snapshot of the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusReport {
    /// The latest poll of each operation polled so far.
    pub last_polls: Vec<PollRun>,
    /// Counts summed over every poll, per operation, in [`Operation::ALL`] order.
    pub totals: Vec<(Operation, PollCounts)>,
    /// Photos per state; states with no photo are listed with 0.
    pub photos: Vec<(PhotoState, u64)>,
    /// Outbox entries per state, in [`OutboxState::ALL`] order.
    pub outbox: Vec<OutboxStateCount>,
    /// Each sink's emission cursor, and the greatest version id stored.
    pub emission: Vec<(String, i64)>,
    /// The greatest version id stored.
    pub latest_version_id: i64,
}

/// Outbox entries in one state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxStateCount {
    /// The state.
    pub state: OutboxState,
    /// How many entries are in it.
    pub count: u64,
    /// When the oldest of them was queued.
    pub oldest_created_at: Option<String>,
}

impl StatusReport {
    /// Photos in one state.
    pub fn photo_count(&self, state: PhotoState) -> u64 {
        self.photos
            .iter()
            .find(|(candidate, _)| *candidate == state)
            .map_or(0, |(_, count)| *count)
    }

    /// Outbox entries in one state.
    pub fn outbox_count(&self, state: OutboxState) -> u64 {
        self.outbox
            .iter()
            .find(|entry| entry.state == state)
            .map_or(0, |entry| entry.count)
    }
}

impl Store {
    /// Reads the figures of `jb status`.
    pub async fn status(&self) -> Result<StatusReport, SyncError> {
        let last_polls = self.last_polls().await?;

        let mut operation_totals = Vec::new();
        for operation in Operation::ALL {
            operation_totals.push((operation, totals(self, operation).await?));
        }

        let mut photos = Vec::new();
        for state in [
            PhotoState::Pending,
            PhotoState::Failed,
            PhotoState::Expired,
            PhotoState::Fetched,
        ] {
            let (photo_count,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM photos WHERE state = ?")
                    .bind(state.as_str())
                    .fetch_one(self.pool())
                    .await?;
            photos.push((state, count(photo_count)));
        }

        let mut outbox = Vec::new();
        for state in OutboxState::ALL {
            let (entry_count, oldest): (i64, Option<String>) =
                sqlx::query_as("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE state = ?")
                    .bind(state.as_str())
                    .fetch_one(self.pool())
                    .await?;
            outbox.push(OutboxStateCount {
                state,
                count: count(entry_count),
                oldest_created_at: oldest,
            });
        }

        let emission: Vec<(String, i64)> =
            sqlx::query_as("SELECT sink, last_version_id FROM emission_cursors ORDER BY sink")
                .fetch_all(self.pool())
                .await?;
        let latest_version_id = self.max_version_id().await?;

        Ok(StatusReport {
            last_polls,
            totals: operation_totals,
            photos,
            outbox,
            emission,
            latest_version_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{DownloadedRecord, RecordFields, WarningFields};
    use crate::store::UploadKind;
    use crate::store::test_support::temp_store;

    #[tokio::test]
    async fn status_empty_store() {
        let (_dir, store) = temp_store().await;
        let status = store.status().await.expect("status can be read");
        assert!(status.last_polls.is_empty());
        assert_eq!(status.latest_version_id, 0);
        assert_eq!(status.outbox_count(OutboxState::Queued), 0);
    }

    #[tokio::test]
    async fn status_counts_polls_and_outbox() {
        let (_dir, store) = temp_store().await;
        let record = DownloadedRecord {
            raw_json: r#"{"warningNo":"W1"}"#.to_owned(),
            decoded: Ok(RecordFields::Warning(WarningFields {
                warning_no: "W1".to_owned(),
                warning_time: "2019-03-01 10:00".to_owned(),
                address: "福田区".to_owned(),
                plates: Vec::new(),
            })),
            violations: Vec::new(),
        };
        for _ in 0..2 {
            store
                .store_batch(Operation::Warnings, "t", std::slice::from_ref(&record))
                .await
                .expect("the batch is stored");
        }
        store
            .record_failed_poll(Operation::Accidents, "t", "timed out")
            .await
            .expect("the failure is stored");
        store
            .enqueue_upload(UploadKind::Report, "R1", "{}")
            .await
            .expect("the report is queued");

        let status = store.status().await.expect("status can be read");

        assert_eq!(status.last_polls.len(), 2);
        assert_eq!(status.last_polls[1].error.as_deref(), Some("timed out"));
        let warnings = status.totals[0].1;
        assert_eq!((warnings.new_records, warnings.repeated), (1, 1));
        assert_eq!(status.outbox_count(OutboxState::Queued), 1);
        assert_eq!(status.latest_version_id, 1);
    }
}

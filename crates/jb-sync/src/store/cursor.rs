//! Emission cursors: per sink, the greatest version id it has durably written.

use super::Store;
use crate::error::SyncError;
use crate::time::now_text;

impl Store {
    /// The greatest version id the sink has durably written, 0 when it has written none.
    pub async fn emission_cursor(&self, sink: &str) -> Result<i64, SyncError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT last_version_id FROM emission_cursors WHERE sink = ?")
                .bind(sink)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map_or(0, |(id,)| id))
    }

    /// Moves the sink's cursor forward to `version_id`. A cursor never moves back: a smaller
    /// value leaves it where it is.
    pub(crate) async fn advance_emission_cursor(
        &self,
        sink: &str,
        version_id: i64,
    ) -> Result<(), SyncError> {
        let mut transaction = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO emission_cursors (sink, last_version_id, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (sink) DO UPDATE SET last_version_id = excluded.last_version_id, \
             updated_at = excluded.updated_at \
             WHERE excluded.last_version_id > emission_cursors.last_version_id",
        )
        .bind(sink)
        .bind(version_id)
        .bind(now_text())
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Makes sure every version stored from now on gets an id above `version_id`.
    ///
    /// A sink that contains lines with ids the database never assigned (the database was restored
    /// from an older backup) would otherwise see those ids handed out again to other records.
    pub(crate) async fn reserve_version_ids_through(
        &self,
        version_id: i64,
    ) -> Result<(), SyncError> {
        let mut transaction = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE sqlite_sequence SET seq = ? WHERE name = 'record_versions' AND seq < ?",
        )
        .bind(version_id)
        .bind(version_id)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        if updated == 0 {
            sqlx::query(
                "INSERT INTO sqlite_sequence (name, seq) SELECT 'record_versions', ? \
                 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'record_versions')",
            )
            .bind(version_id)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::test_support::temp_store;

    #[tokio::test]
    async fn advance_emission_cursor_never_moves_back() {
        let (_dir, store) = temp_store().await;
        assert_eq!(store.emission_cursor("file").await.expect("readable"), 0);

        store
            .advance_emission_cursor("file", 7)
            .await
            .expect("stored");
        store
            .advance_emission_cursor("file", 3)
            .await
            .expect("stored");

        assert_eq!(store.emission_cursor("file").await.expect("readable"), 7);
        assert_eq!(store.emission_cursor("stdout").await.expect("readable"), 0);
    }

    #[tokio::test]
    async fn reserve_version_ids_through_skips_ids() {
        let (_dir, store) = temp_store().await;
        store
            .reserve_version_ids_through(41)
            .await
            .expect("reserved");
        assert_eq!(store.max_version_id().await.expect("readable"), 41);

        store
            .reserve_version_ids_through(5)
            .await
            .expect("reserved");
        assert_eq!(store.max_version_id().await.expect("readable"), 41);
    }
}

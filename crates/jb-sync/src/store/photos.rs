//! Accident photos: which to fetch, where each fetched one lies, and why a failed one failed.

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};
use url::Url;

use super::Store;
use crate::error::SyncError;
use crate::identity::unsigned_link;
use crate::record::PhotoRef;
use crate::time::{format_time, now_text};

/// State of a photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PhotoState {
    /// Listed by an accident, not fetched yet.
    Pending,
    /// Stored on disk with its SHA-256.
    Fetched,
    /// The last attempt failed; later cycles try again while the URL is valid.
    Failed,
    /// The URL's `e=` expiry passed before the photo could be fetched.
    Expired,
}

impl PhotoState {
    /// The name the store and `jb status` use.
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoState::Pending => "pending",
            PhotoState::Fetched => "fetched",
            PhotoState::Failed => "failed",
            PhotoState::Expired => "expired",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<PhotoState> {
        [
            PhotoState::Pending,
            PhotoState::Fetched,
            PhotoState::Failed,
            PhotoState::Expired,
        ]
        .into_iter()
        .find(|state| state.as_str() == name)
    }
}

/// A stored photo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoRow {
    /// Row id, also the prefix of the file name.
    pub id: i64,
    /// 事故编号: the accident that lists the photo.
    pub accident_no: String,
    /// 图片类型: photo type code.
    pub photo_type: String,
    /// 图片名称: photo name as sent.
    pub photo_name: String,
    /// The latest URL the platform sent for it.
    pub url: String,
    /// The URL's expiry from its `e=` parameter (UTC, RFC 3339), when it has one.
    pub url_expires_at: Option<String>,
    /// Its state.
    pub state: PhotoState,
    /// Fetch attempts so far.
    pub attempts: i64,
    /// SHA-256 of the stored file, lowercase hex.
    pub sha256: Option<String>,
    /// The stored file, relative to the data directory.
    pub path: Option<String>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// Splits a photo URL into its identity (the URL without its signature parameters `e` and
/// `token`) and the expiry that `e` gives in Unix seconds. A URL that does not parse is its own
/// identity.
pub(crate) fn photo_url_expiry(url: &str) -> (String, Option<DateTime<Utc>>) {
    let expiry = Url::parse(url.trim()).ok().and_then(|parsed| {
        parsed
            .query_pairs()
            .find(|(name, _)| name == "e")
            .and_then(|(_, value)| value.trim().parse::<i64>().ok())
            .and_then(|seconds| DateTime::<Utc>::from_timestamp(seconds, 0))
    });
    (unsigned_link(url), expiry)
}

/// Adds a photo listed by a new accident version. A photo already known by identity gets the
/// new URL and expiry unless it was fetched; an expired one becomes pending again, because the
/// new URL may still be valid.
pub(super) async fn insert_photo(
    transaction: &mut Transaction<'static, Sqlite>,
    accident_no: &str,
    version_id: i64,
    photo: &PhotoRef,
    now: &str,
) -> Result<(), SyncError> {
    let (identity, expiry) = photo_url_expiry(&photo.url);
    sqlx::query(
        "INSERT INTO photos (accident_no, version_id, identity, photo_type, photo_name, url, \
         url_expires_at, state, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) \
         ON CONFLICT (accident_no, identity) DO UPDATE SET \
             url = excluded.url, \
             url_expires_at = excluded.url_expires_at, \
             updated_at = excluded.updated_at, \
             state = CASE WHEN photos.state = 'expired' THEN 'pending' ELSE photos.state END \
         WHERE photos.state <> 'fetched' AND photos.url <> excluded.url",
    )
    .bind(accident_no)
    .bind(version_id)
    .bind(identity)
    .bind(&photo.photo_type)
    .bind(&photo.photo_name)
    .bind(&photo.url)
    .bind(expiry.map(format_time))
    .bind(now)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

const PHOTO_COLUMNS: &str = "id, accident_no, photo_type, photo_name, url, url_expires_at, \
     state, attempts, sha256, path, last_error";

impl Store {
    /// Photos waiting to be fetched: pending ones, and failed ones whose URL has an expiry
    /// (they are retried until it passes) or that have had fewer than `max_attempts` tries.
    pub async fn photos_to_fetch(&self, max_attempts: u32) -> Result<Vec<PhotoRow>, SyncError> {
        let rows = sqlx::query(&format!(
            "SELECT {PHOTO_COLUMNS} FROM photos WHERE state = 'pending' \
             OR (state = 'failed' AND (url_expires_at IS NOT NULL OR attempts < ?)) ORDER BY id"
        ))
        .bind(i64::from(max_attempts))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(photo_from_row).collect()
    }

    /// The photos of one accident.
    pub async fn photos_of(&self, accident_no: &str) -> Result<Vec<PhotoRow>, SyncError> {
        let rows = sqlx::query(&format!(
            "SELECT {PHOTO_COLUMNS} FROM photos WHERE accident_no = ? ORDER BY id"
        ))
        .bind(accident_no)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(photo_from_row).collect()
    }

    /// Records a fetched photo with its file (relative to the data directory) and checksum.
    pub(crate) async fn mark_photo_fetched(
        &self,
        id: i64,
        path: &str,
        sha256: &str,
        size_bytes: u64,
    ) -> Result<(), SyncError> {
        let mut transaction = self.begin_write().await?;
        sqlx::query(
            "UPDATE photos SET state = 'fetched', attempts = attempts + 1, path = ?, sha256 = ?, \
             size_bytes = ?, last_error = NULL, updated_at = ? WHERE id = ?",
        )
        .bind(path)
        .bind(sha256)
        .bind(i64::try_from(size_bytes).unwrap_or(i64::MAX))
        .bind(now_text())
        .bind(id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Records a failed attempt (`Failed`) or a URL found expired (`Expired`) with the reason.
    /// `attempted` is true when a request was made, which counts as an attempt.
    pub(crate) async fn mark_photo_unfetched(
        &self,
        id: i64,
        state: PhotoState,
        reason: &str,
        attempted: bool,
    ) -> Result<(), SyncError> {
        let mut transaction = self.begin_write().await?;
        sqlx::query(
            "UPDATE photos SET state = ?, attempts = attempts + ?, last_error = ?, \
             updated_at = ? WHERE id = ?",
        )
        .bind(state.as_str())
        .bind(i64::from(attempted))
        .bind(reason)
        .bind(now_text())
        .bind(id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(())
    }
}

fn photo_from_row(row: &SqliteRow) -> Result<PhotoRow, SyncError> {
    let id: i64 = row.try_get("id")?;
    let state_name: String = row.try_get("state")?;
    let state = PhotoState::from_name(&state_name).ok_or(SyncError::Corrupt {
        table: "photos",
        id,
        column: "state",
        value: state_name.clone(),
    })?;
    Ok(PhotoRow {
        id,
        accident_no: row.try_get("accident_no")?,
        photo_type: row.try_get("photo_type")?,
        photo_name: row.try_get("photo_name")?,
        url: row.try_get("url")?,
        url_expires_at: row.try_get("url_expires_at")?,
        state,
        attempts: row.try_get("attempts")?,
        sha256: row.try_get("sha256")?,
        path: row.try_get("path")?,
        last_error: row.try_get("last_error")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::temp_store;

    #[test]
    fn photo_url_expiry_strips_signature() {
        let (identity, expiry) =
            photo_url_expiry("http://127.0.0.1:9/p/1.jpg?id=7&e=4102444800&token=abc");
        assert_eq!(identity, "http://127.0.0.1:9/p/1.jpg?id=7");
        assert_eq!(
            expiry.map(format_time).as_deref(),
            Some("2100-01-01T00:00:00.000Z")
        );
    }

    #[test]
    fn photo_url_expiry_without_e_or_unparsable() {
        assert_eq!(
            photo_url_expiry("http://127.0.0.1:9/p/1.jpg?e=soon"),
            ("http://127.0.0.1:9/p/1.jpg".to_owned(), None)
        );
        assert_eq!(
            photo_url_expiry("not a url"),
            ("not a url".to_owned(), None)
        );
    }

    async fn insert(store: &Store, url: &str) {
        let mut transaction = store.begin_write().await.expect("a transaction starts");
        sqlx::query(
            "INSERT INTO poll_runs (id, operation, started_at, finished_at, outcome) \
             VALUES (1, 'accidents', 't', 't', 'succeeded') ON CONFLICT DO NOTHING",
        )
        .execute(&mut *transaction)
        .await
        .expect("the poll run is stored");
        sqlx::query(
            "INSERT INTO record_versions (id, operation, natural_key, version, content_hash, \
             raw_json, first_seen_at, last_seen_at, first_poll_id, last_poll_id) \
             VALUES (1, 'accidents', 'A1', 1, 'h', '{}', 't', 't', 1, 1) ON CONFLICT DO NOTHING",
        )
        .execute(&mut *transaction)
        .await
        .expect("the version is stored");
        let photo = PhotoRef {
            photo_type: "01".to_owned(),
            photo_name: "front.jpg".to_owned(),
            url: url.to_owned(),
        };
        insert_photo(&mut transaction, "A1", 1, &photo, "t")
            .await
            .expect("the photo is stored");
        transaction.commit().await.expect("the transaction commits");
    }

    #[tokio::test]
    async fn insert_photo_fresh_url_revives_expired_row() {
        let (_dir, store) = temp_store().await;
        insert(&store, "http://127.0.0.1:9/p/1.jpg?e=1").await;
        let id = store.photos_of("A1").await.expect("photos can be listed")[0].id;
        store
            .mark_photo_unfetched(id, PhotoState::Expired, "expired", false)
            .await
            .expect("the photo is marked");

        insert(&store, "http://127.0.0.1:9/p/1.jpg?e=4102444800").await;

        let photos = store.photos_of("A1").await.expect("photos can be listed");
        assert_eq!(photos.len(), 1);
        assert_eq!(photos[0].state, PhotoState::Pending);
        assert_eq!(photos[0].url, "http://127.0.0.1:9/p/1.jpg?e=4102444800");
    }

    #[tokio::test]
    async fn insert_photo_leaves_fetched_row_alone() {
        let (_dir, store) = temp_store().await;
        insert(&store, "http://127.0.0.1:9/p/1.jpg?e=1").await;
        let id = store.photos_of("A1").await.expect("photos can be listed")[0].id;
        store
            .mark_photo_fetched(id, "photos/A1/1-front.jpg", "00", 2)
            .await
            .expect("the photo is marked");

        insert(&store, "http://127.0.0.1:9/p/1.jpg?e=2").await;

        let photos = store.photos_of("A1").await.expect("photos can be listed");
        assert_eq!(photos[0].state, PhotoState::Fetched);
        assert_eq!(photos[0].url, "http://127.0.0.1:9/p/1.jpg?e=1");
    }

    #[tokio::test]
    async fn photos_to_fetch_stops_unexpiring_after_max_attempts() {
        let (_dir, store) = temp_store().await;
        insert(&store, "http://127.0.0.1:9/p/1.jpg").await;
        let id = store.photos_of("A1").await.expect("photos can be listed")[0].id;
        for _ in 0..3 {
            store
                .mark_photo_unfetched(id, PhotoState::Failed, "HTTP 500", true)
                .await
                .expect("the photo is marked");
        }

        assert_eq!(store.photos_to_fetch(4).await.expect("listed").len(), 1);
        assert_eq!(store.photos_to_fetch(3).await.expect("listed").len(), 0);
    }
}

//! Storing download batches: de-duplication by natural key and content hash, one version per
//! distinct content, decoded fields indexed beside the raw JSON.

use serde_json::Value;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};

use super::Store;
use super::photos::insert_photo;
use super::polls::PollCounts;
use crate::error::SyncError;
use crate::identity::{content_hash, fallback_key, natural_key};
use crate::operation::Operation;
use crate::record::{DownloadedRecord, Plate, RecordFields};
use crate::time::now_text;

/// A stored version of a downloaded record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredVersion {
    /// Version id; ids grow in the order versions were stored.
    pub id: i64,
    /// The download operation that brought it.
    pub operation: Operation,
    /// The record's natural key (see the crate docs).
    pub natural_key: String,
    /// 1 for the first content seen under this key, then 2, 3, ... for each change.
    pub version: i64,
    /// SHA-256 of the record's canonical JSON.
    pub content_hash: String,
    /// The decrypted JSON text of the record.
    pub raw_json: String,
    /// Why the record could not be decoded, when it could not.
    pub decode_error: Option<String>,
    /// Field rules the decoded record breaks.
    pub violations: Vec<String>,
    /// When this version was first downloaded (UTC, RFC 3339).
    pub first_seen_at: String,
}

/// The result of storing one batch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct StoredBatch {
    pub(crate) poll_id: i64,
    pub(crate) counts: PollCounts,
}

/// How a record compares with what the store has under its key.
enum Novelty {
    New,
    Changed { version: i64 },
    Repeat { version_id: i64 },
}

impl Store {
    /// Stores a downloaded batch and its poll run in one transaction, so that either the whole
    /// batch with its counts is stored or nothing is.
    pub(crate) async fn store_batch(
        &self,
        operation: Operation,
        started_at: &str,
        records: &[DownloadedRecord],
    ) -> Result<StoredBatch, SyncError> {
        let now = now_text();
        let mut transaction = self.begin_write().await?;

        let (poll_id,): (i64,) = sqlx::query_as(
            "INSERT INTO poll_runs (operation, started_at, finished_at, outcome) \
             VALUES (?, ?, ?, 'succeeded') RETURNING id",
        )
        .bind(operation.as_str())
        .bind(started_at)
        .bind(&now)
        .fetch_one(&mut *transaction)
        .await?;

        let mut counts = PollCounts {
            received: records.len() as u64,
            ..PollCounts::default()
        };
        for record in records {
            store_record(
                &mut transaction,
                operation,
                poll_id,
                &now,
                record,
                &mut counts,
            )
            .await?;
        }

        sqlx::query(
            "UPDATE poll_runs SET received = ?, new_records = ?, new_versions = ?, repeated = ?, \
             decode_failures = ? WHERE id = ?",
        )
        .bind(counts.received as i64)
        .bind(counts.new_records as i64)
        .bind(counts.new_versions as i64)
        .bind(counts.repeated as i64)
        .bind(counts.decode_failures as i64)
        .bind(poll_id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;

        Ok(StoredBatch { poll_id, counts })
    }

    /// Versions with an id greater than `after`, oldest first, at most `limit` of them.
    pub async fn versions_after(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<StoredVersion>, SyncError> {
        let rows = sqlx::query(
            "SELECT id, operation, natural_key, version, content_hash, raw_json, decode_error, \
             violations, first_seen_at FROM record_versions WHERE id > ? ORDER BY id LIMIT ?",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(version_from_row).collect()
    }

    /// The versions stored under one natural key, oldest first.
    pub async fn versions_of(
        &self,
        operation: Operation,
        natural_key: &str,
    ) -> Result<Vec<StoredVersion>, SyncError> {
        let rows = sqlx::query(
            "SELECT id, operation, natural_key, version, content_hash, raw_json, decode_error, \
             violations, first_seen_at FROM record_versions WHERE operation = ? AND natural_key = ? \
             ORDER BY version",
        )
        .bind(operation.as_str())
        .bind(natural_key)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(version_from_row).collect()
    }

    /// The greatest version id ever assigned, 0 when none was.
    pub(crate) async fn max_version_id(&self) -> Result<i64, SyncError> {
        let (max,): (Option<i64>,) =
            sqlx::query_as("SELECT seq FROM sqlite_sequence WHERE name = 'record_versions'")
                .fetch_optional(self.pool())
                .await?
                .unwrap_or((None,));
        Ok(max.unwrap_or(0))
    }
}

async fn store_record(
    transaction: &mut Transaction<'static, Sqlite>,
    operation: Operation,
    poll_id: i64,
    now: &str,
    record: &DownloadedRecord,
    counts: &mut PollCounts,
) -> Result<(), SyncError> {
    // The batch was cut from valid JSON, so the text parses; if a caller hands over something
    // else, it is still kept, as a JSON string.
    let value: Value = serde_json::from_str(&record.raw_json)
        .unwrap_or_else(|_| Value::String(record.raw_json.clone()));
    let hash = content_hash(&value);
    let key = natural_key(operation, &value).unwrap_or_else(|| fallback_key(&hash));
    let decode_error = record.decoded.as_ref().err();
    if decode_error.is_some() {
        counts.decode_failures += 1;
    }

    let novelty = compare_with_latest(transaction, operation, &key, &hash).await?;
    let version = match novelty {
        Novelty::Repeat { version_id } => {
            // The platform signs photo links anew for each download: a repeat brings fresh
            // links for photos not fetched yet.
            if let Ok(RecordFields::Accident(accident)) = &record.decoded {
                for photo in &accident.photos {
                    insert_photo(transaction, &accident.accident_no, version_id, photo, now)
                        .await?;
                }
            }
            sqlx::query(
                "UPDATE record_versions SET repeat_count = repeat_count + 1, last_seen_at = ?, \
                 last_poll_id = ? WHERE id = ?",
            )
            .bind(now)
            .bind(poll_id)
            .bind(version_id)
            .execute(&mut **transaction)
            .await?;
            counts.repeated += 1;
            return Ok(());
        }
        Novelty::New => {
            counts.new_records += 1;
            1
        }
        Novelty::Changed { version } => {
            counts.new_versions += 1;
            version
        }
    };

    let (version_id,): (i64,) = sqlx::query_as(
        "INSERT INTO record_versions (operation, natural_key, version, content_hash, raw_json, \
         decode_error, violations, first_seen_at, last_seen_at, first_poll_id, last_poll_id) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(operation.as_str())
    .bind(&key)
    .bind(version)
    .bind(&hash)
    .bind(&record.raw_json)
    .bind(decode_error)
    .bind(violations_json(&record.violations))
    .bind(now)
    .bind(now)
    .bind(poll_id)
    .bind(poll_id)
    .fetch_one(&mut **transaction)
    .await?;

    if let Ok(fields) = &record.decoded {
        insert_fields(transaction, version_id, fields, now).await?;
    }
    Ok(())
}

async fn compare_with_latest(
    transaction: &mut Transaction<'static, Sqlite>,
    operation: Operation,
    key: &str,
    hash: &str,
) -> Result<Novelty, SyncError> {
    let latest: Option<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, version, content_hash FROM record_versions \
         WHERE operation = ? AND natural_key = ? ORDER BY version DESC LIMIT 1",
    )
    .bind(operation.as_str())
    .bind(key)
    .fetch_optional(&mut **transaction)
    .await?;
    Ok(match latest {
        None => Novelty::New,
        Some((version_id, _, latest_hash)) if latest_hash == hash => Novelty::Repeat { version_id },
        Some((_, version, _)) => Novelty::Changed {
            version: version + 1,
        },
    })
}

async fn insert_fields(
    transaction: &mut Transaction<'static, Sqlite>,
    version_id: i64,
    fields: &RecordFields,
    now: &str,
) -> Result<(), SyncError> {
    match fields {
        RecordFields::Warning(warning) => {
            sqlx::query(
                "INSERT INTO warnings (version_id, warning_no, warning_time, address) \
                 VALUES (?, ?, ?, ?)",
            )
            .bind(version_id)
            .bind(&warning.warning_no)
            .bind(&warning.warning_time)
            .bind(&warning.address)
            .execute(&mut **transaction)
            .await?;
            insert_plates(transaction, version_id, &warning.plates).await?;
        }
        RecordFields::Accident(accident) => {
            sqlx::query(
                "INSERT INTO accidents (version_id, accident_no, accident_time, district, \
                 accident_type, photo_count) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(version_id)
            .bind(&accident.accident_no)
            .bind(&accident.accident_time)
            .bind(&accident.district)
            .bind(&accident.accident_type)
            .bind(accident.photos.len() as i64)
            .execute(&mut **transaction)
            .await?;
            insert_plates(transaction, version_id, &accident.plates).await?;
            for photo in &accident.photos {
                insert_photo(transaction, &accident.accident_no, version_id, photo, now).await?;
            }
        }
        RecordFields::Dispatch(dispatch) => {
            sqlx::query(
                "INSERT INTO dispatches (version_id, report_no, receive_time, dispatch_type, \
                 task_type, surveyor_co) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(version_id)
            .bind(&dispatch.report_no)
            .bind(&dispatch.receive_time)
            .bind(&dispatch.dispatch_type)
            .bind(&dispatch.task_type)
            .bind(&dispatch.surveyor_co)
            .execute(&mut **transaction)
            .await?;
        }
    }
    Ok(())
}

async fn insert_plates(
    transaction: &mut Transaction<'static, Sqlite>,
    version_id: i64,
    plates: &[Plate],
) -> Result<(), SyncError> {
    for plate in plates {
        sqlx::query(
            "INSERT OR IGNORE INTO record_plates (version_id, plate_no, plate_type) \
             VALUES (?, ?, ?)",
        )
        .bind(version_id)
        .bind(&plate.plate_no)
        .bind(&plate.plate_type)
        .execute(&mut **transaction)
        .await?;
    }
    Ok(())
}

/// The violations as a JSON array, or NULL when there are none.
fn violations_json(violations: &[String]) -> Option<String> {
    if violations.is_empty() {
        None
    } else {
        serde_json::to_string(violations).ok()
    }
}

fn version_from_row(row: &SqliteRow) -> Result<StoredVersion, SyncError> {
    let id: i64 = row.try_get("id")?;
    let operation_name: String = row.try_get("operation")?;
    let operation = Operation::from_name(&operation_name).ok_or(SyncError::Corrupt {
        table: "record_versions",
        id,
        column: "operation",
        value: operation_name.clone(),
    })?;
    Ok(StoredVersion {
        id,
        operation,
        natural_key: row.try_get("natural_key")?,
        version: row.try_get("version")?,
        content_hash: row.try_get("content_hash")?,
        raw_json: row.try_get("raw_json")?,
        decode_error: row.try_get("decode_error")?,
        violations: row
            .try_get::<Option<String>, _>("violations")?
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default(),
        first_seen_at: row.try_get("first_seen_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{AccidentFields, PhotoRef, WarningFields};
    use crate::store::test_support::temp_store;

    fn warning(number: &str, content: &str) -> DownloadedRecord {
        DownloadedRecord {
            raw_json: format!(r#"{{"warningNo":"{number}","warningContent":"{content}"}}"#),
            decoded: Ok(RecordFields::Warning(WarningFields {
                warning_no: number.to_owned(),
                warning_time: "2019-03-01 10:00".to_owned(),
                address: "福田区".to_owned(),
                plates: vec![Plate {
                    plate_type: "02".to_owned(),
                    plate_no: "粤B12345".to_owned(),
                }],
            })),
            violations: Vec::new(),
        }
    }

    #[tokio::test]
    async fn store_batch_counts_new_then_repeated() {
        let (_dir, store) = temp_store().await;
        let batch = vec![warning("W1", "a"), warning("W2", "b")];

        let first = store.store_batch(Operation::Warnings, "t0", &batch).await;
        let second = store.store_batch(Operation::Warnings, "t1", &batch).await;

        let first = first.expect("the first batch is stored").counts;
        let second = second.expect("the second batch is stored").counts;
        assert_eq!(
            (first.received, first.new_records, first.repeated),
            (2, 2, 0)
        );
        assert_eq!(
            (second.received, second.new_records, second.repeated),
            (2, 0, 2)
        );
        let versions = store
            .versions_after(0, 10)
            .await
            .expect("versions can be read");
        assert_eq!(versions.len(), 2);
    }

    #[tokio::test]
    async fn store_batch_changed_content_is_new_version() {
        let (_dir, store) = temp_store().await;
        store
            .store_batch(Operation::Warnings, "t0", &[warning("W1", "a")])
            .await
            .expect("the first batch is stored");

        let changed = store
            .store_batch(Operation::Warnings, "t1", &[warning("W1", "b")])
            .await
            .expect("the changed batch is stored")
            .counts;

        assert_eq!((changed.new_records, changed.new_versions), (0, 1));
        let versions = store
            .versions_of(Operation::Warnings, "W1")
            .await
            .expect("versions can be read");
        let numbers: Vec<i64> = versions.iter().map(|version| version.version).collect();
        assert_eq!(numbers, [1, 2]);
        assert_ne!(versions[0].content_hash, versions[1].content_hash);
    }

    #[tokio::test]
    async fn store_batch_change_back_is_third_version() {
        let (_dir, store) = temp_store().await;
        for content in ["a", "b", "a"] {
            store
                .store_batch(Operation::Warnings, "t", &[warning("W1", content)])
                .await
                .expect("the batch is stored");
        }
        let versions = store
            .versions_of(Operation::Warnings, "W1")
            .await
            .expect("versions can be read");
        assert_eq!(versions.len(), 3);
    }

    #[tokio::test]
    async fn store_batch_keeps_decode_failure_with_reason() {
        let (_dir, store) = temp_store().await;
        let bad = DownloadedRecord {
            raw_json: r#"{"warningNo":"W9","warningTime":"2019-13-45"}"#.to_owned(),
            decoded: Err("warningTime: invalid date 2019-13-45".to_owned()),
            violations: Vec::new(),
        };

        let counts = store
            .store_batch(Operation::Warnings, "t0", &[warning("W1", "a"), bad])
            .await
            .expect("a batch with a bad record is stored")
            .counts;

        assert_eq!((counts.new_records, counts.decode_failures), (2, 1));
        let failed = store
            .versions_of(Operation::Warnings, "W9")
            .await
            .expect("versions can be read");
        assert_eq!(
            failed[0].decode_error.as_deref(),
            Some("warningTime: invalid date 2019-13-45")
        );
        let (decoded_rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM warnings")
            .fetch_one(store.pool())
            .await
            .expect("warnings can be counted");
        assert_eq!(decoded_rows, 1);
    }

    #[tokio::test]
    async fn store_batch_keeps_violations() {
        let (_dir, store) = temp_store().await;
        let mut record = warning("W1", "a");
        record.violations = vec!["alarmPhone（报警人电话）: too long: 138****0000".to_owned()];

        store
            .store_batch(Operation::Warnings, "t0", &[record])
            .await
            .expect("the batch is stored");

        let versions = store
            .versions_of(Operation::Warnings, "W1")
            .await
            .expect("versions can be read");
        assert_eq!(
            versions[0].violations,
            ["alarmPhone（报警人电话）: too long: 138****0000"]
        );
        assert_eq!(versions[0].decode_error, None);
    }

    #[tokio::test]
    async fn store_batch_unkeyed_record_keyed_by_content() {
        let (_dir, store) = temp_store().await;
        let unkeyed = DownloadedRecord {
            raw_json: r#"{"warningContent":"no number"}"#.to_owned(),
            decoded: Err("warningNo: missing".to_owned()),
            violations: Vec::new(),
        };
        store
            .store_batch(Operation::Warnings, "t0", std::slice::from_ref(&unkeyed))
            .await
            .expect("the batch is stored");
        let again = store
            .store_batch(Operation::Warnings, "t1", &[unkeyed])
            .await
            .expect("the batch is stored again")
            .counts;
        assert_eq!(again.repeated, 1);
        let versions = store
            .versions_after(0, 10)
            .await
            .expect("versions can be read");
        assert!(versions[0].natural_key.starts_with("content:"));
    }

    #[tokio::test]
    async fn store_batch_registers_accident_photos() {
        let (_dir, store) = temp_store().await;
        let accident = DownloadedRecord {
            raw_json: r#"{"accidentNo":"A1"}"#.to_owned(),
            decoded: Ok(RecordFields::Accident(AccidentFields {
                accident_no: "A1".to_owned(),
                accident_time: "2018-07-02 11:22:49".to_owned(),
                district: "福田区".to_owned(),
                accident_type: "1".to_owned(),
                plates: Vec::new(),
                photos: vec![PhotoRef {
                    photo_type: "01".to_owned(),
                    photo_name: "front.jpg".to_owned(),
                    url: "http://127.0.0.1:1/p/1.jpg?e=4102444800".to_owned(),
                }],
            })),
            violations: Vec::new(),
        };

        store
            .store_batch(Operation::Accidents, "t0", &[accident])
            .await
            .expect("the batch is stored");

        let photos = store
            .photos_to_fetch(10)
            .await
            .expect("photos can be listed");
        assert_eq!(photos.len(), 1);
        assert_eq!(
            photos[0].url_expires_at.as_deref(),
            Some("2100-01-01T00:00:00.000Z")
        );
    }
}

//! The upload outbox: queued J3 reports and J4 claims, their state machine and attempt log.
//!
//! ```text
//! queued ──▶ sending ──▶ delivered
//!   ▲           │ ├────▶ parked           (the platform rejected it; `jb outbox retry` re-queues)
//!   │           │ └────▶ unknown_outcome  (sent, no answer: re-sent later, and logged)
//!   └───────────┘ not sent (connection refused, ...): queued again with backoff
//! ```
//!
//! An entry moves to `sending` in a committed transaction before its request leaves, so a
//! crash during the call leaves it in `sending`; the next start turns it into
//! `unknown_outcome`, never back into `queued`.

use sha2::{Digest, Sha256};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};

use super::Store;
use crate::error::SyncError;
use crate::time::now_text;

/// Which upload an entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UploadKind {
    /// 报案信息上传 (`reportCaseUpload`): a claim report, keyed by reportNo.
    Report,
    /// 理赔信息上传 (`settleClaimUpload`): a settled claim, keyed by claimNo.
    Claim,
}

impl UploadKind {
    /// The name the store and the CLI use: `report` or `claim`.
    pub fn as_str(self) -> &'static str {
        match self {
            UploadKind::Report => "report",
            UploadKind::Claim => "claim",
        }
    }

    fn from_name(name: &str) -> Option<UploadKind> {
        match name {
            "report" => Some(UploadKind::Report),
            "claim" => Some(UploadKind::Claim),
            _ => None,
        }
    }
}

/// State of an upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutboxState {
    /// Waiting for its next attempt.
    Queued,
    /// A request is (or was, if the service died) in flight.
    Sending,
    /// The platform returned SUCCESS. Final.
    Delivered,
    /// The platform rejected it; its message is kept. Waits for `jb outbox retry`.
    Parked,
    /// The last request may or may not have reached the platform; it will be sent again.
    UnknownOutcome,
}

impl OutboxState {
    /// Every state, in the order `jb status` lists them.
    pub const ALL: [OutboxState; 5] = [
        OutboxState::Queued,
        OutboxState::Sending,
        OutboxState::UnknownOutcome,
        OutboxState::Parked,
        OutboxState::Delivered,
    ];

    /// The name the store and the CLI use.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Sending => "sending",
            OutboxState::Delivered => "delivered",
            OutboxState::Parked => "parked",
            OutboxState::UnknownOutcome => "unknown_outcome",
        }
    }

    /// Parses a name written by [`OutboxState::as_str`].
    pub fn from_name(name: &str) -> Option<OutboxState> {
        OutboxState::ALL
            .into_iter()
            .find(|state| state.as_str() == name)
    }
}

/// An outbox entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Entry id.
    pub id: i64,
    /// Report or claim.
    pub kind: UploadKind,
    /// reportNo of a report, claimNo of a claim.
    pub business_key: String,
    /// The record's JSON, as validated when it was queued.
    pub payload: String,
    /// Its state.
    pub state: OutboxState,
    /// Requests sent so far.
    pub attempts: i64,
    /// Earliest time of the next attempt (UTC, RFC 3339).
    pub next_attempt_at: String,
    /// What went wrong last.
    pub last_error: Option<String>,
    /// The platform's returnCode of a rejection.
    pub platform_code: Option<String>,
    /// The platform's returnMsg of a rejection.
    pub platform_message: Option<String>,
    /// When it was queued.
    pub created_at: String,
    /// When the platform accepted it.
    pub delivered_at: Option<String>,
}

/// One send attempt of an outbox entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxAttempt {
    /// Attempt id.
    pub id: i64,
    /// When the request started.
    pub started_at: String,
    /// When its outcome was recorded.
    pub finished_at: Option<String>,
    /// `in_flight`, `delivered`, `rejected`, `not_sent` or `unknown`.
    pub outcome: String,
    /// The error or platform message.
    pub detail: Option<String>,
}

/// The outcome of one attempt, as the sender records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AttemptResult {
    Delivered {
        detail: String,
    },
    Rejected {
        code: Option<String>,
        message: String,
    },
    NotSent {
        error: String,
        next_attempt_at: String,
    },
    Unknown {
        error: String,
        next_attempt_at: String,
    },
}

/// An entry claimed for sending: moved to `sending` with an attempt row open.
#[derive(Clone, Debug)]
pub(crate) struct ClaimedUpload {
    pub(crate) entry: OutboxEntry,
    pub(crate) attempt_id: i64,
    /// The state before the claim; `UnknownOutcome` means this is a re-send.
    pub(crate) previous_state: OutboxState,
}

const ENTRY_COLUMNS: &str = "id, kind, business_key, payload, state, attempts, next_attempt_at, \
     last_error, platform_code, platform_message, created_at, delivered_at";

impl Store {
    /// Queues an upload. An identical payload of the same kind that is already in the outbox,
    /// in any state, is not queued twice: its id is returned with `false`.
    pub async fn enqueue_upload(
        &self,
        kind: UploadKind,
        business_key: &str,
        payload: &str,
    ) -> Result<(i64, bool), SyncError> {
        let payload_hash = hex::encode(Sha256::digest(payload.as_bytes()));
        let mut transaction = self.begin_write().await?;
        let existing: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM outbox WHERE kind = ? AND payload_hash = ? AND payload = ? \
             ORDER BY id LIMIT 1",
        )
        .bind(kind.as_str())
        .bind(&payload_hash)
        .bind(payload)
        .fetch_optional(&mut *transaction)
        .await?;
        if let Some((id,)) = existing {
            return Ok((id, false));
        }

        let now = now_text();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO outbox (kind, business_key, payload, payload_hash, state, \
             next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?) \
             RETURNING id",
        )
        .bind(kind.as_str())
        .bind(business_key)
        .bind(payload)
        .bind(&payload_hash)
        .bind(&now)
        .bind(&now)
        .bind(&now)
        .fetch_one(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok((id, true))
    }

    /// Outbox entries, newest first, optionally only those in one state.
    pub async fn outbox_entries(
        &self,
        state: Option<OutboxState>,
    ) -> Result<Vec<OutboxEntry>, SyncError> {
        let rows = match state {
            Some(state) => {
                sqlx::query(&format!(
                    "SELECT {ENTRY_COLUMNS} FROM outbox WHERE state = ? ORDER BY id DESC"
                ))
                .bind(state.as_str())
                .fetch_all(self.pool())
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {ENTRY_COLUMNS} FROM outbox ORDER BY id DESC"
                ))
                .fetch_all(self.pool())
                .await?
            }
        };
        rows.iter().map(entry_from_row).collect()
    }

    /// One outbox entry with its attempts, oldest attempt first.
    ///
    /// # Errors
    /// [`SyncError::OutboxNotFound`] when no entry has this id.
    pub async fn outbox_entry(
        &self,
        id: i64,
    ) -> Result<(OutboxEntry, Vec<OutboxAttempt>), SyncError> {
        let row = sqlx::query(&format!("SELECT {ENTRY_COLUMNS} FROM outbox WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(SyncError::OutboxNotFound(id))?;
        let entry = entry_from_row(&row)?;
        let attempts = sqlx::query(
            "SELECT id, started_at, finished_at, outcome, detail FROM outbox_attempts \
             WHERE outbox_id = ? ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(OutboxAttempt {
                id: row.try_get("id")?,
                started_at: row.try_get("started_at")?,
                finished_at: row.try_get("finished_at")?,
                outcome: row.try_get("outcome")?,
                detail: row.try_get("detail")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok((entry, attempts))
    }

    /// Makes an entry due now: a parked one is queued again, a queued or unknown-outcome one
    /// keeps its state and loses its backoff. Returns the state the entry had.
    ///
    /// # Errors
    /// [`SyncError::OutboxNotFound`], or [`SyncError::OutboxState`] for a delivered entry or
    /// one being sent.
    pub async fn retry_upload(&self, id: i64) -> Result<OutboxState, SyncError> {
        let mut transaction = self.begin_write().await?;
        let row: Option<(String,)> = sqlx::query_as("SELECT state FROM outbox WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *transaction)
            .await?;
        let (state_name,) = row.ok_or(SyncError::OutboxNotFound(id))?;
        let state = OutboxState::from_name(&state_name).ok_or(SyncError::Corrupt {
            table: "outbox",
            id,
            column: "state",
            value: state_name.clone(),
        })?;
        let new_state = match state {
            OutboxState::Parked | OutboxState::Queued => OutboxState::Queued,
            OutboxState::UnknownOutcome => OutboxState::UnknownOutcome,
            OutboxState::Delivered | OutboxState::Sending => {
                return Err(SyncError::OutboxState {
                    id,
                    state: state_name,
                });
            }
        };
        let now = now_text();
        sqlx::query(
            "UPDATE outbox SET state = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?",
        )
        .bind(new_state.as_str())
        .bind(&now)
        .bind(&now)
        .bind(id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(state)
    }

    /// Turns entries left in `sending` by a process that died into `unknown_outcome`, because
    /// their request may have reached the platform. Returns their ids.
    pub(crate) async fn recover_interrupted_uploads(&self) -> Result<Vec<i64>, SyncError> {
        let now = now_text();
        let mut transaction = self.begin_write().await?;
        let ids: Vec<(i64,)> = sqlx::query_as(
            "UPDATE outbox SET state = 'unknown_outcome', next_attempt_at = ?, updated_at = ?, \
             last_error = 'the service stopped while the request was in flight' \
             WHERE state = 'sending' RETURNING id",
        )
        .bind(&now)
        .bind(&now)
        .fetch_all(&mut *transaction)
        .await?;
        sqlx::query(
            "UPDATE outbox_attempts SET outcome = 'unknown', finished_at = ?, \
             detail = 'the service stopped while the request was in flight' \
             WHERE outcome = 'in_flight'",
        )
        .bind(&now)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }

    /// Ids of the entries due now (queued or unknown outcome, next attempt time passed), the
    /// longest-waiting first.
    pub(crate) async fn due_upload_ids(&self) -> Result<Vec<i64>, SyncError> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM outbox WHERE state IN ('queued', 'unknown_outcome') \
             AND next_attempt_at <= ? ORDER BY next_attempt_at, id",
        )
        .bind(now_text())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Claims an entry for sending if it is still due: moves it to `sending` and opens an
    /// attempt, in one committed transaction. `None` when another process claimed it, or it
    /// changed state, in the meantime.
    pub(crate) async fn claim_upload(&self, id: i64) -> Result<Option<ClaimedUpload>, SyncError> {
        let now = now_text();
        let mut transaction = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM outbox WHERE id = ? \
             AND state IN ('queued', 'unknown_outcome') AND next_attempt_at <= ?"
        ))
        .bind(id)
        .bind(&now)
        .fetch_optional(&mut *transaction)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut entry = entry_from_row(&row)?;
        let previous_state = entry.state;

        sqlx::query(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? \
             WHERE id = ?",
        )
        .bind(&now)
        .bind(entry.id)
        .execute(&mut *transaction)
        .await?;
        let (attempt_id,): (i64,) = sqlx::query_as(
            "INSERT INTO outbox_attempts (outbox_id, started_at, outcome) \
             VALUES (?, ?, 'in_flight') RETURNING id",
        )
        .bind(entry.id)
        .bind(&now)
        .fetch_one(&mut *transaction)
        .await?;
        transaction.commit().await?;

        entry.state = OutboxState::Sending;
        entry.attempts += 1;
        Ok(Some(ClaimedUpload {
            entry,
            attempt_id,
            previous_state,
        }))
    }

    /// Claims the first due entry (see [`Store::claim_upload`]).
    #[cfg(test)]
    pub(crate) async fn claim_due_upload(&self) -> Result<Option<ClaimedUpload>, SyncError> {
        for id in self.due_upload_ids().await? {
            if let Some(claimed) = self.claim_upload(id).await? {
                return Ok(Some(claimed));
            }
        }
        Ok(None)
    }

    /// Records the outcome of an attempt and moves the entry on.
    pub(crate) async fn finish_upload_attempt(
        &self,
        claimed: &ClaimedUpload,
        result: &AttemptResult,
    ) -> Result<(), SyncError> {
        let now = now_text();
        let mut transaction = self.begin_write().await?;
        let (outcome, detail) = match result {
            AttemptResult::Delivered { detail } => {
                sqlx::query(
                    "UPDATE outbox SET state = 'delivered', delivered_at = ?, updated_at = ?, \
                     last_error = NULL WHERE id = ?",
                )
                .bind(&now)
                .bind(&now)
                .bind(claimed.entry.id)
                .execute(&mut *transaction)
                .await?;
                ("delivered", Some(detail.as_str()))
            }
            AttemptResult::Rejected { code, message } => {
                sqlx::query(
                    "UPDATE outbox SET state = 'parked', platform_code = ?, \
                     platform_message = ?, last_error = ?, updated_at = ? WHERE id = ?",
                )
                .bind(code)
                .bind(message)
                .bind(message)
                .bind(&now)
                .bind(claimed.entry.id)
                .execute(&mut *transaction)
                .await?;
                ("rejected", Some(message.as_str()))
            }
            AttemptResult::NotSent {
                error,
                next_attempt_at,
            } => {
                // A request that never left cannot have reached the platform, but one sent
                // before it may have: an entry that was unknown stays unknown.
                let state = match claimed.previous_state {
                    OutboxState::UnknownOutcome => "unknown_outcome",
                    _ => "queued",
                };
                retry_later(
                    &mut transaction,
                    claimed.entry.id,
                    state,
                    error,
                    next_attempt_at,
                    &now,
                )
                .await?;
                ("not_sent", Some(error.as_str()))
            }
            AttemptResult::Unknown {
                error,
                next_attempt_at,
            } => {
                retry_later(
                    &mut transaction,
                    claimed.entry.id,
                    "unknown_outcome",
                    error,
                    next_attempt_at,
                    &now,
                )
                .await?;
                ("unknown", Some(error.as_str()))
            }
        };
        sqlx::query(
            "UPDATE outbox_attempts SET outcome = ?, detail = ?, finished_at = ? WHERE id = ?",
        )
        .bind(outcome)
        .bind(detail)
        .bind(&now)
        .bind(claimed.attempt_id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(())
    }
}

async fn retry_later(
    transaction: &mut Transaction<'static, Sqlite>,
    id: i64,
    state: &str,
    error: &str,
    next_attempt_at: &str,
    now: &str,
) -> Result<(), SyncError> {
    sqlx::query(
        "UPDATE outbox SET state = ?, last_error = ?, next_attempt_at = ?, updated_at = ? \
         WHERE id = ?",
    )
    .bind(state)
    .bind(error)
    .bind(next_attempt_at)
    .bind(now)
    .bind(id)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

fn entry_from_row(row: &SqliteRow) -> Result<OutboxEntry, SyncError> {
    let id: i64 = row.try_get("id")?;
    let corrupt = |column: &'static str, value: String| SyncError::Corrupt {
        table: "outbox",
        id,
        column,
        value,
    };
    let kind_name: String = row.try_get("kind")?;
    let kind =
        UploadKind::from_name(&kind_name).ok_or_else(|| corrupt("kind", kind_name.clone()))?;
    let state_name: String = row.try_get("state")?;
    let state =
        OutboxState::from_name(&state_name).ok_or_else(|| corrupt("state", state_name.clone()))?;
    Ok(OutboxEntry {
        id,
        kind,
        business_key: row.try_get("business_key")?,
        payload: row.try_get("payload")?,
        state,
        attempts: row.try_get("attempts")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
        last_error: row.try_get("last_error")?,
        platform_code: row.try_get("platform_code")?,
        platform_message: row.try_get("platform_message")?,
        created_at: row.try_get("created_at")?,
        delivered_at: row.try_get("delivered_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::temp_store;

    const LATER: &str = "2999-01-01T00:00:00.000Z";

    #[tokio::test]
    async fn enqueue_upload_identical_payload_once() {
        let (_dir, store) = temp_store().await;
        let first = store.enqueue_upload(UploadKind::Report, "R1", "{}").await;
        let second = store.enqueue_upload(UploadKind::Report, "R1", "{}").await;
        let other_kind = store.enqueue_upload(UploadKind::Claim, "R1", "{}").await;

        let (first_id, first_created) = first.expect("the report is queued");
        assert!(first_created);
        assert_eq!(
            second.expect("the same report is looked up"),
            (first_id, false)
        );
        assert!(other_kind.expect("the claim is queued").1);
    }

    #[tokio::test]
    async fn claim_due_upload_moves_to_sending() {
        let (_dir, store) = temp_store().await;
        let (id, _) = store
            .enqueue_upload(UploadKind::Report, "R1", "{}")
            .await
            .expect("the report is queued");

        let claimed = store
            .claim_due_upload()
            .await
            .expect("the claim query runs");
        let nothing_left = store
            .claim_due_upload()
            .await
            .expect("the claim query runs");

        let claimed = claimed.expect("the queued entry is due");
        assert_eq!(claimed.entry.id, id);
        assert_eq!(claimed.previous_state, OutboxState::Queued);
        assert!(
            nothing_left.is_none(),
            "an entry being sent was claimed twice"
        );
        let (entry, attempts) = store.outbox_entry(id).await.expect("the entry exists");
        assert_eq!(entry.state, OutboxState::Sending);
        assert_eq!(attempts[0].outcome, "in_flight");
    }

    #[tokio::test]
    async fn finish_upload_attempt_rejection_parks_with_message() {
        let (_dir, store) = temp_store().await;
        store
            .enqueue_upload(UploadKind::Claim, "C1", "{}")
            .await
            .expect("the claim is queued");
        let claimed = store
            .claim_due_upload()
            .await
            .expect("the claim query runs")
            .expect("the entry is due");

        let rejected = AttemptResult::Rejected {
            code: Some("0000".to_owned()),
            message: "FAIL".to_owned(),
        };
        store
            .finish_upload_attempt(&claimed, &rejected)
            .await
            .expect("the outcome is stored");

        let (entry, attempts) = store
            .outbox_entry(claimed.entry.id)
            .await
            .expect("the entry exists");
        assert_eq!(entry.state, OutboxState::Parked);
        assert_eq!(entry.platform_message.as_deref(), Some("FAIL"));
        assert_eq!(attempts[0].outcome, "rejected");
        assert!(store.claim_due_upload().await.expect("runs").is_none());
    }

    #[tokio::test]
    async fn finish_upload_attempt_not_sent_waits_for_backoff() {
        let (_dir, store) = temp_store().await;
        store
            .enqueue_upload(UploadKind::Report, "R1", "{}")
            .await
            .expect("the report is queued");
        let claimed = store
            .claim_due_upload()
            .await
            .expect("the claim query runs")
            .expect("the entry is due");

        let not_sent = AttemptResult::NotSent {
            error: "connection refused".to_owned(),
            next_attempt_at: LATER.to_owned(),
        };
        store
            .finish_upload_attempt(&claimed, &not_sent)
            .await
            .expect("the outcome is stored");

        let (entry, _) = store
            .outbox_entry(claimed.entry.id)
            .await
            .expect("the entry exists");
        assert_eq!(entry.state, OutboxState::Queued);
        assert_eq!(entry.next_attempt_at, LATER);
        assert!(store.claim_due_upload().await.expect("runs").is_none());
    }

    #[tokio::test]
    async fn recover_interrupted_uploads_marks_unknown() {
        let (_dir, store) = temp_store().await;
        let (id, _) = store
            .enqueue_upload(UploadKind::Report, "R1", "{}")
            .await
            .expect("the report is queued");
        store
            .claim_due_upload()
            .await
            .expect("the claim query runs")
            .expect("the entry is due");

        let recovered = store
            .recover_interrupted_uploads()
            .await
            .expect("recovery runs");

        assert_eq!(recovered, [id]);
        let claimed = store
            .claim_due_upload()
            .await
            .expect("the claim query runs")
            .expect("the unknown entry is due again");
        assert_eq!(claimed.previous_state, OutboxState::UnknownOutcome);
        let (_, attempts) = store.outbox_entry(id).await.expect("the entry exists");
        assert_eq!(attempts[0].outcome, "unknown");
    }

    #[tokio::test]
    async fn retry_upload_requeues_parked_rejects_delivered() {
        let (_dir, store) = temp_store().await;
        store
            .enqueue_upload(UploadKind::Report, "R1", "{}")
            .await
            .expect("the report is queued");
        let claimed = store
            .claim_due_upload()
            .await
            .expect("the claim query runs")
            .expect("the entry is due");
        let rejected = AttemptResult::Rejected {
            code: None,
            message: "FAIL".to_owned(),
        };
        store
            .finish_upload_attempt(&claimed, &rejected)
            .await
            .expect("the outcome is stored");

        let previous = store.retry_upload(claimed.entry.id).await;
        assert_eq!(
            previous.expect("a parked entry can be retried"),
            OutboxState::Parked
        );

        let claimed = store
            .claim_due_upload()
            .await
            .expect("the claim query runs")
            .expect("the re-queued entry is due");
        store
            .finish_upload_attempt(
                &claimed,
                &AttemptResult::Delivered {
                    detail: "serialNo 1".to_owned(),
                },
            )
            .await
            .expect("the outcome is stored");
        let again = store.retry_upload(claimed.entry.id).await;
        assert!(
            matches!(again, Err(SyncError::OutboxState { .. })),
            "{again:?}"
        );
        assert!(matches!(
            store.retry_upload(999).await,
            Err(SyncError::OutboxNotFound(999))
        ));
    }
}

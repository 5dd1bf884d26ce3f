//! Exactly-once emission of record versions to the sinks.
//!
//! Each sink has a cursor in the store: the greatest version id it has durably written. A round
//! of emission reads the versions after the cursor in id order, has the sink write them and
//! sync them to disk, and only then advances the cursor. A crash before the write leaves the
//! cursor behind, so the versions are emitted on the next start (nothing lost). A crash after
//! the write but before the cursor's commit would emit them twice, so before its first write
//! the emitter reads from the sink the last id it contains (the NDJSON file reads its last line)
//! and moves the cursor up to it.

use crate::error::SyncError;
use crate::sink::{Sink, render_line};
use crate::store::Store;

/// Versions read from the store per write.
const BATCH: u32 = 500;

struct SinkSlot {
    /// `None` only while a blocking write is running.
    sink: Option<Box<dyn Sink>>,
    name: String,
    needs_recovery: bool,
}

/// Feeds the sinks from the store.
pub(crate) struct Emitter {
    slots: Vec<SinkSlot>,
}

impl std::fmt::Debug for Emitter {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.slots.iter().map(|slot| slot.name.as_str()).collect();
        formatter
            .debug_struct("Emitter")
            .field("sinks", &names)
            .finish()
    }
}

impl Emitter {
    pub(crate) fn new(sinks: Vec<Box<dyn Sink>>) -> Emitter {
        let slots = sinks
            .into_iter()
            .map(|sink| SinkSlot {
                name: sink.name().to_owned(),
                sink: Some(sink),
                needs_recovery: true,
            })
            .collect();
        Emitter { slots }
    }

    /// Emits every version past each sink's cursor. Returns how many lines were written, summed
    /// over the sinks. A failing sink does not stop the others. The first error is returned
    /// after all were tried, and the failed sink recovers before its next write.
    pub(crate) async fn emit_pending(&mut self, store: &Store) -> Result<u64, SyncError> {
        let mut written = 0;
        let mut first_error = None;
        for slot in &mut self.slots {
            match emit_to(slot, store).await {
                Ok(count) => written += count,
                Err(error) => {
                    slot.needs_recovery = true;
                    tracing::error!(sink = %slot.name, %error, "emission failed; the sink resumes from its last durable line on the next cycle");
                    first_error.get_or_insert(error);
                }
            }
        }
        match first_error {
            Some(error) => Err(error),
            None => Ok(written),
        }
    }
}

async fn emit_to(slot: &mut SinkSlot, store: &Store) -> Result<u64, SyncError> {
    if slot.needs_recovery {
        recover(slot, store).await?;
        slot.needs_recovery = false;
    }
    let mut written = 0;
    loop {
        let cursor = store.emission_cursor(&slot.name).await?;
        let versions = store.versions_after(cursor, BATCH).await?;
        let Some(last) = versions.last().map(|version| version.id) else {
            return Ok(written);
        };
        let lines: Vec<_> = versions.iter().map(render_line).collect();
        let count = lines.len() as u64;
        run_blocking(slot, move |sink| sink.write_lines(&lines)).await?;
        store.advance_emission_cursor(&slot.name, last).await?;
        written += count;
    }
}

/// Moves the cursor up to what the sink already holds, so those lines are not written again.
async fn recover(slot: &mut SinkSlot, store: &Store) -> Result<(), SyncError> {
    let durable = run_blocking(slot, |sink| sink.recover()).await?;
    let Some(durable) = durable else {
        return Ok(());
    };
    let cursor = store.emission_cursor(&slot.name).await?;
    if durable <= cursor {
        return Ok(());
    }
    let latest = store.max_version_id().await?;
    if durable > latest {
        tracing::error!(
            sink = %slot.name,
            sink_version_id = durable,
            store_version_id = latest,
            "the sink holds versions the database does not; it was probably restored from an older backup. New versions get ids above the sink's"
        );
        store.reserve_version_ids_through(durable).await?;
    }
    tracing::warn!(
        sink = %slot.name,
        from = cursor + 1,
        through = durable,
        "found lines written before a crash but not recorded as emitted; they are not written again"
    );
    store.advance_emission_cursor(&slot.name, durable).await
}

/// Runs blocking sink I/O off the async workers.
async fn run_blocking<T, F>(slot: &mut SinkSlot, work: F) -> Result<T, SyncError>
where
    T: Send + 'static,
    F: FnOnce(&mut dyn Sink) -> std::io::Result<T> + Send + 'static,
{
    let name = slot.name.clone();
    let mut sink = slot.sink.take().ok_or_else(|| SyncError::Sink {
        sink: name.clone(),
        source: std::io::Error::other("a previous write of this sink was abandoned"),
    })?;
    let joined = tokio::task::spawn_blocking(move || {
        let result = work(sink.as_mut());
        (sink, result)
    })
    .await;
    match joined {
        Ok((sink, result)) => {
            slot.sink = Some(sink);
            result.map_err(|source| SyncError::Sink { sink: name, source })
        }
        Err(join_error) => Err(SyncError::Sink {
            sink: name,
            source: std::io::Error::other(join_error.to_string()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::io::Write;
    use std::path::Path;

    use super::*;
    use crate::operation::Operation;
    use crate::record::{DownloadedRecord, RecordFields, WarningFields};
    use crate::sink::NdjsonFile;
    use crate::store::test_support::temp_store;

    fn warnings(numbers: &[&str]) -> Vec<DownloadedRecord> {
        numbers
            .iter()
            .map(|number| DownloadedRecord {
                raw_json: format!(r#"{{"warningNo":"{number}"}}"#),
                decoded: Ok(RecordFields::Warning(WarningFields {
                    warning_no: (*number).to_owned(),
                    warning_time: "2019-03-01 10:00".to_owned(),
                    address: "福田区".to_owned(),
                    plates: Vec::new(),
                })),
                violations: Vec::new(),
            })
            .collect()
    }

    fn emitted_keys(path: &Path) -> Vec<String> {
        fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(|line| {
                let value: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
                value["natural_key"].as_str().unwrap_or_default().to_owned()
            })
            .collect()
    }

    fn file_emitter(path: &Path) -> Emitter {
        Emitter::new(vec![Box::new(NdjsonFile::new(
            path,
            NdjsonFile::DEFAULT_MAX_BYTES,
        ))])
    }

    #[tokio::test]
    async fn emit_pending_writes_each_version_once() {
        let (dir, store) = temp_store().await;
        let path = dir.path().join("records.ndjson");
        let mut emitter = file_emitter(&path);
        store
            .store_batch(Operation::Warnings, "t", &warnings(&["W1", "W2"]))
            .await
            .expect("stored");

        let first = emitter.emit_pending(&store).await.expect("emitted");
        let again = emitter.emit_pending(&store).await.expect("emitted");
        store
            .store_batch(Operation::Warnings, "t", &warnings(&["W2", "W3"]))
            .await
            .expect("stored");
        let third = emitter.emit_pending(&store).await.expect("emitted");

        assert_eq!((first, again, third), (2, 0, 1));
        assert_eq!(emitted_keys(&path), ["W1", "W2", "W3"]);
    }

    #[tokio::test]
    async fn emit_pending_skips_lines_written_before_crash() {
        let (dir, store) = temp_store().await;
        let path = dir.path().join("records.ndjson");
        store
            .store_batch(Operation::Warnings, "t", &warnings(&["W1", "W2", "W3"]))
            .await
            .expect("stored");
        // A previous run wrote and synced W1 and W2, then died before advancing the cursor.
        let versions = store.versions_after(0, 2).await.expect("readable");
        let mut text = String::new();
        for version in &versions {
            text.push_str(&render_line(version).text);
            text.push('\n');
        }
        fs::write(&path, text).expect("written");

        let written = file_emitter(&path)
            .emit_pending(&store)
            .await
            .expect("emitted");

        assert_eq!(written, 1);
        assert_eq!(emitted_keys(&path), ["W1", "W2", "W3"]);
        assert_eq!(store.emission_cursor("ndjson").await.expect("readable"), 3);
    }

    #[tokio::test]
    async fn emit_pending_rewrites_torn_line() {
        let (dir, store) = temp_store().await;
        let path = dir.path().join("records.ndjson");
        store
            .store_batch(Operation::Warnings, "t", &warnings(&["W1", "W2"]))
            .await
            .expect("stored");
        let versions = store.versions_after(0, 2).await.expect("readable");
        let mut file = fs::File::create(&path).expect("created");
        writeln!(file, "{}", render_line(&versions[0]).text).expect("written");
        let torn = render_line(&versions[1]).text;
        file.write_all(&torn.as_bytes()[..torn.len() / 2])
            .expect("written");

        file_emitter(&path)
            .emit_pending(&store)
            .await
            .expect("emitted");

        assert_eq!(emitted_keys(&path), ["W1", "W2"]);
    }

    #[tokio::test]
    async fn emit_pending_sink_ahead_of_store_reserves_ids() {
        let (dir, store) = temp_store().await;
        let path = dir.path().join("records.ndjson");
        fs::write(&path, "{\"version_id\":40}\n").expect("written");

        file_emitter(&path)
            .emit_pending(&store)
            .await
            .expect("emitted");
        store
            .store_batch(Operation::Warnings, "t", &warnings(&["W1"]))
            .await
            .expect("stored");

        let versions = store.versions_after(0, 10).await.expect("readable");
        assert_eq!(versions[0].id, 41);
    }
}

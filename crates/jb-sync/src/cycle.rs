//! One cycle: download, store, emit, fetch photos, send uploads.

use std::sync::Arc;
use std::time::Instant;

use crate::identity::natural_key;
use crate::metrics::{CycleReport, PollError, PollReport, log_cycle};
use crate::operation::Operation;
use crate::photos::fetch_pending_photos;
use crate::platform::Platform;
use crate::record::DownloadedRecord;
use crate::sender::send_due_uploads;
use crate::service::SyncService;
use crate::stop::StopSignal;
use crate::time::now_text;

impl<P: Platform> SyncService<P> {
    /// Runs one cycle. Each step's failure is recorded in the report and logged, and the next
    /// step still runs: a failed download does not hold back the uploads.
    pub(crate) async fn run_cycle(&mut self, stop: &StopSignal) -> CycleReport {
        let started = Instant::now();
        self.cycle += 1;
        let mut report = CycleReport {
            cycle: self.cycle,
            ..CycleReport::default()
        };
        self.progress.cycle_started(self.cycle);
        tracing::debug!(cycle = self.cycle, "cycle started");

        let operations = self.operations.clone();
        for operation in operations {
            if stop.is_stopped() {
                break;
            }
            let poll = self.poll(operation).await;
            report.polls.push(poll);
        }

        // Emission runs even after a shutdown request: the versions just stored should
        // reach the sinks before the process exits.
        match self.emitter.emit_pending(&self.store).await {
            Ok(emitted) => report.emitted = emitted,
            Err(error) => report.errors.push(Arc::new(error)),
        }

        if let Some(settings) = self.photos.filter(|_| !stop.is_stopped()) {
            match fetch_pending_photos(
                &self.platform,
                &self.store,
                self.data_dir.root(),
                settings,
                stop,
                self.progress.as_ref(),
            )
            .await
            {
                Ok(counts) => report.photos = counts,
                Err(error) => {
                    tracing::error!(%error, "photo fetching stopped early");
                    report.errors.push(Arc::new(error));
                }
            }
        }

        if !stop.is_stopped() {
            match send_due_uploads(
                &self.platform,
                &self.store,
                self.upload_backoff,
                stop,
                self.progress.as_ref(),
            )
            .await
            {
                Ok(sent) => {
                    report.uploads = sent.counts;
                    report.parked_uploads = sent.parked;
                }
                Err(error) => {
                    tracing::error!(%error, "sending uploads stopped early");
                    report.errors.push(Arc::new(error));
                }
            }
        }

        report.interrupted = stop.is_stopped();
        report.duration = started.elapsed();
        self.totals.add(&report);
        log_cycle(&report, &self.totals);
        self.progress.cycle_finished(&report);
        report
    }

    /// Downloads one operation and stores the batch with its poll run.
    async fn poll(&mut self, operation: Operation) -> PollReport {
        self.progress.download_started(operation);
        let started_at = now_text();
        let records = match self.platform.download(operation).await {
            Ok(records) => records,
            Err(failure) => {
                tracing::warn!(%operation, error = %failure, "download failed; the next cycle polls again");
                if let Err(error) = self
                    .store
                    .record_failed_poll(operation, &started_at, &failure.message)
                    .await
                {
                    tracing::error!(%operation, %error, "cannot record the failed poll");
                }
                return PollReport {
                    operation,
                    result: Err(PollError::Download(failure)),
                };
            }
        };

        log_decode_failures(operation, &records);
        match self
            .store
            .store_batch(operation, &started_at, &records)
            .await
        {
            Ok(stored) => {
                tracing::debug!(%operation, poll = stored.poll_id, received = stored.counts.received, new_records = stored.counts.new_records, new_versions = stored.counts.new_versions, repeated = stored.counts.repeated, decode_failures = stored.counts.decode_failures, "batch stored");
                PollReport {
                    operation,
                    result: Ok(stored.counts),
                }
            }
            Err(error) => {
                tracing::error!(%operation, %error, "cannot store the downloaded batch; it is lost unless the platform sends it again");
                PollReport {
                    operation,
                    result: Err(PollError::Store(Arc::new(error))),
                }
            }
        }
    }
}

/// Logs each record that failed to decode by its key and reason; the raw JSON, which contains
/// personal data, goes to the store only.
fn log_decode_failures(operation: Operation, records: &[DownloadedRecord]) {
    for record in records {
        if let Err(reason) = &record.decoded {
            let key = serde_json::from_str(&record.raw_json)
                .ok()
                .and_then(|value| natural_key(operation, &value))
                .unwrap_or_default();
            tracing::warn!(%operation, key = %key, %reason, "record failed to decode; stored with its raw JSON and the reason");
        }
    }
}

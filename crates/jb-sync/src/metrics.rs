//! Counters of a cycle and of the service's lifetime, logged after each cycle.

use std::sync::Arc;
use std::time::Duration;

use crate::error::SyncError;
use crate::operation::Operation;
use crate::platform::DownloadFailure;
use crate::store::PollCounts;

/// Photos handled in a cycle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PhotoCounts {
    /// Stored with their checksum.
    pub fetched: u64,
    /// Failed this time; tried again later while the URL is valid.
    pub failed: u64,
    /// Found expired.
    pub expired: u64,
    /// Left pending because shutdown was requested.
    pub abandoned: u64,
}

/// Uploads handled in a cycle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UploadCounts {
    /// Accepted by the platform (SUCCESS).
    pub delivered: u64,
    /// Rejected by the platform, or invalid: parked.
    pub parked: u64,
    /// Not sent (connection refused, ...): queued again with backoff.
    pub not_sent: u64,
    /// Sent without a known outcome: to be sent again.
    pub unknown: u64,
    /// Sent again because the previous attempt's outcome was unknown.
    pub resent: u64,
}

/// The reason a poll of one operation failed.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PollError {
    /// The platform call failed; the poll is recorded as failed and the next cycle polls again.
    #[error("{0}")]
    Download(DownloadFailure),
    /// The batch arrived but could not be stored; it is lost unless the platform sends it
    /// again.
    #[error("{0}")]
    Store(Arc<SyncError>),
}

/// The result of polling one operation in a cycle.
#[derive(Clone, Debug)]
pub struct PollReport {
    /// The operation.
    pub operation: Operation,
    /// Its counts, or why the poll failed.
    pub result: Result<PollCounts, PollError>,
}

/// What one cycle did.
#[derive(Clone, Debug, Default)]
pub struct CycleReport {
    /// Cycle number since the service started, from 1.
    pub cycle: u64,
    /// How long the cycle took.
    pub duration: Duration,
    /// One entry per operation polled; an operation skipped for shutdown has none.
    pub polls: Vec<PollReport>,
    /// Lines written, summed over the sinks.
    pub emitted: u64,
    /// Photos handled.
    pub photos: PhotoCounts,
    /// Uploads handled.
    pub uploads: UploadCounts,
    /// Outbox ids of the uploads parked in this cycle: the platform rejected them, or they
    /// were invalid. Each waits for a person (`Store::outbox_entry` shows the reason).
    pub parked_uploads: Vec<i64>,
    /// Errors of the store or the sinks that ended a step early (platform failures are not
    /// errors here: they are in `polls`, the photo counts and the upload counts).
    pub errors: Vec<Arc<SyncError>>,
    /// Whether shutdown was requested during the cycle.
    pub interrupted: bool,
}

impl CycleReport {
    /// The counts of one operation, when it was polled successfully.
    pub fn poll_counts(&self, operation: Operation) -> Option<PollCounts> {
        self.polls
            .iter()
            .find(|poll| poll.operation == operation)
            .and_then(|poll| poll.result.as_ref().ok().copied())
    }

    /// Whether every step succeeded: each poll, the emission and the store.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty() && self.polls.iter().all(|poll| poll.result.is_ok())
    }
}

/// Counters summed over the service's lifetime.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Cycles run.
    pub cycles: u64,
    /// Polls that failed.
    pub failed_polls: u64,
    /// Record counts of successful polls.
    pub records: PollCounts,
    /// Lines emitted.
    pub emitted: u64,
    /// Photos handled.
    pub photos: PhotoCounts,
    /// Uploads handled.
    pub uploads: UploadCounts,
}

impl Totals {
    pub(crate) fn add(&mut self, report: &CycleReport) {
        self.cycles += 1;
        for poll in &report.polls {
            match &poll.result {
                Ok(counts) => self.records.add(counts),
                Err(_) => self.failed_polls += 1,
            }
        }
        self.emitted += report.emitted;
        self.photos.fetched += report.photos.fetched;
        self.photos.failed += report.photos.failed;
        self.photos.expired += report.photos.expired;
        self.photos.abandoned += report.photos.abandoned;
        self.uploads.delivered += report.uploads.delivered;
        self.uploads.parked += report.uploads.parked;
        self.uploads.not_sent += report.uploads.not_sent;
        self.uploads.unknown += report.uploads.unknown;
        self.uploads.resent += report.uploads.resent;
    }
}

/// Logs a cycle's counters and the running totals as one line.
pub(crate) fn log_cycle(report: &CycleReport, totals: &Totals) {
    let mut records = PollCounts::default();
    let mut failed_polls = 0;
    for poll in &report.polls {
        match &poll.result {
            Ok(counts) => records.add(counts),
            Err(_) => failed_polls += 1,
        }
    }
    tracing::info!(
        cycle = report.cycle,
        duration_ms = report.duration.as_millis() as u64,
        received = records.received,
        new_records = records.new_records,
        new_versions = records.new_versions,
        repeated = records.repeated,
        decode_failures = records.decode_failures,
        failed_polls,
        emitted = report.emitted,
        photos_fetched = report.photos.fetched,
        photos_failed = report.photos.failed,
        photos_expired = report.photos.expired,
        uploads_delivered = report.uploads.delivered,
        uploads_parked = report.uploads.parked,
        uploads_not_sent = report.uploads.not_sent,
        uploads_unknown = report.uploads.unknown,
        errors = report.errors.len(),
        total_cycles = totals.cycles,
        total_new_records = totals.records.new_records,
        total_new_versions = totals.records.new_versions,
        total_emitted = totals.emitted,
        total_photos_fetched = totals.photos.fetched,
        total_uploads_delivered = totals.uploads.delivered,
        "cycle finished"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_add_sums_cycles() {
        let report = CycleReport {
            cycle: 1,
            polls: vec![
                PollReport {
                    operation: Operation::Warnings,
                    result: Ok(PollCounts {
                        received: 3,
                        new_records: 2,
                        repeated: 1,
                        ..PollCounts::default()
                    }),
                },
                PollReport {
                    operation: Operation::Accidents,
                    result: Err(PollError::Download(DownloadFailure {
                        message: "timed out".to_owned(),
                    })),
                },
            ],
            emitted: 2,
            ..CycleReport::default()
        };
        let mut totals = Totals::default();

        totals.add(&report);
        totals.add(&report);

        assert_eq!(totals.cycles, 2);
        assert_eq!(totals.records.new_records, 4);
        assert_eq!(totals.failed_polls, 2);
        assert_eq!(totals.emitted, 4);
        assert!(!report.is_clean());
        assert_eq!(
            report.poll_counts(Operation::Warnings).map(|c| c.repeated),
            Some(1)
        );
        assert_eq!(report.poll_counts(Operation::Accidents), None);
    }
}

//! Progress callbacks, for a terminal's progress bars; the service's logs do not depend on them.

use crate::metrics::CycleReport;
use crate::operation::Operation;

/// Receives progress events of the service. Every method has an empty default.
pub trait Progress: Send + Sync {
    /// A cycle starts.
    fn cycle_started(&self, cycle: u64) {
        let _ = cycle;
    }

    /// A download of `operation` starts.
    fn download_started(&self, operation: Operation) {
        let _ = operation;
    }

    /// `total` photos are about to be fetched.
    fn photos_started(&self, total: u64) {
        let _ = total;
    }

    /// One photo was fetched, failed or found expired.
    fn photo_finished(&self) {}

    /// `total` uploads are due and about to be sent.
    fn uploads_started(&self, total: u64) {
        let _ = total;
    }

    /// A cycle ended.
    fn cycle_finished(&self, report: &CycleReport) {
        let _ = report;
    }
}

/// Progress that shows nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

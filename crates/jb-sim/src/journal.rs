//! Bounded in-memory records of the requests seen and the uploads accepted, for inspection.

use std::collections::VecDeque;

use serde::Serialize;

/// One gateway request and the simulator's verdict on it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RequestRecord {
    /// Position of the request since start, from 1.
    pub sequence: u64,
    /// When the request arrived, RFC 3339 in Beijing time.
    pub received_at: String,
    /// appId of the envelope, when it could be read.
    pub app_id: Option<String>,
    /// method of the envelope, when it could be read.
    pub method: Option<String>,
    /// serialNo of the envelope, when it could be read.
    pub serial_no: Option<String>,
    /// returnCode answered, or `None` when a fault answered before the gateway decided.
    pub return_code: Option<String>,
    /// returnMsg answered, with every detail (the wire returnMsg is cut at 100 characters).
    pub return_msg: Option<String>,
    /// Why the request was rejected, in English with every detail.
    pub detail: Option<String>,
    /// Fault modes injected into this request's answer, by configuration key.
    pub faults: Vec<&'static str>,
}

/// One upload that passed every check and was answered SUCCESS.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UploadRecord {
    /// Position of the upload since start, from 1.
    pub sequence: u64,
    /// When the upload arrived, RFC 3339 in Beijing time.
    pub received_at: String,
    /// appId of the tenant that sent it.
    pub app_id: String,
    /// Wire name of the method: `reportCaseUpload` or `settleClaimUpload`.
    pub method: String,
    /// serialNo of the request.
    pub serial_no: String,
    /// The decrypted business data.
    pub data: serde_json::Value,
}

/// A queue that keeps the newest `capacity` entries.
#[derive(Debug)]
pub(crate) struct Bounded<T> {
    entries: VecDeque<T>,
    capacity: usize,
    next_sequence: u64,
}

impl<T> Bounded<T> {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            capacity: capacity.max(1),
            next_sequence: 1,
        }
    }

    /// Hands out the next sequence number without storing anything.
    pub(crate) fn next_sequence(&mut self) -> u64 {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        sequence
    }

    /// Appends an entry, evicting the oldest ones past the capacity.
    pub(crate) fn push(&mut self, entry: T) {
        while self.entries.len() >= self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.entries.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_evicts_oldest_past_capacity() {
        let mut queue = Bounded::new(3);

        for value in 1..=5 {
            queue.push(value);
        }

        assert_eq!(queue.iter().copied().collect::<Vec<_>>(), vec![3, 4, 5]);
    }

    #[test]
    fn next_sequence_counts_from_one() {
        let mut queue: Bounded<()> = Bounded::new(1);

        assert_eq!(queue.next_sequence(), 1);
        assert_eq!(queue.next_sequence(), 2);
    }
}

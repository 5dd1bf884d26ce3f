//! Decoding download data record by record, so one bad record never costs the batch.

use serde_json::value::RawValue;

use crate::record::{Accident, Dispatch, Download, Warning};
use crate::validate::{ValidationOptions, Violation};

/// How many times a list sent as a JSON string that contains JSON is unwrapped before giving up.
const MAX_STRING_WRAPPING: usize = 2;

/// The outcome of decoding one download's data.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Batch<T> {
    /// Records that decoded, in the order received.
    pub records: Vec<Decoded<T>>,
    /// Records that did not decode, in the order received.
    pub failures: Vec<RecordFailure>,
}

impl<T> Batch<T> {
    fn empty() -> Self {
        Self {
            records: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// Whether every record decoded.
    pub fn is_complete(&self) -> bool {
        self.failures.is_empty()
    }

    /// How many records the data held, decoded or not.
    pub fn len(&self) -> usize {
        self.records.len() + self.failures.len()
    }

    /// Whether the data held no record at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A decoded record with its raw JSON and the rules it breaks.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Decoded<T> {
    /// Position of the record in the data, counted from 0.
    pub index: usize,
    /// The record's JSON text exactly as received.
    pub raw: String,
    /// The typed record.
    pub record: T,
    /// Rules the record breaks, checked with [`ValidationOptions::download`]; reported, never
    /// a reason to drop the record.
    pub violations: Vec<Violation>,
}

/// A record that could not be decoded, kept with its raw JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordFailure {
    /// Position of the record in the data, counted from 0.
    pub index: usize,
    /// The record's JSON text exactly as received.
    pub raw: String,
    /// Reason for the failure, naming the offending value or field where the decoder could.
    pub reason: String,
}

/// Download data that is not JSON at all, so no record can be kept apart.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The text is not JSON.
    #[error("download data is not valid JSON ({source}); keep the decrypted text and report it")]
    NotJson {
        /// The parser's error.
        #[source]
        source: serde_json::Error,
    },
}

/// Decodes J1 `warningInstanceDownload` data.
pub fn decode_warnings(text: &str) -> Result<Batch<Warning>, DecodeError> {
    decode_batch(text)
}

/// Decodes J2 `accidentDownload` data.
pub fn decode_accidents(text: &str) -> Result<Batch<Accident>, DecodeError> {
    decode_batch(text)
}

/// Decodes J5 `dispatchInfoDownload` data.
pub fn decode_dispatches(text: &str) -> Result<Batch<Dispatch>, DecodeError> {
    decode_batch(text)
}

/// Decodes the decrypted `data` text of a download record by record.
///
/// Accepted shapes: a JSON list of records, a single record object (a list of one), a JSON
/// string that contains either, and `null` or blank text (no records). Every other top-level value
/// becomes one failure. Fails only when the text is not JSON.
pub fn decode_batch<T: Download>(text: &str) -> Result<Batch<T>, DecodeError> {
    decode_level(text, 0)
}

fn decode_level<T: Download>(text: &str, wrapping: usize) -> Result<Batch<T>, DecodeError> {
    if text.trim().is_empty() {
        return Ok(Batch::empty());
    }
    let top: &RawValue =
        serde_json::from_str(text).map_err(|source| DecodeError::NotJson { source })?;
    let raw = top.get();

    match raw.as_bytes().first() {
        Some(b'[') => {
            let items: Vec<&RawValue> =
                serde_json::from_str(raw).map_err(|source| DecodeError::NotJson { source })?;
            let mut batch = Batch::empty();
            for (index, item) in items.into_iter().enumerate() {
                push_record(&mut batch, index, item.get());
            }
            Ok(batch)
        }
        Some(b'{') => {
            let mut batch = Batch::empty();
            push_record(&mut batch, 0, raw);
            Ok(batch)
        }
        Some(b'n') => Ok(Batch::empty()),
        Some(b'"') if wrapping < MAX_STRING_WRAPPING => {
            let inner: String =
                serde_json::from_str(raw).map_err(|source| DecodeError::NotJson { source })?;
            match decode_level(&inner, wrapping + 1) {
                Ok(batch) => Ok(batch),
                Err(_) => Ok(single_failure(
                    raw,
                    "a string that contains no JSON records",
                )),
            }
        }
        _ => Ok(single_failure(
            raw,
            "a value that is neither a list of records nor a record",
        )),
    }
}

fn single_failure<T>(raw: &str, found: &str) -> Batch<T> {
    let mut batch = Batch::empty();
    batch.failures.push(RecordFailure {
        index: 0,
        raw: raw.to_owned(),
        reason: format!("expected a list of record objects, found {found}"),
    });
    batch
}

fn push_record<T: Download>(batch: &mut Batch<T>, index: usize, raw: &str) {
    if !raw.starts_with('{') {
        batch.failures.push(RecordFailure {
            index,
            raw: raw.to_owned(),
            reason: "the record is not a JSON object".to_owned(),
        });
        return;
    }
    match serde_json::from_str::<T>(raw) {
        Ok(record) => {
            let violations = record.validate_with(&ValidationOptions::download());
            batch.records.push(Decoded {
                index,
                raw: raw.to_owned(),
                record,
                violations,
            });
        }
        Err(error) => batch.failures.push(RecordFailure {
            index,
            raw: raw.to_owned(),
            reason: error.to_string(),
        }),
    }
}

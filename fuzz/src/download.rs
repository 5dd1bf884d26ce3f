//! Decoding the data of the three downloads.

use jb_model::{Accident, Dispatch, Warning};
use jb_model::{Batch, Download, ValidationOptions, decode_batch};

/// Decodes the input as J1, J2 and J5 data in turn.
///
/// Every record of the data is either decoded or kept as a failure, in order. A decoded record
/// serializes to JSON that decodes again to one record with no failure.
pub fn decode_download(input: &[u8]) {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    check_batch::<Warning>(text);
    check_batch::<Accident>(text);
    check_batch::<Dispatch>(text);
}

fn check_batch<T: Download>(text: &str) {
    let Ok(batch) = decode_batch::<T>(text) else {
        return;
    };
    check_indexes(&batch);

    for decoded in &batch.records {
        let _ = decoded.record.natural_key();
        let violations = decoded.record.validate_with(&ValidationOptions::download());
        assert_eq!(
            violations, decoded.violations,
            "validation is not repeatable"
        );
        for violation in &violations {
            assert!(!violation.to_string().is_empty());
        }

        let json = serde_json::to_string(&decoded.record)
            .unwrap_or_else(|error| panic!("a decoded record does not serialize: {error}"));
        let again = decode_batch::<T>(&json)
            .unwrap_or_else(|error| panic!("re-encoded record is not JSON: {error}"));
        assert_eq!(
            (again.records.len(), again.failures.len()),
            (1, 0),
            "re-encoded record {json} does not decode: {:?}",
            again.failures
        );
    }
}

/// Records and failures together number every item once, in increasing order.
fn check_indexes<T>(batch: &Batch<T>) {
    let mut indexes: Vec<usize> = batch
        .records
        .iter()
        .map(|decoded| decoded.index)
        .chain(batch.failures.iter().map(|failure| failure.index))
        .collect();
    indexes.sort_unstable();
    let expected: Vec<usize> = (0..batch.len()).collect();
    assert_eq!(
        indexes,
        expected,
        "record indexes are not 0..{}",
        batch.len()
    );
}

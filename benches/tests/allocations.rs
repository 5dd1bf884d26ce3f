//! Counts heap allocations of the codec with dhat, to show that each step copies the payload
//! only where it must. Encrypting writes the Base64 text once, and decrypting decodes into one
//! buffer and decrypts it in place. Sealing allocates the ciphertext and the body, and opening
//! allocates the plaintext buffer and nothing else of the payload's size.
//!
//! dhat counts for the whole process, so every case runs in one test, one after the other.

#![allow(clippy::unwrap_used)]

use jb_benches::{ACCIDENT_COUNTS, PAYLOAD_SIZES};
use jb_proto::{Expected, Method, ResponseData};

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

/// Bytes of small allocations (header strings, field lists) allowed beside the payload copies.
/// They do not grow with the payload.
const SMALL_BYTES: u64 = 2048;

/// Allocations made while running `step`: blocks and bytes, reallocations counted in full.
fn allocations<T>(step: impl FnOnce() -> T) -> (T, u64, u64) {
    let before = dhat::HeapStats::get();
    let output = step();
    let after = dhat::HeapStats::get();
    (
        output,
        after.total_blocks - before.total_blocks,
        after.total_bytes - before.total_bytes,
    )
}

#[test]
fn codec_copies_payload_only_where_needed() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let codec = jb_benches::codec();

    for size in PAYLOAD_SIZES {
        let payload = jb_benches::payload(size);

        let (ciphertext, blocks, bytes) = allocations(|| codec.cipher().encrypt(&payload));
        assert_eq!(blocks, 1, "encrypt {size} B: allocations");
        assert_eq!(bytes, ciphertext.len() as u64, "encrypt {size} B: bytes");

        let (plaintext, blocks, bytes) = allocations(|| codec.cipher().decrypt(&ciphertext));
        let plaintext = plaintext.unwrap();
        assert_eq!(plaintext, payload, "decrypt {size} B: round trip");
        assert_eq!(blocks, 1, "decrypt {size} B: allocations");
        // One buffer of the padded ciphertext's length, which the Base64 decoder estimates
        // up to 2 bytes over.
        let padded = (size as u64 / 16 + 1) * 16;
        assert!(
            bytes <= padded + 2,
            "decrypt {size} B: {bytes} bytes, more than one padded payload ({padded})"
        );
    }

    let uploads = [
        (
            Method::ReportCaseUpload,
            serde_json::to_string(&jb_benches::report()).unwrap(),
        ),
        (
            Method::SettleClaimUpload,
            serde_json::to_string(&jb_benches::claim()).unwrap(),
        ),
    ];
    for (method, json) in uploads {
        let (body, _, bytes) = allocations(|| {
            codec
                .seal_request(
                    method,
                    &json,
                    jb_benches::serial_no(),
                    jb_benches::time_stamp(),
                )
                .to_json()
        });
        let ciphertext_len = codec.cipher().encrypt(json.as_bytes()).len() as u64;
        let needed = ciphertext_len + body.len() as u64;
        assert!(
            bytes <= needed + SMALL_BYTES,
            "seal {method}: {bytes} bytes, more than the ciphertext and the body ({needed}) \
             plus {SMALL_BYTES}"
        );
    }

    for count in ACCIDENT_COUNTS {
        let body = jb_benches::accident_response(&codec, count);
        let expected = Expected::default().with_method(Method::AccidentDownload);

        let (opened, _, bytes) = allocations(|| codec.open_response(&body, &expected));
        let ResponseData::Download(json) = opened.unwrap().data else {
            panic!("open J2 with {count} records: not download data");
        };
        assert_eq!(
            json,
            jb_benches::accidents_json(count),
            "open {count}: data"
        );
        let needed = (json.len() as u64 / 16 + 1) * 16 + 2;
        assert!(
            bytes <= needed + SMALL_BYTES,
            "open J2 with {count} records: {bytes} bytes, more than the padded plaintext \
             ({needed}) plus {SMALL_BYTES}"
        );
    }
}

//! Shared inputs and operations of the jb benchmarks.
//!
//! [`Op`] names every measured operation: the codec's hot path (sign, encrypt, decrypt, seal,
//! open, validate) and the references each codec figure is divided by (the business JSON's
//! serde cost and the raw SHA-1, AES-128-ECB and Base64 on the same bytes). The criterion
//! benchmarks time them. The `jb-bench-gate` binary runs one of them a fixed number of times,
//! so that `cargo xtask bench-gate` can count its instructions under callgrind.
//!
//! ```
//! use jb_benches::{Fixtures, Op};
//!
//! let fixtures = Fixtures::new();
//! let op = Op::from_name("seal/j3-report").expect("a known operation");
//! assert!(fixtures.run(op) > 0);
//! ```

mod inputs;
mod ops;
mod raw;

pub use crate::inputs::{
    ACCIDENT_COUNTS, APP_ID, APP_KEY, PAYLOAD_SIZES, SERIAL_NO, TIME_STAMP, accident_response,
    accidents_json, claim, codec, payload, report, serial_no, time_stamp,
};
pub use crate::ops::{Count, Fixtures, Op, Size, seal};
pub use crate::raw::{RawCrypto, base64_decode, base64_encode};

//! Fuzzing harness of the jb workspace: one function per target, so that each target under
//! `fuzz_targets/` is a single call and the checks can be read and replayed in one place.
//!
//! Every function takes input that libFuzzer mutates and panics only when a property of the
//! code under test breaks: a panic inside the crates under test, or a check here that fails.
//!
//! - Byte targets ([`decrypt`], [`verify_sign`], [`open_request`], [`open_response`],
//!   [`decode_download`]) read the input as an envelope body, a ciphertext or download data.
//! - Structured targets ([`ReportInput`], [`ClaimInput`], [`SealOpenCase`]) derive
//!   [`arbitrary::Arbitrary`] and build records, keys and payloads from the input.
//!
//! ```
//! jb_fuzz::decrypt(b"EpQ2wjVMPiM4BcmmJnXaydzQIP2F/ZU69SEveShrcaA=");
//! jb_fuzz::decode_download(br#"[{"warningNo":"201808100085"}]"#);
//! ```

#![forbid(unsafe_code)]

mod build;
mod download;
mod envelope;
mod round_trip;
mod upload;

pub use crate::download::decode_download;
pub use crate::envelope::{
    FUZZ_APP_ID, FUZZ_APP_KEY, decrypt, open_request, open_response, verify_sign,
};
pub use crate::round_trip::SealOpenCase;
pub use crate::upload::{ClaimInput, ReportInput};

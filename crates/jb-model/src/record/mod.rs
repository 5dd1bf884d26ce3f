//! Record types of the five operations, with their wire names and field rules.

mod accident;
mod claim;
mod dispatch;
mod plate;
mod report;
mod request;
mod warning;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::dict::Code;
use crate::validate::Validate;

pub use accident::{Accident, AccidentPlate, Photo};
pub use claim::{Claim, ClaimPlate, Payment};
pub use dispatch::Dispatch;
pub use plate::Plate;
pub use report::Report;
pub use request::DownloadRequest;
pub use warning::Warning;

/// A record the platform sends in a download (J1, J2, J5).
pub trait Download: Serialize + DeserializeOwned + Validate {
    /// The operation's `method` name.
    const METHOD: &'static str;

    /// Returns the key that identifies the event across repeated polls, for de-duplication.
    fn natural_key(&self) -> String;
}

/// A record the insurer sends in an upload (J3, J4).
pub trait Upload: Serialize + DeserializeOwned + Validate {
    /// The operation's `method` name.
    const METHOD: &'static str;
}

/// Default for a required coded field that is missing: an empty code, which validation
/// reports as missing.
pub(crate) fn missing_code<C: Code>() -> C {
    C::from_code("")
}

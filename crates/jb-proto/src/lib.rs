//! Request and response envelopes of the Shenzhen police-insurance platform
//! (深圳市警保信息共享平台): seal and open.
//!
//! Every call is an HTTP POST of a JSON envelope: `appId`, `serialNo`, `timeStamp`, `method`,
//! the encrypted business JSON in `data`, and a `sign` over all of them. Responses add
//! `returnCode` and `returnMsg`. A [`Codec`] stores one insurer's appId and appKey and turns
//! business JSON into a signed, encrypted [`RequestEnvelope`] and back; it does the same for
//! [`ResponseEnvelope`]s on the platform's side, as a simulator needs.
//!
//! Fields this crate does not know are kept in order and signed over. [`SerialNo`] and
//! [`TimeStamp`] generate and check the two header values, and [`Method`] names the five
//! operations J1 to J5.
//!
//! # Example
//!
//! ```
//! use jb_crypto::AppKey;
//! use jb_proto::{Codec, Method, ResponseData, ResponsePayload, SerialNo, TimeStamp};
//!
//! let insurer = Codec::new("APPID88888", AppKey::new("123456"));
//! let request = insurer.seal_request(
//!     Method::AccidentDownload,
//!     r#"{"insuranceCode":"CPIC"}"#,
//!     SerialNo::new("sn12345678900987654321")?,
//!     TimeStamp::parse("20161201141000")?,
//! );
//! let body = request.to_json();
//!
//! // The platform's side: open the request and respond with one record.
//! let platform = Codec::new("APPID88888", AppKey::new("123456"));
//! let opened = platform.open_request(&body, &Default::default())?;
//! assert_eq!(opened.data, r#"{"insuranceCode":"CPIC"}"#);
//! let response = platform.seal_response(
//!     opened.method,
//!     SerialNo::generate(),
//!     TimeStamp::now(),
//!     "0000",
//!     "成功",
//!     ResponsePayload::Encrypt(r#"[{"accidentNo":"A1"}]"#),
//! );
//!
//! let expected = insurer.expected(Method::AccidentDownload);
//! let opened = insurer.open_response(&response.to_json(), &expected)?;
//! assert_eq!(opened.data, ResponseData::Download(r#"[{"accidentNo":"A1"}]"#.to_owned()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod codec;
mod envelope;
mod error;
mod field;
mod flat_object;
mod json_scan;
mod json_writer;
mod method;
mod opened;
mod parsed;
mod serial_no;
mod time_stamp;

pub use crate::codec::{Codec, RETURN_CODE_SUCCESS};
pub use crate::envelope::{ExtraFields, RequestEnvelope, ResponseEnvelope};
pub use crate::error::OpenError;
pub use crate::field::FieldValue;
pub use crate::method::{Method, UnknownMethod};
pub use crate::opened::{Expected, OpenedRequest, OpenedResponse, ResponseData, ResponsePayload};
pub use crate::parsed::ParsedEnvelope;
pub use crate::serial_no::{SERIAL_NO_MAX_LEN, SerialNo, SerialNoError, SerialNoGenerator};
pub use crate::time_stamp::{TimeStamp, TimeStampError};

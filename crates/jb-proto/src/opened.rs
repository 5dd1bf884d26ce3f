//! What opening an envelope returns, and what sealing a response takes.

use crate::{Method, SerialNo, TimeStamp};

/// The checks that depend on the caller: which operation and which insurer an envelope
/// must be for. `Expected::default()` checks neither.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expected<'a> {
    /// Operation the envelope must name, such as the method of the request that a response belongs to.
    pub method: Option<Method>,
    /// appId the envelope must carry.
    pub app_id: Option<&'a str>,
}

impl<'a> Expected<'a> {
    /// Returns a copy that also requires `method`.
    pub fn with_method(self, method: Method) -> Self {
        Self {
            method: Some(method),
            ..self
        }
    }

    /// Returns a copy that also requires `app_id`.
    pub fn with_app_id(self, app_id: &'a str) -> Self {
        Self {
            app_id: Some(app_id),
            ..self
        }
    }
}

/// A request envelope that passed every check, with its business data decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedRequest {
    /// appId (合作方唯一标识) of the insurer that sent it.
    pub app_id: String,
    /// serialNo (通讯流水号) of the request.
    pub serial_no: SerialNo,
    /// timeStamp (时间戳) of the request. Its freshness is for the server to judge.
    pub time_stamp: TimeStamp,
    /// The operation requested.
    pub method: Method,
    /// The decrypted business JSON text.
    pub data: String,
}

/// A response envelope with returnCode `0000` that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedResponse {
    /// appId (合作方唯一标识) the response is for.
    pub app_id: String,
    /// serialNo (通讯流水号) of the response, chosen by the platform.
    pub serial_no: SerialNo,
    /// timeStamp (时间戳) of the response.
    pub time_stamp: TimeStamp,
    /// The operation the response is for.
    pub method: Method,
    /// returnMsg (返回信息), such as `成功`.
    pub return_msg: String,
    /// The business data.
    pub data: ResponseData,
}

/// The business data of a successful response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseData {
    /// Data of a download response (J1, J2, J5): the decrypted JSON text, checked to be valid JSON.
    /// Its shape, a list of records or a single record, is left to the record decoder.
    Download(String),
    /// Data `SUCCESS` of an upload response (J3, J4).
    UploadAccepted {
        /// Whether `SUCCESS` arrived encrypted rather than as plain text.
        encrypted: bool,
    },
}

/// The `data` of a response being sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponsePayload<'a> {
    /// Text to encrypt, such as a download's JSON list or an upload's `SUCCESS`.
    Encrypt(&'a str),
    /// Text to send as it is, such as the plain `SUCCESS` the platform's document shows for
    /// uploads, or an empty string with an error code.
    Plain(&'a str),
}

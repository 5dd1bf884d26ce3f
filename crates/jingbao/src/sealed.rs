//! A sealed request ready to send, and the receipt of an accepted upload.

use std::fmt;

use jb_proto::{Method, SerialNo};

/// A signed, encrypted request envelope with the operation and `serialNo` it carries.
///
/// Sending the same `SealedRequest` again repeats the same `serialNo` and `timeStamp`, which
/// is how an upload outbox re-sends a request whose outcome is unknown without making it look
/// like a new one. A platform that checks serialNos rejects such a re-send as a replay when
/// the first copy reached it, so a re-send that fails with a platform error code does not
/// show that the record is missing.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedRequest {
    method: Method,
    serial_no: SerialNo,
    body: Vec<u8>,
}

impl SealedRequest {
    /// Wraps an envelope sealed earlier, such as one read back from an outbox store.
    pub fn from_parts(method: Method, serial_no: SerialNo, body: Vec<u8>) -> Self {
        Self {
            method,
            serial_no,
            body,
        }
    }

    /// The operation.
    pub fn method(&self) -> Method {
        self.method
    }

    /// serialNo (通讯流水号) of the envelope.
    pub fn serial_no(&self) -> &SerialNo {
        &self.serial_no
    }

    /// The envelope's JSON bytes, exactly as they are posted.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Takes the envelope's JSON bytes.
    pub(crate) fn into_body(self) -> Vec<u8> {
        self.body
    }
}

impl fmt::Debug for SealedRequest {
    // The body is ciphertext plus the appId and the sign: its length is enough for a log.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("SealedRequest")
            .field("method", &self.method)
            .field("serial_no", &self.serial_no)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// The platform's acceptance (`SUCCESS`) of an uploaded record.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadReceipt {
    /// The operation.
    pub method: Method,
    /// serialNo (通讯流水号) of the request that was accepted.
    pub serial_no: SerialNo,
    /// returnMsg (返回信息), such as `成功`.
    pub return_msg: String,
}

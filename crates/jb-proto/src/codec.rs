//! Sealing and opening envelopes with one insurer's appId and appKey.

use std::borrow::Cow;

use jb_crypto::{AppKey, DataCipher, DecryptError};
use serde::de::IgnoredAny;

use crate::error::{OpenError, truncate_for_message};
use crate::field::{APP_ID, DATA, METHOD, RETURN_CODE, RETURN_MSG, SERIAL_NO, SIGN, TIME_STAMP};
use crate::json_writer::ObjectWriter;
use crate::opened::{Expected, OpenedRequest, OpenedResponse, ResponseData, ResponsePayload};
use crate::parsed::ParsedEnvelope;
use crate::{Method, RequestEnvelope, ResponseEnvelope, SerialNo, TimeStamp};

/// returnCode (返回码) of success. The platform defines no other code.
pub const RETURN_CODE_SUCCESS: &str = "0000";

/// Length of a sign in hex digits.
const SIGN_HEX_LEN: usize = 40;

/// Upload response data that accepts the record.
const UPLOAD_SUCCESS: &str = "SUCCESS";

/// Upload response data that rejects the record.
const UPLOAD_FAIL: &str = "FAIL";

/// The envelope codec of one insurer: its appId and appKey, with the data cipher derived
/// once.
///
/// Sealing encrypts `data` and signs every field. Opening runs these checks in order, and
/// each failure has its own [`OpenError`] variant:
///
/// 1. the body is a JSON object with no repeated field;
/// 2. for a response, returnCode is `0000`, checked before anything else;
/// 3. the required fields are present and strings;
/// 4. the sign matches;
/// 5. serialNo has 1 to 32 characters, and timeStamp is a real `yyyyMMddHHmmss` time;
/// 6. method is one of J1 to J5, and method and appId are the expected ones;
/// 7. `data` decrypts, and the plaintext is UTF-8;
/// 8. the plaintext is JSON, or `SUCCESS` for an upload response (`FAIL` is an error).
#[derive(Debug, Clone)]
pub struct Codec {
    app_id: String,
    app_key: AppKey,
    cipher: DataCipher,
}

impl Codec {
    /// Creates the codec and derives the AES key schedule from `app_key`.
    pub fn new(app_id: impl Into<String>, app_key: AppKey) -> Self {
        let cipher = DataCipher::new(&app_key);
        Self {
            app_id: app_id.into(),
            app_key,
            cipher,
        }
    }

    /// Returns the appId envelopes are sealed with.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// Returns the appKey, for signing envelopes this codec does not build.
    pub fn app_key(&self) -> &AppKey {
        &self.app_key
    }

    /// Returns the data cipher.
    pub fn cipher(&self) -> &DataCipher {
        &self.cipher
    }

    /// Returns the checks for the response to a `method` request of this codec's insurer.
    pub fn expected(&self, method: Method) -> Expected<'_> {
        Expected::default()
            .with_method(method)
            .with_app_id(&self.app_id)
    }

    /// Builds a request: encrypts `data_json`, then signs every field.
    ///
    /// `data_json` is encrypted as given. The caller is responsible for it being the JSON the
    /// operation takes.
    pub fn seal_request(
        &self,
        method: Method,
        data_json: &str,
        serial_no: SerialNo,
        time_stamp: TimeStamp,
    ) -> RequestEnvelope<'static> {
        let data = self.cipher.encrypt(data_json.as_bytes());

        let mut envelope = RequestEnvelope {
            app_id: Cow::Owned(self.app_id.clone()),
            serial_no: Cow::Owned(serial_no.into_string()),
            time_stamp: Cow::Owned(time_stamp.as_str().to_owned()),
            method: Cow::Borrowed(method.wire_name()),
            data: Cow::Owned(data),
            sign: Cow::Borrowed(""),
            extra: Vec::new(),
        };
        envelope.sign = Cow::Owned(jb_crypto::sign(envelope.sign_values(), &self.app_key));
        envelope
    }

    /// Builds a request like [`Codec::seal_request`] with a fresh serialNo and the current
    /// Beijing time.
    pub fn seal_request_now(&self, method: Method, data_json: &str) -> RequestEnvelope<'static> {
        self.seal_request(method, data_json, SerialNo::generate(), TimeStamp::now())
    }

    /// Builds a request like [`Codec::seal_request`] and returns its JSON body directly, the
    /// same bytes as `seal_request(..).to_json()`.
    ///
    /// The Base64 `data` is written straight into the body buffer, which is sized once, so
    /// the payload is not copied again. This is the path for sending.
    pub fn seal_request_json(
        &self,
        method: Method,
        data_json: &str,
        serial_no: SerialNo,
        time_stamp: TimeStamp,
    ) -> Vec<u8> {
        let header = [
            self.app_id.as_str(),
            serial_no.as_str(),
            time_stamp.as_str(),
            method.wire_name(),
        ];
        let mut writer = ObjectWriter::with_text_len(body_text_len(&header, data_json.len()));
        writer.string_field(APP_ID, header[0]);
        writer.string_field(SERIAL_NO, header[1]);
        writer.string_field(TIME_STAMP, header[2]);
        writer.string_field(METHOD, header[3]);

        let data = writer.unescaped_string_field(DATA, |body| {
            self.cipher.encrypt_into(data_json.as_bytes(), body);
        });

        let values = header.into_iter().chain([writer.written(data)]);
        let sign = jb_crypto::sign(values, &self.app_key);
        writer.string_field(SIGN, &sign);
        writer.finish()
    }

    /// Builds a response like [`Codec::seal_response`] and returns its JSON body directly,
    /// the same bytes as `seal_response(..).to_json()`, with an encrypted `data` written
    /// straight into the body buffer.
    pub fn seal_response_json(
        &self,
        method: Method,
        serial_no: SerialNo,
        time_stamp: TimeStamp,
        return_code: &str,
        return_msg: &str,
        payload: ResponsePayload<'_>,
    ) -> Vec<u8> {
        let header = [
            self.app_id.as_str(),
            serial_no.as_str(),
            time_stamp.as_str(),
            method.wire_name(),
            return_code,
            return_msg,
        ];
        let payload_len = match payload {
            ResponsePayload::Encrypt(text) | ResponsePayload::Plain(text) => text.len(),
        };
        let mut writer = ObjectWriter::with_text_len(body_text_len(&header, payload_len));
        writer.string_field(APP_ID, header[0]);
        writer.string_field(SERIAL_NO, header[1]);
        writer.string_field(TIME_STAMP, header[2]);
        writer.string_field(METHOD, header[3]);
        writer.string_field(RETURN_CODE, header[4]);
        writer.string_field(RETURN_MSG, header[5]);

        let sign = match payload {
            ResponsePayload::Encrypt(text) => {
                let data = writer.unescaped_string_field(DATA, |body| {
                    self.cipher.encrypt_into(text.as_bytes(), body);
                });
                let values = header.into_iter().chain([writer.written(data)]);
                jb_crypto::sign(values, &self.app_key)
            }
            ResponsePayload::Plain(text) => {
                writer.string_field(DATA, text);
                jb_crypto::sign(header.into_iter().chain([text]), &self.app_key)
            }
        };
        writer.string_field(SIGN, &sign);
        writer.finish()
    }

    /// Builds a response, as the platform does: `data` encrypted or plain as `payload` selects,
    /// then every field signed.
    pub fn seal_response(
        &self,
        method: Method,
        serial_no: SerialNo,
        time_stamp: TimeStamp,
        return_code: &str,
        return_msg: &str,
        payload: ResponsePayload<'_>,
    ) -> ResponseEnvelope<'static> {
        let data = match payload {
            ResponsePayload::Encrypt(text) => self.cipher.encrypt(text.as_bytes()),
            ResponsePayload::Plain(text) => text.to_owned(),
        };

        let mut envelope = ResponseEnvelope {
            app_id: Cow::Owned(self.app_id.clone()),
            serial_no: Cow::Owned(serial_no.into_string()),
            time_stamp: Cow::Owned(time_stamp.as_str().to_owned()),
            method: Cow::Borrowed(method.wire_name()),
            return_code: Cow::Owned(return_code.to_owned()),
            return_msg: Cow::Owned(return_msg.to_owned()),
            data: Cow::Owned(data),
            sign: Cow::Borrowed(""),
            extra: Vec::new(),
        };
        envelope.sign = Cow::Owned(jb_crypto::sign(envelope.sign_values(), &self.app_key));
        envelope
    }

    /// Opens a request body, as the platform does: every check, then the decrypted JSON.
    ///
    /// # Errors
    ///
    /// The [`OpenError`] of the first check that fails.
    pub fn open_request(
        &self,
        body: &[u8],
        expected: &Expected<'_>,
    ) -> Result<OpenedRequest, OpenError> {
        let envelope = RequestEnvelope::from_json(body)?;
        self.open_request_envelope(&envelope, expected)
    }

    /// Opens a request already parsed, for a server that reads the appId first to pick the
    /// codec.
    ///
    /// # Errors
    ///
    /// The [`OpenError`] of the first check that fails.
    pub fn open_request_envelope(
        &self,
        envelope: &RequestEnvelope<'_>,
        expected: &Expected<'_>,
    ) -> Result<OpenedRequest, OpenError> {
        jb_crypto::verify(envelope.sign_values(), &self.app_key, &envelope.sign)
            .map_err(OpenError::BadSign)?;

        let header = check_header(
            &envelope.app_id,
            &envelope.serial_no,
            &envelope.time_stamp,
            &envelope.method,
            expected,
        )?;

        let data = self.decrypt_json(&envelope.data)?;

        Ok(OpenedRequest {
            app_id: envelope.app_id.as_ref().to_owned(),
            serial_no: header.serial_no,
            time_stamp: header.time_stamp,
            method: header.method,
            data,
        })
    }

    /// Opens a response body: every check, then the business data.
    ///
    /// A returnCode other than `0000` is reported as [`OpenError::Platform`] before any other
    /// check but the JSON object one, whether or not the sign verifies, and `data` is then
    /// ignored.
    ///
    /// # Errors
    ///
    /// The [`OpenError`] of the first check that fails.
    pub fn open_response(
        &self,
        body: &[u8],
        expected: &Expected<'_>,
    ) -> Result<OpenedResponse, OpenError> {
        let parsed = ParsedEnvelope::parse(body)?;

        if let Some(code) = parsed.get_str(RETURN_CODE)
            && code != RETURN_CODE_SUCCESS
        {
            let sign_verified = parsed.sign().is_some_and(|sign| {
                jb_crypto::verify(parsed.sign_values(), &self.app_key, sign).is_ok()
            });
            return Err(OpenError::Platform {
                code: truncate_for_message(code),
                message: truncate_for_message(parsed.get_str(RETURN_MSG).unwrap_or_default()),
                sign_verified,
            });
        }

        let envelope = parsed.into_response()?;
        self.open_response_envelope(&envelope, expected)
    }

    /// Opens a response already parsed.
    ///
    /// # Errors
    ///
    /// The [`OpenError`] of the first check that fails, [`OpenError::Platform`] first.
    pub fn open_response_envelope(
        &self,
        envelope: &ResponseEnvelope<'_>,
        expected: &Expected<'_>,
    ) -> Result<OpenedResponse, OpenError> {
        let sign_check = jb_crypto::verify(envelope.sign_values(), &self.app_key, &envelope.sign);

        if envelope.return_code != RETURN_CODE_SUCCESS {
            return Err(OpenError::Platform {
                code: truncate_for_message(&envelope.return_code),
                message: truncate_for_message(&envelope.return_msg),
                sign_verified: sign_check.is_ok(),
            });
        }
        sign_check.map_err(OpenError::BadSign)?;

        let header = check_header(
            &envelope.app_id,
            &envelope.serial_no,
            &envelope.time_stamp,
            &envelope.method,
            expected,
        )?;

        let data = if header.method.is_upload() {
            self.open_upload_result(&envelope.data, &envelope.return_msg)?
        } else {
            ResponseData::Download(self.decrypt_json(&envelope.data)?)
        };

        Ok(OpenedResponse {
            app_id: envelope.app_id.as_ref().to_owned(),
            serial_no: header.serial_no,
            time_stamp: header.time_stamp,
            method: header.method,
            return_msg: envelope.return_msg.as_ref().to_owned(),
            data,
        })
    }

    /// Decrypts `data` and checks that the plaintext is UTF-8 JSON.
    fn decrypt_json(&self, data: &str) -> Result<String, OpenError> {
        let text = self.decrypt_text(data)?;

        serde_json::from_str::<IgnoredAny>(&text)
            .map_err(|source| OpenError::DataNotJson { source })?;
        Ok(text)
    }

    /// Decrypts `data` and checks that the plaintext is UTF-8.
    fn decrypt_text(&self, data: &str) -> Result<String, OpenError> {
        self.cipher
            .decrypt_to_string(data)
            .map_err(|error| match error {
                DecryptError::NotUtf8 { valid_up_to } => OpenError::DataNotUtf8 { valid_up_to },
                other => OpenError::Decrypt(other),
            })
    }

    /// Reads the data of an upload response, which the platform sends as plain `SUCCESS`/`FAIL` or
    /// encrypted.
    fn open_upload_result(&self, data: &str, return_msg: &str) -> Result<ResponseData, OpenError> {
        // Neither word is valid ciphertext ("SUCCESS" is not Base64, "FAIL" decodes to three
        // bytes), so plain text cannot be mistaken for an encrypted result.
        let (result, encrypted) = if data == UPLOAD_SUCCESS || data == UPLOAD_FAIL {
            (Cow::Borrowed(data), false)
        } else {
            (Cow::Owned(self.decrypt_text(data)?), true)
        };

        match result.as_ref() {
            UPLOAD_SUCCESS => Ok(ResponseData::UploadAccepted { encrypted }),
            UPLOAD_FAIL => Err(OpenError::UploadRejected {
                message: truncate_for_message(return_msg),
            }),
            other => Err(OpenError::UnexpectedUploadResult {
                value: truncate_for_message(other),
            }),
        }
    }
}

/// Returns the bytes of field values in a body whose data encrypts `plaintext_len` bytes, to
/// size the buffer once. Plain data usually fits too, because Base64 is a third longer than
/// its input, but escapes in the header or plain data can make the buffer grow.
fn body_text_len(header: &[&str], plaintext_len: usize) -> usize {
    let header_len: usize = header.iter().map(|value| value.len()).sum();
    header_len + DataCipher::encrypted_len(plaintext_len) + SIGN_HEX_LEN
}

/// serialNo, timeStamp and method of an envelope, checked.
struct Header {
    serial_no: SerialNo,
    time_stamp: TimeStamp,
    method: Method,
}

/// Checks serialNo, timeStamp, method and the expected method and appId, in that order.
fn check_header(
    app_id: &str,
    serial_no: &str,
    time_stamp: &str,
    method: &str,
    expected: &Expected<'_>,
) -> Result<Header, OpenError> {
    let serial_no = SerialNo::new(serial_no).map_err(OpenError::InvalidSerialNo)?;
    let time_stamp = TimeStamp::parse(time_stamp).map_err(OpenError::InvalidTimeStamp)?;
    let method = Method::from_wire_name(method).ok_or_else(|| {
        OpenError::UnknownMethod(crate::method::UnknownMethod {
            value: truncate_for_message(method),
        })
    })?;

    if let Some(expected_method) = expected.method
        && expected_method != method
    {
        return Err(OpenError::MethodMismatch {
            expected: expected_method,
            found: method,
        });
    }
    if let Some(expected_app_id) = expected.app_id
        && expected_app_id != app_id
    {
        return Err(OpenError::AppIdMismatch {
            expected: expected_app_id.to_owned(),
            found: truncate_for_message(app_id),
        });
    }

    Ok(Header {
        serial_no,
        time_stamp,
        method,
    })
}

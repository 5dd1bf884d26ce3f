//! Sealing then opening with arbitrary keys and data.

use arbitrary::Arbitrary;
use chrono::DateTime;
use jb_crypto::{AppKey, DataCipher};
use jb_proto::{Codec, Method, ResponseData, ResponsePayload, SerialNo, TimeStamp};

/// serialNo used when the input's is not valid.
const FALLBACK_SERIAL_NO: &str = "sn12345678900987654321";
/// timeStamp used when the input's instant is out of range.
const FALLBACK_TIME_STAMP: &str = "20161201141000";
const NANOS_PER_SECOND: u32 = 1_000_000_000;

/// One round trip: an insurer and a platform sharing `app_id` and `app_key` exchange `data`.
#[derive(Debug, Arbitrary)]
pub struct SealOpenCase {
    app_id: String,
    app_key: String,
    method: u8,
    serial_no: String,
    unix_seconds: i64,
    nanoseconds: u32,
    return_msg: String,
    data: String,
    bytes: Vec<u8>,
    plain_upload_result: bool,
}

impl SealOpenCase {
    /// Runs the round trips and checks that each gives back what was sealed.
    pub fn check(&self) {
        let app_key = AppKey::new(self.app_key.as_str());
        let cipher = DataCipher::new(&app_key);
        let decrypted = cipher.decrypt(&cipher.encrypt(&self.bytes));
        assert_eq!(decrypted.ok().as_deref(), Some(self.bytes.as_slice()));

        let method = Method::ALL[usize::from(self.method) % Method::ALL.len()];
        let serial_no = SerialNo::new(self.serial_no.as_str())
            .or_else(|_| SerialNo::new(FALLBACK_SERIAL_NO))
            .expect("the fallback serialNo is valid");
        let nanoseconds = self.nanoseconds % NANOS_PER_SECOND;
        let time_stamp = DateTime::from_timestamp(self.unix_seconds, nanoseconds)
            .and_then(|instant| TimeStamp::from_utc(instant).ok())
            .or_else(|| TimeStamp::parse(FALLBACK_TIME_STAMP).ok())
            .expect("the fallback timeStamp is valid");
        let data_json = self.data_json();

        let insurer = Codec::new(self.app_id.as_str(), app_key.clone());
        let platform = Codec::new(self.app_id.as_str(), app_key);

        let request =
            insurer.seal_request(method, &data_json, serial_no.clone(), time_stamp.clone());
        let opened = platform
            .open_request(&request.to_json(), &platform.expected(method))
            .unwrap_or_else(|error| panic!("sealed request does not open: {error}"));
        assert_eq!(opened.data, data_json);
        assert_eq!(opened.app_id, self.app_id);
        assert_eq!(opened.method, method);
        assert_eq!(opened.serial_no, serial_no);
        assert_eq!(opened.time_stamp, time_stamp);

        let (payload, expected_data) = if method.is_upload() {
            let payload = if self.plain_upload_result {
                ResponsePayload::Plain("SUCCESS")
            } else {
                ResponsePayload::Encrypt("SUCCESS")
            };
            let encrypted = !self.plain_upload_result;
            (payload, ResponseData::UploadAccepted { encrypted })
        } else {
            (
                ResponsePayload::Encrypt(&data_json),
                ResponseData::Download(data_json.clone()),
            )
        };
        let response = platform.seal_response(
            method,
            serial_no,
            time_stamp,
            jb_proto::RETURN_CODE_SUCCESS,
            &self.return_msg,
            payload,
        );
        let opened = insurer
            .open_response(&response.to_json(), &insurer.expected(method))
            .unwrap_or_else(|error| panic!("sealed response does not open: {error}"));
        assert_eq!(opened.data, expected_data);
        assert_eq!(opened.return_msg, self.return_msg);
    }

    /// Returns the business JSON: `data` itself when it is JSON, else `data` as a JSON string.
    fn data_json(&self) -> String {
        match serde_json::from_str::<serde::de::IgnoredAny>(&self.data) {
            Ok(_) => self.data.clone(),
            Err(_) => serde_json::Value::String(self.data.clone()).to_string(),
        }
    }
}

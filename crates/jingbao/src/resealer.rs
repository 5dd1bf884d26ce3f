//! Fresh envelopes for the attempts of a download.

use std::sync::{Arc, Mutex, PoisonError};

use jb_proto::{Codec, Method, SerialNo, SerialNoGenerator, TimeStamp};

use crate::sealed::SealedRequest;

/// Seals one download request again for each attempt, with a new serialNo and the current
/// timeStamp, and remembers the serialNo of the latest envelope it sealed.
///
/// The platform rejects a serialNo it has already seen, so a retry that re-sent the first
/// envelope would be rejected. A download is safe to repeat, so each attempt is a new request.
#[derive(Clone, Debug)]
pub(crate) struct Resealer {
    codec: Arc<Codec>,
    serial_numbers: Arc<SerialNoGenerator>,
    method: Method,
    data_json: Arc<str>,
    latest: Arc<Mutex<Option<SerialNo>>>,
}

impl Resealer {
    pub(crate) fn new(
        codec: Arc<Codec>,
        serial_numbers: Arc<SerialNoGenerator>,
        method: Method,
        data_json: &str,
    ) -> Self {
        Self {
            codec,
            serial_numbers,
            method,
            data_json: Arc::from(data_json),
            latest: Arc::new(Mutex::new(None)),
        }
    }

    /// Returns the operation sealed.
    pub(crate) fn method(&self) -> Method {
        self.method
    }

    /// Seals the request under a new serialNo and the current time.
    pub(crate) fn seal(&self) -> SealedRequest {
        let sealed = seal(
            &self.codec,
            &self.serial_numbers,
            self.method,
            &self.data_json,
        );
        *self.latest.lock().unwrap_or_else(PoisonError::into_inner) =
            Some(sealed.serial_no().clone());
        sealed
    }

    /// Returns the serialNo of the latest envelope sealed, if any.
    pub(crate) fn latest(&self) -> Option<SerialNo> {
        self.latest
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Seals `data_json` for `method` under the next serialNo of `serial_numbers` and the current
/// Beijing time.
pub(crate) fn seal(
    codec: &Codec,
    serial_numbers: &SerialNoGenerator,
    method: Method,
    data_json: &str,
) -> SealedRequest {
    let serial_no = serial_numbers.next_serial_no();
    let envelope = codec.seal_request(method, data_json, serial_no.clone(), TimeStamp::now());
    SealedRequest::from_parts(method, serial_no, envelope.to_json())
}

#[cfg(test)]
mod tests {
    use jb_crypto::AppKey;

    use super::*;

    fn resealer() -> Resealer {
        Resealer::new(
            Arc::new(Codec::new("APP0001", AppKey::new("key"))),
            Arc::new(SerialNoGenerator::new()),
            Method::AccidentDownload,
            r#"{"insuranceCode":"CPIC"}"#,
        )
    }

    #[test]
    fn resealer_gives_each_envelope_new_serial_no() {
        let resealer = resealer();

        let first = resealer.seal();
        let second = resealer.seal();

        assert_ne!(first.serial_no(), second.serial_no());
        assert_ne!(first.body(), second.body());
        assert_eq!(resealer.latest().as_ref(), Some(second.serial_no()));
    }

    #[test]
    fn resealer_envelope_opens_with_its_serial_no() {
        let resealer = resealer();
        let codec = Codec::new("APP0001", AppKey::new("key"));

        let sealed = resealer.seal();
        let opened = codec
            .open_request(sealed.body(), &Default::default())
            .unwrap();

        assert_eq!(opened.serial_no.as_str(), sealed.serial_no().as_str());
        assert_eq!(opened.data, r#"{"insuranceCode":"CPIC"}"#);
    }

    #[test]
    fn resealer_latest_is_none_before_sealing() {
        assert!(resealer().latest().is_none());
    }
}

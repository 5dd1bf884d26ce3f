//! Targets over raw bytes: the data cipher, the sign and opening envelopes.
//!
//! Opening checks the sign before anything else, so a mutated body almost never gets past it.
//! The open targets therefore run each body twice more: once re-signed, to reach the header
//! checks, and once with its `data` text encrypted and signed, to reach the plaintext checks.

use std::borrow::Cow;

use jb_crypto::{AppKey, DataCipher, explain_sign, sign, verify};
use jb_proto::{Codec, Expected, OpenError, ParsedEnvelope, RequestEnvelope, ResponseEnvelope};

/// appId of the seed envelopes.
pub const FUZZ_APP_ID: &str = "APPID88888";
/// appKey of the seed envelopes.
pub const FUZZ_APP_KEY: &str = "123456";

fn codec() -> Codec {
    Codec::new(FUZZ_APP_ID, AppKey::new(FUZZ_APP_KEY))
}

/// Decrypts the input as a `data` field. A success must encrypt back to the same text once
/// line breaks are removed, since Base64 and ECB are both deterministic.
pub fn decrypt(input: &[u8]) {
    let Ok(data) = std::str::from_utf8(input) else {
        return;
    };
    let cipher = DataCipher::new(&AppKey::new(FUZZ_APP_KEY));

    let Ok(plaintext) = cipher.decrypt(data) else {
        return;
    };
    let unwrapped: String = data.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    assert_eq!(
        cipher.encrypt(&plaintext),
        unwrapped,
        "re-encryption differs"
    );
    assert_eq!(
        cipher.decrypt_to_string(data).is_ok(),
        String::from_utf8(plaintext).is_ok(),
        "decrypt_to_string disagrees with UTF-8 decoding of the plaintext"
    );
}

/// Verifies the sign of any JSON object. The sign computed over its fields must verify, and
/// the explanation must produce the same sign.
pub fn verify_sign(input: &[u8]) {
    let Ok(parsed) = ParsedEnvelope::parse(input) else {
        return;
    };
    let app_key = AppKey::new(FUZZ_APP_KEY);

    let received = parsed.sign().unwrap_or_default();
    let _ = verify(parsed.sign_values(), &app_key, received);

    let computed = sign(parsed.sign_values(), &app_key);
    assert_eq!(verify(parsed.sign_values(), &app_key, &computed), Ok(()));
    assert_eq!(
        verify(parsed.sign_values(), &app_key, &computed.to_uppercase()),
        Ok(())
    );
    assert_eq!(explain_sign(parsed.sign_values(), &app_key).sign, computed);
}

/// Opens the input as a request body, as the platform does.
pub fn open_request(input: &[u8]) {
    let codec = codec();
    let _ = codec.open_request(input, &Expected::default());

    let Ok(mut envelope) = RequestEnvelope::from_json(input) else {
        return;
    };
    envelope.sign = Cow::Owned(sign(envelope.sign_values(), codec.app_key()));
    let result = codec.open_request_envelope(&envelope, &Expected::default());
    assert!(!matches!(result, Err(OpenError::BadSign(_))), "{result:?}");

    let plaintext = envelope.data.clone().into_owned();
    envelope.data = Cow::Owned(codec.cipher().encrypt(plaintext.as_bytes()));
    envelope.sign = Cow::Owned(sign(envelope.sign_values(), codec.app_key()));
    match codec.open_request_envelope(&envelope, &Expected::default()) {
        Ok(opened) => assert_eq!(opened.data, plaintext),
        Err(error) => assert!(
            !matches!(
                error,
                OpenError::BadSign(_) | OpenError::Decrypt(_) | OpenError::DataNotUtf8 { .. }
            ),
            "{error:?}"
        ),
    }
}

/// Opens the input as a response body, as the insurer does.
pub fn open_response(input: &[u8]) {
    let codec = codec();
    let _ = codec.open_response(input, &Expected::default());

    let Ok(mut envelope) = ResponseEnvelope::from_json(input) else {
        return;
    };
    envelope.sign = Cow::Owned(sign(envelope.sign_values(), codec.app_key()));
    let result = codec.open_response_envelope(&envelope, &Expected::default());
    assert_signed_result(&result);

    let plaintext = envelope.data.clone().into_owned();
    envelope.data = Cow::Owned(codec.cipher().encrypt(plaintext.as_bytes()));
    envelope.sign = Cow::Owned(sign(envelope.sign_values(), codec.app_key()));
    let result = codec.open_response_envelope(&envelope, &Expected::default());
    assert_signed_result(&result);
    assert!(
        !matches!(
            result,
            Err(OpenError::Decrypt(_) | OpenError::DataNotUtf8 { .. })
        ),
        "{result:?}"
    );
}

/// Checks that a correctly signed response passes the sign check, also when it carries a
/// platform error.
fn assert_signed_result<T: std::fmt::Debug>(result: &Result<T, OpenError>) {
    match result {
        Err(OpenError::BadSign(_)) => panic!("a re-signed response failed the sign check"),
        Err(OpenError::Platform { sign_verified, .. }) => assert!(sign_verified),
        _ => {}
    }
}

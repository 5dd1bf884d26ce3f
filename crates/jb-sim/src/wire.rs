//! The envelope layer: opening requests and building responses with jb-proto and jb-crypto.
//!
//! Responses are built as [`ResponseEnvelope`]s field by field rather than with
//! `Codec::seal_response`, because the simulator must also answer requests whose method or
//! serialNo is unusable (it echoes them as received), send unsigned rejections when the appId
//! is unknown, and sign Base64 wrapped at 76 columns as transmitted. The sign is still computed
//! over [`ResponseEnvelope::sign_values`] by [`jb_crypto::sign`], the same rule the client
//! verifies with.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};
use jb_proto::{Codec, Expected, OpenError, OpenedRequest, ParsedEnvelope, ResponseEnvelope};

use crate::answer::Echo;

/// Columns of Base64 per line written by old Java encoders (MIME line length).
const BASE64_LINE: usize = 76;

/// The `data` of a response.
#[derive(Debug)]
pub(crate) enum ResponseData {
    /// An empty string, for rejections.
    Empty,
    /// Plain text, such as an upload's `SUCCESS`.
    Plain(&'static str),
    /// Text encrypted under the tenant's key, optionally wrapped with CR LF every 76 columns.
    Encrypted { plaintext: String, wrap: bool },
}

/// Parses a body into its top-level fields.
pub(crate) fn parse(body: &[u8]) -> Result<ParsedEnvelope<'_>, OpenError> {
    ParsedEnvelope::parse(body)
}

/// Opens a parsed request with the tenant's codec: sign, serialNo, timeStamp, method, data.
pub(crate) fn open(codec: &Codec, parsed: ParsedEnvelope<'_>) -> Result<OpenedRequest, OpenError> {
    let envelope = parsed.into_request()?;
    codec.open_request_envelope(&envelope, &Expected::default())
}

/// Builds a response body echoing the request's appId, serialNo and method.
///
/// With a codec the response is signed, and `spoil_sign` replaces the sign with one that does
/// not verify. Without a codec the sign is empty: the tenant, and so the key, is unknown.
pub(crate) fn response(
    codec: Option<&Codec>,
    echo: &Echo,
    return_code: &str,
    return_msg: &str,
    data: ResponseData,
    now: DateTime<FixedOffset>,
    spoil_sign: bool,
) -> Vec<u8> {
    let data = match (data, codec) {
        (ResponseData::Plain(text), _) => text.to_owned(),
        (ResponseData::Encrypted { plaintext, wrap }, Some(codec)) => {
            let base64 = codec.cipher().encrypt(plaintext.as_bytes());
            if wrap { wrap_lines(&base64) } else { base64 }
        }
        (ResponseData::Empty, _) | (ResponseData::Encrypted { .. }, None) => String::new(),
    };
    let text = |value: &Option<String>| Cow::Owned(value.clone().unwrap_or_default());

    let mut envelope = ResponseEnvelope {
        app_id: text(&echo.app_id),
        serial_no: text(&echo.serial_no),
        time_stamp: Cow::Owned(now.format("%Y%m%d%H%M%S").to_string()),
        method: text(&echo.method),
        return_code: Cow::Borrowed(return_code),
        return_msg: Cow::Borrowed(return_msg),
        data: Cow::Owned(data),
        sign: Cow::Borrowed(""),
        extra: Vec::new(),
    };
    if let Some(codec) = codec {
        let sign = jb_crypto::sign(envelope.sign_values(), codec.app_key());
        envelope.sign = Cow::Owned(if spoil_sign { spoil(&sign) } else { sign });
    }
    envelope.to_json()
}

/// Inserts CR LF after every 76 characters, as MIME Base64 encoders do.
fn wrap_lines(base64: &str) -> String {
    let mut wrapped = String::with_capacity(base64.len() + base64.len() / BASE64_LINE * 2);
    for (index, character) in base64.chars().enumerate() {
        if index > 0 && index % BASE64_LINE == 0 {
            wrapped.push_str("\r\n");
        }
        wrapped.push(character);
    }
    wrapped
}

/// Changes the last hex digit of a sign, so it keeps its shape but no longer verifies.
fn spoil(sign: &str) -> String {
    let mut spoiled: String = sign.chars().take(sign.len().saturating_sub(1)).collect();
    let last = sign.chars().last().unwrap_or('0');
    spoiled.push(if last == '0' { '1' } else { '0' });
    spoiled
}

#[cfg(test)]
mod tests {
    use jb_crypto::AppKey;
    use jb_proto::{Method, ResponseData as OpenedData};

    use super::*;
    use crate::state::beijing_now;

    fn echo(method: Method) -> Echo {
        Echo {
            app_id: Some("APP1".into()),
            method: Some(method.wire_name().into()),
            serial_no: Some("sn0001".into()),
        }
    }

    #[test]
    fn wrap_lines_breaks_every_76_columns() {
        let text = "A".repeat(200);

        let wrapped = wrap_lines(&text);

        let lines: Vec<&str> = wrapped.split("\r\n").collect();
        assert_eq!(
            lines.iter().map(|line| line.len()).collect::<Vec<_>>(),
            [76, 76, 48]
        );
    }

    #[test]
    fn spoil_keeps_length_changes_value() {
        let sign = "a1822db84a9e75106b00872921ee1a71672f8dd4";

        let spoiled = spoil(sign);

        assert_eq!(spoiled.len(), sign.len());
        assert_ne!(spoiled, sign);
    }

    #[test]
    fn response_opens_with_client_codec() {
        let codec = Codec::new("APP1", AppKey::new("key-1"));
        let plaintext = format!("[{}]", [r#"{"warningNo":"201808100085"}"#; 5].join(","));
        let data = ResponseData::Encrypted {
            plaintext: plaintext.clone(),
            wrap: true,
        };

        let body = response(
            Some(&codec),
            &echo(Method::WarningInstanceDownload),
            "0000",
            "成功",
            data,
            beijing_now(),
            false,
        );
        let opened = codec
            .open_response(&body, &codec.expected(Method::WarningInstanceDownload))
            .unwrap();

        assert_eq!(opened.data, OpenedData::Download(plaintext));
    }

    #[test]
    fn response_spoiled_sign_rejected() {
        let codec = Codec::new("APP1", AppKey::new("key-1"));

        let body = response(
            Some(&codec),
            &echo(Method::ReportCaseUpload),
            "0000",
            "成功",
            ResponseData::Plain("SUCCESS"),
            beijing_now(),
            true,
        );
        let error = codec
            .open_response(&body, &codec.expected(Method::ReportCaseUpload))
            .unwrap_err();

        assert!(matches!(error, OpenError::BadSign(_)), "{error}");
    }
}

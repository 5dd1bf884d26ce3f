//! Answers of the gateway: rejections, downloads and uploads, with the faults that change an
//! answer's content.

use chrono::{DateTime, FixedOffset};
use jb_model::{Claim, Report, Validate, Violation};
use jb_proto::{Codec, Method, OpenedRequest, ParsedEnvelope};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::faults::Fault;
use crate::journal::UploadRecord;
use crate::return_code::ReturnCode;
use crate::scenario::{Feed, PollContext};
use crate::state::{Shared, TenantEntry, lock};
use crate::tenant::Tenant;
use crate::wire::{self, ResponseData};

/// Maximum length of returnMsg on the wire, in UTF-16 code units, as the platform sizes it.
const RETURN_MSG_MAX: usize = 100;

/// Plain-text upload answers.
const SUCCESS: &str = "SUCCESS";
const FAIL: &str = "FAIL";

/// The envelope fields of a request that an answer repeats, when they could be read.
#[derive(Clone, Debug, Default)]
pub(crate) struct Echo {
    pub(crate) app_id: Option<String>,
    pub(crate) method: Option<String>,
    pub(crate) serial_no: Option<String>,
}

impl Echo {
    pub(crate) fn from_parsed(parsed: &ParsedEnvelope<'_>) -> Self {
        let text = |name: &str| parsed.get_str(name).map(str::to_owned);
        Self {
            app_id: text("appId"),
            method: text("method"),
            serial_no: text("serialNo"),
        }
    }
}

/// A finished answer: the body to send and what the request journal records.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) echo: Echo,
    pub(crate) code: ReturnCode,
    /// returnMsg as sent, at most 100 UTF-16 code units.
    pub(crate) return_msg: String,
    /// Everything known about a rejection, for the journal.
    pub(crate) detail: Option<String>,
    pub(crate) body: Vec<u8>,
    /// Faults injected into the content.
    pub(crate) faults: Vec<Fault>,
}

impl Answer {
    /// Builds a rejection without a sign, because the appId is unknown or unreadable and so is the key.
    pub(crate) fn unsigned(
        echo: Echo,
        code: ReturnCode,
        detail: String,
        now: DateTime<FixedOffset>,
    ) -> Self {
        let return_msg = code.message().to_owned();
        let body = wire::response(
            None,
            &echo,
            code.code(),
            &return_msg,
            ResponseData::Empty,
            now,
            false,
        );
        Self {
            echo,
            code,
            return_msg,
            detail: Some(detail),
            body,
            faults: Vec::new(),
        }
    }

    /// Builds a rejection signed with the tenant's key, with empty data.
    pub(crate) fn signed(
        codec: &Codec,
        echo: Echo,
        code: ReturnCode,
        detail: String,
        now: DateTime<FixedOffset>,
    ) -> Self {
        let return_msg = code.message().to_owned();
        let body = wire::response(
            Some(codec),
            &echo,
            code.code(),
            &return_msg,
            ResponseData::Empty,
            now,
            false,
        );
        Self {
            echo,
            code,
            return_msg,
            detail: Some(detail),
            body,
            faults: Vec::new(),
        }
    }
}

/// Serves an opened, fresh, first-seen request: a download or an upload.
pub(crate) fn operation(
    shared: &Shared,
    entry: &TenantEntry,
    echo: Echo,
    request: &OpenedRequest,
    now: DateTime<FixedOffset>,
) -> Answer {
    let mut builder = Builder {
        shared,
        tenant: &entry.tenant,
        codec: &entry.codec,
        echo,
        now,
        faults: Vec::new(),
    };
    let data: Value = match serde_json::from_str(&request.data) {
        Ok(data) => data,
        Err(error) => {
            let detail = format!("data is not JSON: {error}");
            return builder.reject(ReturnCode::Undecryptable, None, detail, ResponseData::Empty);
        }
    };

    match Feed::from_method(request.method) {
        Some(feed) => download(builder, entry, feed, &data),
        None => upload(builder, request, data),
    }
}

fn download(mut builder: Builder<'_>, entry: &TenantEntry, feed: Feed, data: &Value) -> Answer {
    if let Err(answer) = builder.check_insurer(data, ResponseData::Empty) {
        return *answer;
    }

    let context = PollContext {
        now: builder.now,
        photos: &builder.shared.photos,
    };
    let mut records = lock(&entry.scenario).poll(feed, &context);

    if feed != Feed::Dispatches && builder.roll(Fault::PlateDataAsString) {
        for record in &mut records {
            if let Some(plates) = record.get_mut("plateData")
                && plates.is_array()
            {
                *plates = Value::String(plates.to_string());
            }
        }
    }
    let answer = if feed == Feed::Dispatches
        && !records.is_empty()
        && builder.roll(Fault::SingleObjectDispatch)
    {
        // A single object carries one record, so the others wait for the next poll and none is lost.
        let mut rest = records.split_off(1);
        let first = records.pop().unwrap_or(Value::Null);
        let mut scenario = lock(&entry.scenario);
        for record in rest.drain(..) {
            scenario.inject(feed, record);
        }
        first
    } else {
        Value::Array(records)
    };

    let wrap = builder.roll(Fault::WrappedBase64);
    builder.success(ResponseData::Encrypted {
        plaintext: answer.to_string(),
        wrap,
    })
}

fn upload(mut builder: Builder<'_>, request: &OpenedRequest, data: Value) -> Answer {
    let violations = match request.method {
        Method::ReportCaseUpload => violations_of::<Report>(&data),
        _ => violations_of::<Claim>(&data),
    };
    let plain = builder.roll(Fault::PlainUploadAnswer);
    let fail = upload_answer(FAIL, plain);
    match violations {
        Err(detail) => {
            return builder.reject(ReturnCode::InvalidData, None, detail, fail);
        }
        Ok(violations) if !violations.is_empty() => {
            let fields: Vec<String> = violations
                .iter()
                .map(|violation| format!("{}（{}）", violation.path, violation.field_zh))
                .collect();
            let details: Vec<String> = violations.iter().map(ToString::to_string).collect();
            return builder.reject(
                ReturnCode::InvalidData,
                Some(fields.join("；")),
                details.join("; "),
                fail,
            );
        }
        Ok(_) => {}
    }
    if let Err(answer) = builder.check_insurer(&data, upload_answer(FAIL, plain)) {
        return *answer;
    }

    let mut uploads = lock(&builder.shared.uploads);
    let record = UploadRecord {
        sequence: uploads.next_sequence(),
        received_at: builder.now.to_rfc3339(),
        app_id: builder.tenant.app_id().to_owned(),
        method: request.method.wire_name().to_owned(),
        serial_no: request.serial_no.as_str().to_owned(),
        data,
    };
    uploads.push(record);
    drop(uploads);

    builder.success(upload_answer(SUCCESS, plain))
}

/// Decodes an upload and returns its violations, or why it does not decode.
fn violations_of<T: DeserializeOwned + Validate>(data: &Value) -> Result<Vec<Violation>, String> {
    let record: T = T::deserialize(data)
        .map_err(|error| format!("data does not match the record layout: {error}"))?;
    Ok(record.validate())
}

fn upload_answer(text: &'static str, plain: bool) -> ResponseData {
    if plain {
        ResponseData::Plain(text)
    } else {
        ResponseData::Encrypted {
            plaintext: text.to_owned(),
            wrap: false,
        }
    }
}

/// Builds the signed answers of one request and records the faults injected.
struct Builder<'a> {
    shared: &'a Shared,
    tenant: &'a Tenant,
    codec: &'a Codec,
    echo: Echo,
    now: DateTime<FixedOffset>,
    faults: Vec<Fault>,
}

impl Builder<'_> {
    fn roll(&mut self, fault: Fault) -> bool {
        let fired = lock(&self.shared.faults).roll(fault);
        if fired {
            self.faults.push(fault);
        }
        fired
    }

    /// Checks that the data's insuranceCode is the tenant's insurer.
    fn check_insurer(&mut self, data: &Value, fail: ResponseData) -> Result<(), Box<Answer>> {
        let code = data
            .get("insuranceCode")
            .and_then(Value::as_str)
            .map(str::trim);
        match code {
            None | Some("") => {
                let detail = "data has no insuranceCode".to_owned();
                let fields = "insuranceCode（保险公司代码）".to_owned();
                Err(Box::new(self.reject(
                    ReturnCode::InvalidData,
                    Some(fields),
                    detail,
                    fail,
                )))
            }
            Some(code) if code != self.tenant.insurance_code() => {
                let detail = format!(
                    "insuranceCode {code} differs from the tenant's {}",
                    self.tenant.insurance_code()
                );
                Err(Box::new(self.reject(
                    ReturnCode::WrongInsurer,
                    None,
                    detail,
                    fail,
                )))
            }
            Some(_) => Ok(()),
        }
    }

    fn success(&mut self, data: ResponseData) -> Answer {
        let code = ReturnCode::Success;
        self.finish(code, code.message().to_owned(), None, data)
    }

    /// Builds a rejection whose returnMsg is the code's message followed by `fields`, when given.
    fn reject(
        &mut self,
        code: ReturnCode,
        fields: Option<String>,
        detail: String,
        data: ResponseData,
    ) -> Answer {
        let message = match fields {
            Some(fields) => format!("{}：{fields}", code.message()),
            None => code.message().to_owned(),
        };
        self.finish(
            code,
            truncate_utf16(&message, RETURN_MSG_MAX),
            Some(detail),
            data,
        )
    }

    fn finish(
        &mut self,
        code: ReturnCode,
        return_msg: String,
        detail: Option<String>,
        data: ResponseData,
    ) -> Answer {
        let spoil_sign = self.roll(Fault::WrongSign);
        let body = wire::response(
            Some(self.codec),
            &self.echo,
            code.code(),
            &return_msg,
            data,
            self.now,
            spoil_sign,
        );
        Answer {
            echo: self.echo.clone(),
            code,
            return_msg,
            detail,
            body,
            faults: std::mem::take(&mut self.faults),
        }
    }
}

/// Cuts `text` to at most `max` UTF-16 code units, ending with `…` when cut.
fn truncate_utf16(text: &str, max: usize) -> String {
    if text.encode_utf16().count() <= max {
        return text.to_owned();
    }
    let mut kept = String::new();
    let mut units = 0;
    for character in text.chars() {
        // Keep room for the ellipsis, one UTF-16 code unit.
        if units + character.len_utf16() > max.saturating_sub(1) {
            break;
        }
        units += character.len_utf16();
        kept.push(character);
    }
    kept.push('…');
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_utf16_keeps_short_text() {
        assert_eq!(truncate_utf16("签名校验失败", 100), "签名校验失败");
    }

    #[test]
    fn truncate_utf16_cuts_to_limit() {
        let long = "校".repeat(150);

        let cut = truncate_utf16(&long, 100);

        assert_eq!(cut.encode_utf16().count(), 100);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn truncate_utf16_never_splits_surrogate_pair() {
        let long = "😀".repeat(80);

        let cut = truncate_utf16(&long, 100);

        assert!(cut.encode_utf16().count() <= 100);
        assert_eq!(cut.chars().filter(|c| *c == '😀').count(), 49);
    }
}

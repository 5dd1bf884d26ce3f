//! Inputs of the benchmarks: the platform's example records, payloads and sealed envelopes.

use jb_crypto::AppKey;
use jb_model::{Claim, Report};
use jb_proto::{Codec, Method, ResponsePayload, SerialNo, TimeStamp};
use serde_json::Value;

/// appId every benchmark envelope carries.
pub const APP_ID: &str = "APPID88888";
/// appKey every benchmark envelope is signed and encrypted with.
pub const APP_KEY: &str = "123456";
/// serialNo of every sealed envelope, so that runs are identical.
pub const SERIAL_NO: &str = "sn12345678900987654321";
/// timeStamp of every sealed envelope.
pub const TIME_STAMP: &str = "20161201141000";

/// Payload sizes of the encrypt and decrypt benchmarks: 100 B, 3 KB and 64 KB.
pub const PAYLOAD_SIZES: [usize; 3] = [100, 3 * 1024, 64 * 1024];
/// Record counts of the J2 responses opened.
pub const ACCIDENT_COUNTS: [usize; 3] = [1, 10, 100];

const REPORT_JSON: &str = include_str!("../../crates/jb-model/tests/data/j3-report.json");
const CLAIM_JSON: &str =
    include_str!("../../crates/jb-model/tests/data/j4-claim-corrected-total.json");
const ACCIDENTS_JSON: &str = include_str!("../../crates/jb-model/tests/data/j2-accidents.json");

/// Builds the codec of the benchmark insurer.
pub fn codec() -> Codec {
    Codec::new(APP_ID, AppKey::new(APP_KEY))
}

/// Returns the fixed serialNo.
pub fn serial_no() -> SerialNo {
    SerialNo::new(SERIAL_NO).expect("the fixed serialNo is valid")
}

/// Returns the fixed timeStamp.
pub fn time_stamp() -> TimeStamp {
    TimeStamp::parse(TIME_STAMP).expect("the fixed timeStamp is valid")
}

/// JSON-like printable text of exactly `len` bytes.
pub fn payload(len: usize) -> Vec<u8> {
    let pattern = br#"{"accidentNo":"44030220180702K00025","plateNo":"B12345","photoUrl":"http://pic.example/a.jpg"},"#;
    pattern.iter().copied().cycle().take(len).collect()
}

/// Returns the example J3 report of the platform's document.
pub fn report() -> Report {
    serde_json::from_str(REPORT_JSON).expect("the compiled-in J3 example decodes")
}

/// Returns the example J4 claim, with its total corrected so that it validates.
pub fn claim() -> Claim {
    serde_json::from_str(CLAIM_JSON).expect("the compiled-in J4 example decodes")
}

/// J2 download data of `count` accidents: the platform's example accident, with two plates and
/// a photo URL, repeated under distinct accident numbers.
pub fn accidents_json(count: usize) -> String {
    let examples: Vec<Value> =
        serde_json::from_str(ACCIDENTS_JSON).expect("the compiled-in J2 example is a list");
    let example = examples
        .first()
        .expect("the J2 example contains an accident");
    let accidents: Vec<Value> = (0..count)
        .map(|index| {
            let mut accident = example.clone();
            accident["accidentNo"] = Value::String(format!("44030220180702K{index:05}"));
            accident
        })
        .collect();
    Value::Array(accidents).to_string()
}

/// Seals a J2 response body of `count` accidents, as the platform sends it.
pub fn accident_response(codec: &Codec, count: usize) -> Vec<u8> {
    let data = accidents_json(count);
    codec
        .seal_response(
            Method::AccidentDownload,
            serial_no(),
            time_stamp(),
            "0000",
            "成功",
            ResponsePayload::Encrypt(&data),
        )
        .to_json()
}

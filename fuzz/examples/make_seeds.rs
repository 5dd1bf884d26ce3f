//! Writes the generated seeds of the envelope targets under `fuzz/corpus/`.
//!
//! The other seeds are copies of the example records and envelopes kept as test data by
//! jb-model and jb-proto. Run with
//! `cargo run --manifest-path fuzz/Cargo.toml --example make_seeds`.

use std::fs;
use std::path::Path;

use jb_crypto::AppKey;
use jb_fuzz::{FUZZ_APP_ID, FUZZ_APP_KEY};
use jb_proto::{Codec, Method, ResponsePayload, SerialNo, TimeStamp};

const MODEL_DATA: &str = "../crates/jb-model/tests/data";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let codec = Codec::new(FUZZ_APP_ID, AppKey::new(FUZZ_APP_KEY));
    let serial_no = SerialNo::new("sn12345678900987654321")?;
    let time_stamp = TimeStamp::parse("20161201141000")?;
    let model_data = Path::new(env!("CARGO_MANIFEST_DIR")).join(MODEL_DATA);

    let report = compact(&fs::read_to_string(model_data.join("j3-report.json"))?)?;
    let request = codec.seal_request(
        Method::ReportCaseUpload,
        &report,
        serial_no.clone(),
        time_stamp.clone(),
    );
    fs::write(corpus.join("open_request/seed-report"), request.to_json())?;

    let accidents = compact(&fs::read_to_string(model_data.join("j2-accidents.json"))?)?;
    let response = codec.seal_response(
        Method::AccidentDownload,
        serial_no.clone(),
        time_stamp.clone(),
        "0000",
        "成功",
        ResponsePayload::Encrypt(&accidents),
    );
    fs::write(
        corpus.join("open_response/seed-accidents"),
        response.to_json(),
    )?;

    let upload = codec.seal_response(
        Method::SettleClaimUpload,
        serial_no,
        time_stamp,
        "0000",
        "成功",
        ResponsePayload::Plain("SUCCESS"),
    );
    fs::write(
        corpus.join("open_response/seed-upload-success"),
        upload.to_json(),
    )?;
    Ok(())
}

/// Removes the layout whitespace of a JSON text, as the platform sends it.
fn compact(json: &str) -> Result<String, serde_json::Error> {
    let value: serde_json::Value = serde_json::from_str(json)?;
    serde_json::to_string(&value)
}

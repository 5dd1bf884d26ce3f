//! The platform's example records: decoding, round trip and validation.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

use jb_model::{
    Claim, Dispatch, DutyProportion, LossType, PlateType, Report, Rule, TaskType, Validate,
    ValidationOptions, decode_accidents, decode_dispatches, decode_warnings,
};
use serde_json::Value;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn warnings_fixture_round_trips() {
    let text = fixture("j1-warnings.json");
    let batch = decode_warnings(&text).unwrap();

    assert!(batch.is_complete(), "{:?}", batch.failures);
    assert_eq!(batch.records.len(), 1);
    let warning = &batch.records[0].record;
    assert_eq!(warning.warning_no, "201808100085");
    assert_eq!(warning.plate_data[1].plate_type, PlateType::SmallVehicle);
    assert_eq!(warning.plate_data[1].plate_no, "粤B67891");
    assert!(
        batch.records[0].violations.is_empty(),
        "{:?}",
        batch.records[0].violations
    );
    assert!(warning.validate().is_empty());

    let written = serde_json::to_value([warning]).unwrap();
    assert_eq!(written, json(&text));
}

#[test]
fn accidents_fixture_round_trips() {
    let text = fixture("j2-accidents.json");
    let batch = decode_accidents(&text).unwrap();

    assert!(batch.is_complete(), "{:?}", batch.failures);
    let accident = &batch.records[0].record;
    assert_eq!(accident.accident_place_longtitude, "114.062016");
    assert_eq!(
        accident.plate_data[0].duty_proportion,
        Some(DutyProportion::Full)
    );
    assert_eq!(
        accident.plate_data[1].duty_proportion,
        Some(DutyProportion::NoLiability)
    );
    let channel_types = accident.channel_types.as_ref().unwrap();
    assert_eq!(
        channel_types.0,
        vec![LossType::VehicleOneDamage, LossType::VehicleTwoDamage]
    );
    assert_eq!(accident.photo_data.len(), 4);
    assert!(accident.validate().is_empty(), "{:?}", accident.validate());

    let written = serde_json::to_value([accident]).unwrap();
    assert_eq!(written, json(&text));
}

#[test]
fn accidents_as_sent_decode_like_clean_fixture() {
    let clean = decode_accidents(&fixture("j2-accidents.json")).unwrap();
    let sent = decode_accidents(&fixture("j2-accidents-as-sent.json")).unwrap();

    assert!(sent.is_complete(), "{:?}", sent.failures);
    let sent_accident = &sent.records[0].record;
    let clean_accident = &clean.records[0].record;
    assert_eq!(sent_accident.accident_no, clean_accident.accident_no);
    assert_eq!(sent_accident.plate_data, clean_accident.plate_data);
    assert_eq!(sent_accident.photo_data, clean_accident.photo_data[..1]);
    assert_eq!(sent_accident.accident_place_latitude, "22.539734");
    // The raw text is kept exactly as received, spaces included.
    assert!(sent.records[0].raw.contains("\" 44030220180702K00025\""));
}

#[test]
fn report_fixture_round_trips_and_is_valid() {
    let text = fixture("j3-report.json");
    let report: Report = serde_json::from_str(&text).unwrap();

    assert_eq!(report.survey_address, "华安大酒店");
    assert!(report.validate().is_empty(), "{:?}", report.validate());
    assert_eq!(serde_json::to_value(&report).unwrap(), json(&text));
}

#[test]
fn claim_example_fails_only_on_total() {
    let text = fixture("j4-claim-example-sum-mismatch.json");
    let claim: Claim = serde_json::from_str(&text).unwrap();

    let violations = claim.validate();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].path, "payAmout");
    assert_eq!(violations[0].field_zh, "赔款总金额");
    assert_eq!(
        violations[0].rule,
        Rule::SumMismatch {
            total: "2000.00".parse().unwrap(),
            sum: "1000.00".parse().unwrap()
        }
    );
    assert_eq!(serde_json::to_value(&claim).unwrap(), json(&text));
}

#[test]
fn claim_corrected_total_is_valid() {
    let text = fixture("j4-claim-corrected-total.json");
    let claim: Claim = serde_json::from_str(&text).unwrap();

    assert!(claim.validate().is_empty(), "{:?}", claim.validate());
    assert_eq!(claim.pay_amout.to_wire(), "1000.00");
    assert_eq!(serde_json::to_value(&claim).unwrap(), json(&text));
}

#[test]
fn dispatch_fixture_decodes_single_object() {
    let text = fixture("j5-dispatch.json");
    let batch = decode_dispatches(&text).unwrap();

    assert!(batch.is_complete(), "{:?}", batch.failures);
    let dispatch: &Dispatch = &batch.records[0].record;
    assert_eq!(dispatch.task_type, TaskType::Cancelled);
    assert_eq!(dispatch.cancel_reason.as_deref(), Some("客户取消"));
    assert!(dispatch.validate().is_empty(), "{:?}", dispatch.validate());
    assert_eq!(serde_json::to_value(dispatch).unwrap(), json(&text));
}

#[test]
fn fixtures_pass_download_options_too() {
    let options = ValidationOptions::download();
    let report: Report = serde_json::from_str(&fixture("j3-report.json")).unwrap();
    assert!(report.validate_with(&options).is_empty());
}

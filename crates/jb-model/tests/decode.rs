//! Decoding downloads record by record, with the platform's quirks.
#![allow(clippy::unwrap_used)]

use jb_model::{
    Accident, DecodeError, Dispatch, Download, PlateType, Rule, TaskType, Warning, decode_batch,
    decode_dispatches, decode_warnings,
};

const WARNING: &str = r#"{"warningNo":"W1","warningContent":"两车刮碰","warningAddress":"福田区福华路",
    "alarmName":"先生","alarmPhone":"13528833806","warningTime":"2018-08-10 01:30",
    "plateData":[{"plateType":"02","plateNo":"粤B12345"}]}"#;

fn warning_with(field: &str, value: &str) -> String {
    let mut record: serde_json::Value = serde_json::from_str(WARNING).unwrap();
    record[field] = serde_json::from_str(value).unwrap();
    record.to_string()
}

#[test]
fn decode_rejects_text_that_is_not_json() {
    let error = decode_warnings("[{\"warningNo\":").unwrap_err();
    assert!(matches!(error, DecodeError::NotJson { .. }));
    assert!(error.to_string().contains("not valid JSON"), "{error}");
}

#[test]
fn decode_blank_and_null_are_empty() {
    for text in ["", "  \n", "null", "[]"] {
        let batch = decode_warnings(text).unwrap();
        assert!(batch.is_empty(), "{text:?}");
        assert!(batch.is_complete(), "{text:?}");
    }
}

#[test]
fn decode_single_object_as_list_of_one() {
    let batch = decode_warnings(WARNING).unwrap();
    assert_eq!(batch.records.len(), 1);
    assert_eq!(batch.records[0].raw, WARNING);
}

#[test]
fn decode_list_sent_as_json_string() {
    let text = serde_json::to_string(&format!("[{WARNING}]")).unwrap();
    let batch = decode_warnings(&text).unwrap();
    assert_eq!(batch.records.len(), 1, "{:?}", batch.failures);
    assert_eq!(batch.records[0].record.warning_no, "W1");
}

#[test]
fn decode_keeps_good_records_beside_bad_ones() {
    let bad_date = warning_with("warningTime", "\"2018/08/10\"");
    let bad_plates = warning_with("plateData", "5");
    let text = format!("[{WARNING}, 42, {bad_date}, {bad_plates}, {WARNING}]");

    let batch = decode_warnings(&text).unwrap();

    assert_eq!(batch.len(), 5);
    let decoded: Vec<usize> = batch.records.iter().map(|record| record.index).collect();
    assert_eq!(decoded, [0, 4]);
    let failed: Vec<usize> = batch.failures.iter().map(|failure| failure.index).collect();
    assert_eq!(failed, [1, 2, 3]);
    assert_eq!(batch.failures[0].raw, "42");
    assert!(
        batch.failures[0].reason.contains("not a JSON object"),
        "{}",
        batch.failures[0].reason
    );
    assert_eq!(batch.failures[1].raw, bad_date);
    assert!(
        batch.failures[1].reason.contains("2018/08/10"),
        "{}",
        batch.failures[1].reason
    );
    assert_eq!(batch.failures[2].raw, bad_plates);
}

#[test]
fn decode_top_level_scalar_is_one_failure() {
    let batch = decode_warnings("\"SUCCESS\"").unwrap();
    assert!(batch.records.is_empty());
    assert_eq!(batch.failures.len(), 1);
    assert_eq!(batch.failures[0].raw, "\"SUCCESS\"");

    let batch = decode_warnings("7").unwrap();
    assert_eq!(batch.failures.len(), 1);
}

#[test]
fn decode_keeps_unknown_codes() {
    let text = warning_with(
        "plateData",
        r#"[{"plateType":" 61 ","plateNo":"粤B12345"}]"#,
    );
    let batch = decode_warnings(&text).unwrap();

    let decoded = &batch.records[0];
    assert_eq!(
        decoded.record.plate_data[0].plate_type,
        PlateType::Unknown("61".to_owned())
    );
    assert!(decoded.violations.is_empty(), "{:?}", decoded.violations);
    let written = serde_json::to_value(&decoded.record).unwrap();
    assert_eq!(written["plateData"][0]["plateType"], "61");
}

#[test]
fn decode_accepts_dates_with_or_without_seconds() {
    let with_seconds = warning_with("warningTime", "\"2018-08-10 01:30:59\"");
    let text = format!("[{WARNING}, {with_seconds}]");
    let batch = decode_warnings(&text).unwrap();

    assert!(batch.is_complete(), "{:?}", batch.failures);
    for decoded in &batch.records {
        assert!(decoded.violations.is_empty(), "{:?}", decoded.violations);
    }
    let written = serde_json::to_value(&batch.records[1].record).unwrap();
    assert_eq!(written["warningTime"], "2018-08-10 01:30:59");
}

#[test]
fn decode_reports_violations_without_dropping() {
    let text = warning_with("alarmPhone", "\"\"");
    let batch = decode_warnings(&text).unwrap();

    assert_eq!(batch.records.len(), 1);
    let violations = &batch.records[0].violations;
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].path, "alarmPhone");
    assert_eq!(violations[0].rule, Rule::Required);
}

#[test]
fn decode_tolerates_numbers_and_missing_fields() {
    let text = r#"{"warningNo":201808100085,"warningTime":"2018-08-10 01:30"}"#;
    let batch = decode_warnings(text).unwrap();

    let decoded = &batch.records[0];
    assert_eq!(decoded.record.warning_no, "201808100085");
    let required: Vec<&str> = decoded.violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        required,
        [
            "warningContent",
            "warningAddress",
            "alarmName",
            "alarmPhone",
            "plateData"
        ]
    );
}

#[test]
fn decode_accident_codes_sent_as_numbers() {
    let text = r#"[{"accidentNo":"A1","reporterName":"吴","reporterPhoneNo":"18888888888",
        "accidentTime":"2018-07-02 11:22:49","accidentPlaceProvince":"广东省-深圳市",
        "accidentPlaceDistrict":"福田区","accidentAddress":"福华路","accidentPlaceLatitude":22.539734,
        "accidentPlaceLongtitude":114.062016,"accidentType":2,"channelTypes":null,
        "plateData":[{"plateType":"02","plateNo":"粤B12345","driverName":"吴","driverPhone":"18888888888",
        "dutyProportion":100,"isNorDriving":1}],
        "photoData":[{"photoType":"RR","photoName":"a.jpg","photoUrl":"http://127.0.0.1/a.jpg"}]}]"#;
    let batch = decode_batch::<Accident>(text).unwrap();

    assert!(batch.is_complete(), "{:?}", batch.failures);
    let decoded = &batch.records[0];
    assert!(decoded.violations.is_empty(), "{:?}", decoded.violations);
    assert_eq!(decoded.record.accident_place_latitude, "22.539734");
    assert_eq!(decoded.record.channel_types, None);
}

#[test]
fn natural_keys_identify_events() {
    let warning = &decode_warnings(WARNING).unwrap().records[0].record;
    assert_eq!(warning.natural_key(), "W1");

    let completed = r#"{"reportNo":"R1","receiveTime":"2019-03-07 12:01:00","dispatchType":"1","taskType":"1",
        "userId":"u","surveyorCo":"AZCN","surveyorName":"张三","surveyorPhone":"13912345678"}"#;
    let cancelled = completed.replace(
        "\"taskType\":\"1\"",
        "\"taskType\":\"100\",\"cancelReason\":\"客户取消\"",
    );
    let padded = completed.replace("\"R1\"", "\" R1 \"");
    let text = format!("[{completed},{cancelled},{padded}]");
    let batch = decode_dispatches(&text).unwrap();

    let keys: Vec<String> = batch
        .records
        .iter()
        .map(|decoded| decoded.record.natural_key())
        .collect();
    assert_eq!(keys[0], r#"["R1","2019-03-07 12:01:00","1"]"#);
    assert_ne!(keys[0], keys[1]);
    assert_eq!(keys[0], keys[2]);
    assert_eq!(batch.records[1].record.task_type, TaskType::Cancelled);
}

#[test]
fn download_methods_are_the_platform_names() {
    assert_eq!(Warning::METHOD, "warningInstanceDownload");
    assert_eq!(Accident::METHOD, "accidentDownload");
    assert_eq!(Dispatch::METHOD, "dispatchInfoDownload");
    assert_eq!(
        <jb_model::Report as jb_model::Upload>::METHOD,
        "reportCaseUpload"
    );
    assert_eq!(
        <jb_model::Claim as jb_model::Upload>::METHOD,
        "settleClaimUpload"
    );
}

#[test]
fn download_request_serializes_insurer_code() {
    let request = jb_model::DownloadRequest::new(jb_model::Insurer::Cpic);
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"insuranceCode":"CPIC"}"#
    );
}

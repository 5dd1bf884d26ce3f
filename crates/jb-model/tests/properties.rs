//! Property tests: decoding never panics, and valid records survive a round trip.
#![allow(clippy::unwrap_used)]

use chrono::{NaiveDate, NaiveDateTime};
use jb_model::{
    Accident, AccidentPlate, CertificateType, Claim, ClaimPlate, Code, CoordinateSystem, Dispatch,
    DispatchType, DutyProportion, Flag, InsuranceType, Insurer, Money, Payment, Photo, PhotoType,
    Plate, PlateType, Precision, Report, TaskType, Validate, Warning, WireDate, WireDateTime,
    YesNo, decode_accidents, decode_batch, decode_dispatches, decode_warnings,
};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Wire names of every record type, so generated objects reach the field decoders.
const FIELD_NAMES: [&str; 24] = [
    "warningNo",
    "warningTime",
    "plateData",
    "plateType",
    "plateNo",
    "accidentNo",
    "accidentTime",
    "accidentType",
    "channelTypes",
    "accidentCause",
    "isReportOnPort",
    "reportMode",
    "photoData",
    "photoType",
    "dutyProportion",
    "isNorDriving",
    "reportNo",
    "receiveTime",
    "dispatchType",
    "taskType",
    "cancelReason",
    "payAmout",
    "payData",
    "payUnitAcount",
];

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        "(0|1|02|100|Y|N| 2018-08-10 01:30(:00)? |1000\\.00|\\[\\]|\\{\\})".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (prop::sample::select(FIELD_NAMES.to_vec()), inner.clone()),
                0..8
            )
            .prop_map(|pairs| Value::Object(
                pairs
                    .into_iter()
                    .map(|(key, value)| (key.to_owned(), value))
                    .collect::<Map<_, _>>()
            )),
            inner.prop_map(|value| Value::String(value.to_string())),
        ]
    })
}

fn decode_everything(text: &str) {
    if let Ok(batch) = decode_warnings(text) {
        for decoded in &batch.records {
            let _ = decoded
                .record
                .validate()
                .iter()
                .map(ToString::to_string)
                .count();
        }
    }
    if let Ok(batch) = decode_accidents(text) {
        for decoded in &batch.records {
            let _ = decoded
                .record
                .validate()
                .iter()
                .map(ToString::to_string)
                .count();
        }
    }
    if let Ok(batch) = decode_dispatches(text) {
        for decoded in &batch.records {
            let _ = decoded
                .record
                .validate()
                .iter()
                .map(ToString::to_string)
                .count();
        }
    }
    let _ = serde_json::from_str::<Claim>(text).map(|claim| claim.validate());
    let _ = serde_json::from_str::<Report>(text).map(|report| report.validate());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_arbitrary_json_never_panics(value in any_json()) {
        decode_everything(&value.to_string());
    }

    #[test]
    fn decode_arbitrary_text_never_panics(text in ".{0,64}") {
        decode_everything(&text);
    }

    #[test]
    fn split_address_never_panics(text in "[省市区县旗盟州地自治广东北京路号 a-z0-9\u{4e00}-\u{9fa5}]{0,40}") {
        let parts = jb_model::split_address(&text);
        prop_assert!(text.trim().ends_with(parts.rest.as_str()));
    }

    #[test]
    fn masks_never_panic(text in ".{0,40}") {
        for mask in [
            jb_model::mask::name, jb_model::mask::phone, jb_model::mask::id_number,
            jb_model::mask::bank_account, jb_model::mask::plate, jb_model::mask::free_text,
        ] {
            let _ = mask(&text);
        }
    }
}

// Generators of valid records.

fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[A-Za-z0-9\u{4e00}-\u{9fa5}]{{1,{max}}}")).unwrap()
}

fn latin(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!(
        "[A-Za-z0-9][A-Za-z0-9\u{4e00}-\u{9fa5}]{{0,{}}}",
        max - 1
    ))
    .unwrap()
}

fn code<C: Code>() -> impl Strategy<Value = C> {
    prop::sample::select(C::all().to_vec())
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (1990i32..2100, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn date_time() -> impl Strategy<Value = NaiveDateTime> {
    (date(), 0u32..24, 0u32..60, 0u32..60)
        .prop_map(|(day, h, m, s)| day.and_hms_opt(h, m, s).unwrap())
}

fn money() -> impl Strategy<Value = Money> {
    (0i64..1_000_000_000).prop_map(Money::from_fen)
}

fn degrees(range: std::ops::Range<f64>) -> impl Strategy<Value = String> {
    range.prop_map(|value| format!("{value:.6}"))
}

fn plate() -> impl Strategy<Value = Plate> {
    (code::<PlateType>(), text(10)).prop_map(|(plate_type, plate_no)| Plate {
        plate_type,
        plate_no,
    })
}

prop_compose! {
    fn report()(
        report_no in text(50), report_content in text(100), report_address in text(100),
        insurance_code in code::<Insurer>(), alarm_name in text(10), alarm_phone in "1[0-9]{10}",
        report_time in date_time(), flags in (code::<YesNo>(), code::<YesNo>(), code::<YesNo>()),
        region in (text(5), text(5), text(5)), survey_address in latin(60),
        survey_coordinate_system in code::<CoordinateSystem>(),
        survey_longitude in degrees(73.0..136.0), survey_latitude in degrees(3.0..54.0),
        plate_data in prop::collection::vec(plate(), 1..4),
    ) -> Report {
        Report {
            report_no, report_content, report_address, insurance_code, alarm_name, alarm_phone,
            report_time: WireDateTime::new(report_time, Precision::Minutes),
            is_injured: flags.0, is_local_survey: flags.1, is_car_driving: flags.2,
            survey_province: region.0 + "省", survey_city: region.1 + "市", survey_area: region.2 + "区",
            survey_address, survey_coordinate_system, survey_longitude, survey_latitude, plate_data,
        }
    }
}

prop_compose! {
    fn claim_plate()(
        plate_type in code::<PlateType>(), plate_no in text(10), driver_name in text(20),
        driver_phone in "1[0-9]{10}", garage in text(50), fixed_amount in money(),
        duty_proportion in code::<DutyProportion>(),
    ) -> ClaimPlate {
        ClaimPlate { plate_type, plate_no, driver_name, driver_phone, garage, fixed_amount, duty_proportion }
    }
}

prop_compose! {
    fn payment()(
        pay_number in text(50), bank_name in text(50), payee_no in "[0-9]{10,30}", payee_name in text(50),
        certificate in prop::option::of((code::<CertificateType>(), "[0-9X]{6,20}")),
        payee_phone in prop::option::of("1[0-9]{10}"), pay_unit_acount in money(), pay_time in date(),
        pay_desc in prop::option::of(text(100)),
    ) -> Payment {
        let (certificate_type, certificate_no) = certificate.map_or((None, None), |(t, n)| (Some(t), Some(n)));
        Payment {
            pay_number, bank_name, payee_no, payee_name, certificate_type, certificate_no, payee_phone,
            pay_unit_acount, pay_time: WireDate::new(pay_time), pay_desc,
        }
    }
}

prop_compose! {
    fn claim()(
        insurance_code in code::<Insurer>(), claim_no in text(50), policy_no in text(50),
        insurance_type in code::<InsuranceType>(), accident_no in prop::option::of(text(50)),
        warning_no in text(50), plate_data in prop::collection::vec(claim_plate(), 1..3),
        pay_data in prop::collection::vec(payment(), 1..4),
    ) -> Claim {
        let pay_amout = pay_data
            .iter()
            .try_fold(Money::default(), |sum, payment| sum.checked_add(payment.pay_unit_acount))
            .unwrap();
        Claim { insurance_code, claim_no, policy_no, insurance_type, accident_no, warning_no, plate_data, pay_amout, pay_data }
    }
}

prop_compose! {
    fn dispatch()(
        report_no in text(30), receive_time in date_time(), dispatch_type in code::<DispatchType>(),
        task_type in code::<TaskType>(), reason in text(30), user_id in text(10), surveyor_co in "[A-Z]{4}",
        surveyor_name in text(10), surveyor_phone in "1[0-9]{10}",
    ) -> Dispatch {
        let cancel_reason = (task_type == TaskType::Cancelled).then_some(reason);
        Dispatch {
            report_no, receive_time: WireDateTime::new(receive_time, Precision::Seconds), dispatch_type,
            task_type, cancel_reason, user_id, surveyor_co, surveyor_name, surveyor_phone,
        }
    }
}

prop_compose! {
    fn warning()(
        warning_no in text(50), warning_content in text(200), warning_address in text(100),
        alarm_name in text(10), alarm_phone in "1[0-9]{10}", warning_time in date_time(),
        plate_data in prop::collection::vec(plate(), 1..3),
    ) -> Warning {
        Warning {
            warning_no, warning_content, warning_address, alarm_name, alarm_phone,
            warning_time: WireDateTime::new(warning_time, Precision::Minutes), plate_data,
        }
    }
}

prop_compose! {
    fn accident_plate()(
        vin_no in prop::option::of("[A-Z0-9]{17}"), plate_type in code::<PlateType>(), plate_no in text(10),
        driver_name in text(10), driver_phone in "1[0-9]{10}",
        duty_proportion in prop::option::of(code::<DutyProportion>()), is_nor_driving in code::<Flag>(),
    ) -> AccidentPlate {
        AccidentPlate {
            vin_no, plate_type, plate_no, driver_name, driver_phone, duty_proportion, is_nor_driving,
            liability_insurance_name: None, liability_insurance_no: None,
        }
    }
}

prop_compose! {
    fn accident()(
        accident_no in text(50), reporter_name in text(10), reporter_phone_no in "1[0-9]{10}",
        accident_time in date_time(), district in text(5), accident_address in text(100),
        latitude in degrees(3.0..54.0), longitude in degrees(73.0..136.0),
        accident_type in code::<jb_model::AccidentType>(),
        accident_cause in prop::option::of(code::<jb_model::AccidentCause>()),
        plate_data in prop::collection::vec(accident_plate(), 1..3),
        photo_data in prop::collection::vec((code::<PhotoType>(), text(20)), 1..4),
    ) -> Accident {
        Accident {
            accident_no, reporter_name, reporter_phone_no,
            accident_time: WireDateTime::new(accident_time, Precision::Seconds),
            accident_place_province: "广东省-深圳市".to_owned(), accident_place_district: district + "区",
            accident_address, accident_place_latitude: latitude, accident_place_longtitude: longitude,
            accident_type, channel_types: None, accident_cause, is_report_on_port: None, report_mode: None,
            plate_data,
            photo_data: photo_data
                .into_iter()
                .map(|(photo_type, name)| Photo { photo_type, photo_url: format!("http://127.0.0.1/{name}.jpg"), photo_name: name })
                .collect(),
        }
    }
}

fn round_trip<T>(record: &T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let text = serde_json::to_string(record).unwrap();
    serde_json::from_str(&text).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn valid_report_round_trips(record in report()) {
        prop_assert!(record.validate().is_empty(), "{:?}", record.validate());
        prop_assert_eq!(round_trip(&record), record);
    }

    #[test]
    fn valid_claim_round_trips(record in claim()) {
        prop_assert!(record.validate().is_empty(), "{:?}", record.validate());
        prop_assert_eq!(round_trip(&record), record);
    }

    #[test]
    fn valid_dispatch_round_trips(record in dispatch()) {
        prop_assert!(record.validate().is_empty(), "{:?}", record.validate());
        let text = serde_json::to_string(&[&record]).unwrap();
        let batch = decode_batch::<Dispatch>(&text).unwrap();
        prop_assert!(batch.is_complete());
        prop_assert_eq!(&batch.records[0].record, &record);
    }

    #[test]
    fn valid_warning_round_trips(record in warning()) {
        prop_assert!(record.validate().is_empty(), "{:?}", record.validate());
        let text = serde_json::to_string(&[&record]).unwrap();
        let batch = decode_batch::<Warning>(&text).unwrap();
        prop_assert!(batch.is_complete());
        prop_assert_eq!(&batch.records[0].record, &record);
    }

    #[test]
    fn valid_accident_round_trips(record in accident()) {
        prop_assert!(record.validate().is_empty(), "{:?}", record.validate());
        let text = serde_json::to_string(&[&record]).unwrap();
        let batch = decode_batch::<Accident>(&text).unwrap();
        prop_assert!(batch.is_complete());
        prop_assert_eq!(&batch.records[0].record, &record);
    }
}

//! Every validation rule, each with a passing and a failing case, as tables of edits applied
//! to valid example records.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

use jb_model::{
    Accident, CertificateType, Claim, CoordinateSystem, Dispatch, DutyProportion, Flag,
    InsuranceType, Insurer, Money, PlateType, Report, Rule, TaskType, Validate, ValidationOptions,
    Violation, Warning, WireDate, WireDateTime, YesNo,
};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;

fn fixture<T: DeserializeOwned>(name: &str) -> T {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn first<T: DeserializeOwned>(name: &str) -> T {
    let mut list: Vec<T> = fixture(name);
    list.remove(0)
}

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn time(text: &str) -> WireDateTime {
    WireDateTime::parse(text).unwrap()
}

/// One edit of a valid record and the single violation it must cause, or none.
struct Case<T> {
    name: &'static str,
    edit: fn(&mut T),
    expect: Option<(&'static str, Rule)>,
}

fn pass<T>(name: &'static str, edit: fn(&mut T)) -> Case<T> {
    Case {
        name,
        edit,
        expect: None,
    }
}

fn fail<T>(name: &'static str, edit: fn(&mut T), path: &'static str, rule: Rule) -> Case<T> {
    Case {
        name,
        edit,
        expect: Some((path, rule)),
    }
}

fn run<T: Validate + Clone>(base: &T, cases: Vec<Case<T>>) {
    assert!(
        base.validate().is_empty(),
        "base record is invalid: {:?}",
        base.validate()
    );
    for case in cases {
        let mut record = base.clone();
        (case.edit)(&mut record);
        let violations = record.validate();
        match case.expect {
            None => assert!(
                violations.is_empty(),
                "{}: unexpected {violations:?}",
                case.name
            ),
            Some((path, rule)) => {
                assert_eq!(violations.len(), 1, "{}: {violations:?}", case.name);
                assert_eq!(violations[0].path, path, "{}", case.name);
                assert_eq!(violations[0].rule, rule, "{}", case.name);
            }
        }
    }
}

#[test]
fn report_rules() {
    let base: Report = fixture("j3-report.json");
    run(
        &base,
        vec![
            // Required fields and lists.
            pass("reportNo given", |r| r.report_no = "R1".to_owned()),
            fail(
                "reportNo empty",
                |r| r.report_no = String::new(),
                "reportNo",
                Rule::Required,
            ),
            fail(
                "reportNo blank",
                |r| r.report_no = "  ".to_owned(),
                "reportNo",
                Rule::Required,
            ),
            fail(
                "plateData empty",
                |r| r.plate_data.clear(),
                "plateData",
                Rule::Required,
            ),
            fail(
                "plate number empty",
                |r| r.plate_data[1].plate_no.clear(),
                "plateData[1].plateNo",
                Rule::Required,
            ),
            fail(
                "insuranceCode empty",
                |r| r.insurance_code = Insurer::from_code(""),
                "insuranceCode",
                Rule::Required,
            ),
            // Lengths in UTF-16 code units: 𠀀 counts twice.
            pass("alarmPhone at size", |r| r.alarm_phone = "1".repeat(15)),
            fail(
                "alarmPhone over size",
                |r| r.alarm_phone = "1".repeat(16),
                "alarmPhone",
                Rule::TooLong {
                    max: 15,
                    length: 16,
                },
            ),
            pass("surveyProvince 20 units", |r| {
                r.survey_province = "𠀀".repeat(10)
            }),
            fail(
                "surveyProvince 21 units",
                |r| r.survey_province = "𠀀".repeat(10) + "省",
                "surveyProvince",
                Rule::TooLong {
                    max: 20,
                    length: 21,
                },
            ),
            // Date format of the field: minutes.
            pass("reportTime minutes", |r| {
                r.report_time = time("2019-01-02 03:04")
            }),
            fail(
                "reportTime seconds",
                |r| r.report_time = time("2019-01-02 03:04:05"),
                "reportTime",
                Rule::DateFormat {
                    expected: "yyyy-MM-dd HH:mm",
                },
            ),
            // Codes and value sets.
            fail(
                "insurer unknown",
                |r| r.insurance_code = Insurer::from_code("XXXX"),
                "insuranceCode",
                Rule::UnknownCode { table: "insurer" },
            ),
            fail(
                "plate type unknown",
                |r| r.plate_data[0].plate_type = PlateType::from_code("88"),
                "plateData[0].plateType",
                Rule::UnknownCode {
                    table: "plate-type",
                },
            ),
            pass("plate type 52", |r| {
                r.plate_data[0].plate_type = PlateType::SmallNewEnergyVehicle
            }),
            pass("isInjured N", |r| r.is_injured = YesNo::No),
            fail(
                "isInjured 1",
                |r| r.is_injured = YesNo::from_code("1"),
                "isInjured",
                Rule::NotAllowed { table: "yes-no" },
            ),
            fail(
                "isCarDriving lowercase",
                |r| r.is_car_driving = YesNo::from_code("y"),
                "isCarDriving",
                Rule::NotAllowed { table: "yes-no" },
            ),
            pass("coordinate system BD-09", |r| {
                r.survey_coordinate_system = CoordinateSystem::Bd09
            }),
            fail(
                "coordinate system 0",
                |r| r.survey_coordinate_system = CoordinateSystem::from_code("0"),
                "surveyCoordinateSystem",
                Rule::NotAllowed {
                    table: "coordinate-system",
                },
            ),
            fail(
                "coordinate not a number",
                |r| r.survey_latitude = "22.5N".to_owned(),
                "surveyLatitude",
                Rule::NotANumber,
            ),
            pass("coordinate negative", |r| {
                r.survey_longitude = "-0.5".to_owned()
            }),
            // The survey address must not repeat its own region.
            pass("address without region", |r| {
                r.survey_address = "深圳湾公园".to_owned()
            }),
            fail(
                "address repeats province",
                |r| r.survey_address = "广东省深圳市华安大酒店".to_owned(),
                "surveyAddress",
                Rule::AddressRepeatsRegion {
                    part: "广东省".to_owned(),
                },
            ),
            fail(
                "address repeats city",
                |r| r.survey_address = "深圳市华安大酒店".to_owned(),
                "surveyAddress",
                Rule::AddressRepeatsRegion {
                    part: "深圳市".to_owned(),
                },
            ),
            fail(
                "address repeats district",
                |r| r.survey_address = "罗湖区华安大酒店".to_owned(),
                "surveyAddress",
                Rule::AddressRepeatsRegion {
                    part: "罗湖区".to_owned(),
                },
            ),
        ],
    );
}

#[test]
fn claim_rules() {
    let base: Claim = fixture("j4-claim-corrected-total.json");
    run(
        &base,
        vec![
            // The total is the exact sum of the payments.
            pass("total of tenths", |c| {
                c.pay_data[0].pay_unit_acount = money("0.10");
                c.pay_data[1].pay_unit_acount = money("0.20");
                c.pay_amout = money("0.30");
            }),
            fail(
                "total off by a fen",
                |c| {
                    c.pay_data[0].pay_unit_acount = money("0.10");
                    c.pay_data[1].pay_unit_acount = money("0.20");
                    c.pay_amout = money("0.31");
                },
                "payAmout",
                Rule::SumMismatch {
                    total: decimal("0.31"),
                    sum: decimal("0.30"),
                },
            ),
            pass("total written without decimals", |c| {
                c.pay_amout = money("1000")
            }),
            // Money: 12 integer digits and 2 decimals at most.
            pass("fixedAmount at limit", |c| {
                c.plate_data[0].fixed_amount = money("999999999999.99")
            }),
            fail(
                "fixedAmount 13 digits",
                |c| c.plate_data[0].fixed_amount = money("1000000000000.00"),
                "plateData[0].fixedAmount",
                Rule::MoneyFormat,
            ),
            fail(
                "fixedAmount 3 decimals",
                |c| c.plate_data[0].fixed_amount = money("1.005"),
                "plateData[0].fixedAmount",
                Rule::MoneyFormat,
            ),
            // Value sets.
            pass("duty proportion 30", |c| {
                c.plate_data[1].duty_proportion = DutyProportion::Minor
            }),
            fail(
                "duty proportion 60",
                |c| c.plate_data[1].duty_proportion = DutyProportion::from_code("60"),
                "plateData[1].dutyProportion",
                Rule::NotAllowed {
                    table: "duty-proportion",
                },
            ),
            pass("insuranceType commercial", |c| {
                c.insurance_type = InsuranceType::Commercial
            }),
            fail(
                "insuranceType 3",
                |c| c.insurance_type = InsuranceType::from_code("3"),
                "insuranceType",
                Rule::NotAllowed {
                    table: "insurance-type",
                },
            ),
            // Certificates go in pairs; a payee that is not a person has neither.
            pass("certificate absent", |c| {
                c.pay_data[0].certificate_type = None;
                c.pay_data[0].certificate_no = None;
            }),
            pass("certificate both empty", |c| {
                c.pay_data[0].certificate_type = Some(CertificateType::from_code(""));
                c.pay_data[0].certificate_no = Some(String::new());
            }),
            fail(
                "certificate type only",
                |c| c.pay_data[0].certificate_no = None,
                "payData[0].certificateNo",
                Rule::CertificateIncomplete,
            ),
            fail(
                "certificate number only",
                |c| c.pay_data[1].certificate_type = None,
                "payData[1].certificateType",
                Rule::CertificateIncomplete,
            ),
            fail(
                "certificate type unknown",
                |c| c.pay_data[0].certificate_type = Some(CertificateType::from_code("56")),
                "payData[0].certificateType",
                Rule::UnknownCode {
                    table: "certificate-type",
                },
            ),
            // Required fields and lists.
            fail(
                "payData empty",
                |c| c.pay_data.clear(),
                "payData",
                Rule::Required,
            ),
            fail(
                "payeeName empty",
                |c| c.pay_data[1].payee_name.clear(),
                "payData[1].payeeName",
                Rule::Required,
            ),
            pass("accidentNo absent", |c| c.accident_no = None),
            fail(
                "payeeNo over 50",
                |c| c.pay_data[0].payee_no = "6".repeat(51),
                "payData[0].payeeNo",
                Rule::TooLong {
                    max: 50,
                    length: 51,
                },
            ),
            // Dates: yyyy-MM-dd, zero-padded.
            pass("payTime padded", |c| {
                c.pay_data[0].pay_time = WireDate::parse("2019-01-02").unwrap()
            }),
        ],
    );
}

#[test]
fn claim_pay_time_unpadded_is_invalid() {
    let mut claim: Claim = fixture("j4-claim-corrected-total.json");
    // Unpadded months and days decode, but the platform's format is zero-padded.
    claim.pay_data[0].pay_time = WireDate::parse("2019-1-2").unwrap();

    let violations = claim.validate();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].path, "payData[0].payTime");
    assert_eq!(
        violations[0].rule,
        Rule::DateFormat {
            expected: "yyyy-MM-dd"
        }
    );
}

#[test]
fn dispatch_rules() {
    let base: Dispatch = fixture("j5-dispatch.json");
    run(
        &base,
        vec![
            pass("completed without reason", |d| {
                d.task_type = TaskType::Completed;
                d.cancel_reason = None;
            }),
            fail(
                "cancelled without reason",
                |d| d.cancel_reason = None,
                "cancelReason",
                Rule::CancelReasonMissing,
            ),
            fail(
                "cancelled with blank reason",
                |d| d.cancel_reason = Some(" ".to_owned()),
                "cancelReason",
                Rule::CancelReasonMissing,
            ),
            fail(
                "task type 2",
                |d| d.task_type = TaskType::from_code("2"),
                "taskType",
                Rule::NotAllowed { table: "task-type" },
            ),
            fail(
                "dispatch type 5",
                |d| d.dispatch_type = jb_model::DispatchType::from_code("5"),
                "dispatchType",
                Rule::NotAllowed {
                    table: "dispatch-type",
                },
            ),
            fail(
                "receiveTime without seconds",
                |d| d.receive_time = time("2019-03-07 12:01"),
                "receiveTime",
                Rule::DateFormat {
                    expected: "yyyy-MM-dd HH:mm:ss",
                },
            ),
            fail(
                "surveyorPhone empty",
                |d| d.surveyor_phone.clear(),
                "surveyorPhone",
                Rule::Required,
            ),
        ],
    );
}

#[test]
fn accident_rules() {
    let base: Accident = first("j2-accidents.json");
    run(
        &base,
        vec![
            pass("isNorDriving 0", |a| {
                a.plate_data[0].is_nor_driving = Flag::No
            }),
            fail(
                "isNorDriving 2",
                |a| a.plate_data[0].is_nor_driving = Flag::from_code("2"),
                "plateData[0].isNorDriving",
                Rule::NotAllowed { table: "flag" },
            ),
            fail(
                "isReportOnPort Y",
                |a| a.is_report_on_port = Some(Flag::from_code("Y")),
                "isReportOnPort",
                Rule::NotAllowed { table: "flag" },
            ),
            pass("optional codes absent", |a| {
                a.accident_cause = None;
                a.is_report_on_port = None;
                a.report_mode = None;
                a.channel_types = None;
                a.plate_data[0].duty_proportion = None;
            }),
            fail(
                "photoData empty",
                |a| a.photo_data.clear(),
                "photoData",
                Rule::Required,
            ),
            fail(
                "photo URL over 200",
                |a| a.photo_data[3].photo_url = "h".repeat(201),
                "photoData[3].photoUrl",
                Rule::TooLong {
                    max: 200,
                    length: 201,
                },
            ),
            fail(
                "accidentTime minutes",
                |a| a.accident_time = time("2018-07-02 11:22"),
                "accidentTime",
                Rule::DateFormat {
                    expected: "yyyy-MM-dd HH:mm:ss",
                },
            ),
        ],
    );
}

#[test]
fn warning_rules() {
    let base: Warning = first("j1-warnings.json");
    run(
        &base,
        vec![
            pass("content at 4000", |w| w.warning_content = "警".repeat(4000)),
            fail(
                "content over 4000",
                |w| w.warning_content = "警".repeat(4001),
                "warningContent",
                Rule::TooLong {
                    max: 4000,
                    length: 4001,
                },
            ),
            fail(
                "warningTime seconds",
                |w| w.warning_time = time("2018-08-10 01:30:00"),
                "warningTime",
                Rule::DateFormat {
                    expected: "yyyy-MM-dd HH:mm",
                },
            ),
        ],
    );
}

#[test]
fn unknown_codes_accepted_on_request() {
    let mut report: Report = fixture("j3-report.json");
    report.insurance_code = Insurer::from_code("NEWC");
    report.plate_data[0].plate_type = PlateType::from_code("61");
    let options = ValidationOptions::upload().with_unknown_codes(true);

    assert_eq!(report.validate().len(), 2);
    assert!(report.validate_with(&options).is_empty());
}

#[test]
fn unknown_codes_option_keeps_value_sets_strict() {
    let mut report: Report = fixture("j3-report.json");
    report.is_injured = YesNo::from_code("X");
    let options = ValidationOptions::upload().with_unknown_codes(true);

    let violations = report.validate_with(&options);
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].rule, Rule::NotAllowed { table: "yes-no" });
}

#[test]
fn download_options_accept_either_precision() {
    let mut dispatch: Dispatch = fixture("j5-dispatch.json");
    dispatch.receive_time = time("2019-03-07 12:01");

    assert!(
        dispatch
            .validate_with(&ValidationOptions::download())
            .is_empty()
    );
}

#[test]
fn validate_reports_every_violation_in_order() {
    let mut claim: Claim = fixture("j4-claim-corrected-total.json");
    claim.claim_no.clear();
    claim.pay_amout = money("1.00");
    claim.pay_data[1].pay_unit_acount = money("1.005");

    let paths: Vec<String> = claim.validate().into_iter().map(|v| v.path).collect();
    assert_eq!(paths, ["claimNo", "payAmout", "payData[1].payUnitAcount"]);
}

fn only(violations: Vec<Violation>) -> Violation {
    assert_eq!(violations.len(), 1, "{violations:?}");
    violations.into_iter().next().unwrap()
}

#[test]
fn violation_values_mask_personal_data() {
    let mut claim: Claim = fixture("j4-claim-corrected-total.json");
    claim.pay_data[0].payee_no = "6222021234567890123456789012345678901234567890123456".to_owned();
    let violation = only(claim.validate());
    assert_eq!(
        violation.value.as_deref(),
        Some("************************************************3456")
    );

    let mut report: Report = fixture("j3-report.json");
    report.alarm_phone = "135288338061234".to_owned() + "5";
    let violation = only(report.validate());
    assert_eq!(violation.value.as_deref(), Some("135*********2345"));
    assert_eq!(violation.field_zh, "报案人电话");

    let mut report: Report = fixture("j3-report.json");
    report.alarm_name = "张".repeat(51);
    assert_eq!(
        only(report.validate()).value.unwrap(),
        format!("张{}", "*".repeat(50))
    );

    let mut report: Report = fixture("j3-report.json");
    report.plate_data[0].plate_no = format!("粤B{}", "1".repeat(49));
    assert!(only(report.validate()).value.unwrap().starts_with("粤B***"));
}

#[test]
fn violation_display_names_path_field_and_fix() {
    let mut claim: Claim = fixture("j4-claim-corrected-total.json");
    claim.pay_data[1].pay_unit_acount = money("1.005");
    claim.pay_amout = money("501.005");

    let text = claim
        .validate()
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains("payData[1].payUnitAcount (款项金额)"),
        "{text}"
    );
    assert!(text.contains("2 decimals"), "{text}");
    assert!(claim.ensure_valid().is_err());
}

#[test]
fn not_allowed_display_lists_values() {
    let rule = Rule::NotAllowed {
        table: "duty-proportion",
    };
    assert_eq!(
        rule.to_string(),
        "invalid value; use one of 100, 70, 50, 30, 0"
    );
}

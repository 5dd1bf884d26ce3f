//! Structured J3 reports and J4 claims built from fuzzer input, and their validation.

use arbitrary::Arbitrary;
use jb_model::{Claim, ClaimPlate, Payment, Plate, Report, Validate, ValidationOptions};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::build::{CodeInput, CoordinateInput, DateInput, DateTimeInput, MoneyInput};

/// Fields of a J3 report (报案信息), each as free as its Rust type allows.
#[derive(Debug, Arbitrary)]
pub struct ReportInput {
    report_no: String,
    report_content: String,
    report_address: String,
    insurance_code: CodeInput,
    alarm_name: String,
    alarm_phone: String,
    report_time: DateTimeInput,
    is_injured: CodeInput,
    is_local_survey: CodeInput,
    is_car_driving: CodeInput,
    survey_province: String,
    survey_city: String,
    survey_area: String,
    survey_address: String,
    survey_coordinate_system: CodeInput,
    survey_longitude: CoordinateInput,
    survey_latitude: CoordinateInput,
    plate_data: Vec<PlateInput>,
}

#[derive(Debug, Arbitrary)]
struct PlateInput {
    plate_type: CodeInput,
    plate_no: String,
}

/// Fields of a J4 claim (理赔信息).
#[derive(Debug, Arbitrary)]
pub struct ClaimInput {
    insurance_code: CodeInput,
    claim_no: String,
    policy_no: String,
    insurance_type: CodeInput,
    accident_no: Option<String>,
    warning_no: String,
    plate_data: Vec<ClaimPlateInput>,
    pay_amout: MoneyInput,
    pay_data: Vec<PaymentInput>,
}

#[derive(Debug, Arbitrary)]
struct ClaimPlateInput {
    plate_type: CodeInput,
    plate_no: String,
    driver_name: String,
    driver_phone: String,
    garage: String,
    fixed_amount: MoneyInput,
    duty_proportion: CodeInput,
}

#[derive(Debug, Arbitrary)]
struct PaymentInput {
    pay_number: String,
    bank_name: String,
    payee_no: String,
    payee_name: String,
    certificate_type: Option<CodeInput>,
    certificate_no: Option<String>,
    payee_phone: Option<String>,
    pay_unit_acount: MoneyInput,
    pay_time: DateInput,
    pay_desc: Option<String>,
}

impl ReportInput {
    /// Builds the report.
    pub fn build(&self) -> Report {
        Report {
            report_no: self.report_no.clone(),
            report_content: self.report_content.clone(),
            report_address: self.report_address.clone(),
            insurance_code: self.insurance_code.build(),
            alarm_name: self.alarm_name.clone(),
            alarm_phone: self.alarm_phone.clone(),
            report_time: self.report_time.build(),
            is_injured: self.is_injured.build(),
            is_local_survey: self.is_local_survey.build(),
            is_car_driving: self.is_car_driving.build(),
            survey_province: self.survey_province.clone(),
            survey_city: self.survey_city.clone(),
            survey_area: self.survey_area.clone(),
            survey_address: self.survey_address.clone(),
            survey_coordinate_system: self.survey_coordinate_system.build(),
            survey_longitude: self.survey_longitude.build(),
            survey_latitude: self.survey_latitude.build(),
            plate_data: self
                .plate_data
                .iter()
                .map(|plate| Plate {
                    plate_type: plate.plate_type.build(),
                    plate_no: plate.plate_no.clone(),
                })
                .collect(),
        }
    }

    /// Validates the report; see [`check_upload`].
    pub fn check(&self) {
        check_upload(&self.build());
    }
}

impl ClaimInput {
    /// Builds the claim.
    pub fn build(&self) -> Claim {
        Claim {
            insurance_code: self.insurance_code.build(),
            claim_no: self.claim_no.clone(),
            policy_no: self.policy_no.clone(),
            insurance_type: self.insurance_type.build(),
            accident_no: self.accident_no.clone(),
            warning_no: self.warning_no.clone(),
            plate_data: self.plate_data.iter().map(ClaimPlateInput::build).collect(),
            pay_amout: self.pay_amout.build(),
            pay_data: self.pay_data.iter().map(PaymentInput::build).collect(),
        }
    }

    /// Validates the claim; see [`check_upload`].
    pub fn check(&self) {
        check_upload(&self.build());
    }
}

impl ClaimPlateInput {
    fn build(&self) -> ClaimPlate {
        ClaimPlate {
            plate_type: self.plate_type.build(),
            plate_no: self.plate_no.clone(),
            driver_name: self.driver_name.clone(),
            driver_phone: self.driver_phone.clone(),
            garage: self.garage.clone(),
            fixed_amount: self.fixed_amount.build(),
            duty_proportion: self.duty_proportion.build(),
        }
    }
}

impl PaymentInput {
    fn build(&self) -> Payment {
        Payment {
            pay_number: self.pay_number.clone(),
            bank_name: self.bank_name.clone(),
            payee_no: self.payee_no.clone(),
            payee_name: self.payee_name.clone(),
            certificate_type: self.certificate_type.as_ref().map(CodeInput::build),
            certificate_no: self.certificate_no.clone(),
            payee_phone: self.payee_phone.clone(),
            pay_unit_acount: self.pay_unit_acount.build(),
            pay_time: self.pay_time.build(),
            pay_desc: self.pay_desc.clone(),
        }
    }
}

/// Validates an upload strictly and as a download, and checks that every violation prints.
/// A record that passes strict validation must serialize to JSON that the receiving side
/// decodes into a record that passes too, because the platform validates what it receives.
fn check_upload<T: Validate + Serialize + DeserializeOwned + std::fmt::Debug>(record: &T) {
    let violations = record.validate();
    let _ = record.validate_with(&ValidationOptions::download());
    for violation in &violations {
        assert!(!violation.to_string().is_empty());
        assert!(!violation.path.is_empty());
    }
    assert_eq!(record.ensure_valid().is_ok(), violations.is_empty());

    let json = serde_json::to_string(record)
        .unwrap_or_else(|error| panic!("record does not serialize: {error}"));
    if !violations.is_empty() {
        return;
    }
    let received: T = serde_json::from_str(&json)
        .unwrap_or_else(|error| panic!("a valid record's JSON {json} does not decode: {error}"));
    assert_eq!(
        received.validate(),
        Vec::new(),
        "a valid record's JSON {json} decodes to an invalid record"
    );
}

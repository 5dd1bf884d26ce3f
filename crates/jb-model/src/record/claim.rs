//! J4 `settleClaimUpload`: the insurer uploads each settled claim (理赔).

use serde::{Deserialize, Serialize};

use crate::date::WireDate;
use crate::dict::{CertificateType, DutyProportion, InsuranceType, Insurer, PlateType};
use crate::money::Money;
use crate::validate::{Checker, Field, Personal, Rule, Validate, ValidationOptions, Violation};

use super::Upload;

const INSURANCE_CODE: Field = Field::new("insuranceCode", "保险公司代码", 20);
const CLAIM_NO: Field = Field::new("claimNo", "理赔编号", 500);
const POLICY_NO: Field = Field::new("policyNo", "保单号", 50);
const INSURANCE_TYPE: Field = Field::new("insuranceType", "险种类型", 1);
const ACCIDENT_NO: Field = Field::new("accidentNo", "事故编号", 500);
const WARNING_NO: Field = Field::new("warningNo", "报案号", 500);
const PLATE_DATA: Field = Field::without_size("plateData", "车牌信息");
const PAY_AMOUT: Field = Field::new("payAmout", "赔款总金额", 20);
const PAY_DATA: Field = Field::without_size("payData", "赔款信息");

const PLATE_TYPE: Field = Field::new("plateType", "车牌类型", 50);
const PLATE_NO: Field = Field::new("plateNo", "车牌号", 50).personal(Personal::Plate);
const DRIVER_NAME: Field = Field::new("driverName", "驾驶员", 200).personal(Personal::Name);
const DRIVER_PHONE: Field = Field::new("driverPhone", "驾驶员电话", 50).personal(Personal::Phone);
const GARAGE: Field = Field::new("garage", "修理厂", 100);
const FIXED_AMOUNT: Field = Field::new("fixedAmount", "定损金额", 20);
const DUTY_PROPORTION: Field = Field::new("dutyProportion", "责任占比", 20);

const PAY_NUMBER: Field = Field::new("payNumber", "赔款计算书号", 50);
const BANK_NAME: Field = Field::new("bankName", "收款人开户行名称", 100);
const PAYEE_NO: Field = Field::new("payeeNo", "收款人账户号", 50).personal(Personal::BankAccount);
const PAYEE_NAME: Field = Field::new("payeeName", "收款人账户名", 200).personal(Personal::Name);
const CERTIFICATE_TYPE: Field = Field::new("certificateType", "收款人证件类型", 20);
const CERTIFICATE_NO: Field =
    Field::new("certificateNo", "收款人证件号码", 50).personal(Personal::IdNumber);
const PAYEE_PHONE: Field = Field::new("payeePhone", "收款人联系电话", 30).personal(Personal::Phone);
const PAY_UNIT_ACOUNT: Field = Field::new("payUnitAcount", "款项金额", 20);
const PAY_TIME: Field = Field::new("payTime", "款项支付时间", 20);
const PAY_DESC: Field = Field::new("payDesc", "款项支付说明", 500).personal(Personal::Text);

/// 理赔信息: a settled claim with its vehicles and payments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Claim {
    /// 保险公司代码: the settling insurer.
    #[serde(default = "super::missing_code")]
    pub insurance_code: Insurer,
    /// 理赔编号: claim number.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub claim_no: String,
    /// 保单号: policy number.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub policy_no: String,
    /// 险种类型: compulsory or commercial insurance.
    #[serde(default = "super::missing_code")]
    pub insurance_type: InsuranceType,
    /// 事故编号: the platform's accident number, required when the claim settles an accident
    /// the platform sent in an accident download.
    #[serde(
        default,
        deserialize_with = "crate::text::opt_trimmed",
        skip_serializing_if = "Option::is_none"
    )]
    pub accident_no: Option<String>,
    /// 报案号: the insurer's report number (the wire name says warning).
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub warning_no: String,
    /// 车牌信息: the vehicles of the claim.
    #[serde(default, deserialize_with = "crate::text::list")]
    pub plate_data: Vec<ClaimPlate>,
    /// 赔款总金额: total indemnity, fees excluded; equals the sum of every `pay_unit_acount`
    /// (the wire name is misspelt `payAmout`).
    pub pay_amout: Money,
    /// 赔款信息: the payments.
    #[serde(default, deserialize_with = "crate::text::list")]
    pub pay_data: Vec<Payment>,
}

/// 车牌信息 of a claim: a vehicle with its repair estimate and liability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimPlate {
    /// 车牌类型: plate type.
    #[serde(default = "super::missing_code")]
    pub plate_type: PlateType,
    /// 车牌号: plate number.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub plate_no: String,
    /// 驾驶员: driver's name.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub driver_name: String,
    /// 驾驶员电话: driver's phone number.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub driver_phone: String,
    /// 修理厂: repair garage.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub garage: String,
    /// 定损金额: assessed damage.
    pub fixed_amount: Money,
    /// 责任占比: share of liability.
    #[serde(default = "super::missing_code")]
    pub duty_proportion: DutyProportion,
}

/// 赔款信息: one payment to one payee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    /// 赔款计算书号: indemnity calculation number.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub pay_number: String,
    /// 收款人开户行名称: payee's bank.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub bank_name: String,
    /// 收款人账户号: payee's account number.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub payee_no: String,
    /// 收款人账户名: payee's account name.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub payee_name: String,
    /// 收款人证件类型: payee's certificate type; may be empty when the payee is not a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_type: Option<CertificateType>,
    /// 收款人证件号码: payee's certificate number; goes with `certificate_type`.
    #[serde(
        default,
        deserialize_with = "crate::text::opt_trimmed",
        skip_serializing_if = "Option::is_none"
    )]
    pub certificate_no: Option<String>,
    /// 收款人联系电话: payee's phone number.
    #[serde(
        default,
        deserialize_with = "crate::text::opt_trimmed",
        skip_serializing_if = "Option::is_none"
    )]
    pub payee_phone: Option<String>,
    /// 款项金额: amount of this payment (the wire name is misspelt `payUnitAcount`).
    pub pay_unit_acount: Money,
    /// 款项支付时间: payment date, `yyyy-MM-dd`.
    pub pay_time: WireDate,
    /// 款项支付说明: payment note.
    #[serde(
        default,
        deserialize_with = "crate::text::opt_trimmed",
        skip_serializing_if = "Option::is_none"
    )]
    pub pay_desc: Option<String>,
}

impl Claim {
    /// Sums every payment exactly, `None` if the sum overflows the decimal type.
    pub fn payments_total(&self) -> Option<Money> {
        self.pay_data
            .iter()
            .try_fold(Money::default(), |sum, payment| {
                sum.checked_add(payment.pay_unit_acount)
            })
    }

    fn check_total(&self, checker: &mut Checker<'_>) {
        if self.pay_data.is_empty() {
            return;
        }
        match self.payments_total() {
            Some(sum) if sum.amount() == self.pay_amout.amount() => {}
            Some(sum) => checker.report(
                &PAY_AMOUT,
                Rule::SumMismatch {
                    total: self.pay_amout.amount(),
                    sum: sum.amount(),
                },
                Some(&self.pay_amout.to_wire()),
            ),
            // The payments overflow 28 digits, far beyond what each may hold; each payment's
            // own amount check reports them.
            None => {}
        }
    }
}

impl Validate for Claim {
    fn validate_with(&self, options: &ValidationOptions) -> Vec<Violation> {
        let mut checker = Checker::new(options);
        checker.code(&INSURANCE_CODE, &self.insurance_code);
        checker.text(&CLAIM_NO, &self.claim_no);
        checker.text(&POLICY_NO, &self.policy_no);
        checker.code(&INSURANCE_TYPE, &self.insurance_type);
        checker.opt_text(&ACCIDENT_NO, self.accident_no.as_deref());
        checker.text(&WARNING_NO, &self.warning_no);
        checker.list(&PLATE_DATA, &self.plate_data, |checker, plate| {
            plate.check(checker)
        });
        checker.money(&PAY_AMOUT, &self.pay_amout);
        self.check_total(&mut checker);
        checker.list(&PAY_DATA, &self.pay_data, |checker, payment| {
            payment.check(checker)
        });
        checker.finish()
    }
}

impl ClaimPlate {
    fn check(&self, checker: &mut Checker<'_>) {
        checker.code(&PLATE_TYPE, &self.plate_type);
        checker.text(&PLATE_NO, &self.plate_no);
        checker.text(&DRIVER_NAME, &self.driver_name);
        checker.text(&DRIVER_PHONE, &self.driver_phone);
        checker.text(&GARAGE, &self.garage);
        checker.money(&FIXED_AMOUNT, &self.fixed_amount);
        checker.code(&DUTY_PROPORTION, &self.duty_proportion);
    }
}

impl Payment {
    fn check(&self, checker: &mut Checker<'_>) {
        checker.text(&PAY_NUMBER, &self.pay_number);
        checker.text(&BANK_NAME, &self.bank_name);
        checker.text(&PAYEE_NO, &self.payee_no);
        checker.text(&PAYEE_NAME, &self.payee_name);
        checker.opt_code(&CERTIFICATE_TYPE, self.certificate_type.as_ref());
        checker.opt_text(&CERTIFICATE_NO, self.certificate_no.as_deref());
        self.check_certificate_pair(checker);
        checker.opt_text(&PAYEE_PHONE, self.payee_phone.as_deref());
        checker.money(&PAY_UNIT_ACOUNT, &self.pay_unit_acount);
        checker.date(&PAY_TIME, &self.pay_time);
        checker.opt_text(&PAY_DESC, self.pay_desc.as_deref());
    }

    /// Checks that certificate type and number come together: a number means nothing without
    /// its type, and a type without a number identifies no one.
    fn check_certificate_pair(&self, checker: &mut Checker<'_>) {
        let has_type = self
            .certificate_type
            .as_ref()
            .is_some_and(|code| !code.code().trim().is_empty());
        let has_number = self
            .certificate_no
            .as_deref()
            .is_some_and(|number| !number.trim().is_empty());
        if has_type && !has_number {
            checker.report(&CERTIFICATE_NO, Rule::CertificateIncomplete, None);
        } else if has_number && !has_type {
            checker.report(&CERTIFICATE_TYPE, Rule::CertificateIncomplete, None);
        }
    }
}

impl Upload for Claim {
    const METHOD: &'static str = "settleClaimUpload";
}

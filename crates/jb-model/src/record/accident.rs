//! J2 `accidentDownload`: minor accidents handled remotely (快撤直赔), with plates and photos.

use serde::{Deserialize, Serialize};

use crate::date::{Precision, WireDateTime};
use crate::dict::{
    AccidentCause, AccidentType, CodeList, DutyProportion, Flag, LossType, PhotoType, PlateType,
    ReportMode,
};
use crate::validate::{Checker, Field, Personal, Validate, ValidationOptions, Violation};

use super::Download;

const ACCIDENT_NO: Field = Field::new("accidentNo", "事故编号", 50);
const REPORTER_NAME: Field = Field::new("reporterName", "报案人姓名", 50).personal(Personal::Name);
const REPORTER_PHONE_NO: Field =
    Field::new("reporterPhoneNo", "报案人电话", 20).personal(Personal::Phone);
const ACCIDENT_TIME: Field = Field::new("accidentTime", "出险时间", 20);
const ACCIDENT_PLACE_PROVINCE: Field = Field::new("accidentPlaceProvince", "出险地点城市", 100);
const ACCIDENT_PLACE_DISTRICT: Field = Field::new("accidentPlaceDistrict", "出险地点行政区", 50);
const ACCIDENT_ADDRESS: Field =
    Field::new("accidentAddress", "出险地点详细地址", 500).personal(Personal::Text);
const ACCIDENT_PLACE_LATITUDE: Field = Field::new("accidentPlaceLatitude", "出险地点纬度", 20);
const ACCIDENT_PLACE_LONGTITUDE: Field = Field::new("accidentPlaceLongtitude", "出险地点经度", 20);
const ACCIDENT_TYPE: Field = Field::new("accidentType", "事故类型", 20);
const CHANNEL_TYPES: Field = Field::new("channelTypes", "损失类型", 50);
const ACCIDENT_CAUSE: Field = Field::new("accidentCause", "出险原因", 20);
const IS_REPORT_ON_PORT: Field = Field::new("isReportOnPort", "是否现场报案", 20);
const REPORT_MODE: Field = Field::new("reportMode", "信息来源", 50);
const PLATE_DATA: Field = Field::without_size("plateData", "车牌信息");
const PHOTO_DATA: Field = Field::without_size("photoData", "图片信息");

const VIN_NO: Field = Field::new("vinNo", "车架号", 100);
const PLATE_TYPE: Field = Field::new("plateType", "车牌类型", 10);
const PLATE_NO: Field = Field::new("plateNo", "车牌号", 50).personal(Personal::Plate);
const DRIVER_NAME: Field = Field::new("driverName", "驾驶人姓名", 50).personal(Personal::Name);
const DRIVER_PHONE: Field = Field::new("driverPhone", "驾驶人电话", 20).personal(Personal::Phone);
const DUTY_PROPORTION: Field = Field::new("dutyProportion", "责任占比", 20);
const IS_NOR_DRIVING: Field = Field::new("isNorDriving", "车辆是否能够行驶", 10);
const LIABILITY_INSURANCE_NAME: Field =
    Field::new("liabilityInsuranceName", "交强险承保公司名称", 500);
const LIABILITY_INSURANCE_NO: Field = Field::new("liabilityInsuranceNo", "交强险保单号", 100);

const PHOTO_TYPE: Field = Field::new("photoType", "照片类型", 50);
const PHOTO_NAME: Field = Field::new("photoName", "照片名称", 50);
const PHOTO_URL: Field = Field::new("photoUrl", "照片URL", 200);

/// 事故信息: an accident handled remotely by the traffic police.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accident {
    /// 事故编号: accident number; the record's natural key.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub accident_no: String,
    /// 报案人姓名: reporter's name.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub reporter_name: String,
    /// 报案人电话: reporter's phone number.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub reporter_phone_no: String,
    /// 出险时间: time of the accident, `yyyy-MM-dd HH:mm:ss`.
    pub accident_time: WireDateTime,
    /// 出险地点城市: `省-市` such as `广东省-深圳市`; a municipality sends the city only.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub accident_place_province: String,
    /// 出险地点行政区: district, such as 福田区.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub accident_place_district: String,
    /// 出险地点详细地址: detailed address.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub accident_address: String,
    /// 出险地点纬度: latitude in degrees, as text.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub accident_place_latitude: String,
    /// 出险地点经度: longitude in degrees, as text (the wire name is misspelt `Longtitude`).
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub accident_place_longtitude: String,
    /// 事故类型: one party or several.
    #[serde(default = "super::missing_code")]
    pub accident_type: AccidentType,
    /// 损失类型: kinds of loss, comma-separated on the wire (`01,02`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_types: Option<CodeList<LossType>>,
    /// 出险原因: cause of the accident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accident_cause: Option<AccidentCause>,
    /// 是否现场报案: whether it was reported on site (`1`) or not (`0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_report_on_port: Option<Flag>,
    /// 信息来源: source of the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_mode: Option<ReportMode>,
    /// 车牌信息: the vehicles involved.
    #[serde(default, deserialize_with = "crate::text::list")]
    pub plate_data: Vec<AccidentPlate>,
    /// 图片信息: photos to download from their URLs.
    #[serde(default, deserialize_with = "crate::text::list")]
    pub photo_data: Vec<Photo>,
}

/// 车牌信息 of an accident: a vehicle, its driver and its liability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccidentPlate {
    /// 车架号: vehicle identification number.
    #[serde(
        default,
        deserialize_with = "crate::text::opt_trimmed",
        skip_serializing_if = "Option::is_none"
    )]
    pub vin_no: Option<String>,
    /// 车牌类型: plate type.
    #[serde(default = "super::missing_code")]
    pub plate_type: PlateType,
    /// 车牌号: plate number.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub plate_no: String,
    /// 驾驶人姓名: driver's name.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub driver_name: String,
    /// 驾驶人电话: driver's phone number.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub driver_phone: String,
    /// 责任占比: share of liability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duty_proportion: Option<DutyProportion>,
    /// 车辆是否能够行驶: whether the vehicle can still be driven (`1`) or not (`0`).
    #[serde(default = "super::missing_code")]
    pub is_nor_driving: Flag,
    /// 交强险承保公司名称: insurer of the compulsory insurance.
    #[serde(
        default,
        deserialize_with = "crate::text::opt_trimmed",
        skip_serializing_if = "Option::is_none"
    )]
    pub liability_insurance_name: Option<String>,
    /// 交强险保单号: compulsory insurance policy number.
    #[serde(
        default,
        deserialize_with = "crate::text::opt_trimmed",
        skip_serializing_if = "Option::is_none"
    )]
    pub liability_insurance_no: Option<String>,
}

/// 图片信息: one photo of an accident, fetched from its URL (which expires).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Photo {
    /// 照片类型: what the photo shows.
    #[serde(default = "super::missing_code")]
    pub photo_type: PhotoType,
    /// 照片名称: file name.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub photo_name: String,
    /// 照片URL: where to download it.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub photo_url: String,
}

impl Validate for Accident {
    fn validate_with(&self, options: &ValidationOptions) -> Vec<Violation> {
        let mut checker = Checker::new(options);
        checker.text(&ACCIDENT_NO, &self.accident_no);
        checker.text(&REPORTER_NAME, &self.reporter_name);
        checker.text(&REPORTER_PHONE_NO, &self.reporter_phone_no);
        checker.date_time(&ACCIDENT_TIME, &self.accident_time, Precision::Seconds);
        checker.text(&ACCIDENT_PLACE_PROVINCE, &self.accident_place_province);
        checker.text(&ACCIDENT_PLACE_DISTRICT, &self.accident_place_district);
        checker.text(&ACCIDENT_ADDRESS, &self.accident_address);
        checker.coordinate(&ACCIDENT_PLACE_LATITUDE, &self.accident_place_latitude);
        checker.coordinate(&ACCIDENT_PLACE_LONGTITUDE, &self.accident_place_longtitude);
        checker.code(&ACCIDENT_TYPE, &self.accident_type);
        if let Some(channel_types) = &self.channel_types {
            checker.opt_text(&CHANNEL_TYPES, Some(&channel_types.to_wire()));
            for loss_type in &channel_types.0 {
                checker.opt_code(&CHANNEL_TYPES, Some(loss_type));
            }
        }
        checker.opt_code(&ACCIDENT_CAUSE, self.accident_cause.as_ref());
        checker.opt_code(&IS_REPORT_ON_PORT, self.is_report_on_port.as_ref());
        checker.opt_code(&REPORT_MODE, self.report_mode.as_ref());
        checker.list(&PLATE_DATA, &self.plate_data, |checker, plate| {
            plate.check(checker)
        });
        checker.list(&PHOTO_DATA, &self.photo_data, |checker, photo| {
            photo.check(checker)
        });
        checker.finish()
    }
}

impl AccidentPlate {
    fn check(&self, checker: &mut Checker<'_>) {
        checker.opt_text(&VIN_NO, self.vin_no.as_deref());
        checker.code(&PLATE_TYPE, &self.plate_type);
        checker.text(&PLATE_NO, &self.plate_no);
        checker.text(&DRIVER_NAME, &self.driver_name);
        checker.text(&DRIVER_PHONE, &self.driver_phone);
        checker.opt_code(&DUTY_PROPORTION, self.duty_proportion.as_ref());
        checker.code(&IS_NOR_DRIVING, &self.is_nor_driving);
        checker.opt_text(
            &LIABILITY_INSURANCE_NAME,
            self.liability_insurance_name.as_deref(),
        );
        checker.opt_text(
            &LIABILITY_INSURANCE_NO,
            self.liability_insurance_no.as_deref(),
        );
    }
}

impl Photo {
    fn check(&self, checker: &mut Checker<'_>) {
        checker.code(&PHOTO_TYPE, &self.photo_type);
        checker.text(&PHOTO_NAME, &self.photo_name);
        checker.text(&PHOTO_URL, &self.photo_url);
    }
}

impl Download for Accident {
    const METHOD: &'static str = "accidentDownload";

    /// Returns the accident number.
    fn natural_key(&self) -> String {
        self.accident_no.clone()
    }
}

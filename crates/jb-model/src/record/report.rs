//! J3 `reportCaseUpload`: the insurer uploads each claim report (报案) in real time.

use serde::{Deserialize, Serialize};

use crate::date::{Precision, WireDateTime};
use crate::dict::{CoordinateSystem, Insurer, YesNo};
use crate::validate::{Checker, Field, Personal, Rule, Validate, ValidationOptions, Violation};

use super::{Plate, Upload};

const REPORT_NO: Field = Field::new("reportNo", "报案号", 50);
const REPORT_CONTENT: Field = Field::new("reportContent", "报案内容", 500).personal(Personal::Text);
const REPORT_ADDRESS: Field = Field::new("reportAddress", "报案地址", 500).personal(Personal::Text);
const INSURANCE_CODE: Field = Field::new("insuranceCode", "保险公司代码", 20);
const ALARM_NAME: Field = Field::new("alarmName", "报案人", 50).personal(Personal::Name);
const ALARM_PHONE: Field = Field::new("alarmPhone", "报案人电话", 15).personal(Personal::Phone);
const REPORT_TIME: Field = Field::new("reportTime", "报案时间", 20);
const IS_INJURED: Field = Field::new("isInjured", "是否有人伤", 1);
const IS_LOCAL_SURVEY: Field = Field::new("isLocalSurvey", "是否需现场查勘", 1);
const IS_CAR_DRIVING: Field = Field::new("isCarDriving", "车辆是否能正常行驶", 1);
const SURVEY_PROVINCE: Field = Field::new("surveyProvince", "查勘地址省份", 20);
const SURVEY_CITY: Field = Field::new("surveyCity", "查勘地址城市", 20);
const SURVEY_AREA: Field = Field::new("surveyArea", "查勘地址区县", 20);
const SURVEY_ADDRESS: Field =
    Field::new("surveyAddress", "详细查勘地址", 500).personal(Personal::Text);
const SURVEY_COORDINATE_SYSTEM: Field = Field::new("surveyCoordinateSystem", "坐标系类型", 2);
const SURVEY_LONGITUDE: Field = Field::new("surveyLongitude", "查勘地址经度", 20);
const SURVEY_LATITUDE: Field = Field::new("surveyLatitude", "查勘地址纬度", 20);
const PLATE_DATA: Field = Field::without_size("plateData", "车牌信息");

/// 报案信息: a claim report the insurer received, with where to survey it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// 报案号: the insurer's report number.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub report_no: String,
    /// 报案内容: what was reported.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub report_content: String,
    /// 报案地址: where it was reported to have happened.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub report_address: String,
    /// 保险公司代码: the reporting insurer.
    #[serde(default = "super::missing_code")]
    pub insurance_code: Insurer,
    /// 报案人: reporter's name.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub alarm_name: String,
    /// 报案人电话: reporter's phone number.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub alarm_phone: String,
    /// 报案时间: time of the report, `yyyy-MM-dd HH:mm`.
    pub report_time: WireDateTime,
    /// 是否有人伤: whether anyone is injured.
    #[serde(default = "super::missing_code")]
    pub is_injured: YesNo,
    /// 是否需现场查勘: whether an on-site survey is needed.
    #[serde(default = "super::missing_code")]
    pub is_local_survey: YesNo,
    /// 车辆是否能正常行驶: whether the vehicle can be driven normally.
    #[serde(default = "super::missing_code")]
    pub is_car_driving: YesNo,
    /// 查勘地址省份: survey province, such as 广东省; a municipality such as 北京市 goes
    /// here and in `survey_city`.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub survey_province: String,
    /// 查勘地址城市: survey city, such as 深圳市.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub survey_city: String,
    /// 查勘地址区县: survey district, such as 罗湖区.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub survey_area: String,
    /// 详细查勘地址: survey address without province, city or district (`华安大酒店`).
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub survey_address: String,
    /// 坐标系类型: coordinate system of the survey position (GCJ-02 or BD-09).
    #[serde(default = "super::missing_code")]
    pub survey_coordinate_system: CoordinateSystem,
    /// 查勘地址经度: survey longitude in degrees, as text.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub survey_longitude: String,
    /// 查勘地址纬度: survey latitude in degrees, as text.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub survey_latitude: String,
    /// 车牌信息: plates of the vehicles involved.
    #[serde(default, deserialize_with = "crate::text::list")]
    pub plate_data: Vec<Plate>,
}

impl Validate for Report {
    fn validate_with(&self, options: &ValidationOptions) -> Vec<Violation> {
        let mut checker = Checker::new(options);
        checker.text(&REPORT_NO, &self.report_no);
        checker.text(&REPORT_CONTENT, &self.report_content);
        checker.text(&REPORT_ADDRESS, &self.report_address);
        checker.code(&INSURANCE_CODE, &self.insurance_code);
        checker.text(&ALARM_NAME, &self.alarm_name);
        checker.text(&ALARM_PHONE, &self.alarm_phone);
        checker.date_time(&REPORT_TIME, &self.report_time, Precision::Minutes);
        checker.code(&IS_INJURED, &self.is_injured);
        checker.code(&IS_LOCAL_SURVEY, &self.is_local_survey);
        checker.code(&IS_CAR_DRIVING, &self.is_car_driving);
        checker.text(&SURVEY_PROVINCE, &self.survey_province);
        checker.text(&SURVEY_CITY, &self.survey_city);
        checker.text(&SURVEY_AREA, &self.survey_area);
        checker.text(&SURVEY_ADDRESS, &self.survey_address);
        self.check_address_prefix(&mut checker);
        checker.code(&SURVEY_COORDINATE_SYSTEM, &self.survey_coordinate_system);
        checker.coordinate(&SURVEY_LONGITUDE, &self.survey_longitude);
        checker.coordinate(&SURVEY_LATITUDE, &self.survey_latitude);
        checker.list(&PLATE_DATA, &self.plate_data, |checker, plate| {
            plate.check(checker)
        });
        checker.finish()
    }
}

impl Report {
    /// The detailed survey address must not start with its own province, city or district:
    /// the platform joins the four fields itself.
    fn check_address_prefix(&self, checker: &mut Checker<'_>) {
        let address = self.survey_address.trim();
        let parts = [&self.survey_province, &self.survey_city, &self.survey_area];
        let repeated = parts
            .into_iter()
            .map(|part| part.trim())
            .find(|part| !part.is_empty() && address.starts_with(part));
        if let Some(part) = repeated {
            checker.report(
                &SURVEY_ADDRESS,
                Rule::AddressRepeatsRegion {
                    part: part.to_owned(),
                },
                Some(address),
            );
        }
    }
}

impl Upload for Report {
    const METHOD: &'static str = "reportCaseUpload";
}

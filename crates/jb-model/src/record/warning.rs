//! J1 `warningInstanceDownload`: police call records (警情) from the 122 system.

use serde::{Deserialize, Serialize};

use crate::date::{Precision, WireDateTime};
use crate::validate::{Checker, Field, Personal, Validate, ValidationOptions, Violation};

use super::{Download, Plate};

const WARNING_NO: Field = Field::new("warningNo", "警情编号", 50);
const WARNING_CONTENT: Field =
    Field::new("warningContent", "警情内容", 4000).personal(Personal::Text);
const WARNING_ADDRESS: Field =
    Field::new("warningAddress", "警情地址", 500).personal(Personal::Text);
const ALARM_NAME: Field = Field::new("alarmName", "报警人", 50).personal(Personal::Name);
const ALARM_PHONE: Field = Field::new("alarmPhone", "报警人电话", 15).personal(Personal::Phone);
const WARNING_TIME: Field = Field::new("warningTime", "警情时间", 20);
const PLATE_DATA: Field = Field::new("plateData", "车牌信息", 500);

/// 警情信息: a police call record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    /// 警情编号: warning number; the record's natural key.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub warning_no: String,
    /// 警情内容: what the caller reported.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub warning_content: String,
    /// 警情地址: where it happened.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub warning_address: String,
    /// 报警人: caller's name.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub alarm_name: String,
    /// 报警人电话: caller's phone number.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub alarm_phone: String,
    /// 警情时间: time of the call, `yyyy-MM-dd HH:mm`.
    pub warning_time: WireDateTime,
    /// 车牌信息: plates of the vehicles involved.
    #[serde(default, deserialize_with = "crate::text::list")]
    pub plate_data: Vec<Plate>,
}

impl Validate for Warning {
    fn validate_with(&self, options: &ValidationOptions) -> Vec<Violation> {
        let mut checker = Checker::new(options);
        checker.text(&WARNING_NO, &self.warning_no);
        checker.text(&WARNING_CONTENT, &self.warning_content);
        checker.text(&WARNING_ADDRESS, &self.warning_address);
        checker.text(&ALARM_NAME, &self.alarm_name);
        checker.text(&ALARM_PHONE, &self.alarm_phone);
        checker.date_time(&WARNING_TIME, &self.warning_time, Precision::Minutes);
        checker.list(&PLATE_DATA, &self.plate_data, |checker, plate| {
            plate.check(checker)
        });
        checker.finish()
    }
}

impl Download for Warning {
    const METHOD: &'static str = "warningInstanceDownload";

    /// Returns the warning number.
    fn natural_key(&self) -> String {
        self.warning_no.clone()
    }
}

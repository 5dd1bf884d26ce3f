//! The plate sub-record shared by warnings and reports.

use serde::{Deserialize, Serialize};

use crate::dict::PlateType;
use crate::validate::{Checker, Field, Personal};

const PLATE_TYPE: Field = Field::new("plateType", "车牌类型", 50);
const PLATE_NO: Field = Field::new("plateNo", "车牌号", 50).personal(Personal::Plate);

/// 车牌信息: a vehicle's plate, as warnings and reports carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plate {
    /// 车牌类型: plate type.
    #[serde(default = "super::missing_code")]
    pub plate_type: PlateType,
    /// 车牌号: plate number, such as 粤B12345.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub plate_no: String,
}

impl Plate {
    pub(crate) fn check(&self, checker: &mut Checker<'_>) {
        checker.code(&PLATE_TYPE, &self.plate_type);
        checker.text(&PLATE_NO, &self.plate_no);
    }
}

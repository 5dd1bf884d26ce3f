//! A downloaded record as the service stores it: the raw JSON text the platform sent, and
//! either the fields decoded from it or the reason decoding failed.

/// One record of a download batch.
#[derive(Clone, Debug, PartialEq)]
pub struct DownloadedRecord {
    /// The record's decrypted JSON text exactly as it was cut from the batch.
    pub raw_json: String,
    /// The decoded fields, or the reason the record could not be decoded.
    pub decoded: Result<RecordFields, String>,
    /// Field rules the decoded record breaks (personal data masked). A record that breaks a
    /// rule is still stored and emitted; the violations go with it.
    pub violations: Vec<String>,
}

/// The fields of a decoded record that the store indexes.
#[derive(Clone, Debug, PartialEq)]
pub enum RecordFields {
    /// A J1 warning.
    Warning(WarningFields),
    /// A J2 accident.
    Accident(AccidentFields),
    /// A J5 dispatch event.
    Dispatch(DispatchFields),
}

/// Indexed fields of a warning (警情).
#[derive(Clone, Debug, PartialEq)]
pub struct WarningFields {
    /// 警情编号: warning number.
    pub warning_no: String,
    /// 警情时间: warning time as sent (`yyyy-MM-dd HH:mm`).
    pub warning_time: String,
    /// 警情地址: address.
    pub address: String,
    /// 车牌信息: plates.
    pub plates: Vec<Plate>,
}

/// Indexed fields of an accident (事故).
#[derive(Clone, Debug, PartialEq)]
pub struct AccidentFields {
    /// 事故编号: accident number.
    pub accident_no: String,
    /// 出险时间: accident time as sent.
    pub accident_time: String,
    /// 出险地点行政区: district.
    pub district: String,
    /// 事故类型: accident type code (1 single vehicle, 2 several).
    pub accident_type: String,
    /// 车牌信息: plates.
    pub plates: Vec<Plate>,
    /// 图片信息: photos to fetch.
    pub photos: Vec<PhotoRef>,
}

/// Indexed fields of a dispatch event (调度).
#[derive(Clone, Debug, PartialEq)]
pub struct DispatchFields {
    /// 报案号: report number.
    pub report_no: String,
    /// 查勘人员接单时间: time the surveyor took the task, as sent.
    pub receive_time: String,
    /// 调度类型: dispatch type code.
    pub dispatch_type: String,
    /// 任务状态: task status code (1 completed, 100 cancelled).
    pub task_type: String,
    /// 查勘人员所属公司代码: the surveyor's company code.
    pub surveyor_co: String,
}

/// A plate of a warning or accident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plate {
    /// 号牌种类: plate type code.
    pub plate_type: String,
    /// 车牌号: plate number.
    pub plate_no: String,
}

/// A photo listed by an accident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoRef {
    /// 图片类型: photo type code.
    pub photo_type: String,
    /// 图片名称: photo name.
    pub photo_name: String,
    /// 图片地址: URL, usually with an `e=` expiry in Unix seconds.
    pub url: String,
}

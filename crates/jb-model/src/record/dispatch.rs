//! J5 `dispatchInfoDownload`: survey dispatches for on-site minor accidents.

use serde::{Deserialize, Serialize};

use crate::date::{Precision, WireDateTime};
use crate::dict::{DispatchType, TaskType};
use crate::validate::{Checker, Field, Personal, Rule, Validate, ValidationOptions, Violation};

use super::Download;

const REPORT_NO: Field = Field::without_size("reportNo", "报案号");
const RECEIVE_TIME: Field = Field::without_size("receiveTime", "查勘人员接单时间");
const DISPATCH_TYPE: Field = Field::without_size("dispatchType", "调度类型");
const TASK_TYPE: Field = Field::without_size("taskType", "任务状态");
const CANCEL_REASON: Field = Field::without_size("cancelReason", "取消原因");
const USER_ID: Field = Field::without_size("userId", "查勘人员ID");
const SURVEYOR_CO: Field = Field::without_size("surveyorCo", "查勘人员所属公司代码");
const SURVEYOR_NAME: Field =
    Field::without_size("surveyorName", "查勘人员姓名").personal(Personal::Name);
const SURVEYOR_PHONE: Field =
    Field::without_size("surveyorPhone", "查勘人员手机号码").personal(Personal::Phone);

/// 调度信息: a surveyor taking, finishing or dropping an on-site survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dispatch {
    /// 报案号: report number the dispatch belongs to.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub report_no: String,
    /// 查勘人员接单时间: when the surveyor took the task, `yyyy-MM-dd HH:mm:ss`.
    pub receive_time: WireDateTime,
    /// 调度类型: how the task reached the surveyor.
    #[serde(default = "super::missing_code")]
    pub dispatch_type: DispatchType,
    /// 任务状态: completed or cancelled.
    #[serde(default = "super::missing_code")]
    pub task_type: TaskType,
    /// 取消原因: why the task was cancelled; required when it was.
    #[serde(
        default,
        deserialize_with = "crate::text::opt_trimmed",
        skip_serializing_if = "Option::is_none"
    )]
    pub cancel_reason: Option<String>,
    /// 查勘人员ID: surveyor's id.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub user_id: String,
    /// 查勘人员所属公司代码: code of the surveyor's company.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub surveyor_co: String,
    /// 查勘人员姓名: surveyor's name.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub surveyor_name: String,
    /// 查勘人员手机号码: surveyor's mobile number.
    #[serde(default, deserialize_with = "crate::text::trimmed")]
    pub surveyor_phone: String,
}

impl Validate for Dispatch {
    fn validate_with(&self, options: &ValidationOptions) -> Vec<Violation> {
        let mut checker = Checker::new(options);
        checker.text(&REPORT_NO, &self.report_no);
        checker.date_time(&RECEIVE_TIME, &self.receive_time, Precision::Seconds);
        checker.code(&DISPATCH_TYPE, &self.dispatch_type);
        checker.code(&TASK_TYPE, &self.task_type);
        let has_reason = self
            .cancel_reason
            .as_deref()
            .is_some_and(|reason| !reason.trim().is_empty());
        if self.task_type == TaskType::Cancelled && !has_reason {
            checker.report(&CANCEL_REASON, Rule::CancelReasonMissing, None);
        }
        checker.text(&USER_ID, &self.user_id);
        checker.text(&SURVEYOR_CO, &self.surveyor_co);
        checker.text(&SURVEYOR_NAME, &self.surveyor_name);
        checker.text(&SURVEYOR_PHONE, &self.surveyor_phone);
        checker.finish()
    }
}

impl Download for Dispatch {
    const METHOD: &'static str = "dispatchInfoDownload";

    /// Report number, receive time and task state, as a JSON array such as
    /// `["12345678900987654321","2019-03-07 12:01:00","100"]`: one report's completion and its
    /// cancellation are different events. The array form keeps the key unambiguous whatever
    /// the parts contain.
    fn natural_key(&self) -> String {
        let parts = [
            self.report_no.as_str(),
            self.receive_time.as_str(),
            self.task_type.code(),
        ];
        serde_json::to_string(&parts).unwrap_or_else(|_| parts.join("\u{1f}"))
    }
}

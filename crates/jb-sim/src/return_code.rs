//! The simulator's own return codes.
//!
//! The platform documents only `0000` (success) and publishes no error codes, so these codes
//! are the simulator's invention: each rejection reason gets a distinct four-character code and
//! a Chinese returnMsg that names the problem. Clients must treat any code other than `0000` as
//! an error and must not depend on these particular values against the real platform.

use serde::Serialize;

/// 返回码: outcome of one gateway request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum ReturnCode {
    /// `0000` 成功: the request was accepted.
    Success,
    /// `1001`: the body is not a JSON object with the required string fields, or serialNo is
    /// longer than 32 characters.
    BadEnvelope,
    /// `1002`: the appId is not one of the simulator's tenants.
    UnknownAppId,
    /// `1003`: the sign does not verify with the tenant's appKey.
    BadSign,
    /// `1004`: timeStamp is not a `yyyyMMddHHmmss` time, or is outside the clock window
    /// around Beijing time.
    StaleTimeStamp,
    /// `1005`: the serialNo was already used by this tenant within the clock window.
    ReplayedSerialNo,
    /// `1006`: method is not one of the five operations.
    UnknownMethod,
    /// `1007`: data is not Base64 of AES ciphertext under the tenant's key, or its plaintext
    /// is not UTF-8 JSON.
    Undecryptable,
    /// `1008`: the uploaded or download request data breaks the record rules.
    InvalidData,
    /// `1009`: the data names an insurer code other than the tenant's own.
    WrongInsurer,
    /// `9999`: the simulator failed while answering.
    Internal,
}

impl ReturnCode {
    /// Every code, in numeric order.
    pub const ALL: [ReturnCode; 11] = [
        ReturnCode::Success,
        ReturnCode::BadEnvelope,
        ReturnCode::UnknownAppId,
        ReturnCode::BadSign,
        ReturnCode::StaleTimeStamp,
        ReturnCode::ReplayedSerialNo,
        ReturnCode::UnknownMethod,
        ReturnCode::Undecryptable,
        ReturnCode::InvalidData,
        ReturnCode::WrongInsurer,
        ReturnCode::Internal,
    ];

    /// Returns the four-character `returnCode` value.
    pub fn code(self) -> &'static str {
        match self {
            ReturnCode::Success => "0000",
            ReturnCode::BadEnvelope => "1001",
            ReturnCode::UnknownAppId => "1002",
            ReturnCode::BadSign => "1003",
            ReturnCode::StaleTimeStamp => "1004",
            ReturnCode::ReplayedSerialNo => "1005",
            ReturnCode::UnknownMethod => "1006",
            ReturnCode::Undecryptable => "1007",
            ReturnCode::InvalidData => "1008",
            ReturnCode::WrongInsurer => "1009",
            ReturnCode::Internal => "9999",
        }
    }

    /// Returns the Chinese `returnMsg` that names the problem, without details.
    pub fn message(self) -> &'static str {
        match self {
            ReturnCode::Success => "成功",
            ReturnCode::BadEnvelope => "请求报文格式错误",
            ReturnCode::UnknownAppId => "appId 不存在或未开通",
            ReturnCode::BadSign => "签名校验失败",
            ReturnCode::StaleTimeStamp => "时间戳无效或超出允许的时间范围",
            ReturnCode::ReplayedSerialNo => "通讯流水号重复",
            ReturnCode::UnknownMethod => "服务接口名称不存在",
            ReturnCode::Undecryptable => "业务数据解密失败",
            ReturnCode::InvalidData => "业务数据校验不通过",
            ReturnCode::WrongInsurer => "保险公司代码与 appId 不符",
            ReturnCode::Internal => "系统内部错误",
        }
    }

    /// Finds the code with the given `returnCode` value.
    pub fn from_code(code: &str) -> Option<ReturnCode> {
        Self::ALL
            .into_iter()
            .find(|candidate| candidate.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn codes_are_distinct_four_characters() {
        let codes: HashSet<&str> = ReturnCode::ALL.iter().map(|code| code.code()).collect();

        assert_eq!(codes.len(), ReturnCode::ALL.len());
        for code in &codes {
            assert_eq!(code.len(), 4, "{code}");
        }
    }

    #[test]
    fn messages_fit_return_msg_limit() {
        for code in ReturnCode::ALL {
            assert!(code.message().encode_utf16().count() <= 100, "{code:?}");
        }
    }

    #[test]
    fn from_code_round_trips() {
        for code in ReturnCode::ALL {
            assert_eq!(ReturnCode::from_code(code.code()), Some(code));
        }
        assert_eq!(ReturnCode::from_code("0001"), None);
    }
}

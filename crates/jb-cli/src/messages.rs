//! Library errors rendered for a person, in Chinese or English.
//!
//! The libraries' `Display` text is English. For Chinese, each known variant gets its own
//! sentence here; a variant added later falls back to the English text rather than failing.

use jb_crypto::{DecryptError, VerifyError};
use jb_model::{Rule, Violation};
use jb_proto::{OpenError, SerialNoError, TimeStampError};

use crate::i18n::Lang;

/// Describes why opening an envelope failed.
pub(crate) fn open_error(lang: Lang, error: &OpenError) -> String {
    if lang == Lang::En {
        return error.to_string();
    }
    match error {
        OpenError::EmptyBody => "报文为空：应为一个 JSON 对象".to_owned(),
        OpenError::NotJson { source } => {
            format!("报文不是有效的 JSON（{source}）：应为一个 JSON 对象")
        }
        OpenError::NotObject { found } => format!("报文是 JSON {found}：应为一个 JSON 对象"),
        OpenError::DuplicateField { field } => {
            format!("报文字段 {field:?} 出现了多次：每个字段只能出现一次")
        }
        OpenError::MissingField { field } => format!("报文缺少必填字段 {field}"),
        OpenError::FieldNotString { field, found } => {
            format!("报文字段 {field} 是 JSON {found}：必须是字符串")
        }
        OpenError::BadSign(source) => format!("签名校验失败：{}", verify_error(lang, source)),
        OpenError::InvalidSerialNo(source) => {
            format!("serialNo 无效：{}", serial_no_error(lang, source))
        }
        OpenError::InvalidTimeStamp(source) => {
            format!("timeStamp 无效：{}", time_stamp_error(lang, source))
        }
        OpenError::UnknownMethod(source) => format!(
            "method {:?} 不是已知的接口：应为 warningInstanceDownload、accidentDownload、\
             reportCaseUpload、settleClaimUpload、dispatchInfoDownload 或 J1 至 J5",
            source.value
        ),
        OpenError::MethodMismatch { expected, found } => {
            format!("报文的 method 是 {found}，应为 {expected}：请检查该响应对应哪个请求")
        }
        OpenError::AppIdMismatch { expected, found } => {
            format!("报文的 appId {found:?} 与配置的 {expected:?} 不一致：请检查 appId 设置")
        }
        OpenError::Platform {
            code,
            message,
            sign_verified,
        } => {
            let unverified = if *sign_verified {
                ""
            } else {
                "（响应签名未通过校验，返回码和信息未经认证）"
            };
            format!("平台返回错误码 {code:?}，信息 {message:?}{unverified}")
        }
        OpenError::UploadRejected { message } => {
            format!("平台以 FAIL 拒绝了上传（returnMsg {message:?}）：请修正记录后重新上传")
        }
        OpenError::Decrypt(source) => format!("data 解密失败：{}", decrypt_error(lang, source)),
        OpenError::DataNotUtf8 { valid_up_to } => format!(
            "data 解密后不是有效的 UTF-8（第 {valid_up_to} 字节无效）：发送方必须加密 UTF-8 文本"
        ),
        OpenError::DataNotJson { source } => {
            format!("data 解密后不是有效的 JSON（{source}）：发送方必须加密 JSON")
        }
        OpenError::UnexpectedUploadResult { value } => {
            format!("上传响应的 data 是 {value:?}：应为 SUCCESS 或 FAIL")
        }
        other => other.to_string(),
    }
}

/// Describes why a ciphertext could not be decrypted.
pub(crate) fn decrypt_error(lang: Lang, error: &DecryptError) -> String {
    if lang == Lang::En {
        return error.to_string();
    }
    match error {
        DecryptError::InvalidBase64 { source } => {
            format!("密文不是有效的标准 Base64（{source}）：请原样传入收到的 data 字段")
        }
        DecryptError::InvalidLength { length } => format!(
            "密文解码后为 {length} 字节，不是 16 字节 AES 分组的正整数倍：请检查 data 是否完整、是否已加密"
        ),
        DecryptError::BadPadding => {
            "解密后的 PKCS#7 填充无效：请检查 appKey 是否正确、data 是否被改动".to_owned()
        }
        DecryptError::NotUtf8 { valid_up_to } => format!(
            "解密后的数据不是有效的 UTF-8（第 {valid_up_to} 字节无效）：发送方必须加密 UTF-8 文本"
        ),
        other => other.to_string(),
    }
}

/// Describes why a sign was rejected.
pub(crate) fn verify_error(lang: Lang, error: &VerifyError) -> String {
    if lang == Lang::En {
        return error.to_string();
    }
    match error {
        VerifyError::InvalidLength { length } => {
            format!("sign 长度为 {length} 字节：应为 40 位十六进制的 SHA-1 摘要")
        }
        VerifyError::InvalidHex => {
            "sign 含有 0-9、a-f、A-F 以外的字符：应为 40 位十六进制数字".to_owned()
        }
        VerifyError::Mismatch => {
            "sign 与字段和 appKey 计算的结果不一致：请检查 appKey，以及签名后是否改动过字段"
                .to_owned()
        }
        other => other.to_string(),
    }
}

/// Describes why a serialNo was rejected.
pub(crate) fn serial_no_error(lang: Lang, error: &SerialNoError) -> String {
    if lang == Lang::En {
        return error.to_string();
    }
    match error {
        SerialNoError::Empty => "serialNo 为空：应为 1 到 32 个字符".to_owned(),
        SerialNoError::TooLong { value, length } => {
            format!("serialNo {value:?} 有 {length} 个字符：最多 32 个")
        }
        other => other.to_string(),
    }
}

/// Describes why a timeStamp was rejected.
pub(crate) fn time_stamp_error(lang: Lang, error: &TimeStampError) -> String {
    if lang == Lang::En {
        return error.to_string();
    }
    match error {
        TimeStampError::InvalidFormat { value } => {
            format!("timeStamp {value:?} 不是 14 位数字 yyyyMMddHHmmss：请使用该格式的北京时间")
        }
        TimeStampError::NotARealTime { value } => {
            format!("timeStamp {value:?} 不是真实的日期时间：请检查月、日、时、分、秒")
        }
        TimeStampError::OutOfRange => {
            "时间超出 timeStamp 能表示的 0 到 9999 年：请检查系统时钟".to_owned()
        }
        other => other.to_string(),
    }
}

/// Describes one broken field rule: path, Chinese field name, rule and masked value.
pub(crate) fn violation(lang: Lang, violation: &Violation) -> String {
    if lang == Lang::En {
        return violation.to_string();
    }
    let mut line = format!(
        "{}（{}）：{}",
        violation.path,
        violation.field_zh,
        rule(lang, &violation.rule)
    );
    if let Some(value) = &violation.value {
        line.push_str(&format!("；当前值 `{value}`"));
    }
    line
}

/// Describes a field rule.
pub(crate) fn rule(lang: Lang, rule: &Rule) -> String {
    if lang == Lang::En {
        return rule.to_string();
    }
    match rule {
        Rule::Required => "必填，请填写".to_owned(),
        Rule::TooLong { max, length } => {
            format!("过长：{length} 个 UTF-16 码元，最多 {max} 个")
        }
        Rule::DateFormat { expected } => format!("格式无效，应写作 {expected}"),
        Rule::MoneyFormat => "金额无效：整数部分最多 12 位，小数最多 2 位".to_owned(),
        Rule::UnknownCode { table } => {
            format!("代码不在代码表 `{table}` 中：请使用表中代码（jb dict {table} 列出全部代码）")
        }
        Rule::NotAllowed { table } => {
            let allowed: Vec<&str> = jb_model::table(table)
                .map(|found| {
                    found
                        .rows
                        .iter()
                        .filter_map(|row| row.first().copied())
                        .collect()
                })
                .unwrap_or_default();
            format!("取值无效，应为 {} 之一", allowed.join("、"))
        }
        Rule::SumMismatch { total, sum } => {
            format!("总额 {total} 与各笔赔款之和 {sum} 不一致：请使两者相等")
        }
        Rule::CertificateIncomplete => {
            "certificateType 与 certificateNo 须同时填写或同时留空".to_owned()
        }
        Rule::CancelReasonMissing => "taskType 为 100（取消）时必填，请填写取消原因".to_owned(),
        Rule::AddressRepeatsRegion { part } => {
            format!("以 `{part}` 开头，省市区应只填在各自的字段中：请从地址中去掉")
        }
        Rule::NotANumber => "不是十进制数字：经纬度请写作如 114.062016 的度数".to_owned(),
        other => other.to_string(),
    }
}

/// Renders an operating-system error. In Chinese a common kind gets a Chinese phrase with the
/// system's text kept in brackets; other kinds keep the system's text.
pub(crate) fn io_error(lang: Lang, error: &std::io::Error) -> String {
    use std::io::ErrorKind;

    if lang == Lang::En {
        return error.to_string();
    }
    let kind = match error.kind() {
        ErrorKind::PermissionDenied => "权限不足",
        ErrorKind::NotFound => "文件或目录不存在",
        ErrorKind::AlreadyExists => "已存在",
        ErrorKind::StorageFull => "磁盘已满",
        ErrorKind::ReadOnlyFilesystem => "文件系统只读",
        ErrorKind::IsADirectory => "这是一个目录，不是文件",
        ErrorKind::NotADirectory => "路径中有一段不是目录",
        _ => return error.to_string(),
    };
    format!("{kind}（{error}）")
}

//! The five operations of the platform, J1 to J5.

use std::fmt;
use std::str::FromStr;

use crate::error::truncate_for_message;

/// method (服务接口名称): the operation an envelope carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Method {
    /// J1 `warningInstanceDownload` (警情信息下载): police call records.
    WarningInstanceDownload,
    /// J2 `accidentDownload` (事故信息下载): minor accidents handled remotely.
    AccidentDownload,
    /// J3 `reportCaseUpload` (报案信息上传): the insurer's claim reports.
    ReportCaseUpload,
    /// J4 `settleClaimUpload` (理赔信息上传): the insurer's settled claims.
    SettleClaimUpload,
    /// J5 `dispatchInfoDownload` (调度信息下载): survey dispatch records.
    DispatchInfoDownload,
}

impl Method {
    /// Every operation, in the order J1 to J5.
    pub const ALL: [Method; 5] = [
        Method::WarningInstanceDownload,
        Method::AccidentDownload,
        Method::ReportCaseUpload,
        Method::SettleClaimUpload,
        Method::DispatchInfoDownload,
    ];

    /// Returns the name sent in the `method` field, such as `accidentDownload`.
    pub const fn wire_name(self) -> &'static str {
        match self {
            Method::WarningInstanceDownload => "warningInstanceDownload",
            Method::AccidentDownload => "accidentDownload",
            Method::ReportCaseUpload => "reportCaseUpload",
            Method::SettleClaimUpload => "settleClaimUpload",
            Method::DispatchInfoDownload => "dispatchInfoDownload",
        }
    }

    /// Returns the short code the platform's document numbers the operation with, `J1` to `J5`.
    pub const fn code(self) -> &'static str {
        match self {
            Method::WarningInstanceDownload => "J1",
            Method::AccidentDownload => "J2",
            Method::ReportCaseUpload => "J3",
            Method::SettleClaimUpload => "J4",
            Method::DispatchInfoDownload => "J5",
        }
    }

    /// Returns `true` for J1, J2 and J5, whose response `data` is a JSON list of records.
    pub const fn is_download(self) -> bool {
        matches!(
            self,
            Method::WarningInstanceDownload
                | Method::AccidentDownload
                | Method::DispatchInfoDownload
        )
    }

    /// Returns `true` for J3 and J4, whose response `data` is `SUCCESS` or `FAIL`.
    pub const fn is_upload(self) -> bool {
        !self.is_download()
    }

    /// Looks up the operation by its wire name, exactly as the platform spells it.
    pub fn from_wire_name(name: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|method| method.wire_name() == name)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire_name())
    }
}

/// Parses a wire name (`accidentDownload`, case-sensitive) or a code (`J2` or `j2`).
impl FromStr for Method {
    type Err = UnknownMethod;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let by_code = Method::ALL
            .into_iter()
            .find(|method| method.code().eq_ignore_ascii_case(text));

        by_code
            .or_else(|| Method::from_wire_name(text))
            .ok_or_else(|| UnknownMethod {
                value: truncate_for_message(text),
            })
    }
}

/// A `method` value that names none of the five operations.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "method {value:?} is not a known operation; use one of warningInstanceDownload, \
     accidentDownload, reportCaseUpload, settleClaimUpload, dispatchInfoDownload or J1 to J5"
)]
pub struct UnknownMethod {
    /// Rejected value, shortened if long.
    pub value: String,
}

#[cfg(test)]
mod tests {
    use super::Method;

    #[test]
    fn wire_names_and_codes_match_platform() {
        let expected = [
            ("J1", "warningInstanceDownload", true),
            ("J2", "accidentDownload", true),
            ("J3", "reportCaseUpload", false),
            ("J4", "settleClaimUpload", false),
            ("J5", "dispatchInfoDownload", true),
        ];

        for (method, (code, wire_name, is_download)) in Method::ALL.into_iter().zip(expected) {
            assert_eq!(method.code(), code);
            assert_eq!(method.wire_name(), wire_name, "wire name of {code}");
            assert_eq!(method.is_download(), is_download, "is_download of {code}");
            assert_eq!(method.is_upload(), !is_download, "is_upload of {code}");
        }
    }

    #[test]
    fn from_str_accepts_wire_name_and_code() {
        for method in Method::ALL {
            assert_eq!(method.wire_name().parse::<Method>(), Ok(method));
            assert_eq!(method.code().parse::<Method>(), Ok(method));
            assert_eq!(method.code().to_lowercase().parse::<Method>(), Ok(method));
        }
    }

    #[test]
    fn from_str_rejects_unknown_names() {
        for text in [
            "",
            "J0",
            "J6",
            "AccidentDownload",
            "accidentdownload",
            " J1",
        ] {
            let error = text.parse::<Method>().expect_err(text);

            assert_eq!(error.value, text);
        }
    }

    #[test]
    fn display_is_wire_name() {
        assert_eq!(Method::SettleClaimUpload.to_string(), "settleClaimUpload");
    }
}

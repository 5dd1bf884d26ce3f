//! The request data of every download: the insurer's code.

use serde::{Deserialize, Serialize};

use crate::dict::Insurer;
use crate::validate::{Checker, Field, Validate, ValidationOptions, Violation};

const INSURANCE_CODE: Field = Field::new("insuranceCode", "保险公司编号", 32);

/// Request data of the downloads (J1, J2, J5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadRequest {
    /// 保险公司编号: the insurer asking.
    #[serde(default = "super::missing_code")]
    pub insurance_code: Insurer,
}

impl DownloadRequest {
    /// Builds the request of `insurer`.
    pub const fn new(insurer: Insurer) -> Self {
        Self {
            insurance_code: insurer,
        }
    }
}

impl Validate for DownloadRequest {
    fn validate_with(&self, options: &ValidationOptions) -> Vec<Violation> {
        let mut checker = Checker::new(options);
        checker.code(&INSURANCE_CODE, &self.insurance_code);
        checker.finish()
    }
}

//! Codes and names from the platform's dictionaries, as the generators need them.

use jb_model::{AccidentCause, Insurer, PhotoType};

/// Returns every known insurer code.
pub(super) fn insurer_codes() -> Vec<&'static str> {
    Insurer::ALL.iter().map(|insurer| insurer.code()).collect()
}

/// Returns the Chinese name of an insurer, `None` for a code the dictionary does not list.
pub(super) fn insurer_name(code: &str) -> Option<&'static str> {
    Insurer::from_code(code).name()
}

/// Returns the Chinese name of a photo type.
pub(super) fn photo_type_name(code: &str) -> Option<&'static str> {
    PhotoType::from_code(code).name()
}

/// Returns every known accident cause code.
pub(super) fn accident_causes() -> Vec<&'static str> {
    AccidentCause::ALL
        .iter()
        .map(|cause| cause.code())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_not_empty() {
        assert!(!insurer_codes().is_empty());
        assert!(!accident_causes().is_empty());
    }

    #[test]
    fn names_of_known_codes() {
        assert_eq!(
            insurer_name("CPIC"),
            Some("中国太平洋财产保险股份有限公司深圳分公司")
        );
        assert_eq!(photo_type_name("RR"), Some("责任认定书"));
        assert_eq!(insurer_name("NOPE"), None);
    }
}

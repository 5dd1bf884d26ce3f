//! Language of what `jb` prints for a person: Chinese or English.
//!
//! The language comes from `--lang` when given, else from the locale (`LC_ALL`, then
//! `LC_MESSAGES`, then `LANG`). A locale starting with `zh`, or no locale at all (unset, `C`,
//! `POSIX`), selects Chinese, because the tool's first users are Chinese teams. A locale
//! starting with `en`, or any other language, selects English.

pub(crate) mod clap_error;
pub(crate) mod help;

use std::ffi::OsString;

use clap::Command;

/// Language of terminal output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Lang {
    /// 中文
    Zh,
    /// English
    En,
}

impl Lang {
    /// Chooses the language from a `--lang` argument, else from the locale variables.
    pub(crate) fn detect(args: &[OsString]) -> Lang {
        if let Some(lang) = lang_argument(args) {
            return lang;
        }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find(|value| !value.is_empty());
        Lang::from_locale(locale.as_deref())
    }

    /// Maps a POSIX locale value such as `zh_CN.UTF-8` or `en_US.UTF-8` to a language.
    pub(crate) fn from_locale(locale: Option<&str>) -> Lang {
        match locale.map(str::trim) {
            None | Some("") | Some("C") | Some("POSIX") => Lang::Zh,
            Some(value) if value.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            Some(value) if value.starts_with("C.") => Lang::Zh,
            Some(_) => Lang::En,
        }
    }

    /// Returns the Chinese or the English variant of a message.
    pub(crate) fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Reads `--lang VALUE` or `--lang=VALUE` before clap parses, so that clap's own help is
/// already localized. An unknown value is left for clap to reject.
fn lang_argument(args: &[OsString]) -> Option<Lang> {
    let mut iter = args.iter().skip(1).map(|arg| arg.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        let value = if arg == "--lang" {
            iter.next().map(|value| value.into_owned())
        } else {
            arg.strip_prefix("--lang=").map(str::to_owned)
        };
        match value.as_deref() {
            Some("zh") => return Some(Lang::Zh),
            Some("en") => return Some(Lang::En),
            _ => {}
        }
    }
    None
}

/// Rewrites the help of a clap command tree into `lang`.
///
/// The command definitions carry English help. For Chinese, each `about` and argument help is
/// replaced by its entry in the translation table, and clap's own headings and flags are
/// replaced too.
pub(crate) fn localize(command: Command, lang: Lang) -> Command {
    match lang {
        Lang::En => command,
        Lang::Zh => help::translate_tree(command),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_locale_unset_is_chinese() {
        assert_eq!(Lang::from_locale(None), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("C")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("C.UTF-8")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("POSIX")), Lang::Zh);
    }

    #[test]
    fn from_locale_zh_and_en() {
        assert_eq!(Lang::from_locale(Some("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("zh_TW")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(Some("fr_FR.UTF-8")), Lang::En);
    }

    #[test]
    fn lang_argument_both_spellings() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            lang_argument(&args(&["jb", "--lang", "en"])),
            Some(Lang::En)
        );
        assert_eq!(
            lang_argument(&args(&["jb", "sign", "--lang=zh"])),
            Some(Lang::Zh)
        );
        assert_eq!(lang_argument(&args(&["jb", "sign"])), None);
        assert_eq!(lang_argument(&args(&["jb", "--", "--lang", "en"])), None);
    }
}

//! Chinese help text for the `jb` command tree.
//!
//! The clap definitions in `cli.rs` hold the English text. [`ZH`] maps each English help line
//! to its Chinese line; a test walks the whole tree and fails when a line has no translation,
//! so adding an option without its Chinese help breaks the build's tests, not the user.

use clap::{Arg, ArgAction, Command};

/// English help line → Chinese help line. Commands add their rows here.
pub(super) static ZH: &[(&str, &str)] = &[
    (
        "Tools for the Shenzhen police-insurance information sharing platform",
        "深圳市警保信息共享平台对接工具",
    ),
    (
        "Language of messages and help: zh or en (default: from the locale)",
        "提示与帮助的语言：zh 或 en（默认取自系统区域设置）",
    ),
];

/// Looks up the Chinese text of an English help line.
pub(super) fn lookup(english: &str) -> Option<&'static str> {
    ZH.iter()
        .find(|(source, _)| *source == english)
        .map(|(_, target)| *target)
}

/// Translates one command and, recursively, its subcommands.
pub(super) fn translate_tree(command: Command) -> Command {
    let command = translate_command(command);
    command.mut_subcommands(translate_tree)
}

fn translate_command(mut command: Command) -> Command {
    if let Some(text) = command
        .get_about()
        .and_then(|about| lookup(&about.to_string()))
    {
        command = command.about(text);
    }
    if let Some(text) = command
        .get_long_about()
        .and_then(|about| lookup(&about.to_string()))
    {
        command = command.long_about(text);
    }

    let has_version = command.get_version().is_some();
    command = command
        .mut_args(translate_arg)
        .help_template("{before-help}{about-with-newline}\n用法: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        );
    if has_version {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        );
    }
    command
}

fn translate_arg(mut arg: Arg) -> Arg {
    if let Some(text) = arg.get_help().and_then(|help| lookup(&help.to_string())) {
        arg = arg.help(text);
    }
    if let Some(text) = arg
        .get_long_help()
        .and_then(|help| lookup(&help.to_string()))
    {
        arg = arg.long_help(text);
    }
    let heading = if arg.is_positional() {
        "参数"
    } else {
        "选项"
    };
    arg.help_heading(heading)
}

//! Help and command-line errors of `jb` in Chinese and English: clap's own English text must
//! not reach a person who runs `jb` in Chinese.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

/// Runs `jb ARGS` with `LANG` set to `locale`.
fn jb(locale: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jb"))
        .args(args)
        .env("LANG", locale)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap()
}

fn chinese(args: &[&str]) -> Output {
    jb("zh_CN.UTF-8", args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Every command path of the tree, as `jb help` takes it.
const COMMANDS: &[&[&str]] = &[
    &[],
    &["sign"],
    &["verify"],
    &["explain-sign"],
    &["encrypt"],
    &["decrypt"],
    &["seal"],
    &["open"],
    &["sim"],
    &["validate"],
    &["parse"],
    &["dict"],
    &["download"],
    &["upload"],
    &["sync"],
    &["status"],
    &["outbox"],
    &["outbox", "list"],
    &["outbox", "show"],
    &["outbox", "retry"],
    &["demo"],
];

/// English words of clap's help and errors that must not appear in Chinese output.
const CLAP_ENGLISH: &[&str] = &[
    "Usage",
    "Options:",
    "Arguments:",
    "Commands:",
    "[OPTIONS]",
    "possible values",
    "Possible values",
    "[env:",
    "Print help",
    "error:",
    "tip:",
    "For more information",
];

fn assert_no_clap_english(text: &str, context: &str) {
    for word in CLAP_ENGLISH {
        assert!(!text.contains(word), "{context}: {word:?} in\n{text}");
    }
}

#[test]
fn help_subcommand_works_in_both_languages() {
    for locale in ["zh_CN.UTF-8", "en_US.UTF-8"] {
        for path in COMMANDS {
            let mut args = vec!["help"];
            args.extend_from_slice(path);

            let output = jb(locale, &args);

            assert_eq!(
                output.status.code(),
                Some(0),
                "{locale} {args:?}: {}",
                stderr(&output)
            );
            assert!(!stdout(&output).is_empty(), "{locale} {args:?}");
        }
    }
}

#[test]
fn help_nested_subcommand_form() {
    let output = chinese(&["outbox", "help", "list"]);

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("jb outbox list"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn help_unknown_command_exits_2() {
    let output = chinese(&["help", "nope"]);

    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("'nope'"), "{}", stderr(&output));
}

#[test]
fn help_chinese_has_no_clap_english() {
    for path in COMMANDS {
        let mut short = path.to_vec();
        short.push("-h");
        let mut long = path.to_vec();
        long.push("--help");

        for args in [short, long] {
            let output = chinese(&args);

            assert_eq!(output.status.code(), Some(0), "{args:?}");
            assert_no_clap_english(&stdout(&output), &format!("{args:?}"));
        }
    }
}

#[test]
fn help_chinese_states_env_and_values() {
    let sim = stdout(&chinese(&["sim", "-h"]));
    let parse = stdout(&chinese(&["parse", "-h"]));

    assert!(sim.contains("JB_INSURANCE_CODE"), "{sim}");
    assert!(parse.contains("warnings"), "{parse}");
    assert!(
        parse.contains("标准输入"),
        "parse says it reads stdin: {parse}"
    );
}

#[test]
fn help_positionals_in_usage_order() {
    for command in ["validate", "upload", "parse"] {
        let help = stdout(&chinese(&[command, "-h"]));

        let kind = help.find("  <KIND>").unwrap();
        // An optional FILE is written `[FILE]`.
        let file = help
            .find("  <FILE>")
            .or_else(|| help.find("  [FILE]"))
            .unwrap();
        assert!(
            kind < file,
            "{command}: <KIND> listed before <FILE>\n{help}"
        );
    }
}

#[test]
fn validate_help_links_records_page() {
    let zh = stdout(&chinese(&["validate", "--help"]));
    let en = stdout(&jb("en_US.UTF-8", &["validate", "--help"]));

    assert!(zh.contains("docs/zh/records.md"), "{zh}");
    assert!(en.contains("docs/en/records.md"), "{en}");
}

#[test]
fn error_unknown_subcommand_chinese_with_suggestion() {
    let output = chinese(&["synk"]);

    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("'synk'"), "{message}");
    assert!(message.contains("'sync'"), "suggestion: {message}");
    assert!(message.contains("用法: jb [选项] <命令>"), "{message}");
    assert_no_clap_english(&message, "jb synk");
}

#[test]
fn error_common_kinds_chinese_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (&["sign", "--bogus"], "无法识别的参数 '--bogus'"),
        (&["upload", "report"], "缺少必需的参数"),
        (&["validate", "reprt", "x.json"], "'reprt' 不是参数"),
        (&["validate", "reprt", "x.json"], "可选值：report、claim"),
        (&["download", "warnings", "--config"], "需要一个值"),
        (
            &["upload", "report", "r.json", "--queue", "--dry-run"],
            "不能与",
        ),
        (&["parse", "warnings", "a.json", "b.json"], "参数"),
    ];
    for (args, expected) in cases {
        let output = chinese(args);

        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = stderr(&output);
        assert!(message.contains(expected), "{args:?}: {message}");
        assert_no_clap_english(&message, &format!("{args:?}"));
    }
}

#[test]
fn error_english_mode_keeps_clap_text() {
    let output = jb("en_US.UTF-8", &["synk"]);

    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unrecognized subcommand 'synk'"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn lang_option_overrides_locale() {
    let english = jb("zh_CN.UTF-8", &["--lang", "en", "synk"]);
    let chinese = jb("en_US.UTF-8", &["--lang", "zh", "synk"]);

    assert!(
        stderr(&english).contains("unrecognized subcommand"),
        "{}",
        stderr(&english)
    );
    assert!(
        stderr(&chinese).contains("没有名为 'synk'"),
        "{}",
        stderr(&chinese)
    );
}

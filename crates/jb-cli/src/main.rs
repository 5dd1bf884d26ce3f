//! `jb`: debug, validate, download, upload, simulate and synchronise with the Shenzhen
//! police-insurance platform.

mod cli;
mod commands;
mod config;
mod credentials;
mod failure;
mod i18n;
mod logging;
mod messages;
mod record_json;
mod stdio;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::Cli;
use crate::i18n::Lang;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = Lang::detect(&args);

    let command = i18n::localize(Cli::command(), lang);
    let matches = match command.clone().try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(error) => return report_clap_error(&error, lang),
    };
    if let Some(path) = help_request(&matches) {
        return print_help(command, &path);
    }
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => return report_clap_error(&error, lang),
    };

    match commands::run(cli, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{}", failure.message);
            ExitCode::from(failure.code as u8)
        }
    }
}

/// Prints a clap error, help or version. clap prints help and version to stdout with exit 0
/// and usage errors to stderr with exit 2. In Chinese, the common errors are rendered in
/// Chinese and the usage placeholder of help is translated; other errors keep clap's text.
fn report_clap_error(error: &clap::Error, lang: Lang) -> ExitCode {
    let exit_code = ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
    if lang == Lang::En {
        // The write can fail only on a closed stream, where nothing more can be reported.
        let _ = error.print();
        return exit_code;
    }
    let text = match i18n::clap_error::render_zh(error) {
        Some(text) => text,
        None => i18n::clap_error::translate_usage(&error.render().to_string()),
    };
    let text = text.trim_end();
    if error.use_stderr() {
        eprintln!("{text}");
    } else {
        println!("{text}");
    }
    exit_code
}

/// Returns the subcommand path after the Chinese tree's `help` subcommand, such as
/// `["outbox", "list"]` for `jb outbox help list` or `jb help outbox list`.
fn help_request(matches: &clap::ArgMatches) -> Option<Vec<String>> {
    let mut path = Vec::new();
    let mut current = matches;
    while let Some((name, sub)) = current.subcommand() {
        if name == i18n::help::HELP_SUBCOMMAND {
            let named = sub
                .get_many::<String>(i18n::help::HELP_PATH)
                .into_iter()
                .flatten()
                .cloned();
            path.extend(named);
            return Some(path);
        }
        path.push(name.to_owned());
        current = sub;
    }
    None
}

/// Prints the help of the command at `path` in the Chinese tree (exit 0), or an error naming
/// the unknown subcommand (exit 2).
fn print_help(mut root: clap::Command, path: &[String]) -> ExitCode {
    root.build();
    let mut command = &mut root;
    for name in path {
        let Some(sub) = command.find_subcommand_mut(name) else {
            eprintln!("错误：没有名为 '{name}' 的子命令\n\n运行 jb help 可列出全部子命令");
            return ExitCode::from(2);
        };
        command = sub;
    }
    let help = command.render_help().to_string();
    println!("{}", i18n::clap_error::translate_usage(help.trim_end()));
    ExitCode::SUCCESS
}

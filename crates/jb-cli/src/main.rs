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
    let matches = match command.try_get_matches_from(&args) {
        Ok(matches) => matches,
        // clap prints help and version to stdout with exit 0, usage errors to stderr with 2.
        Err(error) => error.exit(),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };

    match commands::run(cli, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{}", failure.message);
            ExitCode::from(failure.code as u8)
        }
    }
}

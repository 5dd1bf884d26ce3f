//! One module per `jb` subcommand; `run` dispatches to them.

use crate::cli::{Cli, Command};
use crate::failure::Failure;
use crate::i18n::Lang;

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli, lang: Lang) -> Result<(), Failure> {
    let _ = lang;
    match cli.command {}
}

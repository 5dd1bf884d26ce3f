//! One module per `jb` subcommand; `run` dispatches to them.

pub(crate) mod cipher;
pub(crate) mod demo;
pub(crate) mod dict;
pub(crate) mod download;
pub(crate) mod open;
pub(crate) mod outbox;
pub(crate) mod parse;
pub(crate) mod platform_client;
pub(crate) mod seal;
pub(crate) mod sign;
pub(crate) mod sim;
pub(crate) mod status;
pub(crate) mod sync;
pub(crate) mod sync_common;
pub(crate) mod sync_progress;
pub(crate) mod upload;
pub(crate) mod validate;

use crate::cli::{Cli, Command};
use crate::failure::Failure;
use crate::i18n::Lang;

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli, lang: Lang) -> Result<(), Failure> {
    match &cli.command {
        Command::Sign(args) => sign::run_sign(args, lang),
        Command::Verify(args) => sign::run_verify(args, lang),
        Command::ExplainSign(args) => sign::run_explain_sign(args, lang),
        Command::Encrypt(args) => cipher::run_encrypt(args, lang),
        Command::Decrypt(args) => cipher::run_decrypt(args, lang),
        Command::Seal(args) => seal::run(args, lang),
        Command::Open(args) => open::run(args, lang),
        Command::Sim(args) => sim::run(args, lang),
        Command::Validate(args) => validate::run(args, lang),
        Command::Parse(args) => parse::run(args, lang),
        Command::Dict(args) => dict::run(args, lang),
        Command::Download(args) => download::run(args, lang),
        Command::Upload(args) => upload::run(args, lang),
        Command::Sync(args) => sync::run(args, lang),
        Command::Status(args) => status::run(args, lang),
        Command::Outbox(args) => outbox::run(args, lang),
        Command::Demo(args) => demo::run(args, lang),
    }
}

//! The command-line grammar of `jb`. Help text here is English; `i18n` translates it.

use clap::{Parser, Subcommand};

use crate::commands;
use crate::i18n::Lang;

/// Tools for the Shenzhen police-insurance information sharing platform
#[derive(Debug, Parser)]
#[command(name = "jb", version)]
pub(crate) struct Cli {
    /// Language of messages and help: zh or en (default: from the locale)
    #[arg(long, global = true, value_enum)]
    pub(crate) lang: Option<Lang>,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands. Each variant's arguments live in its module under `commands/`.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print the sign of the envelope on stdin (every field but sign)
    Sign(commands::sign::SignArgs),
    /// Check the sign of the envelope on stdin
    Verify(commands::sign::SignArgs),
    /// Show how the sign of the envelope on stdin is computed, step by step
    ExplainSign(commands::sign::SignArgs),
    /// Encrypt stdin into one line of Base64 data
    Encrypt(commands::cipher::EncryptArgs),
    /// Decrypt the Base64 data on stdin
    Decrypt(commands::cipher::DecryptArgs),
    /// Seal the business JSON on stdin into a signed request envelope
    Seal(commands::seal::SealArgs),
    /// Check a request or response envelope on stdin and print its business data
    Open(commands::open::OpenArgs),
    /// Run a simulator of the platform gateway on this machine until Ctrl+C
    Sim(commands::sim::SimArgs),
    /// Check a report or claim file against every field rule of the platform
    #[command(
        after_help = "Every field of a report and a claim, with a complete example of each: docs/en/records.md"
    )]
    Validate(commands::validate::ValidateArgs),
    /// Decode the decrypted data of a download, from a file or stdin, record by record
    Parse(commands::parse::ParseArgs),
    /// Show the platform's code tables
    Dict(commands::dict::DictArgs),
    /// Download records from the platform and print them as JSON
    Download(commands::download::DownloadArgs),
    /// Validate a report or claim file and upload it to the platform
    Upload(commands::upload::UploadArgs),
    /// Keep a local store in step with the platform: poll, store, emit, fetch photos, send uploads
    Sync(commands::sync::SyncArgs),
    /// Show what jb sync has done, from its database
    Status(commands::status::StatusArgs),
    /// List, inspect and retry the uploads queued for jb sync
    Outbox(commands::outbox::OutboxArgs),
    /// Run the main job against a local simulator: two sync cycles and the example uploads
    Demo(commands::demo::DemoArgs),
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;
    use crate::i18n::help::lookup;

    /// Collects every help line of the tree that has no Chinese translation.
    fn untranslated(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        let path = format!("{path} {}", command.get_name());
        for about in [
            command.get_about(),
            command.get_long_about(),
            command.get_after_help(),
        ]
        .into_iter()
        .flatten()
        {
            let text = about.to_string();
            if lookup(&text).is_none() {
                missing.push(format!("{path}: {text}"));
            }
        }
        for arg in command.get_arguments() {
            for help in [arg.get_help(), arg.get_long_help()].into_iter().flatten() {
                let text = help.to_string();
                if lookup(&text).is_none() {
                    missing.push(format!("{path} --{}: {text}", arg.get_id()));
                }
            }
        }
        for sub in command.get_subcommands() {
            untranslated(sub, &path, missing);
        }
    }

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_every_line_translated() {
        let mut missing = Vec::new();
        untranslated(&Cli::command(), "", &mut missing);
        assert!(
            missing.is_empty(),
            "help lines without a Chinese row in i18n/help.rs:\n{}",
            missing.join("\n")
        );
    }
}

//! The error a command returns: a message already in the user's language and an exit code.

use std::fmt;

/// Exit status of `jb`, shared by every command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum ExitStatus {
    /// The input was read but rejected: bad sign, bad ciphertext, invalid JSON, a platform error.
    Rejected = 1,
    /// The command line itself is wrong or incomplete: a missing key, an unknown value.
    Usage = 2,
}

/// A command's failure, printed on stderr by `main`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: ExitStatus,
    pub(crate) message: String,
}

impl Failure {
    /// Input that was read and rejected (exit 1).
    pub(crate) fn rejected(message: impl Into<String>) -> Self {
        Self {
            code: ExitStatus::Rejected,
            message: message.into(),
        }
    }

    /// A usage error (exit 2).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self {
            code: ExitStatus::Usage,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

//! The three download operations the service polls.

use std::fmt;

/// A download operation of the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    /// 警情信息下载 (`warningInstanceDownload`): police call records.
    Warnings,
    /// 事故信息下载 (`accidentDownload`): minor accidents handled remotely, with photo URLs.
    Accidents,
    /// 调度信息下载 (`dispatchInfoDownload`): survey dispatch events.
    Dispatches,
}

impl Operation {
    /// Every operation, in the order a cycle polls them.
    pub const ALL: [Operation; 3] = [
        Operation::Warnings,
        Operation::Accidents,
        Operation::Dispatches,
    ];

    /// The name the store, the logs and the NDJSON output use: `warnings`, `accidents` or
    /// `dispatches`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Warnings => "warnings",
            Operation::Accidents => "accidents",
            Operation::Dispatches => "dispatches",
        }
    }

    /// The platform's method name for this download.
    pub fn wire_method(self) -> &'static str {
        match self {
            Operation::Warnings => "warningInstanceDownload",
            Operation::Accidents => "accidentDownload",
            Operation::Dispatches => "dispatchInfoDownload",
        }
    }

    /// Parses the name written by [`Operation::as_str`].
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL
            .into_iter()
            .find(|operation| operation.as_str() == name)
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_name_round_trips_every_operation() {
        for operation in Operation::ALL {
            assert_eq!(Operation::from_name(operation.as_str()), Some(operation));
        }
        assert_eq!(Operation::from_name("uploads"), None);
    }
}

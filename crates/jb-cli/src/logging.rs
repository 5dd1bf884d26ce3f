//! Log output of the long-running commands: `tracing` lines on stderr.

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Reads the filter from `RUST_LOG`, else uses `default_filter` (such as `warn`).
fn filter(default_filter: &str) -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter))
}

/// Logs on stderr at `default_filter` unless `RUST_LOG` sets another filter. Colours are used
/// only when stderr is a terminal, so log files stay plain text.
pub(crate) fn init_stderr(default_filter: &str) {
    init_with_writer(
        default_filter,
        std::io::stderr,
        std::io::stderr().is_terminal(),
    );
}

/// Logs through `writer` at `default_filter` unless `RUST_LOG` sets another filter.
pub(crate) fn init_with_writer<W>(default_filter: &str, writer: W, ansi: bool)
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    // A subscriber already installed, by a test harness for instance, is kept.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter(default_filter))
        .with_ansi(ansi)
        .with_writer(writer)
        .try_init();
}

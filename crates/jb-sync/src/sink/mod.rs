//! Sinks: where new record versions are emitted, one NDJSON line each.

mod file;
mod line;
mod stdout;

use std::io;

pub use file::NdjsonFile;
pub(crate) use line::render_line;
pub use stdout::Stdout;

/// One line to emit: the version id it carries and its JSON text, without the newline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmittedLine {
    /// The record version's id, also the `version_id` field of the line.
    pub version_id: i64,
    /// The line's JSON text.
    pub text: String,
}

/// A destination of the stream of record versions.
///
/// The emitter writes versions in id order and records, per sink, the last id written once
/// [`Sink::write_lines`] has returned. A sink that can read back what it wrote implements
/// [`Sink::recover`], which closes the gap a crash leaves between a durable write and the
/// recorded cursor: that is what makes its output exactly-once.
pub trait Sink: Send + 'static {
    /// A stable name; the store keys the sink's cursor by it.
    fn name(&self) -> &str;

    /// Repairs a torn last line left by a crash and returns the greatest version id the sink
    /// durably holds, if it can tell. Called before the first write and after a failed one.
    fn recover(&mut self) -> io::Result<Option<i64>>;

    /// Writes the lines in order and returns once they are durable (flushed, and synced to disk
    /// where the sink is a file).
    fn write_lines(&mut self, lines: &[EmittedLine]) -> io::Result<()>;
}

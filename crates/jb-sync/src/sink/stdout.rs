//! The standard-output sink.

use std::io::{self, Write};

use super::{EmittedLine, Sink};

/// Writes each line to standard output and flushes.
///
/// NOTE: standard output cannot be read back, so this sink cannot tell after a crash which of
/// its last lines were written: a crash between the flush and the cursor's commit emits those
/// lines again on the next start. Consumers that need exactly-once de-duplicate by
/// `version_id`, or use the NDJSON file sink.
#[derive(Debug, Default)]
pub struct Stdout;

impl Sink for Stdout {
    fn name(&self) -> &str {
        "stdout"
    }

    fn recover(&mut self) -> io::Result<Option<i64>> {
        Ok(None)
    }

    fn write_lines(&mut self, lines: &[EmittedLine]) -> io::Result<()> {
        let mut out = io::stdout().lock();
        for line in lines {
            out.write_all(line.text.as_bytes())?;
            out.write_all(b"\n")?;
        }
        out.flush()
    }
}

//! Progress bars of `jb sync` and `jb demo` on a terminal, and a log writer that keeps log
//! lines from tearing through the bars.

use std::io::Write as _;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use jb_sync::{CycleReport, Operation, Progress};

use crate::commands::sync_common::operation_name;
use crate::i18n::Lang;

/// Shows a spinner per cycle (when `show_cycle`) and bars for photos and uploads.
pub(crate) struct TerminalProgress {
    multi: MultiProgress,
    lang: Lang,
    show_cycle: bool,
    cycle: Mutex<Option<ProgressBar>>,
    photos: Mutex<Option<ProgressBar>>,
}

impl TerminalProgress {
    pub(crate) fn new(multi: MultiProgress, lang: Lang, show_cycle: bool) -> TerminalProgress {
        TerminalProgress {
            multi,
            lang,
            show_cycle,
            cycle: Mutex::new(None),
            photos: Mutex::new(None),
        }
    }

    fn set_step(&self, message: String) {
        if let Ok(cycle) = self.cycle.lock()
            && let Some(spinner) = cycle.as_ref()
        {
            spinner.set_message(message);
        }
    }
}

impl Progress for TerminalProgress {
    fn cycle_started(&self, cycle: u64) {
        if !self.show_cycle {
            return;
        }
        let spinner = self.multi.add(ProgressBar::new_spinner());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {prefix} {msg}") {
            spinner.set_style(style);
        }
        spinner.set_prefix(
            self.lang
                .pick(format!("第 {cycle} 轮"), format!("cycle {cycle}")),
        );
        spinner.enable_steady_tick(Duration::from_millis(120));
        if let Ok(mut slot) = self.cycle.lock() {
            *slot = Some(spinner);
        }
    }

    fn download_started(&self, operation: Operation) {
        let name = operation_name(operation, self.lang);
        self.set_step(
            self.lang
                .pick(format!("下载{name}"), format!("downloading {name}")),
        );
    }

    fn photos_started(&self, total: u64) {
        self.set_step(
            self.lang
                .pick("获取照片".to_owned(), "fetching photos".to_owned()),
        );
        let bar = self.multi.add(ProgressBar::new(total));
        if let Ok(style) = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(self.lang.pick("照片", "photos"));
        if let Ok(mut slot) = self.photos.lock() {
            *slot = Some(bar);
        }
    }

    fn photo_finished(&self) {
        if let Ok(photos) = self.photos.lock()
            && let Some(bar) = photos.as_ref()
        {
            bar.inc(1);
        }
    }

    fn uploads_started(&self, total: u64) {
        self.set_step(self.lang.pick(
            format!("发送 {total} 个上传"),
            format!("sending {total} uploads"),
        ));
    }

    fn cycle_finished(&self, _report: &CycleReport) {
        for slot in [&self.photos, &self.cycle] {
            if let Ok(mut slot) = slot.lock()
                && let Some(bar) = slot.take()
            {
                bar.finish_and_clear();
            }
        }
    }
}

/// A `tracing` writer that prints each log line above the progress bars.
#[derive(Clone)]
pub(crate) struct SuspendingWriter(pub(crate) MultiProgress);

/// One log event's text, printed when the event is complete.
pub(crate) struct SuspendedLine {
    multi: MultiProgress,
    buffer: Vec<u8>,
}

impl std::io::Write for SuspendedLine {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for SuspendedLine {
    fn drop(&mut self) {
        let buffer = std::mem::take(&mut self.buffer);
        self.multi.suspend(|| {
            let _ = std::io::stderr().write_all(&buffer);
        });
    }
}

impl<'writer> tracing_subscriber::fmt::MakeWriter<'writer> for SuspendingWriter {
    type Writer = SuspendedLine;

    fn make_writer(&'writer self) -> SuspendedLine {
        SuspendedLine {
            multi: self.0.clone(),
            buffer: Vec::new(),
        }
    }
}

/// Logs through the progress bars at `default_filter` unless `RUST_LOG` sets another filter.
pub(crate) fn init_bar_logging(multi: &MultiProgress, default_filter: &str) {
    crate::logging::init_with_writer(default_filter, SuspendingWriter(multi.clone()), true);
}

//! The NDJSON file sink: append-only, synced before the cursor moves, rotated by size, and
//! read back at start-up to find what was written but not yet recorded.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::line::line_version_id;
use super::{EmittedLine, Sink};

/// Bytes read per step when scanning a file backwards for newlines.
const SCAN_CHUNK: u64 = 64 * 1024;

/// Appends lines to an NDJSON file.
///
/// When the file would grow past its size limit it is renamed to `<name>.1`, `<name>.2`, …
/// (the highest number is the most recent) and a new file is started; rotated files are never
/// deleted. A file is created with mode 0600 on Unix, because the lines carry personal data.
#[derive(Debug)]
pub struct NdjsonFile {
    path: PathBuf,
    max_bytes: u64,
    writer: Option<BufWriter<File>>,
    size: u64,
}

impl NdjsonFile {
    /// The default size at which the file is rotated: 64 MiB.
    pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

    /// A sink writing to `path`, rotating once the file would exceed `max_bytes` (a single line
    /// longer than that still goes in a file of its own).
    pub fn new(path: impl Into<PathBuf>, max_bytes: u64) -> NdjsonFile {
        NdjsonFile {
            path: path.into(),
            max_bytes: max_bytes.max(1),
            writer: None,
            size: 0,
        }
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn open(&mut self) -> io::Result<()> {
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&self.path)?;
        self.size = file.metadata()?.len();
        self.writer = Some(BufWriter::new(file));
        Ok(())
    }

    fn sync(&mut self) -> io::Result<()> {
        if let Some(writer) = self.writer.as_mut() {
            writer.flush()?;
            writer.get_ref().sync_data()?;
        }
        Ok(())
    }

    /// Renames the current file to the next free `<name>.<n>` and starts a new one.
    fn rotate(&mut self) -> io::Result<()> {
        self.sync()?;
        self.writer = None;
        let next = rotated_files(&self.path)?
            .last()
            .map_or(1, |(number, _)| number + 1);
        fs::rename(&self.path, numbered(&self.path, next))?;
        sync_parent(&self.path)?;
        self.open()
    }
}

impl Sink for NdjsonFile {
    fn name(&self) -> &str {
        "ndjson"
    }

    fn recover(&mut self) -> io::Result<Option<i64>> {
        self.writer = None;
        let mut candidates = vec![self.path.clone()];
        if let Some((_, newest)) = rotated_files(&self.path)?.pop() {
            candidates.push(newest);
        }
        for candidate in candidates {
            if let Some(version_id) = recover_file(&candidate)? {
                return Ok(Some(version_id));
            }
        }
        Ok(None)
    }

    fn write_lines(&mut self, lines: &[EmittedLine]) -> io::Result<()> {
        if self.writer.is_none() {
            self.open()?;
        }
        for line in lines {
            let length = line.text.len() as u64 + 1;
            if self.size > 0 && self.size + length > self.max_bytes {
                self.rotate()?;
            }
            let writer = self
                .writer
                .as_mut()
                .ok_or_else(|| io::Error::other("the NDJSON file is not open"))?;
            writer.write_all(line.text.as_bytes())?;
            writer.write_all(b"\n")?;
            self.size += length;
        }
        self.sync()
    }
}

/// Truncates a torn last line (bytes after the last newline, left by a crash mid-write) and
/// returns the `version_id` of the last complete line. `None` when the file is missing or
/// contains no complete line.
fn recover_file(path: &Path) -> io::Result<Option<i64>> {
    let mut file = match OpenOptions::new().read(true).write(true).open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    let length = file.metadata()?.len();
    let complete = match last_newline_before(&mut file, length)? {
        Some(position) => position + 1,
        None => 0,
    };
    if complete < length {
        tracing::warn!(
            path = %path.display(),
            torn_bytes = length - complete,
            "removing a torn last line left by an interrupted write; it will be written again"
        );
        file.set_len(complete)?;
        file.sync_all()?;
    }
    if complete == 0 {
        return Ok(None);
    }

    let start = match last_newline_before(&mut file, complete - 1)? {
        Some(position) => position + 1,
        None => 0,
    };
    let mut text = vec![0; usize::try_from(complete - 1 - start).map_err(io::Error::other)?];
    file.seek(SeekFrom::Start(start))?;
    file.read_exact(&mut text)?;
    let text = String::from_utf8_lossy(&text);
    match line_version_id(&text) {
        Some(version_id) => Ok(Some(version_id)),
        None => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "the last line of {} has no numeric version_id; the file was edited or not \
                 written by jb sync: move it aside and restart",
                path.display()
            ),
        )),
    }
}

/// The position of the last `\n` in the first `end` bytes of the file.
fn last_newline_before(file: &mut File, end: u64) -> io::Result<Option<u64>> {
    let mut chunk_end = end;
    let mut buffer = Vec::new();
    while chunk_end > 0 {
        let chunk_start = chunk_end.saturating_sub(SCAN_CHUNK);
        buffer.resize(
            usize::try_from(chunk_end - chunk_start).map_err(io::Error::other)?,
            0,
        );
        file.seek(SeekFrom::Start(chunk_start))?;
        file.read_exact(&mut buffer)?;
        if let Some(offset) = buffer.iter().rposition(|byte| *byte == b'\n') {
            return Ok(Some(chunk_start + offset as u64));
        }
        chunk_end = chunk_start;
    }
    Ok(None)
}

/// Rotated files of `path` (`<name>.<n>`), by increasing number.
fn rotated_files(path: &Path) -> io::Result<Vec<(u64, PathBuf)>> {
    let (Some(directory), Some(name)) = (path.parent(), path.file_name()) else {
        return Ok(Vec::new());
    };
    let directory = if directory.as_os_str().is_empty() {
        Path::new(".")
    } else {
        directory
    };
    let prefix = format!("{}.", name.to_string_lossy());
    let entries = match fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut rotated = Vec::new();
    for entry in entries {
        let entry = entry?;
        let file_name = entry.file_name();
        let number = file_name
            .to_string_lossy()
            .strip_prefix(&prefix)
            .and_then(|suffix| suffix.parse::<u64>().ok());
        if let Some(number) = number {
            rotated.push((number, entry.path()));
        }
    }
    rotated.sort();
    Ok(rotated)
}

fn numbered(path: &Path, number: u64) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{number}"));
    PathBuf::from(name)
}

/// Syncs the directory holding `path`, so that a rename in it survives a power loss.
fn sync_parent(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    if let Some(directory) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        File::open(directory)?.sync_all()?;
    }
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(version_id: i64) -> EmittedLine {
        EmittedLine {
            version_id,
            text: format!(
                r#"{{"version_id":{version_id},"record":{{"pad":"{}"}}}}"#,
                "x".repeat(20)
            ),
        }
    }

    fn read_ids(path: &Path) -> Vec<i64> {
        fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter_map(line_version_id)
            .collect()
    }

    #[test]
    fn write_lines_then_recover_finds_last_id() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let path = dir.path().join("records.ndjson");
        let mut sink = NdjsonFile::new(&path, NdjsonFile::DEFAULT_MAX_BYTES);

        sink.write_lines(&[line(1), line(2), line(3)])
            .expect("written");

        let mut reopened = NdjsonFile::new(&path, NdjsonFile::DEFAULT_MAX_BYTES);
        assert_eq!(reopened.recover().expect("recovered"), Some(3));
        assert_eq!(read_ids(&path), [1, 2, 3]);
    }

    #[test]
    fn recover_truncates_torn_last_line() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let path = dir.path().join("records.ndjson");
        let mut sink = NdjsonFile::new(&path, NdjsonFile::DEFAULT_MAX_BYTES);
        sink.write_lines(&[line(1), line(2)]).expect("written");
        let mut file = OpenOptions::new().append(true).open(&path).expect("opened");
        file.write_all(br#"{"version_id":3,"rec"#)
            .expect("appended");

        let recovered = sink.recover().expect("recovered");

        assert_eq!(recovered, Some(2));
        let text = fs::read_to_string(&path).expect("readable");
        assert!(text.ends_with("}\n"), "torn line left in place: {text:?}");
        sink.write_lines(&[line(3)]).expect("written");
        assert_eq!(read_ids(&path), [1, 2, 3]);
    }

    #[test]
    fn recover_missing_or_only_torn_file_is_none() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let path = dir.path().join("records.ndjson");
        let mut sink = NdjsonFile::new(&path, 1024);
        assert_eq!(sink.recover().expect("recovered"), None);

        fs::write(&path, br#"{"version_id":1"#).expect("written");
        assert_eq!(sink.recover().expect("recovered"), None);
        assert_eq!(fs::metadata(&path).expect("exists").len(), 0);
    }

    #[test]
    fn recover_rejects_line_without_version_id() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let path = dir.path().join("records.ndjson");
        fs::write(&path, b"{\"other\":1}\n").expect("written");
        let error = NdjsonFile::new(&path, 1024).recover();
        assert_eq!(
            error.map_err(|error| error.kind()),
            Err(io::ErrorKind::InvalidData)
        );
    }

    #[test]
    fn write_lines_rotates_by_size() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let path = dir.path().join("records.ndjson");
        let line_bytes = line(1).text.len() as u64 + 1;
        let mut sink = NdjsonFile::new(&path, line_bytes * 2);

        sink.write_lines(&[line(1), line(2), line(3)])
            .expect("written");
        sink.write_lines(&[line(4), line(5)]).expect("written");

        assert_eq!(read_ids(&numbered(&path, 1)), [1, 2]);
        assert_eq!(read_ids(&numbered(&path, 2)), [3, 4]);
        assert_eq!(read_ids(&path), [5]);
    }

    #[test]
    fn recover_reads_newest_rotated_when_current_empty() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let path = dir.path().join("records.ndjson");
        let line_bytes = line(1).text.len() as u64 + 1;
        let mut sink = NdjsonFile::new(&path, line_bytes);
        sink.write_lines(&[line(1), line(2)]).expect("written");
        fs::write(&path, b"").expect("emptied");

        assert_eq!(sink.recover().expect("recovered"), Some(1));
    }

    #[test]
    fn last_newline_before_spans_chunks() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let path = dir.path().join("long.ndjson");
        let mut content = b"a\n".to_vec();
        content.extend(std::iter::repeat_n(b'x', (SCAN_CHUNK * 2) as usize));
        fs::write(&path, &content).expect("written");
        let mut file = File::open(&path).expect("opened");
        let end = content.len() as u64;
        assert_eq!(
            last_newline_before(&mut file, end).expect("scanned"),
            Some(1)
        );
        assert_eq!(last_newline_before(&mut file, 1).expect("scanned"), None);
    }

    #[cfg(unix)]
    #[test]
    fn write_lines_creates_private_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let path = dir.path().join("records.ndjson");
        NdjsonFile::new(&path, 1024)
            .write_lines(&[line(1)])
            .expect("written");
        let mode = fs::metadata(&path).expect("exists").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

//! Files and folders only their owner can read: the data directory contains personal data
//! (names, plates, phone numbers, photos of accidents).
//!
//! On Unix, files are created with mode 0600 and folders with 0700 whatever the umask, and an
//! existing file that others can read or write is tightened to 0600 with a warning in the log.
//! Elsewhere the platform's default permissions apply.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io;
use std::path::Path;

/// Mode of a file only its owner can read and write.
#[cfg(unix)]
const PRIVATE_FILE_MODE: u32 = 0o600;

/// Mode of a folder only its owner can list and enter.
#[cfg(unix)]
const PRIVATE_DIR_MODE: u32 = 0o700;

/// Opens `path` for writing without truncating it, creating it owner-only if missing and
/// tightening it if it is more open.
pub(crate) fn open_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(PRIVATE_FILE_MODE);
    }
    let file = options.open(path)?;
    restrict_open_file(&file, path)?;
    Ok(file)
}

/// Creates `path` as an empty owner-only file unless something exists there already; an
/// existing regular file that is more open is tightened. A directory or other non-file is
/// left for the caller to reject.
pub(crate) fn ensure_private_file(path: &Path) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.create_new(true).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(PRIVATE_FILE_MODE);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => restrict_existing(path),
        Err(error) => Err(error),
    }
}

/// Tightens an existing regular file at `path` to owner-only; does nothing when there is no
/// file there.
pub(crate) fn restrict_existing(path: &Path) -> io::Result<()> {
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => restrict(path, &metadata),
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error),
    }
}

/// Makes the file at `path` owner-only, quietly: for files the service has just written.
pub(crate) fn set_owner_only(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(PRIVATE_FILE_MODE))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates `path` and any missing parent as owner-only folders; existing folders keep their
/// permissions.
pub(crate) fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(PRIVATE_DIR_MODE);
    }
    builder.create(path)
}

fn restrict_open_file(file: &File, path: &Path) -> io::Result<()> {
    let metadata = file.metadata()?;
    restrict(path, &metadata)
}

#[cfg(unix)]
fn restrict(path: &Path, metadata: &std::fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 == 0 {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(PRIVATE_FILE_MODE))?;
    tracing::warn!(
        path = %path.display(),
        was = format!("{mode:o}"),
        now = format!("{PRIVATE_FILE_MODE:o}"),
        "the file holds personal data but others could access it; it is now readable by its owner only"
    );
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _metadata: &std::fs::Metadata) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("the path exists")
            .permissions()
            .mode()
            & 0o777
    }

    #[test]
    fn open_private_creates_owner_only_file() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let path = dir.path().join("sync.lock");
        open_private(&path).expect("created");
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn open_private_tightens_open_file_and_keeps_content() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let path = dir.path().join("sync.lock");
        std::fs::write(&path, "kept").expect("written");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        open_private(&path).expect("opened");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "kept");
    }

    #[test]
    fn ensure_private_file_creates_and_tightens() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let new = dir.path().join("new.sqlite");
        ensure_private_file(&new).expect("created");
        assert_eq!(mode(&new), 0o600);

        let open = dir.path().join("open.sqlite");
        std::fs::write(&open, "x").expect("written");
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o666)).expect("chmod");
        ensure_private_file(&open).expect("tightened");
        assert_eq!(mode(&open), 0o600);
    }

    #[test]
    fn ensure_private_file_keeps_stricter_mode() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let path = dir.path().join("read-only.sqlite");
        std::fs::write(&path, "x").expect("written");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).expect("chmod");
        ensure_private_file(&path).expect("left alone");
        assert_eq!(mode(&path), 0o400);
    }

    #[test]
    fn ensure_private_file_leaves_directory_alone() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        ensure_private_file(dir.path()).expect("a directory is not an error here");
        assert_eq!(mode(dir.path()), 0o755);
    }

    #[test]
    fn set_owner_only_sets_0600() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let path = dir.path().join("photo.jpg.part");
        std::fs::write(&path, "jpeg").expect("written");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        set_owner_only(&path).expect("set");
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn create_private_dir_makes_owner_only_folders() {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        let nested = dir.path().join("photos/ACC1");
        create_private_dir(&nested).expect("created");
        assert_eq!(mode(&nested), 0o700);
        assert_eq!(mode(&dir.path().join("photos")), 0o700);
    }
}

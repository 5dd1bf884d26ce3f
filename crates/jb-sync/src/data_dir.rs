//! The layout of the data directory.

use std::path::{Path, PathBuf};

use crate::error::SyncError;
use crate::private_file::create_private_dir;

/// The files of a data directory:
///
/// ```text
/// <data-dir>/
///   jb.sqlite            the store (with jb.sqlite-wal and jb.sqlite-shm beside it while open)
///   records.ndjson       emitted record versions; records.ndjson.1, .2, … once rotated
///   photos/<accidentNo>/<photo id>-<photoName>
///   sync.lock            held by the running service, so that two cannot share the directory
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// The data directory at `root`.
    pub fn new(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The SQLite database.
    pub fn database(&self) -> PathBuf {
        self.root.join("jb.sqlite")
    }

    /// The default NDJSON output.
    pub fn records(&self) -> PathBuf {
        self.root.join("records.ndjson")
    }

    /// The photo tree.
    pub fn photos(&self) -> PathBuf {
        self.root.join("photos")
    }

    /// The lock file of the running service.
    pub fn lock(&self) -> PathBuf {
        self.root.join("sync.lock")
    }

    /// Creates the directory and its photo tree if missing, readable by the owner only on Unix
    /// (they hold personal data). A directory that exists keeps its permissions; the files the
    /// service writes in it are owner-only whatever they are.
    pub fn create(&self) -> Result<(), SyncError> {
        for directory in [self.root.clone(), self.photos()] {
            create_private_dir(&directory).map_err(|source| SyncError::io(&directory, source))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_makes_root_and_photos() {
        let parent = tempfile::tempdir().expect("a temporary directory can be created");
        let data_dir = DataDir::new(parent.path().join("a/b"));
        data_dir.create().expect("created");
        assert!(data_dir.photos().is_dir());
        assert_eq!(data_dir.database(), parent.path().join("a/b/jb.sqlite"));
        data_dir.create().expect("creating again is harmless");
    }
}

//! Fetching accident photos into `<data-dir>/photos/<accidentNo>/` with bounded concurrency.
//!
//! Each photo is written to a `.part` file and renamed once complete, so a photo file that
//! exists is whole. A failed photo is tried again in later cycles until its URL's `e=` expiry
//! passes; then it is recorded as expired without another request.

use std::path::{Path, PathBuf};

use chrono::Utc;
use futures_util::StreamExt;
use futures_util::stream;

use crate::error::SyncError;
use crate::metrics::PhotoCounts;
use crate::platform::{PhotoFailure, Platform};
use crate::private_file::{create_private_dir, set_owner_only};
use crate::progress::Progress;
use crate::stop::StopSignal;
use crate::store::{PhotoRow, PhotoState, Store};
use crate::time::parse_time;

/// Maximum length, in characters, of a file-name component made from an accident number or
/// photo name.
const MAX_COMPONENT_CHARS: usize = 80;

/// What happened to one photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Fetched,
    Failed,
    Expired,
    Abandoned,
}

/// How the photo fetcher is set up.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PhotoSettings {
    pub(crate) concurrency: usize,
    pub(crate) max_attempts_without_expiry: u32,
}

/// Fetches every photo waiting in the store. Stops starting new fetches once shutdown is
/// requested and abandons those in flight; they stay pending.
pub(crate) async fn fetch_pending_photos<P: Platform>(
    platform: &P,
    store: &Store,
    data_dir: &Path,
    settings: PhotoSettings,
    stop: &StopSignal,
    progress: &dyn Progress,
) -> Result<PhotoCounts, SyncError> {
    let rows = store
        .photos_to_fetch(settings.max_attempts_without_expiry)
        .await?;
    let mut counts = PhotoCounts::default();
    if rows.is_empty() {
        return Ok(counts);
    }
    progress.photos_started(rows.len() as u64);

    let mut outcomes = stream::iter(rows)
        .map(|row| fetch_one(platform, store, data_dir, row, stop))
        .buffer_unordered(settings.concurrency.max(1));
    let mut first_error = None;
    while let Some(outcome) = outcomes.next().await {
        progress.photo_finished();
        match outcome {
            Ok(Outcome::Fetched) => counts.fetched += 1,
            Ok(Outcome::Failed) => counts.failed += 1,
            Ok(Outcome::Expired) => counts.expired += 1,
            Ok(Outcome::Abandoned) => counts.abandoned += 1,
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(counts),
    }
}

async fn fetch_one<P: Platform>(
    platform: &P,
    store: &Store,
    data_dir: &Path,
    row: PhotoRow,
    stop: &StopSignal,
) -> Result<Outcome, SyncError> {
    if stop.is_stopped() {
        return Ok(Outcome::Abandoned);
    }
    if let Some(expires_at) = row.url_expires_at.as_deref()
        && parse_time(expires_at).is_some_and(|expiry| expiry <= Utc::now())
    {
        let reason = format!("the URL expired at {expires_at} before the photo was fetched");
        tracing::warn!(photo = row.id, accident_no = %row.accident_no, %reason, "photo not fetched");
        store
            .mark_photo_unfetched(row.id, PhotoState::Expired, &reason, false)
            .await?;
        return Ok(Outcome::Expired);
    }

    // The folder is owner-only, so the photo is private even before its own mode is set.
    let relative = relative_photo_path(&row);
    let absolute = data_dir.join(&relative);
    let partial = partial_path(&absolute);
    if let Some(directory) = absolute.parent() {
        create_private_dir(directory).map_err(|source| SyncError::io(directory, source))?;
    }

    let result = tokio::select! {
        result = platform.fetch_photo(&row.url, &partial) => Some(result),
        () = stop.stopped() => None,
    };
    let Some(result) = result else {
        remove_quietly(&partial).await;
        tracing::info!(photo = row.id, accident_no = %row.accident_no, "photo fetch abandoned for shutdown; it stays pending");
        return Ok(Outcome::Abandoned);
    };

    match result {
        Ok(fetched) => {
            set_owner_only(&partial).map_err(|source| SyncError::io(&partial, source))?;
            tokio::fs::rename(&partial, &absolute)
                .await
                .map_err(|source| SyncError::io(&absolute, source))?;
            let relative_text = relative.to_string_lossy().replace('\\', "/");
            store
                .mark_photo_fetched(row.id, &relative_text, &fetched.sha256, fetched.size_bytes)
                .await?;
            tracing::debug!(photo = row.id, accident_no = %row.accident_no, path = %relative_text, sha256 = %fetched.sha256, "photo fetched");
            Ok(Outcome::Fetched)
        }
        Err(PhotoFailure::Expired(reason)) => {
            remove_quietly(&partial).await;
            tracing::warn!(photo = row.id, accident_no = %row.accident_no, %reason, "photo URL expired");
            store
                .mark_photo_unfetched(row.id, PhotoState::Expired, &reason, true)
                .await?;
            Ok(Outcome::Expired)
        }
        Err(PhotoFailure::Failed(reason)) => {
            remove_quietly(&partial).await;
            tracing::warn!(photo = row.id, accident_no = %row.accident_no, attempt = row.attempts + 1, %reason, "photo fetch failed; a later cycle tries again");
            store
                .mark_photo_unfetched(row.id, PhotoState::Failed, &reason, true)
                .await?;
            Ok(Outcome::Failed)
        }
    }
}

/// `photos/<accidentNo>/<photo id>-<photoName>`, each part reduced to safe characters.
fn relative_photo_path(row: &PhotoRow) -> PathBuf {
    Path::new("photos")
        .join(path_component(&row.accident_no))
        .join(format!("{}-{}", row.id, path_component(&row.photo_name)))
}

/// Keeps letters, digits (any script), `-`, `_` and `.`; replaces anything else with `_`; drops
/// leading dots, so the platform's text can never name a parent directory or a hidden file.
fn path_component(text: &str) -> String {
    let cleaned: String = text
        .trim()
        .chars()
        .map(|character| {
            if character.is_alphanumeric() || matches!(character, '-' | '_' | '.') {
                character
            } else {
                '_'
            }
        })
        .collect();
    let cleaned: String = cleaned
        .trim_start_matches('.')
        .chars()
        .take(MAX_COMPONENT_CHARS)
        .collect();
    if cleaned.is_empty() {
        "_".to_owned()
    } else {
        cleaned
    }
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".part");
    PathBuf::from(name)
}

async fn remove_quietly(path: &Path) {
    if let Err(error) = tokio::fs::remove_file(path).await
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(path = %path.display(), %error, "cannot remove a partial photo file");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_component_blocks_traversal() {
        assert_eq!(path_component("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(path_component(".."), "_");
        assert_eq!(path_component("  "), "_");
        assert_eq!(path_component(".hidden"), "hidden");
    }

    #[test]
    fn path_component_keeps_chinese_and_numbers() {
        assert_eq!(path_component("事故照片 1.jpg"), "事故照片_1.jpg");
        assert_eq!(
            path_component("44030220180702K00025"),
            "44030220180702K00025"
        );
    }

    #[test]
    fn path_component_truncates_long_names() {
        assert_eq!(
            path_component(&"x".repeat(500)).chars().count(),
            MAX_COMPONENT_CHARS
        );
    }

    #[test]
    fn relative_photo_path_layout() {
        let row = PhotoRow {
            id: 7,
            accident_no: "A/1".to_owned(),
            photo_type: "01".to_owned(),
            photo_name: "front.jpg".to_owned(),
            url: String::new(),
            url_expires_at: None,
            state: PhotoState::Pending,
            attempts: 0,
            sha256: None,
            path: None,
            last_error: None,
        };
        assert_eq!(
            relative_photo_path(&row),
            Path::new("photos/A_1/7-front.jpg")
        );
    }
}

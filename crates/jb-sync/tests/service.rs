//! The service's cycle against an in-memory platform whose responses each test scripts: the
//! behaviour that does not depend on the wire format (state machines, shutdown, retries).

#![allow(clippy::unwrap_used)]

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jb_sync::{
    Backoff, DownloadFailure, DownloadedRecord, FetchedPhoto, Operation, OutboxState, PhotoFailure,
    PhotoState, Platform, RecordFields, SyncError, SyncService, UploadAccepted, UploadFailure,
    UploadKind, WarningFields,
};
use sha2::{Digest, Sha256};

/// Scripted responses; an empty script means "empty batch", "SUCCESS" and "photo bytes".
#[derive(Default)]
struct Script {
    downloads: VecDeque<Result<Vec<DownloadedRecord>, DownloadFailure>>,
    uploads: VecDeque<Result<(), UploadFailure>>,
    photos: VecDeque<Result<(), PhotoFailure>>,
    uploads_seen: Vec<String>,
    photo_delay: Duration,
}

#[derive(Clone, Default)]
struct FakePlatform(Arc<Mutex<Script>>);

impl FakePlatform {
    fn with(&self, change: impl FnOnce(&mut Script)) {
        change(&mut self.0.lock().unwrap());
    }
}

impl Platform for FakePlatform {
    async fn download(
        &self,
        operation: Operation,
    ) -> Result<Vec<DownloadedRecord>, DownloadFailure> {
        if operation != Operation::Warnings {
            return Ok(Vec::new());
        }
        let next = self.0.lock().unwrap().downloads.pop_front();
        next.unwrap_or_else(|| Ok(Vec::new()))
    }

    async fn upload(
        &self,
        _kind: UploadKind,
        payload: &str,
    ) -> Result<UploadAccepted, UploadFailure> {
        let mut script = self.0.lock().unwrap();
        script.uploads_seen.push(payload.to_owned());
        script.uploads.pop_front().unwrap_or(Ok(()))?;
        Ok(UploadAccepted {
            serial_no: format!("sn{}", script.uploads_seen.len()),
            message: "成功".to_owned(),
        })
    }

    async fn fetch_photo(
        &self,
        _url: &str,
        destination: &Path,
    ) -> Result<FetchedPhoto, PhotoFailure> {
        let (next, delay) = {
            let mut script = self.0.lock().unwrap();
            (
                script.photos.pop_front().unwrap_or(Ok(())),
                script.photo_delay,
            )
        };
        tokio::time::sleep(delay).await;
        next?;
        let bytes = b"\x89PNG fake photo";
        std::fs::write(destination, bytes).unwrap();
        Ok(FetchedPhoto {
            sha256: hex::encode(Sha256::digest(bytes)),
            size_bytes: bytes.len() as u64,
        })
    }
}

fn warning(number: &str) -> DownloadedRecord {
    DownloadedRecord {
        raw_json: format!(r#"{{"warningNo":"{number}"}}"#),
        decoded: Ok(RecordFields::Warning(WarningFields {
            warning_no: number.to_owned(),
            warning_time: "2019-03-01 10:00".to_owned(),
            address: "福田区".to_owned(),
            plates: Vec::new(),
        })),
        violations: Vec::new(),
    }
}

async fn service(platform: &FakePlatform, dir: &Path) -> SyncService<FakePlatform> {
    SyncService::builder(platform.clone(), dir)
        .interval(Duration::from_millis(50))
        .jitter(Duration::ZERO)
        .upload_backoff(Backoff {
            initial: Duration::ZERO,
            max: Duration::ZERO,
        })
        .build()
        .await
        .unwrap()
}

#[tokio::test]
async fn cycle_failed_download_is_recorded_and_next_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let platform = FakePlatform::default();
    platform.with(|script| {
        script.downloads.push_back(Err(DownloadFailure {
            message: "HTTP 503".to_owned(),
        }));
        script.downloads.push_back(Ok(vec![warning("W1")]));
    });
    let mut service = service(&platform, dir.path()).await;

    let failed = service.run_once().await;
    let succeeded = service.run_once().await;

    assert!(!failed.is_clean());
    assert_eq!(
        succeeded
            .poll_counts(Operation::Warnings)
            .unwrap()
            .new_records,
        1
    );
    let status = service.store().status().await.unwrap();
    assert_eq!(status.last_polls[0].operation, Operation::Warnings);
    assert_eq!(status.last_polls[0].error, None);
}

#[tokio::test]
async fn outbox_unknown_outcome_is_sent_again() {
    let dir = tempfile::tempdir().unwrap();
    let platform = FakePlatform::default();
    platform.with(|script| {
        script
            .uploads
            .push_back(Err(UploadFailure::OutcomeUnknown("timed out".to_owned())));
        script.uploads.push_back(Ok(()));
    });
    let mut service = service(&platform, dir.path()).await;
    let (id, _) = service
        .store()
        .enqueue_upload(UploadKind::Report, "R1", r#"{"reportNo":"R1"}"#)
        .await
        .unwrap();

    let first = service.send_uploads().await.unwrap();
    let second = service.send_uploads().await.unwrap();
    let third = service.send_uploads().await.unwrap();

    assert_eq!((first.unknown, second.resent, second.delivered), (1, 1, 1));
    assert_eq!(
        third.delivered + third.resent,
        0,
        "a delivered upload was sent again"
    );
    let (entry, attempts) = service.store().outbox_entry(id).await.unwrap();
    assert_eq!(entry.state, OutboxState::Delivered);
    let outcomes: Vec<&str> = attempts.iter().map(|a| a.outcome.as_str()).collect();
    assert_eq!(outcomes, ["unknown", "delivered"]);
}

#[tokio::test]
async fn outbox_not_sent_waits_for_backoff() {
    let dir = tempfile::tempdir().unwrap();
    let platform = FakePlatform::default();
    platform.with(|script| {
        script
            .uploads
            .push_back(Err(UploadFailure::NotSent("connection refused".to_owned())));
    });
    let mut service = SyncService::builder(platform.clone(), dir.path())
        .upload_backoff(Backoff {
            initial: Duration::from_secs(3600),
            max: Duration::from_secs(3600),
        })
        .build()
        .await
        .unwrap();
    let (id, _) = service
        .store()
        .enqueue_upload(UploadKind::Claim, "C1", "{}")
        .await
        .unwrap();

    let first = service.send_uploads().await.unwrap();
    let second = service.send_uploads().await.unwrap();

    assert_eq!(
        (first.not_sent, second.not_sent, second.delivered),
        (1, 0, 0)
    );
    let (entry, _) = service.store().outbox_entry(id).await.unwrap();
    assert_eq!(entry.state, OutboxState::Queued);
    assert!(entry.next_attempt_at > entry.created_at);
}

#[tokio::test]
async fn outbox_rejection_parks_and_retry_requeues() {
    let dir = tempfile::tempdir().unwrap();
    let platform = FakePlatform::default();
    platform.with(|script| {
        script.uploads.push_back(Err(UploadFailure::Rejected {
            code: Some("0000".to_owned()),
            message: "FAIL".to_owned(),
        }));
    });
    let mut service = service(&platform, dir.path()).await;
    let (id, _) = service
        .store()
        .enqueue_upload(UploadKind::Claim, "C1", "{}")
        .await
        .unwrap();

    let first = service.send_uploads().await.unwrap();
    let idle = service.send_uploads().await.unwrap();
    service.store().retry_upload(id).await.unwrap();
    let retried = service.send_uploads().await.unwrap();

    assert_eq!((first.parked, idle.parked + idle.delivered), (1, 0));
    assert_eq!(retried.delivered, 1);
    let (entry, _) = service.store().outbox_entry(id).await.unwrap();
    assert_eq!(entry.platform_message.as_deref(), Some("FAIL"));
    assert_eq!(entry.state, OutboxState::Delivered);
}

#[tokio::test]
async fn build_rejects_second_service_on_same_directory() {
    let dir = tempfile::tempdir().unwrap();
    let platform = FakePlatform::default();
    let _first = service(&platform, dir.path()).await;

    let second = SyncService::builder(platform.clone(), dir.path())
        .build()
        .await;

    assert!(
        matches!(second, Err(SyncError::Locked { .. })),
        "{:?}",
        second.err()
    );
}

#[tokio::test]
async fn build_rejects_invalid_settings() {
    let dir = tempfile::tempdir().unwrap();
    let platform = FakePlatform::default();
    let zero_interval = SyncService::builder(platform.clone(), dir.path())
        .interval(Duration::ZERO)
        .build()
        .await;
    let no_sink = SyncService::builder(platform.clone(), dir.path())
        .no_ndjson_file()
        .build()
        .await;
    let no_photo_workers = SyncService::builder(platform.clone(), dir.path())
        .photo_concurrency(0)
        .build()
        .await;

    for result in [zero_interval, no_sink, no_photo_workers] {
        assert!(
            matches!(result, Err(SyncError::Config { .. })),
            "{:?}",
            result.err()
        );
    }
}

fn accident_with_photo(number: &str, url: &str) -> DownloadedRecord {
    DownloadedRecord {
        raw_json: format!(r#"{{"accidentNo":"{number}","photoUrl":"{url}"}}"#),
        decoded: Ok(RecordFields::Accident(jb_sync::AccidentFields {
            accident_no: number.to_owned(),
            accident_time: "2018-07-02 11:22:49".to_owned(),
            district: "福田区".to_owned(),
            accident_type: "1".to_owned(),
            plates: Vec::new(),
            photos: vec![jb_sync::PhotoRef {
                photo_type: "01".to_owned(),
                photo_name: "front.png".to_owned(),
                url: url.to_owned(),
            }],
        })),
        violations: Vec::new(),
    }
}

/// A platform that only serves accidents, from its own script.
#[derive(Clone, Default)]
struct AccidentPlatform {
    inner: FakePlatform,
    accidents: Arc<Mutex<VecDeque<Vec<DownloadedRecord>>>>,
}

impl Platform for AccidentPlatform {
    async fn download(
        &self,
        operation: Operation,
    ) -> Result<Vec<DownloadedRecord>, DownloadFailure> {
        if operation != Operation::Accidents {
            return Ok(Vec::new());
        }
        Ok(self
            .accidents
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_default())
    }

    async fn upload(
        &self,
        kind: UploadKind,
        payload: &str,
    ) -> Result<UploadAccepted, UploadFailure> {
        self.inner.upload(kind, payload).await
    }

    async fn fetch_photo(&self, url: &str, path: &Path) -> Result<FetchedPhoto, PhotoFailure> {
        self.inner.fetch_photo(url, path).await
    }
}

#[tokio::test]
async fn photo_failure_retried_next_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let platform = AccidentPlatform::default();
    platform
        .accidents
        .lock()
        .unwrap()
        .push_back(vec![accident_with_photo(
            "A1",
            "http://127.0.0.1:1/p.png?e=4102444800",
        )]);
    platform.inner.with(|script| {
        script
            .photos
            .push_back(Err(PhotoFailure::Failed("HTTP 500".to_owned())));
    });
    let mut service = SyncService::builder(platform.clone(), dir.path())
        .build()
        .await
        .unwrap();

    let first = service.run_once().await;
    let second = service.run_once().await;

    assert_eq!((first.photos.failed, first.photos.fetched), (1, 0));
    assert_eq!(second.photos.fetched, 1);
    let photos = service.store().photos_of("A1").await.unwrap();
    assert_eq!(photos[0].state, PhotoState::Fetched);
    assert_eq!(photos[0].attempts, 2);
    let stored = std::fs::read(dir.path().join(photos[0].path.as_deref().unwrap())).unwrap();
    assert_eq!(
        photos[0].sha256.as_deref(),
        Some(hex::encode(Sha256::digest(&stored)).as_str())
    );
}

#[tokio::test]
async fn photo_with_past_expiry_recorded_expired_without_request() {
    let dir = tempfile::tempdir().unwrap();
    let platform = AccidentPlatform::default();
    platform
        .accidents
        .lock()
        .unwrap()
        .push_back(vec![accident_with_photo(
            "A1",
            "http://127.0.0.1:1/p.png?e=1000",
        )]);
    platform.inner.with(|script| {
        script.photos.push_back(Err(PhotoFailure::Failed(
            "must not be requested".to_owned(),
        )));
    });
    let mut service = SyncService::builder(platform.clone(), dir.path())
        .build()
        .await
        .unwrap();

    let report = service.run_once().await;

    assert_eq!(report.photos.expired, 1);
    let photos = service.store().photos_of("A1").await.unwrap();
    assert_eq!(photos[0].state, PhotoState::Expired);
    assert_eq!(photos[0].attempts, 0);
    assert_eq!(platform.inner.0.lock().unwrap().photos.len(), 1);
}

#[tokio::test]
async fn run_stops_on_shutdown_and_abandons_photo() {
    let dir = tempfile::tempdir().unwrap();
    let platform = AccidentPlatform::default();
    platform
        .accidents
        .lock()
        .unwrap()
        .push_back(vec![accident_with_photo(
            "A1",
            "http://127.0.0.1:1/p.png?e=4102444800",
        )]);
    platform
        .inner
        .with(|script| script.photo_delay = Duration::from_secs(30));
    let mut service = SyncService::builder(platform.clone(), dir.path())
        .interval(Duration::from_secs(3600))
        .build()
        .await
        .unwrap();

    let started = std::time::Instant::now();
    let totals = service
        .run(tokio::time::sleep(Duration::from_millis(300)))
        .await;

    assert!(
        started.elapsed() < Duration::from_secs(10),
        "shutdown waited for the photo"
    );
    assert_eq!(totals.cycles, 1);
    assert_eq!(totals.photos.abandoned, 1);
    assert_eq!(totals.records.new_records, 1);
    let photos = service.store().photos_of("A1").await.unwrap();
    assert_eq!(photos[0].state, PhotoState::Pending);
    let emitted = std::fs::read_to_string(service.data_dir().records()).unwrap();
    assert_eq!(emitted.lines().count(), 1);
}

#[tokio::test]
async fn run_repeats_cycles_until_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let platform = FakePlatform::default();
    platform.with(|script| {
        for number in ["W1", "W2", "W3"] {
            script.downloads.push_back(Ok(vec![warning(number)]));
        }
    });
    let mut service = service(&platform, dir.path()).await;

    let totals = service
        .run(tokio::time::sleep(Duration::from_millis(400)))
        .await;

    assert!(totals.cycles >= 3, "only {} cycles ran", totals.cycles);
    assert_eq!(totals.records.new_records, 3);
}

#[tokio::test]
async fn cycle_report_names_parked_uploads() {
    let dir = tempfile::tempdir().unwrap();
    let platform = FakePlatform::default();
    platform.with(|script| {
        script.uploads.push_back(Ok(()));
        script
            .uploads
            .push_back(Err(UploadFailure::Invalid("claimNo is missing".to_owned())));
    });
    let mut service = service(&platform, dir.path()).await;
    let store = service.store().clone();
    let (delivered, _) = store
        .enqueue_upload(UploadKind::Report, "R1", "{}")
        .await
        .unwrap();
    let (parked, _) = store
        .enqueue_upload(UploadKind::Claim, "C1", "{}")
        .await
        .unwrap();

    let report = service.run_once().await;
    let next = service.run_once().await;

    assert_eq!(report.parked_uploads, vec![parked]);
    assert_ne!(delivered, parked);
    assert_eq!(report.uploads.parked, 1);
    assert!(report.is_clean(), "a parked upload is not a failed step");
    assert!(next.parked_uploads.is_empty(), "parked once, not again");
}

#[cfg(unix)]
#[tokio::test]
async fn data_dir_files_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let platform = AccidentPlatform::default();
    platform
        .accidents
        .lock()
        .unwrap()
        .push_back(vec![accident_with_photo(
            "A1",
            "http://127.0.0.1:1/p.png?e=4102444800",
        )]);
    let mut service = SyncService::builder(platform.clone(), dir.path())
        .build()
        .await
        .unwrap();

    let report = service.run_once().await;

    assert_eq!(report.photos.fetched, 1, "{report:?}");
    let photos = service.store().photos_of("A1").await.unwrap();
    let photo = dir.path().join(photos[0].path.as_deref().unwrap());
    let data_dir = service.data_dir().clone();
    for file in [
        data_dir.database(),
        data_dir.lock(),
        data_dir.records(),
        photo.clone(),
    ] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    assert_eq!(mode(photo.parent().unwrap()), 0o700);
    assert_eq!(mode(&data_dir.photos()), 0o700);
    assert_eq!(
        mode(dir.path()),
        0o755,
        "an existing directory keeps its mode"
    );
    service.close().await;
}

//! The sync service end to end against the platform simulator on 127.0.0.1.

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::HashSet;

use jb_sim::{FaultRates, ScenarioConfig};
use jb_sync::{Operation, OutboxState, PhotoState};
use jingbao::model::{Claim, Report, Validate};
use jingbao::proto::Method;
use serde_json::json;
use sha2::{Digest, Sha256};
use support::{emitted, example, service, simulator};

fn quiet_scenario() -> ScenarioConfig {
    ScenarioConfig {
        seed: 7,
        include_examples: true,
        new_per_poll: 3,
        repeat_per_poll: 2,
        change_rate: 0.0,
        photo_ttl_secs: 3600,
    }
}

#[tokio::test]
async fn two_cycles_count_new_and_repeated() {
    let simulator = simulator(quiet_scenario()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut service = service(&simulator, dir.path()).await;

    let first = service.run_once().await;
    let second = service.run_once().await;

    assert!(first.is_clean(), "{first:?}");
    assert!(second.is_clean(), "{second:?}");
    for operation in Operation::ALL {
        let first = first.poll_counts(operation).unwrap();
        let second = second.poll_counts(operation).unwrap();
        assert_eq!(first.repeated, 0, "{operation} first cycle");
        assert_eq!(first.new_records, first.received, "{operation} first cycle");
        assert!(first.new_records >= 3, "{operation} first cycle");
        assert_eq!(second.repeated, 2, "{operation} second cycle");
        assert_eq!(second.new_records, 3, "{operation} second cycle");
        assert_eq!(second.new_versions, 0, "{operation} second cycle");
    }

    let lines = emitted(&service.data_dir().records());
    let total_new: u64 = [&first, &second]
        .iter()
        .flat_map(|report| Operation::ALL.map(|op| report.poll_counts(op).unwrap().new_records))
        .sum();
    assert_eq!(lines.len() as u64, total_new);
    let ids: HashSet<i64> = lines
        .iter()
        .map(|line| line["version_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), lines.len(), "a version was emitted twice");
    simulator.shutdown().await;
}

#[tokio::test]
async fn changed_record_becomes_new_version() {
    let simulator = simulator(ScenarioConfig {
        change_rate: 1.0,
        ..quiet_scenario()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let mut service = service(&simulator, dir.path()).await;

    service.run_once().await;
    let second = service.run_once().await;

    let warnings = second.poll_counts(Operation::Warnings).unwrap();
    assert_eq!(warnings.new_versions, 2);
    assert_eq!(warnings.repeated, 0);
    let lines = emitted(&service.data_dir().records());
    let changed: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|line| line["operation"] == "warnings" && line["change"] == "changed")
        .collect();
    assert_eq!(changed.len(), 2);
    let key = changed[0]["natural_key"].as_str().unwrap();
    let versions = service
        .store()
        .versions_of(Operation::Warnings, key)
        .await
        .unwrap();
    assert_eq!(versions.len(), 2);
    assert_ne!(versions[0].content_hash, versions[1].content_hash);
    simulator.shutdown().await;
}

#[tokio::test]
async fn bad_date_record_stored_with_batch() {
    let simulator = simulator(quiet_scenario()).await;
    let mut bad: serde_json::Value = serde_json::from_str(&example("j1-warnings.json")).unwrap();
    let bad = bad.as_array_mut().unwrap().remove(0);
    let mut bad = bad;
    bad["warningNo"] = json!("W-BAD-DATE-1");
    bad["warningTime"] = json!("2019-02-30 25:61");
    simulator
        .inject(None, Method::WarningInstanceDownload, bad)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut service = service(&simulator, dir.path()).await;

    let report = service.run_once().await;

    let warnings = report.poll_counts(Operation::Warnings).unwrap();
    assert_eq!(warnings.decode_failures, 1);
    assert_eq!(warnings.new_records, warnings.received);
    let failed = service
        .store()
        .versions_of(Operation::Warnings, "W-BAD-DATE-1")
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert!(failed[0].raw_json.contains("2019-02-30 25:61"));
    let reason = failed[0].decode_error.as_deref().unwrap();
    assert!(reason.contains("2019-02-30 25:61"), "{reason}");
    let lines = emitted(&service.data_dir().records());
    let line = lines
        .iter()
        .find(|line| line["natural_key"] == "W-BAD-DATE-1")
        .unwrap();
    assert_eq!(line["decode_error"].as_str(), Some(reason));
    let status = service.store().status().await.unwrap();
    assert_eq!(status.last_polls[0].counts.decode_failures, 1);
    simulator.shutdown().await;
}

#[tokio::test]
async fn photos_fetched_and_checksummed() {
    let simulator = simulator(quiet_scenario()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut service = service(&simulator, dir.path()).await;

    let report = service.run_once().await;

    assert!(report.photos.fetched > 0, "{report:?}");
    assert_eq!(report.photos.failed, 0, "{report:?}");
    let status = service.store().status().await.unwrap();
    assert_eq!(
        status.photo_count(PhotoState::Fetched),
        report.photos.fetched
    );
    assert_eq!(status.photo_count(PhotoState::Pending), 0);
    let accidents = service
        .store()
        .versions_after(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|version| version.operation == Operation::Accidents);
    let mut checked = 0;
    for accident in accidents {
        for photo in service
            .store()
            .photos_of(&accident.natural_key)
            .await
            .unwrap()
        {
            let path = dir.path().join(photo.path.as_deref().unwrap());
            assert!(path.starts_with(dir.path().join("photos")));
            let bytes = std::fs::read(&path).unwrap();
            assert_eq!(
                photo.sha256.as_deref(),
                Some(hex::encode(Sha256::digest(&bytes)).as_str())
            );
            checked += 1;
        }
    }
    assert_eq!(checked, report.photos.fetched);

    // The second poll repeats two accidents with freshly signed links; their photos are not
    // fetched again.
    service.run_once().await;
    let accidents: Vec<String> = service
        .store()
        .versions_after(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|version| version.operation == Operation::Accidents)
        .map(|version| version.natural_key)
        .collect();
    for accident in accidents {
        for photo in service.store().photos_of(&accident).await.unwrap() {
            assert_eq!(photo.state, PhotoState::Fetched);
            assert_eq!(photo.attempts, 1, "photo {} fetched twice", photo.id);
        }
    }
    simulator.shutdown().await;
}

#[tokio::test]
async fn expired_photo_url_recorded_expired() {
    let simulator = simulator(ScenarioConfig {
        include_examples: false,
        new_per_poll: 0,
        ..quiet_scenario()
    })
    .await;
    let expired_url = simulator.photo_url("0123456789abcdef0123456789abcdef.png", 1_000_000);
    let mut accident: serde_json::Value =
        serde_json::from_str(&example("j2-accidents.json")).unwrap();
    let mut accident = accident.as_array_mut().unwrap().remove(0);
    accident["accidentNo"] = json!("A-EXPIRED-1");
    accident["photoData"] = json!([{
        "photoType": "01", "photoName": "expired.png", "photoUrl": expired_url
    }]);
    simulator
        .inject(None, Method::AccidentDownload, accident)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut service = service(&simulator, dir.path()).await;

    let report = service.run_once().await;

    assert_eq!(report.photos.expired, 1, "{report:?}");
    let photos = service.store().photos_of("A-EXPIRED-1").await.unwrap();
    assert_eq!(photos[0].state, PhotoState::Expired);
    assert!(photos[0].last_error.as_deref().unwrap().contains("expired"));
    assert_eq!(photos[0].attempts, 0, "an expired URL was requested");
    simulator.shutdown().await;
}

fn example_report() -> Report {
    serde_json::from_str(&example("j3-report.json")).unwrap()
}

fn example_claim() -> Claim {
    let claim: Claim = serde_json::from_str(&example("j4-claim-corrected-total.json")).unwrap();
    assert!(claim.validate().is_empty());
    claim
}

#[tokio::test]
async fn outbox_delivers_once_after_failures() {
    let simulator = simulator(quiet_scenario()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut service = service(&simulator, dir.path()).await;
    let report = service
        .store()
        .queue_report(&example_report())
        .await
        .unwrap();
    let claim = service.store().queue_claim(&example_claim()).await.unwrap();

    simulator
        .set_faults(FaultRates {
            http_503: 1.0,
            ..FaultRates::default()
        })
        .unwrap();
    let refused = service.send_uploads().await.unwrap();
    simulator
        .set_faults(FaultRates {
            http_500: 1.0,
            ..FaultRates::default()
        })
        .unwrap();
    let unknown = service.send_uploads().await.unwrap();
    simulator.set_faults(FaultRates::default()).unwrap();
    let delivered = service.send_uploads().await.unwrap();
    let idle = service.send_uploads().await.unwrap();

    assert_eq!(refused.not_sent, 2);
    assert_eq!(unknown.unknown, 2);
    assert_eq!((delivered.delivered, delivered.resent), (2, 2));
    assert_eq!(idle.delivered + idle.resent + idle.not_sent, 0);
    for id in [report.id, claim.id] {
        let (entry, attempts) = service.store().outbox_entry(id).await.unwrap();
        assert_eq!(entry.state, OutboxState::Delivered);
        assert_eq!(attempts.len(), 3);
    }

    let inspected: Vec<serde_json::Value> = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!("{}/uploads", simulator.inspection_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let reports = inspected
        .iter()
        .filter(|upload| upload["data"]["reportNo"] == "201808100085")
        .count();
    let claims = inspected
        .iter()
        .filter(|upload| upload["data"]["claimNo"] == "000000001")
        .count();
    assert_eq!((reports, claims), (1, 1), "{inspected:?}");
    simulator.shutdown().await;
}

#[tokio::test]
async fn outbox_parks_platform_rejection() {
    let simulator = simulator(quiet_scenario()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut service = service(&simulator, dir.path()).await;
    let mut report = example_report();
    report.report_no = "R-OTHER-INSURER".to_owned();
    report.insurance_code = serde_json::from_value(json!("PICC")).unwrap();
    let queued = service.store().queue_report(&report).await.unwrap();

    let first = service.send_uploads().await.unwrap();
    let second = service.send_uploads().await.unwrap();

    assert_eq!(first.parked, 1);
    assert_eq!(second.parked + second.delivered + second.resent, 0);
    let (entry, attempts) = service.store().outbox_entry(queued.id).await.unwrap();
    assert_eq!(entry.state, OutboxState::Parked);
    assert_eq!(attempts.len(), 1);
    let message = entry.platform_message.unwrap_or_default();
    assert!(!message.is_empty());
    assert!(simulator.uploads().is_empty());
    simulator.shutdown().await;
}

#[tokio::test]
async fn queue_rejects_invalid_claim() {
    let simulator = simulator(quiet_scenario()).await;
    let dir = tempfile::tempdir().unwrap();
    let service = service(&simulator, dir.path()).await;
    let claim: Claim =
        serde_json::from_str(&example("j4-claim-example-sum-mismatch.json")).unwrap();

    let result = service.store().queue_claim(&claim).await;

    let error = result.unwrap_err().to_string();
    assert!(error.contains("payAmout"), "{error}");
    assert!(
        service
            .store()
            .outbox_entries(None)
            .await
            .unwrap()
            .is_empty()
    );
    simulator.shutdown().await;
}

//! Criterion benchmark of the sync store: one poll cycle that receives a J2 batch of 1,000
//! accidents the store already holds, so every record goes through de-duplication (natural key
//! and content hash lookup) and is counted as a repeat.

#![allow(clippy::unwrap_used)]

use std::future::Future;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jb_model::{Accident, decode_accidents};
use jb_sync::{
    AccidentFields, DownloadFailure, DownloadedRecord, FetchedPhoto, Operation, PhotoFailure,
    PhotoRef, Plate, Platform, RecordFields, SyncService, UploadAccepted, UploadFailure,
    UploadKind,
};

/// Records per batch.
const BATCH_LEN: usize = 1_000;

/// A platform whose J2 download returns the same batch every time and that is never asked for
/// anything else.
struct RepeatingPlatform {
    batch: Vec<DownloadedRecord>,
}

impl Platform for RepeatingPlatform {
    fn download(
        &self,
        _operation: Operation,
    ) -> impl Future<Output = Result<Vec<DownloadedRecord>, DownloadFailure>> + Send {
        std::future::ready(Ok(self.batch.clone()))
    }

    fn upload(
        &self,
        _kind: UploadKind,
        _payload: &str,
    ) -> impl Future<Output = Result<UploadAccepted, UploadFailure>> + Send {
        std::future::ready(Err(UploadFailure::NotSent(
            "the benchmark platform takes no uploads".to_owned(),
        )))
    }

    fn fetch_photo(
        &self,
        _url: &str,
        _destination: &Path,
    ) -> impl Future<Output = Result<FetchedPhoto, PhotoFailure>> + Send {
        std::future::ready(Err(PhotoFailure::Failed(
            "the benchmark platform serves no photos".to_owned(),
        )))
    }
}

/// Decodes `BATCH_LEN` distinct accidents into the records a download hands to the store.
fn accident_batch() -> Vec<DownloadedRecord> {
    let batch = decode_accidents(&jb_benches::accidents_json(BATCH_LEN)).unwrap();
    assert_eq!(batch.records.len(), BATCH_LEN, "{:?}", batch.failures);
    batch
        .records
        .into_iter()
        .map(|decoded| DownloadedRecord {
            raw_json: decoded.raw,
            decoded: Ok(RecordFields::Accident(accident_fields(&decoded.record))),
            violations: decoded.violations.iter().map(ToString::to_string).collect(),
        })
        .collect()
}

fn accident_fields(accident: &Accident) -> AccidentFields {
    AccidentFields {
        accident_no: accident.accident_no.clone(),
        accident_time: accident.accident_time.as_str().to_owned(),
        district: accident.accident_place_district.clone(),
        accident_type: jb_model::Code::code(&accident.accident_type).to_owned(),
        plates: accident
            .plate_data
            .iter()
            .map(|plate| Plate {
                plate_type: jb_model::Code::code(&plate.plate_type).to_owned(),
                plate_no: plate.plate_no.clone(),
            })
            .collect(),
        photos: accident
            .photo_data
            .iter()
            .map(|photo| PhotoRef {
                photo_type: jb_model::Code::code(&photo.photo_type).to_owned(),
                photo_name: photo.photo_name.clone(),
                url: photo.photo_url.clone(),
            })
            .collect(),
    }
}

fn store(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    let platform = RepeatingPlatform {
        batch: accident_batch(),
    };
    let mut service = runtime.block_on(async {
        SyncService::builder(platform, data_dir.path())
            .operations([Operation::Accidents])
            .stdout(false)
            .fetch_photos(false)
            .build()
            .await
            .unwrap()
    });

    // The first cycle stores every record; from then on each one is a repeat.
    let first = runtime.block_on(service.run_once());
    let counts = first.polls[0].result.clone().unwrap();
    assert_eq!(
        counts.new_records, BATCH_LEN as u64,
        "first cycle: {counts:?}"
    );

    let mut group = c.benchmark_group("store");
    group.sample_size(10);
    group.throughput(Throughput::Elements(BATCH_LEN as u64));
    group.bench_function("dedupe-1000-repeated", |b| {
        b.iter(|| {
            let report = runtime.block_on(service.run_once());
            let counts = report.polls[0].result.clone().unwrap();
            assert_eq!(counts.repeated, BATCH_LEN as u64, "{counts:?}");
        });
    });
    group.finish();

    runtime.block_on(service.close());
}

criterion_group!(benches, store);
criterion_main!(benches);

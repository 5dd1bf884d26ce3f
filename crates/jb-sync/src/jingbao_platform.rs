//! [`Platform`] over the `jingbao` client.

use std::path::Path;

use jingbao::model::{Accident, Batch, Claim, Dispatch, Report, Validate, Violation, Warning};
use jingbao::transport::{PhotoError, TransportError};
use jingbao::{Client, Error};

use crate::operation::Operation;
use crate::platform::{
    DownloadFailure, FetchedPhoto, PhotoFailure, Platform, UploadAccepted, UploadFailure,
};
use crate::record::{
    AccidentFields, DispatchFields, DownloadedRecord, PhotoRef, Plate, RecordFields, WarningFields,
};
use crate::store::UploadKind;

/// The sync service's view of a [`jingbao::Client`].
///
/// Build the client with a retry policy that does not retry uploads after an unknown outcome
/// (`RetryPolicy::retry_unknown_outcome(false)`): the outbox records such an outcome and
/// decides on the re-send itself, and logs it. Each attempt seals the record anew, with a
/// fresh serialNo and timeStamp, because an envelope kept through a long backoff would carry a
/// stale timeStamp.
#[derive(Debug)]
pub struct JingbaoPlatform<T = jingbao::transport::HttpTransport> {
    client: Client<T>,
}

impl<T> JingbaoPlatform<T> {
    /// Wraps a client.
    pub fn new(client: Client<T>) -> JingbaoPlatform<T> {
        JingbaoPlatform { client }
    }

    /// The wrapped client.
    pub fn client(&self) -> &Client<T> {
        &self.client
    }
}

impl<T> Platform for JingbaoPlatform<T>
where
    T: jingbao::transport::Transport + Send + Sync,
{
    async fn download(
        &self,
        operation: Operation,
    ) -> Result<Vec<DownloadedRecord>, DownloadFailure> {
        let failure = |error: Error| DownloadFailure {
            message: error.to_string(),
        };
        match operation {
            Operation::Warnings => {
                let batch = self.client.download_warnings().await.map_err(failure)?;
                Ok(merge(batch, warning_fields))
            }
            Operation::Accidents => {
                let batch = self.client.download_accidents().await.map_err(failure)?;
                Ok(merge(batch, accident_fields))
            }
            Operation::Dispatches => {
                let batch = self.client.download_dispatches().await.map_err(failure)?;
                Ok(merge(batch, dispatch_fields))
            }
        }
    }

    async fn upload(
        &self,
        kind: UploadKind,
        payload: &str,
    ) -> Result<UploadAccepted, UploadFailure> {
        let result = match kind {
            UploadKind::Report => {
                let report: Report = serde_json::from_str(payload).map_err(|error| {
                    UploadFailure::Invalid(format!("the queued report is not a report: {error}"))
                })?;
                self.client.upload_report(&report).await
            }
            UploadKind::Claim => {
                let claim: Claim = serde_json::from_str(payload).map_err(|error| {
                    UploadFailure::Invalid(format!("the queued claim is not a claim: {error}"))
                })?;
                self.client.upload_claim(&claim).await
            }
        };
        match result {
            Ok(receipt) => Ok(UploadAccepted {
                serial_no: receipt.serial_no.to_string(),
                message: receipt.return_msg,
            }),
            Err(error) => Err(upload_failure(error)),
        }
    }

    async fn fetch_photo(
        &self,
        url: &str,
        destination: &Path,
    ) -> Result<FetchedPhoto, PhotoFailure> {
        match self.client.download_photo(url, destination).await {
            Ok(photo) => Ok(FetchedPhoto {
                sha256: photo.sha256_hex(),
                size_bytes: photo.size,
            }),
            Err(error @ PhotoError::Expired { .. }) => {
                Err(PhotoFailure::Expired(error.to_string()))
            }
            Err(error) => Err(PhotoFailure::Failed(error.to_string())),
        }
    }
}

/// Sorts an upload error into what the outbox does next.
fn upload_failure(error: Error) -> UploadFailure {
    let message = error.to_string();
    match &error {
        Error::Platform {
            return_code,
            return_msg,
            ..
        } => UploadFailure::Rejected {
            code: Some(return_code.clone()),
            message: return_msg.clone(),
        },
        Error::UploadRejected { return_msg, .. } => UploadFailure::Rejected {
            code: None,
            message: format!("FAIL {return_msg}").trim_end().to_owned(),
        },
        Error::InvalidRecord { .. } | Error::Encode { .. } => UploadFailure::Invalid(message),
        Error::Transport { source, .. } if !source.is_outcome_unknown() => match source {
            // Refused connections, HTTP 429 and 503, and other statuses that carry no
            // sign of the platform having processed the request.
            TransportError::Connect { .. } | TransportError::Status { .. } => {
                UploadFailure::NotSent(message)
            }
            _ => UploadFailure::OutcomeUnknown(message),
        },
        // A timeout, a broken exchange, or a response that arrived but could not be trusted or
        // read: the platform may have stored the record.
        _ => UploadFailure::OutcomeUnknown(message),
    }
}

/// Puts decoded records and failures back in the order the platform sent them.
fn merge<R>(batch: Batch<R>, fields: fn(&R) -> RecordFields) -> Vec<DownloadedRecord> {
    let mut records: Vec<(usize, DownloadedRecord)> = Vec::with_capacity(batch.len());
    for decoded in batch.records {
        records.push((
            decoded.index,
            DownloadedRecord {
                decoded: Ok(fields(&decoded.record)),
                violations: decoded
                    .violations
                    .iter()
                    .map(Violation::to_string)
                    .collect(),
                raw_json: decoded.raw,
            },
        ));
    }
    for failure in batch.failures {
        records.push((
            failure.index,
            DownloadedRecord {
                raw_json: failure.raw,
                decoded: Err(failure.reason),
                violations: Vec::new(),
            },
        ));
    }
    records.sort_by_key(|(index, _)| *index);
    records.into_iter().map(|(_, record)| record).collect()
}

fn warning_fields(warning: &Warning) -> RecordFields {
    RecordFields::Warning(WarningFields {
        warning_no: warning.warning_no.clone(),
        warning_time: warning.warning_time.as_str().to_owned(),
        address: warning.warning_address.clone(),
        plates: warning
            .plate_data
            .iter()
            .map(|plate| Plate {
                plate_type: plate.plate_type.code().to_owned(),
                plate_no: plate.plate_no.clone(),
            })
            .collect(),
    })
}

fn accident_fields(accident: &Accident) -> RecordFields {
    RecordFields::Accident(AccidentFields {
        accident_no: accident.accident_no.clone(),
        accident_time: accident.accident_time.as_str().to_owned(),
        district: accident.accident_place_district.clone(),
        accident_type: accident.accident_type.code().to_owned(),
        plates: accident
            .plate_data
            .iter()
            .map(|plate| Plate {
                plate_type: plate.plate_type.code().to_owned(),
                plate_no: plate.plate_no.clone(),
            })
            .collect(),
        photos: accident
            .photo_data
            .iter()
            .map(|photo| PhotoRef {
                photo_type: photo.photo_type.code().to_owned(),
                photo_name: photo.photo_name.clone(),
                url: photo.photo_url.clone(),
            })
            .collect(),
    })
}

fn dispatch_fields(dispatch: &Dispatch) -> RecordFields {
    RecordFields::Dispatch(DispatchFields {
        report_no: dispatch.report_no.clone(),
        receive_time: dispatch.receive_time.as_str().to_owned(),
        dispatch_type: dispatch.dispatch_type.code().to_owned(),
        task_type: dispatch.task_type.code().to_owned(),
        surveyor_co: dispatch.surveyor_co.clone(),
    })
}

/// An upload queued by [`Store::queue_report`](crate::Store::queue_report) or
/// [`Store::queue_claim`](crate::Store::queue_claim).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queued {
    /// The outbox entry's id.
    pub id: i64,
    /// `false` when an identical upload was already in the outbox and this is its id.
    pub newly_queued: bool,
}

impl crate::store::Store {
    /// Validates a report (J3) with every upload rule and queues it in the outbox.
    ///
    /// # Errors
    /// [`SyncError::InvalidUpload`](crate::SyncError::InvalidUpload) listing every violation;
    /// nothing is queued then.
    pub async fn queue_report(&self, report: &Report) -> Result<Queued, crate::SyncError> {
        let payload = validated_payload(report)?;
        let (id, newly_queued) = self
            .enqueue_upload(UploadKind::Report, &report.report_no, &payload)
            .await?;
        Ok(Queued { id, newly_queued })
    }

    /// Validates a claim (J4), including the rule that payAmout equals the sum of the
    /// payUnitAcount values, and queues it in the outbox.
    ///
    /// # Errors
    /// As for [`Store::queue_report`](crate::Store::queue_report).
    pub async fn queue_claim(&self, claim: &Claim) -> Result<Queued, crate::SyncError> {
        let payload = validated_payload(claim)?;
        let (id, newly_queued) = self
            .enqueue_upload(UploadKind::Claim, &claim.claim_no, &payload)
            .await?;
        Ok(Queued { id, newly_queued })
    }
}

fn validated_payload<R: Validate + serde::Serialize>(
    record: &R,
) -> Result<String, crate::SyncError> {
    let violations = record.validate();
    if !violations.is_empty() {
        let list: Vec<String> = violations.iter().map(Violation::to_string).collect();
        return Err(crate::SyncError::InvalidUpload(list.join("; ")));
    }
    serde_json::to_string(record).map_err(|error| {
        crate::SyncError::InvalidUpload(format!("cannot encode the record as JSON: {error}"))
    })
}

//! Sending queued uploads until the platform accepts them.

use std::time::Duration;

use chrono::Utc;
use rand::Rng;

use crate::error::SyncError;
use crate::metrics::UploadCounts;
use crate::platform::{Platform, UploadFailure};
use crate::progress::Progress;
use crate::stop::StopSignal;
use crate::store::{AttemptResult, OutboxState, Store};
use crate::time::format_time;

/// Waits between attempts of one upload: `initial` after the first failure, doubling each
/// time up to `max`, each wait shortened by a random part of up to a fifth so that entries
/// queued together spread out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// Wait after the first failed attempt.
    pub initial: Duration,
    /// Longest wait.
    pub max: Duration,
}

impl Default for Backoff {
    /// 30 seconds, doubling up to 30 minutes.
    fn default() -> Backoff {
        Backoff {
            initial: Duration::from_secs(30),
            max: Duration::from_secs(30 * 60),
        }
    }
}

impl Backoff {
    /// The wait after the `attempts`-th failed attempt (1 for the first).
    pub(crate) fn delay(&self, attempts: i64, rng: &mut impl Rng) -> Duration {
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let full = self
            .initial
            .saturating_mul(2u32.saturating_pow(doublings))
            .min(self.max);
        let spread = full.as_millis().min(u128::from(u64::MAX)) as u64 / 5;
        if spread == 0 {
            return full;
        }
        full.saturating_sub(Duration::from_millis(rng.gen_range(0..=spread)))
    }
}

/// The outcome of one round of sending.
#[derive(Clone, Debug, Default)]
pub(crate) struct SentUploads {
    pub(crate) counts: UploadCounts,
    /// Outbox ids of the uploads parked in this round.
    pub(crate) parked: Vec<i64>,
}

/// Sends each upload due now once. An upload that fails waits for its backoff, so it is not
/// tried twice in one call. Stops before the next upload once shutdown is requested; the
/// request in flight is finished, so that its outcome is known.
pub(crate) async fn send_due_uploads<P: Platform>(
    platform: &P,
    store: &Store,
    backoff: Backoff,
    stop: &StopSignal,
    progress: &dyn Progress,
) -> Result<SentUploads, SyncError> {
    let mut sent = SentUploads::default();
    let counts = &mut sent.counts;
    let due = store.due_upload_ids().await?;
    if due.is_empty() {
        return Ok(sent);
    }
    progress.uploads_started(due.len() as u64);

    for id in due {
        if stop.is_stopped() {
            break;
        }
        let Some(claimed) = store.claim_upload(id).await? else {
            continue;
        };
        let entry = &claimed.entry;
        if claimed.previous_state == OutboxState::UnknownOutcome {
            counts.resent += 1;
            tracing::warn!(
                upload = entry.id,
                kind = entry.kind.as_str(),
                key = %entry.business_key,
                attempt = entry.attempts,
                "sending the upload again because the outcome of its previous attempt is unknown; the platform may receive it twice"
            );
        }

        let outcome = platform.upload(entry.kind, &entry.payload).await;

        let next_attempt_at = || {
            let wait = backoff.delay(entry.attempts, &mut rand::thread_rng());
            let wait = chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
            format_time(Utc::now().checked_add_signed(wait).unwrap_or(Utc::now()))
        };
        let result = match outcome {
            Ok(accepted) => {
                counts.delivered += 1;
                tracing::info!(upload = entry.id, kind = entry.kind.as_str(), key = %entry.business_key, attempt = entry.attempts, serial_no = %accepted.serial_no, "upload delivered");
                AttemptResult::Delivered {
                    detail: format!("serialNo {}: {}", accepted.serial_no, accepted.message),
                }
            }
            Err(UploadFailure::Rejected { code, message }) => {
                counts.parked += 1;
                sent.parked.push(entry.id);
                tracing::error!(upload = entry.id, kind = entry.kind.as_str(), key = %entry.business_key, code = code.as_deref().unwrap_or(""), %message, "platform rejected the upload; parked until `jb outbox retry`");
                AttemptResult::Rejected { code, message }
            }
            Err(UploadFailure::Invalid(reason)) => {
                counts.parked += 1;
                sent.parked.push(entry.id);
                tracing::error!(upload = entry.id, kind = entry.kind.as_str(), key = %entry.business_key, %reason, "upload is invalid; parked until `jb outbox retry`");
                AttemptResult::Rejected {
                    code: None,
                    message: reason,
                }
            }
            Err(UploadFailure::NotSent(error)) => {
                counts.not_sent += 1;
                let next_attempt_at = next_attempt_at();
                tracing::warn!(upload = entry.id, kind = entry.kind.as_str(), key = %entry.business_key, attempt = entry.attempts, %error, next_attempt_at = %next_attempt_at, "upload not sent; trying again later");
                AttemptResult::NotSent {
                    error,
                    next_attempt_at,
                }
            }
            Err(UploadFailure::OutcomeUnknown(error)) => {
                counts.unknown += 1;
                let next_attempt_at = next_attempt_at();
                tracing::warn!(upload = entry.id, kind = entry.kind.as_str(), key = %entry.business_key, attempt = entry.attempts, %error, next_attempt_at = %next_attempt_at, "upload outcome unknown; it will be sent again");
                AttemptResult::Unknown {
                    error,
                    next_attempt_at,
                }
            }
        };
        store.finish_upload_attempt(&claimed, &result).await?;
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    #[test]
    fn backoff_delay_doubles_up_to_max() {
        let backoff = Backoff {
            initial: Duration::from_secs(10),
            max: Duration::from_secs(60),
        };
        let mut rng = StdRng::seed_from_u64(1);
        let first = backoff.delay(1, &mut rng);
        let third = backoff.delay(3, &mut rng);
        let tenth = backoff.delay(10, &mut rng);
        assert!(
            (Duration::from_secs(8)..=Duration::from_secs(10)).contains(&first),
            "{first:?}"
        );
        assert!(
            (Duration::from_secs(32)..=Duration::from_secs(40)).contains(&third),
            "{third:?}"
        );
        assert!(
            (Duration::from_secs(48)..=Duration::from_secs(60)).contains(&tenth),
            "{tenth:?}"
        );
    }

    #[test]
    fn backoff_delay_zero_initial_is_zero() {
        let backoff = Backoff {
            initial: Duration::ZERO,
            max: Duration::ZERO,
        };
        assert_eq!(
            backoff.delay(5, &mut StdRng::seed_from_u64(1)),
            Duration::ZERO
        );
    }

    #[test]
    fn backoff_delay_huge_attempt_count_saturates() {
        let backoff = Backoff::default();
        let delay = backoff.delay(i64::MAX, &mut StdRng::seed_from_u64(1));
        assert!(delay <= backoff.max);
    }
}

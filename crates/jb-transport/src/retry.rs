//! Retry policy: which failures are tried again, how often and how long to wait.

use std::time::{Duration, Instant};

use rand::Rng;

use crate::error::BuildError;

/// When and how often a failed request is sent again.
///
/// A request is retried after a connection failure, a timeout, a connection broken during the
/// exchange, HTTP 5xx or HTTP 429. It is never retried after any other 4xx, nor after a 2xx
/// response: a bad sign or a platform error code in such a response is found above this crate
/// and is not retried. Waits grow exponentially from [`initial_backoff`](Self::initial_backoff) by
/// [`multiplier`](Self::multiplier) up to [`max_backoff`](Self::max_backoff), each with random
/// jitter in its upper half so that many clients do not retry in step. A `Retry-After` header in
/// seconds on a 429 or 503 raises the wait to at least that value. Retrying stops after
/// [`max_attempts`](Self::max_attempts) attempts or when the next attempt would start later
/// than [`max_elapsed`](Self::max_elapsed) after the first one; the last attempt can still run
/// for up to one request timeout beyond that.
///
/// # Retries and duplicates
///
/// What a retry posts depends on the request:
///
/// - **Downloads** are given a reseal function by the `jingbao` client
///   ([`GatewayRequest::reseal_with`](crate::GatewayRequest::reseal_with)), so every retry
///   posts a freshly sealed envelope with a new `serialNo` and the current `timeStamp`. The
///   platform rejects a `serialNo` it has already seen, and a `timeStamp` that has aged through
///   a long backoff, so a byte-identical retry would fail. A download changes nothing the
///   client relies on, so repeating it is safe; a retry can return records that a lost
///   response already carried, which costs nothing because the platform repeats records across
///   polls anyway and every caller de-duplicates.
/// - **Uploads** re-send the identical body: the same `serialNo`, `timeStamp` and sign. After a
///   failure that proves the request was not processed (connection refused, HTTP 429 or 503)
///   this is the plain, safe retry. After a failure that leaves the outcome unknown (a timeout
///   after the body was sent, a connection broken mid-exchange, HTTP 500, 502 or 504), the
///   platform may already have stored the record. Then there are two cases. If the first
///   attempt never reached the platform, the retry is the first copy it sees and is stored
///   normally. If it did, a platform that checks `serialNo`s rejects the retry as a replay and
///   the call fails with that platform error code, although the record may be stored: such a
///   failure after more than one attempt says nothing about the record and must be checked like
///   an unknown outcome. A retry is never sent under a new `serialNo`, because the platform
///   documents no idempotency key and would store it as a second, separate upload.
///
/// Callers that need at most one delivery per attempt, such as an outbox that reconciles
/// unknown outcomes itself, turn off [`retry_unknown_outcome`](Self::retry_unknown_outcome):
/// uploads are then retried only after failures that prove the request was not processed, and
/// [`TransportError::is_outcome_unknown`](crate::TransportError::is_outcome_unknown) tells them
/// which failed requests to check before sending again.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    multiplier: f64,
    max_elapsed: Duration,
    retry_unknown_outcome: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            multiplier: 2.0,
            max_elapsed: Duration::from_secs(60),
            retry_unknown_outcome: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that makes exactly one attempt.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts, the first one included; 1 disables retries.
    /// Default: 4. Must be at least 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets the wait before the first retry, before jitter. Default: 500 ms.
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// Sets the longest wait between two attempts, before jitter. Default: 10 s.
    /// Must not be shorter than the initial backoff.
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// Sets the factor by which each wait grows. Default: 2.0. Must be finite and at least 1.0.
    pub fn multiplier(mut self, factor: f64) -> Self {
        self.multiplier = factor;
        self
    }

    /// Sets the time after the first attempt past which no new attempt starts. Default: 60 s.
    /// Must not be zero.
    pub fn max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// Sets whether a request that is not idempotent (an upload) is retried after a failure
    /// that leaves its outcome unknown. Default: `true`. See the type's documentation.
    pub fn retry_unknown_outcome(mut self, retry: bool) -> Self {
        self.retry_unknown_outcome = retry;
        self
    }

    /// Checks the settings; called by the builders that take a policy.
    pub(crate) fn validate(&self) -> Result<(), BuildError> {
        if self.max_attempts == 0 {
            return Err(invalid("max_attempts", "0", "at least 1 attempt is needed"));
        }
        if !self.multiplier.is_finite() || self.multiplier < 1.0 {
            return Err(invalid(
                "multiplier",
                &self.multiplier.to_string(),
                "must be a finite number of at least 1.0",
            ));
        }
        if self.max_backoff < self.initial_backoff {
            return Err(invalid(
                "max_backoff",
                &format!("{:?}", self.max_backoff),
                "must not be shorter than initial_backoff",
            ));
        }
        if self.max_elapsed.is_zero() {
            return Err(invalid("max_elapsed", "0s", "must be longer than zero"));
        }
        Ok(())
    }

    /// Returns the wait before the retry that follows attempt `attempt` (1-based), before
    /// jitter: `initial_backoff × multiplier^(attempt − 1)`, capped at `max_backoff`.
    fn base_backoff(&self, attempt: u32) -> Duration {
        let exponent = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
        let factor = self.multiplier.powi(exponent);
        let seconds = self.initial_backoff.as_secs_f64() * factor;
        if !seconds.is_finite() || seconds >= self.max_backoff.as_secs_f64() {
            return self.max_backoff;
        }
        Duration::from_secs_f64(seconds)
    }
}

fn invalid(name: &'static str, value: &str, reason: &'static str) -> BuildError {
    BuildError::InvalidSetting {
        name,
        value: value.to_owned(),
        reason,
    }
}

/// The retry class of a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FailureClass {
    /// Not worth another attempt: a 4xx, an oversized body, a rejected TLS certificate, a
    /// local error.
    Final,
    /// The request provably was not processed: retry any request.
    NotProcessed,
    /// The server may have processed the request: retry idempotent requests, and others only
    /// when the policy allows.
    OutcomeUnknown,
}

/// The retry state of one request: counts attempts and decides each wait.
#[derive(Debug)]
pub(crate) struct Schedule<'a> {
    policy: &'a RetryPolicy,
    idempotent: bool,
    started: Instant,
    attempt: u32,
}

impl<'a> Schedule<'a> {
    pub(crate) fn start(policy: &'a RetryPolicy, idempotent: bool) -> Self {
        Self {
            policy,
            idempotent,
            started: Instant::now(),
            attempt: 0,
        }
    }

    /// Counts a new attempt and returns its number, from 1.
    pub(crate) fn begin_attempt(&mut self) -> u32 {
        self.attempt += 1;
        self.attempt
    }

    /// Attempts made so far.
    pub(crate) fn attempts(&self) -> u32 {
        self.attempt
    }

    /// Returns the wait before the next attempt, or `None` when the failure is final or the
    /// attempt or time budget is spent.
    pub(crate) fn next_wait(
        &self,
        class: FailureClass,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        let allowed = match class {
            FailureClass::Final => false,
            FailureClass::NotProcessed => true,
            FailureClass::OutcomeUnknown => self.idempotent || self.policy.retry_unknown_outcome,
        };
        if !allowed || self.attempt >= self.policy.max_attempts {
            return None;
        }

        let base = self.policy.base_backoff(self.attempt);
        let mut wait = jitter(base);
        if let Some(requested) = retry_after {
            wait = wait.max(requested);
        }

        let next_start = self.started.elapsed().saturating_add(wait);
        (next_start <= self.policy.max_elapsed).then_some(wait)
    }
}

/// Picks a wait uniformly in `[base / 2, base]`.
fn jitter(base: Duration) -> Duration {
    let half = base / 2;
    let spread = u64::try_from((base - half).as_nanos()).unwrap_or(u64::MAX);
    if spread == 0 {
        return base;
    }
    let extra = rand::thread_rng().gen_range(0..=spread);
    half + Duration::from_nanos(extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_default_is_valid() {
        assert!(RetryPolicy::default().validate().is_ok());
        assert!(RetryPolicy::none().validate().is_ok());
    }

    #[test]
    fn policy_rejects_zero_attempts() {
        let error = RetryPolicy::default()
            .max_attempts(0)
            .validate()
            .unwrap_err();
        assert!(error.to_string().contains("max_attempts"), "{error}");
    }

    #[test]
    fn policy_rejects_bad_multiplier() {
        for factor in [0.5, f64::NAN, f64::INFINITY, -1.0] {
            let error = RetryPolicy::default()
                .multiplier(factor)
                .validate()
                .unwrap_err();
            assert!(error.to_string().contains("multiplier"), "{error}");
        }
    }

    #[test]
    fn policy_rejects_max_below_initial() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_secs(5))
            .max_backoff(Duration::from_secs(1));
        assert!(policy.validate().is_err());
    }

    #[test]
    fn policy_rejects_zero_elapsed() {
        let policy = RetryPolicy::default().max_elapsed(Duration::ZERO);
        assert!(policy.validate().is_err());
    }

    #[test]
    fn base_backoff_grows_and_caps() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        assert_eq!(policy.base_backoff(1), Duration::from_millis(100));
        assert_eq!(policy.base_backoff(2), Duration::from_millis(200));
        assert_eq!(policy.base_backoff(3), Duration::from_millis(350));
        assert_eq!(policy.base_backoff(u32::MAX), Duration::from_millis(350));
    }

    #[test]
    fn jitter_stays_in_upper_half() {
        let base = Duration::from_millis(100);
        for _ in 0..200 {
            let wait = jitter(base);
            assert!(wait >= Duration::from_millis(50), "{wait:?}");
            assert!(wait <= base, "{wait:?}");
        }
        assert_eq!(jitter(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn schedule_stops_at_max_attempts() {
        let policy = RetryPolicy::default()
            .max_attempts(2)
            .initial_backoff(Duration::from_millis(1))
            .max_backoff(Duration::from_millis(1));
        let mut schedule = Schedule::start(&policy, true);
        schedule.begin_attempt();
        assert!(
            schedule
                .next_wait(FailureClass::NotProcessed, None)
                .is_some()
        );
        schedule.begin_attempt();
        assert!(
            schedule
                .next_wait(FailureClass::NotProcessed, None)
                .is_none()
        );
    }

    #[test]
    fn schedule_never_retries_final() {
        let policy = RetryPolicy::default();
        let mut schedule = Schedule::start(&policy, true);
        schedule.begin_attempt();
        assert!(schedule.next_wait(FailureClass::Final, None).is_none());
    }

    #[test]
    fn schedule_unknown_outcome_respects_policy() {
        let strict = RetryPolicy::default().retry_unknown_outcome(false);
        let mut upload = Schedule::start(&strict, false);
        upload.begin_attempt();
        assert!(
            upload
                .next_wait(FailureClass::OutcomeUnknown, None)
                .is_none()
        );
        assert!(upload.next_wait(FailureClass::NotProcessed, None).is_some());

        let mut download = Schedule::start(&strict, true);
        download.begin_attempt();
        assert!(
            download
                .next_wait(FailureClass::OutcomeUnknown, None)
                .is_some()
        );
    }

    #[test]
    fn schedule_honours_retry_after_within_budget() {
        let policy = RetryPolicy::default().max_elapsed(Duration::from_secs(5));
        let mut schedule = Schedule::start(&policy, true);
        schedule.begin_attempt();
        let wait = schedule.next_wait(FailureClass::NotProcessed, Some(Duration::from_secs(3)));
        assert_eq!(wait, Some(Duration::from_secs(3)));
        let beyond = schedule.next_wait(FailureClass::NotProcessed, Some(Duration::from_secs(30)));
        assert_eq!(beyond, None);
    }
}

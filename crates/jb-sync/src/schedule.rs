//! When the next cycle starts: every interval, shifted by a random jitter so that insurers
//! started at the same moment do not poll the platform in lock-step.

use std::time::Duration;

use rand::Rng;

/// The platform expects downloads to be polled every 2 to 10 minutes.
pub(crate) const RECOMMENDED_INTERVAL: (Duration, Duration) =
    (Duration::from_secs(120), Duration::from_secs(600));

/// The wait between two cycle starts: `interval` plus a uniform offset in `[-jitter, +jitter]`.
/// `jitter` larger than `interval` is clamped to it, so the wait is never negative.
pub(crate) fn jittered(interval: Duration, jitter: Duration, rng: &mut impl Rng) -> Duration {
    let jitter = jitter.min(interval);
    if jitter.is_zero() {
        return interval;
    }
    let span = jitter.as_millis().min(u128::from(u64::MAX)) as u64;
    let offset = rng.gen_range(0..=span * 2);
    (interval + Duration::from_millis(offset)).saturating_sub(jitter)
}

/// Whether the interval lies outside the platform's recommended 2–10 minutes.
pub(crate) fn outside_recommended(interval: Duration) -> bool {
    interval < RECOMMENDED_INTERVAL.0 || interval > RECOMMENDED_INTERVAL.1
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    #[test]
    fn jittered_stays_within_bounds() {
        let mut rng = StdRng::seed_from_u64(7);
        let interval = Duration::from_secs(180);
        let jitter = Duration::from_secs(20);
        let waits: Vec<Duration> = (0..1000)
            .map(|_| jittered(interval, jitter, &mut rng))
            .collect();
        assert!(waits.iter().all(|wait| *wait >= Duration::from_secs(160)));
        assert!(waits.iter().all(|wait| *wait <= Duration::from_secs(200)));
        assert!(waits.iter().any(|wait| *wait < Duration::from_secs(175)));
        assert!(waits.iter().any(|wait| *wait > Duration::from_secs(185)));
    }

    #[test]
    fn jittered_zero_jitter_is_interval() {
        let mut rng = StdRng::seed_from_u64(7);
        let interval = Duration::from_secs(180);
        assert_eq!(jittered(interval, Duration::ZERO, &mut rng), interval);
    }

    #[test]
    fn jittered_clamps_jitter_to_interval() {
        let mut rng = StdRng::seed_from_u64(7);
        let wait = jittered(Duration::from_secs(1), Duration::from_secs(60), &mut rng);
        assert!(wait <= Duration::from_secs(2));
    }

    #[test]
    fn outside_recommended_bounds() {
        assert!(outside_recommended(Duration::from_secs(60)));
        assert!(!outside_recommended(Duration::from_secs(120)));
        assert!(!outside_recommended(Duration::from_secs(600)));
        assert!(outside_recommended(Duration::from_secs(601)));
    }
}

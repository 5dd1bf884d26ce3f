//! Replay detection: a serialNo may be used once per tenant within the clock window.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// serialNo values seen recently, per appId, bounded in time and in count.
#[derive(Debug)]
pub(crate) struct ReplayGuard {
    window: Duration,
    capacity: usize,
    seen: HashMap<(String, String), Instant>,
    order: VecDeque<(Instant, String, String)>,
}

impl ReplayGuard {
    pub(crate) fn new(window: Duration, capacity: usize) -> Self {
        Self {
            window,
            capacity: capacity.max(1),
            seen: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Records `serial_no` for `app_id` and returns `false` when it was already used within
    /// the window.
    ///
    /// A timeStamp older than the window is rejected before this check, so forgetting a
    /// serialNo after the window cannot let a replayed request through. When more serialNo
    /// values arrive within one window than the capacity, the oldest are forgotten early.
    pub(crate) fn admit(&mut self, app_id: &str, serial_no: &str, now: Instant) -> bool {
        self.forget_expired(now);

        let key = (app_id.to_owned(), serial_no.to_owned());
        if self.seen.contains_key(&key) {
            return false;
        }
        while self.order.len() >= self.capacity {
            self.pop_oldest();
        }
        self.seen.insert(key, now);
        self.order
            .push_back((now, app_id.to_owned(), serial_no.to_owned()));
        true
    }

    fn forget_expired(&mut self, now: Instant) {
        while let Some((seen_at, _, _)) = self.order.front() {
            if now.saturating_duration_since(*seen_at) <= self.window {
                break;
            }
            self.pop_oldest();
        }
    }

    fn pop_oldest(&mut self) {
        if let Some((_, app_id, serial_no)) = self.order.pop_front() {
            self.seen.remove(&(app_id, serial_no));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admit_rejects_second_use() {
        let mut guard = ReplayGuard::new(Duration::from_secs(300), 10);
        let now = Instant::now();

        assert!(guard.admit("APP", "sn1", now));
        assert!(!guard.admit("APP", "sn1", now));
    }

    #[test]
    fn admit_separates_tenants() {
        let mut guard = ReplayGuard::new(Duration::from_secs(300), 10);
        let now = Instant::now();

        assert!(guard.admit("APP1", "sn1", now));
        assert!(guard.admit("APP2", "sn1", now));
    }

    #[test]
    fn admit_forgets_after_window() {
        let mut guard = ReplayGuard::new(Duration::from_secs(300), 10);
        let start = Instant::now();

        assert!(guard.admit("APP", "sn1", start));
        assert!(guard.admit("APP", "sn1", start + Duration::from_secs(301)));
    }

    #[test]
    fn admit_evicts_oldest_past_capacity() {
        let mut guard = ReplayGuard::new(Duration::from_secs(300), 2);
        let now = Instant::now();

        assert!(guard.admit("APP", "sn1", now));
        assert!(guard.admit("APP", "sn2", now));
        assert!(guard.admit("APP", "sn3", now));

        assert!(
            guard.admit("APP", "sn1", now),
            "sn1 should have been evicted"
        );
        assert!(!guard.admit("APP", "sn3", now));
    }
}

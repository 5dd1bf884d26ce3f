//! The shutdown request a cycle watches.

use tokio::sync::watch;

/// Becomes set once shutdown is requested; cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct StopSignal(watch::Receiver<bool>);

/// Sets the [`StopSignal`]s made from it.
#[derive(Debug)]
pub(crate) struct StopTrigger(watch::Sender<bool>);

pub(crate) fn stop_pair() -> (StopTrigger, StopSignal) {
    let (sender, receiver) = watch::channel(false);
    (StopTrigger(sender), StopSignal(receiver))
}

impl StopTrigger {
    pub(crate) fn stop(&self) {
        self.0.send_replace(true);
    }
}

impl StopSignal {
    /// A signal that is never set, for a single cycle run outside the service loop.
    pub(crate) fn never() -> StopSignal {
        let (sender, receiver) = watch::channel(false);
        // Dropping the sender leaves the value false for good.
        drop(sender);
        StopSignal(receiver)
    }

    pub(crate) fn is_stopped(&self) -> bool {
        *self.0.borrow()
    }

    /// Completes once shutdown is requested; never completes if it never is.
    pub(crate) async fn stopped(&self) {
        let mut receiver = self.0.clone();
        if receiver.wait_for(|stopped| *stopped).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn stopped_completes_after_stop() {
        let (trigger, signal) = stop_pair();
        assert!(!signal.is_stopped());
        trigger.stop();
        assert!(signal.is_stopped());
        let waited = tokio::time::timeout(Duration::from_secs(1), signal.stopped()).await;
        assert!(waited.is_ok());
    }

    #[tokio::test]
    async fn never_does_not_complete() {
        let signal = StopSignal::never();
        let waited = tokio::time::timeout(Duration::from_millis(20), signal.stopped()).await;
        assert!(waited.is_err());
        assert!(!signal.is_stopped());
    }
}

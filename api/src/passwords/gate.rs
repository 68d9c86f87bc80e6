//! The argon2 gate: at most one hash per spare core at a time, and a short,
//! bounded queue behind it. A flood of bogus logins then costs its senders
//! 429s instead of delaying every real login and password change.

use std::{
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::ApiError;

/// The longest a request waits for its turn before it is refused.
const MAX_WAIT: Duration = Duration::from_secs(5);

pub struct Gate {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
    refused: AtomicU64,
}

/// Leaves the queue however the wait ends.
struct InQueue<'a>(&'a AtomicUsize);

impl Drop for InQueue<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Gate {
    pub fn new(running: usize, max_waiting: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(running.max(1))),
            waiting: AtomicUsize::new(0),
            max_waiting,
            refused: AtomicU64::new(0),
        }
    }

    /// Hashes refused since start (queue full or waited too long).
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    fn busy(&self) -> ApiError {
        self.refused.fetch_add(1, Ordering::Relaxed);
        ApiError::TooManyRequests { retry_after: 1 }
    }

    /// A turn to hash, or 429 with `Retry-After` when too many wait already.
    pub async fn enter(&self) -> Result<SemaphorePermit<'_>, ApiError> {
        if let Ok(permit) = self.permits.try_acquire() {
            return Ok(permit);
        }
        let queued = self.waiting.fetch_add(1, Ordering::SeqCst) + 1;
        let _in_queue = InQueue(&self.waiting);
        if queued > self.max_waiting {
            return Err(self.busy());
        }
        match tokio::time::timeout(MAX_WAIT, self.permits.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(closed)) => Err(ApiError::internal(closed)),
            Err(_) => Err(self.busy()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn beyond_the_queue_callers_are_refused_and_counted() {
        let gate = Gate::new(1, 1);
        let running = gate.enter().await.unwrap();
        let waiter = gate.enter();
        tokio::pin!(waiter);
        // The first waiter queues (it does not finish while the permit is held).
        assert!(tokio::time::timeout(Duration::from_millis(20), &mut waiter)
            .await
            .is_err());
        assert!(matches!(
            gate.enter().await,
            Err(ApiError::TooManyRequests { .. })
        ));
        assert_eq!(gate.refused(), 1);
        drop(running);
        assert!(waiter.await.is_ok());
    }
}

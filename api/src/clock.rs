//! The service's notion of now. Real time in production; tests move it to
//! see time-driven behaviour (maintenance windows starting and ending)
//! without waiting.

use std::sync::{
    atomic::{AtomicI64, Ordering},
    Arc,
};

use chrono::{DateTime, Duration, Utc};

/// A time as stored and hashed: whole milliseconds (both engines keep them).
pub fn truncate_to_millis(at: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::TimeZone;
    Utc.timestamp_millis_opt(at.timestamp_millis())
        .single()
        .unwrap_or(at)
}

/// RFC 3339 with milliseconds and `Z`, as hashes and signatures encode time.
pub fn format_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[derive(Clone, Default)]
pub struct Clock {
    /// Milliseconds added to the system time (0 in production).
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves this clock by `by` (tests).
    pub fn advance(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(Duration::days(8));
        assert!(clock.now() - before >= Duration::days(8));
    }
}

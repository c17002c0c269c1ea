//! Time, as the application sees it: one [`Clock`] in the application state. Handlers, use
//! cases and workers ask it for the time instead of the system, so rules that depend on time
//! (due jobs, retries, later: opening hours and auto-close) are tested by moving a
//! [`TestClock`] forward rather than by sleeping.

use std::fmt::Debug;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch (UTC): the store's unit of time.
pub type Millis = i64;

pub trait Clock: Send + Sync + Debug {
    fn now_ms(&self) -> Millis;
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> Millis {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }
}

/// A clock that stands still until told to move: for tests. Clones share one time.
#[derive(Debug, Clone)]
pub struct TestClock(Arc<AtomicI64>);

impl TestClock {
    /// A clock showing `now`.
    pub fn at(now: Millis) -> Self {
        TestClock(Arc::new(AtomicI64::new(now)))
    }

    /// A clock showing the system's time now (and standing still from then on).
    pub fn now() -> Self {
        TestClock::at(SystemClock.now_ms())
    }

    /// Moves the clock forward by `ms` (backwards for a negative `ms`).
    pub fn advance(&self, ms: Millis) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }

    pub fn set(&self, now: Millis) {
        self.0.store(now, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now_ms(&self) -> Millis {
        self.0.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_clock_moves_only_when_told() {
        let clock = TestClock::at(1_000);
        let shared = clock.clone();
        assert_eq!(clock.now_ms(), 1_000);
        shared.advance(250);
        assert_eq!(clock.now_ms(), 1_250);
        clock.set(5);
        assert_eq!(shared.now_ms(), 5);
    }

    #[test]
    fn the_system_clock_is_after_2020() {
        assert!(SystemClock.now_ms() > 1_577_836_800_000);
    }
}

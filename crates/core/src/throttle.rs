//! Failed logins, counted per account and per address: after a few failures in a row, further
//! attempts wait, for longer each time. A success clears the count; a quiet hour forgets it.

/// How failures are forgiven and punished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures in a row that may be made without waiting; the last of them starts the first
    /// wait.
    pub free_failures: u32,
    /// The first wait (ms); each further failure doubles it.
    pub first_wait_ms: i64,
    /// The longest wait (ms).
    pub max_wait_ms: i64,
    /// Failures older than this (ms since the last one) are forgotten.
    pub forget_after_ms: i64,
}

impl ThrottlePolicy {
    /// One account (whoever tries it): 5 tries, then 30 s doubling up to 15 min.
    pub const ACCOUNT: ThrottlePolicy = ThrottlePolicy {
        free_failures: 5,
        first_wait_ms: 30_000,
        max_wait_ms: 15 * 60_000,
        forget_after_ms: 60 * 60_000,
    };
    /// One address (an office may share one): 20 tries, then 1 min doubling up to 30 min.
    pub const ADDRESS: ThrottlePolicy = ThrottlePolicy {
        free_failures: 20,
        first_wait_ms: 60_000,
        max_wait_ms: 30 * 60_000,
        forget_after_ms: 60 * 60_000,
    };
}

/// The failures of one account or address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Throttle {
    failures: u32,
    last_failure: i64,
    blocked_until: i64,
}

impl Throttle {
    /// Whether an attempt may be made at `now`; else how many ms to wait.
    pub fn check(&self, now: i64) -> Result<(), i64> {
        if now < self.blocked_until {
            Err(self.blocked_until - now)
        } else {
            Ok(())
        }
    }

    /// A failed attempt at `now`.
    pub fn fail(&mut self, now: i64, policy: ThrottlePolicy) {
        if self.is_forgotten(now, policy) {
            *self = Throttle::default();
        }
        self.failures = self.failures.saturating_add(1);
        self.last_failure = now;
        if self.failures >= policy.free_failures {
            let doublings = (self.failures - policy.free_failures).min(30);
            let wait = policy
                .first_wait_ms
                .saturating_mul(1_i64 << doublings)
                .min(policy.max_wait_ms);
            self.blocked_until = now.saturating_add(wait);
        }
    }

    /// A successful attempt: the count starts again.
    pub fn succeed(&mut self) {
        *self = Throttle::default();
    }

    /// Whether nothing of this is remembered any more at `now` (it may be dropped).
    pub fn is_forgotten(&self, now: i64, policy: ThrottlePolicy) -> bool {
        now >= self.blocked_until && now - self.last_failure >= policy.forget_after_ms
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: ThrottlePolicy = ThrottlePolicy {
        free_failures: 3,
        first_wait_ms: 1_000,
        max_wait_ms: 5_000,
        forget_after_ms: 60_000,
    };

    #[test]
    fn free_failures_then_doubling_waits_up_to_the_cap() {
        let mut t = Throttle::default();
        let mut now = 0;
        for _ in 0..2 {
            assert_eq!(t.check(now), Ok(()));
            t.fail(now, P);
        }
        assert_eq!(t.check(now), Ok(()), "two failures, no wait");
        // (failure, wait it causes): the third starts the waits.
        for want in [1_000, 2_000, 4_000, 5_000, 5_000] {
            assert_eq!(t.check(now), Ok(()));
            t.fail(now, P);
            assert_eq!(t.check(now), Err(want));
            assert_eq!(t.check(now + want - 1), Err(1));
            assert_eq!(t.check(now + want), Ok(()));
            now += want;
        }
    }

    #[test]
    fn success_and_quiet_time_clear_it() {
        let mut t = Throttle::default();
        for _ in 0..5 {
            t.fail(0, P);
        }
        assert!(t.check(0).is_err());
        t.succeed();
        assert_eq!(t.check(0), Ok(()));
        assert_eq!(t.failures(), 0);

        let mut t = Throttle::default();
        for _ in 0..4 {
            t.fail(0, P);
        }
        assert!(!t.is_forgotten(59_999, P));
        // (blocked until 2 s: forgotten only after the quiet hour)
        assert!(t.is_forgotten(60_000, P));
        t.fail(60_000, P);
        assert_eq!(t.failures(), 1, "an hour later the count starts again");
        assert_eq!(t.check(60_000), Ok(()));
    }

    #[test]
    fn the_real_policies_are_sensible() {
        for p in [ThrottlePolicy::ACCOUNT, ThrottlePolicy::ADDRESS] {
            let mut t = Throttle::default();
            for _ in 1..p.free_failures {
                t.fail(0, p);
            }
            assert_eq!(t.check(0), Ok(()));
            t.fail(0, p);
            assert_eq!(t.check(0), Err(p.first_wait_ms));
            for _ in 0..100 {
                t.fail(0, p);
            }
            assert_eq!(t.check(0), Err(p.max_wait_ms), "capped, no overflow");
        }
    }
}

//! Several targets, and an instance going away: which target each client starts on, how a
//! client whose socket closed finds the next one (a short backoff, then the next target in the
//! list), requests that move on from a target refusing connections, `--kill-pid`, and the
//! summary of how long clients were away.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::{Res, Shared};

/// The first wait before reconnecting; it doubles with every failed try, up to [`BACKOFF_MAX`].
pub const BACKOFF_FIRST: Duration = Duration::from_millis(100);
/// The longest wait between two tries to reconnect.
pub const BACKOFF_MAX: Duration = Duration::from_secs(1);

/// The target client `n` starts on: clients are dealt over the targets round-robin.
pub fn target_of(n: u32, targets: usize) -> usize {
    usize::try_from(n).unwrap_or(0) % targets.max(1)
}

/// The target after `current` (the first after the last).
pub fn next_target(current: usize, targets: usize) -> usize {
    (current + 1) % targets.max(1)
}

/// How long a client waits before its try number `attempt` (from 0) to reconnect: 100 ms,
/// doubling, at most 1 s.
pub fn backoff(attempt: u32) -> Duration {
    let factor = 1u32.checked_shl(attempt).unwrap_or(u32::MAX);
    BACKOFF_FIRST.saturating_mul(factor).min(BACKOFF_MAX)
}

/// Tries `open` on the targets after `from`, the next one each time, after [`backoff`], until
/// one answers or the loader's clock passes `until` (µs): what it opened and on which target,
/// or the last failure.
pub async fn reconnect<T, F, Fut>(
    sh: &Shared,
    from: usize,
    until: u64,
    mut open: F,
) -> Result<(T, usize), String>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Res<T>>,
{
    let targets = sh.args.targets.len();
    let mut target = from;
    let mut attempt = 0;
    loop {
        tokio::time::sleep(backoff(attempt)).await;
        attempt = attempt.saturating_add(1);
        target = next_target(target, targets);
        let failure = match open(target).await {
            Ok(opened) => return Ok((opened, target)),
            Err(e) => e.to_string(),
        };
        if sh.clock.us() >= until {
            return Err(failure);
        }
    }
}

/// Sends the request `build` makes for a target, from target `first` on: while a target
/// refuses the connection (its instance is gone, so nothing was sent), the next one is tried.
pub async fn send_any(
    sh: &Shared,
    first: usize,
    build: impl Fn(&str) -> reqwest::RequestBuilder,
) -> reqwest::Result<reqwest::Response> {
    let targets = sh.args.targets.len().max(1);
    let mut i = 0;
    loop {
        match build(sh.args.target(first + i)).send().await {
            Err(e) if e.is_connect() && i + 1 < targets => i += 1,
            answered => return answered,
        }
    }
}

/// The `q` quantile of `sorted` by nearest rank (`None` when empty).
pub fn nearest_rank(sorted: &[u64], q: f64) -> Option<u64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = (q.clamp(0.0, 1.0) * n as f64).ceil() as usize;
    sorted.get(rank.clamp(1, n) - 1).copied()
}

/// How long clients were without their connection (µs each): how many times, p99 and max.
pub fn back_within(mut times: Vec<u64>) -> Value {
    times.sort_unstable();
    let ms = |us: Option<u64>| us.map(|us| us as f64 / 1000.0);
    json!({
        "count": times.len(),
        "p99_ms": ms(nearest_rank(&times, 0.99)),
        "max_ms": ms(times.last().copied()),
    })
}

/// `--kill-pid`: sends SIGKILL to `pid` when the loader's clock reaches `at` (µs), and says
/// what happened.
pub async fn kill_at(sh: Arc<Shared>, pid: u32, at: u64) -> Value {
    let wait = at.saturating_sub(sh.clock.us());
    tokio::time::sleep(Duration::from_micros(wait)).await;
    let done = sh.clock.us();
    let into_window =
        done.saturating_sub(sh.window.start.load(std::sync::atomic::Ordering::Relaxed));
    let outcome = tokio::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .output()
        .await;
    let error = match outcome {
        Ok(out) if out.status.success() => None,
        Ok(out) => Some(format!(
            "kill -9 {pid}: {} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Some(format!("kill -9 {pid}: {e}")),
    };
    json!({
        "pid": pid,
        "at_s": into_window as f64 / 1e6,
        "killed": error.is_none(),
        "error": error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_are_dealt_round_robin() {
        let dealt: Vec<usize> = (0..7).map(|n| target_of(n, 3)).collect();
        assert_eq!(dealt, [0, 1, 2, 0, 1, 2, 0]);
        assert!((0..5).all(|n| target_of(n, 1) == 0));
        // No targets is refused earlier; it still answers a target, not a panic.
        assert_eq!(target_of(4, 0), 0);
    }

    #[test]
    fn the_next_target_wraps_round() {
        assert_eq!(next_target(0, 3), 1);
        assert_eq!(next_target(2, 3), 0);
        assert_eq!(next_target(0, 1), 0);
    }

    #[test]
    fn backoff_doubles_from_100_ms_to_1_s() {
        let waits: Vec<u128> = (0..6).map(|a| backoff(a).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(backoff(31), BACKOFF_MAX);
        assert_eq!(backoff(u32::MAX), BACKOFF_MAX);
    }

    #[test]
    fn nearest_rank_quantiles() {
        assert_eq!(nearest_rank(&[], 0.99), None);
        assert_eq!(nearest_rank(&[7], 0.99), Some(7));
        let hundred: Vec<u64> = (1..=100).collect();
        assert_eq!(nearest_rank(&hundred, 0.99), Some(99));
        assert_eq!(nearest_rank(&hundred, 1.0), Some(100));
        assert_eq!(nearest_rank(&hundred, 0.0), Some(1));
        let two = [10, 20];
        assert_eq!(nearest_rank(&two, 0.5), Some(10));
        assert_eq!(nearest_rank(&two, 0.99), Some(20));
    }

    #[test]
    fn back_within_summarises_in_milliseconds() {
        let v = back_within(vec![300_000, 120_000, 1_500_000]);
        assert_eq!(v["count"], 3);
        assert_eq!(v["max_ms"], 1500.0);
        assert_eq!(v["p99_ms"], 1500.0);
        let none = back_within(Vec::new());
        assert_eq!(none["count"], 0);
        assert!(none["max_ms"].is_null());
    }
}

//! Durable jobs: run when due and not before, retried with backoff, given up after their
//! attempts, one queue at a time in order, taken over after a dead scheduler's lease, and
//! never run twice by schedulers racing for them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use app::scheduler::{JobError, Ran, Scheduler, SchedulerConfig};
use app::{Clock, Services};
use common::TestApp;
use store::{JobRecord, JobState, NewJob};

fn job<'a>(kind: &'a str, due_at: i64) -> NewJob<'a> {
    NewJob {
        kind,
        payload: "{}",
        queue: None,
        idempotency_key: None,
        due_at,
        max_attempts: 3,
    }
}

/// Every job's id as its handler saw it, in the order they ran.
type Log = Arc<Mutex<Vec<i64>>>;

fn recording(
    services: Services,
    config: SchedulerConfig,
    kind: &'static str,
    log: Log,
    fails: bool,
) -> Scheduler {
    Scheduler::new(services, config).handle(kind, move |_s: Services, j: JobRecord| {
        let log = log.clone();
        async move {
            log.lock().unwrap().push(j.id);
            if fails {
                Err(JobError::Retry(format!("attempt {} failed", j.attempts)))
            } else {
                Ok(())
            }
        }
    })
}

fn ran(done: usize, retried: usize, failed: usize) -> Ran {
    Ran {
        done,
        retried,
        failed,
    }
}

async fn a_job_runs_when_due_and_not_before(t: TestApp) {
    let log = Log::default();
    let s = recording(
        t.services.clone(),
        SchedulerConfig::default(),
        "ping",
        log.clone(),
        false,
    );
    let now = t.clock.now_ms();
    let id = t
        .store
        .enqueue(&job("ping", now + 60_000), now)
        .await
        .unwrap();
    assert_eq!(s.run_due().await.unwrap(), Ran::default());
    t.clock.advance(59_999);
    assert_eq!(s.run_due().await.unwrap(), Ran::default());
    t.clock.advance(1);
    assert_eq!(s.run_due().await.unwrap(), ran(1, 0, 0));
    assert_eq!(*log.lock().unwrap(), [id]);
    let stored = t.store.job(id).await.unwrap();
    assert_eq!((stored.state, stored.attempts), (JobState::Done, 1));
    // Done is done.
    t.clock.advance(3_600_000);
    assert_eq!(s.run_due().await.unwrap(), Ran::default());
}

async fn a_failing_job_is_retried_with_backoff_then_given_up(t: TestApp) {
    let log = Log::default();
    let s = recording(
        t.services.clone(),
        SchedulerConfig::default(),
        "flaky",
        log.clone(),
        true,
    );
    let now = t.clock.now_ms();
    let id = t.store.enqueue(&job("flaky", now), now).await.unwrap();
    assert_eq!(s.run_due().await.unwrap(), ran(0, 1, 0));
    let after_one = t.store.job(id).await.unwrap();
    assert_eq!(after_one.state, JobState::Pending);
    assert_eq!(
        after_one.due_at,
        now + 1_000,
        "first retry after the base delay"
    );
    assert_eq!(after_one.last_error.as_deref(), Some("attempt 1 failed"));
    // Not before its time.
    t.clock.advance(999);
    assert_eq!(s.run_due().await.unwrap(), Ran::default());
    t.clock.advance(1);
    assert_eq!(s.run_due().await.unwrap(), ran(0, 1, 0));
    assert_eq!(
        t.store.job(id).await.unwrap().due_at,
        now + 1_000 + 2_000,
        "doubled"
    );
    t.clock.advance(2_000);
    // The third attempt is the last (max_attempts 3).
    assert_eq!(s.run_due().await.unwrap(), ran(0, 0, 1));
    let failed = t.store.job(id).await.unwrap();
    assert_eq!((failed.state, failed.attempts), (JobState::Failed, 3));
    assert_eq!(failed.last_error.as_deref(), Some("attempt 3 failed"));
    t.clock.advance(3_600_000);
    assert_eq!(s.run_due().await.unwrap(), Ran::default());
    assert_eq!(log.lock().unwrap().len(), 3);
}

async fn a_job_without_a_handler_fails_and_a_refusal_is_final(t: TestApp) {
    let s = Scheduler::new(t.services.clone(), SchedulerConfig::default())
        .handle("refused", |_s: Services, _j: JobRecord| async {
            Err(JobError::Fail("no such user".into()))
        });
    let now = t.clock.now_ms();
    let unknown = t
        .store
        .enqueue(&job("nobody-handles-this", now), now)
        .await
        .unwrap();
    let refused = t.store.enqueue(&job("refused", now), now).await.unwrap();
    assert_eq!(s.run_due().await.unwrap(), ran(0, 0, 2));
    let u = t.store.job(unknown).await.unwrap();
    assert_eq!(u.state, JobState::Failed);
    assert!(u.last_error.unwrap().contains("no handler"));
    let r = t.store.job(refused).await.unwrap();
    assert_eq!(
        (r.state, r.attempts, r.last_error.as_deref()),
        (JobState::Failed, 1, Some("no such user"))
    );
}

async fn enqueueing_with_a_known_idempotency_key_does_nothing(t: TestApp) {
    let now = t.clock.now_ms();
    let mut once = job("ping", now);
    once.idempotency_key = Some("close:42");
    let first = t.store.enqueue(&once, now).await.unwrap();
    let again = t.store.enqueue(&once, now + 5).await.unwrap();
    assert_eq!(first, again);
    assert_eq!(t.store.jobs_of_kind("ping").await.unwrap().len(), 1);
}

/// Jobs of one queue run one at a time, in order: a later one waits while an earlier one is
/// being retried.
async fn a_queue_runs_in_order_behind_a_retried_job(t: TestApp) {
    let log = Log::default();
    let fail_first = Arc::new(Mutex::new(2));
    let (l, f) = (log.clone(), fail_first.clone());
    let s = Scheduler::new(t.services.clone(), SchedulerConfig::default()).handle(
        "send",
        move |_s: Services, j: JobRecord| {
            let (log, fails) = (l.clone(), f.clone());
            async move {
                let mut left = fails.lock().unwrap();
                if *left > 0 {
                    *left -= 1;
                    return Err(JobError::Retry("down".into()));
                }
                log.lock().unwrap().push(j.id);
                Ok(())
            }
        },
    );
    let now = t.clock.now_ms();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let mut j = job("send", now);
        j.queue = Some("room:1");
        j.max_attempts = 10;
        ids.push(t.store.enqueue(&j, now).await.unwrap());
    }
    // Another queue is not held up.
    let mut other = job("send", now);
    other.queue = Some("room:2");
    other.max_attempts = 10;
    let other = t.store.enqueue(&other, now).await.unwrap();

    // Round one: the heads of both queues; room:1's fails, room:2's too (two failures).
    assert_eq!(s.run_due().await.unwrap(), ran(0, 2, 0));
    assert!(log.lock().unwrap().is_empty());
    // Nothing of room:1 runs while its head waits for its retry.
    assert_eq!(s.run_due().await.unwrap(), Ran::default());
    t.clock.advance(1_000);
    for _ in 0..4 {
        s.run_due().await.unwrap();
    }
    let sent = log.lock().unwrap().clone();
    let room1: Vec<i64> = sent.iter().copied().filter(|i| ids.contains(i)).collect();
    assert_eq!(room1, ids, "room:1 in order, once each");
    assert!(sent.contains(&other));
    assert_eq!(sent.len(), 4);
}

/// A scheduler that died holding a job: once its lease has run out another takes the job
/// over, and the dead one's late answer changes nothing.
async fn a_dead_schedulers_job_is_taken_over_after_its_lease(t: TestApp) {
    let log = Log::default();
    let config = SchedulerConfig {
        lease_ms: 30_000,
        ..SchedulerConfig::default()
    };
    let s = recording(t.services.clone(), config, "ping", log.clone(), false);
    let now = t.clock.now_ms();
    let id = t.store.enqueue(&job("ping", now), now).await.unwrap();
    // The dead one claimed it.
    let claimed = t.store.claim_jobs(now, now + 30_000, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        s.run_due().await.unwrap(),
        Ran::default(),
        "held by a live lease"
    );
    t.clock.advance(30_000);
    assert_eq!(s.run_due().await.unwrap(), ran(1, 0, 0));
    assert_eq!(*log.lock().unwrap(), [id]);
    let done = t.store.job(id).await.unwrap();
    assert_eq!((done.state, done.attempts), (JobState::Done, 2));
    // The first attempt's answer comes too late.
    assert!(
        !t.store
            .fail_job(&claimed[0], "late", t.clock.now_ms())
            .await
            .unwrap()
    );
    assert_eq!(t.store.job(id).await.unwrap().state, JobState::Done);
}

/// Two instances' schedulers (each with its own connections) racing over many due jobs: every
/// job runs exactly once.
async fn racing_schedulers_never_run_a_job_twice(t: TestApp) {
    let now = t.clock.now_ms();
    let mut ids = Vec::new();
    for _ in 0..200 {
        ids.push(t.store.enqueue(&job("count", now), now).await.unwrap());
    }
    let log = Log::default();
    let config = SchedulerConfig {
        batch: 8,
        ..SchedulerConfig::default()
    };
    let other = t.second_instance().await;
    let mut racers = Vec::new();
    for services in [
        t.services.clone(),
        t.services.clone(),
        other.clone(),
        other.clone(),
    ] {
        let s = recording(services, config, "count", log.clone(), false);
        racers.push(tokio::spawn(async move {
            let mut total = 0;
            loop {
                let ran = s.run_due().await.unwrap();
                if ran.total() == 0 {
                    return total;
                }
                total += ran.total();
            }
        }));
    }
    let mut total = 0;
    for r in racers {
        total += r.await.unwrap();
    }
    other.store.close().await;
    assert_eq!(total, 200);
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for id in log.lock().unwrap().iter() {
        *counts.entry(*id).or_default() += 1;
    }
    assert_eq!(counts.len(), 200, "every job ran");
    assert!(counts.values().all(|n| *n == 1), "none twice: {counts:?}");
    for id in ids {
        assert_eq!(t.store.job(id).await.unwrap().state, JobState::Done);
    }
}

/// The worker itself: started with the others, it runs a job enqueued and woken for at once,
/// and stops when told.
async fn the_scheduler_worker_runs_what_falls_due(t: TestApp) {
    let log = Log::default();
    let s = recording(
        t.services.clone(),
        SchedulerConfig::default(),
        "ping",
        log.clone(),
        false,
    );
    let mut workers = app::workers::Workers::new();
    let stop = workers.stop_signal();
    workers.spawn("job scheduler", s.run(stop));
    let now = t.clock.now_ms();
    let id = t.store.enqueue(&job("ping", now), now).await.unwrap();
    t.services.wake_jobs();
    for _ in 0..100 {
        if !log.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(*log.lock().unwrap(), [id]);
    workers.stop().await;
}

/// A handler that hangs is stopped at half the lease and its job retried, so no other
/// scheduler takes the job over while this one still runs it.
async fn a_hanging_handler_is_stopped_and_its_job_retried(t: TestApp) {
    let config = SchedulerConfig {
        lease_ms: 200,
        ..SchedulerConfig::default()
    };
    let s = Scheduler::new(t.services.clone(), config).handle(
        "hang",
        |_s: Services, _j: JobRecord| async {
            tokio::time::sleep(std::time::Duration::from_secs(30)).await;
            Ok(())
        },
    );
    let now = t.clock.now_ms();
    let id = t.store.enqueue(&job("hang", now), now).await.unwrap();
    let started = std::time::Instant::now();
    assert_eq!(s.run_due().await.unwrap(), ran(0, 1, 0));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let j = t.store.job(id).await.unwrap();
    assert_eq!(j.state, JobState::Pending);
    assert!(j.last_error.unwrap().contains("half the lease"));
}

both!(
    a_hanging_handler_is_stopped_and_its_job_retried,
    a_job_runs_when_due_and_not_before,
    a_failing_job_is_retried_with_backoff_then_given_up,
    a_job_without_a_handler_fails_and_a_refusal_is_final,
    enqueueing_with_a_known_idempotency_key_does_nothing,
    a_queue_runs_in_order_behind_a_retried_job,
    a_dead_schedulers_job_is_taken_over_after_its_lease,
    racing_schedulers_never_run_a_job_twice,
    the_scheduler_worker_runs_what_falls_due,
);

//! The job scheduler: one worker that claims due jobs, runs each with the handler of its
//! kind, and finishes, retries (with backoff) or fails it.
//!
//! Claims happen in one statement (see the store's `claim_jobs`), so two schedulers — on one
//! instance or several sharing a PostgreSQL database — never run a job at once. A job runs
//! again only when its scheduler died (its lease ran out) or its handler asked for a retry.
//! The scheduler looks for due jobs when woken ([`Services::wake_jobs`]), when the next known
//! job falls due, and at least every [`SchedulerConfig::poll`] (jobs enqueued by another
//! instance).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use store::JobRecord;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::Services;
use crate::clock::Millis;
use crate::error::AppError;

/// Why a job did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// Worth trying again later (an outage, a timeout).
    #[error("{0}")]
    Retry(String),
    /// Never going to succeed (a refused request, a record gone).
    #[error("{0}")]
    Fail(String),
}

type JobFuture = Pin<Box<dyn Future<Output = Result<Option<Millis>, JobError>> + Send>>;
/// Runs one job of a kind; a timer's answers when it is due again (`None`: done).
pub type Handler = Arc<dyn Fn(Services, JobRecord) -> JobFuture + Send + Sync>;

#[derive(Debug, Clone, Copy)]
pub struct SchedulerConfig {
    /// How long a claimed job is held before another scheduler may take it over (after its
    /// own died). A handler gets half of it to finish; one that takes longer is stopped and
    /// its job retried, so a live scheduler never loses its lease while a job runs.
    pub lease_ms: Millis,
    /// Most jobs claimed (and run side by side) at once.
    pub batch: u32,
    /// Longest wait between looks for due jobs.
    pub poll: Duration,
    /// First retry delay, doubled after each failed attempt …
    pub backoff_base_ms: Millis,
    /// … up to this.
    pub backoff_max_ms: Millis,
    /// Finished jobs are deleted after this long.
    pub keep_done_ms: Millis,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        SchedulerConfig {
            lease_ms: 60_000,
            batch: 32,
            poll: Duration::from_secs(1),
            backoff_base_ms: 1_000,
            backoff_max_ms: 10 * 60_000,
            keep_done_ms: 7 * 24 * 3_600_000,
        }
    }
}

/// The delay before attempt `attempts + 1`, after `attempts` failed ones: `base`, doubled per
/// further failure, at most `max`.
pub fn backoff(attempts: i64, base: Millis, max: Millis) -> Millis {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 40)).unwrap_or(40);
    base.max(0)
        .saturating_mul(1_i64.checked_shl(doublings).unwrap_or(i64::MAX))
        .min(max)
}

/// What one look for due jobs did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ran {
    pub done: usize,
    pub retried: usize,
    pub failed: usize,
}

impl Ran {
    pub fn total(&self) -> usize {
        self.done + self.retried + self.failed
    }
}

#[derive(Clone)]
pub struct Scheduler {
    services: Services,
    handlers: HashMap<&'static str, Handler>,
    config: SchedulerConfig,
}

impl std::fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scheduler")
            .field("kinds", &self.handlers.keys().collect::<Vec<_>>())
            .field("config", &self.config)
            .finish()
    }
}

impl Scheduler {
    pub fn new(services: Services, config: SchedulerConfig) -> Self {
        Scheduler {
            services,
            handlers: HashMap::new(),
            config,
        }
    }

    /// Jobs of `kind` are run by `handler`.
    pub fn handle<F, Fut>(mut self, kind: &'static str, handler: F) -> Self
    where
        F: Fn(Services, JobRecord) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        self.handlers.insert(
            kind,
            Arc::new(move |s, j| {
                let run = handler(s, j);
                Box::pin(async move { run.await.map(|()| None) })
            }),
        );
        self
    }

    /// Timers of `kind` are run by `handler`, which answers when the timer is due again
    /// (`None`: it is done).
    pub fn handle_timer<F, Fut>(mut self, kind: &'static str, handler: F) -> Self
    where
        F: Fn(Services, JobRecord) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Option<Millis>, JobError>> + Send + 'static,
    {
        self.handlers
            .insert(kind, Arc::new(move |s, j| Box::pin(handler(s, j))));
        self
    }

    /// Claims the jobs due now and runs them (side by side), then records how each went.
    pub async fn run_due(&self) -> Result<Ran, AppError> {
        let now = self.services.now();
        let jobs = self
            .services
            .store
            .claim_jobs(now, now + self.config.lease_ms, self.config.batch)
            .await?;
        let mut running = JoinSet::new();
        let limit = Duration::from_millis(u64::try_from(self.config.lease_ms / 2).unwrap_or(0));
        for job in jobs {
            let handler = self.handlers.get(job.kind.as_str()).cloned();
            let services = self.services.clone();
            running.spawn(async move {
                let outcome = match handler {
                    Some(run) => tokio::time::timeout(limit, run(services, job.clone()))
                        .await
                        .unwrap_or_else(|_| {
                            Err(JobError::Retry(format!(
                                "stopped after {} ms (half the lease)",
                                limit.as_millis()
                            )))
                        }),
                    None => Err(JobError::Fail(format!(
                        "no handler for jobs of kind {:?}",
                        job.kind
                    ))),
                };
                (job, outcome)
            });
        }
        let mut ran = Ran::default();
        while let Some(joined) = running.join_next().await {
            let (job, outcome) = match joined {
                Ok(r) => r,
                Err(e) => {
                    // A handler panicked: its job's lease runs out and it is tried again.
                    tracing::error!(error = %e, "a job handler failed");
                    continue;
                }
            };
            self.settle(&job, outcome, &mut ran).await?;
        }
        Ok(ran)
    }

    async fn settle(
        &self,
        job: &JobRecord,
        outcome: Result<Option<Millis>, JobError>,
        ran: &mut Ran,
    ) -> Result<(), AppError> {
        let store = &self.services.store;
        let now = self.services.now();
        match outcome {
            Ok(Some(due)) => {
                store.again_job(job, due, now).await?;
                ran.done += 1;
                metrics::counter!("sangdam_jobs_total", "kind" => job.kind.clone(), "outcome" => "again")
                    .increment(1);
            }
            Ok(None) => {
                store.finish_job(job, now).await?;
                ran.done += 1;
                metrics::counter!("sangdam_jobs_total", "kind" => job.kind.clone(), "outcome" => "done")
                    .increment(1);
            }
            Err(JobError::Retry(why)) if job.attempts < job.max_attempts => {
                let delay = backoff(
                    job.attempts,
                    self.config.backoff_base_ms,
                    self.config.backoff_max_ms,
                );
                tracing::info!(job = job.id, kind = %job.kind, attempt = job.attempts, delay_ms = delay, error = %why, "job will be retried");
                store.retry_job(job, now + delay, &why, now).await?;
                ran.retried += 1;
                metrics::counter!("sangdam_jobs_total", "kind" => job.kind.clone(), "outcome" => "retry")
                    .increment(1);
            }
            Err(e) => {
                tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, error = %e, "job failed for good");
                store.fail_job(job, &e.to_string(), now).await?;
                ran.failed += 1;
                metrics::counter!("sangdam_jobs_total", "kind" => job.kind.clone(), "outcome" => "failed")
                    .increment(1);
            }
        }
        Ok(())
    }

    /// Runs due jobs until `stop` turns `true` (finishing the jobs it is running).
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let wake = self.services.jobs_due();
        let mut last_prune: Millis = 0;
        loop {
            if *stop.borrow() {
                return;
            }
            let more = match self.run_due().await {
                Ok(ran) => ran.total() >= usize::try_from(self.config.batch).unwrap_or(usize::MAX),
                Err(e) => {
                    tracing::warn!(error = %e, "looking for due jobs failed");
                    false
                }
            };
            let now = self.services.now();
            if now - last_prune > 3_600_000 {
                last_prune = now;
                if let Err(e) = self
                    .services
                    .store
                    .prune_jobs(now - self.config.keep_done_ms)
                    .await
                {
                    tracing::warn!(error = %e, "pruning finished jobs failed");
                }
            }
            if more {
                continue;
            }
            let wait = match self.services.store.next_job_due().await {
                Ok(Some(due)) => Duration::from_millis(u64::try_from(due - now).unwrap_or(0))
                    .min(self.config.poll),
                _ => self.config.poll,
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = wake.notified() => {}
                _ = stop.wait_for(|s| *s) => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_up_to_the_max() {
        let cases = [
            (0, 1_000),
            (1, 1_000),
            (2, 2_000),
            (3, 4_000),
            (4, 8_000),
            (10, 512_000),
            (11, 600_000),
            (60, 600_000),
            (i64::MAX, 600_000),
        ];
        for (attempts, delay) in cases {
            assert_eq!(backoff(attempts, 1_000, 600_000), delay, "after {attempts}");
        }
        assert_eq!(backoff(3, 0, 600_000), 0);
    }
}

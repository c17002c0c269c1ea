//! Durable jobs: everything that happens later (timers, outbound sends) is a row in `jobs`,
//! claimed by a scheduler, run, then finished, retried or failed.
//!
//! A job is claimed in one statement (see `dialect::claim_jobs`) that marks it `running` with a
//! lease and counts the attempt, so two schedulers never run it at once. Finishing is fenced by
//! the attempt number: a scheduler whose lease ran out (and whose job another scheduler took
//! over) cannot finish, retry or fail the newer attempt. A job whose scheduler died mid-run is
//! claimed again once its lease has run out; handlers must tolerate that rare second run.
//!
//! A timer is a job keyed by what it belongs to (see `timers`): setting it again moves its due
//! time, cancelling it ends it. Either, while the job runs, bumps its `generation`; the run
//! then settles the job back to pending (at the due time it was set to) instead of finishing
//! it, so a change made during a run is never lost.

use serde::Serialize;

use crate::db::Store;
use crate::error::StoreError;
use crate::records::col;

/// One job as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobRecord {
    pub id: i64,
    pub kind: String,
    /// JSON, as the job's kind defines it.
    pub payload: String,
    /// Jobs of one queue run one at a time, in the order of their ids.
    pub queue: Option<String>,
    pub idempotency_key: Option<String>,
    pub due_at: i64,
    /// Attempts started so far (the current one included, for a claimed job).
    pub attempts: i64,
    pub max_attempts: i64,
    pub state: JobState,
    pub locked_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Bumped whenever a timer is set again or cancelled (see the module's note).
    pub generation: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Pending,
    Running,
    Done,
    Failed,
    /// A timer made pointless before it fired.
    Cancelled,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Pending => "pending",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Option<JobState> {
        match s {
            "pending" => Some(JobState::Pending),
            "running" => Some(JobState::Running),
            "done" => Some(JobState::Done),
            "failed" => Some(JobState::Failed),
            "cancelled" => Some(JobState::Cancelled),
            _ => None,
        }
    }
}

impl JobRecord {
    pub(crate) fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, StoreError> {
        let state: String = col(row, "state")?;
        Ok(JobRecord {
            id: col(row, "id")?,
            kind: col(row, "kind")?,
            payload: col(row, "payload")?,
            queue: col(row, "queue")?,
            idempotency_key: col(row, "idempotency_key")?,
            due_at: col(row, "due_at")?,
            attempts: col(row, "attempts")?,
            max_attempts: col(row, "max_attempts")?,
            state: JobState::parse(&state)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown job state {state:?}")))?,
            locked_until: col(row, "locked_until")?,
            last_error: col(row, "last_error")?,
            created_at: col(row, "created_at")?,
            updated_at: col(row, "updated_at")?,
            generation: col(row, "generation")?,
        })
    }
}

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    /// JSON.
    pub payload: &'a str,
    pub queue: Option<&'a str>,
    /// Enqueueing a second job with the same key does nothing (answers the first one's id).
    pub idempotency_key: Option<&'a str>,
    pub due_at: i64,
    pub max_attempts: u32,
}

/// Longest error text kept on a job.
const MAX_ERROR_CHARS: usize = 2000;

fn cut(error: &str) -> String {
    error.chars().take(MAX_ERROR_CHARS).collect()
}

/// Inserts a job on a connection that may be inside a transaction (the outbox: a message and
/// its delivery job commit together). Answers the job's id, or the existing job's for a known
/// idempotency key.
pub(crate) async fn enqueue_on(
    conn: &mut sqlx::AnyConnection,
    job: &NewJob<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload, queue, idempotency_key, due_at, attempts, max_attempts, \
         state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 0, $6, 'pending', $7, $7) \
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(job.kind)
    .bind(job.payload)
    .bind(job.queue)
    .bind(job.idempotency_key)
    .bind(job.due_at)
    .bind(i64::from(job.max_attempts.max(1)))
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = inserted {
        return Ok(id);
    }
    let key = job
        .idempotency_key
        .ok_or(StoreError::Unavailable("the job was not stored; try again"))?;
    Ok(
        sqlx::query_scalar("SELECT id FROM jobs WHERE idempotency_key = $1")
            .bind(key)
            .fetch_one(&mut *conn)
            .await?,
    )
}

impl Store {
    /// Stores a job (once per idempotency key); answers its id.
    pub async fn enqueue(&self, job: &NewJob<'_>, now: i64) -> Result<i64, StoreError> {
        let _w = self.write_guard().await;
        let mut conn = self.pool.acquire().await?;
        enqueue_on(&mut conn, job, now).await
    }

    /// Claims up to `limit` due jobs for this scheduler, leased until `lease_until`.
    pub async fn claim_jobs(
        &self,
        now: i64,
        lease_until: i64,
        limit: u32,
    ) -> Result<Vec<JobRecord>, StoreError> {
        let _w = self.write_guard().await;
        let rows = sqlx::query(crate::dialect::claim_jobs(self.backend()))
            .bind(now)
            .bind(lease_until)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        let mut jobs = rows
            .iter()
            .map(JobRecord::from_row)
            .collect::<Result<Vec<_>, _>>()?;
        jobs.sort_by_key(|j| (j.due_at, j.id));
        Ok(jobs)
    }

    /// Marks a claimed job done; `false` when that attempt no longer holds it.
    pub async fn finish_job(&self, job: &JobRecord, now: i64) -> Result<bool, StoreError> {
        self.settle(job, "done", None, None, now).await
    }

    /// Puts a claimed timer back, due again at `due_at`, its attempts counted afresh (it ran
    /// well and has more to do later: a warning sent, the close still to come).
    pub async fn again_job(
        &self,
        job: &JobRecord,
        due_at: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.settle(job, "again", Some(due_at), None, now).await
    }

    /// Puts a claimed job back, due again at `due_at`, keeping why it failed.
    pub async fn retry_job(
        &self,
        job: &JobRecord,
        due_at: i64,
        error: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.settle(job, "pending", Some(due_at), Some(error), now)
            .await
    }

    /// Gives a claimed job up for good (no attempts left, or it can never succeed).
    pub async fn fail_job(
        &self,
        job: &JobRecord,
        error: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.settle(job, "failed", None, Some(error), now).await
    }

    /// Ends a claimed attempt: `state` is `done`, `failed`, `pending` (a retry) or `again` (a
    /// timer due again, its attempts counted afresh). A job whose generation changed while it
    /// ran (set again or cancelled meanwhile) goes back to pending at the due time it was set
    /// to, whatever the run's outcome: the run acted on what it read before the change.
    async fn settle(
        &self,
        job: &JobRecord,
        state: &str,
        due_at: Option<i64>,
        error: Option<&str>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let _w = self.write_guard().await;
        let done = sqlx::query(
            "UPDATE jobs SET \
             state = CASE WHEN generation <> $7 THEN 'pending' WHEN $1 = 'again' THEN 'pending' \
             ELSE $1 END, \
             due_at = CASE WHEN generation <> $7 THEN due_at ELSE COALESCE($2, due_at) END, \
             attempts = CASE WHEN generation <> $7 OR $1 = 'again' THEN 0 ELSE attempts END, \
             last_error = COALESCE($3, last_error), locked_until = NULL, updated_at = $4 \
             WHERE id = $5 AND attempts = $6 AND state = 'running'",
        )
        .bind(state)
        .bind(due_at)
        .bind(error.map(cut))
        .bind(now)
        .bind(job.id)
        .bind(job.attempts)
        .bind(job.generation)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// When the next job falls due: the earliest pending due time or running lease end.
    pub async fn next_job_due(&self) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT MIN(t) FROM (SELECT MIN(due_at) AS t FROM jobs WHERE state = 'pending' \
             UNION ALL SELECT MIN(locked_until) AS t FROM jobs WHERE state = 'running') AS d",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn job(&self, id: i64) -> Result<JobRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM jobs WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("job"))?;
        JobRecord::from_row(&row)
    }

    /// Jobs of one kind, oldest first (for tests and operators).
    pub async fn jobs_of_kind(&self, kind: &str) -> Result<Vec<JobRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM jobs WHERE kind = $1 ORDER BY id")
            .bind(kind)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(JobRecord::from_row).collect()
    }

    /// Deletes finished jobs last changed before `before`; answers how many.
    pub async fn prune_jobs(&self, before: i64) -> Result<u64, StoreError> {
        let _w = self.write_guard().await;
        let done = sqlx::query(
            "DELETE FROM jobs WHERE state IN ('done', 'cancelled') AND updated_at < $1",
        )
        .bind(before)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}

//! Report downloads made in the background: each one's record (who asked, for what filter,
//! in which format), its progress, and the claim that lets exactly one worker write it.
//!
//! A worker claims a queued export, or a running one whose lease ran out (its server stopped
//! midway), and renews the lease with every progress it records. Cancelling is a state
//! change the worker sees at its next progress: it then stops and removes its partial file.

use sangdam_core::{AgentId, SiteId};
use sqlx::any::AnyRow;

use crate::db::Store;
use crate::error::StoreError;
use crate::records::col;

/// Where an export stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportState {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
    /// Done, and its file deleted after its keeping time.
    Expired,
}

impl ExportState {
    pub const ALL: [ExportState; 6] = [
        ExportState::Queued,
        ExportState::Running,
        ExportState::Done,
        ExportState::Failed,
        ExportState::Cancelled,
        ExportState::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExportState::Queued => "queued",
            ExportState::Running => "running",
            ExportState::Done => "done",
            ExportState::Failed => "failed",
            ExportState::Cancelled => "cancelled",
            ExportState::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<ExportState> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// One export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRecord {
    pub id: i64,
    pub site_id: SiteId,
    /// Who asked (`None`: the command line).
    pub agent_id: Option<AgentId>,
    /// Their name then.
    pub actor_name: String,
    /// `xlsx` or `csv`.
    pub format: String,
    /// The report filter as given (JSON).
    pub filter: serde_json::Value,
    pub columns: Vec<String>,
    pub state: ExportState,
    /// How many rows the filter had when the writing started.
    pub rows_total: Option<i64>,
    pub rows_done: i64,
    pub bytes: Option<i64>,
    /// The file's name in the export directory, once done.
    pub file: Option<String>,
    pub error: Option<String>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// When the file is deleted (done exports).
    pub expires_at: Option<i64>,
}

impl ExportRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        let state: String = col(row, "state")?;
        let filter: String = col(row, "filter")?;
        let columns: String = col(row, "columns")?;
        Ok(ExportRecord {
            id: col(row, "id")?,
            site_id: SiteId::new(col(row, "site_id")?),
            agent_id: col::<Option<i64>>(row, "agent_id")?.map(AgentId::new),
            actor_name: col(row, "actor_name")?,
            format: col(row, "format")?,
            filter: serde_json::from_str(&filter)?,
            columns: serde_json::from_str(&columns)?,
            state: ExportState::parse(&state)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown export state {state:?}")))?,
            rows_total: col(row, "rows_total")?,
            rows_done: col(row, "rows_done")?,
            bytes: col(row, "bytes")?,
            file: col(row, "file")?,
            error: col(row, "error")?,
            created_at: col(row, "created_at")?,
            started_at: col(row, "started_at")?,
            finished_at: col(row, "finished_at")?,
            expires_at: col(row, "expires_at")?,
        })
    }
}

/// An export to queue.
#[derive(Debug, Clone)]
pub struct NewExport<'a> {
    pub site: SiteId,
    pub agent: Option<(AgentId, &'a str)>,
    pub format: &'a str,
    pub filter: &'a serde_json::Value,
    pub columns: &'a [String],
    pub now: i64,
}

impl Store {
    pub async fn create_export(&self, e: &NewExport<'_>) -> Result<ExportRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "INSERT INTO exports (site_id, agent_id, actor_name, format, filter, columns, state, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7) RETURNING *",
        )
        .bind(e.site.get())
        .bind(e.agent.map(|(id, _)| id.get()))
        .bind(e.agent.map_or("", |(_, name)| name))
        .bind(e.format)
        .bind(serde_json::to_string(e.filter)?)
        .bind(serde_json::to_string(e.columns)?)
        .bind(e.now)
        .fetch_one(&self.pool)
        .await?;
        ExportRecord::from_row(&row)
    }

    /// One export of `site`.
    pub async fn export_of_site(&self, site: SiteId, id: i64) -> Result<ExportRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM exports WHERE id = $1 AND site_id = $2")
            .bind(id)
            .bind(site.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("export"))?;
        ExportRecord::from_row(&row)
    }

    /// The newest `limit` exports of `site`, of one account when `agent` is given.
    pub async fn exports_of_site(
        &self,
        site: SiteId,
        agent: Option<AgentId>,
        limit: u32,
    ) -> Result<Vec<ExportRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM exports WHERE site_id = $1 AND ($2 IS NULL OR agent_id = $2) \
             ORDER BY id DESC LIMIT $3",
        )
        .bind(site.get())
        .bind(agent.map(AgentId::get))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(ExportRecord::from_row).collect()
    }

    /// Claims the oldest export waiting to be written (queued, or running under a lease that
    /// ran out), holding it until `lease_until`.
    pub async fn claim_export(
        &self,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<ExportRecord>, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE exports SET state = 'running', lease_until = $2, rows_done = 0, \
             started_at = $1 \
             WHERE id = (SELECT id FROM exports WHERE state = 'queued' \
                          OR (state = 'running' AND lease_until < $1) ORDER BY id LIMIT 1) \
             AND (state = 'queued' OR (state = 'running' AND lease_until < $1)) \
             RETURNING *",
        )
        .bind(now)
        .bind(lease_until)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(ExportRecord::from_row).transpose()
    }

    /// Records a running export's progress and renews its lease; `false` when it is no longer
    /// running (cancelled).
    pub async fn export_progress(
        &self,
        id: i64,
        rows_done: i64,
        rows_total: i64,
        lease_until: i64,
    ) -> Result<bool, StoreError> {
        let _w = self.write_guard().await;
        let done = sqlx::query(
            "UPDATE exports SET rows_done = $2, rows_total = $3, lease_until = $4 \
             WHERE id = $1 AND state = 'running'",
        )
        .bind(id)
        .bind(rows_done)
        .bind(rows_total)
        .bind(lease_until)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A running export is done: its file, rows and size; `false` when it was cancelled
    /// meanwhile (the file is then not offered).
    #[allow(clippy::too_many_arguments)]
    pub async fn finish_export(
        &self,
        id: i64,
        file: &str,
        rows: i64,
        bytes: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<bool, StoreError> {
        let _w = self.write_guard().await;
        let done = sqlx::query(
            "UPDATE exports SET state = 'done', file = $2, rows_done = $3, rows_total = $3, \
             bytes = $4, finished_at = $5, expires_at = $6, lease_until = NULL \
             WHERE id = $1 AND state = 'running'",
        )
        .bind(id)
        .bind(file)
        .bind(rows)
        .bind(bytes)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A running export failed for good.
    pub async fn fail_export(&self, id: i64, error: &str, now: i64) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "UPDATE exports SET state = 'failed', error = $2, finished_at = $3, \
             lease_until = NULL WHERE id = $1 AND state = 'running'",
        )
        .bind(id)
        .bind(error)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Cancels a queued or running export of `site`; `None` when it had ended already.
    pub async fn cancel_export(
        &self,
        site: SiteId,
        id: i64,
        now: i64,
    ) -> Result<Option<ExportRecord>, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE exports SET state = 'cancelled', finished_at = $3, lease_until = NULL \
             WHERE id = $1 AND site_id = $2 AND state IN ('queued', 'running') RETURNING *",
        )
        .bind(id)
        .bind(site.get())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(ExportRecord::from_row).transpose()
    }

    /// Done exports whose keeping time is over, marked expired; answers their files.
    pub async fn expire_exports(&self, now: i64) -> Result<Vec<String>, StoreError> {
        let _w = self.write_guard().await;
        let rows = sqlx::query(
            "UPDATE exports SET state = 'expired' WHERE state = 'done' AND expires_at <= $1 \
             RETURNING file",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| col::<Option<String>>(r, "file"))
            .filter_map(Result::transpose)
            .collect()
    }
}

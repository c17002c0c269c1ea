//! The audit log: who did which administrative action on a site, when, and on what.

use sangdam_core::{AgentId, AuditAction, AuditId, SiteId};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::Store;
use crate::error::StoreError;
use crate::records::col;

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    pub id: AuditId,
    pub site_id: SiteId,
    pub at: i64,
    /// The account that acted (`None`: the server on its own).
    pub actor_id: Option<AgentId>,
    /// The account's name when it acted.
    pub actor_name: String,
    pub action: AuditAction,
    /// What it acted on, e.g. `agent:7`, `session:12`, `room:3`, `kakao` (empty: the site).
    pub target: String,
    /// What changed (JSON object; never a secret).
    pub detail: serde_json::Value,
}

impl AuditRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        let action: String = col(row, "action")?;
        let detail: String = col(row, "detail")?;
        Ok(AuditRecord {
            id: AuditId::new(col(row, "id")?),
            site_id: SiteId::new(col(row, "site_id")?),
            at: col(row, "at")?,
            actor_id: col::<Option<i64>>(row, "actor_id")?.map(AgentId::new),
            actor_name: col(row, "actor_name")?,
            action: AuditAction::parse(&action)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown audit action {action:?}")))?,
            target: col(row, "target")?,
            detail: serde_json::from_str(&detail)?,
        })
    }
}

/// An entry to add.
#[derive(Debug, Clone)]
pub struct NewAudit<'a> {
    pub site: SiteId,
    pub at: i64,
    pub actor: Option<(AgentId, &'a str)>,
    /// Who acted when it was no account of the site (the platform operator).
    pub actor_name: Option<&'a str>,
    pub action: AuditAction,
    pub target: String,
    pub detail: serde_json::Value,
}

/// Which entries to read: newest first, before an id, of one action or one account.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    pub actor: Option<AgentId>,
    /// Only entries older than this one (paging backwards).
    pub before: Option<AuditId>,
    /// Only entries at or after this instant, and before this one.
    pub since: Option<i64>,
    pub until: Option<i64>,
}

impl Store {
    pub async fn record_audit(&self, e: &NewAudit<'_>) -> Result<AuditId, StoreError> {
        let _w = self.write_guard().await;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO audit_log (site_id, at, actor_id, actor_name, action, target, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(e.site.get())
        .bind(e.at)
        .bind(e.actor.map(|(id, _)| id.get()))
        .bind(e.actor.map_or(e.actor_name.unwrap_or(""), |(_, name)| name))
        .bind(e.action.as_str())
        .bind(&e.target)
        .bind(serde_json::to_string(&e.detail)?)
        .fetch_one(&self.pool)
        .await?;
        Ok(AuditId::new(id))
    }

    /// A site's entries matching `filter`, newest first, at most `limit`.
    pub async fn audit_log(
        &self,
        site: SiteId,
        filter: AuditFilter,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        // Absent filters bind NULL and match everything, so there is one statement to plan.
        let rows = sqlx::query(
            "SELECT * FROM audit_log WHERE site_id = $1 \
             AND ($2 IS NULL OR action = $2) \
             AND ($3 IS NULL OR actor_id = $3) \
             AND ($4 IS NULL OR id < $4) \
             AND ($5 IS NULL OR at >= $5) \
             AND ($6 IS NULL OR at < $6) \
             ORDER BY id DESC LIMIT $7",
        )
        .bind(site.get())
        .bind(filter.action.map(AuditAction::as_str))
        .bind(filter.actor.map(AgentId::get))
        .bind(filter.before.map(AuditId::get))
        .bind(filter.since)
        .bind(filter.until)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(AuditRecord::from_row).collect()
    }
}

//! Groups (teams) of a site's accounts: a manager leads the group they belong to.

use sangdam_core::{AgentId, GroupId, SiteId};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::Store;
use crate::error::StoreError;
use crate::records::col;

/// A group, with how many accounts are in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupRecord {
    pub id: GroupId,
    pub site_id: SiteId,
    pub name: String,
    pub members: i64,
    pub created_at: i64,
}

impl GroupRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(GroupRecord {
            id: GroupId::new(col(row, "id")?),
            site_id: SiteId::new(col(row, "site_id")?),
            name: col(row, "name")?,
            members: col(row, "members")?,
            created_at: col(row, "created_at")?,
        })
    }
}

const SELECT: &str = "SELECT g.*, (SELECT COUNT(*) FROM agents a WHERE a.group_id = g.id) \
                      AS members FROM groups g";

fn name_taken(name: &str) -> String {
    format!("a group named {name:?} already exists")
}

impl Store {
    /// The site's groups, by name.
    pub async fn groups(&self, site: SiteId) -> Result<Vec<GroupRecord>, StoreError> {
        let rows = sqlx::query(&format!("{SELECT} WHERE g.site_id = $1 ORDER BY g.name"))
            .bind(site.get())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(GroupRecord::from_row).collect()
    }

    pub async fn group(&self, id: GroupId) -> Result<GroupRecord, StoreError> {
        let row = sqlx::query(&format!("{SELECT} WHERE g.id = $1"))
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("group"))?;
        GroupRecord::from_row(&row)
    }

    /// A new group; a name the site has (ignoring case) is a conflict.
    pub async fn create_group(
        &self,
        site: SiteId,
        name: &str,
        now: i64,
    ) -> Result<GroupRecord, StoreError> {
        let id: i64 = {
            let _w = self.write_guard().await;
            sqlx::query_scalar(
                "INSERT INTO groups (site_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(site.get())
            .bind(name)
            .bind(now)
            .fetch_one(&self.pool)
            .await
            .map_err(|e| StoreError::unique(e, name_taken(name)))?
        };
        self.group(GroupId::new(id)).await
    }

    pub async fn rename_group(&self, id: GroupId, name: &str) -> Result<GroupRecord, StoreError> {
        {
            let _w = self.write_guard().await;
            let done = sqlx::query("UPDATE groups SET name = $1 WHERE id = $2")
                .bind(name)
                .bind(id.get())
                .execute(&self.pool)
                .await
                .map_err(|e| StoreError::unique(e, name_taken(name)))?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound("group"));
            }
        }
        self.group(id).await
    }

    /// Deletes a group; its accounts stay, in no group. Answers who was in it.
    pub async fn delete_group(&self, id: GroupId) -> Result<Vec<AgentId>, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let members: Vec<i64> = sqlx::query_scalar("SELECT id FROM agents WHERE group_id = $1")
            .bind(id.get())
            .fetch_all(&mut *tx)
            .await?;
        sqlx::query("UPDATE agents SET group_id = NULL WHERE group_id = $1")
            .bind(id.get())
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM groups WHERE id = $1")
            .bind(id.get())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("group"));
        }
        tx.commit().await?;
        Ok(members.into_iter().map(AgentId::new).collect())
    }

    /// The accounts of a group.
    pub async fn group_members(&self, id: GroupId) -> Result<Vec<AgentId>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM agents WHERE group_id = $1")
            .bind(id.get())
            .fetch_all(&self.pool)
            .await?;
        Ok(ids.into_iter().map(AgentId::new).collect())
    }
}

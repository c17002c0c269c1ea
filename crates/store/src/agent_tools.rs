//! What agents keep about a customer (R3.6): the grade, the flag, the memo's versions and the
//! tags of a profile; the site's tag list; canned replies. The rules are core's
//! (`sangdam_core::customer`, `sangdam_core::canned`); values arrive here checked.

use sangdam_core::canned::{CannedScope, CannedText};
use sangdam_core::{AgentId, Grade, ProfileId, SiteId};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::Store;
use crate::error::StoreError;
use crate::records::{ProfileRecord, col};
use crate::rooms::profile_tx;

/// One version of a profile's memo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemoRecord {
    pub id: i64,
    pub agent_id: AgentId,
    /// The writer's display name as it is now.
    pub agent_name: String,
    /// Empty: the memo was cleared.
    pub body: String,
    pub created_at: i64,
}

impl MemoRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(MemoRecord {
            id: col(row, "id")?,
            agent_id: AgentId::new(col(row, "agent_id")?),
            agent_name: col(row, "agent_name")?,
            body: col(row, "body")?,
            created_at: col(row, "created_at")?,
        })
    }
}

/// A canned reply as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CannedRecord {
    pub id: i64,
    pub site_id: SiteId,
    /// The agent whose own it is; `None`: shared.
    pub owner_id: Option<AgentId>,
    pub shortcut: String,
    pub title: String,
    pub body: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl CannedRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(CannedRecord {
            id: col(row, "id")?,
            site_id: SiteId::new(col(row, "site_id")?),
            owner_id: col::<Option<i64>>(row, "owner_id")?.map(AgentId::new),
            shortcut: col(row, "shortcut")?,
            title: col(row, "title")?,
            body: col(row, "body")?,
            created_at: col(row, "created_at")?,
            updated_at: col(row, "updated_at")?,
        })
    }

    pub fn scope(&self) -> CannedScope {
        match self.owner_id {
            Some(_) => CannedScope::Personal,
            None => CannedScope::Shared,
        }
    }
}

/// A shortcut its scope already uses: refused on the field, as a form shows it.
fn shortcut_taken(e: sqlx::Error, shortcut: &str) -> StoreError {
    match StoreError::unique(e, "") {
        StoreError::Conflict(_) => StoreError::Rule(sangdam_core::CoreError::invalid_field(
            "shortcut",
            format!(
                "the shortcut /{shortcut} is already used by another canned reply of the same scope"
            ),
        )),
        other => other,
    }
}

impl Store {
    /// Sets the profile's grade and flag; `None` keeps one as it is.
    pub async fn set_marks(
        &self,
        id: ProfileId,
        grade: Option<Grade>,
        flagged: Option<bool>,
        now: i64,
    ) -> Result<ProfileRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE profiles SET grade = COALESCE($1, grade), flagged = COALESCE($2, flagged), \
             updated_at = $3 WHERE id = $4",
        )
        .bind(grade.map(Grade::as_str))
        .bind(flagged.map(i64::from))
        .bind(now)
        .bind(id.get())
        .execute(&mut *tx)
        .await?;
        let p = profile_tx(&mut tx, id).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Saves a new version of the profile's memo (`""` clears it).
    pub async fn add_memo(
        &self,
        profile: &ProfileRecord,
        agent: AgentId,
        body: &str,
        now: i64,
    ) -> Result<MemoRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO profile_memos (site_id, profile_id, agent_id, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(profile.site_id.get())
        .bind(profile.id.get())
        .bind(agent.get())
        .bind(body)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let row = sqlx::query(
            "SELECT m.*, a.display_name AS agent_name FROM profile_memos m \
             JOIN agents a ON a.id = m.agent_id WHERE m.id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        MemoRecord::from_row(&row)
    }

    /// The memo's versions, newest first (the first is the memo), at most `limit`.
    pub async fn memos(
        &self,
        profile: ProfileId,
        limit: i64,
    ) -> Result<Vec<MemoRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.*, a.display_name AS agent_name FROM profile_memos m \
             JOIN agents a ON a.id = m.agent_id WHERE m.profile_id = $1 \
             ORDER BY m.id DESC LIMIT $2",
        )
        .bind(profile.get())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(MemoRecord::from_row).collect()
    }

    /// The profile's tags, in the order they were added.
    pub async fn tags(&self, profile: ProfileId) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query_scalar(
            "SELECT tag FROM profile_tags WHERE profile_id = $1 ORDER BY position",
        )
        .bind(profile.get())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Replaces the profile's tags (normalised, without duplicates).
    pub async fn set_tags(
        &self,
        profile: ProfileId,
        tags: &[String],
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM profile_tags WHERE profile_id = $1")
            .bind(profile.get())
            .execute(&mut *tx)
            .await?;
        for (position, tag) in tags.iter().enumerate() {
            sqlx::query("INSERT INTO profile_tags (profile_id, tag, position) VALUES ($1, $2, $3)")
                .bind(profile.get())
                .bind(tag)
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE profiles SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(profile.get())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(tags.to_vec())
    }

    /// The site's tag list.
    pub async fn site_tags(&self, site: SiteId) -> Result<Vec<String>, StoreError> {
        let text: String = sqlx::query_scalar("SELECT tag_list FROM sites WHERE id = $1")
            .bind(site.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("site"))?;
        Ok(serde_json::from_str(&text)?)
    }

    pub async fn save_site_tags(&self, site: SiteId, tags: &[String]) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("UPDATE sites SET tag_list = $1 WHERE id = $2")
            .bind(serde_json::to_string(tags)?)
            .bind(site.get())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The canned replies `agent` may use: the site's shared ones and their own.
    pub async fn canned_replies_for(
        &self,
        site: SiteId,
        agent: AgentId,
    ) -> Result<Vec<CannedRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM canned_replies WHERE site_id = $1 \
             AND (owner_id IS NULL OR owner_id = $2) ORDER BY id",
        )
        .bind(site.get())
        .bind(agent.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(CannedRecord::from_row).collect()
    }

    pub async fn canned_reply(&self, id: i64) -> Result<CannedRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM canned_replies WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("canned reply"))?;
        CannedRecord::from_row(&row)
    }

    /// Adds a canned reply, unless its owner (the site for shared ones) already keeps `limit`;
    /// a shortcut its scope already uses is a conflict.
    pub async fn insert_canned(
        &self,
        site: SiteId,
        owner: Option<AgentId>,
        text: &CannedText,
        limit: usize,
        now: i64,
    ) -> Result<CannedRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let kept: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM canned_replies WHERE site_id = $1 \
             AND COALESCE(owner_id, 0) = $2",
        )
        .bind(site.get())
        .bind(owner.map_or(0, AgentId::get))
        .fetch_one(&mut *tx)
        .await?;
        if usize::try_from(kept).unwrap_or(usize::MAX) >= limit {
            return Err(StoreError::Conflict(format!(
                "at most {limit} canned replies of this scope; delete one first"
            )));
        }
        let row = sqlx::query(
            "INSERT INTO canned_replies (site_id, owner_id, shortcut, title, body, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *",
        )
        .bind(site.get())
        .bind(owner.map(AgentId::get))
        .bind(&text.shortcut)
        .bind(&text.title)
        .bind(&text.body)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| shortcut_taken(e, &text.shortcut))?;
        tx.commit().await?;
        CannedRecord::from_row(&row)
    }

    pub async fn update_canned(
        &self,
        id: i64,
        text: &CannedText,
        now: i64,
    ) -> Result<CannedRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE canned_replies SET shortcut = $1, title = $2, body = $3, updated_at = $4 \
             WHERE id = $5 RETURNING *",
        )
        .bind(&text.shortcut)
        .bind(&text.title)
        .bind(&text.body)
        .bind(now)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| shortcut_taken(e, &text.shortcut))?
        .ok_or(StoreError::NotFound("canned reply"))?;
        CannedRecord::from_row(&row)
    }

    pub async fn delete_canned(&self, id: i64) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let done = sqlx::query("DELETE FROM canned_replies WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("canned reply"));
        }
        Ok(())
    }
}

//! Linking a room to an ID by hand, the link journal, and undoing a link.

use sangdam_core::{ProfileId, RoomId, SiteId};

use crate::db::Store;
use crate::error::StoreError;
use crate::records::{LinkRecord, col};
use crate::rooms::*;

impl Store {
    /// An agent sets or corrects a room's ID: the room joins that ID's profile (R2.5).
    pub async fn link_room(
        &self,
        room: RoomId,
        uid: &str,
        actor: &str,
        now: i64,
    ) -> Result<ProfileId, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let room = room_tx(&mut tx, room).await?;
        let profile = link_room_tx(&mut tx, &room, uid, actor, "set by an agent", now).await?;
        tx.commit().await?;
        Ok(profile)
    }

    /// One entry of the link journal, of any site (its room says which).
    pub async fn link_entry(&self, id: i64) -> Result<LinkRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM link_journal WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("link"))?;
        LinkRecord::from_row(&row)
    }

    pub async fn link_journal(&self, room: RoomId) -> Result<Vec<LinkRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM link_journal WHERE room_id = $1 ORDER BY id DESC")
            .bind(room.get())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(LinkRecord::from_row).collect()
    }

    /// Undoes a link: the room returns to its earlier profile and the profiles touched get
    /// their earlier values back. Only a room's latest link that is still in force can be
    /// undone, so an undo never skips over a later change.
    pub async fn undo_link(
        &self,
        site: SiteId,
        journal_id: i64,
        actor: &str,
        now: i64,
    ) -> Result<LinkRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT * FROM link_journal WHERE id = $1 AND site_id = $2")
            .bind(journal_id)
            .bind(site.get())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("link"))?;
        let entry = LinkRecord::from_row(&row)?;
        if entry.undone_at.is_some() {
            return Err(StoreError::Conflict("this link was already undone".into()));
        }
        let latest = sqlx::query(
            "SELECT MAX(id) AS n FROM link_journal WHERE room_id = $1 AND undone_at IS NULL",
        )
        .bind(entry.room_id.get())
        .fetch_one(&mut *tx)
        .await?;
        if col::<Option<i64>>(&latest, "n")? != Some(entry.id) {
            return Err(StoreError::Conflict(
                "a later link of this room is in force; undo that one first".into(),
            ));
        }
        let before_text: String = col(&row, "before")?;
        let before: Snapshot = serde_json::from_str(&before_text)?;
        // Free the IDs first so restoring them cannot collide on the unique index.
        for p in &before.profiles {
            sqlx::query("UPDATE profiles SET site_uid = NULL WHERE id = $1")
                .bind(p.id)
                .execute(&mut *tx)
                .await?;
        }
        for p in &before.profiles {
            sqlx::query(
                "UPDATE profiles SET site_uid = $1, name = $2, phone = $3, email = $4, \
                 custom = $5, updated_at = $6 WHERE id = $7",
            )
            .bind(p.site_uid.as_deref())
            .bind(p.name.as_deref())
            .bind(p.phone.as_deref())
            .bind(p.email.as_deref())
            .bind(serde_json::to_string(&p.custom)?)
            .bind(now)
            .bind(p.id)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                StoreError::unique(e, "another profile has taken this ID since; cannot undo")
            })?;
        }
        sqlx::query("UPDATE rooms SET profile_id = $1 WHERE id = $2")
            .bind(before.room_profile_id)
            .bind(entry.room_id.get())
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query(
            "UPDATE link_journal SET undone_at = $1, undone_by = $2 WHERE id = $3 RETURNING *",
        )
        .bind(now)
        .bind(actor)
        .bind(entry.id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        LinkRecord::from_row(&row)
    }
}

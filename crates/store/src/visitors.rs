//! Web chat visitors: a browser's credential (stored hashed) and the room it belongs to.

use sangdam_core::{RoomId, SiteId};

use crate::db::Store;
use crate::error::StoreError;
use crate::records::VisitorRecord;

impl Store {
    pub async fn create_visitor(
        &self,
        site: SiteId,
        key_hash: &str,
        room: RoomId,
        verified: bool,
        since_message_id: i64,
        now: i64,
    ) -> Result<VisitorRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "INSERT INTO visitors (site_id, key_hash, room_id, verified, since_message_id, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *",
        )
        .bind(site.get())
        .bind(key_hash)
        .bind(room.get())
        .bind(i64::from(verified))
        .bind(since_message_id)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        VisitorRecord::from_row(&row)
    }

    pub async fn update_visitor(
        &self,
        id: i64,
        room: RoomId,
        verified: bool,
        since_message_id: i64,
        now: i64,
    ) -> Result<VisitorRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE visitors SET room_id = $1, verified = $2, since_message_id = $3, \
             updated_at = $4 WHERE id = $5 RETURNING *",
        )
        .bind(room.get())
        .bind(i64::from(verified))
        .bind(since_message_id)
        .bind(now)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("visitor"))?;
        VisitorRecord::from_row(&row)
    }

    pub async fn visitor(&self, key_hash: &str) -> Result<Option<VisitorRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM visitors WHERE key_hash = $1")
            .bind(key_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(VisitorRecord::from_row).transpose()
    }
}

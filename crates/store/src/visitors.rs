//! Web chat visitors: a browser's credential (stored hashed) and the room it belongs to.

use sangdam_core::{ConsultationId, RoomId, SiteId};

use crate::db::Store;
use crate::error::StoreError;
use crate::records::VisitorRecord;
use crate::rooms::PendingInflow;

/// What a chat window's arrival left it with: a consultation it joined, or the inflow its
/// first message will open one with.
#[derive(Debug, Clone, Copy)]
pub enum Joined<'a> {
    Consultation(ConsultationId),
    Pending(&'a PendingInflow),
}

impl Joined<'_> {
    fn consultation(&self) -> Option<ConsultationId> {
        match self {
            Joined::Consultation(c) => Some(*c),
            Joined::Pending(_) => None,
        }
    }

    fn pending_json(&self) -> Result<Option<String>, StoreError> {
        match self {
            Joined::Consultation(_) => Ok(None),
            Joined::Pending(p) => Ok(Some(serde_json::to_string(p)?)),
        }
    }
}

impl Store {
    #[allow(clippy::too_many_arguments)]
    pub async fn create_visitor(
        &self,
        site: SiteId,
        key_hash: &str,
        room: RoomId,
        verified: bool,
        since_seq: i64,
        joined: &Joined<'_>,
        now: i64,
    ) -> Result<VisitorRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "INSERT INTO visitors (site_id, key_hash, room_id, verified, since_seq, \
             consultation_id, pending_inflow, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING *",
        )
        .bind(site.get())
        .bind(key_hash)
        .bind(room.get())
        .bind(i64::from(verified))
        .bind(since_seq)
        .bind(joined.consultation().map(|c| c.get()))
        .bind(joined.pending_json()?)
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
        since_seq: i64,
        joined: &Joined<'_>,
        now: i64,
    ) -> Result<VisitorRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE visitors SET room_id = $1, verified = $2, since_seq = $3, \
             consultation_id = $4, pending_inflow = $5, updated_at = $6 WHERE id = $7 \
             RETURNING *",
        )
        .bind(room.get())
        .bind(i64::from(verified))
        .bind(since_seq)
        .bind(joined.consultation().map(|c| c.get()))
        .bind(joined.pending_json()?)
        .bind(now)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("visitor"))?;
        VisitorRecord::from_row(&row)
    }

    pub async fn visitor_by_id(&self, id: i64) -> Result<Option<VisitorRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM visitors WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(VisitorRecord::from_row).transpose()
    }

    pub async fn visitor(&self, key_hash: &str) -> Result<Option<VisitorRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM visitors WHERE key_hash = $1")
            .bind(key_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(VisitorRecord::from_row).transpose()
    }
}

//! Deleting a consultation's data: its messages (and their entries in the search index), the
//! files they carried, the inflows (the chat URLs and parameters it arrived with). The
//! consultation itself stays, marked deleted (HappyTalk's state 3), so reports still count it.

use sangdam_core::{ConsultationId, Transition};

use crate::db::{Backend, Store};
use crate::dialect;
use crate::error::StoreError;
use crate::records::{ConsultationRecord, col};

/// A consultation whose data was deleted, and the file contents no record names any more
/// (to remove from the file storage after the commit).
#[derive(Debug, Clone)]
pub struct Deleted {
    pub consultation: ConsultationRecord,
    pub unused_blobs: Vec<String>,
    pub messages: u64,
    pub files: u64,
}

impl Store {
    /// Deletes the data of a finished consultation in one transaction (see the module); one
    /// still open is refused by the state machine.
    pub async fn delete_consultation_data(
        &self,
        id: ConsultationId,
        now: i64,
    ) -> Result<Deleted, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT * FROM consultations WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("consultation"))?;
        let current = ConsultationRecord::from_row(&row)?;
        let next = sangdam_core::transition(current.state, Transition::Delete)?;

        let message_ids: Vec<i64> =
            sqlx::query_scalar(dialect::lock_consultation_messages(self.backend()))
                .bind(id.get())
                .fetch_all(&mut *tx)
                .await?;
        let file_ids: Vec<i64> = sqlx::query_scalar(
            "SELECT file_id FROM messages WHERE consultation_id = $1 AND file_id IS NOT NULL",
        )
        .bind(id.get())
        .fetch_all(&mut *tx)
        .await?;
        let index = match self.backend() {
            Backend::Sqlite => "DELETE FROM message_search WHERE rowid = $1",
            Backend::Postgres => "DELETE FROM message_search WHERE message_id = $1",
        };
        for m in &message_ids {
            sqlx::query(index).bind(m).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM messages WHERE consultation_id = $1")
            .bind(id.get())
            .execute(&mut *tx)
            .await?;
        let mut blobs: Vec<String> = Vec::new();
        for f in &file_ids {
            let row = sqlx::query("DELETE FROM files WHERE id = $1 RETURNING sha256, thumb_sha256")
                .bind(f)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(row) = row {
                blobs.push(col(&row, "sha256")?);
                blobs.extend(col::<Option<String>>(&row, "thumb_sha256")?);
            }
        }
        let unused_blobs = crate::files::unused_blobs_tx(&mut tx, blobs).await?;
        sqlx::query("DELETE FROM inflows WHERE consultation_id = $1")
            .bind(id.get())
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query(
            "UPDATE consultations SET state = $1, rating_comment = NULL, updated_at = $2 \
             WHERE id = $3 RETURNING *",
        )
        .bind(next.code())
        .bind(now)
        .bind(id.get())
        .fetch_one(&mut *tx)
        .await?;
        let consultation = ConsultationRecord::from_row(&row)?;
        tx.commit().await?;
        Ok(Deleted {
            consultation,
            unused_blobs,
            messages: message_ids.len() as u64,
            files: file_ids.len() as u64,
        })
    }
}

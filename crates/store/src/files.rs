//! Images and files sent in consultations: their records (the bytes are in the file storage,
//! under their SHA-256) and each site's rules for them.

use sangdam_core::file::{FileKind, FileRules};
use sangdam_core::{FileId, MessageId, RoomId, SiteId};

use crate::db::Store;
use crate::error::StoreError;
use crate::records::{FileRef, MessageRecord, col, parse_file_kind};

/// A file to record, its bytes already stored.
#[derive(Debug, Clone)]
pub struct NewFile<'a> {
    pub site: SiteId,
    pub room: RoomId,
    pub sha256: &'a str,
    pub kind: FileKind,
    pub media_type: &'a str,
    pub name: &'a str,
    pub size: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub thumb_sha256: Option<&'a str>,
    pub now: i64,
}

/// A recorded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    pub id: FileId,
    pub site_id: SiteId,
    pub room_id: RoomId,
    pub sha256: String,
    pub kind: FileKind,
    pub media_type: String,
    pub name: String,
    pub size: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub thumb_sha256: Option<String>,
    pub created_at: i64,
}

impl FileRecord {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, StoreError> {
        let kind: String = col(row, "kind")?;
        Ok(FileRecord {
            id: FileId::new(col(row, "id")?),
            site_id: SiteId::new(col(row, "site_id")?),
            room_id: RoomId::new(col(row, "room_id")?),
            sha256: col(row, "sha256")?,
            kind: parse_file_kind(&kind)?,
            media_type: col(row, "media_type")?,
            name: col(row, "name")?,
            size: col(row, "size")?,
            width: col(row, "width")?,
            height: col(row, "height")?,
            thumb_sha256: col(row, "thumb_sha256")?,
            created_at: col(row, "created_at")?,
        })
    }

    /// What a message carrying this file says of it.
    pub fn to_ref(&self) -> FileRef {
        FileRef {
            id: self.id,
            kind: self.kind,
            media_type: self.media_type.clone(),
            name: self.name.clone(),
            size: self.size,
            width: self.width,
            height: self.height,
            thumbnail: self.thumb_sha256.is_some(),
        }
    }
}

impl Store {
    pub async fn insert_file(&self, f: &NewFile<'_>) -> Result<FileRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "INSERT INTO files (site_id, room_id, sha256, kind, media_type, name, size, width, \
             height, thumb_sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11) RETURNING *",
        )
        .bind(f.site.get())
        .bind(f.room.get())
        .bind(f.sha256)
        .bind(f.kind.as_str())
        .bind(f.media_type)
        .bind(f.name)
        .bind(f.size)
        .bind(f.width)
        .bind(f.height)
        .bind(f.thumb_sha256)
        .bind(f.now)
        .fetch_one(&self.pool)
        .await?;
        FileRecord::from_row(&row)
    }

    /// Attaches a recorded file to a message stored without one (a messenger user's image,
    /// fetched after the message was stored). `false`: the message carries a file already.
    pub async fn attach_file(&self, message: MessageId, file: FileId) -> Result<bool, StoreError> {
        let _w = self.write_guard().await;
        let done =
            sqlx::query("UPDATE messages SET file_id = $1 WHERE id = $2 AND file_id IS NULL")
                .bind(file.get())
                .bind(message.get())
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn file(&self, id: FileId) -> Result<FileRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM files WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("file"))?;
        FileRecord::from_row(&row)
    }

    /// The message that carries a file (none while it is being sent, or if sending failed).
    pub async fn message_of_file(&self, id: FileId) -> Result<Option<MessageRecord>, StoreError> {
        sqlx::query(crate::messages::message_select!(
            "WHERE m.file_id = $1 ORDER BY m.id LIMIT 1"
        ))
        .bind(id.get())
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(MessageRecord::from_row)
        .transpose()
    }

    /// Removes the record of a file no message carries (an upload whose message could not be
    /// stored), answering the blobs no other record names any more, which the caller removes
    /// from the file storage. A file a message carries stays: nothing is answered.
    pub async fn remove_unsent_file(&self, id: FileId) -> Result<Vec<String>, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "DELETE FROM files WHERE id = $1 AND NOT EXISTS \
             (SELECT 1 FROM messages m WHERE m.file_id = $1) RETURNING sha256, thumb_sha256",
        )
        .bind(id.get())
        .fetch_optional(&mut *tx)
        .await?;
        let mut blobs = Vec::new();
        if let Some(row) = row {
            blobs.push(col(&row, "sha256")?);
            blobs.extend(col::<Option<String>>(&row, "thumb_sha256")?);
        }
        let unused = unused_blobs_tx(&mut tx, blobs).await?;
        tx.commit().await?;
        Ok(unused)
    }

    /// What a site accepts (the default rules until its admin saves others).
    pub async fn file_rules(&self, site: SiteId) -> Result<FileRules, StoreError> {
        let row = sqlx::query("SELECT file_rules FROM sites WHERE id = $1")
            .bind(site.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("site"))?;
        let text: String = col(&row, "file_rules")?;
        if text.trim() == "{}" {
            return Ok(FileRules::default());
        }
        Ok(serde_json::from_str(&text)?)
    }

    pub async fn save_file_rules(&self, site: SiteId, rules: &FileRules) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let done = sqlx::query("UPDATE sites SET file_rules = $1 WHERE id = $2")
            .bind(serde_json::to_string(rules)?)
            .bind(site.get())
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("site"));
        }
        Ok(())
    }
}

/// Of the contents `blobs` (keys of removed file records), those no file record names any
/// more, once each: what may leave the storage after the commit.
pub(crate) async fn unused_blobs_tx(
    tx: &mut crate::rooms::Tx<'_>,
    blobs: Vec<String>,
) -> Result<Vec<String>, StoreError> {
    let mut unused: Vec<String> = Vec::new();
    for blob in blobs {
        if unused.contains(&blob) {
            continue;
        }
        let named =
            sqlx::query("SELECT 1 AS x FROM files WHERE sha256 = $1 OR thumb_sha256 = $1 LIMIT 1")
                .bind(&blob)
                .fetch_optional(&mut **tx)
                .await?;
        if named.is_none() {
            unused.push(blob);
        }
    }
    Ok(unused)
}

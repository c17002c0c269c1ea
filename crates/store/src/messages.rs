//! Reading messages (the message writer stores them), and handing Kakao users the agent
//! replies waiting for them.

use sangdam_core::{ConsultationId, MessageId, RoomId};

use crate::db::Store;
use crate::error::StoreError;
use crate::records::{MessageRecord, col};

/// Messages with their files, to go on with a `WHERE`: `m` is the message, `f` its file (the
/// columns [`MessageRecord::from_row`] reads as `file_*`).
macro_rules! message_select {
    ($($rest:literal),+) => {
        concat!(
            "SELECT m.*, f.kind AS file_kind, f.media_type AS file_media_type, \
             f.name AS file_name, f.size AS file_size, f.width AS file_width, \
             f.height AS file_height, f.thumb_sha256 AS file_thumb \
             FROM messages m LEFT JOIN files f ON f.id = m.file_id ",
            $($rest),+
        )
    };
}
pub(crate) use message_select;

impl Store {
    pub async fn message(&self, id: MessageId) -> Result<MessageRecord, StoreError> {
        let row = sqlx::query(message_select!("WHERE m.id = $1"))
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("message"))?;
        MessageRecord::from_row(&row)
    }

    /// The message of a room stored under its sender's id `client_msg_id`, if any.
    pub async fn message_by_client_id(
        &self,
        room: RoomId,
        client_msg_id: &str,
    ) -> Result<Option<MessageRecord>, StoreError> {
        sqlx::query(message_select!(
            "WHERE m.room_id = $1 AND m.client_msg_id = $2"
        ))
        .bind(room.get())
        .bind(client_msg_id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(MessageRecord::from_row)
        .transpose()
    }

    /// Records that a message reached the customer's messenger.
    pub async fn mark_delivered(&self, id: MessageId, now: i64) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("UPDATE messages SET delivered_at = $1 WHERE id = $2 AND delivered_at IS NULL")
            .bind(now)
            .bind(id.get())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Messages of a room after `after` (exclusive), oldest first.
    /// The room's messages after number `after` of its sequence, in order (at most `limit`).
    pub async fn room_messages(
        &self,
        room: RoomId,
        after: i64,
        limit: i64,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let rows = sqlx::query(message_select!(
            "WHERE m.room_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3"
        ))
        .bind(room.get())
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(MessageRecord::from_row).collect()
    }

    pub async fn consultation_messages(
        &self,
        consultation: ConsultationId,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        // Through the room's index: a consultation's messages are among its room's.
        let rows = sqlx::query(message_select!(
            "JOIN consultations c ON m.room_id = c.room_id \
             WHERE c.id = $1 AND m.consultation_id = $1 ORDER BY m.seq"
        ))
        .bind(consultation.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(MessageRecord::from_row).collect()
    }

    /// A consultation's messages after number `after` of its room's sequence, oldest first, at
    /// most `limit`.
    pub async fn consultation_messages_after(
        &self,
        consultation: ConsultationId,
        after: i64,
        limit: i64,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let rows = sqlx::query(message_select!(
            "JOIN consultations c ON m.room_id = c.room_id \
             WHERE c.id = $1 AND m.consultation_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3"
        ))
        .bind(consultation.get())
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(MessageRecord::from_row).collect()
    }

    /// The oldest messages of a room for its customer not yet delivered — agents' replies, the
    /// chatbot's answers and the system's messages to the customer (the title message) — which Kakao answers in the
    /// next skill response, marked delivered in the same transaction: as many as fit in
    /// `capacity`, each costing `cost(message)`, and always the oldest one. (A messenger room's
    /// other system messages, notes of the platform's events, are Naver's only.)
    ///
    /// The capacity exists because a skill response holds at most three texts: taking every
    /// waiting reply at once cut the ones that did not fit and marked them delivered, so the
    /// customer never saw them (found by the integration tests). What does not fit now stays
    /// for the next response.
    pub async fn take_undelivered_replies(
        &self,
        room: RoomId,
        now: i64,
        capacity: usize,
        cost: impl Fn(&MessageRecord) -> usize,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let waiting = message_select!(
            "WHERE m.room_id = $1 \
             AND m.sender IN ('agent', 'bot', 'system') AND m.delivered_at IS NULL ORDER BY m.seq"
        );
        // Most requests find nothing waiting: they are answered without a write transaction
        // (which on SQLite would queue behind the message writer). A reply stored just after
        // this look goes out with the next request.
        let any = sqlx::query(waiting)
            .bind(room.get())
            .fetch_optional(&self.pool)
            .await?;
        if any.is_none() {
            return Ok(Vec::new());
        }
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(waiting)
            .bind(room.get())
            .fetch_all(&mut *tx)
            .await?;
        let waiting: Vec<MessageRecord> = rows
            .iter()
            .map(MessageRecord::from_row)
            .collect::<Result<_, _>>()?;
        let mut used = 0;
        let mut messages = Vec::new();
        for m in waiting {
            used += cost(&m);
            if used > capacity && !messages.is_empty() {
                break;
            }
            messages.push(m);
        }
        if let Some(last) = messages.last() {
            sqlx::query(
                "UPDATE messages SET delivered_at = $1, delivered_via = 'next_message' \
                 WHERE room_id = $2 AND sender IN ('agent', 'bot', 'system') \
                 AND delivered_at IS NULL AND seq <= $3",
            )
            .bind(now)
            .bind(room.get())
            .bind(last.seq)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(messages)
    }

    /// The replies a Kakao user has not got, oldest first, as many as fit in `capacity` (as
    /// [`Store::take_undelivered_replies`] counts), without marking them: what a callback is
    /// about to send.
    pub async fn peek_undelivered_replies(
        &self,
        room: RoomId,
        capacity: usize,
        cost: impl Fn(&MessageRecord) -> usize,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let rows = sqlx::query(message_select!(
            "WHERE m.room_id = $1 \
             AND m.sender IN ('agent', 'bot', 'system') AND m.delivered_at IS NULL ORDER BY m.seq"
        ))
        .bind(room.get())
        .fetch_all(&self.pool)
        .await?;
        let mut used = 0;
        let mut messages = Vec::new();
        for row in &rows {
            let m = MessageRecord::from_row(row)?;
            used += cost(&m);
            if used > capacity && !messages.is_empty() {
                break;
            }
            messages.push(m);
        }
        Ok(messages)
    }

    /// Marks messages `ids` delivered `via` a route (those not delivered yet); answers the ones
    /// it marked.
    pub async fn mark_delivered_via(
        &self,
        ids: &[MessageId],
        via: &str,
        now: i64,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let _w = self.write_guard().await;
        let mut marked = Vec::new();
        for id in ids {
            let changed = sqlx::query(
                "UPDATE messages SET delivered_at = $1, delivered_via = $2 \
                 WHERE id = $3 AND delivered_at IS NULL",
            )
            .bind(now)
            .bind(via)
            .bind(id.get())
            .execute(&self.pool)
            .await?
            .rows_affected();
            if changed > 0 {
                let row = sqlx::query(message_select!("WHERE m.id = $1"))
                    .bind(id.get())
                    .fetch_one(&self.pool)
                    .await?;
                marked.push(MessageRecord::from_row(&row)?);
            }
        }
        Ok(marked)
    }

    /// Keeps the callback URL of a Kakao user's request (replacing an earlier one), good for
    /// one answer until `expires_at`.
    pub async fn offer_kakao_callback(
        &self,
        room: RoomId,
        url: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "INSERT INTO kakao_callbacks (room_id, url, expires_at, taken_at, created_at) \
             VALUES ($1, $2, $3, NULL, $4) ON CONFLICT (room_id) DO UPDATE SET \
             url = excluded.url, expires_at = excluded.expires_at, taken_at = NULL, \
             created_at = excluded.created_at",
        )
        .bind(room.get())
        .bind(url)
        .bind(expires_at)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes the room's callback if it is unused and has not expired: its URL, once.
    pub async fn take_kakao_callback(
        &self,
        room: RoomId,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let _w = self.write_guard().await;
        let url: Option<String> = sqlx::query_scalar(
            "UPDATE kakao_callbacks SET taken_at = $1 \
             WHERE room_id = $2 AND taken_at IS NULL AND expires_at > $1 RETURNING url",
        )
        .bind(now)
        .bind(room.get())
        .fetch_optional(&self.pool)
        .await?;
        Ok(url)
    }

    /// The number of the room's last message in its sequence (0: none yet).
    pub async fn last_message_seq(&self, room: RoomId) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(seq), 0) AS n FROM messages WHERE room_id = $1")
            .bind(room.get())
            .fetch_one(&self.pool)
            .await?;
        col(&row, "n")
    }
}

//! Read marks: how far the customer's window and the agents have read a consultation, and the
//! customer messages agents have not read yet; and the last word of each consultation, which
//! the console's lists show.

use std::collections::HashMap;

use sangdam_core::ConsultationId;

use crate::db::Store;
use crate::error::StoreError;
use crate::records::{ConsultationRecord, MessageRecord, col};

/// Whose read mark moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Customer,
    Agent,
}

impl Reader {
    fn column(self) -> &'static str {
        match self {
            Reader::Customer => "customer_read_to",
            Reader::Agent => "agent_read_to",
        }
    }
}

impl Store {
    /// Moves `reader`'s mark on the consultation to `up_to`, a message of it. Answers the
    /// consultation when the mark moved forward, `None` when it was there already or further;
    /// `NotFound("message")` when `up_to` is no message of the consultation.
    pub async fn mark_read(
        &self,
        id: ConsultationId,
        reader: Reader,
        up_to: i64,
    ) -> Result<Option<ConsultationRecord>, StoreError> {
        let ours = sqlx::query("SELECT 1 FROM messages WHERE id = $1 AND consultation_id = $2")
            .bind(up_to)
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?;
        if ours.is_none() {
            return Err(StoreError::NotFound("message"));
        }
        let column = reader.column();
        let _w = self.write_guard().await;
        let row = sqlx::query(&format!(
            "UPDATE consultations SET {column} = $1 \
             WHERE id = $2 AND ({column} IS NULL OR {column} < $1) RETURNING *"
        ))
        .bind(up_to)
        .bind(id.get())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(ConsultationRecord::from_row).transpose()
    }

    /// How many customer messages of each consultation came after the agents' read mark
    /// (consultations with none are left out).
    pub async fn unread_counts(
        &self,
        ids: &[ConsultationId],
    ) -> Result<HashMap<ConsultationId, i64>, StoreError> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let places: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT c.id AS id, COUNT(m.id) AS unread FROM consultations c \
                 JOIN messages m ON m.consultation_id = c.id \
                 AND m.id > COALESCE(c.agent_read_to, 0) AND m.sender = 'customer' \
                 WHERE c.id IN ({}) GROUP BY c.id",
                places.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(id.get());
            }
            for row in q.fetch_all(&self.pool).await? {
                out.insert(ConsultationId::new(col(&row, "id")?), col(&row, "unread")?);
            }
        }
        Ok(out)
    }

    /// The last message a person wrote (the customer, an agent, the bot) in each
    /// consultation; those with none are left out.
    pub async fn last_messages(
        &self,
        ids: &[ConsultationId],
    ) -> Result<HashMap<ConsultationId, MessageRecord>, StoreError> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let places: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "{} WHERE m.id IN (SELECT MAX(l.id) FROM messages l \
                 WHERE l.consultation_id IN ({}) AND l.sender <> 'system' \
                 GROUP BY l.consultation_id)",
                crate::messages::message_select!(""),
                places.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(id.get());
            }
            for row in q.fetch_all(&self.pool).await? {
                let m = MessageRecord::from_row(&row)?;
                out.insert(m.consultation_id, m);
            }
        }
        Ok(out)
    }
}

//! The Event API's records: each site's settings (its key's hash, its Kakao bot), the tasks
//! requests make and each recipient's delivery.

use sangdam_core::event_api::{DeliveryState, EventChannel, RecipientKind};
use sangdam_core::{ConsultationState, SiteId};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::Store;
use crate::error::StoreError;
use crate::jobs::{NewJob, enqueue_on};
use crate::records::{ConsultationRecord, RoomRecord, col};

/// A site's Event API settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventApiSettings {
    pub site_id: Option<SiteId>,
    /// Whether a key was issued (its hash is kept, never the key).
    pub has_key: bool,
    pub kakao_bot_id: Option<String>,
    pub kakao_rest_key: Option<String>,
    /// The event agents' late replies to KakaoTalk users go out as (none: they wait for the
    /// user's next message).
    pub kakao_reply_event: Option<String>,
    pub updated_at: i64,
}

/// A task as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventTaskRecord {
    pub id: i64,
    pub site_id: SiteId,
    pub public_id: String,
    pub idempotency_key: Option<String>,
    pub event_name: String,
    /// The accepted request (JSON).
    pub request: String,
    /// The rendered template (JSON).
    pub message: String,
    pub body: String,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

impl EventTaskRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(EventTaskRecord {
            id: col(row, "id")?,
            site_id: SiteId::new(col(row, "site_id")?),
            public_id: col(row, "public_id")?,
            idempotency_key: col(row, "idempotency_key")?,
            event_name: col(row, "event_name")?,
            request: col(row, "request")?,
            message: col(row, "message")?,
            body: col(row, "body")?,
            created_at: col(row, "created_at")?,
            finished_at: col(row, "finished_at")?,
        })
    }
}

/// One recipient's delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryRecord {
    pub task_id: i64,
    pub position: i64,
    pub kind: RecipientKind,
    pub recipient: String,
    pub channel: EventChannel,
    pub state: DeliveryState,
    pub error: Option<String>,
    pub room_id: Option<i64>,
    pub message_id: Option<i64>,
    pub outside_task: Option<String>,
    pub billed: bool,
    pub updated_at: i64,
}

impl DeliveryRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        let corrupt = |what: &str, v: &str| StoreError::Corrupt(format!("unknown {what} {v:?}"));
        let kind: String = col(row, "recipient_type")?;
        let channel: String = col(row, "channel")?;
        let state: String = col(row, "state")?;
        Ok(DeliveryRecord {
            task_id: col(row, "task_id")?,
            position: col(row, "position")?,
            kind: RecipientKind::parse(&kind).ok_or_else(|| corrupt("recipient type", &kind))?,
            recipient: col(row, "recipient_id")?,
            channel: EventChannel::parse(&channel).ok_or_else(|| corrupt("channel", &channel))?,
            state: DeliveryState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
            error: col(row, "error")?,
            room_id: col(row, "room_id")?,
            message_id: col(row, "message_id")?,
            outside_task: col(row, "outside_task")?,
            billed: col::<i64>(row, "billed")? != 0,
            updated_at: col(row, "updated_at")?,
        })
    }
}

/// A task to store with its recipients, and the job that delivers it.
#[derive(Debug, Clone)]
pub struct NewEventTask<'a> {
    pub site: SiteId,
    pub public_id: &'a str,
    pub idempotency_key: Option<&'a str>,
    pub event_name: &'a str,
    pub request: &'a str,
    pub message: &'a str,
    pub body: &'a str,
    /// Each recipient, and the message in their room it carries when it is one already there
    /// (an agent's reply sent by event): such a message is not recorded again.
    pub recipients: Vec<(RecipientKind, String, Option<i64>)>,
    pub job_kind: &'a str,
    pub job_max_attempts: u32,
    pub now: i64,
}

/// What a change to one delivery records.
#[derive(Debug, Clone, Default)]
pub struct DeliveryUpdate<'a> {
    pub state: Option<DeliveryState>,
    pub error: Option<&'a str>,
    pub room_id: Option<i64>,
    pub message_id: Option<i64>,
    pub outside_task: Option<&'a str>,
    pub billed: bool,
}

impl Store {
    /// A site's Event API settings (empty when it has none).
    pub async fn event_api_settings(&self, site: SiteId) -> Result<EventApiSettings, StoreError> {
        let row = sqlx::query("SELECT * FROM event_api_settings WHERE site_id = $1")
            .bind(site.get())
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            None => EventApiSettings::default(),
            Some(row) => EventApiSettings {
                site_id: Some(site),
                has_key: col::<Option<String>>(&row, "key_hash")?.is_some(),
                kakao_bot_id: col(&row, "kakao_bot_id")?,
                kakao_rest_key: col(&row, "kakao_rest_key")?,
                kakao_reply_event: col(&row, "kakao_reply_event")?,
                updated_at: col(&row, "updated_at")?,
            },
        })
    }

    /// The site whose Event API key hashes to `key_hash`.
    pub async fn site_of_event_key(&self, key_hash: &str) -> Result<Option<SiteId>, StoreError> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT site_id FROM event_api_settings WHERE key_hash = $1")
                .bind(key_hash)
                .fetch_optional(&self.pool)
                .await?;
        Ok(id.map(SiteId::new))
    }

    /// Makes `key_hash` the site's key (the one before stops working at once).
    pub async fn set_event_key(
        &self,
        site: SiteId,
        key_hash: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "INSERT INTO event_api_settings (site_id, key_hash, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (site_id) DO UPDATE SET key_hash = excluded.key_hash, \
             updated_at = excluded.updated_at",
        )
        .bind(site.get())
        .bind(key_hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The site's Kakao bot, REST API key (`rest_key` none: the stored one stays) and the
    /// event late replies go out as.
    pub async fn set_event_kakao(
        &self,
        site: SiteId,
        bot_id: Option<&str>,
        rest_key: Option<&str>,
        reply_event: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "INSERT INTO event_api_settings (site_id, kakao_bot_id, kakao_rest_key, \
             kakao_reply_event, updated_at) VALUES ($1, $2, $3, $5, $4) \
             ON CONFLICT (site_id) DO UPDATE SET kakao_bot_id = excluded.kakao_bot_id, \
             kakao_rest_key = COALESCE(excluded.kakao_rest_key, event_api_settings.kakao_rest_key), \
             kakao_reply_event = excluded.kakao_reply_event, updated_at = excluded.updated_at",
        )
        .bind(site.get())
        .bind(bot_id)
        .bind(rest_key)
        .bind(now)
        .bind(reply_event)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The site's task made under `key`, if any.
    pub async fn event_task_by_key(
        &self,
        site: SiteId,
        key: &str,
    ) -> Result<Option<EventTaskRecord>, StoreError> {
        let row =
            sqlx::query("SELECT * FROM event_tasks WHERE site_id = $1 AND idempotency_key = $2")
                .bind(site.get())
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(EventTaskRecord::from_row).transpose()
    }

    /// Stores a task, its recipients (pending) and its delivery job in one transaction. A
    /// task already made under the same idempotency key is answered instead (`false`).
    pub async fn create_event_task(
        &self,
        t: NewEventTask<'_>,
    ) -> Result<(EventTaskRecord, bool), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        if let Some(key) = t.idempotency_key {
            let found = sqlx::query(
                "SELECT * FROM event_tasks WHERE site_id = $1 AND idempotency_key = $2",
            )
            .bind(t.site.get())
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = found {
                return Ok((EventTaskRecord::from_row(&row)?, false));
            }
        }
        let row = sqlx::query(
            "INSERT INTO event_tasks (site_id, public_id, idempotency_key, event_name, request, \
             message, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
        )
        .bind(t.site.get())
        .bind(t.public_id)
        .bind(t.idempotency_key)
        .bind(t.event_name)
        .bind(t.request)
        .bind(t.message)
        .bind(t.body)
        .bind(t.now)
        .fetch_one(&mut *tx)
        .await?;
        let task = EventTaskRecord::from_row(&row)?;
        for (i, (kind, id, message)) in t.recipients.iter().enumerate() {
            sqlx::query(
                "INSERT INTO event_deliveries (task_id, position, recipient_type, recipient_id, \
                 channel, state, updated_at, message_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(task.id)
            .bind(i64::try_from(i).unwrap_or(i64::MAX))
            .bind(kind.as_str())
            .bind(id.as_str())
            .bind(kind.channel().as_str())
            .bind(DeliveryState::Pending.as_str())
            .bind(t.now)
            .bind(*message)
            .execute(&mut *tx)
            .await?;
        }
        let payload = serde_json::json!({ "task_id": task.id }).to_string();
        let key = format!("{}:{}", t.job_kind, task.id);
        enqueue_on(
            &mut tx,
            &NewJob {
                kind: t.job_kind,
                payload: &payload,
                queue: None,
                idempotency_key: Some(&key),
                due_at: t.now,
                max_attempts: t.job_max_attempts,
            },
            t.now,
        )
        .await?;
        tx.commit().await?;
        Ok((task, true))
    }

    pub async fn event_task(&self, id: i64) -> Result<Option<EventTaskRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM event_tasks WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(EventTaskRecord::from_row).transpose()
    }

    pub async fn event_task_by_public_id(
        &self,
        site: SiteId,
        public_id: &str,
    ) -> Result<Option<EventTaskRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM event_tasks WHERE site_id = $1 AND public_id = $2")
            .bind(site.get())
            .bind(public_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(EventTaskRecord::from_row).transpose()
    }

    /// A task's deliveries, in the request's order.
    pub async fn event_deliveries(&self, task: i64) -> Result<Vec<DeliveryRecord>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM event_deliveries WHERE task_id = $1 ORDER BY position")
                .bind(task)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(DeliveryRecord::from_row).collect()
    }

    /// Records what happened to one delivery (only what `u` sets changes).
    pub async fn update_delivery(
        &self,
        task: i64,
        position: i64,
        u: &DeliveryUpdate<'_>,
        now: i64,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "UPDATE event_deliveries SET state = COALESCE($1, state), \
             error = COALESCE($2, error), room_id = COALESCE($3, room_id), \
             message_id = COALESCE($4, message_id), outside_task = COALESCE($5, outside_task), \
             billed = CASE WHEN $6 = 1 THEN 1 ELSE billed END, updated_at = $7 \
             WHERE task_id = $8 AND position = $9",
        )
        .bind(u.state.map(DeliveryState::as_str))
        .bind(u.error)
        .bind(u.room_id)
        .bind(u.message_id)
        .bind(u.outside_task)
        .bind(i64::from(u.billed))
        .bind(now)
        .bind(task)
        .bind(position)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The consultation an event message goes in: the room's open one, or else one opened by
    /// the event and ended at once inside the bot (the event is its inflow, kept as `raw`), so
    /// no agent's queue hears of it and the customer's next message opens a new one.
    pub async fn event_consultation(
        &self,
        room: &RoomRecord,
        raw: &str,
        now: i64,
    ) -> Result<ConsultationRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let open = sqlx::query(
            "SELECT * FROM consultations WHERE room_id = $1 AND state IN (-2, -1, 0, 1)",
        )
        .bind(room.id.get())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = open {
            return ConsultationRecord::from_row(&row);
        }
        let row = sqlx::query(
            "INSERT INTO consultations (site_id, room_id, channel, state, created_at, \
             closed_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5, $5) RETURNING *",
        )
        .bind(room.site_id.get())
        .bind(room.id.get())
        .bind(room.channel.as_str())
        .bind(ConsultationState::BotClosed.code())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let consultation = ConsultationRecord::from_row(&row)?;
        sqlx::query(
            "INSERT INTO inflows (site_id, consultation_id, channel, raw, parsed, warnings, \
             created_at) VALUES ($1, $2, $3, $4, '{}', '[]', $5)",
        )
        .bind(room.site_id.get())
        .bind(consultation.id.get())
        .bind(room.channel.as_str())
        .bind(raw)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(consultation)
    }

    pub async fn finish_event_task(&self, task: i64, now: i64) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "UPDATE event_tasks SET finished_at = $1 WHERE id = $2 AND finished_at IS NULL",
        )
        .bind(now)
        .bind(task)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

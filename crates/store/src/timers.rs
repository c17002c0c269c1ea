//! Auto-close timers (R3.5): one durable timer per consultation, a job of kind [`AUTO_CLOSE`]
//! keyed `auto_close:<consultation id>`, so it is claimed and run like any job (once, by one
//! scheduler, surviving restarts) and setting it again only moves its due time.
//!
//! When it is due, and whether it runs at all, is core's (`sangdam_core::auto_close`): the
//! application decides each message's effect ([`IdleTimer`]) and the message writer applies
//! the effects of a batch in one statement per kind of effect; the job, when it fires, reads
//! the consultation's [`IdleActivity`] and asks core again. A timer is set only on a
//! consultation in progress and not on hold (the statement's filter mirrors core's first
//! rule); anything else leaves it as it is, to be found pointless when it fires.
//!
//! The site's settings are kept on its row as the JSON of core's
//! [`AutoCloseSettings`] (`NULL` while never saved: the default).

use std::collections::HashMap;

use sangdam_core::auto_close::{Activity, AutoCloseSettings};
use sangdam_core::{ConsultationId, ConsultationState, SiteId};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::db::{Backend, Store};
use crate::dialect;
use crate::error::StoreError;
use crate::hours::SiteJson;
use crate::records::{ConsultationRecord, col};

/// The jobs that close idle consultations (and warn before).
pub const AUTO_CLOSE: &str = "auto_close";
/// Attempts of one timer's run before it is given up (an outage of the database).
pub const TIMER_MAX_ATTEMPTS: u32 = 8;

/// What a new message does to its consultation's auto-close timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdleTimer {
    /// Nothing (Sangdam's own messages: they answer no one).
    #[default]
    Keep,
    /// Due at this instant (the warning's, when the site warns; else the close's).
    Set(i64),
    /// Pointless now (the customer answered and no agent-idle rule runs).
    Cancel,
}

/// What auto-close reads of one consultation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdleActivity {
    pub consultation_id: ConsultationId,
    pub site_id: SiteId,
    pub activity: Activity,
}

impl IdleActivity {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        let state: i64 = col(row, "state")?;
        Ok(IdleActivity {
            consultation_id: ConsultationId::new(col(row, "id")?),
            site_id: SiteId::new(col(row, "site_id")?),
            activity: Activity {
                in_progress: state == ConsultationState::InProgress.code(),
                hold: col::<i64>(row, "hold")? != 0,
                in_progress_since: col(row, "assigned_at")?,
                last_customer_message_at: col(row, "last_customer")?,
                last_agent_message_at: col(row, "last_agent")?,
            },
        })
    }
}

/// The latest customer and agent messages of a consultation, read through the room's index.
const ACTIVITY: &str = "SELECT c.id, c.site_id, c.state, c.hold, c.assigned_at, \
     (SELECT MAX(m.created_at) FROM messages m WHERE m.room_id = c.room_id \
      AND m.consultation_id = c.id AND m.sender = 'customer') AS last_customer, \
     (SELECT MAX(m.created_at) FROM messages m WHERE m.room_id = c.room_id \
      AND m.consultation_id = c.id AND m.sender = 'agent') AS last_agent \
     FROM consultations c";

/// Applies the timer effects of stored messages, in their order (the last one of a
/// consultation wins): one statement for the timers set, one for those cancelled.
pub(crate) async fn apply_on(
    backend: Backend,
    conn: &mut AnyConnection,
    effects: &[(ConsultationId, IdleTimer)],
    now: i64,
) -> Result<(), StoreError> {
    let mut last: HashMap<ConsultationId, IdleTimer> = HashMap::with_capacity(effects.len());
    for (c, effect) in effects {
        if *effect != IdleTimer::Keep {
            last.insert(*c, *effect);
        }
    }
    if last.is_empty() {
        return Ok(());
    }
    let mut set = Vec::new();
    let mut cancel = Vec::new();
    for (c, effect) in last {
        match effect {
            IdleTimer::Set(due) => set.push(serde_json::json!([c.get(), due])),
            IdleTimer::Cancel => cancel.push(c.get()),
            IdleTimer::Keep => {}
        }
    }
    if !set.is_empty() {
        sqlx::query(dialect::set_timers(backend))
            .bind(serde_json::Value::Array(set).to_string())
            .bind(now)
            .bind(AUTO_CLOSE)
            .bind(i64::from(TIMER_MAX_ATTEMPTS))
            .execute(&mut *conn)
            .await?;
    }
    if !cancel.is_empty() {
        sqlx::query(dialect::cancel_timers(backend))
            .bind(serde_json::to_string(&cancel)?)
            .bind(now)
            .bind(AUTO_CLOSE)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Sets the timer keyed `key` (of kind `kind`, with `payload`) due at `due_at`, moving it
    /// when it exists; one running ends pending at the new time (see `jobs`).
    pub async fn set_timer(
        &self,
        kind: &str,
        key: &str,
        payload: &str,
        due_at: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(dialect::SET_TIMER)
            .bind(kind)
            .bind(payload)
            .bind(key)
            .bind(due_at)
            .bind(i64::from(TIMER_MAX_ATTEMPTS))
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Cancels the timer keyed `key`, if one is pending or running.
    pub async fn cancel_timer(&self, key: &str, now: i64) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(dialect::CANCEL_TIMER)
            .bind(key)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The sites that saved business hours (the others are open around the clock).
    pub async fn sites_with_hours(&self) -> Result<Vec<SiteId>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM sites WHERE hours IS NOT NULL")
            .fetch_all(&self.pool)
            .await?;
        Ok(ids.into_iter().map(SiteId::new).collect())
    }

    /// Sets (or moves, or cancels) the auto-close timers of consultations at once.
    pub async fn apply_idle_timers(
        &self,
        effects: &[(ConsultationId, IdleTimer)],
        now: i64,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let mut conn = self.pool.acquire().await?;
        apply_on(self.backend(), &mut conn, effects, now).await
    }

    /// What auto-close reads of a consultation; `None` when there is no such consultation.
    pub async fn idle_activity(
        &self,
        id: ConsultationId,
    ) -> Result<Option<IdleActivity>, StoreError> {
        let sql = format!("{ACTIVITY} WHERE c.id = $1");
        sqlx::query(&sql)
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(IdleActivity::from_row)
            .transpose()
    }

    /// What auto-close reads of every consultation in progress (of one site, or of all).
    pub async fn idle_activities(
        &self,
        site: Option<SiteId>,
    ) -> Result<Vec<IdleActivity>, StoreError> {
        let sql =
            format!("{ACTIVITY} WHERE c.state = $1 AND ($2 = 0 OR c.site_id = $2) ORDER BY c.id");
        let rows = sqlx::query(&sql)
            .bind(ConsultationState::InProgress.code())
            .bind(site.map_or(0, SiteId::get))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(IdleActivity::from_row).collect()
    }

    /// The site's auto-close settings; `None` while it never saved any.
    pub async fn auto_close_settings(
        &self,
        site: SiteId,
    ) -> Result<Option<AutoCloseSettings>, StoreError> {
        self.site_json(site, SiteJson::AutoClose).await
    }

    /// Saves the site's auto-close settings (checked by core before they come here).
    pub async fn save_auto_close_settings(
        &self,
        site: SiteId,
        settings: &AutoCloseSettings,
    ) -> Result<(), StoreError> {
        self.save_site_json(site, SiteJson::AutoClose, settings)
            .await
    }

    /// Puts a consultation on hold (exempt from auto-close) or takes it off; answers it as it
    /// now is. Only an open consultation can change: a closed one answers
    /// [`StoreError::Conflict`].
    pub async fn set_hold(
        &self,
        id: ConsultationId,
        hold: bool,
        now: i64,
    ) -> Result<ConsultationRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE consultations SET hold = $1, updated_at = $2 WHERE id = $3 \
             AND state IN (-2, -1, 0, 1) RETURNING *",
        )
        .bind(i64::from(hold))
        .bind(now)
        .bind(id.get())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => ConsultationRecord::from_row(&row),
            None => {
                let exists: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM consultations WHERE id = $1")
                        .bind(id.get())
                        .fetch_optional(&self.pool)
                        .await?;
                Err(match exists {
                    Some(_) => StoreError::Conflict("this consultation is closed".into()),
                    None => StoreError::NotFound("consultation"),
                })
            }
        }
    }
}

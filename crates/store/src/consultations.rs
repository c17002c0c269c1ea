//! Consultations: reading them, and their state changes (carried out as the core decides).

use inflow::Channel;
use sangdam_core::{
    AgentId, ConsultationId, ConsultationState, EndType, RoomId, SiteId, Transition,
};

use crate::db::Store;
use crate::error::StoreError;
use crate::records::{ConsultationRecord, InflowRecord};

impl Store {
    pub async fn consultation(&self, id: ConsultationId) -> Result<ConsultationRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM consultations WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("consultation"))?;
        ConsultationRecord::from_row(&row)
    }

    pub async fn open_consultation(
        &self,
        room: RoomId,
    ) -> Result<Option<ConsultationRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT * FROM consultations WHERE room_id = $1 AND state IN (-2, -1, 0, 1)",
        )
        .bind(room.get())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(ConsultationRecord::from_row).transpose()
    }

    /// Consultations of a site, newest first, optionally filtered: by state, channel, the
    /// agent holding them (`agent`), and to what is the business of the accounts
    /// `business_of` (the queue and what they hold; `None`: the whole site).
    pub async fn list_consultations(
        &self,
        site: SiteId,
        state: Option<ConsultationState>,
        channel: Option<Channel>,
        agent: Option<AgentId>,
        business_of: Option<&[AgentId]>,
        limit: i64,
    ) -> Result<Vec<ConsultationRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT * FROM consultations WHERE site_id = $1 \
             AND ($2 = -99 OR state = $2) AND ($3 = '' OR channel = $3) \
             AND ($4 = 0 OR agent_id = $4) AND {} ORDER BY id DESC LIMIT $5",
            business_sql("consultations", business_of)
        ))
        .bind(site.get())
        .bind(state.map_or(-99, |s| s.code()))
        .bind(channel.map_or("", |c| c.as_str()))
        .bind(agent.map_or(0, |a| a.get()))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(ConsultationRecord::from_row).collect()
    }

    /// The open consultations the accounts `ours` follow live: the queue and their own
    /// (see [`sangdam_core::follows_in`]).
    pub async fn followed_consultations(
        &self,
        site: SiteId,
        ours: &[AgentId],
    ) -> Result<Vec<ConsultationRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT * FROM consultations WHERE site_id = $1 AND state IN (-2, -1, 0, 1) \
             AND {}",
            business_sql("consultations", Some(ours))
        ))
        .bind(site.get())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let c = ConsultationRecord::from_row(row)?;
            if sangdam_core::follows_in(c.state, c.agent_id, ours) {
                out.push(c);
            }
        }
        Ok(out)
    }

    pub async fn consultations_of_room(
        &self,
        room: RoomId,
    ) -> Result<Vec<ConsultationRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM consultations WHERE room_id = $1 ORDER BY id")
            .bind(room.get())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(ConsultationRecord::from_row).collect()
    }

    pub async fn inflows_of_consultation(
        &self,
        consultation: ConsultationId,
    ) -> Result<Vec<InflowRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM inflows WHERE consultation_id = $1 ORDER BY id")
            .bind(consultation.get())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(InflowRecord::from_row).collect()
    }

    /// Records the customer's rating of a consultation, as [`sangdam_core::rating::may_rate`]
    /// allows at `now`: once, after an end with an agent. Of two ratings at once, the second
    /// is refused as already given.
    pub async fn rate(
        &self,
        id: ConsultationId,
        rating: &sangdam_core::rating::Rating,
        now: i64,
    ) -> Result<ConsultationRecord, StoreError> {
        let current = self.consultation(id).await?;
        sangdam_core::rating::may_rate(
            current.state,
            current.agent_id.is_some(),
            current.closed_at,
            current.rated_at,
            now,
        )?;
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE consultations SET rating = $1, rating_comment = $2, rated_at = $3, \
             updated_at = $3 WHERE id = $4 AND rated_at IS NULL AND state = $5 RETURNING *",
        )
        .bind(i64::from(rating.score.get()))
        .bind(rating.comment.as_deref())
        .bind(now)
        .bind(id.get())
        .bind(current.state.code())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::Rule(sangdam_core::CoreError::AlreadyRated))?;
        ConsultationRecord::from_row(&row)
    }

    /// Notes that the customer of `id` was asked for their rating (with quick replies).
    pub async fn rating_requested(&self, id: ConsultationId, now: i64) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("UPDATE consultations SET rating_requested_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id.get())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The consultation of `room` whose rating its customer was asked for and has not given,
    /// when it is the room's latest (a customer who has started another has moved on).
    pub async fn awaiting_rating(
        &self,
        room: RoomId,
    ) -> Result<Option<ConsultationRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT * FROM consultations c WHERE c.room_id = $1 \
             AND c.rating_requested_at IS NOT NULL AND c.rated_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM consultations n WHERE n.room_id = c.room_id \
             AND n.id > c.id) ORDER BY c.id DESC LIMIT 1",
        )
        .bind(room.get())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(ConsultationRecord::from_row).transpose()
    }

    /// The room's latest consultation asked for a rating and not rated, also when a newer one
    /// has started since (a quick reply answers the request it came with, whatever came
    /// after).
    pub async fn last_rating_request(
        &self,
        room: RoomId,
    ) -> Result<Option<ConsultationRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT * FROM consultations WHERE room_id = $1 \
             AND rating_requested_at IS NOT NULL AND rated_at IS NULL \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(room.get())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(ConsultationRecord::from_row).transpose()
    }

    /// Applies a state change decided by the core rules. A concurrent change (two agents taking
    /// the same consultation) makes the later one fail with `Conflict`.
    pub async fn transition(
        &self,
        id: ConsultationId,
        t: Transition,
        agent: Option<AgentId>,
        now: i64,
    ) -> Result<ConsultationRecord, StoreError> {
        self.transition_if(id, t, agent, now, |_| true).await
    }

    /// Closes a consultation with `end` only while it waits in the queue (waiting, nobody
    /// assigned): `None`, changing nothing, once a pass or an agent has given it to someone.
    pub async fn close_queued(
        &self,
        id: ConsultationId,
        end: EndType,
        now: i64,
    ) -> Result<Option<ConsultationRecord>, StoreError> {
        let queued =
            |c: &ConsultationRecord| c.state == ConsultationState::Waiting && c.agent_id.is_none();
        match self
            .transition_if(id, Transition::Close(end), None, now, queued)
            .await
        {
            Ok(c) => Ok(Some(c)),
            Err(StoreError::Conflict(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// [`Store::transition`] when the consultation as it now is passes `allowed`, else
    /// `Conflict`.
    async fn transition_if(
        &self,
        id: ConsultationId,
        t: Transition,
        agent: Option<AgentId>,
        now: i64,
        allowed: impl FnOnce(&ConsultationRecord) -> bool + Send,
    ) -> Result<ConsultationRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT * FROM consultations WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("consultation"))?;
        let current = ConsultationRecord::from_row(&row)?;
        if !allowed(&current) {
            return Err(StoreError::Conflict(
                "the consultation changed meanwhile".into(),
            ));
        }
        let next = sangdam_core::transition(current.state, t)?;
        let (end_type, closed_by): (Option<EndType>, Option<AgentId>) = match t {
            Transition::Close(end) => (Some(end), agent),
            _ => (current.end_type, current.closed_by),
        };
        let (agent_id, assigned_at) = match t {
            Transition::Take | Transition::Transfer => (agent, Some(now)),
            _ => (current.agent_id, current.assigned_at),
        };
        let waiting_since = match t {
            Transition::HandToAgent => current.waiting_since.or(Some(now)),
            _ => current.waiting_since,
        };
        let closed_at = match next {
            ConsultationState::Closed | ConsultationState::BotClosed => Some(now),
            _ => current.closed_at,
        };
        let result = sqlx::query(
            "UPDATE consultations SET state = $1, end_type = $2, closed_by = $3, agent_id = $4, \
             assigned_at = $5, closed_at = $6, updated_at = $7, waiting_since = $10, \
             message_count = CASE WHEN $11 = 1 THEN (SELECT COUNT(*) FROM messages m \
             WHERE m.room_id = consultations.room_id AND m.consultation_id = consultations.id) \
             ELSE message_count END \
             WHERE id = $8 AND state = $9",
        )
        .bind(next.code())
        .bind(end_type.map(|e| e.as_str()))
        .bind(closed_by.map(|a| a.get()))
        .bind(agent_id.map(|a| a.get()))
        .bind(assigned_at)
        .bind(closed_at)
        .bind(now)
        .bind(id.get())
        .bind(current.state.code())
        .bind(waiting_since)
        // Counted as it ends (see the column's migration).
        .bind(i64::from(!next.is_open() && current.state.is_open()))
        .execute(&mut *tx)
        .await?;
        if result.rows_affected() != 1 {
            return Err(StoreError::Conflict(
                "the consultation changed meanwhile; reload and try again".into(),
            ));
        }
        let row = sqlx::query("SELECT * FROM consultations WHERE id = $1")
            .bind(id.get())
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        ConsultationRecord::from_row(&row)
    }
}

/// The condition that a row of `consultations` (as `table`) is the business of the accounts
/// `ours`: [`sangdam_core::Relation::is_business`] in SQL (the queue — waiting, code 0, no
/// agent — or held by one of them), so that lists are filtered before paging. `None`: every
/// row of the site. The ids are numbers written into the text, never input.
pub(crate) fn business_sql(table: &str, ours: Option<&[AgentId]>) -> String {
    let Some(ours) = ours else {
        return "1 = 1".to_owned();
    };
    let ids: Vec<String> = ours.iter().map(|a| a.get().to_string()).collect();
    let held = if ids.is_empty() {
        "1 = 0".to_owned()
    } else {
        format!("{table}.agent_id IN ({})", ids.join(", "))
    };
    format!("({held} OR ({table}.agent_id IS NULL AND {table}.state = 0))")
}

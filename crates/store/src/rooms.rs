//! Rooms, profiles, consultations, messages, visitors and the link journal: the inflow path.

use inflow::{Channel, Custom, Inflow, Warning};
use sangdam_core::{
    AgentId, ConsultationId, ConsultationState, CustomerKey, EndType, Identity, InflowOutcome,
    LinkPlan, ProfileData, ProfileEdit, ProfileId, RoomId, SiteId, Transition,
};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};

use crate::db::Store;
use crate::error::StoreError;
use crate::records::{
    ConsultationRecord, InflowRecord, LinkRecord, MessageRecord, ProfileRecord, RoomRecord,
    VisitorRecord, col, platform,
};

type Tx<'c> = Transaction<'c, Any>;

/// One arrival, with everything already decided by the parser and the core rules.
#[derive(Debug)]
pub struct InflowRequest<'a> {
    pub site: SiteId,
    pub channel: Channel,
    pub customer_key: &'a CustomerKey,
    /// The ID to use (after the site's verification policy) and whether it was verified.
    pub identity: &'a Identity,
    pub inflow: &'a Inflow,
    /// Every warning of this inflow (parser and identity), as recorded with it.
    pub warnings: &'a [Warning],
    /// The chat URL or platform event exactly as received.
    pub raw: &'a str,
    pub referrer: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub now: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct InflowResult {
    pub room: RoomRecord,
    pub consultation: ConsultationRecord,
    pub profile_id: ProfileId,
    /// Whether this inflow opened a new consultation (rather than joining an open one).
    pub opened: bool,
}

/// What a link changed, kept in the journal so it can be undone.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Snapshot {
    room_profile_id: i64,
    profiles: Vec<ProfileSnapshot>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ProfileSnapshot {
    id: i64,
    site_uid: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    custom: Custom,
}

impl From<&ProfileRecord> for ProfileSnapshot {
    fn from(p: &ProfileRecord) -> Self {
        ProfileSnapshot {
            id: p.id.get(),
            site_uid: p.site_uid.clone(),
            name: p.name.clone(),
            phone: p.phone.clone(),
            email: p.email.clone(),
            custom: p.custom.clone(),
        }
    }
}

async fn profile_tx(tx: &mut Tx<'_>, id: ProfileId) -> Result<ProfileRecord, StoreError> {
    let row = sqlx::query("SELECT * FROM profiles WHERE id = $1")
        .bind(id.get())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound("profile"))?;
    ProfileRecord::from_row(&row)
}

async fn profile_by_uid_tx(
    tx: &mut Tx<'_>,
    site: SiteId,
    uid: &str,
) -> Result<Option<ProfileRecord>, StoreError> {
    let row = sqlx::query("SELECT * FROM profiles WHERE site_id = $1 AND site_uid = $2")
        .bind(site.get())
        .bind(uid)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(ProfileRecord::from_row).transpose()
}

async fn insert_profile(
    tx: &mut Tx<'_>,
    site: SiteId,
    uid: Option<&str>,
    now: i64,
) -> Result<ProfileRecord, StoreError> {
    let row = sqlx::query(
        "INSERT INTO profiles (site_id, site_uid, verified, custom, created_at, updated_at) \
         VALUES ($1, $2, 0, '{}', $3, $3) RETURNING *",
    )
    .bind(site.get())
    .bind(uid)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    ProfileRecord::from_row(&row)
}

async fn save_profile_data(
    tx: &mut Tx<'_>,
    id: ProfileId,
    data: &ProfileData,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE profiles SET name = $1, phone = $2, email = $3, custom = $4, updated_at = $5 \
         WHERE id = $6",
    )
    .bind(data.name.as_deref())
    .bind(data.phone.as_deref())
    .bind(data.email.as_deref())
    .bind(serde_json::to_string(&data.custom)?)
    .bind(now)
    .bind(id.get())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Fills the empty fields of `target` from `source` (a room's anonymous profile being linked to
/// an ID): nothing the customer told us is lost, nothing the ID's profile had is overwritten.
fn fill_empty(target: &ProfileData, source: &ProfileData) -> ProfileData {
    let pick = |t: &Option<String>, s: &Option<String>| t.clone().or_else(|| s.clone());
    let mut custom = source.custom.clone();
    custom.extend(target.custom.clone());
    ProfileData {
        name: pick(&target.name, &source.name),
        phone: pick(&target.phone, &source.phone),
        email: pick(&target.email, &source.email),
        custom,
    }
}

#[allow(clippy::too_many_arguments)]
async fn journal(
    tx: &mut Tx<'_>,
    site: SiteId,
    room: RoomId,
    actor: &str,
    reason: &str,
    from: &ProfileRecord,
    to: ProfileId,
    to_uid: Option<&str>,
    before: &Snapshot,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO link_journal (site_id, room_id, actor, reason, from_profile_id, \
         to_profile_id, from_site_uid, to_site_uid, before, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(site.get())
    .bind(room.get())
    .bind(actor)
    .bind(reason)
    .bind(from.id.get())
    .bind(to.get())
    .bind(from.site_uid.as_deref())
    .bind(to_uid)
    .bind(serde_json::to_string(before)?)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves `room` to the profile of `uid` (creating or claiming it), journaled.
async fn link_room_tx(
    tx: &mut Tx<'_>,
    room: &RoomRecord,
    uid: &str,
    actor: &str,
    reason: &str,
    now: i64,
) -> Result<ProfileId, StoreError> {
    let current = profile_tx(tx, room.profile_id).await?;
    let existing = profile_by_uid_tx(tx, room.site_id, uid).await?;
    let plan = sangdam_core::plan_link(
        current.id,
        current.site_uid.as_deref(),
        uid,
        existing.as_ref().map(|p| p.id),
    )?;
    let mut before = Snapshot {
        room_profile_id: room.profile_id.get(),
        profiles: vec![ProfileSnapshot::from(&current)],
    };
    let target = match plan {
        LinkPlan::Unchanged => return Ok(current.id),
        LinkPlan::LinkExisting { to, .. } => {
            let Some(target) = existing else {
                return Err(StoreError::NotFound("profile"));
            };
            before.profiles.push(ProfileSnapshot::from(&target));
            if current.site_uid.is_none() {
                let merged = fill_empty(&target.data(), &current.data());
                save_profile_data(tx, to, &merged, now).await?;
            }
            to
        }
        LinkPlan::CreateProfile { .. } if current.site_uid.is_none() => {
            // The room's own anonymous profile becomes the ID's profile.
            sqlx::query("UPDATE profiles SET site_uid = $1, updated_at = $2 WHERE id = $3")
                .bind(uid)
                .bind(now)
                .bind(current.id.get())
                .execute(&mut **tx)
                .await?;
            current.id
        }
        LinkPlan::CreateProfile { .. } => {
            insert_profile(tx, room.site_id, Some(uid), now).await?.id
        }
    };
    if target != current.id {
        sqlx::query("UPDATE rooms SET profile_id = $1 WHERE id = $2")
            .bind(target.get())
            .bind(room.id.get())
            .execute(&mut **tx)
            .await?;
    }
    journal(
        tx,
        room.site_id,
        room.id,
        actor,
        reason,
        &current,
        target,
        Some(uid),
        &before,
        now,
    )
    .await?;
    Ok(target)
}

impl Store {
    /// Carries out one inflow in one transaction: finds or creates the room of the customer
    /// key, links it to the ID's profile, applies the latest values, opens or joins the
    /// consultation, and records the inflow.
    ///
    /// On PostgreSQL two first inflows of one customer (a double click, two tabs, a platform's
    /// retry) can both find no room, profile or open consultation and both insert one; the
    /// unique indexes let one commit and fail the other, which then answered 500 (found by
    /// the integration tests). The loser runs again and finds what the winner stored. (SQLite
    /// writers are serialised by the write guard and never race.)
    pub async fn record_inflow(&self, req: InflowRequest<'_>) -> Result<InflowResult, StoreError> {
        let mut attempts = 0;
        loop {
            match self.record_inflow_once(&req).await {
                Err(e) if e.is_unique_violation() && attempts < 3 => attempts += 1,
                other => return other,
            }
        }
    }

    async fn record_inflow_once(
        &self,
        req: &InflowRequest<'_>,
    ) -> Result<InflowResult, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let site = req.site;
        let platform = platform(req.channel);
        let uid = req.identity.site_uid.as_deref();

        let found = sqlx::query(
            "SELECT * FROM rooms WHERE site_id = $1 AND platform = $2 AND customer_key = $3",
        )
        .bind(site.get())
        .bind(platform)
        .bind(req.customer_key.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let room = match found {
            Some(row) => RoomRecord::from_row(&row)?,
            None => {
                let profile = match uid {
                    Some(uid) => match profile_by_uid_tx(&mut tx, site, uid).await? {
                        Some(p) => p,
                        None => insert_profile(&mut tx, site, Some(uid), req.now).await?,
                    },
                    None => insert_profile(&mut tx, site, None, req.now).await?,
                };
                let row = sqlx::query(
                    "INSERT INTO rooms (site_id, platform, channel, customer_key, profile_id, \
                     created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
                )
                .bind(site.get())
                .bind(platform)
                .bind(req.channel.as_str())
                .bind(req.customer_key.as_str())
                .bind(profile.id.get())
                .bind(req.now)
                .fetch_one(&mut *tx)
                .await?;
                RoomRecord::from_row(&row)?
            }
        };

        let mut profile_id = room.profile_id;
        if let Some(uid) = uid {
            profile_id = link_room_tx(
                &mut tx,
                &room,
                uid,
                &format!("inflow:{}", req.channel),
                "the inflow carried this site_uid",
                req.now,
            )
            .await?;
        }

        let profile = profile_tx(&mut tx, profile_id).await?;
        let data =
            sangdam_core::apply_inflow(&profile.data(), &req.inflow.fields, &req.inflow.custom);
        save_profile_data(&mut tx, profile_id, &data, req.now).await?;
        if req.identity.verified {
            sqlx::query("UPDATE profiles SET verified = 1 WHERE id = $1")
                .bind(profile_id.get())
                .execute(&mut *tx)
                .await?;
        }

        let open = open_consultation_tx(&mut tx, room.id).await?;
        let fields = &req.inflow.fields;
        let bot_start = fields.bot_start.unwrap_or(false);
        let category = fields.category_id.and_then(|v| i64::try_from(v).ok());
        let division = fields.division_id.and_then(|v| i64::try_from(v).ok());
        let (consultation, opened) =
            match sangdam_core::on_inflow(open.as_ref().map(|c| (c.id, c.state)), bot_start) {
                InflowOutcome::Open { state } => {
                    let row = sqlx::query(
                        "INSERT INTO consultations (site_id, room_id, channel, state, category_id, \
                     division_id, user_parameter, custom, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING *",
                    )
                    .bind(site.get())
                    .bind(room.id.get())
                    .bind(req.channel.as_str())
                    .bind(state.code())
                    .bind(category)
                    .bind(division)
                    .bind(fields.user_parameter.as_deref())
                    .bind(serde_json::to_string(&req.inflow.custom)?)
                    .bind(req.now)
                    .fetch_one(&mut *tx)
                    .await?;
                    (ConsultationRecord::from_row(&row)?, true)
                }
                InflowOutcome::Join(id) => {
                    let Some(current) = open else {
                        return Err(StoreError::NotFound("consultation"));
                    };
                    let mut custom = current.custom.clone();
                    custom.extend(req.inflow.custom.clone());
                    let row = sqlx::query(
                        "UPDATE consultations SET custom = $1, \
                     user_parameter = COALESCE($2, user_parameter), \
                     category_id = COALESCE($3, category_id), \
                     division_id = COALESCE($4, division_id), updated_at = $5 \
                     WHERE id = $6 RETURNING *",
                    )
                    .bind(serde_json::to_string(&custom)?)
                    .bind(fields.user_parameter.as_deref())
                    .bind(category)
                    .bind(division)
                    .bind(req.now)
                    .bind(id.get())
                    .fetch_one(&mut *tx)
                    .await?;
                    (ConsultationRecord::from_row(&row)?, false)
                }
            };

        sqlx::query(
            "INSERT INTO inflows (site_id, consultation_id, channel, raw, parsed, warnings, \
             site_uid, verified, referrer, user_agent, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(site.get())
        .bind(consultation.id.get())
        .bind(req.channel.as_str())
        .bind(req.raw)
        .bind(serde_json::to_string(&serde_json::json!({
            "fields": req.inflow.fields,
            "custom": req.inflow.custom,
            "extra": req.inflow.extra,
        }))?)
        .bind(serde_json::to_string(req.warnings)?)
        .bind(uid)
        .bind(i64::from(req.identity.verified))
        .bind(req.referrer)
        .bind(req.user_agent)
        .bind(req.now)
        .execute(&mut *tx)
        .await?;

        let room = room_tx(&mut tx, room.id).await?;
        tx.commit().await?;
        Ok(InflowResult {
            room,
            consultation,
            profile_id,
            opened,
        })
    }

    pub async fn room(&self, id: RoomId) -> Result<RoomRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM rooms WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("room"))?;
        RoomRecord::from_row(&row)
    }

    pub async fn room_by_key(
        &self,
        site: SiteId,
        channel: Channel,
        key: &CustomerKey,
    ) -> Result<Option<RoomRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT * FROM rooms WHERE site_id = $1 AND platform = $2 AND customer_key = $3",
        )
        .bind(site.get())
        .bind(platform(channel))
        .bind(key.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(RoomRecord::from_row).transpose()
    }

    /// Rooms of a site with their latest consultation, newest first, filtered by that
    /// consultation's state and channel.
    pub async fn list_rooms(
        &self,
        site: SiteId,
        state: Option<ConsultationState>,
        channel: Option<Channel>,
        limit: i64,
    ) -> Result<Vec<(RoomRecord, Option<ConsultationRecord>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT rooms.id AS room_id, c.id AS consultation_id FROM rooms \
             LEFT JOIN consultations c ON c.id = \
               (SELECT MAX(id) FROM consultations WHERE room_id = rooms.id) \
             WHERE rooms.site_id = $1 AND ($2 = -99 OR c.state = $2) \
             AND ($3 = '' OR c.channel = $3) ORDER BY rooms.id DESC LIMIT $4",
        )
        .bind(site.get())
        .bind(state.map_or(-99, |s| s.code()))
        .bind(channel.map_or("", |c| c.as_str()))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let room = self.room(RoomId::new(col(row, "room_id")?)).await?;
            let consultation = match col::<Option<i64>>(row, "consultation_id")? {
                Some(id) => Some(self.consultation(ConsultationId::new(id)).await?),
                None => None,
            };
            out.push((room, consultation));
        }
        Ok(out)
    }

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

    /// Consultations of a site, newest first, optionally filtered.
    pub async fn list_consultations(
        &self,
        site: SiteId,
        state: Option<ConsultationState>,
        channel: Option<Channel>,
        agent: Option<AgentId>,
        limit: i64,
    ) -> Result<Vec<ConsultationRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM consultations WHERE site_id = $1 \
             AND ($2 = -99 OR state = $2) AND ($3 = '' OR channel = $3) \
             AND ($4 = 0 OR agent_id = $4) ORDER BY id DESC LIMIT $5",
        )
        .bind(site.get())
        .bind(state.map_or(-99, |s| s.code()))
        .bind(channel.map_or("", |c| c.as_str()))
        .bind(agent.map_or(0, |a| a.get()))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(ConsultationRecord::from_row).collect()
    }

    /// The open consultations an agent follows live: the queue and their own
    /// (see [`sangdam_core::agent_follows`]).
    pub async fn followed_consultations(
        &self,
        site: SiteId,
        agent: AgentId,
    ) -> Result<Vec<ConsultationRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM consultations WHERE site_id = $1 AND state IN (-2, -1, 0, 1) \
             AND (agent_id = $2 OR agent_id IS NULL)",
        )
        .bind(site.get())
        .bind(agent.get())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let c = ConsultationRecord::from_row(row)?;
            if sangdam_core::agent_follows(c.state, c.agent_id, agent) {
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

    /// Applies a state change decided by the core rules. A concurrent change (two agents taking
    /// the same consultation) makes the later one fail with `Conflict`.
    pub async fn transition(
        &self,
        id: ConsultationId,
        t: Transition,
        agent: Option<AgentId>,
        now: i64,
    ) -> Result<ConsultationRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("SELECT * FROM consultations WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("consultation"))?;
        let current = ConsultationRecord::from_row(&row)?;
        let next = sangdam_core::transition(current.state, t)?;
        let (end_type, closed_by): (Option<EndType>, Option<AgentId>) = match t {
            Transition::Close(end) => (Some(end), agent),
            _ => (current.end_type, current.closed_by),
        };
        let (agent_id, assigned_at) = match t {
            Transition::Take | Transition::Transfer => (agent, Some(now)),
            _ => (current.agent_id, current.assigned_at),
        };
        let closed_at = match next {
            ConsultationState::Closed | ConsultationState::BotClosed => Some(now),
            _ => current.closed_at,
        };
        let result = sqlx::query(
            "UPDATE consultations SET state = $1, end_type = $2, closed_by = $3, agent_id = $4, \
             assigned_at = $5, closed_at = $6, updated_at = $7 WHERE id = $8 AND state = $9",
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

    /// Stores a message. A retry carrying the same `client_msg_id` returns the stored message
    /// and `false` instead of storing it twice.
    /// Messages of a room after `after` (exclusive), oldest first.
    pub async fn room_messages(
        &self,
        room: RoomId,
        after: i64,
        limit: i64,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM messages WHERE room_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        )
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
        let rows = sqlx::query(
            "SELECT m.* FROM messages m JOIN consultations c ON m.room_id = c.room_id \
             WHERE c.id = $1 AND m.consultation_id = $1 ORDER BY m.id",
        )
        .bind(consultation.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(MessageRecord::from_row).collect()
    }

    /// The oldest agent messages of a room not yet delivered (Kakao answers them in the next
    /// skill response), marked delivered in the same transaction: as many as fit in
    /// `capacity`, each costing `cost(message)`, and always the oldest one.
    ///
    /// The capacity exists because a skill response holds at most three texts: taking every
    /// waiting reply at once cut the ones that did not fit and marked them delivered, so the
    /// customer never saw them (found by the integration tests). What does not fit now stays
    /// for the next response.
    pub async fn take_undelivered_agent_messages(
        &self,
        room: RoomId,
        now: i64,
        capacity: usize,
        cost: impl Fn(&MessageRecord) -> usize,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        const WAITING: &str = "SELECT * FROM messages WHERE room_id = $1 AND sender = 'agent' \
             AND delivered_at IS NULL ORDER BY id";
        // Most requests find nothing waiting: they are answered without a write transaction
        // (which on SQLite would queue behind the message writer). A reply stored just after
        // this look goes out with the next request.
        let any = sqlx::query(WAITING)
            .bind(room.get())
            .fetch_optional(&self.pool)
            .await?;
        if any.is_none() {
            return Ok(Vec::new());
        }
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(WAITING)
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
                "UPDATE messages SET delivered_at = $1 WHERE room_id = $2 AND sender = 'agent' \
                 AND delivered_at IS NULL AND id <= $3",
            )
            .bind(now)
            .bind(room.get())
            .bind(last.id.get())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(messages)
    }

    pub async fn last_message_id(&self, room: RoomId) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(id), 0) AS n FROM messages WHERE room_id = $1")
            .bind(room.get())
            .fetch_one(&self.pool)
            .await?;
        col(&row, "n")
    }

    pub async fn profile(&self, id: ProfileId) -> Result<ProfileRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM profiles WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("profile"))?;
        ProfileRecord::from_row(&row)
    }

    pub async fn profile_by_uid(
        &self,
        site: SiteId,
        uid: &str,
    ) -> Result<Option<ProfileRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM profiles WHERE site_id = $1 AND site_uid = $2")
            .bind(site.get())
            .bind(uid)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(ProfileRecord::from_row).transpose()
    }

    pub async fn rooms_of_profile(
        &self,
        profile: ProfileId,
    ) -> Result<Vec<RoomRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM rooms WHERE profile_id = $1 ORDER BY id")
            .bind(profile.get())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(RoomRecord::from_row).collect()
    }

    /// Every consultation of every room linked to the profile, newest first.
    pub async fn history_of_profile(
        &self,
        profile: ProfileId,
    ) -> Result<Vec<ConsultationRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT consultations.* FROM consultations \
             JOIN rooms ON rooms.id = consultations.room_id \
             WHERE rooms.profile_id = $1 ORDER BY consultations.id DESC",
        )
        .bind(profile.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(ConsultationRecord::from_row).collect()
    }

    /// An agent's edit of name, phone or e-mail (never the verified mobile).
    pub async fn edit_profile(
        &self,
        id: ProfileId,
        edit: &ProfileEdit,
        now: i64,
    ) -> Result<ProfileRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let profile = profile_tx(&mut tx, id).await?;
        let data = sangdam_core::apply_edit(&profile.data(), edit)?;
        save_profile_data(&mut tx, id, &data, now).await?;
        let profile = profile_tx(&mut tx, id).await?;
        tx.commit().await?;
        Ok(profile)
    }

    /// Records a verified mobile number and how it was verified.
    pub async fn set_mobile(
        &self,
        id: ProfileId,
        mobile: &str,
        method: &str,
        now: i64,
    ) -> Result<ProfileRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE profiles SET mobile = $1, mobile_method = $2, mobile_verified_at = $3, \
             updated_at = $3 WHERE id = $4 RETURNING *",
        )
        .bind(mobile)
        .bind(method)
        .bind(now)
        .bind(id.get())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("profile"))?;
        ProfileRecord::from_row(&row)
    }

    /// Deletes a mobile number recorded by `method` (the customer withdrew their consent).
    pub async fn clear_mobile(
        &self,
        id: ProfileId,
        method: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "UPDATE profiles SET mobile = NULL, mobile_method = NULL, mobile_verified_at = NULL, \
             updated_at = $1 WHERE id = $2 AND mobile_method = $3",
        )
        .bind(now)
        .bind(id.get())
        .bind(method)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// An agent sets or corrects a room's ID: the room joins that ID's profile (R2.5).
    pub async fn link_room(
        &self,
        room: RoomId,
        uid: &str,
        actor: &str,
        now: i64,
    ) -> Result<ProfileId, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let room = room_tx(&mut tx, room).await?;
        let profile = link_room_tx(&mut tx, &room, uid, actor, "set by an agent", now).await?;
        tx.commit().await?;
        Ok(profile)
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
        let mut tx = self.pool.begin().await?;
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

async fn room_tx(tx: &mut Tx<'_>, id: RoomId) -> Result<RoomRecord, StoreError> {
    let row = sqlx::query("SELECT * FROM rooms WHERE id = $1")
        .bind(id.get())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound("room"))?;
    RoomRecord::from_row(&row)
}

async fn open_consultation_tx(
    tx: &mut Tx<'_>,
    room: RoomId,
) -> Result<Option<ConsultationRecord>, StoreError> {
    let row =
        sqlx::query("SELECT * FROM consultations WHERE room_id = $1 AND state IN (-2, -1, 0, 1)")
            .bind(room.get())
            .fetch_optional(&mut **tx)
            .await?;
    row.as_ref().map(ConsultationRecord::from_row).transpose()
}

//! Rooms and the inflow path: one arrival finds or creates its room, links it to its ID's
//! profile, opens or joins the consultation and records the inflow, in one transaction. The
//! transaction helpers the other aggregates share live here too.

use inflow::{Channel, Custom, Inflow, Warning};
use sangdam_core::{
    AgentId, CategoryId, ConsultationId, ConsultationState, CustomerKey, Identity, InflowOutcome,
    LinkPlan, ProfileData, ProfileId, RoomId, SiteId,
};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};

use crate::db::Store;
use crate::distribution::place_opened;
use crate::error::StoreError;
use crate::records::{ConsultationRecord, ProfileRecord, RoomRecord, VisitorRecord, col, platform};

pub(crate) type Tx<'c> = Transaction<'c, Any>;

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
    /// Whether the arrival opens a consultation or may only join one.
    pub consult: Consult,
    pub now: i64,
}

/// What an arrival does about the room's consultation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consult {
    /// Open one, or join the one open (a messenger user's arrival).
    OpenOrJoin,
    /// A chat window opening: join the open consultation if the window may take part in it
    /// ([`sangdam_core::visitor_may_join`]); open one only when none is open and `start` asks
    /// for it (an explicit start). Otherwise the inflow is kept ([`PendingInflow`]) until the
    /// customer's first message opens the consultation.
    Window {
        sees_history: bool,
        own: Option<ConsultationId>,
        start: bool,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct InflowResult {
    pub room: RoomRecord,
    /// The consultation opened or joined; none when a chat window arrived with nothing open.
    pub consultation: Option<ConsultationRecord>,
    pub profile_id: ProfileId,
    /// Whether this inflow opened a new consultation (rather than joining an open one).
    pub opened: bool,
    /// The inflow, to be recorded when a consultation opens (when none was joined).
    pub pending: Option<PendingInflow>,
    /// Other waiting consultations the distribution pass of this inflow gave to agents.
    pub also_given: Vec<ConsultationRecord>,
}

/// An inflow kept until it has a consultation: what the consultation takes from it and the
/// inflow's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingInflow {
    pub channel: Channel,
    pub bot_start: bool,
    /// The ids as the inflow gave them, classified by the site's tree when the consultation
    /// opens or is joined.
    pub category_id: Option<i64>,
    pub division_id: Option<i64>,
    pub user_parameter: Option<String>,
    pub custom: Custom,
    pub raw: String,
    /// The parsed inflow (fields, custom, extra) as stored with it, in JSON.
    pub parsed: String,
    /// Its warnings, in JSON.
    pub warnings: String,
    pub site_uid: Option<String>,
    pub verified: bool,
    pub referrer: Option<String>,
    pub user_agent: Option<String>,
    /// When the customer arrived (the inflow's time).
    pub arrived_at: i64,
}

impl PendingInflow {
    fn of(req: &InflowRequest<'_>) -> Result<PendingInflow, StoreError> {
        let fields = &req.inflow.fields;
        Ok(PendingInflow {
            channel: req.channel,
            bot_start: fields.bot_start.unwrap_or(false),
            category_id: fields.category_id.and_then(|v| i64::try_from(v).ok()),
            division_id: fields.division_id.and_then(|v| i64::try_from(v).ok()),
            user_parameter: fields.user_parameter.clone(),
            custom: req.inflow.custom.clone(),
            raw: req.raw.to_owned(),
            parsed: serde_json::to_string(&serde_json::json!({
                "fields": req.inflow.fields,
                "custom": req.inflow.custom,
                "extra": req.inflow.extra,
            }))?,
            warnings: serde_json::to_string(req.warnings)?,
            site_uid: req.identity.site_uid.clone(),
            verified: req.identity.verified,
            referrer: req.referrer.map(str::to_owned),
            user_agent: req.user_agent.map(str::to_owned),
            arrived_at: req.now,
        })
    }
}

/// What a chat window's first message found when it asked for its consultation.
// Answered once per window's first message (then the window knows its consultation): the
// size of the records is of no account.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum VisitorConsultation {
    /// The window takes part in this open consultation; `opened`: it was opened just now (from
    /// the window's pending inflow). `visitor` is the window's record as it now is.
    Open {
        consultation: ConsultationRecord,
        opened: bool,
        visitor: VisitorRecord,
        /// Other waiting consultations the distribution pass of this opening gave to agents.
        also_given: Vec<ConsultationRecord>,
    },
    /// Another browser's consultation is going on in the room, which this window may not join.
    InUse,
    /// Nothing is open and the window has no inflow to open one with (its consultation ended).
    Closed,
}

/// What a link changed, kept in the journal so it can be undone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub(crate) room_profile_id: i64,
    pub(crate) profiles: Vec<ProfileSnapshot>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ProfileSnapshot {
    pub(crate) id: i64,
    pub(crate) site_uid: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) custom: Custom,
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

pub(crate) async fn profile_tx(
    tx: &mut Tx<'_>,
    id: ProfileId,
) -> Result<ProfileRecord, StoreError> {
    let row = sqlx::query("SELECT * FROM profiles WHERE id = $1")
        .bind(id.get())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound("profile"))?;
    ProfileRecord::from_row(&row)
}

pub(crate) async fn profile_by_uid_tx(
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

pub(crate) async fn insert_profile(
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

pub(crate) async fn save_profile_data(
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
pub(crate) fn fill_empty(target: &ProfileData, source: &ProfileData) -> ProfileData {
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
pub(crate) async fn journal(
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
pub(crate) async fn link_room_tx(
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
    /// Whether the ID `uid` has arrived verified on `site` (its profile bears the mark).
    pub async fn uid_arrived_verified(&self, site: SiteId, uid: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT verified FROM profiles WHERE site_id = $1 AND site_uid = $2")
            .bind(site.get())
            .bind(uid)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(row) => col::<i64>(&row, "verified")? != 0,
            None => false,
        })
    }

    /// Rooms of anonymous web chat visitors were once keyed by the visitor's credential itself
    /// (which agents saw). Each such room takes the visitor's public id instead; the visitor,
    /// who keeps the credential, keeps the room. Run at every connect: it finds nothing once
    /// done. Answers how many rooms it renamed.
    pub(crate) async fn rekey_credential_rooms(&self) -> Result<u64, StoreError> {
        let rows = sqlx::query(
            "SELECT id, customer_key FROM rooms WHERE platform = 'webchat' \
             AND length(customer_key) = 32",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut renamed = 0;
        for row in &rows {
            let id: i64 = col(row, "id")?;
            let key: String = col(row, "customer_key")?;
            let Ok(credential) = sangdam_core::VisitorKey::parse(&key) else {
                continue;
            };
            let _w = self.write_guard().await;
            renamed += sqlx::query(
                "UPDATE rooms SET customer_key = $1 WHERE id = $2 AND customer_key = $3",
            )
            .bind(credential.public_id())
            .bind(id)
            .bind(&key)
            .execute(&self.pool)
            .await?
            .rows_affected();
        }
        if renamed > 0 {
            tracing::info!(
                renamed,
                "anonymous rooms now keyed by their visitors' public ids"
            );
        }
        Ok(renamed)
    }

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
        let mut tx = self.begin_write().await?;
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
        // The first verified arrival of an ID starts its profile afresh from what it brought:
        // values that unverified inflows wrote before (anyone may have typed them) never stand
        // under the verified mark.
        let base = if req.identity.verified && !profile.verified {
            ProfileData::default()
        } else {
            profile.data()
        };
        let data = sangdam_core::apply_inflow(&base, &req.inflow.fields, &req.inflow.custom);
        save_profile_data(&mut tx, profile_id, &data, req.now).await?;
        if req.identity.verified {
            sqlx::query("UPDATE profiles SET verified = 1 WHERE id = $1")
                .bind(profile_id.get())
                .execute(&mut *tx)
                .await?;
        }

        let pending = PendingInflow::of(req)?;
        let open = open_consultation_tx(&mut tx, room.id).await?;
        let (consultation, opened) = match req.consult {
            Consult::OpenOrJoin => {
                let (c, opened) =
                    consult_tx(&mut tx, site, room.id, open, &pending, req.now).await?;
                (Some(c), opened)
            }
            Consult::Window {
                sees_history,
                own,
                start,
            } => match open {
                Some(open) if sangdam_core::visitor_may_join(sees_history, own, open.id) => {
                    let (c, _) =
                        consult_tx(&mut tx, site, room.id, Some(open), &pending, req.now).await?;
                    (Some(c), false)
                }
                None if start => {
                    let (c, opened) =
                        consult_tx(&mut tx, site, room.id, None, &pending, req.now).await?;
                    (Some(c), opened)
                }
                _ => (None, false),
            },
        };
        let room = room_tx(&mut tx, room.id).await?;
        // Last, so the site's lock is held only for the pass and the commit.
        let (consultation, also_given) = match consultation {
            Some(c) if opened => {
                let (c, others) = place_opened(&mut tx, self.backend(), c, req.now).await?;
                (Some(c), others)
            }
            other => (other, Vec::new()),
        };
        tx.commit().await?;
        Ok(InflowResult {
            room,
            pending: consultation.is_none().then_some(pending),
            consultation,
            profile_id,
            opened,
            also_given,
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
    /// consultation's state and channel, and to those agent `readable_by` may read: the rooms
    /// of the customers one of whose consultations (in any of their rooms) is that agent's
    /// business (see [`sangdam_core::access`]).
    pub async fn list_rooms(
        &self,
        site: SiteId,
        state: Option<ConsultationState>,
        channel: Option<Channel>,
        readable_by: Option<&[AgentId]>,
        limit: i64,
    ) -> Result<Vec<(RoomRecord, Option<ConsultationRecord>)>, StoreError> {
        let readable = match readable_by {
            None => "1 = 1".to_owned(),
            Some(ours) => format!(
                "EXISTS (SELECT 1 FROM consultations b JOIN rooms r2 ON r2.id = b.room_id \
                 WHERE r2.profile_id = rooms.profile_id AND {})",
                crate::consultations::business_sql("b", Some(ours))
            ),
        };
        let rows = sqlx::query(&format!(
            "SELECT rooms.id AS room_id, c.id AS consultation_id FROM rooms \
             LEFT JOIN consultations c ON c.id = \
               (SELECT MAX(id) FROM consultations WHERE room_id = rooms.id) \
             WHERE rooms.site_id = $1 AND ($2 = -99 OR c.state = $2) \
             AND ($3 = '' OR c.channel = $3) AND {readable} \
             ORDER BY rooms.id DESC LIMIT $4"
        ))
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
}

/// Opens a consultation for `pending` in `room`, or joins `open` (merging the inflow's
/// parameters into it), and records the inflow with it. Answers the consultation and whether
/// it was opened.
///
/// The inflow's `category_id` / `division_id` classify the consultation here, by the site's
/// tree as it is now ([`sangdam_core::category::classify`]); what did not go in as written is
/// recorded among the inflow's warnings, where agents read it. A consultation opens with its
/// classification (the default category when the inflow chose none); an inflow joining an
/// open one changes it only when its own ids chose a category and no agent has classified it.
async fn consult_tx(
    tx: &mut Tx<'_>,
    site: SiteId,
    room: RoomId,
    open: Option<ConsultationRecord>,
    p: &PendingInflow,
    now: i64,
) -> Result<(ConsultationRecord, bool), StoreError> {
    let tree = crate::categories::tree_tx(tx, site).await?;
    let raw = |id: Option<i64>| id.and_then(|v| u64::try_from(v).ok());
    let class = sangdam_core::category::classify(&tree, raw(p.category_id), raw(p.division_id));
    let warnings = match &class.warning {
        None => p.warnings.clone(),
        Some(w) => {
            let mut all: Vec<Warning> = serde_json::from_str(&p.warnings)?;
            all.push(w.clone());
            serde_json::to_string(&all)?
        }
    };
    // The bot answers first when the site's bot is on and the URL asks for it (or the bot
    // is set to answer every new consultation); otherwise `bot_start` is not heard.
    let bot_first = match &open {
        Some(_) => false,
        None => crate::bot::bot_opens_tx(tx, site, p.bot_start).await?,
    };
    let (consultation, opened) =
        match sangdam_core::on_inflow(open.as_ref().map(|c| (c.id, c.state)), bot_first) {
            InflowOutcome::Open { state } => {
                let row = sqlx::query(
                    "INSERT INTO consultations (site_id, room_id, channel, state, category_id, \
                     division_id, user_parameter, custom, created_at, updated_at, waiting_since) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING *",
                )
                .bind(site.get())
                .bind(room.get())
                .bind(p.channel.as_str())
                .bind(state.code())
                .bind(class.category.map(CategoryId::get))
                .bind(class.division.map(CategoryId::get))
                .bind(p.user_parameter.as_deref())
                .bind(serde_json::to_string(&p.custom)?)
                .bind(now)
                .bind((state == ConsultationState::Waiting).then_some(now))
                .fetch_one(&mut **tx)
                .await?;
                let record = ConsultationRecord::from_row(&row)?;
                crate::reports::write_params(tx, site, record.id, &p.custom).await?;
                (record, true)
            }
            InflowOutcome::Join(id) => {
                let Some(current) = open else {
                    return Err(StoreError::NotFound("consultation"));
                };
                let mut custom = current.custom.clone();
                custom.extend(p.custom.clone());
                // An agent's classification stands: a chat page reloaded with the same URL,
                // or a messenger repeating its parameters, must not undo it.
                let by_agent =
                    sqlx::query("SELECT 1 FROM classifications WHERE consultation_id = $1")
                        .bind(id.get())
                        .fetch_optional(&mut **tx)
                        .await?
                        .is_some();
                let (category, division) = if class.chosen && !by_agent {
                    (class.category, class.division)
                } else {
                    (current.category_id, current.division_id)
                };
                let row = sqlx::query(
                    "UPDATE consultations SET custom = $1, \
                     user_parameter = COALESCE($2, user_parameter), \
                     category_id = $3, division_id = $4, updated_at = $5 \
                     WHERE id = $6 RETURNING *",
                )
                .bind(serde_json::to_string(&custom)?)
                .bind(p.user_parameter.as_deref())
                .bind(category.map(CategoryId::get))
                .bind(division.map(CategoryId::get))
                .bind(now)
                .bind(id.get())
                .fetch_one(&mut **tx)
                .await?;
                if custom != current.custom {
                    crate::reports::write_params(tx, site, id, &custom).await?;
                }
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
    .bind(p.channel.as_str())
    .bind(p.raw.as_str())
    .bind(p.parsed.as_str())
    .bind(warnings.as_str())
    .bind(p.site_uid.as_deref())
    .bind(i64::from(p.verified))
    .bind(p.referrer.as_deref())
    .bind(p.user_agent.as_deref())
    .bind(p.arrived_at)
    .execute(&mut **tx)
    .await?;
    Ok((consultation, opened))
}

impl Store {
    /// The consultation a chat window's message goes into: the open one if the window may take
    /// part in it, else one opened now from the window's pending inflow (its first message
    /// after arriving). One transaction, so two tabs' first messages open one consultation.
    pub async fn consultation_for_visitor(
        &self,
        visitor: i64,
        now: i64,
    ) -> Result<VisitorConsultation, StoreError> {
        let mut attempts = 0;
        loop {
            match self.consultation_for_visitor_once(visitor, now).await {
                Err(e) if e.is_unique_violation() && attempts < 3 => attempts += 1,
                other => return other,
            }
        }
    }

    async fn consultation_for_visitor_once(
        &self,
        visitor: i64,
        now: i64,
    ) -> Result<VisitorConsultation, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT * FROM visitors WHERE id = $1")
            .bind(visitor)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("visitor"))?;
        let v = VisitorRecord::from_row(&row)?;
        let pending: Option<PendingInflow> = col::<Option<String>>(&row, "pending_inflow")?
            .map(|json| serde_json::from_str(&json))
            .transpose()?;
        let open = open_consultation_tx(&mut tx, v.room_id).await?;
        let (consultation, opened) = match (open, pending) {
            (Some(open), pending) => {
                if !sangdam_core::visitor_may_join(v.verified, v.consultation_id, open.id) {
                    return Ok(VisitorConsultation::InUse);
                }
                match pending {
                    Some(p) => {
                        consult_tx(&mut tx, v.site_id, v.room_id, Some(open), &p, now).await?
                    }
                    None => (open, false),
                }
            }
            (None, Some(p)) => consult_tx(&mut tx, v.site_id, v.room_id, None, &p, now).await?,
            (None, None) => return Ok(VisitorConsultation::Closed),
        };
        let row = sqlx::query(
            "UPDATE visitors SET consultation_id = $1, pending_inflow = NULL, updated_at = $2 \
             WHERE id = $3 RETURNING *",
        )
        .bind(consultation.id.get())
        .bind(now)
        .bind(v.id)
        .fetch_one(&mut *tx)
        .await?;
        let visitor = VisitorRecord::from_row(&row)?;
        let (consultation, also_given) = if opened {
            place_opened(&mut tx, self.backend(), consultation, now).await?
        } else {
            (consultation, Vec::new())
        };
        tx.commit().await?;
        Ok(VisitorConsultation::Open {
            consultation,
            opened,
            visitor,
            also_given,
        })
    }
}

pub(crate) async fn room_tx(tx: &mut Tx<'_>, id: RoomId) -> Result<RoomRecord, StoreError> {
    let row = sqlx::query("SELECT * FROM rooms WHERE id = $1")
        .bind(id.get())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound("room"))?;
    RoomRecord::from_row(&row)
}

pub(crate) async fn open_consultation_tx(
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

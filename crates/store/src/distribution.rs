//! Who answers, applied (R3.3): agents' presence and limits, the distribution pass, taking,
//! reassigning, transfers, sending back and reclaim, the queue, and each consultation's
//! timeline of who or what moved it.
//!
//! Everything that gives a consultation to an agent runs in one transaction under the site's
//! lock ([`dialect::lock_site`]): it reads the open counts, asks `sangdam_core` (`plan`,
//! `may_take`), and writes, before anyone else on the site can read those counts. So a limit is
//! never exceeded and no consultation is given twice, on SQLite and on PostgreSQL with several
//! instances. What only takes consultations away (a close, a send-back) needs no lock: it can
//! only leave more room than a decision counted on.

use std::collections::HashMap;

use inflow::Channel;
use sangdam_core::{
    AgentId, AgentLoad, CategoryId, ConsultationId, ConsultationState, DistributionMode,
    DistributionRules, EndType, Grade, Presence, Queued, RoomId, SiteId, Transition,
};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use crate::db::Store;
use crate::dialect;
use crate::error::StoreError;
use crate::records::{AgentRecord, ConsultationRecord, Role, col};
use crate::rooms::Tx;

/// A site's distribution settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DistributionSettings {
    pub mode: DistributionMode,
    /// A returning customer goes to the agent who served them last, when that agent is free.
    pub prefer_last_agent: bool,
    /// An agent whose consoles have all been gone this long counts as offline.
    pub offline_after_minutes: u32,
    /// An assigned consultation unanswered this long goes back to distribution (`None`: never).
    pub reclaim_after_minutes: Option<u32>,
    /// The most consultations that may wait in the queue; one more arriving is closed with the
    /// over-capacity message (`None`: no limit).
    pub max_waiting: Option<u32>,
}

impl DistributionSettings {
    pub fn rules(&self) -> DistributionRules {
        DistributionRules {
            mode: self.mode,
            prefer_last_agent: self.prefer_last_agent,
        }
    }

    pub fn offline_after_ms(&self) -> i64 {
        i64::from(self.offline_after_minutes) * 60_000
    }

    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        let mode: String = col(row, "distribution_mode")?;
        Ok(DistributionSettings {
            mode: mode
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("unknown distribution mode {mode:?}")))?,
            prefer_last_agent: col::<i64>(row, "prefer_last_agent")? != 0,
            offline_after_minutes: u32::try_from(col::<i64>(row, "offline_after_minutes")?)
                .unwrap_or(sangdam_core::DEFAULT_OFFLINE_AFTER_MINUTES),
            reclaim_after_minutes: col::<Option<i64>>(row, "reclaim_after_minutes")?
                .and_then(|m| u32::try_from(m).ok()),
            max_waiting: col::<Option<i64>>(row, "max_waiting")?
                .and_then(|m| u32::try_from(m).ok()),
        })
    }
}

/// How a consultation came to its agent, for its timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignedBy {
    /// Taken from the queue by the agent.
    Pickup,
    /// Given directly by a manager or the admin.
    Manager(AgentId),
}

/// One entry of a consultation's timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub id: i64,
    pub consultation_id: ConsultationId,
    /// `assigned` (by distribution), `taken`, `reassigned`, `transfer_requested`,
    /// `transferred`, `transfer_declined`, `transfer_expired`, `sent_back`, `reclaimed`.
    pub kind: String,
    /// Who did it; `None`: Sangdam itself (distribution, a timer).
    pub actor_id: Option<AgentId>,
    /// The agent it went to (or was asked to go to).
    pub agent_id: Option<AgentId>,
    /// The agent it came from.
    pub from_agent_id: Option<AgentId>,
    pub note: Option<String>,
    /// A send-back into another category: the category and division it went into…
    pub category_id: Option<CategoryId>,
    pub division_id: Option<CategoryId>,
    /// …and those it had.
    pub from_category_id: Option<CategoryId>,
    pub from_division_id: Option<CategoryId>,
    pub at: i64,
}

impl TimelineEntry {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        let category =
            |name| Ok::<_, StoreError>(col::<Option<i64>>(row, name)?.map(CategoryId::new));
        Ok(TimelineEntry {
            id: col(row, "id")?,
            consultation_id: ConsultationId::new(col(row, "consultation_id")?),
            kind: col(row, "kind")?,
            actor_id: col::<Option<i64>>(row, "actor_id")?.map(AgentId::new),
            agent_id: col::<Option<i64>>(row, "agent_id")?.map(AgentId::new),
            from_agent_id: col::<Option<i64>>(row, "from_agent_id")?.map(AgentId::new),
            note: col(row, "note")?,
            category_id: category("category_id")?,
            division_id: category("division_id")?,
            from_category_id: category("from_category_id")?,
            from_division_id: category("from_division_id")?,
            at: col(row, "at")?,
        })
    }
}

/// A consultation waiting in the queue, in queue order.
#[derive(Debug, Clone, Serialize)]
pub struct QueueEntry {
    pub consultation_id: ConsultationId,
    pub room_id: sangdam_core::RoomId,
    pub channel: Channel,
    pub category_id: Option<i64>,
    pub waiting_since: i64,
    /// The position a messenger customer was last told, and when.
    pub told: Option<(u32, i64)>,
}

/// An account as the managers' board shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgentLoadRecord {
    #[serde(flatten)]
    pub agent: AgentRecord,
    /// The presence distribution counts (a vanished console makes an agent offline).
    pub presence: Presence,
    /// Consultations they hold now.
    pub open: u32,
}

/// A request to hand a consultation to another agent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransferRecord {
    pub id: i64,
    pub site_id: SiteId,
    pub consultation_id: ConsultationId,
    pub from_agent_id: AgentId,
    pub to_agent_id: AgentId,
    pub note: String,
    /// `pending`, `accepted`, `declined`, `expired`.
    pub state: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub answered_at: Option<i64>,
}

impl TransferRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(TransferRecord {
            id: col(row, "id")?,
            site_id: SiteId::new(col(row, "site_id")?),
            consultation_id: ConsultationId::new(col(row, "consultation_id")?),
            from_agent_id: AgentId::new(col(row, "from_agent_id")?),
            to_agent_id: AgentId::new(col(row, "to_agent_id")?),
            note: col(row, "note")?,
            state: col(row, "state")?,
            created_at: col(row, "created_at")?,
            expires_at: col(row, "expires_at")?,
            answered_at: col(row, "answered_at")?,
        })
    }
}

/// What an agent changes about their own presence.
#[derive(Debug, Clone, Copy, Default)]
pub struct PresenceChange {
    pub status: Option<Presence>,
    pub takes_consultations: Option<bool>,
}

/// What an admin changes about how an account is given consultations.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RoutingChange {
    pub max_concurrent: Option<u32>,
    pub serves_categories: Option<Vec<i64>>,
    pub serves_channels: Option<Vec<Channel>>,
}

async fn lock_site(
    tx: &mut Tx<'_>,
    backend: crate::db::Backend,
    site: SiteId,
) -> Result<DistributionSettings, StoreError> {
    let row = sqlx::query(dialect::lock_site(backend))
        .bind(site.get())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound("site"))?;
    DistributionSettings::from_row(&row)
}

/// Open (in progress) consultations per agent of a site.
async fn open_counts(tx: &mut Tx<'_>, site: SiteId) -> Result<HashMap<i64, u32>, StoreError> {
    let rows = sqlx::query(
        "SELECT agent_id, COUNT(*) AS n FROM consultations \
         WHERE site_id = $1 AND state = 1 AND agent_id IS NOT NULL GROUP BY agent_id",
    )
    .bind(site.get())
    .fetch_all(&mut **tx)
    .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for row in &rows {
        let n: i64 = col(row, "n")?;
        out.insert(col(row, "agent_id")?, u32::try_from(n).unwrap_or(u32::MAX));
    }
    Ok(out)
}

async fn open_count_of(tx: &mut Tx<'_>, agent: AgentId) -> Result<u32, StoreError> {
    let row =
        sqlx::query("SELECT COUNT(*) AS n FROM consultations WHERE agent_id = $1 AND state = 1")
            .bind(agent.get())
            .fetch_one(&mut **tx)
            .await?;
    Ok(u32::try_from(col::<i64>(&row, "n")?).unwrap_or(u32::MAX))
}

fn load_of(a: &AgentRecord, open: u32, settings: &DistributionSettings, now: i64) -> AgentLoad {
    AgentLoad {
        id: a.id,
        presence: sangdam_core::effective_presence(
            a.status,
            a.last_seen_at,
            now,
            settings.offline_after_ms(),
        ),
        takes_consultations: a.takes_consultations,
        max_open: u32::try_from(a.max_concurrent).unwrap_or(0),
        open,
        last_assigned_at: a.last_assigned_at,
        categories: a.serves_categories.clone(),
        channels: a.serves_channels.clone(),
    }
}

/// A category and division, as a consultation has them.
type Classification = (Option<CategoryId>, Option<CategoryId>);

/// A timeline entry about to be written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Happened<'a> {
    pub kind: &'a str,
    pub actor: Option<AgentId>,
    pub agent: Option<AgentId>,
    pub from: Option<AgentId>,
    pub note: Option<&'a str>,
    /// The classification it left and the one it went into, when that changed.
    pub recategorized: Option<(Classification, Classification)>,
}

impl<'a> Happened<'a> {
    fn new(kind: &'a str) -> Self {
        Happened {
            kind,
            actor: None,
            agent: None,
            from: None,
            note: None,
            recategorized: None,
        }
    }
}

pub(crate) async fn record_event(
    tx: &mut Tx<'_>,
    c: &ConsultationRecord,
    e: Happened<'_>,
    now: i64,
) -> Result<(), StoreError> {
    let Happened {
        kind,
        actor,
        agent,
        from,
        note,
        recategorized,
    } = e;
    let ((from_category, from_division), (category, division)) = recategorized.unwrap_or_default();
    sqlx::query(
        "INSERT INTO consultation_events (site_id, consultation_id, kind, actor_id, agent_id, \
         from_agent_id, note, from_category_id, from_division_id, category_id, division_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(c.site_id.get())
    .bind(c.id.get())
    .bind(kind)
    .bind(actor.map(|a| a.get()))
    .bind(agent.map(|a| a.get()))
    .bind(from.map(|a| a.get()))
    .bind(note)
    .bind(from_category.map(CategoryId::get))
    .bind(from_division.map(CategoryId::get))
    .bind(category.map(CategoryId::get))
    .bind(division.map(CategoryId::get))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Gives `c` (waiting or in progress) to `agent` at `now`, as the state machine allows `t`.
async fn give(
    tx: &mut Tx<'_>,
    c: &ConsultationRecord,
    t: Transition,
    agent: AgentId,
    now: i64,
) -> Result<Option<ConsultationRecord>, StoreError> {
    let next = sangdam_core::transition(c.state, t)?;
    let row = sqlx::query(
        "UPDATE consultations SET state = $1, agent_id = $2, assigned_at = $3, answered_at = NULL, \
         sent_back_from = NULL, queue_told_position = NULL, queue_told_at = NULL, updated_at = $3 \
         WHERE id = $4 AND state = $5 AND (agent_id = $6 OR (agent_id IS NULL AND $6 = 0)) \
         RETURNING *",
    )
    .bind(next.code())
    .bind(agent.get())
    .bind(now)
    .bind(c.id.get())
    .bind(c.state.code())
    .bind(c.agent_id.map_or(0, |a| a.get()))
    .fetch_optional(&mut **tx)
    .await?;
    sqlx::query("UPDATE agents SET last_assigned_at = $1 WHERE id = $2")
        .bind(now)
        .bind(agent.get())
        .execute(&mut **tx)
        .await?;
    row.as_ref().map(ConsultationRecord::from_row).transpose()
}

async fn consultation_tx(
    tx: &mut Tx<'_>,
    id: ConsultationId,
) -> Result<ConsultationRecord, StoreError> {
    let row = sqlx::query("SELECT * FROM consultations WHERE id = $1")
        .bind(id.get())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound("consultation"))?;
    ConsultationRecord::from_row(&row)
}

async fn transfer_tx(tx: &mut Tx<'_>, id: i64) -> Result<TransferRecord, StoreError> {
    let row = sqlx::query("SELECT * FROM transfer_requests WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound("transfer request"))?;
    TransferRecord::from_row(&row)
}

async fn agent_tx(tx: &mut Tx<'_>, id: AgentId) -> Result<AgentRecord, StoreError> {
    let row = sqlx::query("SELECT * FROM agents WHERE id = $1")
        .bind(id.get())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound("agent"))?;
    AgentRecord::from_row(&row)
}

/// Whether a pass waits for the site's lock or, when another transaction holds it, leaves the
/// work to that one and the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lock {
    Wait,
    SkipIfHeld,
}

/// One distribution pass over `site` inside `tx` (see [`Store::distribute`]).
pub(crate) async fn distribute_tx(
    tx: &mut Tx<'_>,
    backend: crate::db::Backend,
    site: SiteId,
    lock: Lock,
    now: i64,
) -> Result<Vec<ConsultationRecord>, StoreError> {
    let row = sqlx::query(dialect::lock_site_or_skip(
        backend,
        lock == Lock::SkipIfHeld,
    ))
    .bind(site.get())
    .fetch_optional(&mut **tx)
    .await?;
    let (settings, desk_open) = match (row, lock) {
        (Some(row), _) => (
            DistributionSettings::from_row(&row)?,
            crate::hours::desk_open(&row, now)?,
        ),
        (None, Lock::SkipIfHeld) => return Ok(Vec::new()),
        (None, Lock::Wait) => return Err(StoreError::NotFound("site")),
    };
    // Outside business hours nothing is given: what waits is answered when the desk opens.
    if !settings.mode.is_automatic() || !desk_open {
        return Ok(Vec::new());
    }
    // Only agents are given consultations; managers and the admin take or assign by hand.
    let rows = sqlx::query(
        "SELECT * FROM agents WHERE site_id = $1 AND role = $2 AND deactivated_at IS NULL",
    )
    .bind(site.get())
    .bind(Role::Agent.as_str())
    .fetch_all(&mut **tx)
    .await?;
    let counts = open_counts(tx, site).await?;
    let mut agents = Vec::with_capacity(rows.len());
    for row in &rows {
        let a = AgentRecord::from_row(row)?;
        let open = counts.get(&a.id.get()).copied().unwrap_or(0);
        agents.push(load_of(&a, open, &settings, now));
    }
    if !agents.iter().any(AgentLoad::available) {
        return Ok(Vec::new());
    }
    let last_agent = if settings.prefer_last_agent {
        "(SELECT p.agent_id FROM consultations p WHERE p.room_id = c.room_id \
         AND p.state IN (2, 3) AND p.agent_id IS NOT NULL ORDER BY p.id DESC LIMIT 1)"
    } else {
        "NULL"
    };
    let rows = sqlx::query(&format!(
        "SELECT c.id, c.category_id, c.channel, c.waiting_since, c.created_at, \
         c.sent_back_from, {last_agent} AS last_agent FROM consultations c \
         WHERE c.site_id = $1 AND c.state = 0 AND c.agent_id IS NULL \
         ORDER BY c.waiting_since, c.id"
    ))
    .bind(site.get())
    .fetch_all(&mut **tx)
    .await?;
    let mut queue = Vec::with_capacity(rows.len());
    for row in &rows {
        let channel: String = col(row, "channel")?;
        queue.push(Queued {
            id: ConsultationId::new(col(row, "id")?),
            category_id: col(row, "category_id")?,
            channel: channel
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("unknown channel {channel:?}")))?,
            waiting_since: col::<Option<i64>>(row, "waiting_since")?
                .unwrap_or(col(row, "created_at")?),
            last_agent: col::<Option<i64>>(row, "last_agent")?.map(AgentId::new),
            avoid: col::<Option<i64>>(row, "sent_back_from")?.map(AgentId::new),
        });
    }
    let plan = sangdam_core::plan(&settings.rules(), &queue, &mut agents, now);
    if plan.is_empty() {
        return Ok(Vec::new());
    }
    // Three statements however many are given: a pass during a burst holds the site's lock
    // for its writes, and every round trip under it delays the next inflow's assignment.
    let next = sangdam_core::transition(ConsultationState::Waiting, Transition::Take)?;
    let pairs: Vec<[i64; 2]> = plan
        .iter()
        .map(|a| [a.consultation.get(), a.agent.get()])
        .collect();
    let pairs = serde_json::to_string(&pairs)?;
    let rows = sqlx::query(dialect::give_waiting(backend))
        .bind(pairs.as_str())
        .bind(now)
        .bind(next.code())
        .bind(ConsultationState::Waiting.code())
        .fetch_all(&mut **tx)
        .await?;
    let mut given = rows
        .iter()
        .map(ConsultationRecord::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    given.sort_by_key(|c| (c.waiting_since, c.id));
    let done: Vec<[i64; 2]> = given
        .iter()
        .filter_map(|c| c.agent_id.map(|a| [c.id.get(), a.get()]))
        .collect();
    let agents: Vec<i64> = done.iter().map(|[_, a]| *a).collect();
    sqlx::query(dialect::record_assigned(backend))
        .bind(site.get())
        .bind(serde_json::to_string(&done)?)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    sqlx::query(dialect::agents_given(backend))
        .bind(now)
        .bind(serde_json::to_string(&agents)?)
        .execute(&mut **tx)
        .await?;
    Ok(given)
}

/// A consultation just opened waiting is given in the transaction that opened it, by a pass
/// of the same plan under the same site lock as the worker's: with an agent free it never
/// waits for a pass queued behind other writers. Answers the consultation as it now is and
/// any others the pass gave (older ones an agent may take).
///
/// Where the lock is a row lock held to the commit (PostgreSQL), an inflow finding it held
/// does not queue for it: a burst of inflows would then commit one after another, each
/// waiting for the previous one's commit to be flushed (measured: the burst took 2.5 times as
/// long to open). It leaves its consultation to the pass that holds the lock or to the
/// worker's next one, which the consultation's event asks for.
pub(crate) async fn place_opened(
    tx: &mut Tx<'_>,
    backend: crate::db::Backend,
    c: ConsultationRecord,
    now: i64,
) -> Result<(ConsultationRecord, Vec<ConsultationRecord>), StoreError> {
    if c.state.is_open() && customer_blocked_tx(tx, c.room_id).await? {
        return Ok((close_blocked_tx(tx, &c, now).await?, Vec::new()));
    }
    if c.state != ConsultationState::Waiting || c.agent_id.is_some() {
        return Ok((c, Vec::new()));
    }
    let mut given = distribute_tx(tx, backend, c.site_id, Lock::SkipIfHeld, now).await?;
    let mine = given
        .iter()
        .position(|g| g.id == c.id)
        .map(|i| given.remove(i));
    Ok((mine.unwrap_or(c), given))
}

/// Whether the customer of `room` (its profile) is blocked (`sangdam_core::customer`).
async fn customer_blocked_tx(tx: &mut Tx<'_>, room: RoomId) -> Result<bool, StoreError> {
    let grade: Option<String> = sqlx::query_scalar(
        "SELECT p.grade FROM rooms r JOIN profiles p ON p.id = r.profile_id WHERE r.id = $1",
    )
    .bind(room.get())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(grade.as_deref() == Some(Grade::Blocked.as_str()))
}

/// Closes `c`, just opened, as the consultation of a blocked customer: it never waits, so no
/// pass and no agent sees it. Its messages are counted from here, as of any closed one.
async fn close_blocked_tx(
    tx: &mut Tx<'_>,
    c: &ConsultationRecord,
    now: i64,
) -> Result<ConsultationRecord, StoreError> {
    let next = sangdam_core::transition(c.state, Transition::Close(EndType::Blocked))?;
    let row = sqlx::query(
        "UPDATE consultations SET state = $1, end_type = $2, closed_at = $3, updated_at = $3, \
         waiting_since = NULL, message_count = (SELECT COUNT(*) FROM messages m \
         WHERE m.room_id = consultations.room_id AND m.consultation_id = consultations.id) \
         WHERE id = $4 RETURNING *",
    )
    .bind(next.code())
    .bind(EndType::Blocked.as_str())
    .bind(now)
    .bind(c.id.get())
    .fetch_one(&mut **tx)
    .await?;
    ConsultationRecord::from_row(&row)
}

fn changed_meanwhile() -> StoreError {
    StoreError::Conflict("the consultation changed meanwhile; reload and try again".into())
}

impl Store {
    pub async fn distribution_settings(
        &self,
        site: SiteId,
    ) -> Result<DistributionSettings, StoreError> {
        let row = sqlx::query(
            "SELECT distribution_mode, prefer_last_agent, offline_after_minutes, \
             reclaim_after_minutes, max_waiting FROM sites WHERE id = $1",
        )
        .bind(site.get())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("site"))?;
        DistributionSettings::from_row(&row)
    }

    pub async fn save_distribution_settings(
        &self,
        site: SiteId,
        s: &DistributionSettings,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "UPDATE sites SET distribution_mode = $1, prefer_last_agent = $2, \
             offline_after_minutes = $3, reclaim_after_minutes = $4, max_waiting = $5 \
             WHERE id = $6",
        )
        .bind(s.mode.as_str())
        .bind(i64::from(s.prefer_last_agent))
        .bind(i64::from(s.offline_after_minutes))
        .bind(s.reclaim_after_minutes.map(i64::from))
        .bind(s.max_waiting.map(i64::from))
        .bind(site.get())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// An agent's own presence: status and the "takes no consultations" switch. Choosing a
    /// status counts as being seen.
    pub async fn set_presence(
        &self,
        agent: AgentId,
        change: PresenceChange,
        now: i64,
    ) -> Result<AgentRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE agents SET status = COALESCE($1, status), \
             takes_consultations = COALESCE($2, takes_consultations), last_seen_at = $3 \
             WHERE id = $4 RETURNING *",
        )
        .bind(change.status.map(|s| s.as_str()))
        .bind(change.takes_consultations.map(i64::from))
        .bind(now)
        .bind(agent.get())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("agent"))?;
        AgentRecord::from_row(&row)
    }

    /// A console of these agents is connected at `now`.
    pub async fn agents_seen(&self, agents: &[AgentId], now: i64) -> Result<(), StoreError> {
        if agents.is_empty() {
            return Ok(());
        }
        let ids = serde_json::to_string(&agents.iter().map(|a| a.get()).collect::<Vec<_>>())?;
        let _w = self.write_guard().await;
        sqlx::query(dialect::touch_agents(self.backend()))
            .bind(now)
            .bind(ids)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// How an account is given consultations (its limit, categories and channels).
    pub async fn set_routing(
        &self,
        agent: AgentId,
        change: &RoutingChange,
    ) -> Result<AgentRecord, StoreError> {
        let _w = self.write_guard().await;
        let categories = change
            .serves_categories
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?;
        let channels = change
            .serves_channels
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?;
        let row = sqlx::query(
            "UPDATE agents SET max_concurrent = COALESCE($1, max_concurrent), \
             serves_categories = COALESCE($2, serves_categories), \
             serves_channels = COALESCE($3, serves_channels) WHERE id = $4 RETURNING *",
        )
        .bind(change.max_concurrent.map(i64::from))
        .bind(categories)
        .bind(channels)
        .bind(agent.get())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("agent"))?;
        AgentRecord::from_row(&row)
    }

    /// One distribution pass over a site: the queue, oldest first, given to the agents who may
    /// take it now, as [`sangdam_core::plan`] decides. Answers the consultations given.
    pub async fn distribute(
        &self,
        site: SiteId,
        now: i64,
    ) -> Result<Vec<ConsultationRecord>, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let given = distribute_tx(&mut tx, self.backend(), site, Lock::Wait, now).await?;
        tx.commit().await?;
        Ok(given)
    }

    /// An agent takes a waiting consultation from the queue (`AssignedBy::Pickup`), or a
    /// manager gives one (waiting or another agent's) to `agent` directly. Refused when the
    /// site does not let agents pick by hand, or when it would exceed `agent`'s limit.
    pub async fn assign(
        &self,
        id: ConsultationId,
        agent: AgentId,
        by: AssignedBy,
        now: i64,
    ) -> Result<ConsultationRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let c = consultation_tx(&mut tx, id).await?;
        let settings = lock_site(&mut tx, self.backend(), c.site_id).await?;
        // Read again under the lock: what was read before it may have changed.
        let c = consultation_tx(&mut tx, id).await?;
        let target = agent_tx(&mut tx, agent).await?;
        if target.site_id != c.site_id {
            return Err(StoreError::NotFound("agent"));
        }
        if !target.is_active() {
            return Err(StoreError::Conflict(format!(
                "{}'s account is deactivated",
                target.display_name
            )));
        }
        if c.agent_id == Some(agent) {
            return Err(StoreError::Conflict(format!(
                "{} already holds this consultation",
                target.display_name
            )));
        }
        // An agent picks only from the queue; a manager also moves one from another agent.
        let t = match (by, c.state) {
            (AssignedBy::Manager(_), ConsultationState::InProgress) => Transition::Transfer,
            _ => Transition::Take,
        };
        // The state first: a closed consultation is closed whoever asks.
        sangdam_core::transition(c.state, t)?;
        let open = open_count_of(&mut tx, agent).await?;
        let max = u32::try_from(target.max_concurrent).unwrap_or(0);
        sangdam_core::may_take(settings.mode, open, max, by == AssignedBy::Pickup)?;
        let given = give(&mut tx, &c, t, agent, now)
            .await?
            .ok_or_else(changed_meanwhile)?;
        let (kind, actor) = match by {
            AssignedBy::Pickup => ("taken", Some(agent)),
            AssignedBy::Manager(m) => ("reassigned", Some(m)),
        };
        record_event(
            &mut tx,
            &given,
            Happened {
                actor,
                agent: Some(agent),
                from: c.agent_id,
                note: None,
                ..Happened::new(kind)
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(given)
    }

    /// An assigned consultation goes back to the queue (keeping its first waiting start):
    /// `kind` is `sent_back` (by `actor`) or `reclaimed`. A send-back may move it into another
    /// category and division (`category`: those chosen, as
    /// [`sangdam_core::category::send_back_to`] allows them), in the same transaction, so
    /// distribution never sees it waiting in the category it left; the change is on the
    /// timeline's entry and among the classification changes, by `actor`.
    pub async fn send_back(
        &self,
        id: ConsultationId,
        kind: &str,
        actor: Option<AgentId>,
        category: Option<(Option<CategoryId>, Option<CategoryId>)>,
        note: Option<&str>,
        now: i64,
    ) -> Result<ConsultationRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let c = consultation_tx(&mut tx, id).await?;
        let next = sangdam_core::transition(c.state, Transition::SendBack)?;
        let from = (c.category_id, c.division_id);
        let to = match category {
            Some((category, division)) => {
                let tree = crate::categories::tree_tx(&mut tx, c.site_id).await?;
                sangdam_core::category::send_back_to(&tree, from, category, division)?
            }
            None => from,
        };
        let recategorized = (to != from).then_some((from, to));
        let row = sqlx::query(
            "UPDATE consultations SET state = $1, agent_id = NULL, answered_at = NULL, \
             sent_back_from = agent_id, waiting_since = COALESCE(waiting_since, created_at), \
             category_id = CASE WHEN $2 = 1 THEN $3 ELSE category_id END, \
             division_id = CASE WHEN $2 = 1 THEN $4 ELSE division_id END, updated_at = $5 \
             WHERE id = $6 AND state = $7 AND agent_id = $8 RETURNING *",
        )
        .bind(next.code())
        .bind(i64::from(recategorized.is_some()))
        .bind(to.0.map(CategoryId::get))
        .bind(to.1.map(CategoryId::get))
        .bind(now)
        .bind(id.get())
        .bind(c.state.code())
        .bind(c.agent_id.map_or(0, |a| a.get()))
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(changed_meanwhile)?;
        let back = ConsultationRecord::from_row(&row)?;
        if let (Some(_), Some(agent)) = (recategorized, actor) {
            crate::categories::record_classification(&mut tx, &back, agent, now).await?;
        }
        record_event(
            &mut tx,
            &back,
            Happened {
                actor,
                agent: None,
                from: c.agent_id,
                note,
                recategorized,
                ..Happened::new(kind)
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(back)
    }

    /// Assigned consultations whose agent has not answered within their site's reclaim time,
    /// at `now` (sites with reclaim off are left alone).
    pub async fn reclaimable(&self, now: i64) -> Result<Vec<ConsultationRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.* FROM consultations c JOIN sites s ON s.id = c.site_id \
             WHERE c.state = 1 AND c.answered_at IS NULL AND s.reclaim_after_minutes IS NOT NULL \
             AND c.assigned_at <= $1 - s.reclaim_after_minutes * 60000",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(ConsultationRecord::from_row).collect()
    }

    /// The site's queue, in the order it is served (oldest waiting first).
    pub async fn queue(&self, site: SiteId) -> Result<Vec<QueueEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, room_id, channel, category_id, waiting_since, created_at, \
             queue_told_position, queue_told_at FROM consultations \
             WHERE site_id = $1 AND state = 0 AND agent_id IS NULL ORDER BY waiting_since, id",
        )
        .bind(site.get())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let channel: String = col(row, "channel")?;
            out.push(QueueEntry {
                consultation_id: ConsultationId::new(col(row, "id")?),
                room_id: sangdam_core::RoomId::new(col(row, "room_id")?),
                channel: channel
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("unknown channel {channel:?}")))?,
                category_id: col(row, "category_id")?,
                waiting_since: col::<Option<i64>>(row, "waiting_since")?
                    .unwrap_or(col(row, "created_at")?),
                told: col::<Option<i64>>(row, "queue_told_position")?
                    .and_then(|p| u32::try_from(p).ok())
                    .zip(col::<Option<i64>>(row, "queue_told_at")?),
            });
        }
        Ok(out)
    }

    /// When consultations of the site left the queue for an agent since `since`.
    pub async fn queue_departures(&self, site: SiteId, since: i64) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT at FROM consultation_events WHERE site_id = $1 AND at > $2 \
             AND kind IN ('assigned', 'taken')",
        )
        .bind(site.get())
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| col(r, "at")).collect()
    }

    /// Records that a messenger customer was told `position` at `now`.
    pub async fn queue_told(
        &self,
        id: ConsultationId,
        position: u32,
        now: i64,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "UPDATE consultations SET queue_told_position = $1, queue_told_at = $2 WHERE id = $3",
        )
        .bind(i64::from(position))
        .bind(now)
        .bind(id.get())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every account of a site with its presence and load, for the managers' board.
    pub async fn agent_board(
        &self,
        site: SiteId,
        now: i64,
    ) -> Result<Vec<AgentLoadRecord>, StoreError> {
        let settings = self.distribution_settings(site).await?;
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query("SELECT * FROM agents WHERE site_id = $1 ORDER BY id")
            .bind(site.get())
            .fetch_all(&mut *tx)
            .await?;
        let counts = open_counts(&mut tx, site).await?;
        tx.commit().await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let agent = AgentRecord::from_row(row)?;
            let open = counts.get(&agent.id.get()).copied().unwrap_or(0);
            let load = load_of(&agent, open, &settings, now);
            out.push(AgentLoadRecord {
                presence: load.presence,
                open,
                agent,
            });
        }
        Ok(out)
    }

    pub async fn open_count(&self, agent: AgentId) -> Result<u32, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM consultations WHERE agent_id = $1 AND state = 1",
        )
        .bind(agent.get())
        .fetch_one(&mut *conn)
        .await?;
        Ok(u32::try_from(col::<i64>(&row, "n")?).unwrap_or(u32::MAX))
    }

    /// A consultation's timeline, oldest first.
    pub async fn timeline(&self, id: ConsultationId) -> Result<Vec<TimelineEntry>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM consultation_events WHERE consultation_id = $1 ORDER BY id")
                .bind(id.get())
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(TimelineEntry::from_row).collect()
    }

    /// `from`, who holds consultation `id`, asks `to` to take it over.
    pub async fn request_transfer(
        &self,
        id: ConsultationId,
        from: AgentId,
        to: AgentId,
        note: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<TransferRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let c = consultation_tx(&mut tx, id).await?;
        sangdam_core::transition(c.state, Transition::Transfer)?;
        if c.agent_id != Some(from) {
            return Err(StoreError::Conflict(
                "only the agent holding a consultation asks another to take it over".into(),
            ));
        }
        let target = agent_tx(&mut tx, to).await?;
        if target.site_id != c.site_id {
            return Err(StoreError::NotFound("agent"));
        }
        if !target.is_active() {
            return Err(StoreError::Conflict(format!(
                "{}'s account is deactivated",
                target.display_name
            )));
        }
        // Well-formed, and refused by who is asking: a conflict, like a consultation not held.
        if to == from {
            return Err(StoreError::Conflict(
                "a consultation is transferred to another agent, not to yourself".into(),
            ));
        }
        let row = sqlx::query(
            "INSERT INTO transfer_requests (site_id, consultation_id, from_agent_id, to_agent_id, \
             note, state, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) \
             RETURNING *",
        )
        .bind(c.site_id.get())
        .bind(id.get())
        .bind(from.get())
        .bind(to.get())
        .bind(note)
        .bind(now)
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            StoreError::unique(
                e,
                "a transfer of this consultation is already waiting for an answer",
            )
        })?;
        let request = TransferRecord::from_row(&row)?;
        let note = (!note.is_empty()).then_some(note);
        record_event(
            &mut tx,
            &c,
            Happened {
                actor: Some(from),
                agent: Some(to),
                from: Some(from),
                note,
                ..Happened::new("transfer_requested")
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(request)
    }

    pub async fn transfer(&self, id: i64) -> Result<TransferRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM transfer_requests WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("transfer request"))?;
        TransferRecord::from_row(&row)
    }

    /// Pending transfer requests to or from `agent`.
    pub async fn pending_transfers(
        &self,
        agent: AgentId,
    ) -> Result<Vec<TransferRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM transfer_requests WHERE state = 'pending' \
             AND (to_agent_id = $1 OR from_agent_id = $1) ORDER BY id",
        )
        .bind(agent.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(TransferRecord::from_row).collect()
    }

    /// The agent a request was sent to accepts it (the consultation becomes theirs, within
    /// their limit) or declines it (it stays with the sender). Answers the request and, when
    /// accepted, the consultation.
    pub async fn answer_transfer(
        &self,
        request: i64,
        agent: AgentId,
        accept: bool,
        now: i64,
    ) -> Result<(TransferRecord, Option<ConsultationRecord>), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let r = transfer_tx(&mut tx, request).await?;
        if r.to_agent_id != agent {
            return Err(StoreError::NotFound("transfer request"));
        }
        let settings = lock_site(&mut tx, self.backend(), r.site_id).await?;
        if r.state != "pending" || r.expires_at <= now {
            return Err(StoreError::Conflict(format!(
                "this transfer request is no longer open ({})",
                if r.state == "pending" {
                    "expired"
                } else {
                    &r.state
                }
            )));
        }
        let c = consultation_tx(&mut tx, r.consultation_id).await?;
        let mut given = None;
        if accept {
            if c.agent_id != Some(r.from_agent_id) || c.state != ConsultationState::InProgress {
                return Err(StoreError::Conflict(
                    "the consultation is no longer with the agent who asked".into(),
                ));
            }
            let target = agent_tx(&mut tx, agent).await?;
            let open = open_count_of(&mut tx, agent).await?;
            let max = u32::try_from(target.max_concurrent).unwrap_or(0);
            sangdam_core::may_take(settings.mode, open, max, false)?;
            let g = give(&mut tx, &c, Transition::Transfer, agent, now)
                .await?
                .ok_or_else(changed_meanwhile)?;
            let note = (!r.note.is_empty()).then_some(r.note.as_str());
            record_event(
                &mut tx,
                &g,
                Happened {
                    actor: Some(agent),
                    agent: Some(agent),
                    from: Some(r.from_agent_id),
                    note,
                    ..Happened::new("transferred")
                },
                now,
            )
            .await?;
            given = Some(g);
        } else {
            record_event(
                &mut tx,
                &c,
                Happened {
                    actor: Some(agent),
                    agent: Some(agent),
                    from: Some(r.from_agent_id),
                    note: None,
                    ..Happened::new("transfer_declined")
                },
                now,
            )
            .await?;
        }
        let row = sqlx::query(
            "UPDATE transfer_requests SET state = $1, answered_at = $2 WHERE id = $3 RETURNING *",
        )
        .bind(if accept { "accepted" } else { "declined" })
        .bind(now)
        .bind(request)
        .fetch_one(&mut *tx)
        .await?;
        let r = TransferRecord::from_row(&row)?;
        tx.commit().await?;
        Ok((r, given))
    }

    /// The sender takes back a request nobody has answered yet (sent to the wrong colleague,
    /// or no longer needed): it is withdrawn and the consultation stays theirs.
    pub async fn withdraw_transfer(
        &self,
        request: i64,
        agent: AgentId,
        now: i64,
    ) -> Result<TransferRecord, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let r = transfer_tx(&mut tx, request).await?;
        if r.from_agent_id != agent {
            return Err(StoreError::NotFound("transfer request"));
        }
        // Under the site's lock, like an answer: an accept and a withdrawal at the same moment
        // end one way, never both.
        lock_site(&mut tx, self.backend(), r.site_id).await?;
        let row = sqlx::query(
            "UPDATE transfer_requests SET state = 'withdrawn', answered_at = $1 \
             WHERE id = $2 AND state = 'pending' AND expires_at > $1 RETURNING *",
        )
        .bind(now)
        .bind(request)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            StoreError::Conflict("this transfer request has been answered or has lapsed".into())
        })?;
        let r = TransferRecord::from_row(&row)?;
        let c = consultation_tx(&mut tx, r.consultation_id).await?;
        record_event(
            &mut tx,
            &c,
            Happened {
                actor: Some(agent),
                agent: Some(r.to_agent_id),
                from: Some(agent),
                note: None,
                ..Happened::new("transfer_withdrawn")
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(r)
    }

    /// Requests nobody answered in time: they lapse and the consultation stays with (returns
    /// to) its sender.
    pub async fn expire_transfers(&self, now: i64) -> Result<Vec<TransferRecord>, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "UPDATE transfer_requests SET state = 'expired', answered_at = $1 \
             WHERE state = 'pending' AND expires_at <= $1 RETURNING *",
        )
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let r = TransferRecord::from_row(row)?;
            let c = consultation_tx(&mut tx, r.consultation_id).await?;
            record_event(
                &mut tx,
                &c,
                Happened {
                    actor: None,
                    agent: Some(r.to_agent_id),
                    from: Some(r.from_agent_id),
                    note: None,
                    ..Happened::new("transfer_expired")
                },
                now,
            )
            .await?;
            out.push(r);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Sites with consultations waiting (for the periodic distribution pass).
    pub async fn sites_with_queue(&self) -> Result<Vec<SiteId>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT c.site_id FROM consultations c JOIN sites s ON s.id = c.site_id \
             WHERE c.state = 0 AND c.agent_id IS NULL AND s.distribution_mode <> 'manual'",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok(SiteId::new(col(r, "site_id")?)))
            .collect()
    }
}

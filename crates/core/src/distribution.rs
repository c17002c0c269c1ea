//! Who answers (R3.3): the site's distribution mode, an agent's presence and limit, and the
//! choice of an agent for a waiting consultation, as pure functions over a snapshot.
//!
//! The store reads a snapshot (the site's queue, oldest first, and its agents with their open
//! counts) inside one transaction that nobody else distributing on that site can enter, asks
//! [`plan`] which consultation goes to whom, and writes the answer in the same transaction. A
//! limit is therefore never exceeded and no consultation is given twice: every decision here is
//! taken on counts that cannot change under it, and [`plan`] itself counts each assignment
//! before the next choice.

use std::fmt;
use std::str::FromStr;

use inflow::Channel;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::ids::{AgentId, ConsultationId};

/// How a site's consultations reach agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DistributionMode {
    /// Everything waits in the queue; agents take by hand.
    #[default]
    Manual,
    /// Given like `least_open`; agents may also take from the queue by hand.
    Hybrid,
    /// To the available agent with the fewest open consultations.
    LeastOpen,
    /// To available agents in turn (the one given a consultation longest ago).
    RoundRobin,
    /// Only to agents who serve the consultation's category (fewest open first).
    ByCategory,
    /// Only to agents who serve the consultation's channel (fewest open first).
    ByChannel,
}

impl DistributionMode {
    pub const ALL: [DistributionMode; 6] = [
        DistributionMode::Manual,
        DistributionMode::Hybrid,
        DistributionMode::LeastOpen,
        DistributionMode::RoundRobin,
        DistributionMode::ByCategory,
        DistributionMode::ByChannel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DistributionMode::Manual => "manual",
            DistributionMode::Hybrid => "hybrid",
            DistributionMode::LeastOpen => "least_open",
            DistributionMode::RoundRobin => "round_robin",
            DistributionMode::ByCategory => "by_category",
            DistributionMode::ByChannel => "by_channel",
        }
    }

    /// Whether Sangdam gives consultations to agents by itself.
    pub fn is_automatic(self) -> bool {
        self != DistributionMode::Manual
    }

    /// Whether agents may take a consultation from the queue by hand. In the fully automatic
    /// modes the queue is distribution's: it holds only what no available agent may take, and
    /// nobody picks the easy ones out of it (managers still assign directly).
    pub fn allows_pickup(self) -> bool {
        matches!(self, DistributionMode::Manual | DistributionMode::Hybrid)
    }
}

impl fmt::Display for DistributionMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DistributionMode {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| {
                CoreError::field(
                    "mode",
                    format!(
                        "{s:?} is not a distribution mode: expected manual, hybrid, least_open, \
                         round_robin, by_category or by_channel"
                    ),
                )
            })
    }
}

/// What an agent said about themselves in the console header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Presence {
    Online,
    Away,
    #[default]
    Offline,
}

impl Presence {
    pub const ALL: [Presence; 3] = [Presence::Online, Presence::Away, Presence::Offline];

    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Online => "online",
            Presence::Away => "away",
            Presence::Offline => "offline",
        }
    }
}

impl fmt::Display for Presence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Presence {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                CoreError::field(
                    "status",
                    format!("{s:?} is not a status: expected online, away or offline"),
                )
            })
    }
}

/// The most concurrent consultations an agent may be given unless their account says otherwise.
pub const DEFAULT_MAX_OPEN: u32 = 10;
/// The highest limit an account may have.
pub const MAX_OPEN_LIMIT: u32 = 100;

/// An agent's limit of concurrent consultations, as entered: 1 to [`MAX_OPEN_LIMIT`].
pub fn validate_max_open(n: i64) -> Result<u32, CoreError> {
    match u32::try_from(n) {
        Ok(n) if (1..=MAX_OPEN_LIMIT).contains(&n) => Ok(n),
        _ => Err(CoreError::field(
            "max_concurrent",
            format!("{n} is not a limit: expected 1 to {MAX_OPEN_LIMIT} consultations"),
        )),
    }
}

/// How long after an agent's last console connection went away they count as offline, unless
/// the site says otherwise.
pub const DEFAULT_OFFLINE_AFTER_MINUTES: u32 = 2;
/// The longest a site may let a vanished console count as present.
pub const MAX_OFFLINE_AFTER_MINUTES: u32 = 60;
/// The longest a site may let a consultation sit unanswered before it is reclaimed.
pub const MAX_RECLAIM_AFTER_MINUTES: u32 = 240;
/// The largest queue limit a site may set.
pub const MAX_QUEUE_LIMIT: u32 = 10_000;
/// How long a transfer request waits for an answer before it returns to its sender.
pub const TRANSFER_REQUEST_MS: i64 = 2 * 60_000;
/// The longest free-text note a transfer request carries.
pub const MAX_TRANSFER_NOTE_CHARS: usize = 200;

/// The presence distribution counts with: what the agent chose, unless their console has been
/// gone for `offline_after_ms` (closed browser, lost network), which makes them offline.
/// `last_seen_at` is when a console of theirs was last known connected (`None`: never).
pub fn effective_presence(
    chosen: Presence,
    last_seen_at: Option<i64>,
    now: i64,
    offline_after_ms: i64,
) -> Presence {
    match (chosen, last_seen_at) {
        (Presence::Offline, _) | (_, None) => Presence::Offline,
        (p, Some(seen)) if now.saturating_sub(seen) <= offline_after_ms => p,
        _ => Presence::Offline,
    }
}

/// An agent as distribution sees them at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentLoad {
    pub id: AgentId,
    /// Their [`effective_presence`].
    pub presence: Presence,
    /// `false`: the "takes no consultations" switch is on.
    pub takes_consultations: bool,
    pub max_open: u32,
    /// Consultations they hold now (in progress).
    pub open: u32,
    /// When they were last given a consultation (round robin's turn).
    pub last_assigned_at: Option<i64>,
    /// The categories they serve (`by_category`); empty: every category.
    pub categories: Vec<i64>,
    /// The channels they serve (`by_channel`); empty: every channel.
    pub channels: Vec<Channel>,
}

impl AgentLoad {
    /// Whether another consultation fits under their limit.
    pub fn has_room(&self) -> bool {
        self.open < self.max_open
    }

    /// Whether distribution may give them a consultation at all now.
    pub fn available(&self) -> bool {
        self.presence == Presence::Online && self.takes_consultations && self.has_room()
    }

    /// Whether they serve `q` in `mode` (their categories or channels; other modes: yes).
    pub fn serves(&self, mode: DistributionMode, q: &Queued) -> bool {
        match mode {
            DistributionMode::ByCategory => {
                self.categories.is_empty()
                    || q.category_id.is_some_and(|c| self.categories.contains(&c))
            }
            DistributionMode::ByChannel => {
                self.channels.is_empty() || self.channels.contains(&q.channel)
            }
            _ => true,
        }
    }
}

/// A consultation waiting in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub id: ConsultationId,
    pub category_id: Option<i64>,
    pub channel: Channel,
    /// When it started waiting; a consultation sent back keeps its first start.
    pub waiting_since: i64,
    /// The agent who served this customer last (a returning customer), when the site prefers
    /// them.
    pub last_agent: Option<AgentId>,
    /// The agent it was taken back from unanswered: passed over while anyone else may take it.
    pub avoid: Option<AgentId>,
}

/// A site's distribution settings that [`plan`] needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DistributionRules {
    pub mode: DistributionMode,
    /// A returning customer goes to the agent who served them last, when that agent may take
    /// them now.
    pub prefer_last_agent: bool,
}

/// One decision of [`plan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    pub consultation: ConsultationId,
    pub agent: AgentId,
}

/// Round robin's turn: who was given a consultation longest ago (never: first), with the
/// assignments of the current pass counted in the order they were made.
type Turn = (Option<i64>, u64);

/// The agent `q` goes to, among `agents` (with `turns[i]` the turn of `agents[i]`), or `None`:
/// it waits.
fn choose_with(
    rules: &DistributionRules,
    q: &Queued,
    agents: &[AgentLoad],
    turns: &[Turn],
) -> Option<usize> {
    let mode = rules.mode;
    if !mode.is_automatic() {
        return None;
    }
    let may = |a: &AgentLoad| a.available() && a.serves(mode, q);
    if rules.prefer_last_agent
        && let Some(last) = q.last_agent
        && q.avoid != Some(last)
        && let Some(i) = agents.iter().position(|a| a.id == last && may(a))
    {
        return Some(i);
    }
    let others = |a: &AgentLoad| may(a) && Some(a.id) != q.avoid;
    let candidates: Vec<(usize, &AgentLoad)> = if agents.iter().any(others) {
        agents
            .iter()
            .enumerate()
            .filter(|(_, a)| others(a))
            .collect()
    } else {
        agents.iter().enumerate().filter(|(_, a)| may(a)).collect()
    };
    let candidates = candidates.into_iter();
    match mode {
        DistributionMode::RoundRobin => candidates
            .min_by_key(|(i, a)| (turns[*i], a.id))
            .map(|(i, _)| i),
        _ => candidates
            .min_by_key(|(i, a)| (a.open, turns[*i], a.id))
            .map(|(i, _)| i),
    }
}

/// The agent a waiting consultation goes to now, or `None` (it waits).
pub fn choose(rules: &DistributionRules, q: &Queued, agents: &[AgentLoad]) -> Option<AgentId> {
    let turns: Vec<Turn> = agents.iter().map(|a| (a.last_assigned_at, 0)).collect();
    choose_with(rules, q, agents, &turns).map(|i| agents[i].id)
}

/// Which of `queue` go to which of `agents` now, oldest waiting first. `agents` is updated as
/// the plan goes (open counts, turns at `now`), so it describes the agents after the plan.
pub fn plan(
    rules: &DistributionRules,
    queue: &[Queued],
    agents: &mut [AgentLoad],
    now: i64,
) -> Vec<Assignment> {
    let mut out = Vec::new();
    if !rules.mode.is_automatic() {
        return out;
    }
    let mut order: Vec<&Queued> = queue.iter().collect();
    order.sort_by_key(|q| (q.waiting_since, q.id));
    let mut turns: Vec<Turn> = agents.iter().map(|a| (a.last_assigned_at, 0)).collect();
    let mut made = 0u64;
    for q in order {
        if !agents.iter().any(AgentLoad::available) {
            break;
        }
        if let Some(i) = choose_with(rules, q, agents, &turns) {
            made += 1;
            let agent = &mut agents[i];
            agent.open += 1;
            agent.last_assigned_at = Some(agent.last_assigned_at.map_or(now, |t| t.max(now)));
            turns[i] = (agent.last_assigned_at, made);
            out.push(Assignment {
                consultation: q.id,
                agent: agent.id,
            });
        }
    }
    out
}

/// Whether an agent holding `open` of `max_open` may take one more from the queue by hand
/// (`by_hand`), or be given one by a manager or a transfer (`by_hand == false`): refused with
/// [`CoreError::DistributionOnly`] or [`CoreError::AtLimit`].
pub fn may_take(
    mode: DistributionMode,
    open: u32,
    max_open: u32,
    by_hand: bool,
) -> Result<(), CoreError> {
    if by_hand && !mode.allows_pickup() {
        return Err(CoreError::DistributionOnly { mode });
    }
    if open >= max_open {
        return Err(CoreError::AtLimit { open, max_open });
    }
    Ok(())
}

/// How far back queue departures count for the estimated wait.
pub const ESTIMATE_WINDOW_MS: i64 = 30 * 60_000;
/// Fewest recent departures an estimate is made from; with fewer, none is shown.
pub const ESTIMATE_MIN_DEPARTURES: usize = 3;

/// The estimated wait of the consultation at `position` (1: next) in the queue, from the
/// recent waiting times: `departures` are the instants consultations recently left the queue
/// for an agent. The queue moves one place per mean gap between those departures over the
/// window; `None` when the window holds too few to say.
pub fn estimated_wait_ms(position: u32, departures: &[i64], now: i64) -> Option<i64> {
    let since = now - ESTIMATE_WINDOW_MS;
    let recent: Vec<i64> = departures
        .iter()
        .copied()
        .filter(|t| *t > since && *t <= now)
        .collect();
    if recent.len() < ESTIMATE_MIN_DEPARTURES || position == 0 {
        return None;
    }
    let oldest = recent.iter().copied().min().unwrap_or(now);
    let span = (now - oldest).max(1);
    let gap = span / i64::try_from(recent.len()).unwrap_or(i64::MAX);
    Some(gap.max(1).saturating_mul(i64::from(position)))
}

/// How often a messenger customer is told their queue position at most.
pub const QUEUE_NOTICE_EVERY_MS: i64 = 3 * 60_000;

/// Whether a messenger customer waiting at `position` is told it now, when they were last told
/// `last` (position and instant; `None`: never). Telling them on every move would flood a
/// chat: they hear it when they enter the queue, and then when it has moved and a while has
/// passed, or when they are next.
pub fn queue_notice_due(position: u32, last: Option<(u32, i64)>, now: i64) -> bool {
    match last {
        None => true,
        Some((told, _)) if position >= told => false,
        Some(_) if position == 1 => true,
        Some((_, at)) => now.saturating_sub(at) >= QUEUE_NOTICE_EVERY_MS,
    }
}

/// Whether an assigned consultation the agent has not answered goes back to distribution:
/// reclaim is on (`after_ms`), it was assigned at `assigned_at` and not answered since.
pub fn reclaim_due(
    assigned_at: Option<i64>,
    answered: bool,
    after_ms: Option<i64>,
    now: i64,
) -> bool {
    match (after_ms, assigned_at) {
        (Some(after), Some(at)) if !answered => now.saturating_sub(at) >= after,
        _ => false,
    }
}

/// Whether a consultation arriving when `waiting` others wait finds the queue full under the
/// site's `limit` (`None`: no limit): it may be the `limit`-th in line, not one more.
pub fn queue_full(waiting: usize, limit: Option<u32>) -> bool {
    limit.is_some_and(|l| waiting >= usize::try_from(l).unwrap_or(usize::MAX))
}

/// Checks a queue limit as a site saves it: 1 to [`MAX_QUEUE_LIMIT`] (or none).
pub fn validate_queue_limit(limit: i64) -> Result<u32, CoreError> {
    u32::try_from(limit)
        .ok()
        .filter(|l| (1..=MAX_QUEUE_LIMIT).contains(l))
        .ok_or_else(|| {
            CoreError::field(
                "max_waiting",
                format!(
                    "expected 1 to {MAX_QUEUE_LIMIT} waiting consultations, or nothing for no limit"
                ),
            )
        })
}

#[cfg(test)]
mod tests;

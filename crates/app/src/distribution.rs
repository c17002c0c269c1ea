//! Who answers (R3.3), as use cases: agents' presence, the distribution worker that hands the
//! queue to agents, taking and reassigning, transfers, sending back and reclaim, and the
//! queue as customers and consoles see it.
//!
//! Distribution runs in one worker per instance. Anything that may let a consultation move
//! (one opens or waits again, one closes, an agent comes online or raises a limit, a transfer
//! leaves) marks the site; the worker runs one pass per marked site (many marks, one pass),
//! publishes what it gave, and the queue as it now stands. The worker also looks every few
//! seconds for what time alone changes: unanswered consultations to reclaim, transfer requests
//! that lapsed, queues left by another instance or by a console that went away. Whatever it
//! misses is in the database, so a restart loses nothing.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use inflow::Channel;
use sangdam_core::auto_message::{AutoMessageKind, AutoMessages, MessageValues};
use sangdam_core::{
    AgentId, AuditAction, CategoryId, ConsultationId, ConsultationState, CoreError, SiteId,
};
use serde::{Deserialize, Serialize};
use store::{
    AgentLoadRecord, AgentRecord, AssignedBy, ConsultationRecord, DistributionSettings,
    PresenceChange, RoutingChange, Sender, TimelineEntry, TransferRecord,
};
use tokio::sync::{Notify, watch};

use crate::Services;
use crate::access::{admin_only, manager_only};
use crate::error::AppError;
use crate::events::Event;

/// The site's queue-position message for `p`: its place, and the estimated wait in whole
/// minutes (at least one) where there is one (a line naming the wait is left out otherwise);
/// `None` when the site switched it off.
pub fn queue_text(messages: &AutoMessages, p: &QueuePlace) -> Option<String> {
    let values = MessageValues {
        position: Some(p.position),
        wait_minutes: p
            .estimated_wait_ms
            .map(|ms| u32::try_from(((ms + 59_999) / 60_000).max(1)).unwrap_or(u32::MAX)),
        ..MessageValues::default()
    };
    messages.render(AutoMessageKind::QueuePosition, &values)
}

impl Services {
    /// What a customer waiting at `p` is told of their place (see [`queue_text`]).
    pub async fn queue_message(&self, site: SiteId, p: &QueuePlace) -> Option<String> {
        match self.messages_of_site(site).await {
            Ok(m) => queue_text(&m.messages, p),
            Err(e) => {
                tracing::warn!(site = %site, error = %e, "the automatic messages are unreadable");
                None
            }
        }
    }
}

/// How often the worker looks for what time alone changes.
pub const SWEEP_EVERY: Duration = Duration::from_secs(5);

/// One place in the queue as customers and consoles see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePlace {
    pub consultation_id: ConsultationId,
    pub room_id: sangdam_core::RoomId,
    pub channel: Channel,
    pub category_id: Option<i64>,
    /// 1: next.
    pub position: u32,
    pub waiting_since: i64,
    /// From recent waiting times; absent when there are too few to say.
    pub estimated_wait_ms: Option<i64>,
}

/// What a published queue showed: its consultations in order, and their estimates in minutes.
type QueueShape = Vec<(ConsultationId, Option<i64>)>;

/// The sites waiting for a distribution pass, and the worker's wake-up.
#[derive(Debug, Default)]
pub(crate) struct Marks {
    sites: Mutex<HashSet<SiteId>>,
    wake: Notify,
    /// The queue last published per site, so an unchanged queue is not sent again.
    published: Mutex<HashMap<SiteId, QueueShape>>,
}

impl Marks {
    pub(crate) fn mark(&self, site: SiteId) {
        self.sites
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(site);
        self.wake.notify_one();
    }

    fn take(&self) -> Vec<SiteId> {
        let mut sites = self.sites.lock().unwrap_or_else(PoisonError::into_inner);
        let mut out: Vec<SiteId> = sites.drain().collect();
        out.sort();
        out
    }
}

/// Whether `e` may let consultations of its site move (and so calls for a pass).
pub(crate) fn moves_queue(e: &Event) -> Option<SiteId> {
    match e {
        Event::Consultation {
            site_id,
            consultation,
        } => matches!(
            consultation.state,
            ConsultationState::Waiting | ConsultationState::Closed | ConsultationState::InProgress
        )
        .then_some(*site_id),
        _ => None,
    }
}

impl Services {
    /// Asks for a distribution pass over `site` soon (many asks, one pass).
    pub fn wake_distribution(&self, site: SiteId) {
        self.marks.mark(site);
    }

    /// One distribution pass over `site` now, then the queue as it stands is published.
    /// Answers the consultations given.
    pub async fn distribute(&self, site: SiteId) -> Result<Vec<ConsultationRecord>, AppError> {
        let given = self.store.distribute(site, self.now()).await?;
        // Published without marking the site again: the pass has just run.
        crate::events::publish(&*self.events, given.iter().map(Event::consultation));
        self.greet_all(&given).await;
        self.publish_queue(site).await?;
        Ok(given)
    }

    /// The site's queue with positions and estimated waits.
    pub async fn queue(&self, site: SiteId) -> Result<Vec<QueuePlace>, AppError> {
        Ok(self
            .queue_with_notices(site)
            .await?
            .into_iter()
            .map(|(p, _)| p)
            .collect())
    }

    /// The place of one consultation in its site's queue (`None`: not waiting).
    pub async fn queue_place(
        &self,
        site: SiteId,
        id: ConsultationId,
    ) -> Result<Option<QueuePlace>, AppError> {
        Ok(self
            .queue(site)
            .await?
            .into_iter()
            .find(|p| p.consultation_id == id))
    }

    /// The queue, each place with what its messenger customer was last told.
    async fn queue_with_notices(
        &self,
        site: SiteId,
    ) -> Result<Vec<(QueuePlace, Option<(u32, i64)>)>, AppError> {
        let now = self.now();
        let entries = self.store.queue(site).await?;
        let departures = if entries.is_empty() {
            Vec::new()
        } else {
            self.store
                .queue_departures(site, now - sangdam_core::ESTIMATE_WINDOW_MS)
                .await?
        };
        Ok(entries
            .into_iter()
            .zip(1u32..)
            .map(|(e, position)| {
                (
                    QueuePlace {
                        consultation_id: e.consultation_id,
                        room_id: e.room_id,
                        channel: e.channel,
                        category_id: e.category_id,
                        position,
                        waiting_since: e.waiting_since,
                        estimated_wait_ms: sangdam_core::estimated_wait_ms(
                            position,
                            &departures,
                            now,
                        ),
                    },
                    e.told,
                )
            })
            .collect())
    }

    /// Publishes the site's queue when it changed since last published (positions, estimates),
    /// and tells Naver customers their place when a notice is due.
    async fn publish_queue(&self, site: SiteId) -> Result<(), AppError> {
        let with_notices = self.queue_with_notices(site).await?;
        self.queue_notices(&with_notices).await?;
        let places: Vec<QueuePlace> = with_notices.into_iter().map(|(p, _)| p).collect();
        metrics::gauge!("sangdam_queue_length", "site" => site.get().to_string())
            .set(places.len() as f64);
        let shape: QueueShape = places
            .iter()
            .map(|p| (p.consultation_id, p.estimated_wait_ms.map(|ms| ms / 60_000)))
            .collect();
        {
            let mut published = self
                .marks
                .published
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if published.get(&site) == Some(&shape) {
                return Ok(());
            }
            published.insert(site, shape);
        }
        self.publish([Event::Queue {
            site_id: site,
            places,
        }]);
        Ok(())
    }

    /// Naver customers hear their place in the queue as a message, when entering it and as it
    /// moves, without being flooded ([`sangdam_core::queue_notice_due`]); it goes out through
    /// the outbox like an agent's reply. Kakao users cannot be written to first: they hear it
    /// in the answer to their next message ([`queue_sentence`]).
    async fn queue_notices(
        &self,
        places: &[(QueuePlace, Option<(u32, i64)>)],
    ) -> Result<(), AppError> {
        if self.naver().is_none() {
            return Ok(());
        }
        let now = self.now();
        let mut messages: Option<AutoMessages> = None;
        for (p, told) in places {
            if p.channel != Channel::Naver
                || !sangdam_core::queue_notice_due(p.position, *told, now)
            {
                continue;
            }
            let c = self.store.consultation(p.consultation_id).await?;
            if messages.is_none() {
                messages = Some(self.messages_of_site(c.site_id).await?.messages);
            }
            // The site's queue-position message; switched off, nobody is told.
            if let Some(text) = messages.as_ref().and_then(|m| queue_text(m, p)) {
                self.write_to_customer(&c, Sender::System, None, &text)
                    .await?;
            }
            self.store.queue_told(c.id, p.position, now).await?;
        }
        Ok(())
    }

    /// An agent switches their status or their "takes no consultations" switch.
    pub async fn set_presence(
        &self,
        agent: &AgentRecord,
        change: PresenceChange,
    ) -> Result<AgentRecord, AppError> {
        let a = self
            .store
            .set_presence(agent.id, change, self.now())
            .await?;
        self.agent_changed(&a).await?;
        Ok(a)
    }

    /// Consoles of these agents are connected now.
    pub async fn agents_seen(&self, agents: &[AgentId]) -> Result<(), AppError> {
        Ok(self.store.agents_seen(agents, self.now()).await?)
    }

    /// The admin sets how an account is given consultations: its limit, its categories and
    /// channels.
    pub async fn set_routing(
        &self,
        admin: &AgentRecord,
        target: AgentId,
        change: &RoutingChange,
    ) -> Result<AgentRecord, AppError> {
        admin_only(admin, "sets how accounts are given consultations")?;
        let current = self.store.agent(target).await?;
        if current.site_id != admin.site_id {
            return Err(AppError::NotFound("agent"));
        }
        if let Some(max) = change.max_concurrent {
            sangdam_core::validate_max_open(i64::from(max))?;
        }
        if let Some(ids) = &change.serves_categories {
            // Categories of this site's tree (top level: a consultation's category is one).
            let tree = self.store.category_tree(admin.site_id).await?;
            for id in ids {
                match tree.get(sangdam_core::CategoryId::new(*id)) {
                    Some(node) if node.is_category() => {}
                    // A division: the tree says otherwise than the request.
                    Some(_) => {
                        return Err(AppError::Conflict(format!(
                            "serves_categories: {id} is a division; agents serve categories"
                        )));
                    }
                    // Like any record of the site named in a request: absent.
                    None => return Err(AppError::NotFound("category")),
                }
            }
        }
        let a = self.store.set_routing(target, change).await?;
        self.audit(
            admin,
            AuditAction::RoutingSaved,
            format!("agent:{target}"),
            crate::audit::detail(change),
        )
        .await;
        self.agent_changed(&a).await?;
        Ok(a)
    }

    /// Publishes an account's new presence and load, and asks for a pass (it may have room).
    pub(crate) async fn agent_changed(&self, a: &AgentRecord) -> Result<(), AppError> {
        let board = self.store.agent_board(a.site_id, self.now()).await?;
        if let Some(load) = board.into_iter().find(|l| l.agent.id == a.id) {
            self.publish([Event::Agent {
                site_id: a.site_id,
                agent: load,
            }]);
        }
        self.wake_distribution(a.site_id);
        Ok(())
    }

    /// Every account of the site with its presence and load (managers and the admin).
    pub async fn agent_board(&self, agent: &AgentRecord) -> Result<Vec<AgentLoadRecord>, AppError> {
        manager_only(agent, "see the agents' board")?;
        let board = self.store.agent_board(agent.site_id, self.now()).await?;
        Ok(match self.business_of(agent).await? {
            None => board,
            Some(ours) => board
                .into_iter()
                .filter(|l| ours.contains(&l.agent.id))
                .collect(),
        })
    }

    /// Every account of the site with its presence, for any of its accounts: whom an agent
    /// may ask to take a consultation over. Loads and limits stay on the managers' board.
    pub async fn agent_directory(
        &self,
        agent: &AgentRecord,
    ) -> Result<Vec<AgentLoadRecord>, AppError> {
        Ok(self.store.agent_board(agent.site_id, self.now()).await?)
    }

    /// The account's own presence and load.
    pub async fn my_load(&self, agent: &AgentRecord) -> Result<AgentLoadRecord, AppError> {
        self.store
            .agent_board(agent.site_id, self.now())
            .await?
            .into_iter()
            .find(|l| l.agent.id == agent.id)
            .ok_or(AppError::NotFound("agent"))
    }

    pub async fn distribution_settings(
        &self,
        site: SiteId,
    ) -> Result<DistributionSettings, AppError> {
        Ok(self.store.distribution_settings(site).await?)
    }

    /// The admin chooses the site's distribution mode and timers.
    pub async fn save_distribution_settings(
        &self,
        admin: &AgentRecord,
        s: &DistributionSettings,
    ) -> Result<(), AppError> {
        admin_only(admin, "changes how consultations are distributed")?;
        if !(1..=sangdam_core::MAX_OFFLINE_AFTER_MINUTES).contains(&s.offline_after_minutes) {
            return Err(CoreError::InvalidField {
                field: "offline_after_minutes",
                reason: format!(
                    "expected 1 to {} minutes",
                    sangdam_core::MAX_OFFLINE_AFTER_MINUTES
                ),
            }
            .into());
        }
        if let Some(m) = s.reclaim_after_minutes
            && !(1..=sangdam_core::MAX_RECLAIM_AFTER_MINUTES).contains(&m)
        {
            return Err(CoreError::InvalidField {
                field: "reclaim_after_minutes",
                reason: format!(
                    "expected 1 to {} minutes, or nothing to leave assignments alone",
                    sangdam_core::MAX_RECLAIM_AFTER_MINUTES
                ),
            }
            .into());
        }
        if let Some(limit) = s.max_waiting {
            sangdam_core::validate_queue_limit(i64::from(limit))?;
        }
        self.store
            .save_distribution_settings(admin.site_id, s)
            .await?;
        self.audit(
            admin,
            AuditAction::DistributionSaved,
            "",
            crate::audit::detail(s),
        )
        .await;
        self.wake_distribution(admin.site_id);
        Ok(())
    }

    /// An agent takes a waiting consultation from the queue (where the site lets them), within
    /// their limit.
    pub async fn take(
        &self,
        agent: &AgentRecord,
        id: ConsultationId,
    ) -> Result<ConsultationRecord, AppError> {
        self.consultation_for(agent, id, sangdam_core::Action::Take)
            .await?;
        let c = self
            .store
            .assign(id, agent.id, AssignedBy::Pickup, self.now())
            .await?;
        self.publish([Event::consultation(&c)]);
        self.greet(&c).await;
        Ok(c)
    }

    /// A manager gives a consultation (waiting, or another agent's) to `to` directly, within
    /// `to`'s limit.
    pub async fn reassign(
        &self,
        manager: &AgentRecord,
        id: ConsultationId,
        to: AgentId,
    ) -> Result<ConsultationRecord, AppError> {
        manager_only(manager, "assign consultations to agents")?;
        self.consultation_for(manager, id, sangdam_core::Action::Handle)
            .await?;
        let c = self
            .store
            .assign(id, to, AssignedBy::Manager(manager.id), self.now())
            .await?;
        self.publish([Event::consultation(&c)]);
        self.greet(&c).await;
        Ok(c)
    }

    /// The holder (or a manager) sends a consultation back to distribution, optionally into
    /// another category and division (`category`: those chosen, see
    /// [`sangdam_core::category::send_back_to`]): it keeps its place by its first waiting start,
    /// and the next pass places it by the category it now has.
    ///
    /// The ids are well-formed by the time they come here, so the tree refusing them is a
    /// matter of the site's state, as a served category is in [`Self::set_routing`]: an id of
    /// nothing on the site is not found, anything else the tree refuses a conflict.
    pub async fn send_back(
        &self,
        agent: &AgentRecord,
        id: ConsultationId,
        category: Option<(Option<CategoryId>, Option<CategoryId>)>,
        note: Option<&str>,
    ) -> Result<ConsultationRecord, AppError> {
        self.consultation_for(agent, id, sangdam_core::Action::Handle)
            .await?;
        let c = self
            .store
            .send_back(id, "sent_back", Some(agent.id), category, note, self.now())
            .await
            .map_err(|e| match e {
                store::StoreError::Rule(CoreError::UnknownCategory { .. }) => {
                    AppError::NotFound("category")
                }
                store::StoreError::Rule(
                    rule @ (CoreError::NotACategory { .. }
                    | CoreError::NotADivision(_)
                    | CoreError::CategoryUnused { .. }
                    | CoreError::DivisionNotOfCategory { .. }),
                ) => AppError::Refused(rule),
                other => other.into(),
            })?;
        self.publish([Event::consultation(&c)]);
        Ok(c)
    }

    /// The holder asks another agent to take a consultation over.
    pub async fn request_transfer(
        &self,
        agent: &AgentRecord,
        id: ConsultationId,
        to: AgentId,
        note: &str,
    ) -> Result<TransferRecord, AppError> {
        let note = note.trim();
        if note.chars().count() > sangdam_core::MAX_TRANSFER_NOTE_CHARS {
            return Err(CoreError::InvalidField {
                field: "note",
                reason: format!(
                    "at most {} characters",
                    sangdam_core::MAX_TRANSFER_NOTE_CHARS
                ),
            }
            .into());
        }
        self.consultation_for(agent, id, sangdam_core::Action::Handle)
            .await?;
        let now = self.now();
        let r = self
            .store
            .request_transfer(
                id,
                agent.id,
                to,
                note,
                now,
                now + sangdam_core::TRANSFER_REQUEST_MS,
            )
            .await?;
        self.publish([Event::Transfer {
            site_id: r.site_id,
            transfer: r.clone(),
        }]);
        Ok(r)
    }

    /// The agent a transfer request went to accepts or declines it.
    pub async fn answer_transfer(
        &self,
        agent: &AgentRecord,
        request: i64,
        accept: bool,
    ) -> Result<(TransferRecord, Option<ConsultationRecord>), AppError> {
        let r = self.store.transfer(request).await?;
        if r.site_id != agent.site_id || r.to_agent_id != agent.id {
            return Err(AppError::NotFound("transfer request"));
        }
        let (r, given) = self
            .store
            .answer_transfer(request, agent.id, accept, self.now())
            .await?;
        self.publish([Event::Transfer {
            site_id: r.site_id,
            transfer: r.clone(),
        }]);
        if let Some(c) = &given {
            self.publish([Event::consultation(c)]);
            self.greet(c).await;
        }
        Ok((r, given))
    }

    /// The sender withdraws a request not answered yet.
    pub async fn withdraw_transfer(
        &self,
        agent: &AgentRecord,
        request: i64,
    ) -> Result<TransferRecord, AppError> {
        let r = self.store.transfer(request).await?;
        if r.site_id != agent.site_id || r.from_agent_id != agent.id {
            return Err(AppError::NotFound("transfer request"));
        }
        let r = self
            .store
            .withdraw_transfer(request, agent.id, self.now())
            .await?;
        self.publish([Event::Transfer {
            site_id: r.site_id,
            transfer: r.clone(),
        }]);
        Ok(r)
    }

    /// Pending transfer requests to or from the agent.
    pub async fn pending_transfers(
        &self,
        agent: &AgentRecord,
    ) -> Result<Vec<TransferRecord>, AppError> {
        Ok(self.store.pending_transfers(agent.id).await?)
    }

    /// A consultation's timeline: every assignment, transfer and reclaim with who did it.
    pub async fn timeline(
        &self,
        agent: &AgentRecord,
        id: ConsultationId,
    ) -> Result<Vec<TimelineEntry>, AppError> {
        self.consultation_for(agent, id, sangdam_core::Action::Read)
            .await?;
        Ok(self.store.timeline(id).await?)
    }

    /// What time alone changes: unanswered assignments reclaimed, transfer requests lapsed,
    /// and a pass over every site with a queue (agents whose console went away, marks of
    /// another instance).
    pub async fn sweep_distribution(&self) -> Result<(), AppError> {
        let now = self.now();
        for c in self.store.reclaimable(now).await? {
            match self
                .store
                .send_back(c.id, "reclaimed", None, None, None, now)
                .await
            {
                Ok(back) => self.publish([Event::consultation(&back)]),
                // Answered, closed or moved meanwhile: nothing to reclaim.
                Err(store::StoreError::Conflict(_) | store::StoreError::Rule(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        for r in self.store.expire_transfers(now).await? {
            self.publish([Event::Transfer {
                site_id: r.site_id,
                transfer: r,
            }]);
        }
        for site in self.store.sites_with_queue().await? {
            self.marks.mark(site);
        }
        Ok(())
    }

    /// The distribution worker: a pass per marked site, and a sweep every [`SWEEP_EVERY`],
    /// until `stop`.
    pub async fn run_distribution(self, mut stop: watch::Receiver<bool>) {
        let mut sweep = tokio::time::interval(SWEEP_EVERY);
        sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            if *stop.borrow() {
                return;
            }
            tokio::select! {
                changed = stop.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    continue;
                }
                _ = self.marks.wake.notified() => {}
                _ = sweep.tick() => {
                    if let Err(e) = self.sweep_distribution().await {
                        tracing::warn!(error = %e, "distribution sweep failed");
                    }
                }
            }
            for site in self.marks.take() {
                if let Err(e) = self.distribute(site).await {
                    tracing::warn!(site = site.get(), error = %e, "distribution pass failed");
                    // Tried again on the next sweep.
                }
            }
        }
    }
}

//! What an account may reach: a consultation, a room or a profile fetched for an action, and
//! the lists, each as [`sangdam_core::access`] decides by the account's role and how it stands
//! to the record. Every use case that touches one of them as an agent goes through here.
//!
//! A record the account may not see is reported as absent ([`AppError::NotFound`]), never as
//! forbidden: nobody learns what exists beyond what they may read. One it sees but may not act
//! on is [`AppError::Forbidden`].

use inflow::Channel;
use sangdam_core::{
    Access, Action, AgentId, ConsultationId, ConsultationState, ProfileId, Relation, RoomId,
    SiteId, access,
};
use store::{AgentRecord, ConsultationRecord, ProfileRecord, Role, RoomRecord};

use crate::Services;
use crate::error::AppError;

/// `Ok` when allowed, else the error the refusal is (`what` names the record when absent).
fn decide(
    agent: &AgentRecord,
    relation: Relation,
    action: Action,
    what: &'static str,
) -> Result<(), AppError> {
    match access(agent.role, relation, action) {
        Access::Allowed => Ok(()),
        Access::Forbidden => Err(AppError::Forbidden(action.refusal().into())),
        Access::NotFound => Err(AppError::NotFound(what)),
    }
}

/// The filters of the consultation and room lists.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListFilter {
    pub state: Option<ConsultationState>,
    pub channel: Option<Channel>,
    /// Only the consultations the caller holds (the consultation list only).
    pub mine: bool,
    /// At most this many, newest first (kept between 1 and 1000; 200 when absent).
    pub limit: Option<i64>,
}

impl ListFilter {
    fn limit(&self) -> i64 {
        self.limit.unwrap_or(200).clamp(1, 1000)
    }
}

impl Services {
    /// The accounts whose business is `agent`'s (see [`sangdam_core::Relation`]): an agent's
    /// own; a manager's group (themselves among it); `None` for the admin and a manager who
    /// leads no group, whose business is the whole site.
    pub async fn business_of(&self, agent: &AgentRecord) -> Result<Option<Vec<AgentId>>, AppError> {
        Ok(match (agent.role, agent.group_id) {
            (Role::Admin, _) | (Role::Manager, None) => None,
            (Role::Manager, Some(group)) => {
                let mut ours = self.store.group_members(group).await?;
                if !ours.contains(&agent.id) {
                    ours.push(agent.id);
                }
                Some(ours)
            }
            (Role::Agent, _) => Some(vec![agent.id]),
        })
    }

    /// How `agent` stands to something of `site` whose own consultations stand, to the
    /// accounts given, as `own` says: that of another site is [`Relation::OtherSite`]; for an
    /// account whose business is the whole site it is worked out no further (nothing there
    /// is beyond them).
    async fn relation(
        &self,
        agent: &AgentRecord,
        site: SiteId,
        profile: impl AsyncFnOnce() -> Result<ProfileId, AppError>,
        own: impl AsyncFnOnce(&[AgentId]) -> Result<Relation, AppError>,
    ) -> Result<Relation, AppError> {
        if site != agent.site_id {
            return Ok(Relation::OtherSite);
        }
        let Some(ours) = self.business_of(agent).await? else {
            return Ok(Relation::HoldsOpen);
        };
        let own = own(&ours).await?;
        if own != Relation::Unrelated {
            return Ok(own);
        }
        let customer = self.customer_relation(&ours, profile().await?).await?;
        Ok(Relation::through_customer(own, customer))
    }

    /// How the customer of `profile` stands to the accounts `ours`: the strongest of their
    /// consultations, in every room linked to the profile.
    async fn customer_relation(
        &self,
        ours: &[AgentId],
        profile: ProfileId,
    ) -> Result<Relation, AppError> {
        let all = self.store.history_of_profile(profile).await?;
        Ok(Relation::of_all_in(
            all.iter().map(|c| (c.state, c.agent_id)),
            ours,
        ))
    }

    /// A consultation for `action` by `agent`: its own relation to the agent, or through its
    /// customer's other consultations.
    pub async fn consultation_for(
        &self,
        agent: &AgentRecord,
        id: ConsultationId,
        action: Action,
    ) -> Result<ConsultationRecord, AppError> {
        let c = self.store.consultation(id).await?;
        let relation = self
            .relation(
                agent,
                c.site_id,
                async || Ok(self.store.room(c.room_id).await?.profile_id),
                async |ours: &[AgentId]| {
                    Ok(Relation::of_consultation_in(c.state, c.agent_id, ours))
                },
            )
            .await?;
        decide(agent, relation, action, "consultation")?;
        Ok(c)
    }

    /// A room for `action` by `agent`: by its consultations, or through its customer's.
    pub async fn room_for(
        &self,
        agent: &AgentRecord,
        id: RoomId,
        action: Action,
    ) -> Result<RoomRecord, AppError> {
        let r = self.store.room(id).await?;
        let relation = self
            .relation(
                agent,
                r.site_id,
                async || Ok(r.profile_id),
                async |ours: &[AgentId]| {
                    let all = self.store.consultations_of_room(r.id).await?;
                    Ok(Relation::of_all_in(
                        all.iter().map(|c| (c.state, c.agent_id)),
                        ours,
                    ))
                },
            )
            .await?;
        decide(agent, relation, action, "room")?;
        Ok(r)
    }

    /// A profile for `action` by `agent`: by the consultations of every room linked to it.
    pub async fn profile_for(
        &self,
        agent: &AgentRecord,
        id: ProfileId,
        action: Action,
    ) -> Result<ProfileRecord, AppError> {
        let p = self.store.profile(id).await?;
        let relation = self
            .relation(
                agent,
                p.site_id,
                async || Ok(p.id),
                async |ours: &[AgentId]| self.customer_relation(ours, p.id).await,
            )
            .await?;
        decide(agent, relation, action, "profile")?;
        Ok(p)
    }

    /// The consultations of the agent's site they may see, newest first: all of them for the
    /// admin and managers; for an agent, the queue and their own (filtered by the database,
    /// before the limit).
    pub async fn consultations(
        &self,
        agent: &AgentRecord,
        filter: ListFilter,
    ) -> Result<Vec<ConsultationRecord>, AppError> {
        let business_of = self.business_of(agent).await?;
        Ok(self
            .store
            .list_consultations(
                agent.site_id,
                filter.state,
                filter.channel,
                filter.mine.then_some(agent.id),
                business_of.as_deref(),
                filter.limit(),
            )
            .await?)
    }

    /// The rooms of the agent's site they may read, with their latest consultation, newest
    /// first: all for the admin and managers; for an agent, those of the customers one of whose
    /// consultations is their business.
    pub async fn rooms(
        &self,
        agent: &AgentRecord,
        filter: ListFilter,
    ) -> Result<Vec<(RoomRecord, Option<ConsultationRecord>)>, AppError> {
        let readable_by = self.business_of(agent).await?;
        Ok(self
            .store
            .list_rooms(
                agent.site_id,
                filter.state,
                filter.channel,
                readable_by.as_deref(),
                filter.limit(),
            )
            .await?)
    }
}

/// Refused unless `agent` is the site's admin; `what` completes "only the site's admin …".
pub(crate) fn admin_only(agent: &AgentRecord, what: &str) -> Result<(), AppError> {
    if agent.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!("only the site's admin {what}")))
    }
}

/// Refused unless `agent` is a manager or the admin; `what` completes "only managers and the
/// admin …".
pub(crate) fn manager_only(agent: &AgentRecord, what: &str) -> Result<(), AppError> {
    if agent.role.sees_all() {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "only managers and the admin {what}"
        )))
    }
}

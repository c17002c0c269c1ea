//! Setting or correcting a room's ID by hand, and undoing a link (R2.5). An agent does so only
//! in a room where they hold an open consultation ([`sangdam_core::Action::EditCustomer`]).

use sangdam_core::{Action, AuditAction, ProfileId, RoomId};
use serde::Serialize;
use serde_json::json;
use store::{AgentRecord, LinkRecord, ProfileRecord};

use crate::Services;
use crate::error::AppError;

/// Which profile a room would join with an ID.
#[derive(Debug, Clone, Serialize)]
pub struct LinkPreview {
    pub current_profile: ProfileRecord,
    pub target_profile: Option<ProfileRecord>,
    /// Whether linking moves the room to another profile (rather than naming its own).
    pub merges: bool,
}

/// A room after a link.
#[derive(Debug, Clone, Serialize)]
pub struct Linked {
    pub room_id: RoomId,
    pub profile_id: ProfileId,
    pub journal: Vec<LinkRecord>,
}

/// A room after an undo.
#[derive(Debug, Clone, Serialize)]
pub struct Undone {
    pub link: LinkRecord,
    pub room_id: RoomId,
    pub profile_id: ProfileId,
}

fn actor(agent: &AgentRecord) -> String {
    format!("agent:{}", agent.id)
}

impl Services {
    /// Which profile the room would join with `site_uid` (shown before linking, so allowed to
    /// whoever may link the room).
    pub async fn link_preview(
        &self,
        agent: &AgentRecord,
        room: RoomId,
        site_uid: &str,
    ) -> Result<LinkPreview, AppError> {
        let room = self.room_for(agent, room, Action::EditCustomer).await?;
        let site = self.store.site(agent.site_id).await?;
        sangdam_core::validate_site_uid(site_uid, &site.settings)?;
        let target = self.store.profile_by_uid(agent.site_id, site_uid).await?;
        let current = self.store.profile(room.profile_id).await?;
        let merges = target.as_ref().is_some_and(|t| t.id != current.id);
        Ok(LinkPreview {
            current_profile: current,
            target_profile: target,
            merges,
        })
    }

    /// An agent sets or corrects a room's ID; journaled.
    pub async fn link_room(
        &self,
        agent: &AgentRecord,
        room: RoomId,
        site_uid: &str,
    ) -> Result<Linked, AppError> {
        let room = self.room_for(agent, room, Action::EditCustomer).await?;
        let site = self.store.site(agent.site_id).await?;
        sangdam_core::validate_site_uid(site_uid, &site.settings)?;
        let profile = self
            .store
            .link_room(room.id, site_uid, &actor(agent), self.now())
            .await?;
        let journal = self.store.link_journal(room.id).await?;
        self.audit(
            agent,
            AuditAction::RoomLinked,
            format!("room:{}", room.id),
            json!({
                "from_profile": room.profile_id,
                "to_profile": profile,
                "merged": profile != room.profile_id,
                "link": journal.last().map(|l| l.id),
            }),
        )
        .await;
        Ok(Linked {
            room_id: room.id,
            profile_id: profile,
            journal,
        })
    }

    /// Undoes a link (the room's latest one in force).
    pub async fn undo_link(&self, agent: &AgentRecord, link: i64) -> Result<Undone, AppError> {
        let entry = self.store.link_entry(link).await?;
        self.room_for(agent, entry.room_id, Action::EditCustomer)
            .await
            .map_err(|e| match e {
                AppError::NotFound(_) => AppError::NotFound("link"),
                e => e,
            })?;
        let entry = self
            .store
            .undo_link(agent.site_id, link, &actor(agent), self.now())
            .await?;
        let room = self.store.room(entry.room_id).await?;
        self.audit(
            agent,
            AuditAction::LinkUndone,
            format!("link:{link}"),
            json!({"room": room.id, "profile": room.profile_id}),
        )
        .await;
        Ok(Undone {
            link: entry,
            room_id: room.id,
            profile_id: room.profile_id,
        })
    }
}

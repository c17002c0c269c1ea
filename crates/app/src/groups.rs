//! Groups (teams): the admin makes them and puts accounts in them; a manager leads the group
//! they belong to and sees its accounts and consultations (see [`Services::business_of`]).

use sangdam_core::{GroupId, Role, SiteId};
use store::{AgentRecord, GroupRecord, StoreError};

use crate::Services;
use crate::access::{admin_only, manager_only};
use crate::error::AppError;
use crate::events::Event;

impl Services {
    /// Group `id` of the caller's site (another site's is not found).
    pub(crate) async fn group_of_site(
        &self,
        agent: &AgentRecord,
        id: GroupId,
    ) -> Result<GroupRecord, AppError> {
        match self.store.group(id).await {
            Ok(g) if g.site_id == agent.site_id => Ok(g),
            Ok(_) | Err(StoreError::NotFound(_)) => Err(AppError::NotFound("group")),
            Err(e) => Err(e.into()),
        }
    }

    /// The site's groups: the admin and managers.
    pub async fn groups(&self, agent: &AgentRecord) -> Result<Vec<GroupRecord>, AppError> {
        manager_only(agent, "see the groups")?;
        Ok(self.store.groups(agent.site_id).await?)
    }

    pub async fn create_group(
        &self,
        admin: &AgentRecord,
        name: &str,
    ) -> Result<GroupRecord, AppError> {
        admin_only(admin, "manages groups")?;
        let name = sangdam_core::validate_group_name(name)?;
        Ok(self
            .store
            .create_group(admin.site_id, name, self.now())
            .await?)
    }

    pub async fn rename_group(
        &self,
        admin: &AgentRecord,
        id: GroupId,
        name: &str,
    ) -> Result<GroupRecord, AppError> {
        admin_only(admin, "manages groups")?;
        self.group_of_site(admin, id).await?;
        let name = sangdam_core::validate_group_name(name)?;
        Ok(self.store.rename_group(id, name).await?)
    }

    /// Deletes a group; its accounts stay, in no group (its managers see the whole site
    /// again, their consoles reload).
    pub async fn delete_group(&self, admin: &AgentRecord, id: GroupId) -> Result<(), AppError> {
        admin_only(admin, "manages groups")?;
        self.group_of_site(admin, id).await?;
        let members = self.store.delete_group(id).await?;
        for member in members {
            let a = self.store.agent(member).await?;
            if a.role == Role::Manager {
                self.publish([Event::AccountChanged {
                    site_id: a.site_id,
                    agent_id: a.id,
                    active: a.is_active(),
                }]);
            }
        }
        Ok(())
    }

    /// The managers of `groups` see other accounts now: their consoles reload.
    pub(crate) async fn managers_changed(
        &self,
        site: SiteId,
        groups: &[Option<GroupId>],
    ) -> Result<(), AppError> {
        for group in groups.iter().flatten() {
            for member in self.store.group_members(*group).await? {
                let a = self.store.agent(member).await?;
                if a.role == Role::Manager && a.site_id == site {
                    self.publish([Event::AccountChanged {
                        site_id: site,
                        agent_id: a.id,
                        active: a.is_active(),
                    }]);
                }
            }
        }
        Ok(())
    }

    /// The accounts `agent` may list: the whole site for the admin and a manager who leads no
    /// group; a manager's group (and the admin's accounts are not theirs to see).
    pub async fn accounts_seen_by(
        &self,
        agent: &AgentRecord,
    ) -> Result<Vec<AgentRecord>, AppError> {
        manager_only(agent, "list the site's accounts")?;
        let all = self.store.agents_of_site(agent.site_id).await?;
        Ok(match self.business_of(agent).await? {
            None => all,
            Some(ours) => all.into_iter().filter(|a| ours.contains(&a.id)).collect(),
        })
    }
}

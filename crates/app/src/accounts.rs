//! The admin manages accounts after making them: renames them, moves them between agent and
//! manager, deactivates and reactivates them and resets their passwords (anyone changes their
//! own, in [`crate::login`]).
//!
//! A deactivation takes effect at once: the account's sessions and API tokens are deleted in
//! the same transaction as the mark, every console open on it is told through the event bus
//! and closes, and its open consultations go back to distribution. A role change reaches the
//! account's open consoles too: they reload, to see what the new role sees (no more, no less).

use sangdam_core::{AccountChange, AgentId, AuditAction, GroupId, Role, check_account_change};
use serde_json::json;
use store::{AccountEdit, AgentRecord, StoreError};

use crate::Services;
use crate::access::admin_only;
use crate::error::AppError;
use crate::events::Event;
use crate::secrets::hash_password;

/// What the admin changes of an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccountUpdate<'a> {
    pub display_name: Option<&'a str>,
    pub role: Option<Role>,
    /// `Some(None)` takes the account out of its group.
    pub group: Option<Option<GroupId>>,
}

impl Services {
    /// Account `id` of the admin's site (another site's is not found).
    async fn account_of_site(
        &self,
        admin: &AgentRecord,
        id: AgentId,
    ) -> Result<AgentRecord, AppError> {
        admin_only(admin, "manages accounts")?;
        match self.store.agent(id).await {
            Ok(a) if a.site_id == admin.site_id => Ok(a),
            Ok(_) | Err(StoreError::NotFound(_)) => Err(AppError::NotFound("agent")),
            Err(e) => Err(e.into()),
        }
    }

    /// Publishes that an account's role or standing changed: its consoles reload (or, once
    /// deactivated, close), and boards show its new presence.
    async fn account_changed(&self, a: &AgentRecord) -> Result<(), AppError> {
        self.publish([Event::AccountChanged {
            site_id: a.site_id,
            agent_id: a.id,
            active: a.is_active(),
        }]);
        self.agent_changed(a).await
    }

    /// The admin renames an account or moves it between agent and manager.
    pub async fn edit_account(
        &self,
        admin: &AgentRecord,
        id: AgentId,
        update: AccountUpdate<'_>,
    ) -> Result<AgentRecord, AppError> {
        let current = self.account_of_site(admin, id).await?;
        let display_name = update
            .display_name
            .map(sangdam_core::validate_display_name)
            .transpose()?;
        if display_name.is_some() {
            check_account_change(current.role, AccountChange::Rename)?;
        }
        let role = update.role.filter(|r| *r != current.role);
        if let Some(role) = role {
            check_account_change(current.role, AccountChange::ChangeRole(role))?;
        }
        let group = update.group.filter(|g| *g != current.group_id);
        if let Some(Some(g)) = group {
            self.group_of_site(admin, g).await?;
        }
        let a = self
            .store
            .edit_agent(
                id,
                AccountEdit {
                    display_name,
                    role,
                    group,
                },
            )
            .await?;
        let mut detail = serde_json::Map::new();
        if display_name.is_some_and(|n| n != current.display_name) {
            detail.insert(
                "display_name".into(),
                json!({"from": current.display_name, "to": a.display_name}),
            );
        }
        if role.is_some() {
            detail.insert("role".into(), json!({"from": current.role, "to": a.role}));
        }
        if group.is_some() {
            detail.insert(
                "group_id".into(),
                json!({"from": current.group_id, "to": a.group_id}),
            );
        }
        if !detail.is_empty() {
            self.audit(
                admin,
                AuditAction::AccountEdited,
                format!("agent:{id}"),
                detail.into(),
            )
            .await;
        }
        if role.is_some() || group.is_some() {
            self.account_changed(&a).await?;
        } else {
            self.agent_changed(&a).await?;
        }
        if group.is_some() {
            // The managers of the group it left and of the one it joined see others now.
            let groups = [current.group_id, a.group_id];
            self.managers_changed(admin.site_id, &groups).await?;
        }
        Ok(a)
    }

    /// The admin deactivates an account: it cannot log in any more, its sessions and API
    /// tokens end at once (its open consoles close), and its open consultations go back to
    /// distribution, each with a timeline entry. Deactivating one already deactivated changes
    /// nothing.
    pub async fn deactivate_account(
        &self,
        admin: &AgentRecord,
        id: AgentId,
    ) -> Result<AgentRecord, AppError> {
        let current = self.account_of_site(admin, id).await?;
        check_account_change(current.role, AccountChange::Deactivate)?;
        if !current.is_active() {
            return Ok(current);
        }
        let now = self.now();
        let gone = self.store.deactivate_agent(id, now).await?;
        self.publish(gone.sessions.iter().map(|s| Event::SessionEnded {
            site_id: admin.site_id,
            agent_id: id,
            session_id: *s,
        }));
        let mut returned = 0usize;
        for c in &gone.open {
            match self
                .store
                .send_back(*c, "deactivated", Some(admin.id), None, None, now)
                .await
            {
                Ok(back) => {
                    returned += 1;
                    self.publish([Event::consultation(&back)]);
                }
                // Closed or moved meanwhile: nothing to send back.
                Err(StoreError::Conflict(_) | StoreError::Rule(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        self.audit(
            admin,
            AuditAction::AccountDeactivated,
            format!("agent:{id}"),
            json!({
                "login": gone.agent.login,
                "display_name": gone.agent.display_name,
                "sessions_ended": gone.sessions.len(),
                "consultations_returned": returned,
            }),
        )
        .await;
        self.account_changed(&gone.agent).await?;
        Ok(gone.agent)
    }

    /// The admin lets a deactivated account log in again, with the password it had.
    pub async fn reactivate_account(
        &self,
        admin: &AgentRecord,
        id: AgentId,
    ) -> Result<AgentRecord, AppError> {
        let current = self.account_of_site(admin, id).await?;
        check_account_change(current.role, AccountChange::Reactivate)?;
        if current.is_active() {
            return Ok(current);
        }
        let a = self.store.reactivate_agent(id).await?;
        self.audit(
            admin,
            AuditAction::AccountReactivated,
            format!("agent:{id}"),
            json!({"login": a.login, "display_name": a.display_name}),
        )
        .await;
        self.agent_changed(&a).await?;
        Ok(a)
    }

    /// The admin gives an account the new `password` (one they chose, or one generated and
    /// shown once by the caller): every session of the account ends, its open consoles close.
    pub async fn reset_password(
        &self,
        admin: &AgentRecord,
        id: AgentId,
        password: &str,
    ) -> Result<AgentRecord, AppError> {
        let current = self.account_of_site(admin, id).await?;
        check_account_change(current.role, AccountChange::ResetPassword)?;
        let password = sangdam_core::validate_password(password)?.to_owned();
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))?
            .map_err(AppError::Internal)?;
        self.store.set_agent_password(id, &hash).await?;
        let ended = self.store.end_sessions_of_agent(id, None).await?;
        self.publish(ended.iter().map(|s| Event::SessionEnded {
            site_id: admin.site_id,
            agent_id: id,
            session_id: *s,
        }));
        self.audit(
            admin,
            AuditAction::PasswordReset,
            format!("agent:{id}"),
            json!({
                "login": current.login,
                "display_name": current.display_name,
                "sessions_ended": ended.len(),
            }),
        )
        .await;
        Ok(current)
    }
}

//! Login sessions: started by a login, used by every request that carries their cookie, listed
//! for their owner (and all of a site's for its admin) and ended by either. An ended session
//! is refused at once: every request looks its cookie up, and the consoles open on it are told
//! through the event bus ([`Event::SessionEnded`]) and closed.

use sangdam_core::{AuditAction, SessionId};
use serde_json::json;
use store::{AgentRecord, NewSession, Role, SESSION_SEEN_EVERY_MS, SessionOf, SessionRecord};

use crate::Services;
use crate::error::AppError;
use crate::events::Event;
use crate::secrets::{random_token, token_hash};

/// How long a console login lasts.
pub const SESSION_MS: i64 = 12 * 60 * 60 * 1000;

/// A session just started: the cookie's value (shown once, stored only as its hash).
#[derive(Debug, Clone)]
pub struct Started {
    pub id: SessionId,
    pub token: String,
}

impl Services {
    /// Starts a session for `agent`, logged in from `address` with the browser `user_agent`.
    pub async fn start_session(
        &self,
        agent: &AgentRecord,
        user_agent: &str,
        address: &str,
    ) -> Result<Started, AppError> {
        let token = random_token();
        let now = self.now();
        let id = self
            .store
            .create_session(NewSession {
                token_hash: &token_hash(&token),
                agent: agent.id,
                user_agent,
                address,
                now,
                expires_at: now + SESSION_MS,
            })
            .await?;
        Ok(Started { id, token })
    }

    /// The session (and account) of a cookie; `None` when it is unknown, expired or ended.
    /// Notes that the session was used (at most once a minute).
    pub async fn session(&self, cookie: &str) -> Result<Option<SessionOf>, AppError> {
        let now = self.now();
        let Some(found) = self
            .store
            .session_by_token(&token_hash(cookie), now)
            .await?
        else {
            return Ok(None);
        };
        if now - found.last_seen_at >= SESSION_SEEN_EVERY_MS {
            self.store.touch_session(found.session, now).await?;
        }
        Ok(Some(found))
    }

    /// The caller's own sessions, the most recently used first.
    pub async fn my_sessions(&self, agent: &AgentRecord) -> Result<Vec<SessionRecord>, AppError> {
        Ok(self.store.sessions_of_agent(agent.id, self.now()).await?)
    }

    /// Every session of the site's accounts (the admin's alone).
    pub async fn site_sessions(&self, admin: &AgentRecord) -> Result<Vec<SessionRecord>, AppError> {
        if admin.role != Role::Admin {
            return Err(AppError::Forbidden(
                "only the site's admin sees everyone's sessions".into(),
            ));
        }
        Ok(self
            .store
            .sessions_of_site(admin.site_id, self.now())
            .await?)
    }

    /// Ends session `id`: one of the caller's own, or, for the site's admin, anyone's of the
    /// site. Anything else (another account's, another site's, already ended) is not found.
    pub async fn end_session(
        &self,
        actor: &AgentRecord,
        id: SessionId,
    ) -> Result<SessionRecord, AppError> {
        let session = self
            .store
            .session_of_site(actor.site_id, id)
            .await?
            .filter(|s| s.agent_id == actor.id || actor.role == Role::Admin)
            .ok_or(AppError::NotFound("session"))?;
        if !self.store.end_session(id).await? {
            return Err(AppError::NotFound("session"));
        }
        self.publish([Event::SessionEnded {
            site_id: actor.site_id,
            agent_id: session.agent_id,
            session_id: id,
        }]);
        self.audit(
            actor,
            AuditAction::SessionEnded,
            format!("session:{id}"),
            json!({
                "agent_id": session.agent_id,
                "agent_name": session.agent_name,
                "device": session.device,
                "address": session.address,
            }),
        )
        .await;
        Ok(session)
    }

    /// Logs out: ends the session of `cookie`, if it is one.
    pub async fn log_out(&self, cookie: &str) -> Result<(), AppError> {
        if let Some((id, agent)) = self.store.end_session_by_token(&token_hash(cookie)).await? {
            let site = self.store.agent(agent).await?.site_id;
            self.publish([Event::SessionEnded {
                site_id: site,
                agent_id: agent,
                session_id: id,
            }]);
        }
        Ok(())
    }
}

//! Changing staff accounts after they were made: their name and role, deactivating and
//! reactivating them, and ending their sessions (a password changed or reset).

use sangdam_core::{AgentId, ConsultationId, GroupId, Role, SessionId};

use crate::db::Store;
use crate::error::StoreError;
use crate::records::{AgentRecord, col};

/// What the admin changes of an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccountEdit<'a> {
    pub display_name: Option<&'a str>,
    pub role: Option<Role>,
    /// `Some(None)` takes the account out of its group.
    pub group: Option<Option<GroupId>>,
}

/// An account just deactivated, with what it leaves behind.
#[derive(Debug, Clone)]
pub struct Deactivated {
    pub agent: AgentRecord,
    /// The login sessions that ended with it.
    pub sessions: Vec<SessionId>,
    /// Its open consultations, to go back to distribution.
    pub open: Vec<ConsultationId>,
}

impl Store {
    /// Changes an account's name, role and group.
    pub async fn edit_agent(
        &self,
        id: AgentId,
        edit: AccountEdit<'_>,
    ) -> Result<AgentRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE agents SET display_name = COALESCE($1, display_name), \
             role = COALESCE($2, role), \
             group_id = CASE WHEN $4 = 1 THEN $5 ELSE group_id END WHERE id = $3 RETURNING *",
        )
        .bind(edit.display_name)
        .bind(edit.role.map(Role::as_str))
        .bind(id.get())
        .bind(i64::from(edit.group.is_some()))
        .bind(edit.group.flatten().map(GroupId::get))
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("agent"))?;
        AgentRecord::from_row(&row)
    }

    /// Deactivates an account in one transaction: marked deactivated and offline, its sessions
    /// and API tokens deleted. Its open consultations are returned, not moved: sending each
    /// back is distribution's business. An account already deactivated is left as it is
    /// (nothing ended, nothing returned).
    pub async fn deactivate_agent(&self, id: AgentId, now: i64) -> Result<Deactivated, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE agents SET deactivated_at = $1, status = 'offline' \
             WHERE id = $2 AND deactivated_at IS NULL RETURNING *",
        )
        .bind(now)
        .bind(id.get())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(Deactivated {
                agent: self.agent(id).await?,
                sessions: Vec::new(),
                open: Vec::new(),
            });
        };
        let agent = AgentRecord::from_row(&row)?;
        let sessions = sqlx::query("DELETE FROM sessions WHERE agent_id = $1 RETURNING id")
            .bind(id.get())
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| col(r, "id").map(SessionId::new))
            .collect::<Result<Vec<_>, _>>()?;
        sqlx::query("DELETE FROM api_tokens WHERE agent_id = $1")
            .bind(id.get())
            .execute(&mut *tx)
            .await?;
        let open = sqlx::query(
            "SELECT id FROM consultations WHERE agent_id = $1 AND state = $2 ORDER BY id",
        )
        .bind(id.get())
        .bind(sangdam_core::ConsultationState::InProgress.code())
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| col(r, "id").map(ConsultationId::new))
        .collect::<Result<Vec<_>, _>>()?;
        tx.commit().await?;
        Ok(Deactivated {
            agent,
            sessions,
            open,
        })
    }

    /// Lets a deactivated account log in again (with the password it had; it has no sessions
    /// or API tokens left).
    pub async fn reactivate_agent(&self, id: AgentId) -> Result<AgentRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query("UPDATE agents SET deactivated_at = NULL WHERE id = $1 RETURNING *")
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("agent"))?;
        AgentRecord::from_row(&row)
    }

    /// Ends every login session of an account except `keep`; the ones ended.
    pub async fn end_sessions_of_agent(
        &self,
        id: AgentId,
        keep: Option<SessionId>,
    ) -> Result<Vec<SessionId>, StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("DELETE FROM sessions WHERE agent_id = $1 AND id <> $2 RETURNING id")
            .bind(id.get())
            .bind(keep.map_or(0, SessionId::get))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| col(r, "id").map(SessionId::new))
            .collect()
    }
}

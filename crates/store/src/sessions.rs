//! Login sessions: one per login in one browser, found by the hash of its cookie, listed for
//! their owner and for the site's admin, ended by either.

use sangdam_core::{AgentId, SessionId, SiteId, device_label};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::Store;
use crate::error::StoreError;
use crate::records::{AgentRecord, col};

/// How often a session's `last_seen_at` is written while it is used.
pub const SESSION_SEEN_EVERY_MS: i64 = 60_000;

/// A login session as its owner and the admin see it (never its cookie or the cookie's hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRecord {
    pub id: SessionId,
    pub agent_id: AgentId,
    /// The account's name and login, for the admin's list.
    pub agent_name: String,
    pub agent_login: String,
    /// The browser's `User-Agent` as sent at login.
    pub user_agent: String,
    /// The browser and system that string names ("Chrome · Windows").
    pub device: String,
    /// The address the login came from.
    pub address: String,
    pub created_at: i64,
    /// When it was last used (to the minute).
    pub last_seen_at: i64,
    pub expires_at: i64,
}

impl SessionRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        let user_agent: String = col(row, "user_agent")?;
        Ok(SessionRecord {
            id: SessionId::new(col(row, "id")?),
            agent_id: AgentId::new(col(row, "agent_id")?),
            agent_name: col(row, "agent_name")?,
            agent_login: col(row, "agent_login")?,
            device: device_label(&user_agent),
            user_agent,
            address: col(row, "address")?,
            created_at: col(row, "created_at")?,
            last_seen_at: col(row, "last_seen_at")?,
            expires_at: col(row, "expires_at")?,
        })
    }
}

/// A login to store.
#[derive(Debug, Clone, Copy)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub agent: AgentId,
    pub user_agent: &'a str,
    pub address: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

/// The longest `User-Agent` kept.
const MAX_USER_AGENT: usize = 400;

/// A session found by its cookie: which one, and whose.
#[derive(Debug, Clone)]
pub struct SessionOf {
    pub session: SessionId,
    pub last_seen_at: i64,
    pub agent: AgentRecord,
}

const SESSION_COLUMNS: &str = "sessions.id, sessions.agent_id, sessions.user_agent, \
     sessions.address, sessions.created_at, sessions.last_seen_at, sessions.expires_at, \
     agents.display_name AS agent_name, agents.login AS agent_login";

impl Store {
    /// Stores a login (and forgets the sessions that have expired).
    pub async fn create_session(&self, s: NewSession<'_>) -> Result<SessionId, StoreError> {
        let user_agent: String = s.user_agent.chars().take(MAX_USER_AGENT).collect();
        let _w = self.write_guard().await;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(s.now)
            .execute(&self.pool)
            .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sessions \
             (token_hash, agent_id, created_at, expires_at, user_agent, address, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $3) RETURNING id",
        )
        .bind(s.token_hash)
        .bind(s.agent.get())
        .bind(s.now)
        .bind(s.expires_at)
        .bind(user_agent)
        .bind(s.address)
        .fetch_one(&self.pool)
        .await?;
        Ok(SessionId::new(id))
    }

    /// The unexpired session whose cookie hashes to `token_hash`, and its account.
    pub async fn session_by_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<SessionOf>, StoreError> {
        let row = sqlx::query(
            "SELECT agents.*, sessions.id AS session_id, \
             sessions.last_seen_at AS session_seen_at \
             FROM sessions JOIN agents ON agents.id = sessions.agent_id \
             WHERE sessions.token_hash = $1 AND sessions.expires_at > $2 \
             AND agents.deactivated_at IS NULL",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(SessionOf {
                session: SessionId::new(col(&row, "session_id")?),
                last_seen_at: col(&row, "session_seen_at")?,
                agent: AgentRecord::from_row(&row)?,
            })
        })
        .transpose()
    }

    /// Records that a session was used at `now`.
    pub async fn touch_session(&self, id: SessionId, now: i64) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $1")
            .bind(now)
            .bind(id.get())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// An account's unexpired sessions, the most recently used first.
    pub async fn sessions_of_agent(
        &self,
        agent: AgentId,
        now: i64,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions JOIN agents ON agents.id = sessions.agent_id \
             WHERE sessions.agent_id = $1 AND sessions.expires_at > $2 \
             ORDER BY sessions.last_seen_at DESC, sessions.id DESC"
        ))
        .bind(agent.get())
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(SessionRecord::from_row).collect()
    }

    /// Every unexpired session of a site's accounts, the most recently used first.
    pub async fn sessions_of_site(
        &self,
        site: SiteId,
        now: i64,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions JOIN agents ON agents.id = sessions.agent_id \
             WHERE agents.site_id = $1 AND sessions.expires_at > $2 \
             ORDER BY sessions.last_seen_at DESC, sessions.id DESC"
        ))
        .bind(site.get())
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(SessionRecord::from_row).collect()
    }

    /// One session of a site's accounts (expired or not), if there is one.
    pub async fn session_of_site(
        &self,
        site: SiteId,
        id: SessionId,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions JOIN agents ON agents.id = sessions.agent_id \
             WHERE agents.site_id = $1 AND sessions.id = $2"
        ))
        .bind(site.get())
        .bind(id.get())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(SessionRecord::from_row).transpose()
    }

    /// Ends a session; `false` when it was already gone.
    pub async fn end_session(&self, id: SessionId) -> Result<bool, StoreError> {
        let _w = self.write_guard().await;
        let done = sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.get())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Ends the session of a cookie (logging out): which one it was, if it existed.
    pub async fn end_session_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<(SessionId, AgentId)>, StoreError> {
        let _w = self.write_guard().await;
        let row: Option<(i64, i64)> =
            sqlx::query_as("DELETE FROM sessions WHERE token_hash = $1 RETURNING id, agent_id")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(s, a)| (SessionId::new(s), AgentId::new(a))))
    }
}

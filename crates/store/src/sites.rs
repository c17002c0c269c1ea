//! Sites, agents and API tokens.

use inflow::Settings;
use sangdam_core::{AgentId, SiteId};

use crate::db::Store;
use crate::error::StoreError;
use crate::records::{AgentRecord, Role, SiteRecord, col};

impl Store {
    pub async fn create_site(
        &self,
        name: &str,
        secret: &str,
        settings: &Settings,
        now: i64,
    ) -> Result<SiteRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "INSERT INTO sites (name, secret, settings, require_verified_uid, created_at) \
             VALUES ($1, $2, $3, 0, $4) RETURNING *",
        )
        .bind(name)
        .bind(secret)
        .bind(serde_json::to_string(settings)?)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        SiteRecord::from_row(&row)
    }

    pub async fn site(&self, id: SiteId) -> Result<SiteRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM sites WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("site"))?;
        SiteRecord::from_row(&row)
    }

    /// Saves a site's parameter and identity settings.
    pub async fn update_site(
        &self,
        id: SiteId,
        settings: &Settings,
        require_verified_uid: bool,
        info_url_template: Option<&str>,
    ) -> Result<SiteRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE sites SET settings = $1, require_verified_uid = $2, info_url_template = $3 \
             WHERE id = $4 RETURNING *",
        )
        .bind(serde_json::to_string(settings)?)
        .bind(i64::from(require_verified_uid))
        .bind(info_url_template)
        .bind(id.get())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("site"))?;
        SiteRecord::from_row(&row)
    }

    pub async fn rotate_site_secret(&self, id: SiteId, secret: &str) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("UPDATE sites SET secret = $1 WHERE id = $2")
            .bind(secret)
            .bind(id.get())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn create_agent(
        &self,
        site: SiteId,
        login: &str,
        password_hash: &str,
        display_name: &str,
        role: Role,
        now: i64,
    ) -> Result<AgentRecord, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "INSERT INTO agents (site_id, login, password_hash, display_name, role, status, \
             max_concurrent, created_at) VALUES ($1, $2, $3, $4, $5, 'offline', 10, $6) \
             RETURNING *",
        )
        .bind(site.get())
        .bind(login)
        .bind(password_hash)
        .bind(display_name)
        .bind(role.as_str())
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| StoreError::unique(e, format!("the login {login:?} is already taken")))?;
        AgentRecord::from_row(&row)
    }

    pub async fn agent(&self, id: AgentId) -> Result<AgentRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM agents WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("agent"))?;
        AgentRecord::from_row(&row)
    }

    /// The site's staff accounts, oldest first.
    pub async fn agents_of_site(&self, site: SiteId) -> Result<Vec<AgentRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM agents WHERE site_id = $1 ORDER BY id")
            .bind(site.get())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(AgentRecord::from_row).collect()
    }

    pub async fn agent_by_login(&self, login: &str) -> Result<Option<AgentRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM agents WHERE login = $1")
            .bind(login)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(AgentRecord::from_row).transpose()
    }

    /// Stores an API token (only its hash) acting as `agent`.
    pub async fn create_api_token(
        &self,
        site: SiteId,
        agent: AgentId,
        token_hash: &str,
        name: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "INSERT INTO api_tokens (site_id, agent_id, token_hash, name, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(site.get())
        .bind(agent.get())
        .bind(token_hash)
        .bind(name)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn agent_for_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<AgentRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT agents.* FROM api_tokens JOIN agents ON agents.id = api_tokens.agent_id \
             WHERE api_tokens.token_hash = $1 AND agents.deactivated_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(AgentRecord::from_row).transpose()
    }

    pub async fn set_agent_status(&self, agent: AgentId, status: &str) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("UPDATE agents SET status = $1 WHERE id = $2")
            .bind(status)
            .bind(agent.get())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn site_by_name(&self, name: &str) -> Result<Option<SiteRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM sites WHERE name = $1 ORDER BY id LIMIT 1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(SiteRecord::from_row).transpose()
    }

    pub async fn set_agent_password(
        &self,
        agent: AgentId,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("UPDATE agents SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(agent.get())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Number of sites (for start-up messages).
    pub async fn site_count(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM sites")
            .fetch_one(&self.pool)
            .await?;
        col(&row, "n")
    }
}

//! The platform operator's records: operators and their sessions, the sites' business
//! verification submissions with their documents, and the prices the operator sets.

use sangdam_core::business::VerificationState;
use sangdam_core::{AgentId, OperatorId, SiteId, VerificationId};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::Store;
use crate::error::StoreError;
use crate::records::col;

/// A platform operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperatorRecord {
    pub id: OperatorId,
    pub login: String,
    pub name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub created_at: i64,
}

impl OperatorRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(OperatorRecord {
            id: OperatorId::new(col(row, "id")?),
            login: col(row, "login")?,
            name: col(row, "name")?,
            password_hash: col(row, "password_hash")?,
            created_at: col(row, "created_at")?,
        })
    }
}

/// One submission of a site's business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerificationRecord {
    pub id: VerificationId,
    pub site_id: SiteId,
    /// Ten digits, without hyphens.
    pub business_number: String,
    pub business_name: String,
    pub representative: String,
    pub state: VerificationState,
    /// The operator's reason, for a rejection.
    pub reason: Option<String>,
    pub submitted_by: Option<AgentId>,
    pub submitted_at: i64,
    pub reviewed_by: Option<OperatorId>,
    pub reviewed_at: Option<i64>,
}

impl VerificationRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        let state: String = col(row, "state")?;
        Ok(VerificationRecord {
            id: VerificationId::new(col(row, "id")?),
            site_id: SiteId::new(col(row, "site_id")?),
            business_number: col(row, "business_number")?,
            business_name: col(row, "business_name")?,
            representative: col(row, "representative")?,
            state: VerificationState::parse(&state).ok_or_else(|| {
                StoreError::Corrupt(format!("unknown verification state {state:?}"))
            })?,
            reason: col(row, "reason")?,
            submitted_by: col::<Option<i64>>(row, "submitted_by")?.map(AgentId::new),
            submitted_at: col(row, "submitted_at")?,
            reviewed_by: col::<Option<i64>>(row, "reviewed_by")?.map(OperatorId::new),
            reviewed_at: col(row, "reviewed_at")?,
        })
    }
}

/// A document of a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentRecord {
    pub id: i64,
    pub verification_id: VerificationId,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    #[serde(skip)]
    pub storage_key: String,
}

impl DocumentRecord {
    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(DocumentRecord {
            id: col(row, "id")?,
            verification_id: VerificationId::new(col(row, "verification_id")?),
            name: col(row, "name")?,
            content_type: col(row, "content_type")?,
            size: col(row, "size")?,
            storage_key: col(row, "storage_key")?,
        })
    }
}

/// A submission to store (its documents' bytes are already in the file storage).
#[derive(Debug, Clone)]
pub struct NewVerification<'a> {
    pub site: SiteId,
    pub business_number: &'a str,
    pub business_name: &'a str,
    pub representative: &'a str,
    pub submitted_by: AgentId,
    pub now: i64,
    /// (name, content type, size, storage key)
    pub documents: Vec<(String, String, i64, String)>,
}

/// A site as the operator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteOverview {
    pub id: SiteId,
    pub name: String,
    pub created_at: i64,
    /// Its active accounts.
    pub accounts: i64,
    /// Whether it has a wallet.
    pub has_wallet: bool,
}

const VERIFICATION_COLUMNS: &str = "id, site_id, business_number, business_name, \
     representative, state, reason, submitted_by, submitted_at, reviewed_by, reviewed_at";

impl Store {
    /// Adds an operator; `None` when the login is taken.
    pub async fn create_operator(
        &self,
        login: &str,
        name: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<Option<OperatorRecord>, StoreError> {
        let _w = self.write_guard().await;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM operators WHERE login = $1")
            .bind(login)
            .fetch_optional(&self.pool)
            .await?;
        if taken.is_some() {
            return Ok(None);
        }
        let row = sqlx::query(
            "INSERT INTO operators (login, name, password_hash, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING *",
        )
        .bind(login)
        .bind(name)
        .bind(password_hash)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        OperatorRecord::from_row(&row).map(Some)
    }

    pub async fn operator_by_login(
        &self,
        login: &str,
    ) -> Result<Option<OperatorRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM operators WHERE login = $1")
            .bind(login)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(OperatorRecord::from_row).transpose()
    }

    /// Stores an operator's login (and forgets sessions that have expired).
    pub async fn create_operator_session(
        &self,
        operator: OperatorId,
        token_hash: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("DELETE FROM operator_sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO operator_sessions (token_hash, operator_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(operator.get())
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The operator whose unexpired session's cookie hashes to `token_hash`.
    pub async fn operator_for_session(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<OperatorRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT o.* FROM operator_sessions s JOIN operators o ON o.id = s.operator_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(OperatorRecord::from_row).transpose()
    }

    pub async fn end_operator_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query("DELETE FROM operator_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Every site, oldest first, with what the operator's list shows.
    pub async fn site_overviews(&self) -> Result<Vec<SiteOverview>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.id, s.name, s.created_at, \
             (SELECT COUNT(*) FROM agents a WHERE a.site_id = s.id \
              AND a.deactivated_at IS NULL) AS accounts, \
             (SELECT COUNT(*) FROM wallets w WHERE w.site_id = s.id) AS wallets \
             FROM sites s ORDER BY s.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SiteOverview {
                    id: SiteId::new(col(row, "id")?),
                    name: col(row, "name")?,
                    created_at: col(row, "created_at")?,
                    accounts: col(row, "accounts")?,
                    has_wallet: col::<i64>(row, "wallets")? > 0,
                })
            })
            .collect()
    }

    /// Stores a submission with its documents, pending, unless one of the site's is pending
    /// already (then `None`): checked and written under one lock, so two at once make one.
    pub async fn submit_verification(
        &self,
        v: NewVerification<'_>,
    ) -> Result<Option<VerificationRecord>, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        // Lock the site's row (PostgreSQL), so two instances cannot both see none pending.
        sqlx::query(if self.backend() == crate::Backend::Postgres {
            "SELECT id FROM sites WHERE id = $1 FOR UPDATE"
        } else {
            "SELECT id FROM sites WHERE id = $1"
        })
        .bind(v.site.get())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("site"))?;
        let pending: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM business_verifications WHERE site_id = $1 AND state = $2",
        )
        .bind(v.site.get())
        .bind(VerificationState::Pending.as_str())
        .fetch_one(&mut *tx)
        .await?;
        if pending > 0 {
            return Ok(None);
        }
        let row = sqlx::query(&format!(
            "INSERT INTO business_verifications (site_id, business_number, business_name, \
             representative, state, submitted_by, submitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {VERIFICATION_COLUMNS}"
        ))
        .bind(v.site.get())
        .bind(v.business_number)
        .bind(v.business_name)
        .bind(v.representative)
        .bind(VerificationState::Pending.as_str())
        .bind(v.submitted_by.get())
        .bind(v.now)
        .fetch_one(&mut *tx)
        .await?;
        let record = VerificationRecord::from_row(&row)?;
        for (name, content_type, size, key) in &v.documents {
            sqlx::query(
                "INSERT INTO verification_documents \
                 (verification_id, name, content_type, size, storage_key) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(record.id.get())
            .bind(name)
            .bind(content_type)
            .bind(*size)
            .bind(key)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Some(record))
    }

    pub async fn verification(
        &self,
        id: VerificationId,
    ) -> Result<Option<VerificationRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {VERIFICATION_COLUMNS} FROM business_verifications WHERE id = $1"
        ))
        .bind(id.get())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(VerificationRecord::from_row).transpose()
    }

    /// A site's submissions, oldest first.
    pub async fn verifications_of_site(
        &self,
        site: SiteId,
    ) -> Result<Vec<VerificationRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {VERIFICATION_COLUMNS} FROM business_verifications \
             WHERE site_id = $1 ORDER BY id"
        ))
        .bind(site.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(VerificationRecord::from_row).collect()
    }

    /// Submissions in `state` (every one when `None`), newest first, at most `limit`.
    pub async fn verifications(
        &self,
        state: Option<VerificationState>,
        limit: i64,
    ) -> Result<Vec<VerificationRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {VERIFICATION_COLUMNS} FROM business_verifications \
             WHERE ($1 = '' OR state = $1) ORDER BY id DESC LIMIT $2"
        ))
        .bind(state.map_or("", VerificationState::as_str))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(VerificationRecord::from_row).collect()
    }

    pub async fn verification_documents(
        &self,
        id: VerificationId,
    ) -> Result<Vec<DocumentRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM verification_documents WHERE verification_id = $1 ORDER BY id",
        )
        .bind(id.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(DocumentRecord::from_row).collect()
    }

    /// Moves a submission from state `from` (pending; approved for a revocation) to `state`;
    /// `None` when it is no longer in `from` (decided meanwhile).
    pub async fn decide_verification(
        &self,
        id: VerificationId,
        from: VerificationState,
        state: VerificationState,
        reason: Option<&str>,
        operator: OperatorId,
        now: i64,
    ) -> Result<Option<VerificationRecord>, StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(&format!(
            "UPDATE business_verifications SET state = $1, reason = $2, reviewed_by = $3, \
             reviewed_at = $4 WHERE id = $5 AND state = $6 RETURNING {VERIFICATION_COLUMNS}"
        ))
        .bind(state.as_str())
        .bind(reason)
        .bind(operator.get())
        .bind(now)
        .bind(id.get())
        .bind(from.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(VerificationRecord::from_row).transpose()
    }

    /// The prices the operator set: (kind, KRW).
    pub async fn platform_prices(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query("SELECT kind, krw FROM platform_prices ORDER BY kind")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| Ok((col(row, "kind")?, col(row, "krw")?)))
            .collect()
    }

    pub async fn set_platform_price(
        &self,
        kind: &str,
        krw: i64,
        operator: OperatorId,
        now: i64,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "INSERT INTO platform_prices (kind, krw, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (kind) DO UPDATE \
             SET krw = excluded.krw, updated_at = excluded.updated_at, \
             updated_by = excluded.updated_by",
        )
        .bind(kind)
        .bind(krw)
        .bind(now)
        .bind(operator.get())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

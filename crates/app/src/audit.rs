//! The audit log as the application writes and reads it: every administrative use case records
//! who did what, on what, after its change is stored ([`Services::audit`]); the site's admin
//! reads the log ([`Services::audit_log`]).
//!
//! An entry is written after the change it records has been committed, in its own statement: a
//! crash between the two loses the entry, never the change, and a failure to write it is
//! logged as an error rather than answered as a failure of a change that happened.

use sangdam_core::AuditAction;
use serde::Serialize;
use serde_json::Value;
use store::{AgentRecord, AuditFilter, AuditRecord, NewAudit, Role};

use crate::Services;
use crate::error::AppError;

/// The most entries one read returns.
pub const MAX_AUDIT_PAGE: u32 = 200;

/// A value as an entry's detail (`null` if it cannot be written as JSON, which a record of
/// Sangdam's own never fails to be).
pub fn detail<T: Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

impl Services {
    /// Records that `actor` did `action` on `target` (`agent:7`, `room:3`, … or empty for the
    /// site itself), with what changed in `detail`.
    pub async fn audit(
        &self,
        actor: &AgentRecord,
        action: AuditAction,
        target: impl Into<String>,
        detail: Value,
    ) {
        let entry = NewAudit {
            site: actor.site_id,
            at: self.now(),
            actor: Some((actor.id, actor.display_name.as_str())),
            actor_name: None,
            action,
            target: target.into(),
            detail,
        };
        if let Err(e) = self.store.record_audit(&entry).await {
            tracing::error!(error = %e, action = %action, site = %actor.site_id,
                "could not write an audit log entry");
        }
    }

    /// The site's audit log, newest first (the admin's alone), at most `limit` entries (1 to
    /// [`MAX_AUDIT_PAGE`]).
    pub async fn audit_log(
        &self,
        admin: &AgentRecord,
        filter: AuditFilter,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, AppError> {
        if admin.role != Role::Admin {
            return Err(AppError::Forbidden(
                "only the site's admin reads the audit log".into(),
            ));
        }
        let limit = limit.clamp(1, MAX_AUDIT_PAGE);
        Ok(self.store.audit_log(admin.site_id, filter, limit).await?)
    }
}

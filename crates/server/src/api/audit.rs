//! The audit log over HTTP: `GET /api/v1/site/audit` (the site's admin), newest first, a page
//! at a time (`before` the last id seen), of one action or one account.

use app::audit::MAX_AUDIT_PAGE;
use axum::Json;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use sangdam_core::{AgentId, AuditAction, AuditId, SiteId};
use serde::{Deserialize, Serialize};
use store::{AuditFilter, AuditRecord};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::site::Admin;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(audit_log))
}

/// One entry: who did what, on what, when.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: AuditId,
    pub site_id: SiteId,
    /// When, in ms since the epoch.
    pub at: i64,
    /// The account that acted (`null`: the server on its own).
    pub actor_id: Option<AgentId>,
    /// The account's name when it acted.
    pub actor_name: String,
    pub action: AuditAction,
    /// What it acted on: `agent:7`, `session:12`, `room:3`, `link:5`, `profile:9`, a channel
    /// (`kakao`, `naver`), a category (`category:4`), or empty for the site itself.
    pub target: String,
    /// What changed (never a secret).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<AuditRecord> for AuditEntry {
    fn from(r: AuditRecord) -> Self {
        AuditEntry {
            id: r.id,
            site_id: r.site_id,
            at: r.at,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            action: r.action,
            target: r.target,
            detail: r.detail,
        }
    }
}

/// A page of the log, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The `before` of the next (older) page; `null` when this one is the last.
    pub next_before: Option<AuditId>,
}

/// `?action=&actor=&before=&limit=` as sent.
#[derive(Debug, Deserialize)]
struct RawAuditQuery {
    action: Option<String>,
    actor: Option<String>,
    before: Option<String>,
    limit: Option<String>,
}

/// Which entries to read.
#[derive(Debug, Clone, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this action.
    pub action: Option<AuditAction>,
    /// Only this account's actions.
    pub actor: Option<AgentId>,
    /// Only entries older than this id (the `next_before` of the page before).
    pub before: Option<AuditId>,
    /// At most this many (50 when absent; 1 to 200).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

fn bad(field: &str, message: String) -> ApiError {
    ApiError::invalid_field(field, message)
}

/// A positive whole number (`7` or `7.0`).
fn positive(field: &str, text: &str) -> Result<i64, ApiError> {
    // As JSON Schema's `integer` reads: `7` or `7.0`, within the 64-bit range ids have.
    serde_json::from_str::<serde_json::Number>(text.trim())
        .ok()
        .as_ref()
        .and_then(crate::api::extract::whole_number)
        .filter(|v| *v >= 1)
        .ok_or_else(|| {
            bad(
                field,
                format!("{field} must be a whole number from 1, not {text:?}"),
            )
        })
}

impl<S: Send + Sync> FromRequestParts<S> for AuditQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(raw) = Query::<RawAuditQuery>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::BadRequest(e.body_text()))?;
        let action = raw
            .action
            .as_deref()
            .map(|a| {
                AuditAction::parse(a)
                    .ok_or_else(|| bad("action", format!("no audited action is called {a:?}")))
            })
            .transpose()?;
        let actor = raw
            .actor
            .as_deref()
            .map(|a| positive("actor", a).map(AgentId::new))
            .transpose()?;
        let before = raw
            .before
            .as_deref()
            .map(|b| positive("before", b).map(AuditId::new))
            .transpose()?;
        let limit = raw
            .limit
            .as_deref()
            .map(|l| {
                positive("limit", l)?
                    .try_into()
                    .ok()
                    .filter(|l| *l <= MAX_AUDIT_PAGE)
                    .ok_or_else(|| {
                        bad(
                            "limit",
                            format!("limit is at most {MAX_AUDIT_PAGE}, not {l}"),
                        )
                    })
            })
            .transpose()?;
        Ok(AuditQuery {
            action,
            actor,
            before,
            limit,
        })
    }
}

/// The site's audit log (admin): settings saved, secrets shown or replaced, accounts added,
/// sessions ended, rooms linked, links undone, profiles edited; newest first.
#[utoipa::path(
    get,
    path = "/site/audit",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of the log.", body = AuditPage),
        (status = 400, description = "The query string is not readable (a parameter given twice).", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 422, description = "`invalid_field`, naming it: an action no entry can have, or an id or limit that is not a whole number in range.", body = ErrorBody),
    )
)]
pub async fn audit_log(
    State(st): State<AppState>,
    Admin(admin): Admin,
    q: AuditQuery,
) -> Result<Json<AuditPage>, ApiError> {
    let limit = q.limit.unwrap_or(50);
    let filter = AuditFilter {
        action: q.action,
        actor: q.actor,
        before: q.before,
        ..AuditFilter::default()
    };
    let entries = st.app.audit_log(&admin, filter, limit).await?;
    let next_before = (entries.len() == limit as usize)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    Ok(Json(AuditPage {
        entries: entries.into_iter().map(AuditEntry::from).collect(),
        next_before,
    }))
}

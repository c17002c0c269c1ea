//! Login sessions over HTTP: `GET /api/v1/sessions` (the caller's own), `GET
//! /api/v1/site/sessions` (every account's, the admin's) and `DELETE /api/v1/sessions/{id}`
//! (one's own, or for the admin anyone's of the site). An ended session is refused at once,
//! also on the consoles open on it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sangdam_core::{AgentId, SessionId};
use serde::Serialize;
use store::SessionRecord;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::SessionPath;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_sessions))
        .routes(routes!(site_sessions))
        .routes(routes!(end_session))
}

/// A login session (never its cookie).
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: SessionId,
    pub agent_id: AgentId,
    pub agent_name: String,
    pub agent_login: String,
    /// The browser and system, as read from `user_agent` ("Chrome · Windows").
    pub device: String,
    /// The browser's `User-Agent` at login.
    pub user_agent: String,
    /// The address the login came from.
    pub address: String,
    /// When it was started, last used (to the minute) and will expire, in ms since the epoch.
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// Whether this is the session of the request.
    pub current: bool,
}

impl SessionView {
    fn of(s: SessionRecord, current: Option<SessionId>) -> Self {
        SessionView {
            current: current == Some(s.id),
            id: s.id,
            agent_id: s.agent_id,
            agent_name: s.agent_name,
            agent_login: s.agent_login,
            device: s.device,
            user_agent: s.user_agent,
            address: s.address,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            expires_at: s.expires_at,
        }
    }
}

/// Sessions, the most recently used first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    pub sessions: Vec<SessionView>,
}

fn list(sessions: Vec<SessionRecord>, current: Option<SessionId>) -> Json<SessionList> {
    Json(SessionList {
        sessions: sessions
            .into_iter()
            .map(|s| SessionView::of(s, current))
            .collect(),
    })
}

/// The caller's own login sessions (an API token is none of them).
#[utoipa::path(
    get,
    path = "/sessions",
    tag = "auth",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The caller's unexpired sessions.", body = SessionList),
        (status = 401, description = "Not logged in.", body = ErrorBody),
    )
)]
pub async fn my_sessions(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<Json<SessionList>, ApiError> {
    let sessions = st.app.my_sessions(&caller.agent).await?;
    Ok(list(sessions, caller.session))
}

/// Every login session of the site's accounts (admin).
#[utoipa::path(
    get,
    path = "/site/sessions",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The unexpired sessions of every account of the site.", body = SessionList),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn site_sessions(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<Json<SessionList>, ApiError> {
    let sessions = st.app.site_sessions(&caller.agent).await?;
    Ok(list(sessions, caller.session))
}

/// End a login session: one's own (this one too: it is then logged out), or, for the site's
/// admin, anyone's of the site. It is refused at once on every request, and the consoles open
/// on it are closed (code 4401). Recorded in the audit log.
#[utoipa::path(
    delete,
    path = "/sessions/{id}",
    tag = "auth",
    security(("session" = []), ("bearer" = [])),
    params(SessionPath),
    responses(
        (status = 204, description = "Ended."),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No such session of the caller's (of the site's, for the admin): also one already ended.", body = ErrorBody),
    )
)]
pub async fn end_session(
    State(st): State<AppState>,
    caller: Caller,
    SessionPath { 0: id }: SessionPath,
) -> Result<StatusCode, ApiError> {
    st.app.end_session(&caller.agent, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

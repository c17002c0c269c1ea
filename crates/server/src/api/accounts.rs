//! Staff accounts of a site: `GET /api/v1/agents` (admins and managers),
//! `POST /api/v1/agents` (admins) to add agents and managers,
//! `GET /api/v1/agents/directory` (every account: whom a consultation may be transferred to),
//! and the admin's changes to an account: `PATCH /api/v1/agents/{id}` (name, role),
//! `POST …/deactivate`, `POST …/reactivate` and `POST …/password` (a reset).

use app::accounts::AccountUpdate;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sangdam_core::{AgentId, AuditAction, GroupId, Presence};
use serde::{Deserialize, Serialize};
use store::{AgentRecord, Role};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::auth::AgentAnswer;
use crate::api::extract::{AgentPath, Body, IdPath};
use crate::api::{patterns, schema};
use crate::auth::AuthAgent;
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::provision::{Account, NewAccount, create_account, readable_password};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(directory))
        .routes(routes!(edit))
        .routes(routes!(deactivate))
        .routes(routes!(reactivate))
        .routes(routes!(reset_password))
}

/// The site's accounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgentList {
    #[schema(value_type = Vec<schema::Agent>)]
    pub agents: Vec<AgentRecord>,
}

/// The role of a new account.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum NewRole {
    Agent,
    Manager,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRequest {
    /// 3 to 64 ASCII letters, digits and `. _ - @`, starting with a letter or a digit.
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$")]
    pub login: String,
    /// 1 to 50 characters (trimmed), no control characters.
    #[schema(schema_with = display_name_schema)]
    pub display_name: String,
    /// `agent` (the default) or `manager`.
    #[serde(default)]
    #[schema(value_type = Option<NewRole>)]
    pub role: Option<String>,
    /// A password the person chose (at least 10 characters, not only spaces); without one, a
    /// password is generated and returned once.
    #[serde(default)]
    #[schema(schema_with = password_schema)]
    pub password: Option<String>,
    /// Also issue an API token, returned once.
    #[serde(default)]
    pub api_token: bool,
}

fn display_name_schema() -> utoipa::openapi::Object {
    patterns::string(
        patterns::trimmed_text(sangdam_core::MAX_DISPLAY_NAME_CHARS, true),
        false,
    )
}

fn new_display_name_schema() -> utoipa::openapi::Object {
    patterns::string(
        patterns::trimmed_text(sangdam_core::MAX_DISPLAY_NAME_CHARS, true),
        true,
    )
}

fn password_schema() -> utoipa::openapi::Object {
    let mut s = patterns::string(patterns::not_blank(), true);
    s.min_length = Some(sangdam_core::MIN_PASSWORD_CHARS);
    s
}

/// The site's accounts (never their passwords): the admin all; a manager those of their group
/// (all when they lead none).
#[utoipa::path(
    get,
    path = "/agents",
    tag = "accounts",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The site's accounts.", body = AgentList),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent (only managers and the admin list accounts).", body = ErrorBody),
    )
)]
pub async fn list(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
) -> Result<Json<AgentList>, ApiError> {
    let agents = st.app.accounts_seen_by(&agent).await?;
    Ok(Json(AgentList { agents }))
}

/// The admin adds an agent or a manager to the site. The generated password and the API token
/// are in the answer only.
#[utoipa::path(
    post,
    path = "/agents",
    tag = "accounts",
    security(("session" = []), ("bearer" = [])),
    request_body = CreateRequest,
    responses(
        (status = 201, description = "The account, with the generated password (when none was given) and the API token (when asked for), shown once.", body = Account),
        (status = 400, description = "The body is not an account request.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 409, description = "The login is taken.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field` (the field is in `details.field`) or `invalid_role`.", body = ErrorBody),
    )
)]
pub async fn create(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    body: Result<Body<CreateRequest>, ApiError>,
) -> Result<(StatusCode, Json<Account>), ApiError> {
    if agent.role != Role::Admin {
        return Err(ApiError::Forbidden(
            "only the site's admin adds accounts".into(),
        ));
    }
    let Body(req) = body?;
    let role = match req.role.as_deref().unwrap_or("agent") {
        "agent" => Role::Agent,
        "manager" => Role::Manager,
        other => {
            return Err(ApiError::invalid(
                ErrorCode::InvalidRole,
                format!("an account is an agent or a manager, not {other:?}"),
            ));
        }
    };
    let account = create_account(
        &st.app.store,
        agent.site_id,
        NewAccount {
            login: &req.login,
            display_name: &req.display_name,
            role,
            password: req.password.as_deref(),
            api_token: req.api_token,
        },
    )
    .await?;
    st.app
        .audit(
            &agent,
            AuditAction::AccountCreated,
            format!("agent:{}", account.agent.id),
            serde_json::json!({
                "login": account.agent.login,
                "display_name": account.agent.display_name,
                "role": account.agent.role,
                "api_token": account.api_token.is_some(),
            }),
        )
        .await;
    Ok((StatusCode::CREATED, Json(account)))
}

/// One account as every account of its site sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryEntry {
    pub id: AgentId,
    pub display_name: String,
    pub role: Role,
    /// The presence distribution counts: the status the account chose, or `offline` once
    /// every console of theirs has been gone for the site's `offline_after_minutes`.
    pub presence: Presence,
}

/// The site's accounts, by id.
#[derive(Debug, Serialize, ToSchema)]
pub struct Directory {
    pub agents: Vec<DirectoryEntry>,
}

/// Every account of the caller's site with its name, role and presence, for any account: whom
/// an agent may ask to take a consultation over, and whose names a consultation's timeline
/// shows. Logins, limits and loads are not in it (the board has those, for managers).
#[utoipa::path(
    get,
    path = "/agents/directory",
    tag = "accounts",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The site's accounts with their presence.", body = Directory),
        (status = 401, description = "Not logged in.", body = ErrorBody),
    )
)]
pub async fn directory(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
) -> Result<Json<Directory>, ApiError> {
    let agents = st.app.agent_directory(&agent).await?;
    Ok(Json(Directory {
        agents: agents
            .into_iter()
            .map(|l| DirectoryEntry {
                id: l.agent.id,
                display_name: l.agent.display_name,
                role: l.agent.role,
                presence: l.presence,
            })
            .collect(),
    }))
}

/// What the admin changes of an account; a field left out stays as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountEditRequest {
    /// 1 to 50 characters (trimmed), no control characters; `null` or left out: unchanged.
    #[serde(default)]
    #[schema(schema_with = new_display_name_schema)]
    pub display_name: Option<String>,
    /// `agent` or `manager` (the site's admin stays admin).
    #[serde(default)]
    #[schema(value_type = Option<NewRole>)]
    pub role: Option<String>,
    /// The account's group (a manager leads the group they are in); `null` takes it out of
    /// its group. Left out: unchanged.
    #[serde(default, deserialize_with = "present_or_null")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub group_id: Option<Option<GroupId>>,
}

/// A field given, with a value or `null` (`Some(None)`); left out is `None` (by `default`).
/// The id is read as [`crate::api::extract::id_number`] reads ids (`7` or `7.0`).
fn present_or_null<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<GroupId>>, D::Error> {
    match Option::<serde_json::Number>::deserialize(d)? {
        None => Ok(Some(None)),
        Some(n) => crate::api::extract::id_number(&n)
            .map(|id| Some(Some(GroupId::new(id))))
            .ok_or_else(|| serde::de::Error::custom(format!("{n} is not a group id"))),
    }
}

/// The admin renames an account, moves it between agent and manager, or puts it in a group. A
/// role or group change reaches the account's open consoles at once (and those of the managers
/// of the groups concerned): they reload to show what they now see.
#[utoipa::path(
    patch,
    path = "/agents/{id}",
    tag = "accounts",
    security(("session" = []), ("bearer" = [])),
    params(AgentPath),
    request_body = AccountEditRequest,
    responses(
        (status = 200, description = "The account as it is now.", body = AgentAnswer),
        (status = 400, description = "The body is not an account change.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such account on the site, or no such group of it.", body = ErrorBody),
        (status = 409, description = "`account_change_refused`: the site's admin stays its admin.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field` (`display_name` or `role`: nobody becomes a second admin), or `invalid_role`.", body = ErrorBody),
    )
)]
pub async fn edit(
    State(st): State<AppState>,
    AuthAgent(admin): AuthAgent,
    IdPath(id): AgentPath,
    body: Result<Body<AccountEditRequest>, ApiError>,
) -> Result<Json<AgentAnswer>, ApiError> {
    let Body(req) = body?;
    let role = match req.role.as_deref() {
        None => None,
        Some(name) => Some(Role::parse(name).ok_or_else(|| {
            ApiError::invalid(
                ErrorCode::InvalidRole,
                format!("an account is an agent or a manager, not {name:?}"),
            )
        })?),
    };
    let agent = st
        .app
        .edit_account(
            &admin,
            id,
            AccountUpdate {
                display_name: req.display_name.as_deref(),
                role,
                group: req.group_id,
            },
        )
        .await?;
    Ok(Json(AgentAnswer { agent }))
}

/// The admin deactivates an account: it cannot log in any more, its sessions and API tokens
/// end at once (its open consoles close) and its open consultations go back to distribution,
/// each with a line on its timeline. The account and its history stay; it may be reactivated.
#[utoipa::path(
    post,
    path = "/agents/{id}/deactivate",
    tag = "accounts",
    security(("session" = []), ("bearer" = [])),
    params(AgentPath),
    responses(
        (status = 200, description = "The account, deactivated (also when it already was).", body = AgentAnswer),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such account on the site.", body = ErrorBody),
        (status = 409, description = "`account_change_refused`: the site's admin cannot be deactivated.", body = ErrorBody),
    )
)]
pub async fn deactivate(
    State(st): State<AppState>,
    AuthAgent(admin): AuthAgent,
    IdPath(id): AgentPath,
) -> Result<Json<AgentAnswer>, ApiError> {
    let agent = st.app.deactivate_account(&admin, id).await?;
    Ok(Json(AgentAnswer { agent }))
}

/// The admin lets a deactivated account log in again, with the password it had (a new one
/// is a reset away). Its API tokens stay gone.
#[utoipa::path(
    post,
    path = "/agents/{id}/reactivate",
    tag = "accounts",
    security(("session" = []), ("bearer" = [])),
    params(AgentPath),
    responses(
        (status = 200, description = "The account, active (also when it already was).", body = AgentAnswer),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such account on the site.", body = ErrorBody),
    )
)]
pub async fn reactivate(
    State(st): State<AppState>,
    AuthAgent(admin): AuthAgent,
    IdPath(id): AgentPath,
) -> Result<Json<AgentAnswer>, ApiError> {
    let agent = st.app.reactivate_account(&admin, id).await?;
    Ok(Json(AgentAnswer { agent }))
}

/// A new password the admin sets for an account.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// The new password (at least 10 characters, not only spaces); without one, a password
    /// is generated and returned once.
    #[serde(default)]
    #[schema(schema_with = password_schema)]
    pub password: Option<String>,
}

/// The account's new password, when it was generated (shown once).
#[derive(Debug, Serialize, ToSchema)]
pub struct ResetAnswer {
    #[schema(value_type = schema::Agent)]
    pub agent: AgentRecord,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// The admin sets a new password for an agent's or a manager's account (a forgotten one):
/// every session of the account ends, its open consoles close. The admin changes their own
/// with `PUT /me/password`.
#[utoipa::path(
    post,
    path = "/agents/{id}/password",
    tag = "accounts",
    security(("session" = []), ("bearer" = [])),
    params(AgentPath),
    request_body(content = ResetRequest, description = "The new password, or an empty object for a generated one."),
    responses(
        (status = 200, description = "Set; a generated password is in the answer, once.", body = ResetAnswer),
        (status = 400, description = "The body is not a password reset.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such account on the site.", body = ErrorBody),
        (status = 409, description = "`account_change_refused`: the admin's own password is changed with the current one.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field` (`password`): shorter than 10 characters, or only spaces.", body = ErrorBody),
    )
)]
pub async fn reset_password(
    State(st): State<AppState>,
    AuthAgent(admin): AuthAgent,
    IdPath(id): AgentPath,
    body: Result<Body<ResetRequest>, ApiError>,
) -> Result<Json<ResetAnswer>, ApiError> {
    let Body(req) = body?;
    let (password, shown) = match req.password {
        Some(p) => (p, None),
        None => {
            let p = readable_password();
            (p.clone(), Some(p))
        }
    };
    let agent = st.app.reset_password(&admin, id, &password).await?;
    Ok(Json(ResetAnswer {
        agent,
        password: shown,
    }))
}

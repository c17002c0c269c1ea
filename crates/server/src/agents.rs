//! Staff accounts of a site: `GET /api/v1/agents` (admins and managers) and
//! `POST /api/v1/agents` (admins) to add agents and managers.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use store::Role;

use crate::auth::AuthAgent;
use crate::error::ApiError;
use crate::provision::{NewAccount, create_account};
use crate::state::AppState;

/// `GET /api/v1/agents`: the site's accounts (never their passwords).
pub async fn list(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
) -> Result<Json<Value>, ApiError> {
    if !agent.role.sees_all() {
        return Err(ApiError::Forbidden(
            "only managers and admins list the site's accounts".into(),
        ));
    }
    let agents = st.store.agents_of_site(agent.site_id).await?;
    Ok(Json(json!({ "agents": agents })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateRequest {
    pub login: String,
    pub display_name: String,
    /// `agent` (the default) or `manager`.
    #[serde(default)]
    pub role: Option<String>,
    /// A password the person chose; without one, a password is generated and returned once.
    #[serde(default)]
    pub password: Option<String>,
    /// Also issue an API token, returned once.
    #[serde(default)]
    pub api_token: bool,
}

/// `POST /api/v1/agents`: an admin adds an agent or a manager to the site. The generated
/// password and the API token are in the answer only.
pub async fn create(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    body: Result<Json<CreateRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    if agent.role != Role::Admin {
        return Err(ApiError::Forbidden(
            "only the site's admin adds accounts".into(),
        ));
    }
    let Json(req) = body?;
    let role = match req.role.as_deref().unwrap_or("agent") {
        "agent" => Role::Agent,
        "manager" => Role::Manager,
        other => {
            return Err(ApiError::invalid(
                "invalid_role",
                format!("an account is an agent or a manager, not {other:?}"),
            ));
        }
    };
    let account = create_account(
        &st.store,
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
    Ok((StatusCode::CREATED, Json(json!(account))))
}

//! Logging in and out: `POST /api/v1/auth/login` (session cookie), `POST /api/v1/auth/logout`,
//! and `GET /api/v1/me`, the calling agent.

use axum::Json;
use std::net::SocketAddr;

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::http::header::{SET_COOKIE, USER_AGENT};
use axum::response::{AppendHeaders, IntoResponse, Response};
use serde::{Deserialize, Serialize};
use store::AgentRecord;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::Body;
use crate::api::schema;
use crate::auth::{
    AuthAgent, Caller, SESSION_COOKIE, cleared_cookie, cookie_value, session_cookie,
};
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

/// The calling (or just logged-in) agent.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgentAnswer {
    #[schema(value_type = schema::Agent)]
    pub agent: AgentRecord,
}

/// Log in with a login and password; sets the session cookie.
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; the `sangdam_session` cookie is set.", body = AgentAnswer,
            headers(("set-cookie" = String, description = "The session cookie."))),
        (status = 400, description = "The body is not a login request.", body = ErrorBody),
        (status = 401, description = "A login or password longer than any account has.", body = ErrorBody),
        (status = 403, description = "`account_deactivated`: the login and password are right, and the admin deactivated the account.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`bad_credentials`: the login or the password is wrong (answered at the same cost whether or not the login exists).", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many failed logins for this login (5 in a row) or from this address (20); the message says how long to wait, as does `Retry-After`. Nothing is checked meanwhile.", body = ErrorBody,
            headers(("retry-after" = String, description = "Seconds to wait."))),
    )
)]
pub async fn login(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<LoginRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(req) = body?;
    if req.login.len() > 200 || req.password.len() > 1000 {
        return Err(ApiError::Unauthorized);
    }
    let agent = st.app.log_in(&req.login, &req.password, addr.ip()).await?;
    let Some(agent) = agent else {
        return Err(ApiError::invalid(
            ErrorCode::BadCredentials,
            "the login or the password is wrong",
        ));
    };
    let user_agent = headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let started = st
        .app
        .start_session(&agent, user_agent, &addr.ip().to_string())
        .await?;
    Ok((
        AppendHeaders([(
            SET_COOKIE,
            session_cookie(&started.token, st.secure_cookies),
        )]),
        Json(AgentAnswer { agent }),
    )
        .into_response())
}

/// End the session of the session cookie sent (if any) and clear the cookie; the consoles open
/// on that session close.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    responses(
        (status = 204, description = "Logged out; the cookie is cleared.",
            headers(("set-cookie" = String, description = "The cleared session cookie."))),
    )
)]
pub async fn logout(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(cookie) = cookie_value(&headers, SESSION_COOKIE) {
        st.app.log_out(cookie).await?;
    }
    Ok((
        AppendHeaders([(SET_COOKIE, cleared_cookie(st.secure_cookies))]),
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

/// The calling agent.
#[utoipa::path(
    get,
    path = "/me",
    tag = "auth",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The calling agent.", body = AgentAnswer),
        (status = 401, description = "Not logged in.", body = ErrorBody),
    )
)]
pub async fn me(AuthAgent(agent): AuthAgent) -> Json<AgentAnswer> {
    Json(AgentAnswer { agent })
}

/// One's own new password, with the current one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 10 characters, not only spaces.
    #[schema(min_length = 10)]
    pub new_password: String,
}

/// Change one's own password, giving the current one. Every other session of the account ends
/// (its consoles close); the one making the change stays logged in.
#[utoipa::path(
    put,
    path = "/me/password",
    tag = "auth",
    security(("session" = []), ("bearer" = [])),
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed."),
        (status = 400, description = "The body is not a password change.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`wrong_password`: the current password is not right.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field` (`new_password`): shorter than 10 characters, or only spaces; `too_long`: a password over 1000 bytes.", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many wrong passwords for this account (counted with failed logins).", body = ErrorBody,
            headers(("retry-after" = String, description = "Seconds to wait."))),
    )
)]
pub async fn change_password(
    State(st): State<AppState>,
    caller: Caller,
    body: Result<Body<PasswordChange>, ApiError>,
) -> Result<StatusCode, ApiError> {
    let Body(req) = body?;
    if req.current_password.len() > 1000 || req.new_password.len() > 1000 {
        return Err(ApiError::invalid(
            ErrorCode::TooLong,
            "a password has at most 1000 bytes",
        ));
    }
    st.app
        .change_own_password(
            &caller.agent,
            caller.session,
            &req.current_password,
            &req.new_password,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

//! Who is calling: agents by session cookie or API token (passwords with argon2, in the
//! application's `secrets`).

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use store::AgentRecord;

use crate::error::ApiError;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "sangdam_session";
/// How long a console login lasts.
pub const SESSION_MS: i64 = 12 * 60 * 60 * 1000;

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    app::secrets::hash_password(password).map_err(ApiError::Internal)
}

pub use app::secrets::verify_password;

/// Random credentials, and the hash they are stored as.
pub use app::secrets::{random_bytes, random_token, token_hash};

/// The value of the cookie `name` in a request's headers.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A logged-in agent (session cookie) or an API token acting as one.
#[derive(Debug, Clone)]
pub struct AuthAgent(pub AgentRecord);

impl FromRequestParts<AppState> for AuthAgent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let bearer = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if let Some(token) = bearer {
            return match state.app.store.agent_for_token(&token_hash(token)).await? {
                Some(agent) => Ok(AuthAgent(agent)),
                None => Err(ApiError::Unauthorized),
            };
        }
        if let Some(session) = cookie_value(&parts.headers, SESSION_COOKIE)
            && let Some(agent) = state
                .app
                .store
                .agent_for_session(&token_hash(session), state.now())
                .await?
        {
            return Ok(AuthAgent(agent));
        }
        Err(ApiError::Unauthorized)
    }
}

/// The session cookie of a login.
pub fn session_cookie(token: &str) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        SESSION_MS / 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("s3cret-비밀").unwrap();
        assert!(verify_password("s3cret-비밀", &h));
        assert!(!verify_password("s3cret", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}

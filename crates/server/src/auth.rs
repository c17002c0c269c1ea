//! Who is calling: agents by session cookie or API token (passwords with argon2, in the
//! application's `secrets`).

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use sangdam_core::SessionId;
use store::AgentRecord;

use crate::error::ApiError;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "sangdam_session";
pub use app::sessions::SESSION_MS;

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

/// Who calls: the account, and the login session when it came by session cookie (an API
/// token has none). Found once per request and kept in its extensions.
#[derive(Debug, Clone)]
pub struct Caller {
    pub agent: AgentRecord,
    pub session: Option<SessionId>,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(caller.clone());
        }
        let caller = find_caller(&parts.headers, state).await?;
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

async fn find_caller(headers: &HeaderMap, state: &AppState) -> Result<Caller, ApiError> {
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if let Some(token) = bearer {
        return match state.app.store.agent_for_token(&token_hash(token)).await? {
            Some(agent) => Ok(Caller {
                agent,
                session: None,
            }),
            None => Err(ApiError::Unauthorized),
        };
    }
    if let Some(cookie) = cookie_value(headers, SESSION_COOKIE)
        && let Some(found) = state.app.session(cookie).await?
    {
        return Ok(Caller {
            agent: found.agent,
            session: Some(found.session),
        });
    }
    Err(ApiError::Unauthorized)
}

/// A logged-in agent (session cookie) or an API token acting as one.
#[derive(Debug, Clone)]
pub struct AuthAgent(pub AgentRecord);

impl FromRequestParts<AppState> for AuthAgent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Caller::from_request_parts(parts, state)
            .await
            .map(|c| AuthAgent(c.agent))
    }
}

/// The session cookie of a login: `Secure` when people reach Sangdam over HTTPS.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        SESSION_MS / 1000,
        if secure { "; Secure" } else { "" }
    )
}

/// The header that clears the session cookie.
pub fn cleared_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
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
    fn cookies_are_secure_over_https_only() {
        let c = session_cookie("abc", true);
        assert!(
            c.starts_with("sangdam_session=abc; Path=/; HttpOnly; SameSite=Lax;"),
            "{c}"
        );
        assert!(c.ends_with("; Secure"), "{c}");
        assert!(!session_cookie("abc", false).contains("Secure"));
        assert!(cleared_cookie(true).contains("Max-Age=0; Secure"));
        assert!(!cleared_cookie(false).contains("Secure"));
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

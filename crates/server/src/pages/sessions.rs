//! One's login sessions (`/account/sessions`), for every account: the browsers and devices
//! logged in as oneself, each of which can be ended (the current one logs out); for the site's
//! admin also every account's. The page is the frame and its words; `assets/sessions.js` reads
//! the sessions through the API ([`crate::api::sessions`]), draws them and ends them.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde_json::json;
use store::Role;

use crate::auth::AuthAgent;
use crate::error::ApiError;
use crate::pages::{Lang, PageLang, PageText, page, page_text, script_texts};
use crate::state::AppState;

/// Where the page is (and where the login page comes back to).
pub const PATH: &str = "/account/sessions";

pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, get(sessions_page))
}

#[derive(Debug, Template)]
#[template(path = "account_sessions.html")]
pub struct SessionsPage {
    pub lang: Lang,
    pub site_name: String,
    pub agent_name: String,
    /// The account's login (for the browser's password manager, in the password form).
    pub login: String,
    /// The shortest password one may choose.
    pub min_password: usize,
    /// The admin also sees (and ends) every account's sessions.
    pub is_admin: bool,
    /// Managers and the admin also read the consultation history.
    pub sees_reports: bool,
    /// What the script needs to know: who is logged in, in which role (JSON).
    pub config: String,
    /// The texts the script shows (JSON).
    pub texts: String,
}

page_text!(SessionsPage);

/// What `assets/sessions.js` says.
pub(crate) const SCRIPT_TEXTS: &[&str] = &["sessions-"];

pub(crate) fn texts(lang: Lang) -> String {
    script_texts(
        lang,
        SCRIPT_TEXTS,
        &[("min", sangdam_core::MIN_PASSWORD_CHARS.into())],
    )
}

/// `GET /account/sessions`: any logged-in account's own sessions; without a login, to the
/// login page, which comes back here.
pub async fn sessions_page(
    State(st): State<AppState>,
    PageLang(lang): PageLang,
    auth: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let agent = match auth {
        Ok(AuthAgent(agent)) => agent,
        Err(ApiError::Unauthorized) => {
            let next = PATH.replace('/', "%2F");
            return Ok(Redirect::to(&format!("/login?next={next}")).into_response());
        }
        Err(e) => return Err(e),
    };
    let is_admin = agent.role == Role::Admin;
    let config = json!({
        "me": {"id": agent.id, "role": agent.role, "display_name": agent.display_name},
        "is_admin": is_admin,
        "min_password": sangdam_core::MIN_PASSWORD_CHARS,
    });
    let p = SessionsPage {
        lang,
        site_name: st.app.store.site(agent.site_id).await?.name,
        agent_name: agent.display_name,
        login: agent.login,
        min_password: sangdam_core::MIN_PASSWORD_CHARS,
        is_admin,
        sees_reports: agent.role.sees_all(),
        config: config.to_string(),
        texts: texts(lang),
    };
    page(&p, lang)
}

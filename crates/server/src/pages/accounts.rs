//! Admin: the site's staff accounts (`/admin/agents`). The page lists every account and adds
//! agents and managers through `POST /api/v1/agents`; a generated password (and an API token,
//! when asked for) is shown once, right after the account is made.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use sangdam_core::{MAX_DISPLAY_NAME_CHARS, MAX_LOGIN_CHARS};
use store::Role;

use crate::auth::AuthAgent;
use crate::error::ApiError;
use crate::pages::admin::admin_page_access;
use crate::pages::{Lang, PageLang, PageText, page, page_text, script_texts};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/agents", get(accounts_page))
}

/// One account as the table shows it.
#[derive(Debug)]
pub struct AccountRow {
    pub login: String,
    pub display_name: String,
    /// The key of the role's name.
    pub role: &'static str,
}

#[derive(Debug, Template)]
#[template(path = "admin_accounts.html")]
pub struct AccountsPage {
    pub lang: Lang,
    pub site_name: String,
    pub accounts: Vec<AccountRow>,
    pub max_login: usize,
    pub max_display_name: usize,
    /// The texts the script shows (JSON).
    pub texts: String,
}

page_text!(AccountsPage);

/// The key of a role's name in the catalogue.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "role-admin",
        Role::Manager => "role-manager",
        Role::Agent => "role-agent",
    }
}

/// What `assets/accounts.js` says: its status line, the field errors, the roles' names.
pub(crate) const SCRIPT_TEXTS: &[&str] = &["accounts-status-", "accounts-err-", "role-"];

pub(crate) fn texts(lang: Lang) -> String {
    script_texts(
        lang,
        SCRIPT_TEXTS,
        &[
            ("max-login", MAX_LOGIN_CHARS.into()),
            ("max-name", MAX_DISPLAY_NAME_CHARS.into()),
        ],
    )
}

/// `GET /admin/agents`. Without a login: to the login page; a logged-in non-admin: 403 with a
/// page that says why.
pub async fn accounts_page(
    State(st): State<AppState>,
    PageLang(lang): PageLang,
    auth: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let agent = match admin_page_access(auth, lang, "/admin/agents", "accounts-forbidden")? {
        Ok(admin) => admin,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let mut p = AccountsPage {
        lang,
        site_name: String::new(),
        accounts: Vec::new(),
        max_login: MAX_LOGIN_CHARS,
        max_display_name: MAX_DISPLAY_NAME_CHARS,
        texts: texts(lang),
    };
    p.site_name = st.app.store.site(agent.site_id).await?.name;
    p.accounts = st
        .app
        .store
        .agents_of_site(agent.site_id)
        .await?
        .into_iter()
        .map(|a| AccountRow {
            role: role_key(a.role),
            login: a.login,
            display_name: a.display_name,
        })
        .collect();
    page(&p, lang)
}

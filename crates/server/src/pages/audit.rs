//! Admin: the audit log (`/admin/audit`, R8.2). The page is the frame, its filters and its
//! words; `assets/audit.js` reads the log a page at a time through the API
//! ([`crate::api::audit`]), newest first, of one action or one account, and shows each entry in
//! words (the action's name, the target, what changed).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use sangdam_core::AuditAction;

use crate::auth::AuthAgent;
use crate::error::ApiError;
use crate::pages::admin::admin_page_access;
use crate::pages::{Lang, PageLang, PageText, page, page_text, script_texts};
use crate::state::AppState;

/// Where the page is.
pub const PATH: &str = "/admin/audit";

pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, get(audit_page))
}

/// One action of the filter: its name in the API and the key of its name in words.
#[derive(Debug)]
pub struct ActionChoice {
    pub value: &'static str,
    pub key: String,
}

/// Every audited action, in the order of [`AuditAction::ALL`].
pub fn action_choices() -> Vec<ActionChoice> {
    AuditAction::ALL
        .into_iter()
        .map(|a| ActionChoice {
            value: a.as_str(),
            key: action_key(a),
        })
        .collect()
}

/// The key of an action's name in the catalogue.
pub fn action_key(action: AuditAction) -> String {
    format!("audit-action-{}", action.as_str())
}

#[derive(Debug, Template)]
#[template(path = "admin_audit.html")]
pub struct AuditPage {
    pub lang: Lang,
    pub site_name: String,
    pub actions: Vec<ActionChoice>,
    /// The texts the script shows (JSON).
    pub texts: String,
}

page_text!(AuditPage);

/// What `assets/audit.js` says: its own words (the actions' names among them) and the
/// channels' names (a channel key's entries name the channel).
pub(crate) const SCRIPT_TEXTS: &[&str] = &["audit-", "console-channel-"];

pub(crate) fn texts(lang: Lang) -> String {
    script_texts(lang, SCRIPT_TEXTS, &[])
}

/// `GET /admin/audit`. Without a login: to the login page; a logged-in non-admin: 403 with a
/// page that says why.
pub async fn audit_page(
    State(st): State<AppState>,
    PageLang(lang): PageLang,
    auth: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let agent = match admin_page_access(auth, lang, PATH, "audit-forbidden")? {
        Ok(admin) => admin,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let p = AuditPage {
        lang,
        site_name: st.app.store.site(agent.site_id).await?.name,
        actions: action_choices(),
        texts: texts(lang),
    };
    page(&p, lang)
}

//! Admin: the site's staff accounts (`/admin/agents`). The page lists every account and adds
//! agents and managers through `POST /api/v1/agents`; a generated password (and an API token,
//! when asked for) is shown once, right after the account is made. It also holds distribution
//! (R3.3): the site's mode and timers (`PUT /api/v1/site/distribution`) and, per account, the
//! limit of concurrent consultations and the channels and categories served
//! (`PUT /api/v1/agents/{id}/routing`). The categories' boxes are drawn by the script from the
//! site's tree (`GET /api/v1/site/categories`), which the admin may change in another tab.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use inflow::Channel;
use sangdam_core::{
    DistributionMode, MAX_DISPLAY_NAME_CHARS, MAX_LOGIN_CHARS, MAX_OFFLINE_AFTER_MINUTES,
    MAX_OPEN_LIMIT, MAX_QUEUE_LIMIT, MAX_RECLAIM_AFTER_MINUTES,
};
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
    pub id: i64,
    pub login: String,
    pub display_name: String,
    /// The key of the role's name.
    pub role: &'static str,
    /// `agent`, `manager` or `admin`, for the script.
    pub role_name: &'static str,
    pub active: bool,
    pub max_concurrent: i64,
    /// Every channel, and whether the account serves it by name (none: every channel).
    pub channels: Vec<ChannelBox>,
    /// The ids of the categories it serves by name (none: every category), as JSON.
    pub serves_categories: String,
}

/// One channel's box in an account's row.
#[derive(Debug)]
pub struct ChannelBox {
    pub value: &'static str,
    /// The key of the channel's name.
    pub name: String,
    pub checked: bool,
}

impl ChannelBox {
    /// Every channel, checked when `served` names it.
    pub fn all(served: &[Channel]) -> Vec<ChannelBox> {
        Channel::ALL
            .into_iter()
            .map(|c| ChannelBox {
                value: c.as_str(),
                name: format!("console-channel-{}", c.as_str()),
                checked: served.contains(&c),
            })
            .collect()
    }
}

/// One distribution mode as the page offers it.
#[derive(Debug)]
pub struct ModeChoice {
    pub value: &'static str,
    /// The keys of its name and its one-line explanation.
    pub label: String,
    pub help: String,
    pub checked: bool,
}

/// The site's distribution settings as the form shows them.
#[derive(Debug)]
pub struct DistributionForm {
    pub modes: Vec<ModeChoice>,
    pub prefer_last_agent: bool,
    pub offline_after_minutes: u32,
    /// `None`: unanswered consultations are never reclaimed.
    pub reclaim_after_minutes: Option<u32>,
    /// `None`: the queue has no limit.
    pub max_waiting: Option<u32>,
}

impl DistributionForm {
    pub fn new(s: &store::DistributionSettings) -> Self {
        DistributionForm {
            modes: DistributionMode::ALL
                .into_iter()
                .map(|m| ModeChoice {
                    value: m.as_str(),
                    label: format!("accounts-dist-{m}"),
                    help: format!("accounts-dist-{m}-help"),
                    checked: m == s.mode,
                })
                .collect(),
            prefer_last_agent: s.prefer_last_agent,
            offline_after_minutes: s.offline_after_minutes,
            reclaim_after_minutes: s.reclaim_after_minutes,
            max_waiting: s.max_waiting,
        }
    }

    /// The minutes shown in the reclaim field (the default offered when reclaim is off).
    pub fn reclaim_minutes(&self) -> u32 {
        self.reclaim_after_minutes.unwrap_or(10)
    }

    /// The number shown in the queue-limit field (the default offered when there is none).
    pub fn limit_count(&self) -> u32 {
        self.max_waiting.unwrap_or(50)
    }
}

#[derive(Debug, Template)]
#[template(path = "admin_accounts.html")]
pub struct AccountsPage {
    pub lang: Lang,
    pub site_name: String,
    pub accounts: Vec<AccountRow>,
    pub max_login: usize,
    pub max_display_name: usize,
    pub distribution: DistributionForm,
    pub max_open: u32,
    pub max_offline: u32,
    pub max_reclaim: u32,
    pub max_queue: u32,
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

/// What `assets/accounts.js` says: its status lines, the field errors, the roles' and
/// channels' names, and the distribution section's words (with the categories' boxes).
pub(crate) const SCRIPT_TEXTS: &[&str] = &[
    "accounts-status-",
    "accounts-err-",
    "accounts-dist-",
    "accounts-routing-",
    "accounts-manage-",
    "accounts-reset-",
    "accounts-deactivate",
    "accounts-reactivate",
    "role-",
    "console-channel-",
];

pub(crate) fn texts(lang: Lang) -> String {
    script_texts(
        lang,
        SCRIPT_TEXTS,
        &[
            ("max-login", MAX_LOGIN_CHARS.into()),
            ("max-name", MAX_DISPLAY_NAME_CHARS.into()),
            ("max-open", MAX_OPEN_LIMIT.into()),
            ("max-offline", MAX_OFFLINE_AFTER_MINUTES.into()),
            ("max-reclaim", MAX_RECLAIM_AFTER_MINUTES.into()),
            ("max-queue", MAX_QUEUE_LIMIT.into()),
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
    let settings = st.app.distribution_settings(agent.site_id).await?;
    let accounts = st
        .app
        .store
        .agents_of_site(agent.site_id)
        .await?
        .into_iter()
        .map(|a| AccountRow {
            id: a.id.get(),
            role: role_key(a.role),
            role_name: a.role.as_str(),
            active: a.is_active(),
            channels: ChannelBox::all(&a.serves_channels),
            serves_categories: serde_json::to_string(&a.serves_categories)
                .unwrap_or_else(|_| "[]".to_owned()),
            max_concurrent: a.max_concurrent,
            login: a.login,
            display_name: a.display_name,
        })
        .collect();
    let p = AccountsPage {
        lang,
        site_name: st.app.store.site(agent.site_id).await?.name,
        accounts,
        max_login: MAX_LOGIN_CHARS,
        max_display_name: MAX_DISPLAY_NAME_CHARS,
        distribution: DistributionForm::new(&settings),
        max_open: MAX_OPEN_LIMIT,
        max_offline: MAX_OFFLINE_AFTER_MINUTES,
        max_reclaim: MAX_RECLAIM_AFTER_MINUTES,
        max_queue: MAX_QUEUE_LIMIT,
        texts: texts(lang),
    };
    page(&p, lang)
}

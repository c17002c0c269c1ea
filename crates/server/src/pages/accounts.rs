//! Admin: the site's staff accounts (`/admin/agents`). The page lists every account and adds
//! agents and managers through `POST /api/v1/agents`; a generated password (and an API token,
//! when asked for) is shown once, right after the account is made.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde_json::json;
use store::Role;

use crate::auth::AuthAgent;
use crate::error::ApiError;
use crate::pages::admin::admin_page_access;
use crate::pages::{Lang, page};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/agents", get(accounts_page))
}

/// One account as the table shows it.
#[derive(Debug)]
pub struct AccountRow {
    pub login: String,
    pub display_name: String,
    pub role: &'static str,
}

#[derive(Debug, Template)]
#[template(path = "admin_accounts.html")]
pub struct AccountsPage {
    pub lang: Lang,
    pub site_name: String,
    pub accounts: Vec<AccountRow>,
    /// Sentences the script shows, in the page's language (JSON).
    pub texts: String,
}

pub fn role_label(role: Role, lang: Lang) -> &'static str {
    match role {
        Role::Admin => lang.pick("관리자", "Admin"),
        Role::Manager => lang.pick("매니저", "Manager"),
        Role::Agent => lang.pick("상담원", "Agent"),
    }
}

fn script_texts(lang: Lang) -> String {
    json!({
        "roles": {
            "agent": role_label(Role::Agent, lang),
            "manager": role_label(Role::Manager, lang),
        },
        "created": lang.pick(
            "계정을 만들었습니다. 비밀번호는 지금 한 번만 보입니다: 본인에게 안전하게 전달하세요.",
            "Account created. The password is shown only now: pass it on safely."),
        "saving": lang.pick("만드는 중…", "Creating…"),
        "loginAgain": lang.pick("로그인이 만료되었습니다. 다시 로그인해 주세요.", "Your login expired. Please log in again."),
        "forbidden": lang.pick("사이트 관리자만 계정을 추가할 수 있습니다.", "Only the site's admin adds accounts."),
        "failed": lang.pick("만들지 못했습니다: ", "Not created: "),
        "taken": lang.pick("이미 쓰이는 로그인 ID입니다.", "This login is already taken."),
        "err": {
            "login": lang.pick(
                "로그인 ID는 3~64자의 영문, 숫자, . _ - @ 로 쓰고 영문이나 숫자로 시작합니다.",
                "A login has 3 to 64 letters, digits, . _ - @ and starts with a letter or a digit."),
            "display_name": lang.pick("이름은 1~50자로 적어 주세요.", "A name has 1 to 50 characters."),
            "role": lang.pick("역할은 상담원이나 매니저입니다.", "The role is agent or manager."),
        },
    })
    .to_string()
}

/// `GET /admin/agents`. Without a login: to the login page; a logged-in non-admin: 403 with a
/// page that says why.
pub async fn accounts_page(
    State(st): State<AppState>,
    lang: Lang,
    auth: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let agent = match admin_page_access(
        auth,
        lang,
        "/admin/agents",
        lang.pick(
            "계정 관리는 사이트 관리자만 할 수 있습니다.",
            "Only the site's admin manages accounts.",
        ),
    )? {
        Ok(admin) => admin,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let mut p = AccountsPage {
        lang,
        site_name: String::new(),
        accounts: Vec::new(),
        texts: script_texts(lang),
    };
    p.site_name = st.store.site(agent.site_id).await?.name;
    p.accounts = st
        .store
        .agents_of_site(agent.site_id)
        .await?
        .into_iter()
        .map(|a| AccountRow {
            role: role_label(a.role, lang),
            login: a.login,
            display_name: a.display_name,
        })
        .collect();
    page(&p, lang)
}

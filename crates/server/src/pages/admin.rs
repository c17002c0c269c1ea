//! Admin: parameter management (`/admin/parameters`, the seed's help page made real). The
//! site-settings API it uses, and the rules a save follows, are in [`crate::api::site`].
//!
//! The page is rendered with the site's current state, so it reads right without JavaScript;
//! `assets/admin.js` saves each section through the API and refreshes the chat URLs,
//! `assets/webhooks.js` shows and rotates the channel keys, and `assets/categories.js` edits the
//! consultation categories and the title message.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use inflow::{Channel, Field, Settings, Slot, Var};
use store::{AgentRecord, Role};

use crate::api::site::{
    ChatUrl, MAX_DESCRIPTION_CHARS, MAX_FRAME_ORIGINS, MAX_SENTINEL_CHARS, MAX_SENTINELS,
    MAX_SITE_UID_CHARS, MAX_TITLE_TEMPLATE_CHARS, MAX_URL_CHARS, chat_urls_for, origin,
    snippet_for,
};
use crate::auth::AuthAgent;
use crate::error::ApiError;
use crate::pages::{Lang, PageLang, PageText, page, page_text};
use crate::state::AppState;
use sangdam_core::category::{MAX_CATEGORY_NAME_CHARS, Tree};

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/parameters", get(parameters_page))
}

// ---------------------------------------------------------------------------------------------
// The page.

/// One row of the fixed-parameter reference table.
#[derive(Debug, Clone)]
pub struct FixedRow {
    /// The key of the row's group.
    pub group: &'static str,
    pub name: &'static str,
    pub label: String,
    pub ty: String,
    pub length: String,
    pub input: bool,
    pub example: String,
    pub meaning: String,
}

/// The fixed parameters (R1.1, and `site_uid_hash` of R2.8), in the page's language: each is
/// the message `admin-fixed-<name>` with its `.meaning` (and `.example` or `.type` where those
/// are words); lengths come from the limits the parser applies.
pub fn fixed_rows(lang: Lang) -> Vec<FixedRow> {
    let chars = |field: Field| field.max_chars().map(|n| n.to_string()).unwrap_or_default();
    // (group, name, type, length, input, example when it is no words)
    let rows = [
        (
            "admin-group-customer",
            Field::SiteUid.name(),
            "String",
            chars(Field::SiteUid),
            true,
            "loginid",
        ),
        (
            "admin-group-customer",
            Field::Name.name(),
            "String",
            chars(Field::Name),
            true,
            "",
        ),
        (
            "admin-group-customer",
            Field::Phone.name(),
            "String",
            chars(Field::Phone),
            true,
            "01012345678",
        ),
        (
            "admin-group-customer",
            Field::Email.name(),
            "String",
            chars(Field::Email),
            true,
            "customer@example.com",
        ),
        (
            "admin-group-room",
            Field::UserParameter.name(),
            "String",
            chars(Field::UserParameter),
            true,
            "abcdabcd",
        ),
        (
            "admin-group-room",
            Field::CategoryId.name(),
            "Int",
            "11".to_owned(),
            true,
            "74133",
        ),
        (
            "admin-group-room",
            Field::DivisionId.name(),
            "Int",
            "11".to_owned(),
            true,
            "74134",
        ),
        (
            "admin-group-room",
            "category_name",
            "String",
            "100".to_owned(),
            false,
            "",
        ),
        (
            "admin-group-room",
            "division_name",
            "String",
            "100".to_owned(),
            false,
            "",
        ),
        (
            "admin-group-room",
            Field::BotStart.name(),
            "Bool",
            "—".to_owned(),
            true,
            "true",
        ),
        (
            "admin-group-verification",
            Field::SiteUidHash.name(),
            "String",
            "64".to_owned(),
            true,
            "9f86d081884c7d65…",
        ),
    ];
    rows.into_iter()
        .map(|(group, name, ty, length, input, example)| {
            let key = format!("admin-fixed-{name}");
            let words = |attribute: &str, otherwise: &str| {
                let key = format!("{key}.{attribute}");
                if i18n::has(lang, &key) {
                    i18n::t(lang, &key)
                } else {
                    otherwise.to_owned()
                }
            };
            FixedRow {
                group,
                name,
                label: i18n::t(lang, &key),
                ty: words("type", ty),
                length,
                input,
                example: words("example", example),
                meaning: i18n::t_args(
                    lang,
                    &format!("{key}.meaning"),
                    &[("max", Slot::MAX_CHARS.into())],
                ),
            }
        })
        .collect()
}

/// One custom slot row of the page.
#[derive(Debug, Clone)]
pub struct SlotRow {
    pub number: usize,
    pub name: &'static str,
    pub enabled: bool,
    pub description: String,
}

/// One channel's chat-URL field.
#[derive(Debug, Clone)]
pub struct ChatRow {
    pub channel: &'static str,
    /// The key of the channel's name.
    pub label: String,
    pub url: String,
    /// The key of the hint under the URL.
    pub hint: String,
}

/// The key of the hint under a channel's chat URL (`-missing` while the channel's base URL is
/// not saved; `assets/admin.js` picks the same keys after a save).
fn channel_hint(channel: Channel, missing: bool) -> String {
    let suffix = match channel {
        Channel::Kakao | Channel::Naver if missing => "-missing",
        _ => "",
    };
    format!("admin-url-hint-{}{suffix}", channel.as_str())
}

pub fn chat_rows(chat: &[ChatUrl]) -> Vec<ChatRow> {
    chat.iter()
        .map(|c| ChatRow {
            channel: c.channel.as_str(),
            label: format!("admin-channel-{}", c.channel.as_str()),
            url: c.url.clone().unwrap_or_default(),
            hint: channel_hint(c.channel, c.url.is_none()),
        })
        .collect()
}

/// A template variable as listed on the page, with the slot's description for custom slots.
#[derive(Debug, Clone)]
pub struct VarRow {
    pub name: &'static str,
    pub hint: String,
}

pub(crate) fn var_rows(settings: &Settings) -> Vec<VarRow> {
    Var::all()
        .map(|v| VarRow {
            name: v.name(),
            hint: match v {
                Var::Custom(slot) => settings.slot(slot).description.clone(),
                _ => String::new(),
            },
        })
        .collect()
}

/// One category of the page's tree, with its divisions.
#[derive(Debug, Clone)]
pub struct CategoryRow {
    pub id: String,
    pub name: String,
    pub used: bool,
    pub is_default: bool,
    pub divisions: Vec<CategoryRow>,
}

/// The site's tree as the page shows it before its script takes over.
pub fn category_rows(tree: &Tree) -> Vec<CategoryRow> {
    let row = |n: &sangdam_core::category::Node, divisions| CategoryRow {
        id: n.id.to_string(),
        name: n.name.clone(),
        used: n.used,
        is_default: n.is_default,
        divisions,
    };
    tree.categories()
        .map(|c| {
            row(
                c,
                tree.divisions(c.id).map(|d| row(d, Vec::new())).collect(),
            )
        })
        .collect()
}

/// What the page's scripts say (`assets/admin.js`, `webhooks.js`, `categories.js`): their
/// status lines, the secret's buttons, the chat-URL hints, the categories' controls, and the
/// field errors by code, with the limits the checks above apply.
pub(crate) const SCRIPT_TEXTS: &[&str] = &[
    "admin-status-",
    "admin-secret-",
    "admin-webhook",
    "admin-url-hint-",
    "admin-err-",
    "categories-",
];

pub(crate) fn script_texts(lang: Lang) -> String {
    crate::pages::script_texts(
        lang,
        SCRIPT_TEXTS,
        &[
            ("max-description", MAX_DESCRIPTION_CHARS.into()),
            ("max-sentinels", MAX_SENTINELS.into()),
            ("max-sentinel-chars", MAX_SENTINEL_CHARS.into()),
            ("max-url", MAX_URL_CHARS.into()),
            ("max-site-uid", MAX_SITE_UID_CHARS.into()),
            ("max-frame-origins", MAX_FRAME_ORIGINS.into()),
            ("max-category-name", MAX_CATEGORY_NAME_CHARS.into()),
            ("max-title", MAX_TITLE_TEMPLATE_CHARS.into()),
        ],
    )
}

/// What a logged-in agent who is not the admin sees on an admin page.
#[derive(Debug, Template)]
#[template(path = "admin_forbidden.html")]
pub(crate) struct AdminForbidden<'a> {
    pub(crate) lang: Lang,
    /// The key of the sentence that says who may use the page.
    pub(crate) reason: &'a str,
    pub(crate) agent_name: &'a str,
}

impl PageText for AdminForbidden<'_> {
    fn lang(&self) -> Lang {
        self.lang
    }
}

/// Who gets an admin page: the admin (`Ok(Ok(admin))`); without a login, the login page coming
/// back to `path`; anyone else logged in, a 403 page saying the text `reason` (a key)
/// (`Ok(Err(response))`).
pub(crate) fn admin_page_access(
    auth: Result<AuthAgent, ApiError>,
    lang: Lang,
    path: &str,
    reason: &str,
) -> Result<Result<AgentRecord, Response>, ApiError> {
    let agent = match auth {
        Ok(AuthAgent(agent)) => agent,
        Err(ApiError::Unauthorized) => {
            let next = path.replace('/', "%2F");
            return Ok(Err(
                Redirect::to(&format!("/login?next={next}")).into_response()
            ));
        }
        Err(e) => return Err(e),
    };
    if agent.role == Role::Admin {
        return Ok(Ok(agent));
    }
    let mut res = page(
        &AdminForbidden {
            lang,
            reason,
            agent_name: &agent.display_name,
        },
        lang,
    )?;
    *res.status_mut() = StatusCode::FORBIDDEN;
    Ok(Err(res))
}

#[derive(Debug, Template)]
#[template(path = "admin_parameters.html")]
pub struct ParametersPage {
    pub lang: Lang,
    pub site_name: String,
    pub agent_name: String,
    pub fixed: Vec<FixedRow>,
    pub slots: Vec<SlotRow>,
    pub max_description: usize,
    /// How many custom slots there are, and how long a value each keeps.
    pub slot_count: usize,
    pub slot_max_chars: usize,
    pub max_sentinels: usize,
    pub max_sentinel_chars: usize,
    pub chat: Vec<ChatRow>,
    pub snippet: String,
    pub kakao_base: String,
    pub naver_base: String,
    /// The origins allowed to frame the chat window, one per line.
    pub frame_origins: String,
    pub max_frame_origins: usize,
    pub require_verified: bool,
    pub sentinels: String,
    pub template: String,
    pub variables: Vec<VarRow>,
    /// The consultation categories, in order.
    pub categories: Vec<CategoryRow>,
    pub max_category_name: usize,
    /// The title message template, and the variables it may use.
    pub title_template: String,
    pub title_variables: Vec<&'static str>,
    pub max_title: usize,
    /// The texts the script shows (JSON).
    pub texts: String,
}

page_text!(ParametersPage);

impl ParametersPage {
    pub(crate) fn empty(lang: Lang) -> Self {
        ParametersPage {
            lang,
            site_name: String::new(),
            agent_name: String::new(),
            fixed: Vec::new(),
            slots: Vec::new(),
            max_description: MAX_DESCRIPTION_CHARS,
            slot_count: Slot::COUNT,
            slot_max_chars: Slot::MAX_CHARS,
            max_sentinels: MAX_SENTINELS,
            max_sentinel_chars: MAX_SENTINEL_CHARS,
            chat: Vec::new(),
            snippet: String::new(),
            kakao_base: String::new(),
            naver_base: String::new(),
            frame_origins: String::new(),
            max_frame_origins: MAX_FRAME_ORIGINS,
            require_verified: false,
            sentinels: String::new(),
            template: String::new(),
            variables: Vec::new(),
            categories: Vec::new(),
            max_category_name: MAX_CATEGORY_NAME_CHARS,
            title_template: String::new(),
            title_variables: crate::api::site::title_variables(),
            max_title: MAX_TITLE_TEMPLATE_CHARS,
            texts: script_texts(lang),
        }
    }
}

/// `GET /admin/parameters`: the admin's parameter management page. Without a login: to the
/// login page; a logged-in non-admin: 403 with a page that says why.
pub async fn parameters_page(
    State(st): State<AppState>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    auth: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let agent = match admin_page_access(
        auth,
        lang,
        "/admin/parameters",
        "admin-forbidden-parameters",
    )? {
        Ok(admin) => admin,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let site = st.app.store.site(agent.site_id).await?;
    let urls = st.app.store.channel_urls(agent.site_id).await?;
    let origin = origin(&headers);
    let chat = chat_urls_for(&site, &urls, &origin);
    let mut p = ParametersPage::empty(lang);
    p.site_name = site.name.clone();
    p.agent_name = agent.display_name;
    p.fixed = fixed_rows(lang);
    p.slots = inflow::Slot::all()
        .map(|slot| {
            let s = site.settings.slot(slot);
            SlotRow {
                number: slot.number().into(),
                name: slot.name(),
                enabled: s.enabled,
                description: s.description.clone(),
            }
        })
        .collect();
    p.chat = chat_rows(&chat);
    p.snippet = snippet_for(&site, &origin, p.lang);
    p.kakao_base = urls.kakao.clone().unwrap_or_default();
    p.naver_base = urls.naver.clone().unwrap_or_default();
    p.frame_origins = site.frame_origins.join("\n");
    p.require_verified = site.require_verified_uid;
    p.sentinels = site.settings.sentinels.join("\n");
    p.template = site.info_url_template.clone().unwrap_or_default();
    p.variables = var_rows(&site.settings);
    p.categories = category_rows(&st.app.store.category_tree(site.id).await?);
    p.title_template = site.title_template.clone().unwrap_or_default();
    page(&p, lang)
}

//! Admin: the chatbot (`/admin/bot`, R4). The page is the frame, its words and the limits the
//! forms show; `assets/bot-admin.js` reads the bot through the API ([`crate::api::bot`]), saves
//! its settings and blocks (`assets/bot-response.js` edits a block's answer, structured or as
//! JSON, and draws its preview with `assets/lib/bot-render.js`, which the chat window shares),
//! keeps the knowledge base with its import and export (`assets/bot-knowledge.js`) and runs the
//! test console.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use bot::limits::{
    BLOCKS_MAX, CATEGORY_MAX, ENTRIES_MAX, FALLBACKS_BEFORE_OFFER_MAX, HANDOFF_LABEL_MAX,
    KEYWORD_MAX, KEYWORDS_MAX, NAME_MAX, QUESTIONS_MAX, SKILL_URL_MAX, UTTERANCE_MAX,
    UTTERANCES_MAX,
};
use protocol::kakao::limits::{
    BUTTONS_VERTICAL_MAX, LIST_CARD_ITEMS_MAX, OUTPUTS_MAX, QUICK_REPLIES_MAX, SIMPLE_TEXT_MAX,
};
use serde_json::json;

use crate::api::bot::MAX_KB_IMPORT_BYTES;
use crate::auth::AuthAgent;
use crate::error::ApiError;
use crate::pages::admin::admin_page_access;
use crate::pages::{Lang, PageLang, PageText, page, page_text, script_json, script_texts};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/bot", get(bot_page))
}

/// The largest import, in whole megabytes (as the page says it).
pub const MAX_IMPORT_MB: usize = MAX_KB_IMPORT_BYTES / (1024 * 1024);

#[derive(Debug, Template)]
#[template(path = "admin_bot.html")]
pub struct BotPage {
    pub lang: Lang,
    pub site_name: String,
    pub max_name: usize,
    pub max_utterances: usize,
    pub max_utterance: usize,
    pub max_keywords: usize,
    pub max_keyword: usize,
    pub max_skill_url: usize,
    pub max_category: usize,
    pub max_questions: usize,
    pub max_label: usize,
    pub max_fallbacks: u8,
    pub max_entries: usize,
    pub max_text: usize,
    pub max_outputs: usize,
    pub max_quick_replies: usize,
    pub max_import_mb: usize,
    /// The limits the scripts build their editors with (JSON).
    pub config: String,
    /// The texts the scripts show (JSON).
    pub texts: String,
}

page_text!(BotPage);

/// What `assets/bot-admin.js`, `bot-response.js` and `bot-knowledge.js` say.
pub(crate) const SCRIPT_TEXTS: &[&str] = &["bot-"];

pub(crate) fn texts(lang: Lang) -> String {
    script_texts(
        lang,
        SCRIPT_TEXTS,
        &[
            ("max-entries", ENTRIES_MAX.into()),
            ("max-blocks", BLOCKS_MAX.into()),
            ("mb", MAX_IMPORT_MB.into()),
        ],
    )
}

/// The limits the editors are built with (a form never offers more than Open Builder takes).
pub(crate) fn config() -> String {
    script_json(&json!({
        "outputs_max": OUTPUTS_MAX,
        "quick_replies_max": QUICK_REPLIES_MAX,
        "buttons_max": BUTTONS_VERTICAL_MAX,
        "list_items_max": LIST_CARD_ITEMS_MAX,
        "text_max": SIMPLE_TEXT_MAX,
        "utterance_max": UTTERANCE_MAX,
        "import_max_bytes": MAX_KB_IMPORT_BYTES,
        "entries_max": ENTRIES_MAX,
        "blocks_max": BLOCKS_MAX,
    }))
}

impl BotPage {
    /// The page for `site_name`, in `lang`.
    pub fn new(lang: Lang, site_name: String) -> BotPage {
        BotPage {
            lang,
            site_name,
            max_name: NAME_MAX,
            max_utterances: UTTERANCES_MAX,
            max_utterance: UTTERANCE_MAX,
            max_keywords: KEYWORDS_MAX,
            max_keyword: KEYWORD_MAX,
            max_skill_url: SKILL_URL_MAX,
            max_category: CATEGORY_MAX,
            max_questions: QUESTIONS_MAX,
            max_label: HANDOFF_LABEL_MAX,
            max_fallbacks: FALLBACKS_BEFORE_OFFER_MAX,
            max_entries: ENTRIES_MAX,
            max_text: SIMPLE_TEXT_MAX,
            max_outputs: OUTPUTS_MAX,
            max_quick_replies: QUICK_REPLIES_MAX,
            max_import_mb: MAX_IMPORT_MB,
            config: config(),
            texts: texts(lang),
        }
    }
}

/// `GET /admin/bot`. Without a login: to the login page; a logged-in non-admin: 403 with a page
/// that says why.
pub async fn bot_page(
    State(st): State<AppState>,
    PageLang(lang): PageLang,
    auth: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let agent = match admin_page_access(auth, lang, "/admin/bot", "bot-forbidden")? {
        Ok(admin) => admin,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let site_name = st.app.store.site(agent.site_id).await?.name;
    page(&BotPage::new(lang, site_name), lang)
}

//! The customer chat window: `GET /chat/{site_id}` (web chat v2) and `GET /chat/{site_id}/v1`
//! (web chat v1). The page's own URL is the chat URL: `assets/chat.js` hands it to
//! `POST /api/v1/webchat/{site}/sessions`, which parses its parameters, then talks over the
//! web chat WebSocket. An unknown site gets a friendly 404 page instead of a JSON error.
//!
//! The window may be shown in a frame by Sangdam's own pages and by the pages of the origins
//! the site's admin registered (the chat button on the site's pages frames it); its answer
//! carries them for the Content-Security-Policy's `frame-ancestors` ([`FrameAncestors`]).

use askama::Template;
use axum::Router;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use store::SiteRecord;

use super::{Lang, PageLang, PageText, page, page_text, script_texts};
use crate::error::ApiError;
use crate::security::FrameAncestors;
use crate::state::AppState;
use crate::webchat::{MAX_MESSAGE_CHARS, parse_site};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/chat/{site_id}", get(chat_v2))
        .route("/chat/{site_id}/v1", get(chat_v1))
}

#[derive(Template)]
#[template(path = "chat.html")]
pub(crate) struct ChatPage {
    pub(crate) lang: Lang,
    pub(crate) site_id: i64,
    pub(crate) site_name: String,
    /// `webchat_v1` or `webchat_v2`: how the page's URL is read.
    pub(crate) channel: &'static str,
    /// This very page, whose chat parameters the language switch keeps.
    pub(crate) uri: axum::http::Uri,
    /// The longest message the server takes.
    pub(crate) max_message: usize,
    /// The texts the script shows (JSON).
    pub(crate) texts: String,
}

impl PageText for ChatPage {
    fn lang(&self) -> Lang {
        self.lang
    }

    fn lang_href(&self, lang: Lang) -> String {
        with_lang(&self.uri, lang)
    }
}

/// What `assets/chat.js` says: the status line, who wrote a message, how sending goes.
pub(crate) const SCRIPT_TEXTS: &[&str] = &[
    "chat-status-",
    "chat-sender-",
    "chat-message-",
    "chat-queue-",
    "chat-rating-",
    "chat-plugin-",
];

#[derive(Template)]
#[template(
    ext = "html",
    source = r#"{% extends "base.html" %}
{% block title %}{{ t("chat-missing-title") }}{% endblock %}
{% block header %}
<header class="topbar">
  <span class="brand">{{ t("brand") }}</span>
  <nav class="lang" aria-label="{{ t("language-switch") }}">
    {%- for l in lang_links() %}
    <a href="{{ l.href }}" {% if l.current %}aria-current="true"{% endif %} lang="{{ l.code }}">{{ l.name }}</a>
    {%- endfor %}
  </nav>
</header>
{% endblock %}
{% block main %}
<section class="panel chat-missing">
  <h1>{{ t("chat-missing-heading") }}</h1>
  <p>{{ t("chat-missing-text") }}</p>
</section>
{% endblock %}"#
)]
pub(crate) struct MissingPage {
    pub(crate) lang: Lang,
}

page_text!(MissingPage);

async fn chat_v2(
    State(st): State<AppState>,
    Path(site): Path<String>,
    OriginalUri(uri): OriginalUri,
    PageLang(lang): PageLang,
) -> Result<Response, ApiError> {
    chat(&st, &site, "webchat_v2", uri, lang).await
}

async fn chat_v1(
    State(st): State<AppState>,
    Path(site): Path<String>,
    OriginalUri(uri): OriginalUri,
    PageLang(lang): PageLang,
) -> Result<Response, ApiError> {
    chat(&st, &site, "webchat_v1", uri, lang).await
}

async fn chat(
    st: &AppState,
    site: &str,
    channel: &'static str,
    uri: axum::http::Uri,
    lang: Lang,
) -> Result<Response, ApiError> {
    let site: SiteRecord = match find_site(st, site).await {
        Ok(s) => s,
        Err(ApiError::NotFound(_)) => {
            let mut res = page(&MissingPage { lang }, lang)?;
            *res.status_mut() = StatusCode::NOT_FOUND;
            return Ok(res);
        }
        Err(e) => return Err(e),
    };
    let mut res = page(
        &ChatPage {
            lang,
            site_id: site.id.get(),
            site_name: site.name,
            channel,
            uri,
            max_message: MAX_MESSAGE_CHARS,
            texts: script_texts(lang, SCRIPT_TEXTS, &[]),
        },
        lang,
    )?
    .into_response();
    res.extensions_mut()
        .insert(FrameAncestors(site.frame_origins));
    Ok(res)
}

async fn find_site(st: &AppState, raw: &str) -> Result<SiteRecord, ApiError> {
    Ok(st.app.store.site(parse_site(raw)?).await?)
}

/// The same path and query with `lang=` set: switching the language must not drop the chat
/// parameters (they are the customer's identity and inflow).
fn with_lang(uri: &axum::http::Uri, lang: Lang) -> String {
    let mut query: Vec<&str> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|kv| !kv.is_empty() && kv.split('=').next() != Some("lang"))
        .collect();
    let set = format!("lang={}", lang.code());
    query.push(&set);
    format!("{}?{}", uri.path(), query.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_switch_keeps_the_chat_parameters() {
        let uri: axum::http::Uri = "/chat/3?params=site_uid=(%27a%27)&lang=ko&partner_id=p"
            .parse()
            .unwrap();
        assert_eq!(
            with_lang(&uri, Lang::En),
            "/chat/3?params=site_uid=(%27a%27)&partner_id=p&lang=en"
        );
        let bare: axum::http::Uri = "/chat/3/v1".parse().unwrap();
        assert_eq!(with_lang(&bare, Lang::Ko), "/chat/3/v1?lang=ko");
    }
}

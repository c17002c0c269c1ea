//! The customer chat window: `GET /chat/{site_id}` (web chat v2) and `GET /chat/{site_id}/v1`
//! (web chat v1). The page's own URL is the chat URL: `assets/chat.js` hands it to
//! `POST /api/v1/webchat/{site}/sessions`, which parses its parameters, then talks over the
//! web chat WebSocket. An unknown site gets a friendly 404 page instead of a JSON error.

use askama::Template;
use axum::Router;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use store::SiteRecord;

use super::{Lang, page};
use crate::error::ApiError;
use crate::state::AppState;
use crate::webchat::parse_site;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/chat/{site_id}", get(chat_v2))
        .route("/chat/{site_id}/v1", get(chat_v1))
}

#[derive(Template)]
#[template(path = "chat.html")]
struct ChatPage {
    lang: Lang,
    site_id: i64,
    site_name: String,
    /// `webchat_v1` or `webchat_v2`: how the page's URL is read.
    channel: &'static str,
    /// This very page in Korean and in English (the chat parameters kept).
    href_ko: String,
    href_en: String,
}

#[derive(Template)]
#[template(
    ext = "html",
    source = r#"{% extends "base.html" %}
{% block title %}{{ lang.pick("상담 창을 찾을 수 없습니다", "Chat not found") }}{% endblock %}
{% block header %}
<header class="topbar">
  <span class="brand">상담 Sangdam</span>
  <nav class="lang" aria-label="{{ lang.pick("언어", "Language") }}">
    <a href="?lang=ko" {% if lang.code() == "ko" %}aria-current="true"{% endif %} lang="ko">한국어</a>
    <a href="?lang=en" {% if lang.code() == "en" %}aria-current="true"{% endif %} lang="en">English</a>
  </nav>
</header>
{% endblock %}
{% block main %}
<section class="panel" style="max-width: 32rem; margin: 3rem auto;">
  <h1>{{ lang.pick("상담 창을 찾을 수 없습니다", "This chat does not exist") }}</h1>
  <p>{{ lang.pick("주소가 잘못되었거나 더 이상 사용되지 않는 상담 창입니다. 상담을 안내한 사이트에서 상담 버튼을 다시 눌러 주세요.", "The address is wrong or the chat is no longer in use. Please open the chat again from the site that showed it to you.") }}</p>
</section>
{% endblock %}"#
)]
struct MissingPage {
    lang: Lang,
}

async fn chat_v2(
    State(st): State<AppState>,
    Path(site): Path<String>,
    OriginalUri(uri): OriginalUri,
    lang: Lang,
) -> Result<Response, ApiError> {
    chat(&st, &site, "webchat_v2", &uri, lang).await
}

async fn chat_v1(
    State(st): State<AppState>,
    Path(site): Path<String>,
    OriginalUri(uri): OriginalUri,
    lang: Lang,
) -> Result<Response, ApiError> {
    chat(&st, &site, "webchat_v1", &uri, lang).await
}

async fn chat(
    st: &AppState,
    site: &str,
    channel: &'static str,
    uri: &axum::http::Uri,
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
    Ok(page(
        &ChatPage {
            lang,
            site_id: site.id.get(),
            site_name: site.name,
            channel,
            href_ko: with_lang(uri, Lang::Ko),
            href_en: with_lang(uri, Lang::En),
        },
        lang,
    )?
    .into_response())
}

async fn find_site(st: &AppState, raw: &str) -> Result<SiteRecord, ApiError> {
    Ok(st.store.site(parse_site(raw)?).await?)
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

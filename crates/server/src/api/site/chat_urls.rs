//! Where the server is reached, and the chat URLs and button snippet a site publishes.

use axum::http::HeaderMap;
use axum::http::header::HOST;
use inflow::{Channel, SnippetComments, SnippetOptions, chat_button_snippet};
use serde::Serialize;
use store::{ChannelUrls, SiteRecord};
use utoipa::ToSchema;

// Where the server is reached: the base of web chat URLs and of the widget script.

/// `scheme://host[:port]` as the browser reached this server: the Host header (checked to be a
/// plain host, so nothing can be injected into the URLs built from it) and `X-Forwarded-Proto`
/// from a TLS-terminating proxy.
pub fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b))
        })
        .unwrap_or("localhost");
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|p| p == "https" || p == "http")
        .unwrap_or_else(|| "http".to_owned());
    format!("{proto}://{host}")
}

// Chat URLs and the button snippet.

/// One channel's chat URL as the site should publish it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChatUrl {
    pub channel: Channel,
    /// The channel's base URL (`None`: the site has not set its Kakao or Naver URL yet).
    pub base: Option<String>,
    /// The base with every enabled custom parameter appended as a placeholder.
    pub url: Option<String>,
    /// Why there is no URL.
    pub problem: Option<String>,
}

/// Every channel's chat URL, in [`Channel::ALL`] order.
pub fn chat_urls_for(site: &SiteRecord, urls: &ChannelUrls, origin: &str) -> Vec<ChatUrl> {
    let params = inflow::placeholder_params(&site.settings, &[]);
    Channel::ALL
        .iter()
        .map(|&channel| {
            let base = match channel {
                Channel::Kakao => urls.kakao.clone(),
                Channel::Naver => urls.naver.clone(),
                Channel::WebchatV2 => Some(format!("{origin}/chat/{}", site.id)),
                Channel::WebchatV1 => Some(format!("{origin}/chat/{}/v1?is_login=N&uid=", site.id)),
            };
            let (url, problem) = match &base {
                None => (
                    None,
                    Some("the base chat URL of this channel is not set".to_owned()),
                ),
                Some(b) => match inflow::build(channel, b, &params, &site.settings) {
                    Ok(u) => (Some(u), None),
                    Err(e) => (None, Some(e.to_string())),
                },
            };
            ChatUrl {
                channel,
                base,
                url,
                problem,
            }
        })
        .collect()
}

/// The web chat v2 button source, loading the widget from this server.
pub fn snippet_for(site: &SiteRecord, origin: &str, lang: i18n::Lang) -> String {
    let words = snippet_words(lang);
    chat_button_snippet(&SnippetOptions {
        site_id: &site.id.to_string(),
        script_url: &format!("{origin}/assets/widget.js"),
        settings: &site.settings,
        fixed: &[],
        comments: words.comments(),
    })
}

/// The snippet's comments in `lang` (owned; [`SnippetWords::comments`] lends them).
#[derive(Debug, Clone)]
pub struct SnippetWords([String; 4]);

impl SnippetWords {
    pub fn comments(&self) -> SnippetComments<'_> {
        SnippetComments {
            heading: &self.0[0],
            fixed: &self.0[1],
            do_not_edit: &self.0[2],
            optional: &self.0[3],
        }
    }
}

/// The snippet's comments from the catalogue (`snippet-comment-…`), for the admin page, the API
/// and `sangdam url snippet`.
pub fn snippet_words(lang: i18n::Lang) -> SnippetWords {
    SnippetWords(
        [
            "snippet-comment-heading",
            "snippet-comment-fixed",
            "snippet-comment-do-not-edit",
            "snippet-comment-optional",
        ]
        .map(|key| i18n::t(lang, key)),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use axum::http::HeaderValue;
    use axum::http::header::HOST;
    use inflow::Settings;

    use super::*;

    #[test]
    fn origin_comes_from_a_plain_host_only() {
        let mut h = HeaderMap::new();
        assert_eq!(origin(&h), "http://localhost");
        h.insert(HOST, HeaderValue::from_static("chat.example.com:8080"));
        assert_eq!(origin(&h), "http://chat.example.com:8080");
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(origin(&h), "https://chat.example.com:8080");
        h.insert(HOST, HeaderValue::from_static("evil.com/\"><script>"));
        assert_eq!(origin(&h), "https://localhost");
    }

    #[test]
    fn chat_urls_carry_enabled_slots_as_placeholders() {
        let mut settings = Settings::default();
        settings.slots[2].enabled = true;
        settings.slots[2].description = "캠페인".into();
        let site = SiteRecord {
            id: sangdam_core::SiteId::new(7),
            name: "s".into(),
            secret: "k".into(),
            settings,
            require_verified_uid: false,
            info_url_template: None,
            frame_origins: Vec::new(),
            title_template: None,
            created_at: 0,
        };
        let urls = ChannelUrls {
            kakao: Some("https://pf.kakao.com/_abc/chat".into()),
            naver: None,
        };
        let chat = chat_urls_for(&site, &urls, "http://h");
        let by = |c: Channel| chat.iter().find(|u| u.channel == c).unwrap();
        assert_eq!(
            by(Channel::Kakao).url.as_deref(),
            Some("https://pf.kakao.com/_abc/chat?parameter3={캠페인}")
        );
        assert_eq!(
            by(Channel::WebchatV2).url.as_deref(),
            Some("http://h/chat/7?params=parameter3=('{캠페인}')")
        );
        assert_eq!(
            by(Channel::WebchatV1).url.as_deref(),
            Some("http://h/chat/7/v1?is_login=N&uid=&parameter3={캠페인}")
        );
        assert!(by(Channel::Naver).url.is_none());
        let snippet = snippet_for(&site, "http://h", i18n::Lang::Ko);
        assert!(
            snippet.starts_with("<!-- 상담 채팅 버튼 (웹채팅 v2) -->"),
            "{snippet}"
        );
        assert!(
            snippet.contains("// 쓰려는 파라미터 줄 앞의 // 를 지우고 값을 넣으세요."),
            "{snippet}"
        );
        let english = snippet_for(&site, "http://h", i18n::Lang::En);
        assert!(english.starts_with("<!-- Sangdam chat button (web chat v2) -->"));
        assert!(
            snippet.contains("// parameter3: '', // 캠페인"),
            "{snippet}"
        );
        assert!(snippet.contains("http://h/assets/widget.js"));
    }
}

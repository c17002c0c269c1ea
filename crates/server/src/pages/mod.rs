//! Server-rendered pages (askama templates, checked at compile time) and the static assets
//! they use (embedded in the binary: nothing to install to run Sangdam).
//!
//! Korean is the primary language; every label also exists in English. The language comes from
//! `?lang=ko|en`, then the `sangdam_lang` cookie (set when `?lang=` is used), then the
//! browser's `Accept-Language`, then Korean.

pub mod accounts;
pub mod admin;
pub mod chat;
pub mod console;

use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::http::header::{ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use rust_embed::Embed;

use crate::error::ApiError;
use crate::state::AppState;

/// Files under `crates/server/assets/`, served at `/assets/…`.
#[derive(Embed)]
#[folder = "assets/"]
struct Assets;

/// Every page's routes. Each page module adds its own `routes()` here.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/{*path}", get(asset))
        .merge(accounts::routes())
        .merge(admin::routes())
        .merge(chat::routes())
        .merge(console::routes())
}

async fn asset(Path(path): Path<String>) -> Response {
    match Assets::get(&path) {
        Some(file) => {
            let mime = mime_guess::from_path(&path).first_or_octet_stream();
            let mut res = file.data.into_owned().into_response();
            if let Ok(v) = HeaderValue::from_str(mime.as_ref()) {
                res.headers_mut().insert(CONTENT_TYPE, v);
            }
            res.headers_mut()
                .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            res
        }
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

/// The page language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    pub fn code(&self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    /// The Korean or the English text.
    pub fn pick<'a>(&self, ko: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ko => ko,
            Lang::En => en,
        }
    }

    fn parse(s: &str) -> Option<Lang> {
        match s.trim().get(..2)?.to_ascii_lowercase().as_str() {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The cookie that keeps a chosen language.
    pub fn cookie(&self) -> String {
        format!(
            "sangdam_lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
            self.code()
        )
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == "lang")
                .and_then(|(_, v)| Lang::parse(v))
        });
        let from_cookie =
            || crate::auth::cookie_value(&parts.headers, "sangdam_lang").and_then(Lang::parse);
        let from_header = || {
            parts
                .headers
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').find_map(Lang::parse))
        };
        Ok(from_query
            .or_else(from_cookie)
            .or_else(from_header)
            .unwrap_or(Lang::Ko))
    }
}

/// Renders a template into a page (and keeps a language chosen with `?lang=`).
pub fn page(t: &impl askama::Template, lang: Lang) -> Result<Response, ApiError> {
    let html = t
        .render()
        .map_err(|e| ApiError::Internal(format!("rendering a page: {e}")))?;
    let mut res = Html(html).into_response();
    if let Ok(v) = HeaderValue::from_str(&lang.cookie()) {
        res.headers_mut().insert(axum::http::header::SET_COOKIE, v);
    }
    Ok(res)
}

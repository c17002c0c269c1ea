//! Server-rendered pages (askama templates, checked at compile time) and the static assets
//! they use (embedded in the binary: nothing to install to run Sangdam).
//!
//! Every word comes from the catalogue (`crates/i18n`, `locales/<language>/*.ftl`): templates
//! call `t("key")` through [`PageText`], scripts get the texts they need as JSON in the page
//! ([`script_texts`]) and read them with `assets/lib/i18n.js`. Korean is the default language;
//! [`PageLang`] says which one a request asks for.

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod bot;
pub mod business;
pub mod chat;
pub mod console;
pub mod dashboard;
pub mod hours;
pub mod operator;
pub mod reports;
pub mod sessions;
pub mod wallet;

use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::http::header::{ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use rust_embed::Embed;
use serde_json::{Map, Value};

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
        .route("/favicon.ico", get(favicon))
        .merge(accounts::routes())
        .merge(admin::routes())
        .merge(audit::routes())
        .merge(bot::routes())
        .merge(business::routes())
        .merge(chat::routes())
        .merge(console::routes())
        .merge(dashboard::routes())
        .merge(hours::routes())
        .merge(operator::routes())
        .merge(reports::routes())
        .merge(sessions::routes())
        .merge(wallet::routes())
}

/// Browsers ask every site for `/favicon.ico`; ours is the SVG every page links to.
async fn favicon() -> axum::response::Redirect {
    axum::response::Redirect::permanent("/assets/favicon.svg")
}

async fn asset(Path(path): Path<String>) -> Response {
    match Assets::get(&path) {
        Some(file) => {
            let mime = mime_guess::from_path(&path).first_or_octet_stream();
            let body = if path == "widget.js" {
                widget_with_texts(&file.data).into_bytes()
            } else {
                file.data.into_owned()
            };
            let mut res = body.into_response();
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

/// Where `assets/widget.js` takes its texts: replaced, when served, by every language's
/// `widget-` texts (the script runs on other sites' pages and picks the language of the page).
const WIDGET_TEXTS: &str = "/* texts */ {}";

fn widget_with_texts(source: &[u8]) -> String {
    let texts: Map<String, Value> = Lang::ALL
        .into_iter()
        .map(|l| {
            let texts = i18n::export(l, &["widget-"], &[]);
            (l.code().to_owned(), Value::Object(texts))
        })
        .collect();
    String::from_utf8_lossy(source).replacen(WIDGET_TEXTS, &script_json(&Value::Object(texts)), 1)
}

pub use i18n::{Arg, Lang};

/// The language a page request asks for: `?lang=`, then the `sangdam_lang` cookie (set when
/// `?lang=` is used), then the browser's `Accept-Language`, then the default (Korean).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
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
        Ok(PageLang(
            from_query
                .or_else(from_cookie)
                .or_else(from_header)
                .unwrap_or(Lang::DEFAULT),
        ))
    }
}

/// The cookie that keeps a chosen language.
pub fn lang_cookie(lang: Lang) -> String {
    format!(
        "sangdam_lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    )
}

/// One entry of the language switch.
#[derive(Debug, Clone)]
pub struct LangLink {
    pub code: &'static str,
    /// The language's name in itself (`한국어`, `English`).
    pub name: String,
    pub href: String,
    pub current: bool,
}

/// What page templates call for their words, in the page's language: `{{ t("console-title") }}`,
/// `{{ t1("admin-crumb", "site", site_name.as_str()) }}`, `{{ t2(key, "a", a, "b", b) }}`. A
/// page struct implements it with [`page_text!`] (or by hand, to change where the language
/// switch leads).
pub trait PageText {
    /// The page's language.
    fn lang(&self) -> Lang;

    /// The text of `key`.
    fn t(&self, key: &str) -> String {
        i18n::t(self.lang(), key)
    }

    /// The text of `key` with one argument.
    fn t1<'a>(&self, key: &str, name: &str, value: impl Into<Arg<'a>>) -> String {
        i18n::t_args(self.lang(), key, &[(name, value.into())])
    }

    /// The text of `key` with two arguments.
    fn t2<'a, 'b>(
        &self,
        key: &str,
        name_a: &str,
        a: impl Into<Arg<'a>>,
        name_b: &str,
        b: impl Into<Arg<'b>>,
    ) -> String {
        i18n::t_args(self.lang(), key, &[(name_a, a.into()), (name_b, b.into())])
    }

    /// Where the language switch leads for `lang`: this page in that language.
    fn lang_href(&self, lang: Lang) -> String {
        format!("?lang={}", lang.code())
    }

    /// The language switch: every language of the catalogue, by its own name.
    fn lang_links(&self) -> Vec<LangLink> {
        Lang::ALL
            .into_iter()
            .map(|l| LangLink {
                code: l.code(),
                name: i18n::t(l, "language-name"),
                href: self.lang_href(l),
                current: l == self.lang(),
            })
            .collect()
    }
}

/// Implements [`PageText`] for page structs with a `lang` field.
macro_rules! page_text {
    ($($page:ty),+ $(,)?) => {$(
        impl $crate::pages::PageText for $page {
            fn lang(&self) -> $crate::pages::Lang {
                self.lang
            }
        }
    )+};
}
pub(crate) use page_text;

/// The texts a page's script needs (`assets/lib/i18n.js` reads them), as JSON to put inside
/// `<script type="application/json" id="texts">`: every message starting with one of
/// `prefixes` in `lang`, with `args` filled (limits the server knows) and the other arguments
/// left for the script. Every page's script also gets the API error texts (`error-<code>`).
pub fn script_texts(lang: Lang, prefixes: &[&str], args: &[(&str, Arg<'_>)]) -> String {
    let mut all = prefixes.to_vec();
    all.push("error-");
    script_json(&Value::Object(i18n::export(lang, &all, args)))
}

/// JSON that cannot end the `<script>` element it is written into.
pub fn script_json(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Renders a template into a page (and keeps a language chosen with `?lang=`).
pub fn page(t: &impl askama::Template, lang: Lang) -> Result<Response, ApiError> {
    let html = t
        .render()
        .map_err(|e| ApiError::Internal(format!("rendering a page: {e}")))?;
    let mut res = Html(html).into_response();
    if let Ok(v) = HeaderValue::from_str(&lang_cookie(lang)) {
        res.headers_mut().insert(axum::http::header::SET_COOKIE, v);
    }
    Ok(res)
}

#[cfg(test)]
mod tests;

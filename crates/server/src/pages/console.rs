//! The agent console: `/login` (a plain form, no JavaScript needed) and `/console` (tabs of
//! consultations, the room view and the customer panel, driven by `assets/console.js` over the
//! JSON API and the console WebSocket).

use askama::Template;
use axum::extract::Query;
use axum::extract::rejection::FormRejection;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Form, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::api::{LoginRequest, login};
use crate::auth::AuthAgent;
use crate::error::{ApiError, ErrorCode};
use crate::pages::accounts::role_key;
use crate::pages::{Lang, PageLang, PageText, page, page_text, script_texts};
use crate::state::AppState;
use crate::webchat::MAX_MESSAGE_CHARS;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/console") }))
        .route("/login", get(login_page).post(login_submit))
        .route("/console", get(console_page))
}

#[derive(Template)]
#[template(path = "login.html")]
pub(crate) struct LoginPage {
    pub(crate) lang: Lang,
    pub(crate) login: String,
    /// The key of the sentence that says why the login was refused.
    pub(crate) error: Option<&'static str>,
    /// For a refusal after too many failures: the seconds to wait (the sentence's `seconds`).
    pub(crate) wait_seconds: Option<String>,
    /// Where to go after logging in (a path of this server).
    pub(crate) next: String,
}

page_text!(LoginPage, ConsolePage);

/// `next` when it is a path of this server (never another site: no `//host`, no scheme), else
/// the console.
fn local_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/') && !n.starts_with("//") && !n.contains(['\\', '\r', '\n']) =>
        {
            n.to_owned()
        }
        _ => "/console".to_owned(),
    }
}

#[derive(Debug, Default, Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: Option<String>,
}

/// Whether the request carries a valid login; `Err` only for a failure that is not "no login".
fn logged_in(agent: Result<AuthAgent, ApiError>) -> Result<Option<AuthAgent>, ApiError> {
    match agent {
        Ok(a) => Ok(Some(a)),
        Err(ApiError::Unauthorized) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `GET /login`: the login form, or straight to the console when already logged in.
async fn login_page(
    PageLang(lang): PageLang,
    Query(q): Query<NextQuery>,
    agent: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let next = local_next(q.next.as_deref());
    if logged_in(agent)?.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    page(
        &LoginPage {
            lang,
            login: String::new(),
            error: None,
            wait_seconds: None,
            next,
        },
        lang,
    )
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// `POST /login`: logs in through the API's own handler (same checks, same session cookie),
/// then goes to the console; a refusal shows the form again with the reason in words.
async fn login_submit(
    State(st): State<AppState>,
    connect: ConnectInfo<SocketAddr>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let next = form
        .as_ref()
        .ok()
        .map(|Form(f)| local_next(f.next.as_deref()))
        .unwrap_or_else(|| local_next(None));
    let again_waiting =
        |login: String, error: &'static str, status: StatusCode, wait_seconds: Option<String>| {
            page(
                &LoginPage {
                    lang,
                    login,
                    error: Some(error),
                    wait_seconds,
                    next: next.clone(),
                },
                lang,
            )
            .map(|mut res| {
                *res.status_mut() = status;
                res
            })
        };
    let again = |login: String, error: &'static str, status: StatusCode| {
        again_waiting(login, error, status, None)
    };
    let Ok(Form(form)) = form else {
        return again(
            String::new(),
            "login-error-unreadable",
            StatusCode::BAD_REQUEST,
        );
    };
    let typed_login: String = form.login.trim().chars().take(200).collect();
    if form.login.trim().is_empty() || form.password.is_empty() {
        return again(
            typed_login,
            "login-error-empty",
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let request = LoginRequest {
        login: form.login,
        password: form.password,
    };
    match login(State(st), connect, headers, Ok(Json(request))).await {
        Ok(api) => {
            let mut res = StatusCode::SEE_OTHER.into_response();
            let location =
                HeaderValue::from_str(&next).unwrap_or(HeaderValue::from_static("/console"));
            res.headers_mut().insert(LOCATION, location);
            for cookie in api.headers().get_all(SET_COOKIE) {
                res.headers_mut().append(SET_COOKIE, cookie.clone());
            }
            Ok(res)
        }
        Err(ApiError::Invalid { .. } | ApiError::Unauthorized) => {
            again(typed_login, "login-error-wrong", StatusCode::UNAUTHORIZED)
        }
        Err(ApiError::Denied {
            code: ErrorCode::AccountDeactivated,
            ..
        }) => again(
            typed_login,
            "login-error-deactivated",
            StatusCode::FORBIDDEN,
        ),
        Err(ApiError::RetryLater {
            retry_after_secs, ..
        }) => again_waiting(
            typed_login,
            "login-error-throttled",
            StatusCode::TOO_MANY_REQUESTS,
            Some(retry_after_secs.to_string()),
        ),
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "console.html")]
pub(crate) struct ConsolePage {
    pub(crate) lang: Lang,
    pub(crate) agent_name: String,
    /// The key of the agent's role's name.
    pub(crate) role: &'static str,
    pub(crate) site_name: String,
    pub(crate) sees_all: bool,
    pub(crate) is_admin: bool,
    /// What the script needs to know: who is logged in, the slot labels (JSON).
    pub(crate) config: String,
    /// The texts the script shows (JSON).
    pub(crate) texts: String,
    /// The longest reply the server takes.
    pub(crate) max_message: usize,
    /// The longest ID a room may be linked to.
    pub(crate) max_site_uid: usize,
    /// The longest note a transfer or send-back keeps.
    pub(crate) max_note: usize,
    /// The longest shortcut, title and text of a canned reply.
    pub(crate) max_canned: CannedLimits,
    /// The presences an agent chooses from.
    pub(crate) presences: Vec<Named>,
    /// The channels the queue is filtered by.
    pub(crate) channels: Vec<Named>,
}

/// What a canned reply's fields take, as the API checks it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CannedLimits {
    pub(crate) shortcut: usize,
    pub(crate) title: usize,
    pub(crate) body: usize,
}

impl Default for CannedLimits {
    fn default() -> Self {
        use sangdam_core::canned::{MAX_BODY_CHARS, MAX_SHORTCUT_CHARS, MAX_TITLE_CHARS};
        CannedLimits {
            shortcut: MAX_SHORTCUT_CHARS,
            title: MAX_TITLE_CHARS,
            body: MAX_BODY_CHARS,
        }
    }
}

/// A value as the API names it, and the key of its name.
#[derive(Debug)]
pub(crate) struct Named {
    pub(crate) value: &'static str,
    pub(crate) key: String,
}

impl Named {
    fn new(value: &'static str, prefix: &str) -> Self {
        Named {
            value,
            key: format!("{prefix}{value}"),
        }
    }
}

impl ConsolePage {
    pub(crate) fn presences() -> Vec<Named> {
        sangdam_core::Presence::ALL
            .into_iter()
            .map(|p| Named::new(p.as_str(), "console-presence-"))
            .collect()
    }

    pub(crate) fn channels() -> Vec<Named> {
        inflow::Channel::ALL
            .into_iter()
            .map(|c| Named::new(c.as_str(), "console-channel-"))
            .collect()
    }

    /// The texts `assets/console*.js` show.
    pub(crate) fn texts(lang: Lang) -> String {
        script_texts(
            lang,
            SCRIPT_TEXTS,
            &[("max-note", sangdam_core::MAX_TRANSFER_NOTE_CHARS.into())],
        )
    }
}

/// What `assets/console.js` and its modules (`console-*.js`) say: the console's own texts.
pub(crate) const SCRIPT_TEXTS: &[&str] = &["console-"];

/// `GET /console`: the console for a logged-in agent, else the login form.
async fn console_page(
    State(st): State<AppState>,
    PageLang(lang): PageLang,
    agent: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let Some(AuthAgent(agent)) = logged_in(agent)? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let site = st.app.store.site(agent.site_id).await?;
    let slot_labels: Map<String, Value> = inflow::Slot::all()
        .map(|s| (s.name().to_owned(), json!(site.settings.label(s))))
        .collect();
    let sees_all = agent.role.sees_all();
    let config = json!({
        "me": {"id": agent.id, "role": agent.role, "display_name": agent.display_name},
        "sees_all": sees_all,
        "slot_labels": slot_labels,
    });
    page(
        &ConsolePage {
            lang,
            agent_name: agent.display_name.clone(),
            role: role_key(agent.role),
            site_name: site.name,
            sees_all,
            is_admin: agent.role == store::Role::Admin,
            config: config.to_string(),
            texts: ConsolePage::texts(lang),
            max_message: MAX_MESSAGE_CHARS,
            max_site_uid: inflow::Field::SiteUid.max_chars().unwrap_or_default(),
            max_note: sangdam_core::MAX_TRANSFER_NOTE_CHARS,
            max_canned: CannedLimits::default(),
            presences: ConsolePage::presences(),
            channels: ConsolePage::channels(),
        },
        lang,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_is_only_a_local_path() {
        assert_eq!(
            super::local_next(Some("/admin/parameters")),
            "/admin/parameters"
        );
        assert_eq!(
            super::local_next(Some("/console?lang=en")),
            "/console?lang=en"
        );
        for outside in [
            "//evil.example/x",
            "https://evil.example/",
            "admin",
            "/\\evil",
            "",
        ] {
            assert_eq!(super::local_next(Some(outside)), "/console", "{outside:?}");
        }
        assert_eq!(super::local_next(None), "/console");
    }
}

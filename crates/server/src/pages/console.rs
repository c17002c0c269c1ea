//! The agent console: `/login` (a plain form, no JavaScript needed) and `/console` (tabs of
//! consultations, the room view and the customer panel, driven by `assets/console.js` over the
//! JSON API and the console WebSocket).

use askama::Template;
use axum::extract::Query;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::api::{LoginRequest, login};
use crate::auth::AuthAgent;
use crate::error::ApiError;
use crate::pages::{Lang, page};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/console") }))
        .route("/login", get(login_page).post(login_submit))
        .route("/console", get(console_page))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    lang: Lang,
    login: String,
    error: Option<&'static str>,
    /// Where to go after logging in (a path of this server).
    next: String,
}

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
    lang: Lang,
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
    lang: Lang,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let next = form
        .as_ref()
        .ok()
        .map(|Form(f)| local_next(f.next.as_deref()))
        .unwrap_or_else(|| local_next(None));
    let again = |login: String, error: &'static str, status: StatusCode| {
        page(
            &LoginPage {
                lang,
                login,
                error: Some(error),
                next: next.clone(),
            },
            lang,
        )
        .map(|mut res| {
            *res.status_mut() = status;
            res
        })
    };
    let Ok(Form(form)) = form else {
        return again(
            String::new(),
            lang.pick(
                "로그인 정보를 읽을 수 없습니다. 다시 입력해 주세요.",
                "The login form could not be read. Please try again.",
            ),
            StatusCode::BAD_REQUEST,
        );
    };
    let typed_login: String = form.login.trim().chars().take(200).collect();
    if form.login.trim().is_empty() || form.password.is_empty() {
        return again(
            typed_login,
            lang.pick(
                "아이디와 비밀번호를 모두 입력해 주세요.",
                "Enter both your login and your password.",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let request = LoginRequest {
        login: form.login,
        password: form.password,
    };
    match login(State(st), Ok(Json(request))).await {
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
        Err(ApiError::Invalid { .. } | ApiError::Unauthorized) => again(
            typed_login,
            lang.pick(
                "아이디 또는 비밀번호가 틀렸습니다.",
                "The login or the password is wrong.",
            ),
            StatusCode::UNAUTHORIZED,
        ),
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "console.html")]
struct ConsolePage {
    lang: Lang,
    agent_name: String,
    role_label: &'static str,
    site_name: String,
    sees_all: bool,
    is_admin: bool,
    /// What the script needs: who is logged in, the slot labels, every text it shows.
    config: String,
}

/// `GET /console`: the console for a logged-in agent, else the login form.
async fn console_page(
    State(st): State<AppState>,
    lang: Lang,
    agent: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let Some(AuthAgent(agent)) = logged_in(agent)? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let site = st.store.site(agent.site_id).await?;
    let slot_labels: Map<String, Value> = inflow::Slot::all()
        .map(|s| (s.name().to_owned(), json!(site.settings.label(s))))
        .collect();
    let sees_all = agent.role.sees_all();
    let config = json!({
        "lang": lang.code(),
        "me": {"id": agent.id, "role": agent.role, "display_name": agent.display_name},
        "sees_all": sees_all,
        "slot_labels": slot_labels,
        "t": texts(lang),
    });
    let role_label = crate::pages::accounts::role_label(agent.role, lang);
    page(
        &ConsolePage {
            lang,
            agent_name: agent.display_name.clone(),
            role_label,
            site_name: site.name,
            sees_all,
            is_admin: agent.role == store::Role::Admin,
            config: config.to_string(),
        },
        lang,
    )
}

/// Every text the console script shows, in the page's language: (key, Korean, English).
const TEXTS: &[(&str, &str, &str)] = &[
    // States, channels, senders.
    ("state_bot_waiting", "챗봇 대기", "Waiting for the chatbot"),
    ("state_bot", "챗봇 응답 중", "With the chatbot"),
    ("state_waiting", "대기", "Waiting"),
    ("state_in_progress", "진행 중", "In progress"),
    ("state_closed", "종료", "Closed"),
    ("state_deleted", "삭제됨", "Deleted"),
    ("state_bot_closed", "챗봇 종료", "Closed by the chatbot"),
    ("channel_webchat_v1", "웹채팅 v1", "Web chat v1"),
    ("channel_webchat_v2", "웹채팅 v2", "Web chat v2"),
    ("channel_kakao", "카카오톡", "KakaoTalk"),
    ("channel_naver", "네이버 톡톡", "Naver TalkTalk"),
    ("sender_customer", "고객", "Customer"),
    ("sender_agent", "상담원", "Agent"),
    ("sender_bot", "챗봇", "Chatbot"),
    ("sender_system", "시스템", "System"),
    // Lists and connection.
    ("anonymous", "이름 없는 고객", "Unnamed customer"),
    (
        "empty_waiting",
        "대기 중인 상담이 없습니다.",
        "No consultation is waiting.",
    ),
    (
        "empty_mine",
        "진행 중인 내 상담이 없습니다.",
        "You have no consultation in progress.",
    ),
    (
        "empty_all",
        "진행 중인 상담이 없습니다.",
        "No consultation is in progress.",
    ),
    (
        "empty_closed",
        "오늘 종료된 상담이 없습니다.",
        "No consultation was closed today.",
    ),
    (
        "new_waiting",
        "새 상담이 대기열에 들어왔습니다",
        "A new consultation is waiting",
    ),
    ("unread", "새 메시지", "new message"),
    ("live", "실시간 연결됨", "Live"),
    (
        "reconnecting",
        "연결이 끊겼습니다. 다시 연결하는 중…",
        "Disconnected. Reconnecting…",
    ),
    ("load_failed", "불러오지 못했습니다", "Could not load"),
    (
        "session_over",
        "로그인이 만료되었습니다. 다시 로그인해 주세요.",
        "Your login has expired. Please log in again.",
    ),
    // Room.
    ("consultation", "상담", "Consultation"),
    ("taken_by_me", "담당: 나", "assigned to you"),
    (
        "taken_by_other",
        "담당: 다른 상담원",
        "assigned to another agent",
    ),
    (
        "already_taken",
        "이미 다른 상담원이 가져갔습니다 (already taken).",
        "Another agent has already taken it (이미 다른 상담원이 가져갔습니다).",
    ),
    ("took", "상담을 가져왔습니다.", "You took the consultation."),
    (
        "closed_ok",
        "상담을 종료했습니다.",
        "The consultation is closed.",
    ),
    (
        "reply_closed",
        "종료된 상담에는 답장할 수 없습니다.",
        "A closed consultation cannot be answered.",
    ),
    (
        "reply_take_first",
        "답장하려면 먼저 상담을 가져오세요.",
        "Take the consultation to reply.",
    ),
    (
        "reply_empty",
        "보낼 내용을 입력해 주세요.",
        "Type a message first.",
    ),
    ("send_failed", "보내지 못했습니다", "Not sent"),
    ("action_failed", "처리하지 못했습니다", "That did not work"),
    ("no_messages", "아직 메시지가 없습니다.", "No messages yet."),
    // Customer panel.
    ("verified", "✓ 인증됨", "✓ Verified"),
    ("unverified", "미인증", "Unverified"),
    ("none", "없음", "none"),
    (
        "phone_saved",
        "전화번호를 저장했습니다.",
        "Phone number saved.",
    ),
    (
        "phone_failed",
        "전화번호를 저장하지 못했습니다",
        "The phone number was not saved",
    ),
    (
        "mobile_read_only",
        "읽기 전용: 인증으로만 바뀝니다",
        "Read-only: only a verification changes it",
    ),
    ("method_sms", "SMS 인증", "SMS verification"),
    (
        "method_kakao_sync",
        "카카오싱크 인증",
        "Kakao Sync verification",
    ),
    ("method_other", "기타 인증", "Other verification"),
    ("from_profile", "프로필", "profile"),
    ("user_parameter", "사용자 파라미터", "User parameter"),
    ("category_id", "카테고리 ID", "Category ID"),
    ("division_id", "디비전 ID", "Division ID"),
    ("no_extra", "추가 정보가 없습니다.", "No extra information."),
    ("no_history", "이력이 없습니다.", "No history."),
    ("no_warnings", "경고가 없습니다.", "No warnings."),
    ("current", "현재", "current"),
    ("history_title", "상담 내역", "Consultation"),
    // Inflow warning codes (crates/inflow's WarningCode).
    ("warn_truncated", "잘림", "cut to its limit"),
    (
        "warn_too_long",
        "너무 김 (저장 안 됨)",
        "too long (not stored)",
    ),
    (
        "warn_invalid",
        "형식 오류 (저장 안 됨)",
        "invalid (not stored)",
    ),
    ("warn_read_only", "읽기 전용", "read-only"),
    ("warn_not_enabled", "사용하지 않는 슬롯", "slot not enabled"),
    (
        "warn_duplicate",
        "중복 (마지막 값 사용)",
        "duplicate (last value used)",
    ),
    (
        "warn_legacy_encoding",
        "옛 인코딩 (CP949)",
        "legacy encoding (CP949)",
    ),
    (
        "warn_mangled_separator",
        "깨진 구분자 (복구됨)",
        "mangled separator (repaired)",
    ),
    (
        "warn_placeholder",
        "채워지지 않은 자리표시자",
        "unfilled placeholder",
    ),
    ("warn_sentinel", "빈 값으로 처리", "treated as absent"),
    ("warn_ignored", "무시됨", "ignored"),
    (
        "warn_misspelled",
        "오타 (해석함)",
        "misspelled (understood)",
    ),
    ("warn_unverified", "인증되지 않은 ID", "unverified ID"),
    // Correcting an ID, the journal.
    ("name", "이름", "Name"),
    ("phone", "전화번호", "Phone"),
    ("confirm_link", "연결 확인:", "Confirm the link to"),
    (
        "preview_into",
        "이 방은 다음 프로필에 연결됩니다:",
        "This room will be linked to this profile:",
    ),
    (
        "new_profile",
        "새 프로필 (이 ID를 가진 프로필이 아직 없습니다)",
        "New profile (no profile has this ID yet)",
    ),
    (
        "merges",
        "두 프로필의 상담 이력이 합쳐집니다.",
        "The two profiles' histories will be merged.",
    ),
    (
        "same_profile",
        "이미 이 프로필에 연결되어 있습니다.",
        "The room is already linked to this profile.",
    ),
    (
        "preview_first",
        "먼저 미리보기로 확인해 주세요.",
        "Preview it first.",
    ),
    ("linked", "ID를 연결했습니다.", "The ID is linked."),
    (
        "link_failed",
        "ID를 연결하지 못했습니다",
        "The ID was not linked",
    ),
    ("undone", "되돌렸습니다.", "Undone."),
    ("undone_at", "되돌림", "undone"),
    ("undo", "되돌리기", "Undo"),
    ("no_journal", "연결 기록이 없습니다.", "No link yet."),
    ("by_me", "나", "me"),
    ("by_agent", "상담원", "agent"),
    ("by_inflow", "유입", "inflow"),
    ("reason_agent", "상담원이 설정", "set by an agent"),
    (
        "reason_inflow",
        "유입에 이 ID가 있었음",
        "the inflow carried this ID",
    ),
];

fn texts(lang: Lang) -> Map<String, Value> {
    TEXTS
        .iter()
        .map(|(key, ko, en)| ((*key).to_owned(), json!(lang.pick(ko, en))))
        .collect()
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

    use super::*;

    #[test]
    fn every_text_exists_in_both_languages_once() {
        let mut keys: Vec<&str> = TEXTS.iter().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "a text key appears twice");
        for (key, ko, en) in TEXTS {
            assert!(!ko.trim().is_empty() && !en.trim().is_empty(), "{key}");
        }
    }
}

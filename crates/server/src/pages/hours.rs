//! Admin: business hours, auto-close and automatic messages (`/admin/hours`, R3.4, R3.5). The
//! page is the frame and its words; `assets/hours.js` reads the hours, the auto-close rules and
//! the messages through the API ([`crate::api::hours`], [`crate::api::auto_close`]), draws the
//! editors, saves them, imports an iCalendar file and shows what it did, and puts each refusal
//! beside its field.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use sangdam_core::auto_message::MAX_AUTO_MESSAGE_CHARS;
use sangdam_core::hours::{MAX_HOLIDAY_NAME_CHARS, MAX_ICS_BYTES, MAX_RANGES};

use crate::auth::AuthAgent;
use crate::error::ApiError;
use crate::pages::admin::admin_page_access;
use crate::pages::{Lang, PageLang, PageText, page, page_text, script_texts};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/hours", get(hours_page))
}

/// The zones the time-zone field suggests (any IANA name is accepted).
pub const SUGGESTED_ZONES: &[&str] = &[
    "Asia/Seoul",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Asia/Ho_Chi_Minh",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
];

/// One kind of day, as the form shows it.
#[derive(Debug)]
pub struct DayRow {
    /// The field of the hours (`weekdays`, `saturday`, `sunday`).
    pub key: &'static str,
    /// The key of its name.
    pub label: &'static str,
}

pub const DAYS: [DayRow; 3] = [
    DayRow {
        key: "weekdays",
        label: "hours-day-weekdays",
    },
    DayRow {
        key: "saturday",
        label: "hours-day-saturday",
    },
    DayRow {
        key: "sunday",
        label: "hours-day-sunday",
    },
];

/// One auto-close rule (or the warning), as the form shows it.
#[derive(Debug)]
pub struct CloseRule {
    /// What the script calls it (`customer`, `agent`, `warning`).
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
}

pub const CLOSE_RULES: [CloseRule; 3] = [
    CloseRule {
        key: "customer",
        label: "hours-close-customer",
        help: "hours-close-customer-help",
    },
    CloseRule {
        key: "agent",
        label: "hours-close-agent",
        help: "hours-close-agent-help",
    },
    CloseRule {
        key: "warning",
        label: "hours-close-warning",
        help: "hours-close-warning-help",
    },
];

#[derive(Debug, Template)]
#[template(path = "admin_hours.html")]
pub struct HoursPage {
    pub lang: Lang,
    pub site_name: String,
    pub days: &'static [DayRow],
    pub zones: &'static [&'static str],
    pub max_holiday_name: usize,
    /// The longest auto-close wait, in minutes.
    pub max_idle_minutes: u32,
    pub close_rules: &'static [CloseRule],
    /// The texts the script shows (JSON).
    pub texts: String,
}

page_text!(HoursPage);

/// What `assets/hours.js` says.
pub(crate) const SCRIPT_TEXTS: &[&str] = &["hours-"];

pub(crate) fn texts(lang: Lang) -> String {
    script_texts(
        lang,
        SCRIPT_TEXTS,
        &[
            ("max-ranges", MAX_RANGES.into()),
            ("max-bytes", MAX_ICS_BYTES.into()),
            ("max-chars", MAX_AUTO_MESSAGE_CHARS.into()),
            ("max-name", MAX_HOLIDAY_NAME_CHARS.into()),
        ],
    )
}

/// `GET /admin/hours`. Without a login: to the login page; a logged-in non-admin: 403 with a
/// page that says why.
pub async fn hours_page(
    State(st): State<AppState>,
    PageLang(lang): PageLang,
    auth: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let agent = match admin_page_access(auth, lang, "/admin/hours", "hours-forbidden")? {
        Ok(admin) => admin,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let p = HoursPage {
        lang,
        site_name: st.app.store.site(agent.site_id).await?.name,
        days: &DAYS,
        zones: SUGGESTED_ZONES,
        max_holiday_name: MAX_HOLIDAY_NAME_CHARS,
        max_idle_minutes: sangdam_core::auto_close::MAX_IDLE_MINUTES,
        close_rules: &CLOSE_RULES,
        texts: texts(lang),
    };
    page(&p, lang)
}

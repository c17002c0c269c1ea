//! The consultation history (`/reports`), for managers and the admin. The page is the frame,
//! its filter form and its words; `assets/reports.js` reads the history a page at a time
//! through the API ([`crate::api::reports`]), with its counters, keeps the columns one chose,
//! and starts and follows downloads (.xlsx, CSV) of exactly what the filter shows.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use inflow::Channel;
use sangdam_core::report::{MAX_PARAM_FILTERS, MAX_PARAM_VALUE_CHARS, ParamField};
use sangdam_core::{ConsultationState, EndType};
use serde_json::json;
use store::{AgentRecord, Role};

use crate::auth::AuthAgent;
use crate::error::ApiError;
use crate::pages::admin::AdminForbidden;
use crate::pages::{Arg, Lang, PageLang, PageText, page, page_text, script_texts};
use crate::state::AppState;

/// Where the page is.
pub const PATH: &str = "/reports";

pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, get(reports_page))
}

/// One checkbox of the filter: its value in the API and the key of its name in words.
#[derive(Debug)]
pub struct Choice {
    pub value: &'static str,
    pub key: String,
}

/// The channels, by their names.
pub fn channel_choices() -> Vec<Choice> {
    Channel::ALL
        .iter()
        .map(|c| Choice {
            value: c.as_str(),
            key: format!("console-channel-{}", c.as_str()),
        })
        .collect()
}

/// The consultation states, by their names.
pub fn state_choices() -> Vec<Choice> {
    ConsultationState::ALL
        .into_iter()
        .map(|s| Choice {
            value: s.as_str(),
            key: format!("console-state-{}", s.as_str()),
        })
        .collect()
}

/// The ways a consultation ends, by their names.
pub fn end_type_choices() -> Vec<Choice> {
    EndType::ALL
        .into_iter()
        .map(|e| Choice {
            value: e.as_str(),
            key: end_type_key(e),
        })
        .collect()
}

/// The key of an end type's name in the catalogue.
pub fn end_type_key(end: EndType) -> String {
    format!("report-end-{}", end.as_str())
}

/// What the report filter form (`templates/report_filter_form.html`, shared with the
/// dashboard) offers.
#[derive(Debug)]
pub struct FilterChoices {
    pub channels: Vec<Choice>,
    pub states: Vec<Choice>,
    pub end_types: Vec<Choice>,
    pub max_params: usize,
    pub max_value: usize,
}

impl FilterChoices {
    /// Every channel, state and end type, and the limits of the parameter conditions.
    pub fn all() -> Self {
        FilterChoices {
            channels: channel_choices(),
            states: state_choices(),
            end_types: end_type_choices(),
            max_params: MAX_PARAM_FILTERS,
            max_value: MAX_PARAM_VALUE_CHARS,
        }
    }
}

#[derive(Debug, Template)]
#[template(path = "reports.html")]
pub struct ReportsPage {
    pub lang: Lang,
    pub site_name: String,
    /// The admin's pages are linked for the admin only.
    pub is_admin: bool,
    pub filter: FilterChoices,
    /// What the script needs to know (JSON).
    pub config: String,
    /// The texts the script shows (JSON).
    pub texts: String,
}

page_text!(ReportsPage);

/// What `assets/reports.js` says: its own words (columns and end types among them) and the
/// names of channels and states (the table shows those in words).
pub(crate) const SCRIPT_TEXTS: &[&str] = &["report-", "console-channel-", "console-state-"];

pub(crate) fn texts(lang: Lang) -> String {
    script_texts(lang, SCRIPT_TEXTS, &[("max", Arg::from(MAX_PARAM_FILTERS))])
}

/// What the script is told: the fixed parameters a condition may name (the enabled custom
/// ones come with the report's columns) and the number of conditions allowed.
pub fn config() -> String {
    let fixed: Vec<&str> = ParamField::FIXED.iter().map(|p| p.name()).collect();
    json!({
        "fixed_params": fixed,
        "max_params": MAX_PARAM_FILTERS,
        "max_value": MAX_PARAM_VALUE_CHARS,
    })
    .to_string()
}

/// Who may see a report page at `path`: a manager or the admin (`Ok`); without a login, the
/// login page coming back to `path`; an agent, 403 with a page that says why (`reason`, a
/// catalogue key).
pub(crate) fn report_reader(
    auth: Result<AuthAgent, ApiError>,
    path: &str,
    reason: &'static str,
    lang: Lang,
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
    if !agent.role.sees_all() {
        let mut res = page(
            &AdminForbidden {
                lang,
                reason,
                agent_name: &agent.display_name,
            },
            lang,
        )?;
        *res.status_mut() = StatusCode::FORBIDDEN;
        return Ok(Err(res));
    }
    Ok(Ok(agent))
}

/// `GET /reports`. Without a login: to the login page; an agent: 403 with a page that says
/// why.
pub async fn reports_page(
    State(st): State<AppState>,
    PageLang(lang): PageLang,
    auth: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let agent = match report_reader(auth, PATH, "report-forbidden", lang)? {
        Ok(agent) => agent,
        Err(res) => return Ok(res),
    };
    let p = ReportsPage {
        lang,
        site_name: st.app.store.site(agent.site_id).await?.name,
        is_admin: agent.role == Role::Admin,
        filter: FilterChoices::all(),
        config: config(),
        texts: texts(lang),
    };
    page(&p, lang)
}

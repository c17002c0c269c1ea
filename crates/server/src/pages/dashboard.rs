//! The report dashboard (`/reports/dashboard`), for managers and the admin: the report's
//! filter (the same form as [`super::reports`]) and charts of what
//! `POST /api/v1/reports/dashboard` answers ([`crate::api::reports::dashboard`]): inflow per
//! channel per day, waiting and first-response times per day (median and 90th percentile),
//! and counts per category, per agent and per satisfaction score, each with its table.
//! `assets/dashboard.js` draws them with uPlot, vendored under `assets/vendor/uplot/`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use sangdam_core::report::{MAX_PARAM_FILTERS, MAX_PARAM_VALUE_CHARS, ParamField};
use serde_json::json;
use store::Role;

use crate::auth::AuthAgent;
use crate::error::ApiError;
use crate::pages::reports::{FilterChoices, report_reader};
use crate::pages::{Arg, Lang, PageLang, PageText, page, page_text, script_texts};
use crate::state::AppState;

/// Where the page is.
pub const PATH: &str = "/reports/dashboard";

pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, get(dashboard_page))
}

#[derive(Debug, Template)]
#[template(path = "report_dashboard.html")]
pub struct DashboardPage {
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

page_text!(DashboardPage);

/// What `assets/dashboard.js` says: its own words, the filter's (`report-`, read by
/// `assets/lib/report-filter.js`) and the names of channels and states.
pub(crate) const SCRIPT_TEXTS: &[&str] = &[
    "dashboard-",
    "report-",
    "console-channel-",
    "console-state-",
];

pub(crate) fn texts(lang: Lang) -> String {
    script_texts(lang, SCRIPT_TEXTS, &[("max", Arg::from(MAX_PARAM_FILTERS))])
}

/// What the script is told: the report page's settings for the filter, and the site's report
/// columns (`[{key, title, kind}]`: the parameter conditions offer the enabled custom slots
/// under their descriptions; the report page learns them from its first answer, the
/// dashboard's answer has no columns).
pub fn config(columns: &[crate::api::reports::ReportColumn]) -> String {
    let fixed: Vec<&str> = ParamField::FIXED.iter().map(|p| p.name()).collect();
    json!({
        "fixed_params": fixed,
        "max_params": MAX_PARAM_FILTERS,
        "max_value": MAX_PARAM_VALUE_CHARS,
        "columns": columns,
    })
    .to_string()
}

/// `GET /reports/dashboard`: as `/reports`, managers and the admin; without a login, to the
/// login page; an agent, 403 with a page that says why.
pub async fn dashboard_page(
    State(st): State<AppState>,
    PageLang(lang): PageLang,
    auth: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let agent = match report_reader(auth, PATH, "dashboard-forbidden", lang)? {
        Ok(agent) => agent,
        Err(res) => return Ok(res),
    };
    let context = st.app.report_context(agent.site_id).await?;
    let p = DashboardPage {
        lang,
        site_name: st.app.store.site(agent.site_id).await?.name,
        is_admin: agent.role == Role::Admin,
        filter: FilterChoices::all(),
        config: config(&crate::api::reports::columns(&context, lang)),
        texts: texts(lang),
    };
    page(&p, lang)
}

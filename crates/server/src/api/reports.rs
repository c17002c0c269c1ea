//! Reports over HTTP (managers and the admin): `POST /api/v1/reports/consultations` answers a
//! page of the consultation history for a filter, with its counters and columns.
//!
//! The filter is a JSON body rather than a query string: it holds lists and parameter
//! conditions, and the same body starts a download, so the file holds what the page showed.

use app::export::FileFormat;
use app::reports::ReportContext;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;
use inflow::Channel;
use jiff::civil::Date;
use sangdam_core::dashboard::Spread;
use sangdam_core::report::{Counters, FilterSpec, MAX_PAGE_ROWS, Match, ParamSpec, RatingFilter};
use sangdam_core::{AgentId, CategoryId, ConsultationState, EndType, ExportId};
use serde::{Deserialize, Serialize};
use store::{ExportRecord, ExportState, ReportCursor, ReportRow};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::{Body, IdPath};
use crate::auth::AuthAgent;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(consultation_report))
        .routes(routes!(start_export, list_exports))
        .routes(routes!(get_export))
        .routes(routes!(cancel_export))
        .routes(routes!(export_file))
        .routes(routes!(get_columns, save_columns))
        .routes(routes!(dashboard))
}

/// One parameter condition.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParamConditionBody {
    /// `site_uid`, `cus_extra_username`, `cus_extra_phone`, `cus_extra_email`,
    /// `user_parameter`, or an enabled `parameter1` … `parameter10`.
    #[schema(min_length = 1, max_length = 40)]
    pub name: String,
    /// `exact` (the default) or `contains`.
    #[serde(default, rename = "match")]
    pub matching: Match,
    #[schema(min_length = 1, max_length = 255)]
    pub value: String,
}

/// A report's filter: every part optional; a list keeps rows matching any of its values.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportFilterBody {
    /// The first day of the period (creation date in the site's time zone), inclusive.
    #[schema(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// The last day, inclusive.
    #[schema(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub states: Vec<ConsultationState>,
    #[serde(default)]
    pub end_types: Vec<EndType>,
    /// A category's id (whole numbers may be written `7.0`).
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub category_id: Option<serde_json::Number>,
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub division_id: Option<serde_json::Number>,
    /// The agent who held the consultation.
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub agent_id: Option<serde_json::Number>,
    /// Satisfaction scores kept (1–5).
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub scores: Vec<serde_json::Number>,
    /// Only rated, or only unrated, consultations.
    pub rating: Option<RatingFilter>,
    /// Conditions on parameter values (at most 10), all of which must hold.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub params: Vec<ParamConditionBody>,
}

impl ReportFilterBody {
    /// The filter as core checks it; ids must be positive.
    pub fn spec(self) -> Result<FilterSpec, ApiError> {
        let id = |field: &str, n: Option<serde_json::Number>| {
            n.map(|n| {
                // Within the 64-bit range the document gives ids (`7` or `7.0`).
                crate::api::extract::whole_number(&n)
                    .filter(|v| *v >= 1)
                    .ok_or_else(|| {
                        ApiError::invalid_field(
                            field,
                            format!("{field} must be a whole number from 1, not {n}"),
                        )
                    })
            })
            .transpose()
        };
        let scores = self
            .scores
            .iter()
            .map(|n| {
                crate::api::extract::whole_number(n).ok_or_else(|| {
                    ApiError::invalid_field("scores", format!("{n} is not a score (1 to 5)"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(FilterSpec {
            from: self.from,
            to: self.to,
            channels: self.channels,
            states: self.states,
            end_types: self.end_types,
            category_id: id("category_id", self.category_id)?.map(CategoryId::new),
            division_id: id("division_id", self.division_id)?.map(CategoryId::new),
            agent_id: id("agent_id", self.agent_id)?.map(AgentId::new),
            scores,
            rating: self.rating,
            params: self
                .params
                .into_iter()
                .map(|p| ParamSpec {
                    name: p.name,
                    matching: p.matching,
                    value: p.value,
                })
                .collect(),
        })
    }
}

/// Which page of the history to read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    #[serde(default)]
    pub filter: ReportFilterBody,
    /// The `next` of the page before; absent for the first page (which has the counters).
    #[schema(max_length = 60)]
    pub cursor: Option<String>,
    /// Rows per page: 1 to 500 (50 when absent).
    #[schema(value_type = Option<u32>, minimum = 1, maximum = 500)]
    pub limit: Option<serde_json::Number>,
}

/// A column of the report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportColumn {
    /// The key rows use (`consultation_id`, `parameter1`, …).
    pub key: String,
    /// Its heading (a custom parameter's is the slot's description).
    pub title: String,
    /// `int`, `text` or `time` (ms since the epoch).
    pub kind: &'static str,
}

/// A page of the history, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportPage {
    /// The site's time zone (IANA name): days and times of reports are its.
    pub time_zone: String,
    /// Every column the site's reports have, in order.
    pub columns: Vec<ReportColumn>,
    /// The counters of the whole filter: on the first page only.
    pub counters: Option<Counters>,
    /// One object per consultation, keyed by column key (`null` where empty).
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<serde_json::Map<String, serde_json::Value>>,
    /// The `cursor` of the next page; `null` on the last.
    pub next: Option<String>,
}

fn cursor_text(c: ReportCursor) -> String {
    format!("{}.{}", c.created_at, c.id)
}

fn parse_cursor(text: &str) -> Result<ReportCursor, ApiError> {
    let bad = || ApiError::invalid_field("cursor", format!("{text:?} is not a report cursor"));
    let (at, id) = text.split_once('.').ok_or_else(bad)?;
    Ok(ReportCursor {
        created_at: at.parse().map_err(|_| bad())?,
        id: id.parse().map_err(|_| bad())?,
    })
}

/// The columns as the API describes them, in `lang`.
pub fn columns(context: &ReportContext, lang: i18n::Lang) -> Vec<ReportColumn> {
    context
        .columns
        .iter()
        .map(|c| ReportColumn {
            key: c.key().to_owned(),
            title: context.title(*c, lang),
            kind: kind(*c),
        })
        .collect()
}

fn kind(column: sangdam_core::report::Column) -> &'static str {
    use sangdam_core::report::Column as C;
    match column {
        c if c.is_time() => "time",
        C::ConsultationId
        | C::RoomId
        | C::StateCode
        | C::CategoryId
        | C::DivisionId
        | C::AgentId
        | C::FirstResponseSeconds
        | C::MessageCount
        | C::Rating => "int",
        _ => "text",
    }
}

/// A row as a JSON object keyed by column key.
pub fn row_object(
    row: &ReportRow,
    context: &ReportContext,
) -> serde_json::Map<String, serde_json::Value> {
    use app::export::Cell;
    let mut cells = Vec::with_capacity(context.columns.len());
    app::reports::row_cells(row, &context.columns, &mut cells);
    context
        .columns
        .iter()
        .zip(cells)
        .map(|(c, cell)| {
            let value = match cell {
                Cell::Empty => serde_json::Value::Null,
                Cell::Int(n) | Cell::Time(n) => n.into(),
                Cell::Text(t) => t.into(),
            };
            (c.key().to_owned(), value)
        })
        .collect()
}

/// A page of the consultation history (managers and the admin): rows newest first, every
/// column of the site, the counters of the whole filter on the first page.
#[utoipa::path(
    post,
    path = "/reports/consultations",
    tag = "reports",
    security(("session" = []), ("bearer" = [])),
    request_body = ReportRequest,
    responses(
        (status = 200, description = "A page of the history.", body = ReportPage),
        (status = 400, description = "The body is not a JSON object.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent: reports are for managers and the admin.", body = ErrorBody),
        (status = 422, description = "`invalid_field`, naming it: a period that ends before it starts, a score outside 1–5, a parameter that is not one or not an enabled custom slot, an empty or too long value, a bad cursor or limit; or a body that does not fit the schema.", body = ErrorBody),
    )
)]
pub async fn consultation_report(
    State(st): State<AppState>,
    AuthAgent(caller): AuthAgent,
    body: Result<Body<ReportRequest>, ApiError>,
) -> Result<Json<ReportPage>, ApiError> {
    app::reports::may_read_reports(&caller)?;
    let Body(req) = body?;
    let limit = req
        .limit
        .as_ref()
        .map(|n| {
            crate::api::extract::whole_number(n)
                .and_then(|l| u32::try_from(l).ok())
                .filter(|l| (1..=MAX_PAGE_ROWS).contains(l))
                .ok_or_else(|| {
                    ApiError::invalid_field(
                        "limit",
                        format!("limit is 1 to {MAX_PAGE_ROWS}, not {n}"),
                    )
                })
        })
        .transpose()?;
    let cursor = req.cursor.as_deref().map(parse_cursor).transpose()?;
    let context = st.app.report_context(caller.site_id).await?;
    let filter = context.filter(req.filter.spec()?)?;
    let page = st.app.report_page(&caller, &filter, cursor, limit).await?;
    let lang = i18n::Lang::DEFAULT;
    Ok(Json(ReportPage {
        time_zone: context.zone.name().to_owned(),
        columns: columns(&context, lang),
        counters: page.counters,
        rows: page.rows.iter().map(|r| row_object(r, &context)).collect(),
        next: page.next.map(cursor_text),
    }))
}

/// A download to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportRequest {
    #[serde(default)]
    pub filter: ReportFilterBody,
    pub format: FileFormat,
}

/// A download and how far it has come.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportBody {
    pub id: ExportId,
    /// `queued`, `running`, `done`, `failed`, `cancelled` or `expired` (done, and its file
    /// deleted after its keeping time).
    pub state: String,
    pub format: FileFormat,
    /// Who asked, by name.
    pub actor_name: String,
    /// The filter as given.
    #[schema(value_type = Object)]
    pub filter: serde_json::Value,
    /// Rows the filter held when the writing started (`null` until then).
    pub rows_total: Option<i64>,
    pub rows_done: i64,
    /// The file's size once done.
    pub bytes: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
    /// Times in ms since the epoch.
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// When the file is deleted.
    pub expires_at: Option<i64>,
    /// Where the file is downloaded, once done.
    pub download_url: Option<String>,
}

impl From<ExportRecord> for ExportBody {
    fn from(e: ExportRecord) -> Self {
        let done = e.state == ExportState::Done;
        ExportBody {
            id: ExportId::new(e.id),
            state: e.state.as_str().to_owned(),
            format: FileFormat::parse(&e.format).unwrap_or(FileFormat::Xlsx),
            actor_name: e.actor_name,
            filter: e.filter,
            rows_total: e.rows_total,
            rows_done: e.rows_done,
            bytes: e.bytes,
            error: e.error,
            created_at: e.created_at,
            started_at: e.started_at,
            finished_at: e.finished_at,
            expires_at: e.expires_at,
            download_url: done.then(|| format!("/api/v1/reports/exports/{}/file", e.id)),
        }
    }
}

/// The exports one sees.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportList {
    /// Newest first: one's own; the admin's, everyone's.
    pub exports: Vec<ExportBody>,
}

/// Starts a download of exactly what a filter shows, as `.xlsx` or CSV (UTF-8 with a BOM),
/// written in the background: follow it with `GET /reports/exports/{id}`.
#[utoipa::path(
    post,
    path = "/reports/exports",
    tag = "reports",
    security(("session" = []), ("bearer" = [])),
    request_body = ExportRequest,
    responses(
        (status = 202, description = "Queued.", body = ExportBody),
        (status = 400, description = "The body is not a JSON object.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent: reports are for managers and the admin.", body = ErrorBody),
        (status = 422, description = "`invalid_field`, naming it, as for the report; or a body that does not fit the schema.", body = ErrorBody),
    )
)]
pub async fn start_export(
    State(st): State<AppState>,
    AuthAgent(caller): AuthAgent,
    body: Result<Body<ExportRequest>, ApiError>,
) -> Result<(StatusCode, Json<ExportBody>), ApiError> {
    app::reports::may_read_reports(&caller)?;
    let Body(req) = body?;
    let spec = req.filter.spec()?;
    let e = st.app.start_export(&caller, spec, req.format).await?;
    Ok((StatusCode::ACCEPTED, Json(e.into())))
}

/// The latest exports: one's own (the admin's: everyone's), newest first.
#[utoipa::path(
    get,
    path = "/reports/exports",
    tag = "reports",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The exports.", body = ExportList),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent.", body = ErrorBody),
    )
)]
pub async fn list_exports(
    State(st): State<AppState>,
    AuthAgent(caller): AuthAgent,
) -> Result<Json<ExportList>, ApiError> {
    let exports = st.app.exports_of(&caller).await?;
    Ok(Json(ExportList {
        exports: exports.into_iter().map(ExportBody::from).collect(),
    }))
}

/// One export and its progress.
#[utoipa::path(
    get,
    path = "/reports/exports/{id}",
    tag = "reports",
    security(("session" = []), ("bearer" = [])),
    params(IdPath<ExportId>),
    responses(
        (status = 200, description = "The export.", body = ExportBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent.", body = ErrorBody),
        (status = 404, description = "No such export among those one sees.", body = ErrorBody),
    )
)]
pub async fn get_export(
    State(st): State<AppState>,
    AuthAgent(caller): AuthAgent,
    IdPath(id): IdPath<ExportId>,
) -> Result<Json<ExportBody>, ApiError> {
    Ok(Json(st.app.export_of(&caller, id.get()).await?.into()))
}

/// Cancels an export still queued or being written: its partial file is removed.
#[utoipa::path(
    post,
    path = "/reports/exports/{id}/cancel",
    tag = "reports",
    security(("session" = []), ("bearer" = [])),
    params(IdPath<ExportId>),
    responses(
        (status = 200, description = "Cancelled.", body = ExportBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent.", body = ErrorBody),
        (status = 404, description = "No such export among those one sees.", body = ErrorBody),
        (status = 409, description = "It has ended already.", body = ErrorBody),
    )
)]
pub async fn cancel_export(
    State(st): State<AppState>,
    AuthAgent(caller): AuthAgent,
    IdPath(id): IdPath<ExportId>,
) -> Result<Json<ExportBody>, ApiError> {
    Ok(Json(st.app.cancel_export(&caller, id.get()).await?.into()))
}

/// The finished file, offered for download under a name with the site and the time asked.
#[utoipa::path(
    get,
    path = "/reports/exports/{id}/file",
    tag = "reports",
    security(("session" = []), ("bearer" = [])),
    params(IdPath<ExportId>),
    responses(
        (status = 200, description = "The file (.xlsx or CSV).", content(
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv"),
        )),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent.", body = ErrorBody),
        (status = 404, description = "No such export among those one sees.", body = ErrorBody),
        (status = 409, description = "Not finished (or its file was deleted after its keeping time).", body = ErrorBody),
    )
)]
pub async fn export_file(
    State(st): State<AppState>,
    AuthAgent(caller): AuthAgent,
    IdPath(id): IdPath<ExportId>,
) -> Result<Response, ApiError> {
    let (path, name, format) = st.app.export_file(&caller, id.get()).await?;
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| ApiError::Internal(format!("cannot open {}: {e}", path.display())))?;
    let len = file
        .metadata()
        .await
        .map_err(|e| ApiError::Internal(format!("cannot read {}: {e}", path.display())))?
        .len();
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file));
    Response::builder()
        .header(header::CONTENT_TYPE, format.media_type())
        .header(header::CONTENT_LENGTH, len)
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )
        .header(header::CACHE_CONTROL, "no-store")
        .body(body)
        .map_err(|e| ApiError::Internal(format!("the download: {e}")))
}

/// The report columns one has chosen to see.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ColumnChoice {
    /// Column keys (at least one), e.g. `consultation_id`, `parameter1`.
    #[schema(min_items = 1, max_items = 64)]
    pub columns: Vec<String>,
}

/// The columns one sees on the report page (every column until one chooses).
#[utoipa::path(
    get,
    path = "/reports/columns",
    tag = "reports",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The chosen columns, in the site's order.", body = ColumnChoice),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent.", body = ErrorBody),
    )
)]
pub async fn get_columns(
    State(st): State<AppState>,
    AuthAgent(caller): AuthAgent,
) -> Result<Json<ColumnChoice>, ApiError> {
    let columns = st.app.report_columns(&caller).await?;
    Ok(Json(ColumnChoice {
        columns: columns.iter().map(|c| c.key().to_owned()).collect(),
    }))
}

/// Keeps the columns one chose to see on the report page (downloads always hold every one).
#[utoipa::path(
    put,
    path = "/reports/columns",
    tag = "reports",
    security(("session" = []), ("bearer" = [])),
    request_body = ColumnChoice,
    responses(
        (status = 200, description = "Kept; the columns as they will show.", body = ColumnChoice),
        (status = 400, description = "The body is not a JSON object.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent.", body = ErrorBody),
        (status = 422, description = "`invalid_field` `columns`: none, or a key that is no column of the site.", body = ErrorBody),
    )
)]
pub async fn save_columns(
    State(st): State<AppState>,
    AuthAgent(caller): AuthAgent,
    body: Result<Body<ColumnChoice>, ApiError>,
) -> Result<Json<ColumnChoice>, ApiError> {
    app::reports::may_read_reports(&caller)?;
    let Body(req) = body?;
    let columns = st.app.save_report_columns(&caller, &req.columns).await?;
    Ok(Json(ColumnChoice {
        columns: columns.iter().map(|c| c.key().to_owned()).collect(),
    }))
}

/// The dashboard's request: the report's filter.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DashboardRequest {
    #[serde(default)]
    pub filter: ReportFilterBody,
}

/// One local day of the dashboard.
#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardDay {
    /// The date in the site's time zone.
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// Consultations created that day, per channel (every channel).
    #[schema(value_type = Object)]
    pub inflow: std::collections::BTreeMap<Channel, u64>,
    /// From creation to being taken.
    pub waiting: Spread,
    /// From creation to the first answer.
    pub first_response: Spread,
}

/// A count under a name (a category, an agent).
#[derive(Debug, Serialize, ToSchema)]
pub struct NamedCount {
    /// `null`: unclassified, or held by nobody.
    pub id: Option<i64>,
    /// Its name (`null` with `id`, or for an id of no name).
    pub name: Option<String>,
    pub count: u64,
}

/// The dashboard of a filter (R7.3).
#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    pub time_zone: String,
    /// Every day of the period, days without consultations included.
    pub days: Vec<DashboardDay>,
    /// Over the whole period.
    pub waiting: Spread,
    pub first_response: Spread,
    /// Consultations per category, most first.
    pub categories: Vec<NamedCount>,
    /// Consultations per agent who held them, most first.
    pub agents: Vec<NamedCount>,
    /// Ratings per score, 1 to 5.
    pub scores: [u64; 5],
    pub unrated: u64,
}

/// The dashboard of a filter (managers and the admin): inflow per channel per day, waiting
/// and first-response times per day as medians and 90th percentiles, and counts per category,
/// per agent and per satisfaction score; days are the site's.
#[utoipa::path(
    post,
    path = "/reports/dashboard",
    tag = "reports",
    security(("session" = []), ("bearer" = [])),
    request_body = DashboardRequest,
    responses(
        (status = 200, description = "The figures.", body = Dashboard),
        (status = 400, description = "The body is not a JSON object.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "An agent.", body = ErrorBody),
        (status = 422, description = "`invalid_field`, naming it, as for the report.", body = ErrorBody),
    )
)]
pub async fn dashboard(
    State(st): State<AppState>,
    AuthAgent(caller): AuthAgent,
    body: Result<Body<DashboardRequest>, ApiError>,
) -> Result<Json<Dashboard>, ApiError> {
    app::reports::may_read_reports(&caller)?;
    let Body(req) = body?;
    let spec = req.filter.spec()?;
    let view = st.app.dashboard(&caller, spec).await?;
    let f = view.figures;
    let named =
        |id: Option<i64>, names: &std::collections::BTreeMap<i64, String>, count| NamedCount {
            id,
            name: id.and_then(|i| names.get(&i).cloned()),
            count,
        };
    Ok(Json(Dashboard {
        time_zone: view.zone.name().to_owned(),
        days: f
            .days
            .into_iter()
            .map(|d| DashboardDay {
                date: d.date,
                inflow: d.inflow,
                waiting: d.waiting,
                first_response: d.first_response,
            })
            .collect(),
        waiting: f.waiting,
        first_response: f.first_response,
        categories: f
            .categories
            .into_iter()
            .map(|(id, n)| named(id.map(|i| i.get()), &view.category_names, n))
            .collect(),
        agents: f
            .agents
            .into_iter()
            .map(|(id, n)| named(id.map(|i| i.get()), &view.agent_names, n))
            .collect(),
        scores: f.scores,
        unrated: f.unrated,
    }))
}

//! Reports (R7.1, R7.2): the consultation history a manager reads page by page, and the same
//! rows written whole to a file.
//!
//! Managers and the admin read reports; agents do not. The filter is checked by core against
//! the site's time zone and parameter settings; the store turns it into SQL. The page, the
//! background downloads and `sangdam export` all go through [`Services::write_report`] or
//! [`Services::report_page`], so a download holds exactly what the page shows.

use std::path::Path;

use i18n::Lang;
use sangdam_core::hours::Zone;
use sangdam_core::report::{
    Column, Counters, DEFAULT_PAGE_ROWS, FilterSpec, MAX_PAGE_ROWS, ParamField, ReportFilter,
};
use sangdam_core::{Role, SiteId};
use store::{AgentRecord, ReportCursor, ReportRow};

use crate::Services;
use crate::error::AppError;
use crate::export::{Cell, ExportError, FileFormat, Heading, Table};

/// Rows read from the database at a time while writing a file.
pub const EXPORT_CHUNK_ROWS: usize = store::STREAM_CHUNK_ROWS;

/// What a site's reports are read against: its zone, its parameter settings, its columns.
#[derive(Debug, Clone)]
pub struct ReportContext {
    pub zone: Zone,
    pub settings: inflow::Settings,
    pub columns: Vec<Column>,
}

impl ReportContext {
    /// `spec` checked against the site.
    pub fn filter(&self, spec: FilterSpec) -> Result<ReportFilter, AppError> {
        Ok(ReportFilter::parse(spec, &self.zone, &self.settings)?)
    }

    /// The heading of a column in `lang`: a custom parameter's is its description.
    pub fn title(&self, column: Column, lang: Lang) -> String {
        match column {
            Column::Param(ParamField::Custom(slot)) => {
                let label = self.settings.label(slot);
                if label.trim().is_empty() {
                    slot.name().to_owned()
                } else {
                    label.to_owned()
                }
            }
            other => i18n::t(
                lang,
                &format!("report-col-{}", other.key().replace('_', "-")),
            ),
        }
    }

    /// The columns named by `keys` (the site's every column when empty), in the order given;
    /// an unknown key is refused naming it.
    pub fn choose(&self, keys: &[String]) -> Result<Vec<Column>, AppError> {
        if keys.is_empty() {
            return Ok(self.columns.clone());
        }
        keys.iter()
            .map(|k| {
                Column::parse(k, &self.settings).ok_or_else(|| {
                    AppError::Rule(sangdam_core::CoreError::InvalidField {
                        field: "columns",
                        reason: format!("{k:?} is not a report column of this site"),
                    })
                })
            })
            .collect()
    }
}

/// One page of the history.
#[derive(Debug, Clone)]
pub struct ReportPage {
    /// The counters of the whole filter (on the first page only: they do not change by page).
    pub counters: Option<Counters>,
    pub rows: Vec<ReportRow>,
    /// Where the next page starts, when there is one.
    pub next: Option<ReportCursor>,
}

/// What writing a report to a file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub rows: u64,
    pub bytes: u64,
}

/// Reports are for managers and the admin.
pub fn may_read_reports(caller: &AgentRecord) -> Result<(), AppError> {
    match caller.role {
        Role::Admin | Role::Manager => Ok(()),
        Role::Agent => Err(AppError::Forbidden(
            "reports are for the site's managers and admin".into(),
        )),
    }
}

impl Services {
    /// `filter` as `reader` may read it: limited to their group's business when they are a
    /// manager who leads one (see [`Services::business_of`]); the whole site otherwise.
    pub async fn scoped(
        &self,
        reader: &AgentRecord,
        filter: &ReportFilter,
    ) -> Result<ReportFilter, AppError> {
        let mut scoped = filter.clone();
        scoped.scope = self.business_of(reader).await?;
        Ok(scoped)
    }

    /// A site's time zone, parameter settings and report columns.
    pub async fn report_context(&self, site: SiteId) -> Result<ReportContext, AppError> {
        let hours = self.hours_of_site(site).await?;
        let settings = self.store.site(site).await?.settings;
        Ok(ReportContext {
            zone: hours.hours.zone().clone(),
            columns: Column::all(&settings),
            settings,
        })
    }

    /// One page of the history `caller` asked for: `limit` rows (50 when absent, at most
    /// 500) after `cursor`, with the counters on the first page.
    pub async fn report_page(
        &self,
        caller: &AgentRecord,
        filter: &ReportFilter,
        cursor: Option<ReportCursor>,
        limit: Option<u32>,
    ) -> Result<ReportPage, AppError> {
        may_read_reports(caller)?;
        let filter = &self.scoped(caller, filter).await?;
        let limit = limit.unwrap_or(DEFAULT_PAGE_ROWS).clamp(1, MAX_PAGE_ROWS);
        let site = caller.site_id;
        let (counters, rows) = if cursor.is_none() {
            let (counters, rows) = tokio::try_join!(
                self.store.report_counters(site, filter),
                self.store.report_rows(site, filter, None, limit + 1)
            )?;
            (Some(counters), rows)
        } else {
            (
                None,
                self.store
                    .report_rows(site, filter, cursor, limit + 1)
                    .await?,
            )
        };
        let mut rows = rows;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next = if more {
            rows.last().map(|r| ReportCursor {
                created_at: r.created_at,
                id: r.id.get(),
            })
        } else {
            None
        };
        Ok(ReportPage {
            counters,
            rows,
            next,
        })
    }

    /// Writes every row of `filter` on `site` to `path` in `format` with `columns` headed in
    /// `lang`. `progress(done, total)` is called after each chunk; answering `false` stops
    /// the writing ([`AppError::Cancelled`]) and removes the partial file.
    #[allow(clippy::too_many_arguments)]
    pub async fn write_report(
        &self,
        site: SiteId,
        context: &ReportContext,
        filter: &ReportFilter,
        columns: &[Column],
        lang: Lang,
        format: FileFormat,
        path: &Path,
        mut progress: impl FnMut(u64, u64) -> bool + Send,
    ) -> Result<Written, AppError> {
        let total = self.store.report_counters(site, filter).await?.total;
        let headings: Vec<Heading> = columns
            .iter()
            .map(|c| Heading {
                title: context.title(*c, lang),
                width: width(*c),
            })
            .collect();
        let tz = context.zone.time_zone().clone();
        // The file is written by a blocking thread, fed chunk by chunk: the runtime's threads
        // only read the database.
        // The rows in one pass, as of when it began (rows made meanwhile are not in it): the
        // database reads the next chunks while the file writer writes this one, and frees
        // each chunk written when it is given back.
        let mut chunks = self.store.report_stream(site, filter);
        let spent = chunks.spent();
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<ReportRow>>(1);
        let target = path.to_owned();
        let cols = columns.to_vec();
        let writer = tokio::task::spawn_blocking(move || -> Result<u64, ExportError> {
            let mut table = Table::create(&target, format, headings, tz)?;
            while let Some(chunk) = rx.blocking_recv() {
                let mut cells = Vec::with_capacity(cols.len());
                for row in &chunk {
                    cells.clear();
                    row_cells(row, &cols, &mut cells);
                    table.row(&cells)?;
                }
                spent.give_back(chunk);
            }
            table.finish()
        });
        let mut done = 0u64;
        let read = async {
            while let Some(chunk) = chunks.recv().await {
                let chunk = chunk?;
                let n = chunk.len() as u64;
                if n > 0 && tx.send(chunk).await.is_err() {
                    // The writer stopped: its error is reported below.
                    return Ok::<bool, AppError>(true);
                }
                done += n;
                if !progress(done, total.max(done)) {
                    return Ok(false);
                }
            }
            Ok(true)
        };
        let finished = read.await;
        // Stops the reading, if it has not ended.
        drop(chunks);
        drop(tx);
        let written = writer
            .await
            .map_err(|e| AppError::Internal(format!("the file writer stopped: {e}")));
        let remove = || {
            let _ = std::fs::remove_file(path);
        };
        match finished {
            Ok(true) => {}
            Ok(false) => {
                remove();
                return Err(AppError::Cancelled);
            }
            Err(e) => {
                remove();
                return Err(e);
            }
        }
        match written {
            Ok(Ok(bytes)) => Ok(Written { rows: done, bytes }),
            Ok(Err(e)) => {
                remove();
                Err(AppError::Internal(e.to_string()))
            }
            Err(e) => {
                remove();
                Err(e)
            }
        }
    }
}

impl Services {
    /// The columns `caller` sees on the report page: those they chose (still of the site, in
    /// the site's order), else every one.
    pub async fn report_columns(&self, caller: &AgentRecord) -> Result<Vec<Column>, AppError> {
        may_read_reports(caller)?;
        let context = self.report_context(caller.site_id).await?;
        let chosen = self
            .store
            .report_columns(caller.id)
            .await?
            .unwrap_or_default();
        let shown: Vec<Column> = context
            .columns
            .iter()
            .copied()
            .filter(|c| chosen.iter().any(|k| k == c.key()))
            .collect();
        Ok(if shown.is_empty() {
            context.columns
        } else {
            shown
        })
    }

    /// Keeps the columns `caller` chose (at least one, each a column of the site).
    pub async fn save_report_columns(
        &self,
        caller: &AgentRecord,
        keys: &[String],
    ) -> Result<Vec<Column>, AppError> {
        may_read_reports(caller)?;
        if keys.is_empty() {
            return Err(AppError::Rule(sangdam_core::CoreError::InvalidField {
                field: "columns",
                reason: "choose at least one column".into(),
            }));
        }
        let context = self.report_context(caller.site_id).await?;
        context.choose(keys)?;
        self.store
            .save_report_columns(caller.id, keys, self.now())
            .await?;
        self.report_columns(caller).await
    }
}

/// The dashboard of a filter, with the names its figures are shown under.
#[derive(Debug, Clone)]
pub struct DashboardView {
    /// The site's time zone (its days are the figures' days).
    pub zone: Zone,
    pub figures: sangdam_core::dashboard::Figures,
    /// Names of the categories and divisions of the site, by id.
    pub category_names: std::collections::BTreeMap<i64, String>,
    /// Names of the site's accounts, by id.
    pub agent_names: std::collections::BTreeMap<i64, String>,
}

impl Services {
    /// The dashboard of `spec` (R7.3) for `caller` (a manager or the admin): every day of its
    /// period (from the first to the last day with a consultation when it has none).
    pub async fn dashboard(
        &self,
        caller: &AgentRecord,
        spec: FilterSpec,
    ) -> Result<DashboardView, AppError> {
        may_read_reports(caller)?;
        let site = caller.site_id;
        let context = self.report_context(site).await?;
        let (from, to) = (spec.from, spec.to);
        let filter = self.scoped(caller, &context.filter(spec)?).await?;
        let tally = self.store.dashboard_tally(site, &filter).await?;
        let zone = context.zone.clone();
        // A million times are sorted into days and percentiles off the runtime's threads.
        let figures = tokio::task::spawn_blocking(move || tally.figures(&zone, from, to))
            .await
            .map_err(|e| AppError::Internal(format!("the dashboard: {e}")))?;
        let agent_names = self
            .store
            .agent_names(site)
            .await?
            .into_iter()
            .map(|(id, name)| (id.get(), name))
            .collect();
        let category_names = self.store.category_names(site).await?;
        Ok(DashboardView {
            zone: context.zone,
            figures,
            category_names,
            agent_names,
        })
    }
}

/// A sensible width per column, in Excel's character units.
fn width(column: Column) -> f64 {
    match column {
        c if c.is_time() => 19.0,
        Column::CustomerKey | Column::RatingComment => 28.0,
        Column::Param(ParamField::Email) => 24.0,
        Column::Param(_) | Column::CategoryName | Column::DivisionName | Column::AgentName => 16.0,
        Column::Channel | Column::State | Column::EndType | Column::Tags => 12.0,
        _ => 10.0,
    }
}

fn opt_text(value: &Option<String>) -> Cell<'_> {
    match value.as_deref() {
        Some(v) if !v.is_empty() => Cell::Text(v),
        _ => Cell::Empty,
    }
}

fn opt_int(value: Option<i64>) -> Cell<'static> {
    value.map_or(Cell::Empty, Cell::Int)
}

fn opt_time(value: Option<i64>) -> Cell<'static> {
    value.map_or(Cell::Empty, Cell::Time)
}

/// The cells of `row` for `columns`, in order, appended to `out`.
pub fn row_cells<'a>(row: &'a ReportRow, columns: &[Column], out: &mut Vec<Cell<'a>>) {
    let c = row;
    for column in columns {
        out.push(match column {
            Column::ConsultationId => Cell::Int(c.id.get()),
            Column::RoomId => Cell::Int(c.room_id.get()),
            Column::CustomerKey => Cell::Text(&row.customer_key),
            Column::Channel => Cell::Text(c.channel.as_str()),
            Column::State => Cell::Text(c.state.as_str()),
            Column::StateCode => Cell::Int(c.state.code()),
            Column::EndType => c.end_type.map_or(Cell::Empty, |e| Cell::Text(e.as_str())),
            Column::CategoryId => opt_int(c.category_id.map(|i| i.get())),
            Column::CategoryName => opt_text(&row.category_name),
            Column::DivisionId => opt_int(c.division_id.map(|i| i.get())),
            Column::DivisionName => opt_text(&row.division_name),
            Column::AgentId => opt_int(c.agent_id.map(|i| i.get())),
            Column::AgentName => opt_text(&row.agent_name),
            Column::CreatedAt => Cell::Time(c.created_at),
            Column::AssignedAt => opt_time(c.assigned_at),
            Column::FirstResponseAt => opt_time(c.first_response_at),
            Column::ClosedAt => opt_time(c.closed_at),
            Column::FirstResponseSeconds => opt_int(
                c.first_response_at
                    .map(|f| (f - c.created_at).max(0) / 1000),
            ),
            Column::MessageCount => Cell::Int(row.message_count),
            Column::Param(p) => match p {
                ParamField::SiteUid => opt_text(&row.site_uid),
                ParamField::Name => opt_text(&row.name),
                ParamField::Phone => opt_text(&row.phone),
                ParamField::Email => opt_text(&row.email),
                ParamField::UserParameter => opt_text(&c.user_parameter),
                ParamField::Custom(slot) => c
                    .custom
                    .get(slot)
                    .map_or(Cell::Empty, |v| Cell::Text(v.as_str())),
            },
            Column::Tags => opt_text(&row.tags),
            Column::Rating => opt_int(c.rating),
            Column::RatingComment => opt_text(&c.rating_comment),
        });
    }
}

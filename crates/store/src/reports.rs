//! The consultation history (R7.1): a checked [`ReportFilter`] as SQL, its counters, and its
//! rows page by page, newest first.
//!
//! One statement shape serves the page, the downloads and the command line, so a download
//! holds exactly the rows the page shows. Paging is by key (creation time, then id), never by
//! offset, so the millionth row costs what the first does and rows written meanwhile neither
//! repeat nor go missing.

use std::collections::HashMap;

use inflow::Channel;
use sangdam_core::dashboard::{Fact, Tally};
use sangdam_core::report::{Counted, Counters, Match, ParamField, ReportFilter, counted};
use sangdam_core::{
    AgentId, CategoryId, ConsultationId, ConsultationState, EndType, RoomId, SiteId,
};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Backend, Store};
use crate::dialect;
use crate::error::StoreError;
use crate::records::col;

/// One row of the history: the consultation's reported fields with what it is shown with.
/// Read by position from one fixed column list (a million-row download decodes 25 values a
/// row: looking each up by name would cost more than the query).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub id: ConsultationId,
    pub room_id: RoomId,
    pub channel: Channel,
    pub state: ConsultationState,
    pub end_type: Option<EndType>,
    pub category_id: Option<CategoryId>,
    pub division_id: Option<CategoryId>,
    pub agent_id: Option<AgentId>,
    pub user_parameter: Option<String>,
    pub custom: inflow::Custom,
    pub created_at: i64,
    pub assigned_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub customer_key: String,
    /// The customer's profile as it stands now (fixed parameters of the person).
    pub site_uid: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub category_name: Option<String>,
    pub division_name: Option<String>,
    pub agent_name: Option<String>,
    pub message_count: i64,
    /// The customer's tags as they stand now (their profile's, in the order added), joined
    /// by ", "; `None` when the customer has none.
    pub tags: Option<String>,
}

/// The values a row is made of, in [`RawRow`]'s order. The database writes each row as one
/// JSON array (see `dialect::json_row`), and a page as one array of those (`json_page`): a
/// page then moves one value through the driver instead of twenty-five per row. A download
/// reads them as plain values instead (see `report_stream`).
pub(crate) const ROW_VALUES: [&str; 25] = [
    "c.id",
    "c.room_id",
    "c.channel",
    "c.state",
    "c.end_type",
    "c.category_id",
    "c.division_id",
    "c.agent_id",
    "c.user_parameter",
    "@custom",
    "c.created_at",
    "c.assigned_at",
    "c.first_response_at",
    "c.closed_at",
    "c.rating",
    "c.rating_comment",
    "c.customer_key",
    "c.customer_site_uid",
    "c.customer_name",
    "c.customer_phone",
    "c.customer_email",
    "cat.name",
    "divn.name",
    "a.display_name",
    "COALESCE(c.message_count, (SELECT COUNT(*) FROM messages m \
     WHERE m.room_id = c.room_id AND m.consultation_id = c.id))",
];

/// Where a row's values come from: `{consultations}` stands for the consultations as
/// [`Clause::consultations`] reads them. The customer (the room's key, the profile's fixed
/// parameters) is kept on the consultation itself (migration 0028), so no row looks up its
/// room or profile.
pub(crate) const ROW_FROM: &str = "FROM {consultations} \
     LEFT JOIN categories cat ON cat.id = c.category_id \
     LEFT JOIN categories divn ON divn.id = c.division_id \
     LEFT JOIN agents a ON a.id = c.agent_id";

/// One row as the database writes it (a JSON array, read in field order).
#[derive(serde::Deserialize)]
struct RawRow {
    id: i64,
    room_id: i64,
    channel: String,
    state: i64,
    end_type: Option<String>,
    category_id: Option<i64>,
    division_id: Option<i64>,
    agent_id: Option<i64>,
    user_parameter: Option<String>,
    custom: inflow::Custom,
    created_at: i64,
    assigned_at: Option<i64>,
    first_response_at: Option<i64>,
    closed_at: Option<i64>,
    rating: Option<i64>,
    rating_comment: Option<String>,
    customer_key: String,
    site_uid: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    category_name: Option<String>,
    division_name: Option<String>,
    agent_name: Option<String>,
    message_count: i64,
}

/// Where a page starts: after this row (creation time and id of the last row shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportCursor {
    pub created_at: i64,
    pub id: i64,
}

/// The index holding every column the counters and the dashboard read, by site and time.
const FIGURES_INDEX: &str = "consultations_figures";

/// The site's consultations by time and id, nothing else.
const CREATED_INDEX: &str = "consultations_created";

/// What the dashboard reads of each consultation, in [`Fact`]'s order.
const FACT_VALUES: [&str; 7] = [
    "c.created_at",
    "c.channel",
    "c.assigned_at - c.created_at",
    "c.first_response_at - c.created_at",
    "c.category_id",
    "c.agent_id",
    "c.rating",
];

/// One fact from its values.
#[allow(clippy::too_many_arguments)]
fn fact(
    created_at: i64,
    channel: &str,
    waited: Option<i64>,
    responded: Option<i64>,
    category: Option<i64>,
    agent: Option<i64>,
    rating: Option<i64>,
) -> Result<Fact, StoreError> {
    Ok(Fact {
        created_at,
        channel: channel
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("unknown channel {channel:?}")))?,
        waited_ms: waited,
        first_response_ms: responded,
        category_id: category.map(CategoryId::new),
        agent_id: agent.map(AgentId::new),
        rating,
    })
}

/// The facts of a JSON array of [`FACT_VALUES`] arrays, added to `tally`.
fn json_facts(text: &str, tally: &mut Tally) -> Result<(), StoreError> {
    type Raw<'a> = (
        i64,
        &'a str,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let raw: Vec<Raw<'_>> = serde_json::from_str(text)?;
    for (created_at, channel, waited, responded, category, agent, rating) in raw {
        tally.add(fact(
            created_at, channel, waited, responded, category, agent, rating,
        )?);
    }
    Ok(())
}

/// An hour, in ms.
const HOUR_MS: i64 = 3_600_000;

/// Where a parameter condition looks.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// A column of the consultation.
    Consultation,
    /// The customer's profile, through the room.
    Profile,
    /// A custom parameter slot (its number).
    Slot(u8),
}

/// A value bound to a placeholder of a built statement.
#[derive(Debug, Clone)]
pub(crate) enum Bind {
    Int(i64),
    Text(String),
}

/// A filter as a `WHERE` clause over `consultations c` and the values its placeholders take,
/// numbered from `$1`.
pub(crate) struct Clause {
    pub(crate) sql: String,
    pub(crate) binds: Vec<Bind>,
    /// The index that serves the clause best, where the planner is known to choose worse.
    index: Option<&'static str>,
    /// The filter holds nothing but the period: rows newest first come from
    /// [`CREATED_INDEX`].
    by_period: bool,
}

impl Clause {
    fn push(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    pub(crate) fn build(backend: Backend, site: SiteId, f: &ReportFilter) -> Clause {
        let mut c = Clause {
            sql: String::new(),
            binds: Vec::new(),
            index: Self::best_index(f),
            by_period: f.params.is_empty() && f.states.is_empty() && Self::best_index(f).is_none(),
        };
        let site = c.push(Bind::Int(site.get()));
        let mut parts = vec![format!("c.site_id = {site}")];
        if let Some(from) = f.created_from {
            parts.push(format!("c.created_at >= {}", c.push(Bind::Int(from))));
        }
        if let Some(before) = f.created_before {
            parts.push(format!("c.created_at < {}", c.push(Bind::Int(before))));
        }
        let channels = f
            .channels
            .iter()
            .map(|ch| Bind::Text(ch.as_str().to_owned()));
        c.any_of(&mut parts, "c.channel", channels);
        c.any_of(
            &mut parts,
            "c.state",
            f.states.iter().map(|s| Bind::Int(s.code())),
        );
        let ends = f
            .end_types
            .iter()
            .map(|e| Bind::Text(e.as_str().to_owned()));
        c.any_of(&mut parts, "c.end_type", ends);
        let ids = [
            ("c.category_id", f.category_id.map(|i| i.get())),
            ("c.division_id", f.division_id.map(|i| i.get())),
            ("c.agent_id", f.agent_id.map(|i| i.get())),
        ];
        for (column, id) in ids {
            c.any_of(&mut parts, column, id.map(Bind::Int));
        }
        c.any_of(
            &mut parts,
            "c.rating",
            f.scores.iter().map(|s| Bind::Int(*s)),
        );
        match f.rating {
            Some(sangdam_core::report::RatingFilter::Rated) => {
                parts.push("c.rating IS NOT NULL".into())
            }
            Some(sangdam_core::report::RatingFilter::Unrated) => {
                parts.push("c.rating IS NULL".into())
            }
            None => {}
        }
        for cond in &f.params {
            let (column, source) = match cond.field {
                ParamField::SiteUid => ("p.site_uid", Source::Profile),
                ParamField::Name => ("p.name", Source::Profile),
                ParamField::Phone => ("p.phone", Source::Profile),
                ParamField::Email => ("p.email", Source::Profile),
                ParamField::UserParameter => ("c.user_parameter", Source::Consultation),
                ParamField::Custom(slot) => ("cp.value", Source::Slot(slot.number())),
            };
            let test = match cond.matching {
                Match::Exact => {
                    let v = c.push(Bind::Text(cond.value.clone()));
                    format!("{column} = {v}")
                }
                Match::Contains => {
                    let v = c.push(Bind::Text(format!("%{}%", like_escaped(&cond.value))));
                    format!(
                        "{column} {} {v} ESCAPE '\\'",
                        dialect::like_any_case(backend)
                    )
                }
            };
            parts.push(match source {
                Source::Consultation => test,
                // The site's profiles that match, their rooms, and those rooms' consultations
                // (each by its index), rather than every consultation joined to its profile.
                Source::Profile => format!(
                    "c.room_id IN (SELECT r.id FROM profiles p JOIN rooms r ON r.profile_id = p.id \
                     WHERE p.site_id = {site} AND {test})"
                ),
                // The slot's values (`consultation_params`), not every consultation's JSON.
                Source::Slot(n) => format!(
                    "c.id IN (SELECT cp.consultation_id FROM consultation_params cp \
                     WHERE cp.site_id = {site} AND cp.slot = {n} AND {test})"
                ),
            });
        }
        if let Some(ours) = &f.scope {
            parts.push(crate::consultations::business_sql("c", Some(ours)));
        }
        c.sql = parts.join(" AND ");
        c
    }

    /// The index to read consultations by for `f`, where the planner would choose worse:
    /// SQLite (without statistics, and even with them) picks `consultations_held` for any
    /// condition on the site and reads a row per consultation. A condition on the profile is
    /// served by the matching rooms' consultations; one on the columns of
    /// `consultations_figures` by that index alone. Otherwise (nothing but the period and the
    /// state, or a custom parameter, whose ids drive) the planner's own choice is right.
    fn best_index(f: &ReportFilter) -> Option<&'static str> {
        let on_profile = f.params.iter().any(|p| {
            matches!(
                p.field,
                ParamField::SiteUid | ParamField::Name | ParamField::Phone | ParamField::Email
            )
        });
        let on_figures = !f.channels.is_empty()
            || !f.end_types.is_empty()
            || !f.scores.is_empty()
            || f.rating.is_some()
            || f.category_id.is_some()
            || f.division_id.is_some()
            || f.agent_id.is_some()
            || f.scope.is_some();
        if on_profile {
            Some("consultations_room")
        } else if f.params.is_empty() && on_figures {
            Some(FIGURES_INDEX)
        } else {
            None
        }
    }

    /// `consultations c`, read by [`Clause::index`] on SQLite.
    pub(crate) fn consultations(&self, backend: Backend) -> String {
        dialect::indexed_by(backend, "consultations c", self.index)
    }

    /// `consultations c` for rows newest first: as [`Clause::consultations`], or by
    /// [`CREATED_INDEX`] when the filter holds nothing but the period (the planner takes
    /// `consultations_figures`, whose rows of one millisecond it then sorts by id).
    pub(crate) fn rows_consultations(&self, backend: Backend) -> String {
        let index = if self.by_period {
            Some(CREATED_INDEX)
        } else {
            self.index
        };
        dialect::indexed_by(backend, "consultations c", index)
    }

    /// `column IN (…)` of `values` added to `parts`; nothing when there are none (any value).
    fn any_of(
        &mut self,
        parts: &mut Vec<String>,
        column: &str,
        values: impl IntoIterator<Item = Bind>,
    ) {
        let list: Vec<String> = values.into_iter().map(|v| self.push(v)).collect();
        if !list.is_empty() {
            parts.push(format!("{column} IN ({})", list.join(", ")));
        }
    }

    fn query<'q>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        let mut q = sqlx::query(sql);
        for b in &self.binds {
            q = match b {
                Bind::Int(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.as_str()),
            };
        }
        q
    }

    fn query_scalar<'q, T>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::QueryScalar<'q, sqlx::Any, T, sqlx::any::AnyArguments<'q>>
    where
        T: sqlx::Type<sqlx::Any> + sqlx::Decode<'q, sqlx::Any>,
        (T,): for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        let mut q = sqlx::query_scalar(sql);
        for b in &self.binds {
            q = match b {
                Bind::Int(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.as_str()),
            };
        }
        q
    }
}

/// Keeps `consultation_params` in step with consultation `id`'s custom parameters (`custom`,
/// as just written to the consultation): the rows it had are replaced.
pub(crate) async fn write_params(
    tx: &mut crate::rooms::Tx<'_>,
    site: SiteId,
    id: ConsultationId,
    custom: &inflow::Custom,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM consultation_params WHERE consultation_id = $1")
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    for (slot, value) in custom {
        sqlx::query(
            "INSERT INTO consultation_params (site_id, slot, value, consultation_id) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(site.get())
        .bind(i64::from(slot.number()))
        .bind(value.as_str())
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// `value` with LIKE's wildcards (and the escape character) taken literally.
fn like_escaped(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

impl Store {
    /// The counters above a report: how many consultations match, by how they stand.
    pub async fn report_counters(
        &self,
        site: SiteId,
        filter: &ReportFilter,
    ) -> Result<Counters, StoreError> {
        let clause = Clause::build(self.backend(), site, filter);
        let sql = format!(
            "SELECT c.state AS state, c.end_type AS end_type, COUNT(*) AS n FROM {} \
             WHERE {} GROUP BY c.state, c.end_type",
            clause.consultations(self.backend()),
            clause.sql
        );
        let rows = clause.query(&sql).fetch_all(&self.pool).await?;
        let mut counters = Counters::default();
        for row in rows {
            let code: i64 = col(&row, "state")?;
            let end: Option<String> = col(&row, "end_type")?;
            let n: i64 = col(&row, "n")?;
            let state = ConsultationState::from_code(code)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown state {code}")))?;
            let end = match end {
                None => None,
                Some(e) => Some(
                    e.parse::<EndType>()
                        .map_err(|_| StoreError::Corrupt(format!("unknown end type {e:?}")))?,
                ),
            };
            let what: Counted = counted(state, end);
            counters.add(what, u64::try_from(n).unwrap_or(0));
        }
        Ok(counters)
    }

    /// Up to `limit` rows matching `filter`, newest first, after `cursor` when given.
    pub async fn report_rows(
        &self,
        site: SiteId,
        filter: &ReportFilter,
        cursor: Option<ReportCursor>,
        limit: u32,
    ) -> Result<Vec<ReportRow>, StoreError> {
        let mut clause = Clause::build(self.backend(), site, filter);
        let mut sql_where = clause.sql.clone();
        if let Some(after) = cursor {
            let at = clause.push(Bind::Int(after.created_at));
            let id = clause.push(Bind::Int(after.id));
            sql_where.push_str(&format!(
                " AND c.created_at <= {at} \
                 AND (c.created_at < {at} OR (c.created_at = {at} AND c.id < {id}))"
            ));
        }
        let limit = clause.push(Bind::Int(i64::from(limit)));
        let page = format!(
            "SELECT {} AS row, c.created_at AS created_at, c.id AS id {} \
             WHERE {sql_where} ORDER BY c.created_at DESC, c.id DESC LIMIT {limit}",
            dialect::json_row(self.backend(), &ROW_VALUES, "c.custom"),
            ROW_FROM.replace(
                "{consultations}",
                &clause.rows_consultations(self.backend())
            ),
        );
        // The whole page as one value: the driver hands each row from the database's thread
        // to ours, and for a download of a million rows that hand-over cost more than the
        // query.
        let sql = dialect::json_page(self.backend(), &page);
        let text: Option<String> = clause.query_scalar(&sql).fetch_one(&self.pool).await?;
        let Some(text) = text else {
            return Ok(Vec::new());
        };
        let raw: Vec<RawRow> = serde_json::from_str(&text)?;
        let mut rows = raw
            .into_iter()
            .map(report_row)
            .collect::<Result<Vec<_>, _>>()?;
        // In the page's order whatever the aggregate kept.
        rows.sort_by_key(|r| std::cmp::Reverse((r.created_at, r.id)));
        let rooms: Vec<RoomId> = rows.iter().map(|r| r.room_id).collect();
        let tags = self.room_tags(site, Some(&rooms)).await?;
        for row in &mut rows {
            row.tags = tags.get(&row.room_id.get()).cloned();
        }
        Ok(rows)
    }

    /// What the dashboard needs of the consultations matching `filter`.
    ///
    /// The period is the filter's, or from the site's first consultation to its last. SQLite
    /// reads it in two halves at once, on two connections, each an hour at a time (one range
    /// of `consultations_figures` per hour, the hour's facts gathered into one JSON value: a
    /// few hundred values to decode instead of a million rows). PostgreSQL hands each half
    /// over in one `COPY` in its binary format, on a connection of its own, counted as it
    /// arrives. The halves are counted on tasks of their own and merged.
    pub async fn dashboard_tally(
        &self,
        site: SiteId,
        filter: &ReportFilter,
    ) -> Result<Tally, StoreError> {
        let Some((from, before)) = self.figures_period(site, filter).await? else {
            return Ok(Tally::default());
        };
        let hours = (before - from + HOUR_MS - 1) / HOUR_MS;
        let middle = from + hours / 2 * HOUR_MS;
        // Each half on a task of its own: its facts are counted on another thread too.
        let half = |from: i64, before: i64| {
            let (store, filter) = (self.clone(), filter.clone());
            tokio::spawn(async move { store.tally_between(site, &filter, from, before).await })
        };
        let (early, late) = tokio::join!(half(from, middle), half(middle, before));
        let joined = |r: Result<Result<Tally, StoreError>, tokio::task::JoinError>| {
            r.map_err(|e| StoreError::Corrupt(format!("the dashboard's reading stopped: {e}")))?
        };
        let mut early = joined(early)?;
        early.merge(joined(late)?);
        Ok(early)
    }

    /// The instants a dashboard's hours run over: the filter's period, narrowed to the site's
    /// first and last consultations; `None` when it holds none.
    async fn figures_period(
        &self,
        site: SiteId,
        filter: &ReportFilter,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        let first: Option<i64> =
            sqlx::query_scalar("SELECT MIN(created_at) FROM consultations WHERE site_id = $1")
                .bind(site.get())
                .fetch_one(&self.pool)
                .await?;
        let last: Option<i64> =
            sqlx::query_scalar("SELECT MAX(created_at) FROM consultations WHERE site_id = $1")
                .bind(site.get())
                .fetch_one(&self.pool)
                .await?;
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(None);
        };
        let from = filter.created_from.map_or(first, |f| f.max(first));
        let before = filter
            .created_before
            .map_or(last.saturating_add(1), |b| b.min(last.saturating_add(1)));
        Ok((from < before).then_some((from, before)))
    }

    /// The tally of the consultations matching `filter` created in `[from, before)`.
    async fn tally_between(
        &self,
        site: SiteId,
        filter: &ReportFilter,
        from: i64,
        before: i64,
    ) -> Result<Tally, StoreError> {
        let mut tally = Tally::default();
        if from >= before {
            return Ok(tally);
        }
        // The period is the hours' (a second range on the creation time would be the one
        // SQLite reads by, for every hour).
        let within = ReportFilter {
            created_from: None,
            created_before: None,
            ..filter.clone()
        };
        let mut clause = Clause::build(self.backend(), site, &within);
        let start = clause.push(Bind::Int(from));
        let end = clause.push(Bind::Int(before));
        match self.backend() {
            // Each hour one range of the index, whatever else the filter says, gathered as
            // JSON (building text from numbers costs SQLite more than JSON does), the rows'
            // arrays joined as text.
            Backend::Sqlite => {
                clause.index = Some(FIGURES_INDEX);
                let sql = format!(
                    "WITH RECURSIVE h(t) AS (SELECT CAST({start} AS BIGINT) UNION ALL \
                     SELECT t + {HOUR_MS} FROM h WHERE t + {HOUR_MS} < {end}) \
                     SELECT (SELECT '[' || group_concat(json_array({}), ',') || ']' \
                     FROM {} WHERE {} \
                     AND c.created_at >= h.t AND c.created_at < h.t + {HOUR_MS} \
                     AND c.created_at < {end}) AS facts FROM h",
                    FACT_VALUES.join(", "),
                    clause.consultations(self.backend()),
                    clause.sql
                );
                let rows = clause.query(&sql).fetch_all(&self.pool).await?;
                for row in rows {
                    // No consultation that hour: NULL.
                    let Some(text): Option<String> = row.try_get(0)? else {
                        continue;
                    };
                    json_facts(&text, &mut tally)?;
                }
            }
            // PostgreSQL hands the period's facts over in `COPY`'s binary format: no
            // statement result of a million rows through the driver, nothing printed as text
            // and parsed again. (Grouping by quarter hour in the database cost more: it sorts
            // the period first, or hashes it with each group's times held as a growing value.)
            Backend::Postgres => {
                let select = format!(
                    "SELECT c.created_at, c.channel, (c.assigned_at - c.created_at)::int8, \
                     (c.first_response_at - c.created_at)::int8, c.category_id::int8, \
                     c.agent_id::int8, c.rating::int8 FROM consultations c \
                     WHERE {} AND c.created_at >= {start} AND c.created_at < {end}",
                    clause.sql
                );
                let select = crate::report_stream::inline(&select, &clause.binds);
                let missing = || StoreError::Corrupt("a consultation without its time".into());
                self.copy_binary(&select, |t| {
                    tally.add(fact(
                        t.int8(0)?.ok_or_else(missing)?,
                        t.text(1)?.unwrap_or_default(),
                        t.int8(2)?,
                        t.int8(3)?,
                        t.int8(4)?,
                        t.int8(5)?,
                        t.int8(6)?,
                    )?);
                    Ok(())
                })
                .await?;
            }
        }
        Ok(tally)
    }

    /// The report columns `agent` chose to see (none chosen: `None`).
    pub async fn report_columns(&self, agent: AgentId) -> Result<Option<Vec<String>>, StoreError> {
        let text: Option<String> =
            sqlx::query_scalar("SELECT columns FROM report_columns WHERE agent_id = $1")
                .bind(agent.get())
                .fetch_optional(&self.pool)
                .await?;
        text.map(|t| serde_json::from_str(&t).map_err(StoreError::from))
            .transpose()
    }

    /// Keeps the report columns `agent` chose.
    pub async fn save_report_columns(
        &self,
        agent: AgentId,
        columns: &[String],
        now: i64,
    ) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        sqlx::query(
            "INSERT INTO report_columns (agent_id, columns, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (agent_id) DO UPDATE SET columns = excluded.columns, \
             updated_at = excluded.updated_at",
        )
        .bind(agent.get())
        .bind(serde_json::to_string(columns)?)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The names of a site's categories and divisions, by id.
    pub async fn category_names(
        &self,
        site: SiteId,
    ) -> Result<std::collections::BTreeMap<i64, String>, StoreError> {
        let rows = sqlx::query("SELECT id, name FROM categories WHERE site_id = $1")
            .bind(site.get())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((col(r, "id")?, col(r, "name")?)))
            .collect()
    }

    /// The names of a site's agents, by id (for a report's agent filter and columns).
    pub async fn agent_names(&self, site: SiteId) -> Result<Vec<(AgentId, String)>, StoreError> {
        let rows =
            sqlx::query("SELECT id, display_name FROM agents WHERE site_id = $1 ORDER BY id")
                .bind(site.get())
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| Ok((AgentId::new(col(r, "id")?), col(r, "display_name")?)))
            .collect()
    }
}

fn report_row(r: RawRow) -> Result<ReportRow, StoreError> {
    Ok(ReportRow {
        id: ConsultationId::new(r.id),
        room_id: RoomId::new(r.room_id),
        channel: r
            .channel
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("unknown channel {:?}", r.channel)))?,
        state: ConsultationState::from_code(r.state)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown state {}", r.state)))?,
        end_type: end_type(r.end_type)?,
        category_id: r.category_id.map(CategoryId::new),
        division_id: r.division_id.map(CategoryId::new),
        agent_id: r.agent_id.map(AgentId::new),
        user_parameter: r.user_parameter,
        custom: r.custom,
        created_at: r.created_at,
        assigned_at: r.assigned_at,
        first_response_at: r.first_response_at,
        closed_at: r.closed_at,
        rating: r.rating,
        rating_comment: r.rating_comment,
        customer_key: r.customer_key,
        site_uid: r.site_uid,
        name: r.name,
        phone: r.phone,
        email: r.email,
        category_name: r.category_name,
        division_name: r.division_name,
        agent_name: r.agent_name,
        message_count: r.message_count,
        tags: None,
    })
}

/// The tags of a site's customers by room: each room's profile's tags in the order added;
/// `rooms` narrows it to some rooms (` AND r.id IN (…)`) or is empty for the whole site.
/// Some rooms are looked up by id and their profiles' tags by profile; the whole site starts
/// from the tags instead ([`dialect::tags_then_rooms`]), since a desk tags few of its customers.
pub(crate) fn room_tags_sql(backend: Backend, rooms: &str) -> String {
    let join = if rooms.is_empty() {
        dialect::tags_then_rooms(backend)
    } else {
        "profile_tags t JOIN rooms r"
    };
    format!(
        "SELECT r.id AS room_id, t.tag AS tag FROM {join} ON r.profile_id = t.profile_id \
         WHERE r.site_id = $1{rooms} ORDER BY r.id, t.position"
    )
}

/// `(room, tag)` pairs in room order gathered into each room's tags joined by ", ".
pub(crate) fn join_tags(pairs: impl IntoIterator<Item = (i64, String)>) -> HashMap<i64, String> {
    let mut out: HashMap<i64, String> = HashMap::new();
    for (room, tag) in pairs {
        out.entry(room)
            .and_modify(|t| {
                t.push_str(", ");
                t.push_str(&tag);
            })
            .or_insert(tag);
    }
    out
}

impl Store {
    /// The tags of `site`'s customers by room id ([`room_tags_sql`]), of `rooms` only when
    /// given.
    /// Only customers with tags are in it: a desk tags some of its customers, not each one.
    pub(crate) async fn room_tags(
        &self,
        site: SiteId,
        rooms: Option<&[RoomId]>,
    ) -> Result<HashMap<i64, String>, StoreError> {
        let narrowing = match rooms {
            Some([]) => return Ok(HashMap::new()),
            Some(rooms) => format!(
                " AND r.id IN ({})",
                rooms
                    .iter()
                    .map(|r| r.get().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => String::new(),
        };
        let sql = room_tags_sql(self.backend(), &narrowing);
        let rows = sqlx::query(&sql)
            .bind(site.get())
            .fetch_all(&self.pool)
            .await?;
        let pairs = rows
            .iter()
            .map(|row| Ok((col::<i64>(row, "room_id")?, col::<String>(row, "tag")?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(join_tags(pairs))
    }
}

/// A stored end type.
pub(crate) fn end_type(stored: Option<String>) -> Result<Option<EndType>, StoreError> {
    stored
        .map(|e| {
            e.parse::<EndType>()
                .map_err(|_| StoreError::Corrupt(format!("unknown end type {e:?}")))
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_taken_literally() {
        assert_eq!(like_escaped("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(like_escaped("유입경로"), "유입경로");
    }

    #[test]
    fn stored_facts_are_tallied_as_written() {
        let mut tally = Tally::default();
        json_facts(
            r#"[[1000,"kakao",5000,null,3,null,5],[2000,"webchat_v2",null,null,null,7,null]]"#,
            &mut tally,
        )
        .unwrap();
        let expected = [
            Fact {
                created_at: 1000,
                channel: Channel::Kakao,
                waited_ms: Some(5000),
                first_response_ms: None,
                category_id: Some(CategoryId::new(3)),
                agent_id: None,
                rating: Some(5),
            },
            Fact {
                created_at: 2000,
                channel: Channel::WebchatV2,
                waited_ms: None,
                first_response_ms: None,
                category_id: None,
                agent_id: Some(AgentId::new(7)),
                rating: None,
            },
        ];
        let zone = sangdam_core::hours::Zone::default();
        let got = tally.figures(&zone, None, None);
        assert_eq!(
            got,
            sangdam_core::dashboard::figures(expected, &zone, None, None)
        );
        assert_eq!(got.scores, [0, 0, 0, 0, 1]);
        assert_eq!(got.unrated, 1);
        for bad in [
            "",
            "[[1000,\"kakao\"]]",
            "[[\"x\",\"kakao\",null,null,null,null,null]]",
            "[[1000,\"fax\",null,null,null,null,null]]",
            "[[1000,\"kakao\",1.5,null,null,null,null]]",
        ] {
            assert!(json_facts(bad, &mut Tally::default()).is_err(), "{bad:?}");
        }
    }
}

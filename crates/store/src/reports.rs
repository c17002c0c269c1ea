//! The consultation history (R7.1): a checked [`ReportFilter`] as SQL, its counters, and its
//! rows page by page, newest first.
//!
//! One statement shape serves the page, the downloads and the command line, so a download
//! holds exactly the rows the page shows. Paging is by key (creation time, then id), never by
//! offset, so the millionth row costs what the first does and rows written meanwhile neither
//! repeat nor go missing.

use inflow::Channel;
use sangdam_core::dashboard::Fact;
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
}

/// The values a row is made of, in [`RawRow`]'s order. The database writes each row as one
/// JSON array (see `dialect::json_row`): a million-row download then moves one value a row
/// through the driver instead of twenty-five, which is most of its cost.
const ROW_VALUES: [&str; 25] = [
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
    "r.customer_key",
    "p.site_uid",
    "p.name",
    "p.phone",
    "p.email",
    "cat.name",
    "divn.name",
    "a.display_name",
    "COALESCE(c.message_count, (SELECT COUNT(*) FROM messages m \
     WHERE m.room_id = c.room_id AND m.consultation_id = c.id))",
];

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

/// A value bound to a placeholder of a built statement.
#[derive(Debug, Clone)]
enum Bind {
    Int(i64),
    Text(String),
}

/// A filter as a `WHERE` clause over `consultations c` (joined with `rooms r` and
/// `profiles p`) and the values its placeholders take, numbered from `$1`.
struct Clause {
    sql: String,
    binds: Vec<Bind>,
}

impl Clause {
    fn push(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    fn build(backend: Backend, site: SiteId, f: &ReportFilter) -> Clause {
        let mut c = Clause {
            sql: String::new(),
            binds: Vec::new(),
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
            let column = match cond.field {
                ParamField::SiteUid => "p.site_uid".to_owned(),
                ParamField::Name => "p.name".to_owned(),
                ParamField::Phone => "p.phone".to_owned(),
                ParamField::Email => "p.email".to_owned(),
                ParamField::UserParameter => "c.user_parameter".to_owned(),
                ParamField::Custom(slot) => dialect::custom_value(backend, "c.custom", slot),
            };
            match cond.matching {
                Match::Exact => {
                    let v = c.push(Bind::Text(cond.value.clone()));
                    parts.push(format!("{column} = {v}"));
                }
                Match::Contains => {
                    let v = c.push(Bind::Text(format!("%{}%", like_escaped(&cond.value))));
                    parts.push(format!(
                        "{column} {} {v} ESCAPE '\\'",
                        dialect::like_any_case(backend)
                    ));
                }
            }
        }
        c.sql = parts.join(" AND ");
        c
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

    /// What the clause reads from: the consultations, joined to their rooms and profiles
    /// when a condition is on the profile (the page's rows always join them).
    fn source(f: &ReportFilter) -> &'static str {
        if Self::needs_profile(f) {
            "consultations c JOIN rooms r ON r.id = c.room_id JOIN profiles p ON p.id = r.profile_id"
        } else {
            "consultations c"
        }
    }

    /// Whether the clause reads the profile (so the counters need the join).
    fn needs_profile(f: &ReportFilter) -> bool {
        f.params.iter().any(|p| {
            matches!(
                p.field,
                ParamField::SiteUid | ParamField::Name | ParamField::Phone | ParamField::Email
            )
        })
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
        let from = Clause::source(filter);
        let sql = format!(
            "SELECT c.state AS state, c.end_type AS end_type, COUNT(*) AS n FROM {from} \
             WHERE {} GROUP BY c.state, c.end_type",
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
                " AND (c.created_at < {at} OR (c.created_at = {at} AND c.id < {id}))"
            ));
        }
        let limit = clause.push(Bind::Int(i64::from(limit)));
        let sql = format!(
            "SELECT {} AS row \
             FROM consultations c JOIN rooms r ON r.id = c.room_id \
             JOIN profiles p ON p.id = r.profile_id \
             LEFT JOIN categories cat ON cat.id = c.category_id \
             LEFT JOIN categories divn ON divn.id = c.division_id \
             LEFT JOIN agents a ON a.id = c.agent_id \
             WHERE {sql_where} ORDER BY c.created_at DESC, c.id DESC LIMIT {limit}",
            dialect::json_row(self.backend(), &ROW_VALUES, "c.custom")
        );
        let rows = clause.query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(report_row).collect()
    }

    /// One fact per consultation matching `filter`, for the dashboard.
    pub async fn dashboard_facts(
        &self,
        site: SiteId,
        filter: &ReportFilter,
    ) -> Result<Vec<Fact>, StoreError> {
        let clause = Clause::build(self.backend(), site, filter);
        let from = Clause::source(filter);
        // Gathered an hour of consultations at a time: a few hundred values to decode
        // instead of a million rows.
        let sql = format!(
            "SELECT {} AS facts FROM {from} WHERE {} GROUP BY c.created_at / 3600000",
            dialect::json_group(
                self.backend(),
                &[
                    "c.created_at",
                    "c.channel",
                    "c.assigned_at - c.created_at",
                    "c.first_response_at - c.created_at",
                    "c.category_id",
                    "c.agent_id",
                    "c.rating",
                ]
            ),
            clause.sql
        );
        type Raw = (
            i64,
            String,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        );
        let rows = clause.query(&sql).fetch_all(&self.pool).await?;
        let mut facts = Vec::new();
        for row in rows {
            let text: String = row.try_get(0)?;
            let raw: Vec<Raw> = serde_json::from_str(&text)?;
            facts.reserve(raw.len());
            for (created_at, channel, waited, responded, category, agent, rating) in raw {
                facts.push(Fact {
                    created_at,
                    channel: channel
                        .parse()
                        .map_err(|_| StoreError::Corrupt(format!("unknown channel {channel:?}")))?,
                    waited_ms: waited,
                    first_response_ms: responded,
                    category_id: category.map(CategoryId::new),
                    agent_id: agent.map(AgentId::new),
                    rating,
                });
            }
        }
        Ok(facts)
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

fn report_row(row: &AnyRow) -> Result<ReportRow, StoreError> {
    let text: String = row.try_get(0)?;
    let r: RawRow = serde_json::from_str(&text)?;
    Ok(ReportRow {
        id: ConsultationId::new(r.id),
        room_id: RoomId::new(r.room_id),
        channel: r
            .channel
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("unknown channel {:?}", r.channel)))?,
        state: ConsultationState::from_code(r.state)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown state {}", r.state)))?,
        end_type: r
            .end_type
            .map(|e| {
                e.parse::<EndType>()
                    .map_err(|_| StoreError::Corrupt(format!("unknown end type {e:?}")))
            })
            .transpose()?,
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_taken_literally() {
        assert_eq!(like_escaped("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(like_escaped("유입경로"), "유입경로");
    }
}

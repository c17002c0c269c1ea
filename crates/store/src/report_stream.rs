//! A download's rows in one pass: every row of a filter, newest first, handed over in chunks
//! as the database reads them, as of the moment the reading began (rows made meanwhile are
//! not in it).
//!
//! A page of the report page is one JSON value (see [`Store::report_rows`]); a download of a
//! million rows read that way spent most of its time building and parsing JSON. Here each
//! backend hands its values over in its own plainest form, from one statement:
//!
//! - SQLite: the file opened read-only with SQLite's own interface (rusqlite) on a blocking
//!   thread, each row's values read where they lie, without going through another thread as
//!   the pool's connections do;
//! - PostgreSQL: `COPY (…) TO STDOUT` in its text format, one stream of lines.
//!
//! An in-memory SQLite database (which no second connection can open) is read page by page.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use futures_util::StreamExt;
use rusqlite::types::ValueRef;
use sangdam_core::report::ReportFilter;
use sangdam_core::{AgentId, CategoryId, ConsultationId, ConsultationState, RoomId, SiteId};
use tokio::sync::mpsc;

use crate::db::{Backend, Store};
use crate::error::StoreError;
use crate::reports::{
    Bind, Clause, ROW_VALUES, ReportCursor, ReportRow, end_type, join_tags, room_tags_sql,
};

/// The page cache of a download's SQLite connection (32 MiB).
const DOWNLOAD_CACHE: &str = "PRAGMA cache_size = -32768";

/// Rows handed over at a time.
pub const STREAM_CHUNK_ROWS: usize = 2_000;

/// A download's rows, chunk after chunk; an error ends them. Dropping it stops the reading.
///
/// Chunks written can be given back ([`RowChunks::spent`]): the reading then frees their rows
/// on its own thread. Rows made on one thread and freed on another make the C allocator
/// take a lock shared by the two, and a million rows spent a sixth of their time waiting for it.
#[derive(Debug)]
pub struct RowChunks {
    rows: mpsc::Receiver<Result<Vec<ReportRow>, StoreError>>,
    spent: mpsc::UnboundedSender<Vec<ReportRow>>,
}

impl RowChunks {
    /// The next chunk; `None` after the last.
    pub async fn recv(&mut self) -> Option<Result<Vec<ReportRow>, StoreError>> {
        self.rows.recv().await
    }

    /// Where chunks written go back to the reading, to be freed there.
    pub fn spent(&self) -> SpentRows {
        SpentRows(self.spent.clone())
    }
}

/// Gives written chunks back to the reading that made them ([`RowChunks::spent`]).
#[derive(Debug, Clone)]
pub struct SpentRows(mpsc::UnboundedSender<Vec<ReportRow>>);

impl SpentRows {
    /// Hands `rows` back; once the reading has ended they are freed here.
    pub fn give_back(&self, rows: Vec<ReportRow>) {
        let _ = self.0.send(rows);
    }
}

/// The reading's side: where chunks go, and the spent ones coming back.
struct Chunks {
    tx: mpsc::Sender<Result<Vec<ReportRow>, StoreError>>,
    spent: mpsc::UnboundedReceiver<Vec<ReportRow>>,
}

impl Chunks {
    /// An empty chunk: a spent one emptied here (its rows freed on this thread), else a new
    /// one. Every other spent chunk waiting is freed here too.
    fn empty(&mut self) -> Vec<ReportRow> {
        let mut reused = None;
        while let Ok(mut spent) = self.spent.try_recv() {
            spent.clear();
            if reused.is_none() {
                reused = Some(spent);
            }
        }
        reused.unwrap_or_else(|| Vec::with_capacity(STREAM_CHUNK_ROWS))
    }

    async fn send(&self, chunk: Result<Vec<ReportRow>, StoreError>) -> Result<(), ()> {
        self.tx.send(chunk).await.map_err(|_| ())
    }

    fn blocking_send(&self, chunk: Result<Vec<ReportRow>, StoreError>) -> Result<(), ()> {
        self.tx.blocking_send(chunk).map_err(|_| ())
    }
}

impl Store {
    /// Every row matching `filter`, newest first, in chunks of [`STREAM_CHUNK_ROWS`] (the last
    /// one: what is left), read in one statement: the rows as they stood when it began.
    pub fn report_stream(&self, site: SiteId, filter: &ReportFilter) -> RowChunks {
        // Two chunks ahead: the database reads on while the last one is written.
        let (tx, rows) = mpsc::channel(2);
        let (spent, spent_rx) = mpsc::unbounded_channel();
        let mut tx = Chunks {
            tx,
            spent: spent_rx,
        };
        let clause = Clause::build(self.backend(), site, filter);
        let select = format!(
            "SELECT {} {} WHERE {} ORDER BY c.created_at DESC, c.id DESC",
            row_values(),
            STREAM_FROM.replace(
                "{consultations}",
                &clause.rows_consultations(self.backend())
            ),
            clause.sql
        );
        match (self.backend(), self.file.clone()) {
            (Backend::Sqlite, Some(file)) => {
                tokio::task::spawn_blocking(move || {
                    let read = open_reader(&file).and_then(|conn| {
                        let names = sqlite_names(&conn, site)?;
                        read_rows(&conn, &select, &clause.binds, &names, &mut tx)
                    });
                    if let Err(e) = read {
                        let _ = tx.blocking_send(Err(e));
                    }
                });
            }
            (Backend::Postgres, _) => {
                let store = self.clone();
                tokio::spawn(async move {
                    let copy = format!("COPY ({}) TO STDOUT", inline(&select, &clause.binds));
                    let read = match store.names(site).await {
                        Ok(names) => store.postgres_rows(&copy, &names, &mut tx).await,
                        Err(e) => Err(e),
                    };
                    if let Err(e) = read {
                        let _ = tx.send(Err(e)).await;
                    }
                });
            }
            (Backend::Sqlite, None) => {
                let (store, filter) = (self.clone(), filter.clone());
                tokio::spawn(async move {
                    if let Err(e) = store.paged_rows(site, &filter, &mut tx).await {
                        let _ = tx.send(Err(e)).await;
                    }
                });
            }
        }
        RowChunks { rows, spent }
    }

    /// The rows through `COPY … TO STDOUT` on a connection of its own (a download must not
    /// hold one of the pool's for its whole length).
    async fn postgres_rows(
        &self,
        copy: &str,
        names: &Names,
        tx: &mut Chunks,
    ) -> Result<(), StoreError> {
        let mut conn = self.copy_connection().await?;
        let mut stream = conn.copy_out_raw(copy).await?;
        let mut pending: Vec<u8> = Vec::with_capacity(1 << 20);
        let mut chunk = Vec::with_capacity(STREAM_CHUNK_ROWS);
        while let Some(bytes) = stream.next().await {
            pending.extend_from_slice(&bytes?);
            let mut start = 0;
            while let Some(end) = pending[start..].iter().position(|b| *b == b'\n') {
                chunk.push(names.fill(copy_row(&pending[start..start + end])?));
                start += end + 1;
                if chunk.len() == STREAM_CHUNK_ROWS {
                    let full = std::mem::replace(&mut chunk, tx.empty());
                    if tx.send(Ok(full)).await.is_err() {
                        return Ok(());
                    }
                }
            }
            pending.drain(..start);
        }
        if !pending.is_empty() {
            return Err(StoreError::Corrupt("a download ended inside a row".into()));
        }
        if !chunk.is_empty() {
            let _ = tx.send(Ok(chunk)).await;
        }
        Ok(())
    }

    /// The rows page after page through the pool (an in-memory SQLite database).
    async fn paged_rows(
        &self,
        site: SiteId,
        filter: &ReportFilter,
        tx: &mut Chunks,
    ) -> Result<(), StoreError> {
        let limit = u32::try_from(STREAM_CHUNK_ROWS).unwrap_or(u32::MAX);
        let mut cursor = None;
        loop {
            let page = self.report_rows(site, filter, cursor, limit).await?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            cursor = Some(ReportCursor {
                created_at: last.created_at,
                id: last.id.get(),
            });
            let full = page.len() == STREAM_CHUNK_ROWS;
            if tx.send(Ok(page)).await.is_err() || !full {
                return Ok(());
            }
            // The pages are the pool's; the spent ones are only freed.
            drop(tx.empty());
        }
    }
}

/// Where a download's rows come from: [`crate::reports::ROW_FROM`] without the category and
/// agent tables, whose names are filled in from [`Names`].
const STREAM_FROM: &str = "FROM {consultations}";

/// The row's values as plain columns (the custom parameters as their JSON text; the
/// category's, the division's and the agent's names as NULL, filled in from [`Names`]).
fn row_values() -> String {
    ROW_VALUES
        .iter()
        .map(|v| match *v {
            "@custom" => "c.custom",
            "cat.name" | "divn.name" | "a.display_name" => "NULL",
            v => v,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A site's category and agent names by id. A site has few of them; looking each row's up in
/// memory spares the database three lookups a row.
#[derive(Debug, Default)]
struct Names {
    categories: HashMap<i64, String>,
    agents: HashMap<i64, String>,
    /// The customers' tags by room (only rooms whose customer has some).
    tags: HashMap<i64, String>,
}

impl Names {
    fn fill(&self, mut row: ReportRow) -> ReportRow {
        let category =
            |id: Option<CategoryId>| id.and_then(|id| self.categories.get(&id.get())).cloned();
        row.category_name = category(row.category_id);
        row.division_name = category(row.division_id);
        row.agent_name = row
            .agent_id
            .and_then(|id| self.agents.get(&id.get()))
            .cloned();
        row.tags = self.tags.get(&row.room_id.get()).cloned();
        row
    }
}

const CATEGORY_NAMES: &str = "SELECT id, name FROM categories WHERE site_id = $1";
const AGENT_NAMES: &str = "SELECT id, display_name FROM agents WHERE site_id = $1";

impl Store {
    /// The names of `site`'s categories and agents, through the pool.
    async fn names(&self, site: SiteId) -> Result<Names, StoreError> {
        let pairs = |sql: &'static str| async move {
            sqlx::query_as::<_, (i64, String)>(sql)
                .bind(site.get())
                .fetch_all(&self.pool)
                .await
                .map(|rows| rows.into_iter().collect::<HashMap<_, _>>())
        };
        Ok(Names {
            categories: pairs(CATEGORY_NAMES).await?,
            agents: pairs(AGENT_NAMES).await?,
            tags: self.room_tags(site, None).await?,
        })
    }
}

/// The names of `site`'s categories and agents, on a download's SQLite connection.
fn sqlite_names(conn: &rusqlite::Connection, site: SiteId) -> Result<Names, StoreError> {
    let pairs = |sql: &str| -> Result<HashMap<i64, String>, StoreError> {
        let mut statement = conn.prepare(sql)?;
        let rows = statement.query_map([site.get()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    };
    let mut statement = conn.prepare(&room_tags_sql(Backend::Sqlite, ""))?;
    let tags = statement
        .query_map([site.get()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Names {
        categories: pairs(CATEGORY_NAMES)?,
        agents: pairs(AGENT_NAMES)?,
        tags: join_tags(tags),
    })
}

/// A read-only connection to the SQLite file for a download.
fn open_reader(file: &Path) -> Result<rusqlite::Connection, StoreError> {
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = rusqlite::Connection::open_with_flags(file, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // Each row looks up its room and profile, anywhere in the file: a page cache larger than
    // the pool's 2 MiB reads fewer of them again from the file.
    conn.execute_batch(DOWNLOAD_CACHE)?;
    Ok(conn)
}

/// The rows of `select` to `tx`, chunk by chunk.
fn read_rows(
    conn: &rusqlite::Connection,
    select: &str,
    binds: &[Bind],
    names: &Names,
    tx: &mut Chunks,
) -> Result<(), StoreError> {
    let mut statement = conn.prepare(select)?;
    for (n, bind) in binds.iter().enumerate() {
        let Some(at) = statement.parameter_index(&format!("${}", n + 1))? else {
            continue;
        };
        match bind {
            Bind::Int(v) => statement.raw_bind_parameter(at, v)?,
            Bind::Text(v) => statement.raw_bind_parameter(at, v.as_str())?,
        }
    }
    let mut rows = statement.raw_query();
    let mut chunk = Vec::with_capacity(STREAM_CHUNK_ROWS);
    while let Some(row) = rows.next()? {
        chunk.push(names.fill(sqlite_row(row)?));
        if chunk.len() == STREAM_CHUNK_ROWS {
            let full = std::mem::replace(&mut chunk, tx.empty());
            if tx.blocking_send(Ok(full)).is_err() {
                return Ok(());
            }
        }
    }
    if !chunk.is_empty() {
        let _ = tx.blocking_send(Ok(chunk));
    }
    Ok(())
}

/// One row of [`ROW_VALUES`] as SQLite holds it.
fn sqlite_row(row: &rusqlite::Row<'_>) -> Result<ReportRow, StoreError> {
    let mut values = Values::default();
    for i in 0..ROW_VALUES.len() {
        match (row.get_ref(i)?, int_column(i)) {
            (ValueRef::Null, _) => {}
            (ValueRef::Integer(v), true) => values.ints[i] = Some(v),
            (ValueRef::Text(t), false) => {
                let t = std::str::from_utf8(t)
                    .map_err(|e| StoreError::Corrupt(format!("a report's column {i}: {e}")))?;
                values.texts[i] = Some(Cow::Borrowed(t));
            }
            (other, _) => {
                return Err(StoreError::Corrupt(format!(
                    "a report's column {i} holds {:?}",
                    other.data_type()
                )));
            }
        }
    }
    values.row()
}

/// One line of `COPY … TO STDOUT` (text format: tab-separated, `\N` for NULL, backslash
/// escapes) of [`ROW_VALUES`].
fn copy_row(line: &[u8]) -> Result<ReportRow, StoreError> {
    let line = std::str::from_utf8(line)
        .map_err(|e| StoreError::Corrupt(format!("a download's row: {e}")))?;
    let mut values = Values::default();
    let mut fields = line.split('\t');
    for i in 0..ROW_VALUES.len() {
        let field = fields
            .next()
            .ok_or_else(|| StoreError::Corrupt(format!("a download's row has {i} values")))?;
        if field == "\\N" {
            continue;
        }
        if int_column(i) {
            values.ints[i] = Some(field.parse().map_err(|_| {
                StoreError::Corrupt(format!("a download's column {i} is {field:?}"))
            })?);
        } else {
            values.texts[i] = Some(unescape(field));
        }
    }
    if fields.next().is_some() {
        return Err(StoreError::Corrupt(
            "a download's row has more values than asked".into(),
        ));
    }
    values.row()
}

/// A text value of COPY's text format as it was stored.
fn unescape(field: &str) -> Cow<'_, str> {
    if !field.contains('\\') {
        return Cow::Borrowed(field);
    }
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    Cow::Owned(out)
}

/// Whether [`ROW_VALUES`]' value `i` is a number (else text).
fn int_column(i: usize) -> bool {
    // channel, end type, user parameter, custom, rating comment, customer key, site uid,
    // name, phone, e-mail, category, division, agent: text.
    !matches!(i, 2 | 4 | 8 | 9 | 15..=23)
}

/// A row's values as read, by [`ROW_VALUES`]' position.
#[derive(Default)]
struct Values<'a> {
    ints: [Option<i64>; ROW_VALUES.len()],
    texts: [Option<Cow<'a, str>>; ROW_VALUES.len()],
}

impl Values<'_> {
    fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.ints[i].ok_or_else(|| StoreError::Corrupt(format!("a report's column {i} is NULL")))
    }

    fn text(&mut self, i: usize) -> Option<String> {
        self.texts[i].take().map(Cow::into_owned)
    }

    fn row(mut self) -> Result<ReportRow, StoreError> {
        let channel = self.texts[2].take().unwrap_or_default();
        let state = self.int(3)?;
        let custom = match self.texts[9].take() {
            Some(json) => serde_json::from_str(&json)?,
            None => inflow::Custom::default(),
        };
        Ok(ReportRow {
            id: ConsultationId::new(self.int(0)?),
            room_id: RoomId::new(self.int(1)?),
            channel: channel
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("unknown channel {channel:?}")))?,
            state: ConsultationState::from_code(state)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown state {state}")))?,
            end_type: end_type(self.text(4))?,
            category_id: self.ints[5].map(CategoryId::new),
            division_id: self.ints[6].map(CategoryId::new),
            agent_id: self.ints[7].map(AgentId::new),
            user_parameter: self.text(8),
            custom,
            created_at: self.int(10)?,
            assigned_at: self.ints[11],
            first_response_at: self.ints[12],
            closed_at: self.ints[13],
            rating: self.ints[14],
            rating_comment: self.text(15),
            customer_key: self.text(16).unwrap_or_default(),
            site_uid: self.text(17),
            name: self.text(18),
            phone: self.text(19),
            email: self.text(20),
            category_name: self.text(21),
            division_name: self.text(22),
            agent_name: self.text(23),
            message_count: self.int(24)?,
            tags: None,
        })
    }
}

/// `sql` with its placeholders `$n` replaced by `binds`' values as literals (numbers as they
/// are, text as standard string literals).
pub(crate) fn inline(sql: &str, binds: &[Bind]) -> String {
    let mut out = String::with_capacity(sql.len() + 64);
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let bind = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|n| binds.get(n));
        match bind {
            Some(Bind::Int(v)) => out.push_str(&v.to_string()),
            Some(Bind::Text(v)) => {
                out.push('\'');
                out.push_str(&v.replace('\'', "''"));
                out.push('\'');
            }
            None => out.push_str(&rest[at..at + 1 + digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::File(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_literals() {
        let binds = [
            Bind::Int(7),
            Bind::Text("it's".into()),
            Bind::Int(-3),
            Bind::Int(1),
            Bind::Int(2),
            Bind::Int(3),
            Bind::Int(4),
            Bind::Int(5),
            Bind::Int(6),
            Bind::Text("ten".into()),
        ];
        assert_eq!(
            inline("a = $1 AND b LIKE $2 AND c IN ($3, $10) AND $1 > 0", &binds),
            "a = 7 AND b LIKE 'it''s' AND c IN (-3, 'ten') AND 7 > 0"
        );
        assert_eq!(inline("x = $11 OR $", &binds), "x = $11 OR $");
    }

    #[test]
    fn copy_text_reads_back_as_stored() {
        assert_eq!(unescape("plain 한글"), "plain 한글");
        assert_eq!(unescape(r"a\tb\nc\\d\re"), "a\tb\nc\\d\re");
        assert_eq!(unescape(r#"{"1":"x\\\"y"}"#), r#"{"1":"x\"y"}"#);
    }

    fn line(values: &[&str]) -> String {
        values.join("\t")
    }

    #[test]
    fn a_copy_line_is_a_row() {
        let mut v = vec![
            "12",
            "3",
            "kakao",
            "2",
            "customer",
            "\\N",
            "\\N",
            "5",
            "order\\t1",
            r#"{"parameter1":"네이버검색"}"#,
            "1000",
            "1500",
            "2000",
            "9000",
            "4",
            "\\N",
            "kakao-user-1",
            "\\N",
            "홍길동",
            "010-1234-5678",
            "\\N",
            "\\N",
            "\\N",
            "상담원",
            "17",
        ];
        let row = copy_row(line(&v).as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(row.id, ConsultationId::new(12));
        assert_eq!(row.channel, inflow::Channel::Kakao);
        assert_eq!(row.user_parameter.as_deref(), Some("order\t1"));
        assert_eq!(
            row.custom.values().next().map(String::as_str),
            Some("네이버검색")
        );
        assert_eq!(row.category_id, None);
        assert_eq!(row.agent_id, Some(AgentId::new(5)));
        assert_eq!(row.name.as_deref(), Some("홍길동"));
        assert_eq!(row.email, None);
        assert_eq!(row.agent_name.as_deref(), Some("상담원"));
        assert_eq!(row.message_count, 17);
        // A value short, one too many, a number that is not, a required one NULL.
        let short = line(&v[..24]);
        let long = format!("{}\tmore", line(&v));
        v[10] = "soon";
        let bad = line(&v);
        v[10] = "\\N";
        let null = line(&v);
        for broken in [short, long, bad, null] {
            assert!(copy_row(broken.as_bytes()).is_err(), "{broken}");
        }
    }

    /// A download reads the site's tagged customers starting from the tags: each tagged
    /// profile's rooms are looked up by `rooms_profile`, not every room's profile among the
    /// tags (SQLite's own choice without the hint, with a database's usual lack of statistics).
    #[tokio::test]
    async fn a_downloads_tags_start_from_the_tags() {
        let db = crate::testing::TestDb::fresh(Backend::Sqlite)
            .await
            .unwrap_or_else(|| panic!("SQLite is always there"));
        Store::connect(&db.url)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .close()
            .await;
        let conn = rusqlite::Connection::open(&db.url).unwrap_or_else(|e| panic!("{e}"));
        let plan = |sql: &str| -> Vec<String> {
            let mut statement = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap_or_else(|e| panic!("{e}"));
            statement
                .query_map([1], |r| r.get::<_, String>(3))
                .unwrap_or_else(|e| panic!("{e}"))
                .collect::<Result<_, _>>()
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let whole = plan(&room_tags_sql(Backend::Sqlite, ""));
        assert!(whole[0].starts_with("SCAN t"), "{whole:?}");
        assert!(
            whole[1].starts_with("SEARCH r USING INDEX rooms_profile"),
            "{whole:?}"
        );
        // A page's few rooms are looked up by id, then their profiles' tags.
        let page = plan(&room_tags_sql(Backend::Sqlite, " AND r.id IN (1, 2)"));
        assert!(page[0].starts_with("SEARCH r"), "{page:?}");
        assert!(page[1].starts_with("SEARCH t"), "{page:?}");
        drop(conn);
        db.remove().await;
    }
}

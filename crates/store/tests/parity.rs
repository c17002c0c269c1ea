//! The two migration sets describe one schema: after migrating, SQLite and PostgreSQL have the
//! same tables, the same columns (names, and whether they may be empty) and the same indexes.
//! A migration added to one set and forgotten in the other fails here.
//!
//! One table is each database's own kind and is compared by its name alone: the message search
//! index, `message_search` (SQLite: an FTS5 virtual table, with the shadow tables FTS5 keeps
//! beside it; PostgreSQL: a table of `tsvector`s with a GIN index).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use sqlx::{Connection, PgConnection, Row, SqliteConnection};
use store::testing::TestDb;
use store::{Backend, Store};

/// The search index: present in both, its insides each database's own.
const SEARCH_INDEX: &str = "message_search";

/// Columns PostgreSQL has and SQLite does not, by design: a room's message count, which
/// PostgreSQL's sequence trigger numbers from under the room's lock (several instances write
/// at once); SQLite's one writer numbers from the room's highest message instead.
const POSTGRES_ONLY: &[(&str, &str)] = &[("rooms", "message_seq")];

/// Whether table `t` is the search index or one of its SQLite shadow tables.
fn search_index(t: &str) -> bool {
    t == SEARCH_INDEX
        || t.strip_prefix(SEARCH_INDEX).is_some_and(|rest| {
            ["_config", "_data", "_docsize", "_idx", "_content"].contains(&rest)
        })
}

/// (table, column, may be NULL) and (table, index name), sorted.
#[derive(Debug, PartialEq, Eq)]
struct Schema {
    tables: BTreeSet<String>,
    columns: BTreeSet<(String, String, bool)>,
    indexes: BTreeSet<(String, String)>,
}

async fn sqlite_schema(url: &str) -> Schema {
    let mut c = SqliteConnection::connect(&format!("sqlite://{url}"))
        .await
        .unwrap();
    let tables: BTreeSet<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get::<String, _>(0))
    .collect();
    let mut columns = BTreeSet::new();
    for t in &tables {
        for r in sqlx::query("SELECT name, \"notnull\", pk FROM pragma_table_info($1)")
            .bind(t)
            .fetch_all(&mut c)
            .await
            .unwrap()
        {
            let pk: i64 = r.get(2);
            // An INTEGER PRIMARY KEY is the rowid: never empty, though SQLite says nullable.
            let nullable = r.get::<i64, _>(1) == 0 && pk == 0;
            columns.insert((t.clone(), r.get::<String, _>(0), nullable));
        }
    }
    let indexes = sqlx::query(
        "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' \
         AND name NOT LIKE 'sqlite_autoindex_%'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
    .collect();
    Schema {
        tables,
        columns,
        indexes,
    }
}

async fn postgres_schema(url: &str) -> Schema {
    let mut c = PgConnection::connect(url).await.unwrap();
    let tables: BTreeSet<String> = sqlx::query(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
         AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get::<String, _>(0))
    .collect();
    let columns = sqlx::query(
        "SELECT table_name::text, column_name::text, is_nullable = 'YES' \
         FROM information_schema.columns WHERE table_schema = 'public' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.get::<String, _>(0),
            r.get::<String, _>(1),
            r.get::<bool, _>(2),
        )
    })
    .collect();
    // Indexes made by the schema, not those behind a primary key or UNIQUE constraint (SQLite
    // names those itself: sqlite_autoindex_…).
    let indexes = sqlx::query(
        "SELECT tablename::text, indexname::text FROM pg_indexes WHERE schemaname = 'public' \
         AND tablename <> '_sqlx_migrations' \
         AND indexname NOT IN (SELECT conname FROM pg_constraint)",
    )
    .fetch_all(&mut c)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
    .collect();
    Schema {
        tables,
        columns,
        indexes,
    }
}

/// What `x` has and `y` lacks.
fn only<T: Ord + Clone>(x: &BTreeSet<T>, y: &BTreeSet<T>) -> Vec<T> {
    x.difference(y).cloned().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_sets_give_the_same_schema() {
    let Some(pg) = TestDb::fresh(Backend::Postgres).await else {
        return;
    };
    let lite = TestDb::fresh(Backend::Sqlite).await.unwrap();
    for db in [&lite, &pg] {
        Store::connect(&db.url).await.unwrap().close().await;
    }
    let (mut a, mut b) = (
        sqlite_schema(&lite.url).await,
        postgres_schema(&pg.url).await,
    );
    for s in [&mut a, &mut b] {
        assert!(s.tables.contains(SEARCH_INDEX), "{:?}", s.tables);
        s.tables.retain(|t| t == SEARCH_INDEX || !search_index(t));
        s.columns.retain(|(t, _, _)| !search_index(t));
        s.indexes.retain(|(t, _)| !search_index(t));
    }
    b.columns
        .retain(|(t, c, _)| !POSTGRES_ONLY.contains(&(t.as_str(), c.as_str())));
    lite.remove().await;
    pg.remove().await;
    assert!(
        a.tables.contains("jobs") && a.tables.contains("messages"),
        "{:?}",
        a.tables
    );
    assert_eq!(
        only(&a.tables, &b.tables),
        Vec::<String>::new(),
        "tables only in SQLite"
    );
    assert_eq!(
        only(&b.tables, &a.tables),
        Vec::<String>::new(),
        "tables only in PostgreSQL"
    );
    assert_eq!(
        only(&a.columns, &b.columns),
        vec![],
        "columns only in SQLite (or nullable there only)"
    );
    assert_eq!(
        only(&b.columns, &a.columns),
        vec![],
        "columns only in PostgreSQL (or nullable there only)"
    );
    assert_eq!(
        only(&a.indexes, &b.indexes),
        vec![],
        "indexes only in SQLite"
    );
    assert_eq!(
        only(&b.indexes, &a.indexes),
        vec![],
        "indexes only in PostgreSQL"
    );
}

//! `sangdam seed` on the real binary, on SQLite and PostgreSQL: what it says it wrote is what
//! the database holds, the same seed writes the same consultations into another database, a
//! second run adds to the first, the database still hands out ids of its own afterwards, and
//! a site that does not exist is refused with exit code 2; the table is stored in creation
//! order.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{any_pool, create_site, on_fresh_database, run_seed};
use serde_json::Value;
use sqlx::{AnyPool, Row};

/// 2025-12-01T00:00:00Z: a fixed end, so that two runs make the same rows.
const UNTIL: &str = "1764547200000";

fn seed(database_url: &str, site: i64, consultations: u64, seed: u64) -> std::process::Output {
    let (consultations, seed) = (consultations.to_string(), seed.to_string());
    run_seed(
        database_url,
        site,
        &[
            "--consultations",
            &consultations,
            "--seed",
            &seed,
            "--until",
            UNTIL,
        ],
    )
}

fn seeded(database_url: &str, site: i64, consultations: u64, seed_: u64) -> Value {
    let out = seed(database_url, site, consultations, seed_);
    assert!(
        out.status.success(),
        "seed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("seed prints one JSON line")
}

async fn count(pool: &AnyPool, table: &str, site: i64) -> i64 {
    sqlx::query(&format!(
        "SELECT COUNT(*) AS n FROM {table} WHERE site_id = $1"
    ))
    .bind(site)
    .fetch_one(pool)
    .await
    .expect("count")
    .try_get("n")
    .expect("n")
}

const NUMBERS: [&str; 16] = [
    "id",
    "room_id",
    "state",
    "agent_id",
    "closed_by",
    "category_id",
    "division_id",
    "created_at",
    "assigned_at",
    "first_response_at",
    "closed_at",
    "updated_at",
    "waiting_since",
    "answered_at",
    "rating",
    "rated_at",
];
const TEXTS: [&str; 5] = [
    "channel",
    "end_type",
    "user_parameter",
    "custom",
    "rating_comment",
];

/// Every consultation, every column seeding writes, as text.
async fn consultations(pool: &AnyPool) -> Vec<Vec<String>> {
    let rows = sqlx::query("SELECT * FROM consultations ORDER BY id")
        .fetch_all(pool)
        .await
        .expect("consultations");
    rows.iter()
        .map(|r| {
            let mut out: Vec<String> = NUMBERS
                .iter()
                .map(|c| format!("{:?}", r.try_get::<Option<i64>, _>(*c).expect(c)))
                .collect();
            out.extend(
                TEXTS
                    .iter()
                    .map(|c| format!("{:?}", r.try_get::<Option<String>, _>(*c).expect(c))),
            );
            out
        })
        .collect()
}

async fn scenario(url: String, backend: store::Backend) {
    let site = create_site(&url)["site_id"].as_i64().expect("site_id");

    // A site that does not exist: refused as a usage error, nothing written.
    let refused = seed(&url, site + 100, 10, 1);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no site"));

    let summary = seeded(&url, site, 2000, 7);
    let db = any_pool(&url).await;
    assert_eq!(summary["site"], site);
    assert_eq!(summary["consultations"], 2000);
    assert_eq!(summary["agents"], 20);
    assert_eq!(summary["categories"], 10);
    for table in [
        "consultations",
        "messages",
        "rooms",
        "profiles",
        "categories",
    ] {
        assert_eq!(
            summary[table].as_i64(),
            Some(count(&db, table, site).await),
            "{table}: {summary}"
        );
    }
    // The site's admin, and the 20 seeded agents.
    assert_eq!(count(&db, "agents", site).await, 21);
    let messages = summary["messages"].as_i64().unwrap();
    assert!((2000 * 4..2000 * 30).contains(&messages), "{summary}");
    let open: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM consultations WHERE state IN (0, 1) AND site_id = $1",
    )
    .bind(site)
    .fetch_one(&db)
    .await
    .unwrap()
    .try_get("n")
    .unwrap();
    assert!((100..400).contains(&open), "{open} open");
    let first = consultations(&db).await;
    assert_eq!(first.len(), 2000);

    // The table is laid out in creation order, as a desk's own history is (SQLite keeps it by
    // id, which follows creation time; PostgreSQL keeps the order of the inserts, so the seed
    // rewrites it), whatever the order the customers were made in.
    let stored = match backend {
        store::Backend::Sqlite => "rowid",
        store::Backend::Postgres => "ctid",
    };
    let laid_out: Vec<(i64, i64)> = sqlx::query(&format!(
        "SELECT created_at, id FROM consultations ORDER BY {stored}"
    ))
    .fetch_all(&db)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.try_get("created_at").unwrap(), r.try_get("id").unwrap()))
    .collect();
    assert_eq!(laid_out.len(), 2000);
    let out_of_order = laid_out.windows(2).filter(|w| w[0] > w[1]).count();
    assert_eq!(out_of_order, 0, "rows stored out of creation order");

    // The same seed into another database of the same kind: the same consultations.
    on_fresh_database(backend, move |other| async move {
        let again = create_site(&other)["site_id"].as_i64().unwrap();
        assert_eq!(again, site);
        seeded(&other, again, 2000, 7);
        let other_db = any_pool(&other).await;
        assert!(
            consultations(&other_db).await == first,
            "same seed, other rows"
        );
        other_db.close().await;
    })
    .await;

    // A second run adds to the first: no more agents or categories, fresh keys.
    let more = seeded(&url, site, 300, 8);
    assert_eq!(more["consultations"], 300);
    assert_eq!(more["agents"], 0);
    assert_eq!(more["categories"], 0);
    assert_eq!(count(&db, "consultations", site).await, 2300);

    // The database's own ids go on after the seeded ones (PostgreSQL's sequences were reset).
    let id: i64 = sqlx::query(
        "INSERT INTO consultations (site_id, room_id, channel, state, created_at, updated_at) \
         SELECT site_id, room_id, channel, 2, created_at, updated_at FROM consultations \
         WHERE id = 1 RETURNING id",
    )
    .fetch_one(&db)
    .await
    .expect("an insert without an id")
    .try_get("id")
    .unwrap();
    assert_eq!(id, 2301);
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeding_sqlite_writes_what_it_reports_and_the_same_rows_for_the_same_seed() {
    on_fresh_database(store::Backend::Sqlite, |url| {
        scenario(url, store::Backend::Sqlite)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeding_postgres_writes_what_it_reports_and_the_same_rows_for_the_same_seed() {
    on_fresh_database(store::Backend::Postgres, |url| {
        scenario(url, store::Backend::Postgres)
    })
    .await;
}

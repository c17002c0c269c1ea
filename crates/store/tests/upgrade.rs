//! A database the previous release made, already holding consultations, is upgraded in place
//! by `Store::connect`: the migration that keeps each consultation's customer on it fills the
//! rows that were there before it, on SQLite and on PostgreSQL.
//!
//! The older schema is made by running the migration files before that one, copied to a
//! directory of their own; the upgrade then runs the whole shipped set, as a new release does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use sqlx::migrate::Migrator;
use sqlx::{PgPool, SqlitePool};
use store::testing::TestDb;
use store::{Backend, Store};

/// The first migration that keeps the customer on the consultation.
const CUSTOMER_ON_CONSULTATION: u32 = 28;

/// The shipped migration files of `backend` numbered below `version`, copied to a new directory.
fn migrations_before(backend: Backend, version: u32) -> PathBuf {
    let set = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(set);
    let to = std::env::temp_dir().join(format!(
        "sangdam-upgrade-{set}-{}-{}",
        std::process::id(),
        version
    ));
    let _ = std::fs::remove_dir_all(&to);
    std::fs::create_dir_all(&to).unwrap();
    let mut copied = 0;
    for entry in std::fs::read_dir(&from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let number: u32 = name.split('_').next().unwrap().parse().unwrap();
        if number < version {
            std::fs::copy(&path, to.join(&name)).unwrap();
            copied += 1;
        }
    }
    assert!(copied > 20, "found only {copied} migrations in {from:?}");
    to
}

/// The rows an older release left: two customers' profiles (one without any fixed parameter),
/// three rooms (two of them the first customer's, on two channels) and four consultations.
const SETUP: &[&str] = &[
    "INSERT INTO sites (name, secret, settings, created_at) VALUES ('쇼핑몰', 's', '{}', 1)",
    "INSERT INTO profiles (site_id, site_uid, name, phone, email, created_at, updated_at) \
     VALUES (1, 'u-1', '김하늘', '010-1234-5678', 'sky@example.com', 1, 1)",
    "INSERT INTO profiles (site_id, created_at, updated_at) VALUES (1, 1, 1)",
    "INSERT INTO rooms (site_id, platform, channel, customer_key, profile_id, created_at) \
     VALUES (1, 'web', 'web', 'visitor-a', 1, 1)",
    "INSERT INTO rooms (site_id, platform, channel, customer_key, profile_id, created_at) \
     VALUES (1, 'kakao', 'kakao', 'kakao-user-a', 1, 1)",
    "INSERT INTO rooms (site_id, platform, channel, customer_key, profile_id, created_at) \
     VALUES (1, 'web', 'web', 'visitor-b', 2, 1)",
    "INSERT INTO consultations (site_id, room_id, channel, state, created_at, updated_at) \
     VALUES (1, 1, 'web', 2, 10, 10)",
    "INSERT INTO consultations (site_id, room_id, channel, state, created_at, updated_at) \
     VALUES (1, 2, 'kakao', 2, 20, 20)",
    "INSERT INTO consultations (site_id, room_id, channel, state, created_at, updated_at) \
     VALUES (1, 3, 'web', 2, 30, 30)",
    "INSERT INTO consultations (site_id, room_id, channel, state, created_at, updated_at) \
     VALUES (1, 1, 'web', 0, 40, 40)",
];

type Customer = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// What the upgrade must put on each consultation, oldest first: its room's key and its
/// profile's ID, name, phone and e-mail.
fn expected() -> Vec<Customer> {
    let a = |key: &str| {
        (
            Some(key.to_owned()),
            Some("u-1".to_owned()),
            Some("김하늘".to_owned()),
            Some("010-1234-5678".to_owned()),
            Some("sky@example.com".to_owned()),
        )
    };
    vec![
        a("visitor-a"),
        a("kakao-user-a"),
        (Some("visitor-b".to_owned()), None, None, None, None),
        a("visitor-a"),
    ]
}

const CUSTOMERS: &str = "SELECT customer_key, customer_site_uid, customer_name, customer_phone, \
                         customer_email FROM consultations ORDER BY created_at";

async fn upgrade_keeps_the_customer_on_existing_consultations(backend: Backend) {
    let Some(db) = TestDb::fresh(backend).await else {
        return;
    };
    let older_files = migrations_before(backend, CUSTOMER_ON_CONSULTATION);
    let older = Migrator::new(older_files.clone()).await.unwrap();
    match backend {
        Backend::Sqlite => {
            let pool = SqlitePool::connect(&format!("sqlite://{}?mode=rwc", db.url))
                .await
                .unwrap();
            older.run(&pool).await.unwrap();
            for s in SETUP {
                sqlx::query(s).execute(&pool).await.unwrap();
            }
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = PgPool::connect(&db.url).await.unwrap();
            older.run(&pool).await.unwrap();
            for s in SETUP {
                sqlx::query(s).execute(&pool).await.unwrap();
            }
            pool.close().await;
        }
    }

    // The new release opens it: the remaining migrations run.
    let store = Store::connect(&db.url).await.expect("upgrade");
    store.close().await;

    let read: Vec<Customer> = match backend {
        Backend::Sqlite => {
            let pool = SqlitePool::connect(&format!("sqlite://{}", db.url))
                .await
                .unwrap();
            sqlx::query_as(CUSTOMERS).fetch_all(&pool).await.unwrap()
        }
        Backend::Postgres => {
            let pool = PgPool::connect(&db.url).await.unwrap();
            sqlx::query_as(CUSTOMERS).fetch_all(&pool).await.unwrap()
        }
    };
    assert_eq!(read, expected());
    let _ = std::fs::remove_dir_all(older_files);
}

#[tokio::test]
async fn upgrade_keeps_the_customer_on_existing_consultations_sqlite() {
    upgrade_keeps_the_customer_on_existing_consultations(Backend::Sqlite).await;
}

#[tokio::test]
async fn upgrade_keeps_the_customer_on_existing_consultations_postgres() {
    upgrade_keeps_the_customer_on_existing_consultations(Backend::Postgres).await;
}

//! Fresh databases for tests, on both backends: a new SQLite file, or a new database on the
//! PostgreSQL server named by `SANGDAM_TEST_PG` (each test creates and drops its own). Without
//! `SANGDAM_TEST_PG` the PostgreSQL variants are skipped loudly, except on CI (`CI=true`),
//! where a missing PostgreSQL is a failure.
#![allow(clippy::panic)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{Connection, Executor, PgConnection};

use crate::db::Backend;

/// Databases are named with this prefix; `scripts/test.sh` sweeps leftovers of an interrupted
/// run by it.
pub const PREFIX: &str = "sangdam_t_";

/// The PostgreSQL server of `SANGDAM_TEST_PG`, or `None` (after saying so loudly) when the
/// PostgreSQL variants are to be skipped.
///
/// # Panics
/// On CI (`CI=true`) without `SANGDAM_TEST_PG`.
pub fn pg_server() -> Option<PgServer> {
    match std::env::var("SANGDAM_TEST_PG") {
        Ok(url) if !url.trim().is_empty() => Some(PgServer::parse(url.trim())),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("SANGDAM_TEST_PG is not set and CI=true: the PostgreSQL tests must run");
            }
            eprintln!("SKIPPING PostgreSQL variant: SANGDAM_TEST_PG is not set");
            None
        }
    }
}

/// `scheme://user@host:port` and any `?options`, without a database.
#[derive(Debug, Clone)]
pub struct PgServer {
    base: String,
    query: String,
}

impl PgServer {
    fn parse(url: &str) -> PgServer {
        let (url, query) = match url.split_once('?') {
            Some((u, q)) => (u, format!("?{q}")),
            None => (url, String::new()),
        };
        let after_scheme = url.find("://").map_or(0, |i| i + 3);
        let base = match url[after_scheme..].find('/') {
            Some(i) => &url[..after_scheme + i],
            None => url,
        };
        PgServer {
            base: base.to_owned(),
            query,
        }
    }

    /// The URL of database `db` on this server.
    pub fn url(&self, db: &str) -> String {
        format!("{}/{db}{}", self.base, self.query)
    }
}

/// A name no other test (of this or another process) uses.
pub fn unique(prefix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{prefix}{}_{}_{nanos:x}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A test's own database; [`TestDb::remove`] deletes it.
#[derive(Debug, Clone)]
pub struct TestDb {
    /// What [`crate::Store::connect`] takes.
    pub url: String,
    place: Place,
}

#[derive(Debug, Clone)]
enum Place {
    Sqlite(PathBuf),
    Postgres { server: PgServer, name: String },
}

impl TestDb {
    /// A fresh, empty database of `backend`, or `None` when PostgreSQL is skipped.
    ///
    /// # Panics
    /// When the PostgreSQL server named cannot be reached or refuses to create a database.
    pub async fn fresh(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("{}.db", unique(PREFIX)));
                Some(TestDb {
                    url: path.to_string_lossy().into_owned(),
                    place: Place::Sqlite(path),
                })
            }
            Backend::Postgres => {
                let server = pg_server()?;
                let name = unique(PREFIX);
                let mut admin = PgConnection::connect(&server.url("postgres"))
                    .await
                    .unwrap_or_else(|e| panic!("cannot reach PostgreSQL (SANGDAM_TEST_PG): {e}"));
                if let Err(e) = admin
                    .execute(format!("CREATE DATABASE \"{name}\"").as_str())
                    .await
                {
                    panic!("cannot create the test database: {e}");
                }
                let _ = admin.close().await;
                Some(TestDb {
                    url: server.url(&name),
                    place: Place::Postgres { server, name },
                })
            }
        }
    }

    /// Deletes the database (its files, or drops it, closing its connections).
    pub async fn remove(&self) {
        match &self.place {
            Place::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            Place::Postgres { server, name } => {
                if let Ok(mut admin) = PgConnection::connect(&server.url("postgres")).await {
                    let _ = admin
                        .execute(
                            format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").as_str(),
                        )
                        .await;
                    let _ = admin.close().await;
                }
            }
        }
    }
}

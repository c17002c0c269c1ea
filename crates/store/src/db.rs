//! Connecting, migrating, and the write discipline per backend.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use tokio::sync::{Mutex, MutexGuard};

use crate::error::StoreError;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The storage layer. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer at a time; queueing here avoids `SQLITE_BUSY` on upgrade from a
    /// read to a write lock inside a transaction.
    writer: Option<Arc<Mutex<()>>>,
    /// Where new messages queue for the message writer (`None` in the writer's own copy).
    pub(crate) queue: Option<crate::writer::MessageQueue>,
}

/// Held for the duration of a write transaction (a no-op on PostgreSQL).
pub(crate) struct WriteGuard<'a>(#[allow(dead_code)] Option<MutexGuard<'a, ()>>);

impl Store {
    /// Opens (creating it if needed) and migrates the database at `url`: `postgres://…`, or
    /// `sqlite://path`, or a plain file path meaning SQLite.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = normalize_url(url);
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL: readers never block the writer. synchronous=NORMAL in WAL
                            // mode keeps every committed transaction across a process crash.
                            // Checkpoints run in the background (below), never inside a
                            // writer's commit.
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; \
                                 PRAGMA wal_autocheckpoint = 0; \
                                 PRAGMA journal_size_limit = 67108864;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?
            }
        };
        match backend {
            Backend::Sqlite => {
                SQLITE_MIGRATIONS.run(&pool).await?;
                spawn_checkpointer(pool.clone());
            }
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        let mut store = Store {
            pool,
            backend,
            writer: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            queue: None,
        };
        store.queue = Some(crate::writer::MessageQueue::start(store.clone()));
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) async fn write_guard(&self) -> WriteGuard<'_> {
        match &self.writer {
            Some(m) => WriteGuard(Some(m.lock().await)),
            None => WriteGuard(None),
        }
    }

    /// Closes every connection (checkpointing SQLite's WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A cheap query proving the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

/// Copies SQLite's write-ahead log back into the database file every half second, beside the
/// writers rather than inside one of their commits (SQLite's automatic checkpoint runs in the
/// commit that crosses 1,000 pages, stalling that writer and every one queued behind it for
/// the checkpoint's fsync). `PASSIVE` never blocks readers or writers; it stops with the pool.
fn spawn_checkpointer(pool: AnyPool) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if pool.is_closed() {
                return;
            }
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                if pool.is_closed() {
                    return;
                }
                tracing::warn!(error = %e, "WAL checkpoint failed; retrying");
            }
        }
    });
}

const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

fn normalize_url(url: &str) -> (Backend, String) {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return (Backend::Postgres, url.to_owned());
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let sep = if path.contains('?') { '&' } else { '?' };
    let create = if path.contains("mode=") {
        String::new()
    } else {
        format!("{sep}mode=rwc")
    };
    (Backend::Sqlite, format!("sqlite://{path}{create}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            normalize_url("sangdam.db"),
            (Backend::Sqlite, "sqlite://sangdam.db?mode=rwc".into())
        );
        assert_eq!(
            normalize_url("sqlite:///tmp/x.db"),
            (Backend::Sqlite, "sqlite:///tmp/x.db?mode=rwc".into())
        );
        assert_eq!(
            normalize_url("postgres://postgres@127.0.0.1/x").0,
            Backend::Postgres
        );
    }
}

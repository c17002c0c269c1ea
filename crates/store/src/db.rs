//! Connecting, migrating, and the write discipline per backend.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor, Row};
use tokio::sync::{Mutex, MutexGuard, watch};
use tokio::task::JoinHandle;

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
    /// Where new messages queue for the message writer while its task runs (shared by every
    /// clone).
    pub(crate) queue: Arc<RwLock<Option<crate::writer::MessageQueue>>>,
    /// The SQLite database file (flushed by the checkpointer; downloads read it directly).
    pub(crate) file: Option<PathBuf>,
    /// Told of every message the writer stores, in the order they are stored.
    pub(crate) on_message: crate::writer::HookSlot,
    /// How many `COPY` connections (beside the pool's) may be open at once.
    pub(crate) copy_slots: Arc<tokio::sync::Semaphore>,
}

/// The `COPY` connections an instance opens beside its pool, at most (a download holds one,
/// a dashboard on PostgreSQL two for a moment; more wait their turn).
pub const COPY_CONNECTIONS: usize = 4;

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
                            conn.execute(crate::dialect::SQLITE_CONNECTION).await?;
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
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute(crate::dialect::POSTGRES_CONNECTION).await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
        };
        match backend {
            Backend::Sqlite => {
                SQLITE_MIGRATIONS.run(&pool).await?;
            }
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        let store = Store {
            pool,
            backend,
            writer: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            queue: Arc::default(),
            on_message: Default::default(),
            file: sqlite_file(&url),
            copy_slots: Arc::new(tokio::sync::Semaphore::new(COPY_CONNECTIONS)),
        };
        store.rekey_credential_rooms().await?;
        Ok(store)
    }

    /// Starts the store's background tasks — the message writer and, on SQLite, the WAL
    /// checkpointer — which run until `stop` turns `true` (the writer first writes what has
    /// queued up). Without them [`Store::add_message`] answers `Unavailable`. While they run,
    /// starting them again starts nothing; once stopped, they can be started again.
    pub fn start_tasks(&self, stop: watch::Receiver<bool>) -> Vec<(&'static str, JoinHandle<()>)> {
        let mut tasks = Vec::new();
        {
            let mut queue = self.queue.write().unwrap_or_else(PoisonError::into_inner);
            if queue.as_ref().is_some_and(|q| q.is_running()) {
                return tasks;
            }
            let (started, task) = crate::writer::MessageQueue::start(self.clone(), stop.clone());
            *queue = Some(started);
            tasks.push(("message writer", task));
        }
        if let Some(lock) = &self.writer {
            tasks.push((
                "SQLite checkpointer",
                spawn_checkpointer(self.pool.clone(), lock.clone(), self.file.clone(), stop),
            ));
        }
        tasks
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Begins a write transaction, taken after [`Store::write_guard`]. On SQLite it starts as
    /// `BEGIN IMMEDIATE`, holding the database's write lock from its first statement: a
    /// transaction that read before it wrote would otherwise fail at once, without waiting,
    /// when another process (a `sangdam` command beside the server) committed in between.
    pub(crate) async fn begin_write(&self) -> Result<crate::rooms::Tx<'static>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with(SQLITE_BEGIN_WRITE).await,
            Backend::Postgres => self.pool.begin().await,
        }
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
/// commit that crosses 1,000 pages, stalling that writer and every one queued behind it).
///
/// Passes of `PASSIVE` (blocking nobody) copy what is there while writers go on, until one finds
/// little new; a last one holds the writer lock for the moment it takes to copy the few frames
/// committed meanwhile. Only a fully copied log is started over by the next writer; under a
/// steady stream of commits a checkpoint that never catches up would let the log grow
/// without end (measured: 4 GB in a minute at 5,000 messages/s, every read slower for it).
fn spawn_checkpointer(
    pool: AnyPool,
    writer: Arc<Mutex<()>>,
    file: Option<PathBuf>,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        // The file is opened once and never closed by this process: closing any descriptor of
        // a SQLite file drops every POSIX lock the process holds on it, SQLite's own included
        // (its "how to corrupt" list, §2.2), and another process (a `sangdam` command beside
        // the server) could then write under a connection that believes it holds its lock.
        let file = match file {
            Some(path) => tokio::task::spawn_blocking(move || std::fs::File::open(path))
                .await
                .ok()
                .and_then(Result::ok)
                .map(Arc::new),
            None => None,
        };
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.wait_for(|s| *s) => {
                    keep_open(file);
                    return;
                }
            }
            if pool.is_closed() {
                keep_open(file);
                return;
            }
            let started = std::time::Instant::now();
            let passes = async {
                // Passes beside the writers until one finds little new to copy, so that the
                // pass under the lock is short.
                let mut first = checkpoint(&pool).await?;
                for _ in 0..CATCH_UP_PASSES {
                    let next = checkpoint(&pool).await?;
                    let appended = next.1 - first.1;
                    first = next;
                    if appended < CATCH_UP_FRAMES {
                        break;
                    }
                }
                // The database file's own flush, done here rather than by the locked pass
                // (SQLite syncs the file only after a pass that copied everything: the locked
                // one, which would then flush every page the passes above wrote).
                if let Some(file) = file.clone() {
                    let _ = tokio::task::spawn_blocking(move || file.sync_data()).await;
                }
                let _w = writer.lock().await;
                let locked = std::time::Instant::now();
                let second = checkpoint(&pool).await?;
                let held = u64::try_from(locked.elapsed().as_micros()).unwrap_or(u64::MAX);
                Ok::<_, sqlx::Error>((first, second, held))
            }
            .await;
            match passes {
                Ok((first, second, held_micros)) => tracing::trace!(
                    ?first,
                    ?second,
                    held_micros,
                    micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
                    "WAL checkpoint"
                ),
                Err(e) => {
                    if pool.is_closed() {
                        keep_open(file);
                        return;
                    }
                    tracing::warn!(error = %e, "WAL checkpoint failed; retrying");
                }
            }
        }
    })
}

/// Leaves the checkpointer's descriptor of the database file open for the life of the
/// process (one per store opened): closing it would drop SQLite's locks on the file while
/// connections may still use it.
fn keep_open(file: Option<Arc<std::fs::File>>) {
    std::mem::forget(file);
}

/// `PRAGMA wal_checkpoint(PASSIVE)`: (busy, frames in the log, frames copied).
async fn checkpoint(pool: &AnyPool) -> Result<(i64, i64, i64), sqlx::Error> {
    let row = sqlx::query(crate::dialect::SQLITE_CHECKPOINT)
        .fetch_one(pool)
        .await?;
    Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
}

/// How SQLite's write transactions begin (see [`Store::begin_write`]).
pub(crate) const SQLITE_BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);
/// At most this many extra unlocked passes per checkpoint …
const CATCH_UP_PASSES: usize = 4;
/// … stopping once a pass found fewer new frames than this.
const CATCH_UP_FRAMES: i64 = 256;

/// The database file of a normalised SQLite URL (none for an in-memory database).
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let path = url.strip_prefix("sqlite://")?;
    let path = path.split('?').next().unwrap_or(path);
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

impl Backend {
    /// The backend a database URL names, without connecting: what [`Store::connect`] would
    /// open (`postgres://…` or `postgresql://…` is PostgreSQL, anything else a SQLite file).
    pub fn of_url(url: &str) -> Backend {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

fn normalize_url(url: &str) -> (Backend, String) {
    let url = url.trim();
    if Backend::of_url(url) == Backend::Postgres {
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
        assert_eq!(
            sqlite_file(&normalize_url("/tmp/x.db").1),
            Some(PathBuf::from("/tmp/x.db"))
        );
        assert_eq!(
            sqlite_file(&normalize_url("sqlite://data/s.db?mode=rw").1),
            Some(PathBuf::from("data/s.db"))
        );
        assert_eq!(sqlite_file(&normalize_url("sqlite::memory:").1), None);
    }
}

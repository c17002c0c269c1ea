//! Online backup of a SQLite database: a consistent copy taken while the server keeps writing.
//!
//! `VACUUM INTO` reads the whole database inside one read transaction, so the copy is the
//! database as of one commit, whatever commits after it; in WAL mode a reader never blocks the
//! writer, so messages keep being stored meanwhile. (While the copy reads, the checkpointer
//! cannot start the log over, so the `-wal` file grows for that time and is copied back after.)
//!
//! A copy that carries the name asked for is always a whole, checked one: SQLite writes it under
//! a temporary name in the same directory, it is flushed to disk (SQLite does not sync what
//! `VACUUM INTO` writes), checked with `PRAGMA integrity_check`, and only then linked to its
//! name — by a hard link, which fails rather than replace a file that appeared meanwhile. An
//! existing file is never overwritten.
//!
//! PostgreSQL has its own tools for this (`pg_dump`, `pg_restore`): a backup of it is refused
//! with the command to use, not run here.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use serde::Serialize;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Row};

use crate::db::{Backend, Store};
use crate::error::StoreError;

/// What [`Store::backup_to`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupReport {
    /// The size of the copy.
    pub bytes: u64,
    /// Rows of `messages` in the copy.
    pub messages: i64,
    /// From the start to the copy carrying its name.
    pub elapsed_ms: u64,
    /// Of which checking the copy (`PRAGMA integrity_check`) and counting its messages.
    pub check_ms: u64,
}

/// The refusal of a PostgreSQL backup, with the command that takes one.
pub fn postgres_backup_refused(out: &Path) -> StoreError {
    StoreError::Backup(format!(
        "a PostgreSQL database is backed up with PostgreSQL's own tools, not sangdam backup: \
         pg_dump --format=custom --file {} \"$SANGDAM_DATABASE_URL\" (restore with pg_restore)",
        out.display()
    ))
}

impl Store {
    /// Copies the SQLite database into the new file `out` while writers go on (see the
    /// module's note): refuses when `out` exists, and on PostgreSQL.
    pub async fn backup_to(&self, out: &Path) -> Result<BackupReport, StoreError> {
        if self.backend() == Backend::Postgres {
            return Err(postgres_backup_refused(out));
        }
        let started = Instant::now();
        let (dir, name) = target(out)?;
        let partial = Partial(dir.join(format!(".{name}.partial-{}", unique_suffix())));
        let path = partial.0.to_str().ok_or_else(|| {
            StoreError::Backup(format!("{}: the path is not valid UTF-8", out.display()))
        })?;

        sqlx::query("VACUUM INTO $1")
            .bind(path.to_owned())
            .persistent(false)
            .execute(&self.pool)
            .await?;
        let flushed = partial.0.clone();
        tokio::task::spawn_blocking(move || std::fs::File::open(flushed)?.sync_all())
            .await
            .map_err(|e| StoreError::Backup(format!("flushing the copy: {e}")))?
            .map_err(|e| io_error("flushing the copy", &partial.0, &e))?;

        let checking = Instant::now();
        let messages = check(&partial.0).await?;
        let check_ms = millis(checking);

        publish(&partial.0, out, &dir)?;
        let bytes = std::fs::metadata(out)
            .map_err(|e| io_error("reading", out, &e))?
            .len();
        Ok(BackupReport {
            bytes,
            messages,
            elapsed_ms: millis(started),
            check_ms,
        })
    }
}

/// The directory and file name of `out`, which must not exist yet.
fn target(out: &Path) -> Result<(PathBuf, String), StoreError> {
    if out.symlink_metadata().is_ok() {
        return Err(exists(out));
    }
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| StoreError::Backup(format!("{}: not a file name", out.display())))?;
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(StoreError::Backup(format!(
            "{}: the directory {} does not exist",
            out.display(),
            dir.display()
        )));
    }
    Ok((dir, name.to_owned()))
}

fn exists(out: &Path) -> StoreError {
    StoreError::Backup(format!(
        "{} already exists: a backup never replaces a file (choose a new name, or move the old \
         one away first)",
        out.display()
    ))
}

fn io_error(what: &str, path: &Path, e: &std::io::Error) -> StoreError {
    StoreError::Backup(format!("{what} {}: {e}", path.display()))
}

/// Checks the copy, opened read-only on its own connection, and counts its messages.
async fn check(copy: &Path) -> Result<i64, StoreError> {
    let mut conn = SqliteConnectOptions::new()
        .filename(copy)
        .read_only(true)
        .connect()
        .await?;
    let result = async {
        let problems: Vec<String> = sqlx::query("PRAGMA integrity_check")
            .fetch_all(&mut conn)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?;
        if problems != ["ok"] {
            return Err(StoreError::Corrupt(format!(
                "the backup copy fails its integrity check: {}",
                problems.join("; ")
            )));
        }
        let messages: i64 = sqlx::query("SELECT count(*) FROM messages")
            .fetch_one(&mut conn)
            .await?
            .try_get(0)?;
        Ok(messages)
    }
    .await;
    let _ = conn.close().await;
    result
}

/// Gives the checked copy its name, unless something took the name meanwhile, and makes the
/// new name durable.
fn publish(partial: &Path, out: &Path, dir: &Path) -> Result<(), StoreError> {
    match std::fs::hard_link(partial, out) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(exists(out)),
        // A file system without hard links: check, then rename (which would replace a file
        // created in between).
        Err(_) => {
            if out.symlink_metadata().is_ok() {
                return Err(exists(out));
            }
            std::fs::rename(partial, out).map_err(|e| io_error("naming", out, &e))?;
        }
    }
    // The directory entry itself (on Unix a directory opens as a file and syncs).
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error("flushing the directory", dir, &e))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The copy under its temporary name: removed when dropped (once the copy is linked to its
/// name, this removes only the temporary name; after a failure or a cancelled backup, the
/// partial copy).
struct Partial(PathBuf);

impl Drop for Partial {
    fn drop(&mut self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

fn millis(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// A temporary name no other backup (of this or another process) uses at the same time.
fn unique_suffix() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{}-{}-{nanos:x}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::testing::TestDb;

    #[test]
    fn backend_of_url() {
        assert_eq!(Backend::of_url(" postgres://u@h/db"), Backend::Postgres);
        assert_eq!(Backend::of_url("postgresql://u@h/db"), Backend::Postgres);
        assert_eq!(Backend::of_url("sqlite://x.db"), Backend::Sqlite);
        assert_eq!(Backend::of_url("postgres.db"), Backend::Sqlite);
    }

    #[tokio::test]
    async fn copies_once_and_never_overwrites() {
        let db = TestDb::fresh(Backend::Sqlite).await.unwrap();
        let store = Store::connect(&db.url).await.unwrap();
        let out = std::env::temp_dir().join(format!("{}.backup.db", crate::testing::unique("b")));
        let report = store.backup_to(&out).await.unwrap();
        assert_eq!(report.messages, 0);
        assert_eq!(report.bytes, std::fs::metadata(&out).unwrap().len());
        // Nothing is left under a temporary name.
        let dir = out.parent().unwrap();
        let name = out.file_name().unwrap().to_str().unwrap();
        let leftovers = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!(".{name}"))
            })
            .count();
        assert_eq!(leftovers, 0);

        let before = std::fs::read(&out).unwrap();
        let refused = store.backup_to(&out).await.unwrap_err();
        assert!(refused.to_string().contains("already exists"), "{refused}");
        assert_eq!(
            std::fs::read(&out).unwrap(),
            before,
            "the file is untouched"
        );

        let missing = std::env::temp_dir().join("no-such-dir-for-sangdam/x.db");
        let refused = store.backup_to(&missing).await.unwrap_err();
        assert!(refused.to_string().contains("does not exist"), "{refused}");

        store.close().await;
        let _ = std::fs::remove_file(&out);
        db.remove().await;
    }

    #[test]
    fn postgres_is_refused_with_pg_dump() {
        let e = postgres_backup_refused(Path::new("/backups/sangdam.dump")).to_string();
        assert!(
            e.contains("pg_dump --format=custom --file /backups/sangdam.dump"),
            "{e}"
        );
    }
}

//! `sangdam backup` on the real binary, while `sangdam serve` takes messages: chat windows keep
//! sending, the backup runs in the middle of it, and the copy, started as a database of its
//! own, holds every message acknowledged before the backup began, exactly once. A backup never
//! replaces an existing file; a PostgreSQL database is sent to `pg_dump`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Server, client_id, create_site, open_session, send, stored};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Row};
use store::testing::{TestDb, unique};
use tokio::sync::Mutex;

/// Chat windows sending at once, each in its own room.
const WINDOWS: usize = 4;
/// The backup starts once this many messages were acknowledged.
const BACKUP_AFTER: usize = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_customers_write_holds_every_acknowledged_message() {
    let db = TestDb::fresh(store::Backend::Sqlite).await.unwrap();
    let out = temp_file("backup.db");
    let result = tokio::spawn(backup_under_load(db.url.clone(), out.clone())).await;
    db.remove().await;
    remove_sqlite(&out);
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// A message acknowledged with 200: its stored id and when the answer came.
#[derive(Debug, Clone, Copy)]
struct Acked {
    id: i64,
    at: Instant,
}

async fn backup_under_load(database_url: String, out: PathBuf) {
    let site = create_site(&database_url);
    let site_id = site["site_id"].as_i64().expect("site_id");
    let token = site["api_token"].as_str().expect("api_token").to_owned();
    let server = Server::start(&database_url).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();

    // Each window opens its session, then sends one message after another until told to stop.
    let acked: Arc<Mutex<BTreeMap<String, Acked>>> = Arc::default();
    let count = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut rooms = Vec::new();
    let mut windows = Vec::new();
    for w in 0..WINDOWS {
        let session = open_session(&client, &server.base, site_id, &format!("backup-{w}")).await;
        let visitor = session["visitor"].as_str().expect("visitor").to_owned();
        rooms.push(session["room_id"].as_i64().expect("room_id"));
        let (client, base) = (client.clone(), server.base.clone());
        let (acked, count, stop) = (acked.clone(), count.clone(), stop.clone());
        windows.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                if let Some(id) = send(&client, &base, site_id, &visitor, w, n)
                    .await
                    .expect("the server answers")
                {
                    let at = Instant::now();
                    acked.lock().await.insert(client_id(w, n), Acked { id, at });
                    count.fetch_add(1, Ordering::SeqCst);
                }
                n += 1;
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while count.load(Ordering::SeqCst) < BACKUP_AFTER {
        assert!(Instant::now() < deadline, "the chat windows are too slow");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // The backup, as an operator runs it beside the server.
    let started = Instant::now();
    let backup = tokio::process::Command::new(env!("CARGO_BIN_EXE_sangdam"))
        .args(["backup", "--database-url", &database_url, "--out"])
        .arg(&out)
        .env("SANGDAM_LOG", "warn")
        .output()
        .await
        .expect("run sangdam backup");
    let finished = Instant::now();
    stop.store(true, Ordering::SeqCst);
    for w in windows {
        w.await.expect("a window task");
    }
    drop(server);
    assert_eq!(
        backup.status.code(),
        Some(0),
        "sangdam backup: {}",
        String::from_utf8_lossy(&backup.stderr)
    );
    let report: Value = serde_json::from_slice(&backup.stdout).expect("backup prints JSON");
    assert_eq!(report["out"], out.to_str().unwrap());
    assert_eq!(
        report["bytes"].as_u64(),
        Some(std::fs::metadata(&out).unwrap().len())
    );

    let acked = acked.lock().await.clone();
    let before: BTreeMap<&String, &Acked> = acked.iter().filter(|(_, a)| a.at < started).collect();
    let during = acked
        .values()
        .filter(|a| a.at > started && a.at < finished)
        .count();
    assert!(before.len() >= BACKUP_AFTER);
    assert!(
        during > 0,
        "customers kept writing while the backup ran (none was acknowledged meanwhile)"
    );

    // The copy is a sound database of its own, counted as reported.
    let (integrity, messages) = inspect(&out).await;
    assert_eq!(integrity, ["ok"]);
    assert_eq!(report["messages"].as_i64(), Some(messages));

    // Restored: a server started on the copy lists every message acknowledged before the
    // backup began, once, with the id it was acknowledged with; none twice.
    let restored = Server::start(out.to_str().unwrap()).await;
    let mut by_client: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for room in &rooms {
        for m in stored(&client, &restored.base, &token, *room).await {
            if let Some(cid) = m["client_msg_id"].as_str() {
                by_client
                    .entry(cid.to_owned())
                    .or_default()
                    .push(m["id"].as_i64().expect("id"));
            }
        }
    }
    for (cid, ids) in &by_client {
        assert_eq!(ids.len(), 1, "{cid} is in the copy {} times", ids.len());
        if let Some(a) = acked.get(cid) {
            assert_eq!(ids[0], a.id, "{cid}");
        }
    }
    for (cid, a) in &before {
        let ids = by_client
            .get(*cid)
            .unwrap_or_else(|| panic!("{cid} (id {}) was acknowledged before the backup", a.id));
        assert_eq!(ids, &[a.id]);
    }
    eprintln!(
        "backup: {} acknowledged before it, {during} while it ran ({} ms), {} messages in the \
         copy ({} bytes)",
        before.len(),
        (finished - started).as_millis(),
        messages,
        report["bytes"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_never_replaces_an_existing_file() {
    let db = TestDb::fresh(store::Backend::Sqlite).await.unwrap();
    let out = temp_file("precious");
    std::fs::write(&out, "an older backup, not to be lost").unwrap();
    create_site(&db.url);

    let refused = run_backup(&db.url, &out);
    let stderr = String::from_utf8_lossy(&refused.stderr).into_owned();
    let leftovers = partial_copies(&out);
    let kept = std::fs::read_to_string(&out).unwrap();
    db.remove().await;
    let _ = std::fs::remove_file(&out);

    assert_eq!(refused.status.code(), Some(1), "stderr: {stderr}");
    assert!(refused.stdout.is_empty());
    assert!(
        stderr.contains(&format!("{} already exists", out.display())),
        "{stderr}"
    );
    assert!(stderr.contains("never replaces"), "{stderr}");
    assert_eq!(kept, "an older backup, not to be lost");
    assert_eq!(leftovers, Vec::<String>::new(), "no partial copy is left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_backup_is_sent_to_pg_dump() {
    let Some(db) = TestDb::fresh(store::Backend::Postgres).await else {
        return;
    };
    let out = temp_file("pg.dump");
    let refused = run_backup(&db.url, &out);
    // The store refuses too, for a caller that connected first.
    let connected = async {
        let s = store::Store::connect(&db.url).await?;
        let refused = s.backup_to(&out).await.err().map(|e| e.to_string());
        s.close().await;
        Ok::<_, store::StoreError>(refused)
    }
    .await;
    let written = out.exists();
    db.remove().await;
    let _ = std::fs::remove_file(&out);

    let stderr = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert_eq!(refused.status.code(), Some(1), "stderr: {stderr}");
    let hint = format!("pg_dump --format=custom --file {}", out.display());
    assert!(stderr.contains(&hint), "{stderr}");
    assert!(stderr.contains("pg_restore"), "{stderr}");
    let e = connected
        .expect("connect to PostgreSQL")
        .expect("the store refuses a PostgreSQL backup");
    assert!(e.contains(&hint), "{e}");
    assert!(!written, "nothing was written");
}

fn run_backup(database_url: &str, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sangdam"))
        .args(["backup", "--database-url", database_url, "--out"])
        .arg(out)
        .env("SANGDAM_LOG", "warn")
        .output()
        .expect("run sangdam backup")
}

/// A path in the temporary directory no other test uses (not created).
fn temp_file(suffix: &str) -> PathBuf {
    std::env::temp_dir().join(format!("{}.{suffix}", unique("sangdam_backup_")))
}

/// Temporary copies beside `out` that a backup left behind.
fn partial_copies(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.starts_with(&format!(".{name}.partial")))
        .collect()
}

fn remove_sqlite(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

/// `PRAGMA integrity_check` and the number of messages of a SQLite file, read-only.
async fn inspect(file: &Path) -> (Vec<String>, i64) {
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await
        .expect("open the copy");
    let integrity = sqlx::query("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
    let messages: i64 = sqlx::query("SELECT count(*) FROM messages")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    conn.close().await.unwrap();
    (integrity, messages)
}

//! "A crash at any point loses no acknowledged message" (DESIGN, Habits), tested on the real
//! binary: `sangdam serve` takes a burst of customer messages from concurrent chat windows, is
//! killed with SIGKILL in the middle of it, and is started again on the same database. Every
//! message that was acknowledged with 200 must be stored exactly once; the unacknowledged ones,
//! retried with the same `client_msg_id` as a chat window does, must not be stored twice.
//!
//! The same for what waits in the outbox: agent replies to a Naver user, stored while the send
//! API is down, survive a SIGKILL and go out once each, in order, when the API is back.
//!
//! And for timers: consultations left idle after the agent's reply, their auto-close timers
//! pending, survive a SIGKILL before their warning and another before their close; after each
//! restart every consultation is warned once and closed once.
//!
//! Runs on SQLite and on PostgreSQL (`SANGDAM_TEST_PG`; skipped loudly without it, a failure
//! on CI).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{
    Server, body_of, client_id, create_site, on_fresh_database, open_session, send, stored,
};

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use protocol::naver::testing::FakeNaver;
use serde_json::{Value, json};
use tokio::sync::Mutex;

/// Chat windows writing at once, and messages each.
const WINDOWS: usize = 8;
const PER_WINDOW: usize = 100;
/// The server is killed once this many messages were acknowledged.
const KILL_AFTER: usize = WINDOWS * PER_WINDOW / 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_messages_survive_sigkill_sqlite() {
    on_fresh_database(store::Backend::Sqlite, burst_kill_restart).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_messages_survive_sigkill_postgres() {
    on_fresh_database(store::Backend::Postgres, burst_kill_restart).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn naver_replies_survive_sigkill_sqlite() {
    on_fresh_database(store::Backend::Sqlite, outbox_kill_restart).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn naver_replies_survive_sigkill_postgres() {
    on_fresh_database(store::Backend::Postgres, outbox_kill_restart).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_close_timers_survive_sigkill_sqlite() {
    on_fresh_database(store::Backend::Sqlite, timers_kill_restart).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_close_timers_survive_sigkill_postgres() {
    on_fresh_database(store::Backend::Postgres, timers_kill_restart).await;
}

/// The warning and the closing message of the auto-close rules below.
const WARNING: &str = "3분 동안 답변이 없으면 상담이 자동으로 종료됩니다.";
const AUTO_CLOSED: &str = "6분 동안 답변이 없어 상담이 자동으로 종료되었습니다.";

/// A consultation as the agent API shows it, with its messages.
async fn consultation_detail(client: &reqwest::Client, base: &str, token: &str, id: i64) -> Value {
    client
        .get(format!("{base}/api/v1/consultations/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("read a consultation")
        .json()
        .await
        .expect("consultation JSON")
}

fn count_texts(detail: &Value, start: &str) -> usize {
    detail["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["body"].as_str().is_some_and(|b| b.starts_with(start)))
        .count()
}

/// Waits until `done` holds for every consultation's detail.
async fn until_all(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    ids: &[i64],
    what: &str,
    done: impl Fn(&Value) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut all = true;
        for id in ids {
            all &= done(&consultation_detail(client, base, token, *id).await);
        }
        if all {
            return;
        }
        assert!(Instant::now() < deadline, "not every consultation {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Idle consultations with pending auto-close timers (a rule minute of two seconds: warned 3
/// "minutes" before a close 6 after the agent's reply, so 6 s after it and 6 s before the
/// close, room enough for a slow restart); the server killed before the warnings,
/// started, killed again after them and left down past the close, started again.
async fn timers_kill_restart(database_url: String) {
    const CONSULTATIONS: usize = 4;
    let site = create_site(&database_url);
    let token = site["api_token"].as_str().expect("api_token").to_owned();
    let site_id = site["site_id"].as_i64().expect("site_id");
    let args = ["--auto-close-minute-ms", "2000", "--job-lease-seconds", "2"];
    let mut server = Server::start_with(&database_url, &args).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let saved = client
        .put(format!("{}/api/v1/site/auto-close", server.base))
        .bearer_auth(&token)
        .json(&json!({"customer_idle_minutes": 6, "warning_minutes": 3}))
        .send()
        .await
        .unwrap();
    assert!(saved.status().is_success(), "{}", saved.status());
    let mut ids = Vec::new();
    for n in 0..CONSULTATIONS {
        let session = open_session(&client, &server.base, site_id, &format!("idle-{n}")).await;
        let visitor = session["visitor"].as_str().expect("visitor").to_owned();
        let sent: Value = client
            .post(format!("{}/api/v1/webchat/{site_id}/messages", server.base))
            .header("x-sangdam-visitor", &visitor)
            .json(&json!({"body": "문의드립니다", "client_msg_id": format!("idle-{n}")}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = sent["consultation_id"].as_i64().expect("consultation_id");
        let path = format!("{}/api/v1/consultations/{id}", server.base);
        let taken = client
            .post(format!("{path}/take"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert!(taken.status().is_success(), "{}", taken.status());
        let replied = client
            .post(format!("{path}/messages"))
            .bearer_auth(&token)
            .json(&json!({"body": "주문번호를 알려주시겠어요?"}))
            .send()
            .await
            .unwrap();
        assert!(replied.status().is_success(), "{}", replied.status());
        ids.push(id);
    }
    // The timers are pending (the first warning is due in six seconds): kill.
    server.kill();
    let server = Server::start_with(&database_url, &args).await;
    let base = server.base.clone();
    until_all(&client, &base, &token, &ids, "was warned", |d| {
        count_texts(d, WARNING) == 1
    })
    .await;
    let mut server = server;
    for id in &ids {
        let d = consultation_detail(&client, &base, &token, *id).await;
        assert_eq!(
            d["consultation"]["state"], "in_progress",
            "warned, not closed yet: {d}"
        );
    }
    // The close timers are pending: kill, and stay down past the close.
    server.kill();
    tokio::time::sleep(Duration::from_secs(7)).await;
    let server = Server::start_with(&database_url, &args).await;
    let base = server.base.clone();
    until_all(&client, &base, &token, &ids, "closed", |d| {
        d["consultation"]["state"] == "closed"
    })
    .await;
    // Nothing more comes: each fired once.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for id in &ids {
        let d = consultation_detail(&client, &base, &token, *id).await;
        assert_eq!(d["consultation"]["end_type"], "auto_close", "{d}");
        assert_eq!(count_texts(&d, WARNING), 1, "one warning: {d}");
        assert_eq!(count_texts(&d, AUTO_CLOSED), 1, "one closing message: {d}");
        let bodies: Vec<&str> = d["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m["body"].as_str())
            .collect();
        let warned = bodies.iter().position(|b| b.starts_with(WARNING));
        let closed = bodies.iter().position(|b| b.starts_with(AUTO_CLOSED));
        assert!(warned < closed, "the warning first: {bodies:?}");
    }
}

/// Replies written while Naver's send API fails; the server killed; the API back; the server
/// started again: every reply arrives once, in the order written.
async fn outbox_kill_restart(database_url: String) {
    const REPLIES: usize = 5;
    let site = create_site(&database_url);
    let token = site["api_token"].as_str().expect("api_token").to_owned();
    let site_id = site["site_id"].as_i64().expect("site_id");
    let naver_key = site["naver_key"].as_str().expect("naver_key").to_owned();
    let fake = FakeNaver::start("naver-key").await;
    fake.fail_next(usize::MAX);
    let naver = fake.url();
    // A short lease: a send the kill interrupts is taken up again soon after the restart.
    let args = [
        "--naver-endpoint",
        naver.as_str(),
        "--naver-key",
        "naver-key",
        "--job-lease-seconds",
        "4",
    ];
    let mut server = Server::start_with(&database_url, &args).await;
    let client = reqwest::Client::new();
    let opened: Value = client
        .post(format!(
            "{}/naver/{site_id}/webhook?key={naver_key}",
            server.base
        ))
        .json(&json!({"event": "open", "user": "naver-durable", "options": {}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let consultation = opened["consultation_id"].as_i64().expect("consultation_id");
    let path = format!("{}/api/v1/consultations/{consultation}", server.base);
    let taken = client
        .post(format!("{path}/take"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(taken.status().is_success());
    let texts: Vec<String> = (1..=REPLIES).map(|n| format!("답장 {n}")).collect();
    for text in &texts {
        let sent: Value = client
            .post(format!("{path}/messages"))
            .bearer_auth(&token)
            .json(&json!({"body": text}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(sent["delivery"], "sending", "{sent}");
    }
    // Wait until Naver has been tried (and failed) at least once, then kill.
    let deadline = Instant::now() + Duration::from_secs(20);
    while fake.request_count() == 0 {
        assert!(
            Instant::now() < deadline,
            "the outbox never tried the send API"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill();
    assert!(fake.received().is_empty(), "nothing got through the outage");
    fake.fail_next(0);
    let _server = Server::start_with(&database_url, &args).await;
    // The replies: what reached Naver but the queue-position notice Sangdam may send the
    // waiting customer by itself.
    let replies = || {
        fake.received()
            .into_iter()
            .filter(|e| {
                !e["textContent"]["text"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("대기 순번"))
            })
            .collect::<Vec<_>>()
    };
    // First the greeting the take sent the customer (through the same outbox), then the
    // replies, in the order they were stored.
    let expected: Vec<String> =
        std::iter::once("안녕하세요, 상담원 관리자입니다. 무엇을 도와드릴까요?".to_owned())
            .chain(texts.iter().cloned())
            .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while replies().len() < expected.len() {
        assert!(
            Instant::now() < deadline,
            "only {} of {} messages arrived after the restart",
            replies().len(),
            expected.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Nothing more comes (no reply sent twice).
    tokio::time::sleep(Duration::from_millis(500)).await;
    let arrived: Vec<String> = replies()
        .iter()
        .map(|e| {
            assert_eq!(e["user"], "naver-durable");
            e["textContent"]["text"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(arrived, expected);
}

async fn burst_kill_restart(database_url: String) {
    let site = create_site(&database_url);
    let site_id = site["site_id"].as_i64().expect("site_id");
    let token = site["api_token"].as_str().expect("api_token").to_owned();

    let mut server = Server::start(&database_url).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let session = open_session(&client, &server.base, site_id, "durable-1").await;
    let visitor = session["visitor"].as_str().expect("visitor").to_owned();
    let room = session["room_id"].as_i64().expect("room_id");

    // The burst: each window sends its messages one after another, as a chat window does.
    let acked: Arc<Mutex<BTreeMap<String, i64>>> = Arc::default();
    let count = Arc::new(AtomicUsize::new(0));
    let mut windows = Vec::new();
    for w in 0..WINDOWS {
        let (client, base, visitor) = (client.clone(), server.base.clone(), visitor.clone());
        let (acked, count) = (acked.clone(), count.clone());
        windows.push(tokio::spawn(async move {
            for n in 0..PER_WINDOW {
                match send(&client, &base, site_id, &visitor, w, n).await {
                    Ok(Some(id)) => {
                        acked.lock().await.insert(client_id(w, n), id);
                        count.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(None) => {}
                    // The server is gone: this window stops writing.
                    Err(_) => return,
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while count.load(Ordering::SeqCst) < KILL_AFTER {
        assert!(Instant::now() < deadline, "the burst is too slow");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    server.kill();
    for w in windows {
        w.await.expect("a window task");
    }
    let acked = acked.lock().await.clone();
    assert!(
        acked.len() >= KILL_AFTER && acked.len() < WINDOWS * PER_WINDOW,
        "the kill must fall in the middle of the burst ({} acknowledged)",
        acked.len()
    );

    // Started again on the same database: every acknowledged message is there, exactly once,
    // with the id and text it was acknowledged with.
    let server = Server::start(&database_url).await;
    let messages = stored(&client, &server.base, &token, room).await;
    let mut by_client: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for m in &messages {
        let id = m["client_msg_id"]
            .as_str()
            .expect("client_msg_id")
            .to_owned();
        by_client.entry(id).or_default().push(m);
    }
    for (cid, copies) in &by_client {
        assert_eq!(copies.len(), 1, "{cid} stored {} times", copies.len());
    }
    for (cid, id) in &acked {
        let copies = by_client
            .get(cid)
            .unwrap_or_else(|| panic!("acknowledged message {cid} (id {id}) was lost"));
        assert_eq!(copies[0]["id"].as_i64(), Some(*id), "{cid}");
        let (w, n) = cid[1..].split_once('-').expect("window-n");
        assert_eq!(
            copies[0]["body"],
            body_of(w.parse().unwrap(), n.parse().unwrap()).as_str()
        );
    }

    eprintln!(
        "durability: {} acknowledged before SIGKILL, {} stored (the rest were in flight)",
        acked.len(),
        messages.len()
    );

    // The chat windows retry whatever was not acknowledged, with the same ids: afterwards
    // every message is stored once, whatever the crash interrupted.
    for w in 0..WINDOWS {
        for n in 0..PER_WINDOW {
            if acked.contains_key(&client_id(w, n)) {
                continue;
            }
            let id = send(&client, &server.base, site_id, &visitor, w, n)
                .await
                .expect("the restarted server answers");
            assert!(id.is_some(), "retry of {} acknowledged", client_id(w, n));
        }
    }
    let messages = stored(&client, &server.base, &token, room).await;
    assert_eq!(messages.len(), WINDOWS * PER_WINDOW);
    let distinct: std::collections::BTreeSet<&str> = messages
        .iter()
        .map(|m| m["client_msg_id"].as_str().expect("client_msg_id"))
        .collect();
    assert_eq!(distinct.len(), WINDOWS * PER_WINDOW);
    // The acknowledged ones kept their ids (a retry answered with the stored message).
    for m in &messages {
        let cid = m["client_msg_id"].as_str().unwrap();
        if let Some(id) = acked.get(cid) {
            assert_eq!(m["id"].as_i64(), Some(*id));
        }
    }
}

/// A `sangdam` command run beside the server on the same SQLite file (an operator made, sites
/// created) while chat windows write: every acknowledged message is stored once, the commands
/// all succeed, and the file passes SQLite's integrity check. (Closing any descriptor of the
/// file in the server's process would drop SQLite's locks and let the commands write under it.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_beside_the_server_corrupt_nothing_sqlite() {
    on_fresh_database(store::Backend::Sqlite, commands_beside_the_server).await;
}

async fn commands_beside_the_server(database_url: String) {
    let site = create_site(&database_url);
    let site_id = site["site_id"].as_i64().expect("site_id");
    let token = site["api_token"].as_str().expect("api_token").to_owned();
    let server = Server::start(&database_url).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let session = open_session(&client, &server.base, site_id, "beside-1").await;
    let visitor = session["visitor"].as_str().expect("visitor").to_owned();
    let room = session["room_id"].as_i64().expect("room_id");

    let acked: Arc<Mutex<BTreeMap<String, i64>>> = Arc::default();
    let mut windows = Vec::new();
    for w in 0..4 {
        let (client, base, visitor, acked) = (
            client.clone(),
            server.base.clone(),
            visitor.clone(),
            acked.clone(),
        );
        windows.push(tokio::spawn(async move {
            for n in 0..150 {
                if let Ok(Some(id)) = send(&client, &base, site_id, &visitor, w, n).await {
                    acked.lock().await.insert(client_id(w, n), id);
                }
            }
        }));
    }
    let url = database_url.clone();
    let commands = tokio::task::spawn_blocking(move || {
        (0..12)
            .map(|i| {
                let out = std::process::Command::new(env!("CARGO_BIN_EXE_sangdam"))
                    .args(["operator", "create", "--login", &format!("op-{i}")])
                    .args(["--name", "운영자", "--database-url", &url])
                    .env("SANGDAM_LOG", "warn")
                    .output()
                    .expect("run sangdam operator create");
                (
                    out.status.success(),
                    String::from_utf8_lossy(&out.stderr).into_owned(),
                )
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    for w in windows {
        w.await.unwrap();
    }
    for (ok, stderr) in &commands {
        assert!(ok, "a command beside the server failed: {stderr}");
    }
    let acked = acked.lock().await.clone();
    assert_eq!(acked.len(), 4 * 150, "every message acknowledged");
    let messages = stored(&client, &server.base, &token, room).await;
    let mut seen = BTreeMap::new();
    for m in &messages {
        if let Some(id) = m["client_msg_id"].as_str() {
            *seen.entry(id.to_owned()).or_insert(0) += 1;
        }
    }
    for id in acked.keys() {
        assert_eq!(seen.get(id), Some(&1), "{id} stored once");
    }
    drop(server);
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&if database_url.starts_with("sqlite:") {
            database_url.clone()
        } else {
            format!("sqlite://{database_url}")
        })
        .await
        .unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
}

//! Several instances on one PostgreSQL with NATS between them, on the real binary: a customer
//! on instance 1, their agent on instance 2 and a supervisor on instance 3 talk live; instance 2
//! is killed with SIGKILL, the agent's console reconnects to instance 3 and misses nothing
//! (every message once, the room's numbers without a gap); the consultation's auto-close timer
//! fires once although three schedulers look for it.
//!
//! Needs PostgreSQL (`SANGDAM_TEST_PG`) and a `nats-server` binary (`SANGDAM_TEST_NATS_SERVER`,
//! else on the `PATH`): skipped loudly without them, a failure on CI.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Server, create_site, on_fresh_database, open_session, open_session_with};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// A minute of the auto-close rules, in milliseconds, on every instance.
const MINUTE_MS: &str = "1500";

/// A NATS server of the test's own on a free port; killed when dropped.
struct Nats {
    child: Child,
    url: String,
}

impl Nats {
    /// `None` (said loudly) when there is no `nats-server`; on CI that is a failure.
    fn start() -> Option<Nats> {
        let bin =
            std::env::var("SANGDAM_TEST_NATS_SERVER").unwrap_or_else(|_| "nats-server".into());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        match Command::new(&bin)
            .args(["-a", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(child) => Some(Nats {
                child,
                url: format!("nats://127.0.0.1:{port}"),
            }),
            Err(e) => {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "no NATS server ({bin}: {e}) and CI=true: the several-instances test must run"
                );
                eprintln!("!!! SKIPPING the several-instances test: no NATS server ({bin}: {e})");
                None
            }
        }
    }

    async fn ready(&self) {
        let addr = self.url.trim_start_matches("nats://").to_owned();
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(&addr).await.is_err() {
            assert!(Instant::now() < deadline, "nats-server did not come up");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A WebSocket's frames as JSON, read in the background; sends go through `out`.
struct Socket {
    frames: mpsc::UnboundedReceiver<Value>,
    out: mpsc::UnboundedSender<Message>,
}

async fn socket(url: &str, bearer: Option<&str>) -> Socket {
    let mut req = url.into_client_request().expect("a WebSocket URL");
    if let Some(token) = bearer {
        req.headers_mut()
            .insert("authorization", format!("Bearer {token}").parse().unwrap());
    }
    let (ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .unwrap_or_else(|e| panic!("connect {url}: {e}"));
    let (mut sink, mut stream) = ws.split();
    let (tx, frames) = mpsc::unbounded_channel();
    let (out, mut to_send) = mpsc::unbounded_channel::<Message>();
    tokio::spawn(async move {
        while let Some(m) = to_send.recv().await {
            if sink.send(m).await.is_err() {
                return;
            }
        }
    });
    tokio::spawn(async move {
        while let Some(Ok(m)) = stream.next().await {
            if let Message::Text(t) = m
                && let Ok(v) = serde_json::from_str::<Value>(t.as_str())
                && tx.send(v).is_err()
            {
                return;
            }
        }
    });
    Socket { frames, out }
}

impl Socket {
    /// The next frame that `pick` accepts (others are dropped), within `within`.
    async fn next_where(&mut self, within: Duration, pick: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.frames.recv()).await {
                Ok(Some(v)) if pick(&v) => return v,
                Ok(Some(_)) => {}
                Ok(None) => panic!("the socket closed"),
                Err(_) => panic!("no such frame within {within:?}"),
            }
        }
    }

    /// Waits for the frame `pick` accepts, keeping every message of `room` on the way.
    async fn collect_until(
        &mut self,
        seen: &mut Seen,
        room: i64,
        within: Duration,
        pick: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.frames.recv()).await {
                Ok(Some(v)) => {
                    if v["type"] == "message" && v["message"]["room_id"] == room {
                        seen.add(v["message"].clone());
                    }
                    if pick(&v) {
                        return v;
                    }
                }
                Ok(None) => panic!("the socket closed"),
                Err(_) => panic!("no such frame within {within:?}"),
            }
        }
    }
}

fn says(n: usize) -> impl Fn(&Value) -> bool {
    move |f: &Value| f["type"] == "message" && f["message"]["body"] == format!("고객 메시지 {n}")
}

/// The messages a console has seen of one room, by their number in it.
#[derive(Default)]
struct Seen {
    by_seq: BTreeMap<i64, Value>,
    doubles: usize,
}

impl Seen {
    /// A message delivered live: a second delivery of one number is a double.
    fn add(&mut self, m: Value) {
        let seq = m["seq"].as_i64().expect("seq");
        if self.by_seq.insert(seq, m).is_some() {
            self.doubles += 1;
        }
    }

    /// A message read back from the store: one already had is not counted again.
    fn merge(&mut self, m: Value) {
        let seq = m["seq"].as_i64().expect("seq");
        self.by_seq.entry(seq).or_insert(m);
    }

    fn highest(&self) -> i64 {
        self.by_seq.keys().next_back().copied().unwrap_or(0)
    }

    /// The highest number up to which nothing is missing.
    fn contiguous(&self) -> i64 {
        let mut n = 0;
        while self.by_seq.contains_key(&(n + 1)) {
            n += 1;
        }
        n
    }

    fn bodies(&self) -> Vec<String> {
        self.by_seq
            .values()
            .map(|m| m["body"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}

fn ws_url(base: &str, path: &str) -> String {
    format!("{}{path}", base.replacen("http://", "ws://", 1))
}

async fn post(client: &reqwest::Client, url: String, token: &str, body: Value) -> Value {
    let resp = client
        .post(&url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let v: Value = resp.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "POST {url}: {status} {v}");
    v
}

/// Sends customer message `n` on the chat window's socket and waits for its acknowledgement.
async fn customer_says(window: &mut Socket, n: usize) -> Value {
    let client_id = format!("c-{n}");
    window
        .out
        .send(Message::text(
            json!({"type": "message", "body": format!("고객 메시지 {n}"), "client_msg_id": client_id})
                .to_string(),
        ))
        .unwrap();
    let ack = window
        .next_where(Duration::from_secs(10), |f| {
            f["type"] == "ack" && f["message"]["client_msg_id"] == client_id.as_str()
        })
        .await;
    ack["message"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_share_live_events_and_survive_a_kill() {
    with_nats_and_postgres(three_instances).await;
}

/// Runs `scenario` with a fresh PostgreSQL database and a NATS server of its own (their URLs).
async fn with_nats_and_postgres<F, Fut>(scenario: F)
where
    F: FnOnce(String, String) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let Some(nats) = Nats::start() else {
        return;
    };
    nats.ready().await;
    let url = nats.url.clone();
    on_fresh_database(store::Backend::Postgres, move |db| scenario(db, url)).await;
    drop(nats);
}

async fn three_instances(database_url: String, nats_url: String) {
    let site = create_site(&database_url);
    let site_id = site["site_id"].as_i64().unwrap();
    let admin = site["api_token"].as_str().unwrap().to_owned();
    let args = [
        "--nats-url",
        nats_url.as_str(),
        "--auto-close-minute-ms",
        MINUTE_MS,
        "--job-lease-seconds",
        "4",
    ];
    let one = Server::start_with(&database_url, &args).await;
    let mut two = Server::start_with(&database_url, &args).await;
    let three = Server::start_with(&database_url, &args).await;
    let client = reqwest::Client::new();

    // An agent and a supervisor (a manager of no group: sees everything), by API token.
    let agents = format!("{}/api/v1/agents", one.base);
    let mut tokens = Vec::new();
    for (login, role) in [("agent1", "agent"), ("boss", "manager")] {
        let account =
            json!({"login": login, "display_name": login, "role": role, "api_token": true});
        let made = post(&client, agents.clone(), &admin, account).await;
        tokens.push(made["api_token"].as_str().unwrap().to_owned());
    }
    let [agent, supervisor] = <[String; 2]>::try_from(tokens).unwrap();
    // A consultation answered by the agent closes after one (short) minute of customer silence.
    let resp = client
        .put(format!("{}/api/v1/site/auto-close", one.base))
        .bearer_auth(&admin)
        .json(&json!({"customer_idle_minutes": 1}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "auto-close: {}", resp.status());

    // The agent's console on instance 2, the supervisor's on instance 3.
    let mut desk = socket(&ws_url(&two.base, "/api/v1/console/ws"), Some(&agent)).await;
    let mut boss = socket(
        &ws_url(&three.base, "/api/v1/console/ws"),
        Some(&supervisor),
    )
    .await;
    desk.next_where(Duration::from_secs(5), |f| f["type"] == "hello")
        .await;
    boss.next_where(Duration::from_secs(5), |f| f["type"] == "hello")
        .await;

    // The customer on instance 1.
    let session = open_session(&client, &one.base, site_id, "member-77").await;
    let visitor = session["visitor"].as_str().expect("visitor").to_owned();
    let room = session["room_id"].as_i64().expect("room_id");
    let mut window = socket(
        &ws_url(
            &one.base,
            &format!("/api/v1/webchat/{site_id}/ws?visitor={visitor}&after=0"),
        ),
        None,
    )
    .await;
    let mut agent_seen = Seen::default();
    let mut boss_seen = Seen::default();
    let first = customer_says(&mut window, 1).await;
    let consultation = first["consultation_id"].as_i64().unwrap();

    // The queue reaches the agent on instance 2 through NATS; the agent takes it there.
    desk.collect_until(&mut agent_seen, room, Duration::from_secs(5), |f| {
        f["type"] == "consultation" && f["consultation"]["id"] == consultation
    })
    .await;
    post(
        &client,
        format!("{}/api/v1/consultations/{consultation}/take", two.base),
        &agent,
        json!({}),
    )
    .await;
    post(
        &client,
        format!("{}/api/v1/consultations/{consultation}/messages", two.base),
        &agent,
        json!({"body": "상담원입니다. 무엇을 도와드릴까요?"}),
    )
    .await;
    // Instance 2's reply reaches the customer on instance 1, live.
    let reply = window
        .next_where(Duration::from_secs(5), |f| {
            f["type"] == "message" && f["message"]["sender"] == "agent"
        })
        .await;
    assert_eq!(
        reply["message"]["body"],
        "상담원입니다. 무엇을 도와드릴까요?"
    );

    // Customer messages from instance 1 reach the agent (2) and the supervisor (3), live.
    for n in 2..=20 {
        customer_says(&mut window, n).await;
    }
    let within = Duration::from_secs(5);
    desk.collect_until(&mut agent_seen, room, within, says(20))
        .await;
    boss.collect_until(&mut boss_seen, room, within, says(20))
        .await;
    assert_eq!(agent_seen.doubles, 0, "nothing delivered twice");
    assert_eq!(agent_seen.contiguous(), agent_seen.highest(), "no gap");

    // Instance 2 dies with the agent's console on it; the customer keeps writing.
    two.kill();
    let killed = Instant::now();
    for n in 21..=30 {
        customer_says(&mut window, n).await;
    }
    // The console reconnects to instance 3 and reads what it missed after the last number it
    // has without a gap; then it is live again.
    let mut desk = socket(&ws_url(&three.base, "/api/v1/console/ws"), Some(&agent)).await;
    desk.next_where(within, |f| f["type"] == "hello").await;
    let back = killed.elapsed();
    assert!(back < Duration::from_secs(5), "back after {back:?}");
    let missed = client
        .get(format!(
            "{}/api/v1/rooms/{room}/messages?after={}",
            three.base,
            agent_seen.contiguous()
        ))
        .bearer_auth(&agent)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    for m in missed["messages"].as_array().unwrap() {
        agent_seen.merge(m.clone());
    }
    for n in 31..=40 {
        customer_says(&mut window, n).await;
    }
    let mut live_again = Seen::default();
    desk.collect_until(&mut live_again, room, within, says(40))
        .await;
    assert_eq!(
        live_again.doubles, 0,
        "nothing delivered twice after the reconnect"
    );
    for m in std::mem::take(&mut live_again.by_seq).into_values() {
        agent_seen.merge(m);
    }
    // Everything the agent has, each once and in order, and no number missing.
    let customer: Vec<String> = agent_seen
        .bodies()
        .into_iter()
        .filter(|b| b.starts_with("고객 메시지"))
        .collect();
    let expected: Vec<String> = (1..=40).map(|n| format!("고객 메시지 {n}")).collect();
    assert_eq!(
        customer, expected,
        "the agent has every customer message once, in order"
    );
    assert_eq!(agent_seen.contiguous(), agent_seen.highest(), "no gap");

    // The supervisor on instance 3 saw all of it live, each once, without a gap.
    boss.collect_until(&mut boss_seen, room, within, says(40))
        .await;
    assert_eq!(boss_seen.doubles, 0, "nothing delivered twice");
    assert_eq!(boss_seen.contiguous(), boss_seen.highest(), "no gap");
    assert_eq!(boss_seen.highest(), agent_seen.highest());

    // The agent answers from instance 3; the customer on instance 1 sees it live. Then the
    // customer is silent: the auto-close timer fires (once, of three schedulers).
    post(
        &client,
        format!(
            "{}/api/v1/consultations/{consultation}/messages",
            three.base
        ),
        &agent,
        json!({"body": "확인되었습니다. 더 궁금한 점 있으신가요?"}),
    )
    .await;
    window
        .next_where(Duration::from_secs(5), |f| {
            f["type"] == "message"
                && f["message"]["body"] == "확인되었습니다. 더 궁금한 점 있으신가요?"
        })
        .await;
    window
        .next_where(Duration::from_secs(15), |f| {
            f["type"] == "consultation"
                && f["state"] == "closed"
                && f["consultation_id"] == consultation
        })
        .await;
    // Once more than a lease later, nothing has run it again.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let pool = sqlx::PgPool::connect(&database_url).await.unwrap();
    let runs: Vec<(String, i64)> =
        sqlx::query_as("SELECT state, attempts::bigint FROM jobs WHERE idempotency_key = $1")
            .bind(format!("auto_close:{consultation}"))
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(runs, vec![("done".to_owned(), 1)], "the timer ran once");
    let seqs: Vec<i64> =
        sqlx::query_scalar("SELECT seq FROM messages WHERE room_id = $1 ORDER BY seq")
            .bind(room)
            .fetch_all(&pool)
            .await
            .unwrap();
    let n = i64::try_from(seqs.len()).unwrap();
    assert_eq!(
        seqs,
        (1..=n).collect::<Vec<_>>(),
        "the room's numbers have no gap"
    );
    pool.close().await;
    drop((one, three));
}

/// Whether a chat opened on `base` by customer `uid` asking for the bot is greeted by it at
/// once (its consultation opens with the session, with the bot); without the bot it opens only
/// with the customer's first message.
async fn greeted_by_the_bot(client: &reqwest::Client, base: &str, site: i64, uid: &str) -> bool {
    let params = format!("site_uid=('{uid}'),bot_start=('true')");
    let session = open_session_with(client, base, site, &params).await;
    assert!(session["visitor"].is_string(), "{session}");
    session["consultation_id"].is_i64()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_changed_on_one_instance_are_read_again_on_the_others() {
    with_nats_and_postgres(settings_changed).await;
}

async fn settings_changed(database_url: String, nats_url: String) {
    let site = create_site(&database_url);
    let site_id = site["site_id"].as_i64().unwrap();
    let admin = site["api_token"].as_str().unwrap().to_owned();
    let args = ["--nats-url", nats_url.as_str()];
    let one = Server::start_with(&database_url, &args).await;
    let two = Server::start_with(&database_url, &args).await;
    let client = reqwest::Client::new();
    let bot: Value = client
        .get(format!("{}/api/v1/bot", one.base))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let settings = |enabled: bool| {
        json!({"enabled": enabled, "bot_first": false,
               "min_accuracy": bot["default_min_accuracy"], "fallbacks_before_offer": 2,
               "handoff_label": "상담원 연결"})
    };
    let save = |enabled: bool| {
        client
            .put(format!("{}/api/v1/bot/settings", one.base))
            .bearer_auth(&admin)
            .json(&settings(enabled))
            .send()
    };
    assert!(save(false).await.unwrap().status().is_success());
    // Instance 2 reads "the bot is off" and keeps it (for two seconds) for the message path.
    let read_at = Instant::now();
    assert!(!greeted_by_the_bot(&client, &two.base, site_id, "off-1").await);
    // Switched on at instance 1: instance 2 hears of it and reads it again at once, well
    // before it would have by itself.
    assert!(save(true).await.unwrap().status().is_success());
    // Instance 2 would read it again by itself 2 seconds after it read "off" (after
    // `read_at`): a greeting answered before then can only come from having heard of it.
    let mut n = 0;
    let greeted_after = loop {
        n += 1;
        if greeted_by_the_bot(&client, &two.base, site_id, &format!("on-{n}")).await {
            break read_at.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(
        greeted_after < Duration::from_secs(2),
        "instance 2 said the bot was off until it read it again by itself ({greeted_after:?})"
    );
    drop((one, two));
}

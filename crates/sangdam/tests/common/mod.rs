//! What the tests of the `sangdam` binary share: a fresh database, the real server started
//! (and killed) as a process, a site made with `sangdam site create`, customer messages sent
//! with their `client_msg_id` and the messages stored, as the agent API lists them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use store::testing::TestDb;

/// Runs `scenario` against a fresh database of `backend` (skipped loudly without PostgreSQL,
/// a failure on CI), removing the database afterwards, also when the scenario panics.
pub async fn on_fresh_database<F, Fut>(backend: store::Backend, scenario: F)
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let Some(db) = TestDb::fresh(backend).await else {
        return;
    };
    let result = tokio::spawn(scenario(db.url.clone())).await;
    db.remove().await;
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// A running `sangdam serve`; killed (SIGKILL) when dropped, so a failing test leaves none.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub async fn start(database_url: &str) -> Server {
        Server::start_with(database_url, &[]).await
    }

    pub async fn start_with(database_url: &str, extra: &[&str]) -> Server {
        // A free port: bind, read it, let it go (the server binds it a moment later).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_sangdam"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--database-url", database_url])
            // The burst comes from one address; the per-address limit is not under test.
            .args([
                "--webchat-per-minute",
                "1000000",
                "--sessions-per-minute",
                "1000000",
            ])
            .args(extra)
            .env("SANGDAM_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start sangdam serve");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = client.get(format!("{}/healthz", server.base)).send().await
                && r.status().is_success()
            {
                return server;
            }
            assert!(Instant::now() < deadline, "sangdam serve did not come up");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no graceful shutdown, no flushing, no chance to finish requests in flight.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL the server");
        let status = self.child.wait().expect("reap the server");
        assert!(
            !status.success(),
            "the server was killed, not stopped: {status}"
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `sangdam site create`: the JSON it prints.
pub fn create_site(database_url: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_sangdam"))
        .args(["site", "create", "--name", "시험 쇼핑몰"])
        .args(["--database-url", database_url])
        .env("SANGDAM_LOG", "warn")
        .output()
        .expect("run sangdam site create");
    assert!(
        out.status.success(),
        "site create: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("site create prints JSON")
}

/// `sangdam seed --database-url URL --site SITE` with `args` after them.
pub fn run_seed(database_url: &str, site: i64, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sangdam"))
        .args(["seed", "--database-url", database_url])
        .args(["--site", &site.to_string()])
        .args(args)
        .env("SANGDAM_LOG", "warn")
        .output()
        .expect("run sangdam seed")
}

pub fn client_id(window: usize, n: usize) -> String {
    format!("w{window}-{n}")
}

pub fn body_of(window: usize, n: usize) -> String {
    format!("창 {window}의 메시지 {n}")
}

/// Sends one customer message; `Some(stored id)` when acknowledged with 200.
pub async fn send(
    client: &reqwest::Client,
    base: &str,
    site: i64,
    visitor: &str,
    window: usize,
    n: usize,
) -> Result<Option<i64>, reqwest::Error> {
    let resp = client
        .post(format!("{base}/api/v1/webchat/{site}/messages"))
        .header("x-sangdam-visitor", visitor)
        .json(&json!({"body": body_of(window, n), "client_msg_id": client_id(window, n)}))
        .send()
        .await?;
    if resp.status().as_u16() != 200 {
        assert!(
            resp.status().is_success() || resp.status().is_client_error(),
            "unexpected {}",
            resp.status()
        );
        return Ok(None);
    }
    // The acknowledgement is the whole 200 answer: a body cut by the kill is not one.
    match resp.json::<Value>().await {
        Ok(v) => Ok(v["id"].as_i64()),
        Err(_) => Ok(None),
    }
}

/// Every message of the room, as the agent API lists it (paged).
pub async fn stored(client: &reqwest::Client, base: &str, token: &str, room: i64) -> Vec<Value> {
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let resp = client
            .get(format!("{base}/api/v1/rooms/{room}/messages?after={after}"))
            .bearer_auth(token)
            .send()
            .await
            .expect("list messages");
        let status = resp.status();
        let v: Value = resp.json().await.expect("messages JSON");
        assert!(status.is_success(), "room {room}'s messages: {status} {v}");
        let page = v["messages"].as_array().cloned().expect("messages");
        let Some(last) = page.last() else {
            return all;
        };
        after = last["seq"].as_i64().expect("seq");
        all.extend(page);
    }
}

/// Opens a web chat (v2) session of the customer `uid`: the session's JSON (`visitor`,
/// `room_id`, …).
pub async fn open_session(client: &reqwest::Client, base: &str, site: i64, uid: &str) -> Value {
    open_session_with(client, base, site, &format!("site_uid=('{uid}')")).await
}

/// Opens a web chat (v2) session from a chat URL with `params` (`site_uid=('…'),…`).
pub async fn open_session_with(
    client: &reqwest::Client,
    base: &str,
    site: i64,
    params: &str,
) -> Value {
    client
        .post(format!("{base}/api/v1/webchat/{site}/sessions"))
        .json(&json!({"channel": "webchat_v2",
                      "url": format!("https://shop.example/chat?params={params}")}))
        .send()
        .await
        .expect("open a session")
        .json()
        .await
        .expect("session JSON")
}

/// A pool on `database_url` as the tests' own reader of the database (a plain path is SQLite).
pub async fn any_pool(database_url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    let url = if database_url.starts_with("postgres") {
        database_url.to_owned()
    } else {
        format!("sqlite://{database_url}")
    };
    sqlx::AnyPool::connect(&url).await.expect("connect")
}

//! The harness of the server's integration tests: `spawn_app(backend)` starts the real server
//! (the same `server::serve` the binary runs) on 127.0.0.1:0 against a fresh database — a new
//! SQLite file, or a new PostgreSQL database on the server named by `SANGDAM_TEST_PG` — and
//! provisions a site through `server::provision::create_site`. Tests then talk to it over HTTP
//! and WebSockets only, as a chat window, a messenger platform or an agent console would.
//!
//! Every test is written once, as `async fn name(app: TestApp)`, and `both!(name)` runs it on
//! both backends as `name::sqlite` and `name::postgres`.
//!
//! Without `SANGDAM_TEST_PG` the PostgreSQL variants are skipped loudly, except on CI
//! (`CI=true`), where a missing PostgreSQL is a failure.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use server::Config;
use server::provision::{self, Provisioned};
use store::{Role, Store};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Runs `async fn $name(app: TestApp)` on SQLite and on PostgreSQL, as `$name::sqlite` and
/// `$name::postgres`.
macro_rules! both {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                crate::common::run(crate::common::Backend::Sqlite, super::$name).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                crate::common::run(crate::common::Backend::Postgres, super::$name).await;
            }
        }
    )+};
}

pub use store::Backend;
use store::testing::TestDb;

/// Runs one test on a fresh app and removes its database afterwards, also when it panics.
pub async fn run<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let store = app.store.clone();
    let db = app.db.clone();
    let outcome = tokio::spawn(test(app)).await;
    store.close().await;
    db.remove().await;
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("test task failed: {e}"),
        }
    }
}

/// The running server, its database and the site provisioned for the test.
#[derive(Debug)]
pub struct TestApp {
    pub backend: Backend,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub addr: SocketAddr,
    pub site: i64,
    /// The site admin's API token.
    pub token: String,
    /// The site's secret (for `site_uid_hash`).
    pub secret: String,
    /// The keys the site's Kakao skill and Naver webhook URLs carry.
    pub kakao_key: String,
    pub naver_key: String,
    pub admin_login: String,
    pub admin_password: String,
    /// The same database the server uses (for settings a test needs, never for assertions
    /// about what users see).
    pub store: Store,
    pub http: reqwest::Client,
    db: TestDb,
    shutdown: Option<oneshot::Sender<()>>,
    running: Option<tokio::task::JoinHandle<()>>,
}

/// The settings the test site gets: the help page's two custom slots.
pub fn site_settings() -> inflow::Settings {
    provision::demo_settings()
}

/// Starts the server on a fresh database with a provisioned site (zero2prod's `spawn_app`).
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, Config::default()).await
}

pub async fn spawn_app_with(backend: Backend, config: Config) -> Option<TestApp> {
    log_to_the_test();
    let db = TestDb::fresh(backend).await?;
    let store = Store::connect(&db.url).await.expect("connect and migrate");
    let p = provision::create_site(&store, "테스트 쇼핑몰", &site_settings())
        .await
        .expect("provision the test site");
    let (addr, shutdown, running) = start_server(&store, &config).await;
    Some(TestApp {
        backend,
        base: format!("http://{addr}"),
        addr,
        site: p.site_id.get(),
        token: p.api_token,
        secret: p.secret,
        kakao_key: p.kakao_key,
        naver_key: p.naver_key,
        admin_login: p.admin.login,
        admin_password: p.admin.password,
        store,
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("http client"),
        db,
        shutdown: Some(shutdown),
        running: Some(running),
    })
}

/// Sends the server's warnings and errors (an internal error's cause among them) to the test's
/// own output, shown with a failing test; `SANGDAM_LOG` chooses more.
fn log_to_the_test() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SANGDAM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,sqlx=warn"));
    // Only the first test of a process sets it; the others find it set.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}

/// The server's address, its stop button, and the task that ends once it and its workers have
/// stopped.
async fn start_server(
    store: &Store,
    config: &Config,
) -> (SocketAddr, oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    let app = server::App::build(store.clone(), config, listener)
        .await
        .expect("build the application");
    let (tx, rx) = oneshot::channel::<()>();
    let running = tokio::spawn(async move {
        let _ = app
            .run_until_stopped(async move {
                let _ = rx.await;
            })
            .await;
    });
    (addr, tx, running)
}

/// One HTTP answer: status, headers and the body as JSON (`Value::Null` when empty, a JSON
/// string when it was not JSON).
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    /// The body of a 2xx answer; panics with the answer otherwise.
    #[track_caller]
    pub fn ok(self) -> Value {
        assert!(
            (200..300).contains(&self.status),
            "expected success, got {} {}",
            self.status,
            self.body
        );
        self.body
    }

    /// Asserts a structured error `{"error": {"code", "message", "details"}}` with this status
    /// and code, and returns the error object.
    #[track_caller]
    pub fn err(self, status: u16, code: &str) -> Value {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.body
        );
        assert_structured_error(&self.body);
        assert_eq!(self.body["error"]["code"], code, "body: {}", self.body);
        self.body["error"].clone()
    }
}

/// The documented error shape: an object with a snake_case code, a sentence and details.
#[track_caller]
pub fn assert_structured_error(body: &Value) {
    let e = &body["error"];
    let code = e["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error.code in {body}"));
    assert!(
        !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
        "error code {code:?} is not snake_case"
    );
    assert!(
        e["message"].as_str().is_some_and(|m| !m.is_empty()),
        "no error.message in {body}"
    );
    assert!(
        e.as_object().is_some_and(|o| o.contains_key("details")),
        "no error.details in {body}"
    );
}

impl TestApp {
    /// Any request; a 5xx answer fails the test at once (no input may cause one).
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Resp {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        into_resp(resp, &method, path).await
    }

    /// A raw request (bytes and headers of the test's choosing).
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Resp {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .body(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        into_resp(resp, &method, path).await
    }

    // The agent API as the site admin (its API token).
    pub async fn get(&self, path: &str) -> Resp {
        self.request(Method::GET, path, Some(&self.token), None)
            .await
    }
    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.request(Method::POST, path, Some(&self.token), Some(body))
            .await
    }
    pub async fn put(&self, path: &str, body: &Value) -> Resp {
        self.request(Method::PUT, path, Some(&self.token), Some(body))
            .await
    }
    pub async fn patch(&self, path: &str, body: &Value) -> Resp {
        self.request(Method::PATCH, path, Some(&self.token), Some(body))
            .await
    }

    pub async fn room(&self, room: i64) -> Value {
        self.get(&format!("/api/v1/rooms/{room}")).await.ok()
    }
    pub async fn profile(&self, profile: i64) -> Value {
        self.get(&format!("/api/v1/profiles/{profile}")).await.ok()
    }
    pub async fn consultation(&self, id: i64) -> Value {
        self.get(&format!("/api/v1/consultations/{id}")).await.ok()
    }
    /// The profile a room is linked to now.
    pub async fn profile_of_room(&self, room: i64) -> Value {
        let r = self.room(room).await;
        self.profile(r["profile_id"].as_i64().expect("profile_id"))
            .await
    }
    /// Message bodies of a room as an agent sees them.
    pub async fn room_bodies(&self, room: i64) -> Vec<String> {
        let v = self
            .get(&format!("/api/v1/rooms/{room}/messages"))
            .await
            .ok();
        bodies(&v["messages"])
    }
    /// Consultations listed for the agent, optionally filtered (`state=waiting&channel=kakao`).
    pub async fn consultations(&self, query: &str) -> Vec<Value> {
        let v = self
            .get(&format!("/api/v1/consultations?{query}"))
            .await
            .ok();
        v["consultations"].as_array().cloned().unwrap_or_default()
    }

    /// A web chat v2 URL with this `params` value.
    pub fn v2_url(&self, params: &str) -> String {
        format!("https://shop.example/chat/{}?params={params}", self.site)
    }

    /// Opens a web chat session (v2 unless the URL says otherwise) in a new browser.
    pub async fn chat(&self, url: &str) -> Session {
        self.chat_as("webchat_v2", url, None).await
    }

    /// Opens a web chat session on `channel`, as the browser holding `visitor` if given, with
    /// an explicit start (the consultation opens now, as a start button would).
    pub async fn chat_as(&self, channel: &str, url: &str, visitor: Option<&str>) -> Session {
        let mut body = json!({"channel": channel, "url": url, "start": true});
        if let Some(v) = visitor {
            body["visitor"] = json!(v);
        }
        let v = self.open_session(&body).await.ok();
        Session::from(v)
    }

    pub async fn open_session(&self, body: &Value) -> Resp {
        self.request(
            Method::POST,
            &format!("/api/v1/webchat/{}/sessions", self.site),
            None,
            Some(body),
        )
        .await
    }

    /// Opens a web chat session on another site.
    pub async fn open_session_on(&self, site: i64, body: &Value) -> Resp {
        self.request(
            Method::POST,
            &format!("/api/v1/webchat/{site}/sessions"),
            None,
            Some(body),
        )
        .await
    }

    /// The customer writes in the chat window.
    pub async fn say(&self, visitor: &str, text: &str) -> Resp {
        self.say_id(visitor, text, None).await
    }

    pub async fn say_id(&self, visitor: &str, text: &str, client_msg_id: Option<&str>) -> Resp {
        let mut body = json!({"body": text});
        if let Some(id) = client_msg_id {
            body["client_msg_id"] = json!(id);
        }
        let resp = self
            .http
            .post(format!(
                "{}/api/v1/webchat/{}/messages",
                self.base, self.site
            ))
            .header("x-sangdam-visitor", visitor)
            .json(&body)
            .send()
            .await
            .expect("send a chat message");
        into_resp(resp, &Method::POST, "/webchat/messages").await
    }

    /// What the chat window shows: the message bodies the visitor may read.
    pub async fn chat_bodies(&self, visitor: &str) -> Vec<String> {
        let resp = self
            .http
            .get(format!(
                "{}/api/v1/webchat/{}/messages",
                self.base, self.site
            ))
            .header("x-sangdam-visitor", visitor)
            .send()
            .await
            .expect("list chat messages");
        let v = into_resp(resp, &Method::GET, "/webchat/messages")
            .await
            .ok();
        bodies(&v["messages"])
    }

    /// Posts a Kakao skill request.
    pub async fn kakao(&self, request: &Value) -> Resp {
        self.request(
            Method::POST,
            &format!("/kakao/{}/skill?key={}", self.site, self.kakao_key),
            None,
            Some(request),
        )
        .await
    }

    /// Posts a Kakao skill request to the skill URL of `site` (as written in the path).
    pub async fn kakao_on(&self, site: &str, request: &Value) -> Resp {
        self.request(
            Method::POST,
            &format!("/kakao/{site}/skill?key={}", self.kakao_key),
            None,
            Some(request),
        )
        .await
    }

    /// Posts a Naver TalkTalk webhook event.
    pub async fn naver(&self, event: &Value) -> Resp {
        self.request(
            Method::POST,
            &format!("/naver/{}/webhook?key={}", self.site, self.naver_key),
            None,
            Some(event),
        )
        .await
    }

    /// A second agent of the test site, with its own API token.
    pub async fn agent(&self, login: &str, role: Role) -> (i64, String) {
        self.agent_of(self.site, login, role).await
    }

    /// An account of `site` (this test's or another in the same database) with an API token.
    pub async fn agent_of(&self, site: i64, login: &str, role: Role) -> (i64, String) {
        let now = 1_700_000_000_000;
        let a = self
            .store
            .create_agent(
                sangdam_core::SiteId::new(site),
                login,
                "not-a-password-hash",
                login,
                role,
                now,
            )
            .await
            .expect("create agent");
        let token = server::auth::random_token();
        self.store
            .create_api_token(
                a.site_id,
                a.id,
                &server::auth::token_hash(&token),
                "test",
                now,
            )
            .await
            .expect("create token");
        (a.id.get(), token)
    }

    /// Another site in the same database.
    pub async fn other_site(&self, name: &str) -> Provisioned {
        provision::create_site(&self.store, name, &site_settings())
            .await
            .expect("provision another site")
    }

    /// Site settings: `require_verified_uid`.
    pub async fn require_verified_uid(&self, on: bool) {
        self.store
            .update_site(
                sangdam_core::SiteId::new(self.site),
                &site_settings(),
                on,
                None,
            )
            .await
            .expect("update site");
    }

    /// The HMAC a site's server would compute for `uid`.
    pub fn uid_hash(&self, uid: &str) -> String {
        sangdam_core::site_uid_hash(self.secret.as_bytes(), uid)
    }

    /// Restarts the server with another configuration (same database, same site).
    pub async fn reconfigure(&mut self, config: Config) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        // The old server's workers (its message writer) stop before the new one's start.
        if let Some(running) = self.running.take() {
            let _ = tokio::time::timeout(Duration::from_secs(30), running).await;
        }
        let (addr, tx, running) = start_server(&self.store, &config).await;
        self.addr = addr;
        self.base = format!("http://{addr}");
        self.shutdown = Some(tx);
        self.running = Some(running);
    }

    pub fn ws_url(&self, path: &str) -> String {
        format!("ws://{}{path}", self.addr)
    }

    /// Opens a WebSocket with extra request headers.
    pub async fn ws(&self, path: &str, headers: &[(&str, &str)]) -> Ws {
        match self.try_ws(path, headers).await {
            Ok(ws) => ws,
            Err(refused) => panic!(
                "WebSocket {path}: refused with {}: {}",
                refused.status, refused.body
            ),
        }
    }

    /// Tries to open a WebSocket with extra request headers; a refused upgrade comes back as
    /// the server's HTTP answer.
    pub async fn try_ws(&self, path: &str, headers: &[(&str, &str)]) -> Result<Ws, Resp> {
        let mut req = self.ws_url(path).into_client_request().expect("ws request");
        for (k, v) in headers {
            req.headers_mut().insert(
                reqwest::header::HeaderName::from_bytes(k.as_bytes()).expect("header name"),
                v.parse().expect("header value"),
            );
        }
        match tokio_tungstenite::connect_async(req).await {
            Ok((stream, _)) => Ok(Ws(stream)),
            Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => {
                let bytes = resp.body().clone().unwrap_or_default();
                let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                    Value::String(String::from_utf8_lossy(&bytes).into_owned())
                });
                Err(Resp {
                    status: resp.status().as_u16(),
                    headers: resp.headers().clone(),
                    body,
                })
            }
            Err(e) => panic!("WebSocket {path}: {e}"),
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

async fn into_resp(resp: reqwest::Response, method: &Method, path: &str) -> Resp {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.expect("read the body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    assert!(
        status < 500,
        "{method} {path} answered {status} (no input may cause a server error): {body}"
    );
    Resp {
        status,
        headers,
        body,
    }
}

/// Whether `body` is the greeting Sangdam sends by itself when an agent is given a
/// consultation (the default text, with the agent's name).
pub fn is_greeting(body: &str) -> bool {
    body.starts_with("안녕하세요, 상담원 ") && body.ends_with("입니다. 무엇을 도와드릴까요?")
}

/// Whether a message frame or record (`{"body", …}`) is the greeting.
pub fn is_greeting_message(m: &Value) -> bool {
    m["body"].as_str().is_some_and(is_greeting)
}

/// `bodies` without the greetings: what people wrote, whoever was given the consultation.
pub fn without_greetings(bodies: Vec<String>) -> Vec<String> {
    bodies.into_iter().filter(|b| !is_greeting(b)).collect()
}

/// The bodies of a `messages` array.
pub fn bodies(messages: &Value) -> Vec<String> {
    messages
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m["body"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// What `POST /api/v1/webchat/{site}/sessions` answered.
#[derive(Debug, Clone)]
pub struct Session {
    pub visitor: String,
    pub room: i64,
    pub consultation: i64,
    pub customer_key: String,
    pub verified: bool,
    pub sees_history: bool,
    pub warnings: Value,
    pub raw: Value,
}

impl From<Value> for Session {
    fn from(v: Value) -> Self {
        Session {
            visitor: v["visitor"].as_str().expect("visitor").to_owned(),
            room: v["room_id"].as_i64().expect("room_id"),
            consultation: v["consultation_id"].as_i64().expect("consultation_id"),
            customer_key: v["customer_key"].as_str().expect("customer_key").to_owned(),
            verified: v["verified"].as_bool().expect("verified"),
            sees_history: v["sees_history"].as_bool().expect("sees_history"),
            warnings: v["warnings"].clone(),
            raw: v,
        }
    }
}

/// Whether `warnings` holds one `{param, code}`.
pub fn has_warning(warnings: &Value, param: &str, code: &str) -> bool {
    warnings
        .as_array()
        .is_some_and(|a| a.iter().any(|w| w["param"] == param && w["code"] == code))
}

/// A WebSocket client reading JSON frames.
#[derive(Debug)]
pub struct Ws(WebSocketStream<MaybeTlsStream<TcpStream>>);

impl Ws {
    /// Every frame up to and including the first that satisfies `pred` (each within
    /// [`WAIT`]).
    pub async fn frames_until(&mut self, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        let mut seen = Vec::new();
        loop {
            match self.next_json(WAIT).await {
                Some(v) => {
                    let done = pred(&v);
                    seen.push(v);
                    if done {
                        return seen;
                    }
                }
                None => panic!("no matching frame within {WAIT:?}; got {seen:#?}"),
            }
        }
    }

    /// The next JSON text frame, or `None` after `wait` without one.
    pub async fn next_json(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.0.next())
                .await
                .ok()??;
            match frame.expect("WebSocket frame") {
                WsMessage::Text(t) => {
                    return Some(serde_json::from_str(t.as_str()).expect("JSON frame"));
                }
                WsMessage::Close(_) => return None,
                _ => {}
            }
        }
    }

    /// Reads frames until one satisfies `pred` (within `wait`), returning it; panics otherwise,
    /// listing what arrived instead.
    pub async fn until(&mut self, wait: Duration, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + wait;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_json(left).await {
                Some(v) if pred(&v) => return v,
                Some(v) => seen.push(v),
                None => panic!("no matching frame within {wait:?}; got {seen:#?}"),
            }
        }
    }

    pub async fn send_json(&mut self, v: &Value) {
        self.0
            .send(WsMessage::Text(v.to_string().into()))
            .await
            .expect("send a frame");
    }
}

/// A minimal Kakao skill request from `user` saying `utterance`, with `action.params`.
pub fn kakao_request(user: &str, utterance: &str, params: Value) -> Value {
    json!({
        "intent": {"id": "blk1", "name": "상담 문의"},
        "userRequest": {
            "timezone": "Asia/Seoul",
            "params": {"surface": "Kakaotalk.plusfriend"},
            "block": {"id": "blk1", "name": "상담 문의"},
            "utterance": utterance,
            "lang": "ko",
            "user": {
                "id": user,
                "type": "botUserKey",
                "properties": {"plusfriendUserKey": format!("pf-{user}"), "isFriend": true}
            }
        },
        "bot": {"id": "5ae9b76d7409b11ec845b746", "name": "쇼핑봇"},
        "action": {"id": "sk1", "name": "sangdam", "params": params, "detailParams": {}, "clientExtra": {}},
        "contexts": []
    })
}

/// Asserts `v` is a skill response Open Builder renders: version 2.0, 1–3 outputs, each
/// simpleText at most 1000 characters. Returns the texts.
#[track_caller]
pub fn skill_texts(v: &Value) -> Vec<String> {
    assert_eq!(v["version"], "2.0", "skill response: {v}");
    let outputs = v["template"]["outputs"]
        .as_array()
        .expect("template.outputs");
    assert!((1..=3).contains(&outputs.len()), "1–3 outputs: {v}");
    outputs
        .iter()
        .map(|o| {
            let text = o["simpleText"]["text"].as_str().expect("simpleText.text");
            assert!(
                !text.is_empty() && text.chars().count() <= 1000,
                "simpleText: {text:?}"
            );
            text.to_owned()
        })
        .collect()
}

/// The test site's consultations on `channel`, newest first.
pub async fn newest_on(app: &TestApp, channel: &str) -> Value {
    app.consultations(&format!("channel={channel}"))
        .await
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {channel} consultation"))
}

/// A short pause for events that travel through the bus.
pub const WAIT: Duration = Duration::from_secs(5);

/// A Naver user id (22 characters, as Naver's are).
pub fn naver_user(tag: &str) -> String {
    let mut s = format!("nv-{tag}-");
    while s.len() < 22 {
        s.push('x');
    }
    s.chars().take(22).collect()
}

/// Logs in as the site admin (a cookie session), returning the session cookie `name=value`.
pub async fn login_cookie(app: &TestApp) -> String {
    let resp = app
        .http
        .post(format!("{}/api/v1/auth/login", app.base))
        .json(&json!({"login": app.admin_login, "password": app.admin_password}))
        .send()
        .await
        .expect("login");
    assert_eq!(resp.status().as_u16(), 200);
    let cookie = resp
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("Set-Cookie")
        .to_owned();
    cookie.split(';').next().unwrap_or_default().to_owned()
}

/// Percent-encodes every byte but unreserved ASCII, as a chat-URL builder does for Korean.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The outside payloads in `fixtures/` at the repository root, one JSON object per file.
pub fn fixture(rel: &str) -> serde_json::Map<String, Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "fixture {} is missing ({e}): it belongs in fixtures/ at the repository root",
            path.display()
        )
    });
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(m)) if !m.is_empty() => m,
        other => panic!("fixture {} is not a JSON object: {other:?}", path.display()),
    }
}

/// A one-page PDF, as a business registration certificate is uploaded.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// The application's use cases over the test's database, for what only the platform operator
/// or the command line does (making operators, granting free cash).
pub fn services(app: &TestApp) -> app::Services {
    app::Services::new(
        app.store.clone(),
        std::sync::Arc::new(app::SystemClock),
        std::sync::Arc::new(app::NoEvents),
    )
}

/// The site's business submitted by its admin (a PDF) and approved by a platform operator.
pub async fn verify_business(app: &TestApp) {
    use reqwest::multipart::{Form, Part};
    let form = Form::new()
        .text("business_number", "220-81-62517")
        .text("business_name", "상담 상사")
        .text("representative", "홍길동")
        .part("document", Part::bytes(PDF.to_vec()).file_name("cert.pdf"));
    let r = app
        .http
        .post(format!("{}/api/v1/site/business", app.base))
        .bearer_auth(&app.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["verification"]["verification"]["id"]
        .as_i64()
        .unwrap();
    let services = services(app);
    let (op, _) = services
        .create_operator(&format!("verifier-{id}"), "운영자")
        .await
        .unwrap();
    services
        .decide_business(
            &op,
            sangdam_core::VerificationId::new(id),
            sangdam_core::business::Decision::Approve,
        )
        .await
        .unwrap();
}

/// A personal wallet for the site (its admin the master) with `krw` of free cash for a day.
pub async fn fund_wallet(app: &TestApp, krw: u32) {
    let me = app.get("/api/v1/me").await.ok()["agent"]["id"].clone();
    app.post(
        "/api/v1/wallet",
        &json!({"name": "월렛", "kind": "personal", "master_id": me}),
    )
    .await
    .ok();
    let services = services(app);
    services
        .grant_cash(
            sangdam_core::SiteId::new(app.site),
            billing::Krw::won(krw),
            services.now() + 86_400_000,
            "테스트",
            &format!("test-grant-{krw}"),
        )
        .await
        .unwrap();
}

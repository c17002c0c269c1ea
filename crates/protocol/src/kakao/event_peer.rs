//! A local Kakao Event API for development and tests (feature `testing`).
//!
//! [`KakaoEventPeer::start`] serves `POST /v2/bots/{botId}/talk` and `GET /v1/tasks/{taskId}`
//! on 127.0.0.1 (a free port) the way Kakao does: `Authorization: KakaoAK {key}` (anything
//! else: 401), at most 100 users a request and an event name (else 400), a task id at once,
//! and per-user results in the task. A user delivers only when they are a friend of the bot's
//! channel and have not blocked it: the peer knows the friends and the blocked users it is
//! told ([`KakaoEventPeer::friend`], [`KakaoEventPeer::block`]); anyone else fails with the
//! error Kakao gives a user who has not added the channel.
//!
//! It also takes the answers to skill requests made later, `POST /v1/bots/{botId}/callback/{token}`
//! (the `callbackUrl` of a request): one answer per token (a second is refused with 400), kept
//! for the test to read ([`KakaoEventPeer::callbacks`]); [`KakaoEventPeer::callback_url`] makes
//! such a URL.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

use super::event::{
    EventAccepted, EventRequest, MAX_EVENT_USERS, TaskFailure, TaskFailures, TaskResult,
};

/// What a user who has not added the channel gets.
pub const NOT_A_FRIEND: &str = "user is not a friend of the channel";
/// What a user who blocked the channel gets.
pub const BLOCKED: &str = "user blocked the channel";

/// A message the peer delivered.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivered {
    pub bot_id: String,
    pub user_id: String,
    pub event: String,
    pub data: Value,
    pub params: Value,
}

/// A running peer; stops when dropped.
#[derive(Debug)]
pub struct KakaoEventPeer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

#[derive(Debug)]
struct Shared {
    key: String,
    state: Mutex<PeerState>,
}

#[derive(Debug, Default)]
struct PeerState {
    friends: HashSet<(String, String)>,
    blocked: HashSet<(String, String)>,
    tasks: HashMap<String, TaskResult>,
    /// Reads of a task answered `PROCESSING` before its result.
    processing_reads: u32,
    reads_left: HashMap<String, u32>,
    delivered: Vec<Delivered>,
    talks: usize,
    fail_next: usize,
    /// Callback answers: (token, the skill response).
    callbacks: Vec<(String, Value)>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, PeerState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl KakaoEventPeer {
    /// Starts the peer accepting `rest_api_key`. Must be called inside a tokio runtime.
    ///
    /// # Panics
    /// When no local port can be bound.
    pub async fn start(rest_api_key: &str) -> KakaoEventPeer {
        let shared = Arc::new(Shared {
            key: rest_api_key.to_owned(),
            state: Mutex::new(PeerState::default()),
        });
        let app = Router::new()
            .route("/v2/bots/{bot}/talk", post(talk))
            .route("/v1/tasks/{task}", get(task))
            .route("/v1/bots/{bot}/callback/{token}", post(callback))
            .with_state(shared.clone());
        let (addr, task) = crate::local_peer::serve_local("KakaoEventPeer", app).await;
        KakaoEventPeer { addr, shared, task }
    }

    /// The base URL (`http://127.0.0.1:PORT`), Kakao's `https://bot-api.kakao.com`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `user` (any of their keys) has added bot `bot`'s channel.
    pub fn friend(&self, bot: &str, user: &str) {
        self.shared
            .lock()
            .friends
            .insert((bot.to_owned(), user.to_owned()));
    }

    /// `user` blocked bot `bot`'s channel.
    pub fn block(&self, bot: &str, user: &str) {
        self.shared
            .lock()
            .blocked
            .insert((bot.to_owned(), user.to_owned()));
    }

    /// Each task is read `n` times as `PROCESSING` before its result.
    pub fn processing_reads(&self, n: u32) {
        self.shared.lock().processing_reads = n;
    }

    /// The next `n` talk requests get HTTP 503.
    pub fn fail_next(&self, n: usize) {
        self.shared.lock().fail_next = n;
    }

    /// Every message delivered, in order.
    pub fn delivered(&self) -> Vec<Delivered> {
        self.shared.lock().delivered.clone()
    }

    /// A request's callback URL of bot `bot`, answered once.
    pub fn callback_url(&self, bot: &str, token: &str) -> String {
        format!("{}/v1/bots/{bot}/callback/{token}", self.url())
    }

    /// Every callback answer, in order: (token, the skill response).
    pub fn callbacks(&self) -> Vec<(String, Value)> {
        self.shared.lock().callbacks.clone()
    }

    /// How many talk requests were accepted.
    pub fn talks(&self) -> usize {
        self.shared.lock().talks
    }
}

impl Drop for KakaoEventPeer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({"code": -1, "message": message}))).into_response()
}

fn authorized(shared: &Shared, headers: &HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("KakaoAK "))
        == Some(shared.key.as_str())
}

async fn talk(
    State(shared): State<Arc<Shared>>,
    Path(bot): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !authorized(&shared, &headers) {
        return error(StatusCode::UNAUTHORIZED, "wrong KakaoAK key");
    }
    let req: EventRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, &format!("invalid body: {e}")),
    };
    if req.event.name.trim().is_empty() || req.user.is_empty() || req.user.len() > MAX_EVENT_USERS {
        return error(
            StatusCode::BAD_REQUEST,
            "an event name and 1 to 100 users are required",
        );
    }
    let mut s = shared.lock();
    if s.fail_next > 0 {
        s.fail_next -= 1;
        return error(StatusCode::SERVICE_UNAVAILABLE, "try again later");
    }
    s.talks += 1;
    let task_id = format!("peer-task-{}", s.talks);
    let mut failures = Vec::new();
    for u in &req.user {
        let key = (bot.clone(), u.id.clone());
        let failed = if s.blocked.contains(&key) {
            Some(BLOCKED)
        } else if !s.friends.contains(&key) {
            Some(NOT_A_FRIEND)
        } else {
            None
        };
        match failed {
            Some(msg) => failures.push(TaskFailure {
                user_id: u.id.clone(),
                error_msg: msg.to_owned(),
            }),
            None => s.delivered.push(Delivered {
                bot_id: bot.clone(),
                user_id: u.id.clone(),
                event: req.event.name.clone(),
                data: Value::Object(req.event.data.clone()),
                params: Value::Object(req.params.clone()),
            }),
        }
    }
    let all = u32::try_from(req.user.len()).unwrap_or(u32::MAX);
    let failed = u32::try_from(failures.len()).unwrap_or(u32::MAX);
    let result = TaskResult {
        task_id: task_id.clone(),
        status: if failed == all { "FAIL" } else { "SUCCESS" }.to_owned(),
        all_request_count: all,
        success_count: all - failed,
        fail: TaskFailures {
            count: failed,
            list: failures,
        },
    };
    let reads = s.processing_reads;
    s.reads_left.insert(task_id.clone(), reads);
    s.tasks.insert(task_id.clone(), result);
    axum::Json(EventAccepted {
        task_id,
        status: "SUCCESS".to_owned(),
        message: "accepted".to_owned(),
        timestamp: 0,
    })
    .into_response()
}

async fn callback(
    State(shared): State<Arc<Shared>>,
    Path((_bot, token)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let Ok(response) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "the body is not a skill response");
    };
    let mut s = shared.lock();
    if s.callbacks.iter().any(|(t, _)| *t == token) {
        return error(
            StatusCode::BAD_REQUEST,
            "this callback was answered already",
        );
    }
    s.callbacks.push((token.clone(), response));
    axum::Json(json!({"taskId": format!("callback-{token}"), "status": "SUCCESS", "message": "", "timestamp": 0}))
        .into_response()
}

async fn task(
    State(shared): State<Arc<Shared>>,
    Path(task): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&shared, &headers) {
        return error(StatusCode::UNAUTHORIZED, "wrong KakaoAK key");
    }
    let mut s = shared.lock();
    let Some(result) = s.tasks.get(&task).cloned() else {
        return error(StatusCode::NOT_FOUND, "no such task");
    };
    if let Some(left) = s.reads_left.get_mut(&task)
        && *left > 0
    {
        *left -= 1;
        return axum::Json(TaskResult {
            status: "PROCESSING".to_owned(),
            success_count: 0,
            fail: TaskFailures::default(),
            ..result
        })
        .into_response();
    }
    axum::Json(result).into_response()
}

#[cfg(test)]
mod tests {
    use super::super::event::{EventApiClient, EventApiError, EventSpec, EventUser};
    use super::*;

    fn request(users: &[&str]) -> EventRequest {
        EventRequest {
            event: EventSpec {
                name: "order_shipped".into(),
                data: serde_json::Map::new(),
            },
            user: users
                .iter()
                .map(|u| EventUser {
                    kind: "botUserKey".into(),
                    id: (*u).into(),
                    properties: serde_json::Map::new(),
                })
                .collect(),
            params: serde_json::Map::new(),
        }
    }

    #[tokio::test]
    async fn friends_deliver_and_the_others_fail_in_the_task() {
        let peer = KakaoEventPeer::start("rest-key").await;
        peer.friend("bot1", "friend");
        peer.friend("bot1", "blocker");
        peer.block("bot1", "blocker");
        peer.processing_reads(1);
        let client = EventApiClient::new(&peer.url(), "rest-key").unwrap();
        let accepted = client
            .talk("bot1", &request(&["friend", "stranger", "blocker"]))
            .await
            .unwrap();
        let first = client.task(&accepted.task_id).await.unwrap();
        assert!(first.is_processing());
        let done = client.task(&accepted.task_id).await.unwrap();
        assert_eq!((done.all_request_count, done.success_count), (3, 1));
        let failed: Vec<(&str, &str)> = done
            .fail
            .list
            .iter()
            .map(|f| (f.user_id.as_str(), f.error_msg.as_str()))
            .collect();
        assert_eq!(failed, [("stranger", NOT_A_FRIEND), ("blocker", BLOCKED)]);
        assert_eq!(peer.delivered().len(), 1);

        let wrong = EventApiClient::new(&peer.url(), "other").unwrap();
        assert!(matches!(
            wrong.talk("bot1", &request(&["friend"])).await,
            Err(EventApiError::Refused { status: 401, .. })
        ));
        peer.fail_next(1);
        assert!(matches!(
            client.talk("bot1", &request(&["friend"])).await,
            Err(EventApiError::Unreachable(_))
        ));
        let too_many: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
        let names: Vec<&str> = too_many.iter().map(String::as_str).collect();
        assert!(matches!(
            client.talk("bot1", &request(&names)).await,
            Err(EventApiError::Refused { status: 400, .. })
        ));
    }
}

//! A local Naver send API for tests (feature `testing`).
//!
//! [`FakeNaver::start`] serves `POST /chatbot/v1/event` on 127.0.0.1 (a free port) the way
//! Naver does: HTTP 200 with `{"success": true, "resultCode": "00"}` for an accepted event,
//! `resultCode` `01` for a wrong `Authorization` header, `02` for a body that is not a valid
//! send or handover event. It records every accepted body, and can be told to fail the next
//! requests with HTTP 500, answer them with a chosen result code, or answer them late.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

use super::client::EVENT_PATH;
use super::send::{HandoverRequest, SendEvent};

/// A running fake send API; stops when dropped.
#[derive(Debug)]
pub struct FakeNaver {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

#[derive(Debug)]
struct Shared {
    key: String,
    state: Mutex<FakeState>,
}

#[derive(Debug, Default)]
struct FakeState {
    received: Vec<Value>,
    arrivals: Vec<Instant>,
    fail_next: usize,
    reject_next: Vec<String>,
    delay_next: Vec<Duration>,
    /// Images served at `/images/{name}`, as a user's `imageContent.imageUrl` points to.
    images: std::collections::HashMap<String, Vec<u8>>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, FakeState> {
        // A panicking test thread must not take the fake down with it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl FakeNaver {
    /// Starts the fake on 127.0.0.1 (a free port), accepting `expected_key` as the
    /// `Authorization` header. Must be called inside a tokio runtime.
    ///
    /// # Panics
    /// When no local port can be bound (a test cannot go on without it).
    pub async fn start(expected_key: &str) -> FakeNaver {
        let shared = Arc::new(Shared {
            key: expected_key.to_owned(),
            state: Mutex::new(FakeState::default()),
        });
        let app = Router::new()
            .route(EVENT_PATH, post(event))
            .route("/images/{name}", axum::routing::get(image))
            .with_state(shared.clone());
        // Served until the task is aborted (on drop) or the runtime stops.
        let (addr, task) = crate::local_peer::serve_local("FakeNaver", app).await;
        FakeNaver { addr, shared, task }
    }

    /// The base URL to give [`super::NaverClient`] as its endpoint, e.g.
    /// `http://127.0.0.1:41234`.
    /// Serves `bytes` as an image a user sent; answers its URL.
    pub fn serve_image(&self, name: &str, bytes: Vec<u8>) -> String {
        self.shared.lock().images.insert(name.to_owned(), bytes);
        format!("{}/images/{name}", self.url())
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every accepted event body, in arrival order.
    pub fn received(&self) -> Vec<Value> {
        self.shared.lock().received.clone()
    }

    /// When each request arrived (accepted or not), in order.
    pub fn arrivals(&self) -> Vec<Instant> {
        self.shared.lock().arrivals.clone()
    }

    /// How many requests arrived (accepted or not).
    pub fn request_count(&self) -> usize {
        self.shared.lock().arrivals.len()
    }

    /// The next `n` requests get HTTP 500.
    pub fn fail_next(&self, n: usize) {
        self.shared.lock().fail_next = n;
    }

    /// The next request (after any [`FakeNaver::fail_next`]) gets HTTP 200 with
    /// `success: false` and this `resultCode` (e.g. `"99"`, `"IMG-01"`); calls queue up.
    pub fn reject_next(&self, result_code: &str) {
        self.shared.lock().reject_next.push(result_code.to_owned());
    }

    /// The next request is answered only after `delay`; calls queue up.
    pub fn delay_next(&self, delay: Duration) {
        self.shared.lock().delay_next.push(delay);
    }
}

impl Drop for FakeNaver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn answer(code: &str, message: &str) -> Response {
    let body = json!({
        "success": code == "00",
        "resultCode": code,
        "resultMessage": message,
    });
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
        body.to_string(),
    )
        .into_response()
}

async fn event(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let (fail, delay, reject) = {
        let mut st = shared.lock();
        st.arrivals.push(Instant::now());
        let fail = st.fail_next > 0;
        if fail {
            st.fail_next -= 1;
        }
        let delay = (!fail && !st.delay_next.is_empty()).then(|| st.delay_next.remove(0));
        let reject = (!fail && !st.reject_next.is_empty()).then(|| st.reject_next.remove(0));
        (fail, delay, reject)
    };
    if fail {
        return (StatusCode::INTERNAL_SERVER_ERROR, "injected failure").into_response();
    }
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    if let Some(code) = reject {
        return answer(&code, "injected rejection");
    }
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if auth != Some(shared.key.as_str()) {
        return answer("01", "invalid authorization");
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return answer("02", &format!("invalid JSON: {e}")),
    };
    if let Err(why) = check(&value) {
        return answer("02", &why);
    }
    shared.lock().received.push(value);
    answer("00", "")
}

/// Whether a body is a send or handover event the real API would take.
fn check(value: &Value) -> Result<(), String> {
    let limits = |errors: Vec<crate::LimitError>| {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    };
    match value.get("event").and_then(Value::as_str) {
        Some("send") => {
            let ev: SendEvent = serde_json::from_value(value.clone())
                .map_err(|e| format!("not a send event: {e}"))?;
            ev.validate().map_err(limits)
        }
        Some("handover") => {
            let req: HandoverRequest = serde_json::from_value(value.clone())
                .map_err(|e| format!("not a handover event: {e}"))?;
            req.validate().map_err(limits)
        }
        Some(other) => Err(format!("unsupported event {other:?}")),
        None => Err("no event".to_owned()),
    }
}

async fn image(
    State(shared): State<Arc<Shared>>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Response {
    match shared.lock().images.get(&name) {
        Some(bytes) => (
            [(header::CONTENT_TYPE, "application/octet-stream")],
            bytes.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

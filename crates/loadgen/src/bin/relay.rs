//! `sangdam-relay`: the reference the load generator measures Sangdam against.
//!
//! A minimal WebSocket relay with no database: it speaks exactly the subset of Sangdam's API
//! that `sangdam-load` uses (web chat sessions and WebSocket, the console WebSocket, take, a
//! room's messages, the Kakao skill endpoint) and does the least work that subset needs: keep
//! each message in memory (so the loader's exactly-once check runs unchanged), acknowledge it,
//! and send it, serialised once, to the console holding the room and to the supervisor (to
//! every console while nobody holds it yet: it is in everyone's queue).
//!
//! Consoles name themselves with the `X-Load-Console` header (the loader sends it to Sangdam
//! too, which ignores it); the one named `supervisor` receives every message.
//!
//! `sangdam-relay [--listen 127.0.0.1:0]` prints `listening on http://ADDR` and serves until
//! killed.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::{Json, Router};
use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;

#[derive(Debug, Parser)]
#[command(
    name = "sangdam-relay",
    about = "Reference WebSocket relay for sangdam-load"
)]
struct Args {
    /// Address to listen on (loopback only).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
}

type Frame = Arc<str>;

#[derive(Debug, Default)]
struct Room {
    consultation: u64,
    owner: Option<String>,
    messages: Vec<Value>,
    client_ids: HashSet<String>,
}

#[derive(Debug, Default)]
struct Inner {
    rooms: HashMap<u64, Room>,
    visitors: HashMap<String, u64>,
    kakao_users: HashMap<String, u64>,
    consoles: HashMap<String, mpsc::UnboundedSender<Frame>>,
}

#[derive(Debug, Default)]
struct Relay {
    inner: Mutex<Inner>,
    next_room: AtomicU64,
    next_message: AtomicU64,
}

type St = Arc<Relay>;

impl Relay {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panicking handler cannot leave the maps half-written in a way that matters here.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new room with its waiting consultation, announced to every console.
    fn open_room(&self) -> (u64, u64) {
        let room = self.next_room.fetch_add(1, Ordering::Relaxed) + 1;
        let consultation = room;
        let frame: Frame = json!({"type": "consultation", "site_id": 1, "consultation": {
            "id": consultation, "room_id": room, "state": "waiting"}})
        .to_string()
        .into();
        let mut g = self.lock();
        g.rooms.insert(
            room,
            Room {
                consultation,
                ..Room::default()
            },
        );
        for tx in g.consoles.values() {
            let _ = tx.send(frame.clone());
        }
        (room, consultation)
    }

    /// Stores a customer message (once per client id) and relays it; the stored record.
    fn customer_message(&self, room: u64, body: &str, client_msg_id: Option<&str>) -> Value {
        let mut g = self.lock();
        let Some(r) = g.rooms.get_mut(&room) else {
            return json!(null);
        };
        if let Some(cid) = client_msg_id
            && r.client_ids.contains(cid)
            && let Some(m) = r
                .messages
                .iter()
                .find(|m| m["client_msg_id"].as_str() == Some(cid))
        {
            return m.clone();
        }
        let id = self.next_message.fetch_add(1, Ordering::Relaxed) + 1;
        let message = json!({"id": id, "room_id": room, "consultation_id": r.consultation,
            "sender": "customer", "body": body, "client_msg_id": client_msg_id,
            "created_at": now_ms()});
        if let Some(cid) = client_msg_id {
            r.client_ids.insert(cid.to_owned());
        }
        r.messages.push(message.clone());
        let owner = r.owner.clone();
        let frame: Frame = json!({"type": "message", "site_id": 1, "message": &message})
            .to_string()
            .into();
        match owner {
            // A consultation nobody holds yet is in every console's queue.
            None => {
                for tx in g.consoles.values() {
                    let _ = tx.send(frame.clone());
                }
            }
            Some(owner) => {
                if owner != "supervisor"
                    && let Some(tx) = g.consoles.get(&owner)
                {
                    let _ = tx.send(frame.clone());
                }
                if let Some(tx) = g.consoles.get("supervisor") {
                    let _ = tx.send(frame);
                }
            }
        }
        message
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn console_name(headers: &HeaderMap) -> String {
    headers
        .get("x-load-console")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("anonymous")
        .to_owned()
}

async fn open_session(State(st): State<St>) -> Json<Value> {
    let (room, consultation) = st.open_room();
    let visitor = format!("relay-visitor-{room}");
    st.lock().visitors.insert(visitor.clone(), room);
    Json(
        json!({"visitor": visitor, "room_id": room, "consultation_id": consultation,
        "customer_key": visitor, "verified": false, "sees_history": true, "warnings": []}),
    )
}

#[derive(Debug, Deserialize)]
struct VisitorQuery {
    visitor: Option<String>,
}

async fn visitor_ws(
    State(st): State<St>,
    Query(q): Query<VisitorQuery>,
    ws: WebSocketUpgrade,
) -> Response {
    let room = q
        .visitor
        .as_deref()
        .and_then(|v| st.lock().visitors.get(v).copied());
    match room {
        Some(room) => ws
            .read_buffer_size(4096)
            .on_upgrade(move |socket| visitor_socket(st, room, socket)),
        None => StatusCode::UNAUTHORIZED.into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct ClientFrame {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    client_msg_id: Option<String>,
}

async fn visitor_socket(st: St, room: u64, mut socket: WebSocket) {
    while let Some(Ok(frame)) = socket.next().await {
        let Message::Text(text) = frame else { continue };
        let reply = match serde_json::from_str::<ClientFrame>(text.as_str()) {
            Ok(f) if f.kind == "message" => {
                let m = st.customer_message(room, &f.body, f.client_msg_id.as_deref());
                json!({"type": "ack", "message": m})
            }
            Ok(_) => json!({"type": "pong"}),
            Err(e) => json!({"type": "error", "error": e.to_string()}),
        };
        if socket
            .send(Message::Text(reply.to_string().into()))
            .await
            .is_err()
        {
            return;
        }
    }
}

async fn console_ws(State(st): State<St>, headers: HeaderMap, ws: WebSocketUpgrade) -> Response {
    let name = console_name(&headers);
    ws.read_buffer_size(4096)
        .on_upgrade(move |socket| console_socket(st, name, socket))
}

async fn console_socket(st: St, name: String, socket: WebSocket) {
    let (mut tx, mut rx) = socket.split();
    let (out, mut events) = mpsc::unbounded_channel::<Frame>();
    st.lock().consoles.insert(name.clone(), out);
    let hello = json!({"type": "hello", "agent": {"login": &name}}).to_string();
    if tx.send(Message::Text(hello.into())).await.is_ok() {
        loop {
            tokio::select! {
                incoming = rx.next() => match incoming {
                    Some(Ok(_)) => {}
                    _ => break,
                },
                frame = events.recv() => {
                    let Some(frame) = frame else { break };
                    if tx.send(Message::Text(frame.as_ref().into())).await.is_err() {
                        break;
                    }
                }
            }
        }
    }
    st.lock().consoles.remove(&name);
}

async fn take(State(st): State<St>, headers: HeaderMap, Path(id): Path<u64>) -> Response {
    let name = console_name(&headers);
    let mut g = st.lock();
    // Consultation ids equal room ids here.
    let Some(room) = g.rooms.get_mut(&id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if room.owner.is_some() {
        return StatusCode::CONFLICT.into_response();
    }
    room.owner = Some(name);
    let c = json!({"id": id, "room_id": id, "state": "in_progress"});
    let frame: Frame = json!({"type": "consultation", "site_id": 1, "consultation": &c})
        .to_string()
        .into();
    for tx in g.consoles.values() {
        let _ = tx.send(frame.clone());
    }
    Json(json!({"consultation": c})).into_response()
}

#[derive(Debug, Deserialize)]
struct AfterQuery {
    after: Option<u64>,
}

async fn room_messages(
    State(st): State<St>,
    Path(id): Path<u64>,
    Query(q): Query<AfterQuery>,
) -> Response {
    let after = q.after.unwrap_or(0);
    let g = st.lock();
    let Some(room) = g.rooms.get(&id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let messages: Vec<&Value> = room
        .messages
        .iter()
        .filter(|m| m["id"].as_u64().is_some_and(|i| i > after))
        .take(1000)
        .collect();
    Json(json!({"messages": messages})).into_response()
}

async fn kakao_skill(State(st): State<St>, Json(req): Json<Value>) -> Response {
    let user = &req["userRequest"]["user"]["id"];
    let Some(user) = user.as_str().map(str::to_owned) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let existing = st.lock().kakao_users.get(&user).copied();
    let room = match existing {
        Some(room) => room,
        None => {
            let (room, _) = st.open_room();
            st.lock().kakao_users.insert(user, room);
            room
        }
    };
    let utterance = req["userRequest"]["utterance"]
        .as_str()
        .unwrap_or("")
        .trim();
    if !utterance.is_empty() {
        st.customer_message(room, utterance, None);
    }
    Json(json!({"version": "2.0", "template": {"outputs": [
        {"simpleText": {"text": "메시지가 상담원에게 전달되었습니다."}}]}}))
    .into_response()
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    if !args.listen.ip().is_loopback() {
        return Err(std::io::Error::other("the relay listens on loopback only"));
    }
    let st: St = Arc::new(Relay::default());
    let app = Router::new()
        .route("/api/v1/webchat/{site}/sessions", post(open_session))
        .route("/api/v1/webchat/{site}/ws", get(visitor_ws))
        .route("/api/v1/console/ws", get(console_ws))
        .route("/api/v1/consultations/{id}/take", post(take))
        .route("/api/v1/rooms/{id}/messages", get(room_messages))
        .route("/kakao/{site}/skill", post(kakao_skill))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(st);
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    println!("listening on http://{}", listener.local_addr()?);
    // As Sangdam does: small frames go out at once, small read buffers.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await
}

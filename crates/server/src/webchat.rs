//! Web chat: the public inflow and message API a chat window uses (no login; a per-browser
//! visitor credential; rate-limited per client address).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header::{REFERER, USER_AGENT};
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use inflow::{Channel, Warning};
use sangdam_core::{
    ChannelUser, ConsultationId, IdentityPolicy, RoomId, SiteId, VisitorKey, customer_key,
    resolve_identity,
};
use serde::{Deserialize, Serialize};
use store::{InflowRequest, MessageRecord, NewMessage, Sender, Target, VisitorRecord};
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

use crate::auth::{random_bytes, token_hash};
use crate::bus::{Event, Published};
use crate::error::ApiError;
use crate::state::{AppState, now_ms};

/// Longest chat URL accepted (browsers cut at about this much anyway).
pub const MAX_URL_CHARS: usize = 8192;
/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;
/// Longest client message id.
const MAX_CLIENT_ID_CHARS: usize = 64;

pub fn parse_site(raw: &str) -> Result<SiteId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound("site"))
}

#[derive(Debug, Deserialize)]
pub struct SessionRequest {
    pub url: String,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub visitor: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SessionResponse {
    pub visitor: String,
    pub room_id: RoomId,
    pub consultation_id: ConsultationId,
    pub customer_key: String,
    pub verified: bool,
    /// Whether this visitor sees earlier consultations' messages (R2.8).
    pub sees_history: bool,
    pub warnings: Vec<Warning>,
}

fn header(headers: &HeaderMap, name: axum::http::HeaderName) -> Option<&str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.get(..500).unwrap_or(v))
}

/// `POST /api/v1/webchat/{site_id}/sessions`: a customer opens a chat URL.
pub async fn open_session(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(site): Path<String>,
    headers: HeaderMap,
    body: Result<Json<SessionRequest>, JsonRejection>,
) -> Result<Json<SessionResponse>, ApiError> {
    st.check_rate(addr.ip())?;
    let Json(req) = body?;
    let site = st.store.site(parse_site(&site)?).await?;
    let channel = match req.channel.as_deref().unwrap_or("webchat_v2") {
        "webchat_v2" => Channel::WebchatV2,
        "webchat_v1" => Channel::WebchatV1,
        other => {
            return Err(ApiError::invalid(
                "invalid_channel",
                format!("web chat sessions are webchat_v1 or webchat_v2, not {other:?}"),
            ));
        }
    };
    if req.url.chars().count() > MAX_URL_CHARS {
        return Err(ApiError::invalid(
            "too_long",
            format!("the chat URL is longer than {MAX_URL_CHARS} characters"),
        ));
    }
    let inflow = inflow::parse(channel, &req.url, &site.settings);
    let identity = resolve_identity(
        &inflow.fields,
        site.secret.as_bytes(),
        IdentityPolicy {
            require_verified_uid: site.require_verified_uid,
        },
    );

    // The browser's credential: reuse it when it is one of this site's, else issue a new one.
    let mut existing: Option<VisitorRecord> = None;
    let mut key: Option<VisitorKey> = None;
    if let Some(given) = req
        .visitor
        .as_deref()
        .and_then(|v| VisitorKey::parse(v).ok())
        && let Some(v) = st.store.visitor(&token_hash(given.as_str())).await?
        && v.site_id == site.id
    {
        existing = Some(v);
        key = Some(given);
    }
    let key = key.unwrap_or_else(|| VisitorKey::from_random(random_bytes::<24>()));

    let ckey = customer_key(
        site.id,
        channel,
        identity.site_uid.as_deref(),
        ChannelUser::Visitor(&key),
    )?;
    let mut warnings = inflow.warnings.clone();
    warnings.extend(identity.warnings.iter().cloned());
    let now = now_ms();
    let result = st
        .store
        .record_inflow(InflowRequest {
            site: site.id,
            channel,
            customer_key: &ckey,
            identity: &identity,
            inflow: &inflow,
            warnings: &warnings,
            raw: &req.url,
            referrer: header(&headers, REFERER),
            user_agent: header(&headers, USER_AGENT),
            now,
        })
        .await?;
    let room = result.room.id;

    // History privacy (R2.8): an ID nobody vouched for must not reveal earlier messages. A room
    // without an ID belongs to this browser alone, so its history is the visitor's own.
    let sees_history =
        sangdam_core::customer_may_see_history(identity.verified) || identity.site_uid.is_none();
    let since = if sees_history {
        0
    } else {
        match &existing {
            Some(v) if v.room_id == room && !v.verified => v.since_message_id,
            _ => st.store.last_message_id(room).await?,
        }
    };
    let key_hash = token_hash(key.as_str());
    match existing {
        Some(v) => {
            st.store
                .update_visitor(v.id, room, sees_history, since, now)
                .await?
        }
        None => {
            st.store
                .create_visitor(site.id, &key_hash, room, sees_history, since, now)
                .await?
        }
    };
    st.bus.publish(Event::Consultation {
        site_id: site.id,
        consultation: result.consultation.clone(),
    });
    Ok(Json(SessionResponse {
        visitor: key.as_str().to_owned(),
        room_id: room,
        consultation_id: result.consultation.id,
        customer_key: ckey.as_str().to_owned(),
        verified: identity.verified,
        sees_history,
        warnings,
    }))
}

#[derive(Debug, Deserialize)]
pub struct VisitorQuery {
    #[serde(default)]
    pub visitor: Option<String>,
    #[serde(default)]
    pub after: Option<i64>,
}

/// The calling browser's visitor record, from the `X-Sangdam-Visitor` header or `?visitor=`.
async fn visitor_of(
    st: &AppState,
    site: SiteId,
    headers: &HeaderMap,
    query: &VisitorQuery,
) -> Result<VisitorRecord, ApiError> {
    let given = headers
        .get("x-sangdam-visitor")
        .and_then(|v| v.to_str().ok())
        .or(query.visitor.as_deref())
        .ok_or(ApiError::Unauthorized)?;
    let key = VisitorKey::parse(given).map_err(|_| ApiError::Unauthorized)?;
    match st.store.visitor(&token_hash(key.as_str())).await? {
        Some(v) if v.site_id == site => Ok(v),
        _ => Err(ApiError::Unauthorized),
    }
}

#[derive(Debug, Serialize)]
pub struct MessagesResponse {
    pub messages: Vec<MessageRecord>,
}

/// `GET /api/v1/webchat/{site_id}/messages?after=N`.
pub async fn list_messages(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(site): Path<String>,
    Query(q): Query<VisitorQuery>,
    headers: HeaderMap,
) -> Result<Json<MessagesResponse>, ApiError> {
    st.check_rate(addr.ip())?;
    let v = visitor_of(&st, parse_site(&site)?, &headers, &q).await?;
    let after = q.after.unwrap_or(0).max(v.since_message_id);
    let messages = st.store.room_messages(v.room_id, after, 500).await?;
    Ok(Json(MessagesResponse { messages }))
}

#[derive(Debug, Deserialize)]
pub struct SendRequest {
    pub body: String,
    #[serde(default)]
    pub client_msg_id: Option<String>,
}

pub fn check_body(body: &str) -> Result<&str, ApiError> {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return Err(ApiError::invalid("empty_message", "the message is empty"));
    }
    if trimmed.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ApiError::invalid(
            "too_long",
            format!("a message has at most {MAX_MESSAGE_CHARS} characters"),
        ));
    }
    Ok(trimmed)
}

fn check_client_id(id: Option<&str>) -> Result<Option<&str>, ApiError> {
    match id {
        Some(id) if id.is_empty() || id.chars().count() > MAX_CLIENT_ID_CHARS => {
            Err(ApiError::invalid(
                "invalid_client_msg_id",
                "client_msg_id has 1 to 64 characters",
            ))
        }
        other => Ok(other),
    }
}

/// Stores a customer's message; `true` when this call stored it (not a retry's answer). It goes
/// live from the message writer.
async fn customer_send(
    st: &AppState,
    v: &VisitorRecord,
    req: &SendRequest,
) -> Result<(MessageRecord, bool), ApiError> {
    let body = check_body(&req.body)?;
    let client_id = check_client_id(req.client_msg_id.as_deref())?;
    Ok(st
        .store
        .add_message(NewMessage {
            site: v.site_id,
            room: v.room_id,
            // Whichever is open when it is written; a closed consultation refuses it.
            target: Target::OpenOfRoom,
            sender: Sender::Customer,
            agent: None,
            body,
            client_msg_id: client_id,
            now: now_ms(),
        })
        .await?)
}

/// `POST /api/v1/webchat/{site_id}/messages`: the customer writes. Acknowledged only once
/// stored; a retry with the same `client_msg_id` is not stored twice.
pub async fn send_message(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(site): Path<String>,
    Query(q): Query<VisitorQuery>,
    headers: HeaderMap,
    body: Result<Json<SendRequest>, JsonRejection>,
) -> Result<Json<MessageRecord>, ApiError> {
    st.check_rate(addr.ip())?;
    let Json(req) = body?;
    let v = visitor_of(&st, parse_site(&site)?, &headers, &q).await?;
    Ok(Json(customer_send(&st, &v, &req).await?.0))
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientFrame {
    Message {
        body: String,
        #[serde(default)]
        client_msg_id: Option<String>,
    },
    Ping,
}

/// `GET /api/v1/webchat/{site_id}/ws?visitor=…&after=N`: the room's messages after `after`,
/// then every new one, live. The customer may also send `{"type":"message","body":…}`, answered
/// with an `ack` carrying the stored message (which is then not sent to this socket again).
pub async fn websocket(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(site): Path<String>,
    Query(q): Query<VisitorQuery>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    st.check_rate(addr.ip())?;
    let v = visitor_of(&st, parse_site(&site)?, &headers, &q).await?;
    let after = q.after.unwrap_or(0).max(v.since_message_id);
    Ok(ws
        .read_buffer_size(crate::WS_READ_BUFFER)
        .on_upgrade(move |socket| visitor_socket(st, v, after, socket)))
}

/// A message as the chat window receives it: `{"type":"message"|"ack","message":…}`.
#[derive(Serialize)]
struct MessageFrame<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    message: &'a MessageRecord,
}

impl MessageFrame<'_> {
    fn text(kind: &'static str, message: &MessageRecord) -> WsMessage {
        let json = serde_json::to_string(&MessageFrame { kind, message }).unwrap_or_default();
        WsMessage::Text(json.into())
    }
}

/// Messages a chat window sent itself that the bus has not brought back yet; bounded, since
/// some never come back (a socket that fell behind catches up from the store instead).
const OWN_PENDING: usize = 64;

async fn visitor_socket(st: AppState, v: VisitorRecord, mut last: i64, socket: WebSocket) {
    let (mut tx, mut rx) = socket.split();
    // Subscribe before reading the backlog, so nothing stored in between is missed; ids
    // already sent are skipped (the bus brings a room's messages in the order of their ids).
    let mut events = st.bus.subscribe_room(v.room_id);
    let send_backlog = |last: i64| {
        let st = st.clone();
        async move { st.store.room_messages(v.room_id, last, 1000).await }
    };
    let Ok(backlog) = send_backlog(last).await else {
        return;
    };
    for m in backlog {
        last = m.id.get();
        if tx.send(MessageFrame::text("message", &m)).await.is_err() {
            return;
        }
    }
    // The ack answers the window's own messages: the bus's copy of them is not sent again.
    let mut own: VecDeque<i64> = VecDeque::with_capacity(OWN_PENDING);
    loop {
        tokio::select! {
            incoming = rx.next() => {
                let Some(Ok(frame)) = incoming else { return };
                let WsMessage::Text(text) = frame else { continue };
                let reply = match serde_json::from_str::<ClientFrame>(text.as_str()) {
                    Ok(ClientFrame::Message { body, client_msg_id }) => {
                        match customer_send(&st, &v, &SendRequest { body, client_msg_id }).await {
                            Ok((m, new)) => {
                                if new {
                                    if own.len() == OWN_PENDING {
                                        own.pop_front();
                                    }
                                    own.push_back(m.id.get());
                                }
                                MessageFrame::text("ack", &m)
                            }
                            Err(e) => json_frame(&serde_json::json!({"type": "error", "error": e.to_string()})),
                        }
                    }
                    Ok(ClientFrame::Ping) => json_frame(&serde_json::json!({"type": "pong"})),
                    Err(e) => json_frame(&serde_json::json!({"type": "error", "error": format!("unreadable frame: {e}")})),
                };
                if tx.send(reply).await.is_err() {
                    return;
                }
            }
            event = events.recv() => {
                // Everything already waiting is written in one go, flushed once.
                let mut next = Some(event);
                let mut queued = 0usize;
                while let Some(event) = next.take() {
                    let published: Arc<Published> = match event {
                        Ok(e) => e,
                        Err(RecvError::Lagged(_)) => {
                            // Fell behind the bus: catch up from the store.
                            let Ok(missed) = send_backlog(last).await else { return };
                            for m in missed {
                                last = m.id.get();
                                if tx.feed(MessageFrame::text("message", &m)).await.is_err() {
                                    return;
                                }
                                queued += 1;
                            }
                            next = ready(&mut events);
                            continue;
                        }
                        Err(RecvError::Closed) => return,
                    };
                    let frame = match &published.event {
                        Event::Message { message, .. } if message.room_id == v.room_id => {
                            let id = message.id.get();
                            if id <= last {
                                None
                            } else {
                                last = id;
                                match own.iter().position(|o| *o == id) {
                                    Some(at) => {
                                        own.remove(at);
                                        None
                                    }
                                    // The console's form of a message event serves the chat
                                    // window too: serialised once for every socket.
                                    None => Some(published.frame()),
                                }
                            }
                        }
                        Event::Consultation { consultation, .. } if consultation.room_id == v.room_id => {
                            Some(json_frame(&serde_json::json!({
                                "type": "consultation",
                                "consultation_id": consultation.id,
                                "state": consultation.state,
                            })))
                        }
                        _ => None,
                    };
                    if let Some(frame) = frame {
                        if tx.feed(frame).await.is_err() {
                            return;
                        }
                        queued += 1;
                    }
                    if queued >= 64 {
                        break;
                    }
                    next = ready(&mut events);
                }
                if queued > 0 && tx.flush().await.is_err() {
                    return;
                }
            }
        }
    }
}

/// The next event already waiting, without waiting for one.
fn ready(
    events: &mut broadcast::Receiver<Arc<Published>>,
) -> Option<Result<Arc<Published>, RecvError>> {
    match events.try_recv() {
        Ok(e) => Some(Ok(e)),
        Err(broadcast::error::TryRecvError::Lagged(n)) => Some(Err(RecvError::Lagged(n))),
        Err(broadcast::error::TryRecvError::Closed) => Some(Err(RecvError::Closed)),
        Err(broadcast::error::TryRecvError::Empty) => None,
    }
}

fn json_frame(value: &serde_json::Value) -> WsMessage {
    WsMessage::Text(value.to_string().into())
}

pub async fn send_json<S>(tx: &mut S, value: &serde_json::Value) -> Result<(), axum::Error>
where
    S: futures_util::Sink<WsMessage, Error = axum::Error> + Unpin,
{
    tx.send(json_frame(value)).await
}

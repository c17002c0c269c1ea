//! Web chat: the public inflow and message API a chat window uses (no login; a per-browser
//! visitor credential; rate-limited per client address).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;

use app::Services;
use app::webchat::{ChatSession, OpenChat};
use axum::Json;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::HeaderMap;
use axum::http::header::{REFERER, USER_AGENT};
use axum::response::Response;
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use inflow::Channel;
use sangdam_core::SiteId;
use serde::{Deserialize, Serialize};
use store::{ConsultationRecord, MessageRecord, VisitorRecord};
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::{Body, IdPath, SitePath};
use crate::api::schema;
use crate::bus::{Event, Published, Side};
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::state::AppState;

pub use app::webchat::{MAX_CLIENT_ID_CHARS, MAX_MESSAGE_CHARS, MAX_URL_CHARS};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_session))
        .routes(routes!(list_messages, send_message))
        .routes(routes!(rate))
        .routes(routes!(window_read))
        .routes(routes!(websocket))
}

/// A site id from a path (the chat page's too): anything else is a site that does not exist.
pub fn parse_site(raw: &str) -> Result<SiteId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound("site"))
}

/// The two web chat generations a session may open.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum WebchatChannel {
    WebchatV1,
    WebchatV2,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SessionRequest {
    /// The chat URL the window was opened with (at most 8192 characters).
    #[schema(max_length = 8192)]
    pub url: String,
    /// `webchat_v2` when absent.
    #[serde(default)]
    #[schema(value_type = Option<WebchatChannel>)]
    pub channel: Option<String>,
    /// The browser's visitor key from an earlier session, to keep its room; an unknown one is
    /// replaced.
    #[serde(default)]
    pub visitor: Option<String>,
    /// Open the consultation now (a "start a consultation" button) instead of with the
    /// customer's first message. Opening the chat window does not: a page load adds nothing to
    /// the agents' queue.
    #[serde(default)]
    pub start: bool,
}

fn header(headers: &HeaderMap, name: axum::http::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A customer opens a chat URL: the inflow is recorded and the browser gets its visitor key. A
/// consultation going on that the browser may take part in is joined; otherwise the customer's
/// first message (or `start`) opens one.
#[utoipa::path(
    post,
    path = "/webchat/{site_id}/sessions",
    tag = "webchat",
    params(SitePath),
    request_body = SessionRequest,
    responses(
        (status = 200, description = "The session: the visitor key to keep, the room and consultation, and every warning about the URL's parameters.", body = ChatSession),
        (status = 400, description = "The body is not a session request.", body = ErrorBody),
        (status = 404, description = "No such site.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_channel`, `too_long` (the URL), or an unusable ID (`invalid_field`, `invalid_key`).", body = ErrorBody),
        (status = 429, description = "Too many requests from this address.", body = ErrorBody),
    )
)]
pub async fn open_session(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    IdPath(site): SitePath,
    headers: HeaderMap,
    body: Result<Body<SessionRequest>, ApiError>,
) -> Result<Json<ChatSession>, ApiError> {
    st.check_session_rate(addr.ip())?;
    let Body(req) = body?;
    let channel = match req.channel.as_deref().unwrap_or("webchat_v2") {
        "webchat_v2" => Channel::WebchatV2,
        "webchat_v1" => Channel::WebchatV1,
        other => {
            return Err(ApiError::invalid(
                ErrorCode::InvalidChannel,
                format!("web chat sessions are webchat_v1 or webchat_v2, not {other:?}"),
            ));
        }
    };
    let session = st
        .app
        .open_chat(OpenChat {
            site,
            channel,
            url: &req.url,
            visitor: req.visitor.as_deref(),
            referrer: header(&headers, REFERER),
            user_agent: header(&headers, USER_AGENT),
            start: req.start,
        })
        .await?;
    Ok(Json(session))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitorQuery {
    /// The visitor key, when the `X-Sangdam-Visitor` header cannot be sent.
    #[serde(default)]
    pub visitor: Option<String>,
    /// Only messages after this number of the room's sequence (a message's `seq`).
    #[serde(default)]
    pub after: Option<i64>,
}

/// The visitor key as a header.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct VisitorHeader {
    /// The visitor key of the session (or `?visitor=`).
    #[param(rename = "X-Sangdam-Visitor")]
    pub visitor: Option<String>,
}

/// The calling browser's visitor record, from the `X-Sangdam-Visitor` header or `?visitor=`.
pub(crate) async fn visitor_of(
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
    Ok(st.app.visitor(site, given).await?)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessagesResponse {
    #[schema(value_type = Vec<schema::Message>)]
    pub messages: Vec<MessageRecord>,
}

/// The visitor's messages (at most 500), oldest first; for an unverified ID only those since
/// the window opened.
#[utoipa::path(
    get,
    path = "/webchat/{site_id}/messages",
    tag = "webchat",
    params(SitePath, VisitorQuery, VisitorHeader),
    responses(
        (status = 200, description = "The messages.", body = MessagesResponse),
        (status = 400, description = "`after` is not a number.", body = ErrorBody),
        (status = 401, description = "No visitor key of this site.", body = ErrorBody),
        (status = 404, description = "No such site.", body = ErrorBody),
        (status = 429, description = "Too many requests from this address.", body = ErrorBody),
    )
)]
pub async fn list_messages(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    IdPath(site): SitePath,
    Query(q): Query<VisitorQuery>,
    headers: HeaderMap,
) -> Result<Json<MessagesResponse>, ApiError> {
    st.check_rate(addr.ip())?;
    let v = visitor_of(&st, site, &headers, &q).await?;
    let messages = st
        .app
        .visitor_messages(&v, q.after.unwrap_or(0), 500)
        .await?;
    Ok(Json(MessagesResponse { messages }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SendRequest {
    /// 1 to 4000 characters once trimmed.
    #[schema(schema_with = message_body_schema)]
    pub body: String,
    /// The window's own id of the message (1 to 64 characters): a retry with the same one is
    /// stored once.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 64)]
    pub client_msg_id: Option<String>,
    /// A tap on a chatbot's button: the body is the button's label, and this what it asks of
    /// the bot (heard only while the consultation is with the bot).
    #[serde(default)]
    pub bot: Option<BotTap>,
}

/// What a chatbot button asks: the block it leads to, or an agent (the operator button).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BotTap {
    #[serde(default)]
    #[schema(min_length = 1, max_length = 64)]
    pub block_id: Option<String>,
    #[serde(default)]
    pub operator: bool,
}

impl BotTap {
    fn input(&self) -> Option<app::bot::BotInput<'_>> {
        if self.operator {
            Some(app::bot::BotInput::Operator)
        } else {
            self.block_id.as_deref().map(app::bot::BotInput::Block)
        }
    }
}

/// A message body: not blank, at most [`MAX_MESSAGE_CHARS`] characters once trimmed.
pub fn message_body_schema() -> utoipa::openapi::Object {
    crate::api::patterns::string(
        crate::api::patterns::trimmed_not_blank(MAX_MESSAGE_CHARS),
        false,
    )
}

/// Stores a customer's message; `true` when this call stored it (not a retry's answer). It goes
/// live from the message writer.
async fn customer_send(
    st: &AppState,
    v: &mut VisitorRecord,
    req: &SendRequest,
) -> Result<(MessageRecord, bool), ApiError> {
    if let Some(tap) = &req.bot
        && let Some(id) = &tap.block_id
        && (id.is_empty() || id.chars().count() > 64)
    {
        return Err(app::AppError::Fields(vec![(
            "bot.block_id".into(),
            "is 1 to 64 characters".into(),
        )])
        .into());
    }
    match req.bot.as_ref().and_then(BotTap::input) {
        Some(input) => Ok(st
            .app
            .customer_taps(v, &req.body, req.client_msg_id.as_deref(), input)
            .await?),
        None => Ok(st
            .app
            .customer_send(v, &req.body, req.client_msg_id.as_deref())
            .await?),
    }
}

/// The customer writes. Acknowledged only once stored; a retry with the same `client_msg_id`
/// is not stored twice.
#[utoipa::path(
    post,
    path = "/webchat/{site_id}/messages",
    tag = "webchat",
    params(SitePath, VisitorQuery, VisitorHeader),
    request_body = SendRequest,
    responses(
        (status = 200, description = "The stored message.", body = schema::Message),
        (status = 400, description = "The body is not a message.", body = ErrorBody),
        (status = 401, description = "No visitor key of this site.", body = ErrorBody),
        (status = 404, description = "No such site.", body = ErrorBody),
        (status = 409, description = "The room has no open consultation.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`empty_message`, `too_long`, `invalid_client_msg_id`, or `invalid_field` (`bot.block_id` empty or over 64 characters).", body = ErrorBody),
        (status = 429, description = "Too many requests from this address.", body = ErrorBody),
    )
)]
pub async fn send_message(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    IdPath(site): SitePath,
    Query(q): Query<VisitorQuery>,
    headers: HeaderMap,
    body: Result<Body<SendRequest>, ApiError>,
) -> Result<Json<MessageRecord>, ApiError> {
    st.check_rate(addr.ip())?;
    let Body(req) = body?;
    let mut v = visitor_of(&st, site, &headers, &q).await?;
    Ok(Json(customer_send(&st, &mut v, &req).await?.0))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RateRequest {
    /// The consultation rated: one the window took part in, ended with an agent.
    #[schema(value_type = i64, minimum = 1)]
    #[serde(deserialize_with = "crate::api::extract::record_id")]
    pub consultation_id: i64,
    /// 1 (worst) to 5 (best).
    #[schema(minimum = 1, maximum = 5)]
    #[serde(deserialize_with = "crate::api::extract::whole")]
    pub score: i64,
    /// At most 500 characters once trimmed; empty is none.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub comment: Option<String>,
}

/// The customer rates a consultation of theirs after its end (once, within a week of it).
#[utoipa::path(
    post,
    path = "/webchat/{site_id}/rating",
    tag = "webchat",
    params(SitePath, VisitorQuery, VisitorHeader),
    request_body = RateRequest,
    responses(
        (status = 200, description = "The consultation with its rating.", body = schema::Consultation),
        (status = 400, description = "The body is not a rating.", body = ErrorBody),
        (status = 401, description = "No visitor key of this site.", body = ErrorBody),
        (status = 404, description = "No such site, or no such consultation of this window.", body = ErrorBody),
        (status = 409, description = "`not_rateable` (not ended, or no agent had it), `already_rated` or `rating_too_late`.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "A score outside 1 to 5, or a comment too long.", body = ErrorBody),
        (status = 429, description = "Too many requests from this address.", body = ErrorBody),
    )
)]
pub async fn rate(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    IdPath(site): SitePath,
    Query(q): Query<VisitorQuery>,
    headers: HeaderMap,
    body: Result<Body<RateRequest>, ApiError>,
) -> Result<Json<ConsultationRecord>, ApiError> {
    st.check_rate(addr.ip())?;
    let Body(req) = body?;
    let v = visitor_of(&st, site, &headers, &q).await?;
    let id = sangdam_core::ConsultationId::new(req.consultation_id);
    Ok(Json(
        st.app
            .customer_rate(&v, id, req.score, req.comment.as_deref())
            .await?,
    ))
}

/// The window has shown every message up to this one.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WindowReadRequest {
    /// A message the window sees.
    #[schema(value_type = i64, minimum = 1)]
    #[serde(deserialize_with = "crate::api::extract::record_id")]
    pub message_id: i64,
}

/// The customer's window has shown every message up to `message_id`: the agents' console
/// marks their messages as read. A mark never moves back.
#[utoipa::path(
    post,
    path = "/webchat/{site_id}/read",
    tag = "webchat",
    params(SitePath, VisitorQuery, VisitorHeader),
    request_body = WindowReadRequest,
    responses(
        (status = 204, description = "Marked (or already marked further)."),
        (status = 400, description = "The body is not a read mark (`message_id` must be a positive whole number).", body = ErrorBody),
        (status = 401, description = "No visitor key of this site.", body = ErrorBody),
        (status = 404, description = "No such site, or no message this window sees.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 429, description = "Too many requests from this address.", body = ErrorBody),
    )
)]
pub async fn window_read(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    IdPath(site): SitePath,
    Query(q): Query<VisitorQuery>,
    headers: HeaderMap,
    body: Result<Body<WindowReadRequest>, ApiError>,
) -> Result<axum::http::StatusCode, ApiError> {
    st.check_rate(addr.ip())?;
    let Body(req) = body?;
    let v = visitor_of(&st, site, &headers, &q).await?;
    st.app.customer_read(&v, req.message_id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientFrame {
    Message {
        body: String,
        #[serde(default)]
        client_msg_id: Option<String>,
        #[serde(default)]
        bot: Option<BotTap>,
    },
    /// The customer started (`true`) or stopped typing.
    Typing {
        typing: bool,
    },
    Ping,
}

/// The chat window's WebSocket: the room's messages after `after`, then every new one, live,
/// as `{"type": "message", "message": …}` frames, and `{"type": "consultation",
/// "consultation_id", "state", "agent_id", "agent_name", "agent_read_to"}` on connecting (for
/// the consultation the window sees, if any) and when it changes. The window may send
/// `{"type": "message", "body", "client_msg_id"?, "bot"?}`, answered with `{"type": "ack", "message"}`
/// (that message is then not sent to this socket again), or `{"type": "ping"}` (`pong`); a
/// refused frame is answered `{"type": "error", "error"}`.
#[utoipa::path(
    get,
    path = "/webchat/{site_id}/ws",
    tag = "webchat",
    params(SitePath, VisitorQuery, VisitorHeader, crate::api::console::UpgradeHeaders),
    responses(
        (status = 101, description = "Switched to the WebSocket protocol."),
        (status = 400, description = "Not a WebSocket upgrade request, or `after` is not a number.", body = ErrorBody),
        (status = 401, description = "No visitor key of this site.", body = ErrorBody),
        (status = 404, description = "No such site.", body = ErrorBody),
        (status = 429, description = "Too many requests from this address.", body = ErrorBody),
    )
)]
pub async fn websocket(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    IdPath(site): SitePath,
    Query(q): Query<VisitorQuery>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    st.check_rate(addr.ip())?;
    let v = visitor_of(&st, site, &headers, &q).await?;
    let after = q.after.unwrap_or(0).max(v.since_seq);
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

/// Feeds the window (unflushed) what the store holds of its room after number `last` that it
/// may see, leaving out its own acknowledged messages, and moves `last` on. Answers how many
/// frames went; `Err` when the store or the socket failed (the socket is then given up).
async fn from_store(
    st: &AppState,
    v: &VisitorRecord,
    last: &mut i64,
    own: &VecDeque<i64>,
    tx: &mut SplitSink<WebSocket, WsMessage>,
) -> Result<usize, ()> {
    let messages = st
        .app
        .visitor_messages(v, *last, 1000)
        .await
        .map_err(|_| ())?;
    let mut fed = 0;
    for m in messages {
        *last = (*last).max(m.seq);
        if own.contains(&m.id.get()) {
            continue;
        }
        tx.feed(MessageFrame::text("message", &m))
            .await
            .map_err(|_| ())?;
        fed += 1;
    }
    Ok(fed)
}

/// Messages a chat window sent itself that the bus has not brought back yet; bounded, since
/// some never come back (a socket that fell behind catches up from the store instead).
const OWN_PENDING: usize = 64;

async fn visitor_socket(st: AppState, mut v: VisitorRecord, mut last: i64, socket: WebSocket) {
    let _open = crate::metrics::OpenSocket::new("chat");
    let (mut tx, mut rx) = socket.split();
    // Subscribe before reading the backlog, so nothing stored in between is missed. `last` is
    // the number of the room's sequence sent up to: a message at or below it was sent
    // already; one further on than the next means some did not come (another instance's,
    // still on its way, or lost), and the window gets them from the store first.
    // What the window sees is `Services::visitor_sees`: a window of an unverified ID only its
    // own consultation, which its first message may open (then `v` changes).
    let mut events = st.bus.subscribe_room(v.room_id);
    // The ack answers the window's own messages: the bus's copy of them is not sent again.
    let mut own: VecDeque<i64> = VecDeque::with_capacity(OWN_PENDING);
    if from_store(&st, &v, &mut last, &own, &mut tx).await.is_err() || tx.flush().await.is_err() {
        return;
    }
    // The consultation the window sees as it stands now: its state, its agent, how far the
    // agent has read.
    let seen = match v.consultation_id {
        Some(c) => st.app.store.consultation(c).await.ok(),
        None if v.verified => st
            .app
            .store
            .open_consultation(v.room_id)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    if let Some(c) = seen
        && tx
            .send(json_frame(&consultation_frame(&st, &c).await))
            .await
            .is_err()
    {
        return;
    }
    // Where the window's consultation stands in the queue, if it waits; later moves come with
    // the queue's events.
    // The window is told its place only when it changes (the queue moving elsewhere, a
    // position it already knows, is not repeated).
    let mut told: Option<(u32, Option<i64>)> = None;
    if let Ok(places) = st.app.queue(v.site_id).await
        && let Some(p) = places
            .iter()
            .find(|p| p.room_id == v.room_id && sees_consultation(&v, p.consultation_id))
    {
        told = Some(place_shown(p));
        if tx.send(json_frame(&queue_frame(p))).await.is_err() {
            return;
        }
    }
    let mut typist = TypingThrottle::default();
    loop {
        tokio::select! {
            incoming = rx.next() => {
                let Some(Ok(frame)) = incoming else { return };
                let WsMessage::Text(text) = frame else { continue };
                let reply = match serde_json::from_str::<ClientFrame>(text.as_str()) {
                    Ok(ClientFrame::Typing { typing }) => {
                        if typist.due(typing)
                            && let Err(e) = st.app.customer_typing(&v, typing).await
                        {
                            tracing::debug!(error = %e, "a typing signal was not passed on");
                        }
                        continue;
                    }
                    Ok(ClientFrame::Message { body, client_msg_id, bot }) => {
                        match customer_send(&st, &mut v, &SendRequest { body, client_msg_id, bot }).await {
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
                            let Ok(fed) = from_store(&st, &v, &mut last, &own, &mut tx).await else {
                                return;
                            };
                            queued += fed;
                            next = ready(&mut events);
                            continue;
                        }
                        Err(RecvError::Closed) => return,
                    };
                    // A window of an unverified ID whose consultation was opened elsewhere
                    // (its message sent over HTTP): its record is read again.
                    let of = match &published.event {
                        Event::Message { message, .. } => {
                            Some((message.room_id, message.consultation_id))
                        }
                        Event::Consultation { consultation, .. } => {
                            Some((consultation.room_id, consultation.id))
                        }
                        _ => None,
                    };
                    if let Some(of) = of
                        && !v.verified
                        && of.0 == v.room_id
                        && v.consultation_id != Some(of.1)
                        && let Ok(Some(fresh)) = st.app.store.visitor_by_id(v.id).await
                    {
                        v = fresh;
                    }
                    let frame = match &published.event {
                        Event::Message { message, .. }
                            if message.room_id == v.room_id && message.seq > last + 1 =>
                        {
                            // A gap: what the window has not had yet comes from the store, in
                            // order (this one among them; it was committed before it was
                            // published).
                            let Ok(fed) = from_store(&st, &v, &mut last, &own, &mut tx).await else {
                                return;
                            };
                            last = last.max(message.seq);
                            queued += fed;
                            None
                        }
                        Event::Message { message, .. } if message.room_id == v.room_id => {
                            let id = message.id.get();
                            if message.seq <= last {
                                None
                            } else if !Services::visitor_sees(&v, message) {
                                last = message.seq;
                                None
                            } else {
                                last = message.seq;
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
                        Event::Consultation { consultation, .. }
                            if consultation.room_id == v.room_id
                                && (v.verified || v.consultation_id == Some(consultation.id)) =>
                        {
                            // Out of the queue (or back in it): its next place is news.
                            told = None;
                            Some(json_frame(&consultation_frame(&st, consultation).await))
                        }
                        // The desk's typing and read marks, on the window's consultation.
                        Event::Typing { consultation_id, side: Side::Agent, .. }
                        | Event::Read { consultation_id, side: Side::Agent, .. }
                            if sees_consultation(&v, *consultation_id) =>
                        {
                            Some(published.frame())
                        }
                        Event::Queue { places, .. } => places
                            .iter()
                            .find(|p| p.room_id == v.room_id && sees_consultation(&v, p.consultation_id))
                            .filter(|p| told != Some(place_shown(p)))
                            .map(|p| {
                                told = Some(place_shown(p));
                                json_frame(&queue_frame(p))
                            }),
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

/// What a chat window is told of its consultation: its state, the agent who has it (their
/// display name, as the customer sees it on their messages) and how far they have read.
async fn consultation_frame(st: &AppState, c: &ConsultationRecord) -> serde_json::Value {
    let agent_name = match c.agent_id {
        Some(a) => st.app.store.agent(a).await.ok().map(|a| a.display_name),
        None => None,
    };
    serde_json::json!({
        "type": "consultation",
        "consultation_id": c.id,
        "state": c.state,
        "agent_id": c.agent_id,
        "agent_name": agent_name,
        "agent_read_to": c.agent_read_to,
    })
}

/// How often a socket passes on "still typing": a change always goes at once; a repeated
/// "typing" at most this often.
const TYPING_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// One typist's last signal passed on, so a chatty client does not flood the bus.
#[derive(Debug, Default)]
pub struct TypingThrottle {
    last: Option<(bool, std::time::Instant)>,
}

impl TypingThrottle {
    /// Whether `typing` should be passed on now (and notes it when so).
    pub fn due(&mut self, typing: bool) -> bool {
        let now = std::time::Instant::now();
        let due = match self.last {
            Some((was, at)) => was != typing || (typing && now.duration_since(at) >= TYPING_EVERY),
            None => true,
        };
        if due {
            self.last = Some((typing, now));
        }
        due
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

/// Whether the window of `v` follows consultation `id` of its room (a window of an unverified
/// ID only its own).
fn sees_consultation(v: &VisitorRecord, id: sangdam_core::ConsultationId) -> bool {
    v.verified || v.consultation_id == Some(id)
}

/// The window's place in the queue: `{"type": "queue", "consultation_id", "position",
/// "estimated_wait_ms"}` (the estimate `null` when there is too little to go on).
/// What a window shows of its place: the position and the estimate in whole minutes.
fn place_shown(p: &app::distribution::QueuePlace) -> (u32, Option<i64>) {
    (p.position, p.estimated_wait_ms.map(|ms| ms / 60_000))
}

fn queue_frame(p: &app::distribution::QueuePlace) -> serde_json::Value {
    serde_json::json!({
        "type": "queue",
        "consultation_id": p.consultation_id,
        "position": p.position,
        "estimated_wait_ms": p.estimated_wait_ms,
    })
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

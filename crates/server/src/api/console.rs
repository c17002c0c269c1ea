//! The agent console's realtime feed: `GET /api/v1/console/ws`.

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use sangdam_core::{ConsultationId, RoomId, SessionId};
use serde::Deserialize;
use serde_json::json;
use store::AgentRecord;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::rooms::readable_room;
use crate::api::webchat::{TypingThrottle, send_json};
use crate::auth::Caller;
use crate::bus::{ConsoleFeed, Event, Following};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// How long after connecting a console first records its agent as present (a console that
/// only looks in and leaves changes nothing).
const CONSOLE_FIRST_SEEN: std::time::Duration = std::time::Duration::from_secs(1);
/// How often a connected console records its agent as present.
const CONSOLE_SEEN_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(console_ws))
}

/// The headers of a WebSocket opening handshake (RFC 6455), which a WebSocket client sends.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct UpgradeHeaders {
    #[param(rename = "Connection", pattern = "^[Uu]pgrade$")]
    pub connection: String,
    #[param(rename = "Upgrade", pattern = "^websocket$")]
    pub upgrade: String,
    #[param(rename = "Sec-WebSocket-Version", pattern = "^13$")]
    pub version: String,
    /// 16 random bytes in base64.
    #[param(rename = "Sec-WebSocket-Key", pattern = "^[A-Za-z0-9+/]{22}==$")]
    pub key: String,
}

/// The console's WebSocket: the live events of the agent's site. Managers and admins receive
/// every consultation and message event; agents those of the queue and of the consultations
/// they hold (R3.6), plus the messages of one room they have open and may read (send
/// `{"type": "watch", "room_id": N}`, answered `{"type": "watching", "room_id"}` or, for a room
/// they may not read, `{"type": "error"}`; `null` stops). When an agent's open room passes to
/// someone else and they may no longer read it, they are told `{"type": "watching", "room_id":
/// null, "left": N}` and its messages stop. The first frame is `{"type": "hello", "agent"}`;
/// after a gap the console is told `{"type": "resync", "missed"}` and reloads. Every console
/// also receives `{"type": "queue", "site_id", "places"}` (the queue as it now stands, oldest
/// first, with positions and estimated waits) when it moves; `{"type": "agent", "agent"}` (an
/// account's presence and load) reaches managers, the admin and that account; `{"type":
/// "transfer", "transfer"}` (a transfer request made, answered or lapsed) managers, the admin
/// and its two agents. While connected, the console keeps its agent counted as present.
#[utoipa::path(
    get,
    path = "/console/ws",
    tag = "consultations",
    security(("session" = []), ("bearer" = [])),
    params(UpgradeHeaders),
    responses(
        (status = 101, description = "Switched to the WebSocket protocol."),
        (status = 400, description = "Not a WebSocket upgrade request.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
    )
)]
pub async fn console_ws(
    State(st): State<AppState>,
    caller: Caller,
    ws: WebSocketUpgrade,
) -> Response {
    ws.read_buffer_size(crate::WS_READ_BUFFER)
        .on_upgrade(move |socket| console_socket(st, caller.agent, caller.session, socket))
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ConsoleFrame {
    Watch {
        room_id: Option<RoomId>,
    },
    /// The agent started (`true`) or stopped typing in a consultation they handle.
    Typing {
        consultation_id: ConsultationId,
        typing: bool,
    },
    Ping,
}

/// Reads what a console follows from the store and gives it to the feed (one that follows
/// everything has nothing to read).
async fn follow(
    st: &AppState,
    agent: &AgentRecord,
    ours: Option<&[sangdam_core::AgentId]>,
    feed: &ConsoleFeed,
) -> Result<(), ApiError> {
    if let Some(ours) = ours {
        let list = st
            .app
            .store
            .followed_consultations(agent.site_id, ours)
            .await?;
        feed.follow(list.into_iter().map(|c| c.id));
    }
    Ok(())
}

/// The close code of a console whose login session was ended (logged out elsewhere, or ended
/// from the sessions page): the console goes to the login page rather than reconnecting.
pub const SESSION_ENDED_CLOSE: u16 = 4401;

/// The close code of a console whose account's role changed: the console reloads, to see
/// what the new role sees.
pub const ACCOUNT_CHANGED_CLOSE: u16 = 4409;

/// What an event means to the console of session `mine` (the bus gives it only its own
/// account's session and account events).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// Another session's end: not the console's business.
    NotMine,
    /// Its session ended, or its account was deactivated: to the login page.
    SessionEnded,
    /// Its account's role changed: reload.
    AccountChanged,
}

/// Whether `event` ends the console (`None`: an ordinary event, passed on).
fn ending(event: &Event, mine: Option<SessionId>) -> Option<Ending> {
    match event {
        Event::SessionEnded { session_id, .. } if mine == Some(*session_id) => {
            Some(Ending::SessionEnded)
        }
        Event::SessionEnded { .. } => Some(Ending::NotMine),
        Event::AccountChanged { active: false, .. } => Some(Ending::SessionEnded),
        Event::AccountChanged { active: true, .. } => Some(Ending::AccountChanged),
        _ => None,
    }
}

async fn console_socket(
    st: AppState,
    agent: AgentRecord,
    session: Option<SessionId>,
    socket: WebSocket,
) {
    let _open = crate::metrics::OpenSocket::new("console");
    let (mut tx, mut rx) = socket.split();
    // Subscribe before reading what the agent follows: what is published in between is held
    // by the feed and filtered once the list is in.
    let Ok(ours) = st.app.business_of(&agent).await else {
        return;
    };
    let mut feed = st
        .bus
        .subscribe_console(agent.site_id, Following::of(agent.id, ours.clone()));
    if follow(&st, &agent, ours.as_deref(), &feed).await.is_err() {
        return;
    }
    if send_json(&mut tx, &json!({"type": "hello", "agent": agent}))
        .await
        .is_err()
    {
        return;
    }
    // The room the console asked to watch (the feed drops it when it passes to someone else).
    let mut watching: Option<RoomId> = None;
    // The agent's typing, per consultation, passed on at most every few seconds.
    let mut typists: std::collections::HashMap<ConsultationId, TypingThrottle> =
        std::collections::HashMap::new();
    // While a console is connected its agent counts as present (distribution counts an agent
    // whose consoles are all gone as offline after a while).
    let mut seen = tokio::time::interval_at(
        tokio::time::Instant::now() + CONSOLE_FIRST_SEEN,
        CONSOLE_SEEN_EVERY,
    );
    loop {
        tokio::select! {
            _ = seen.tick() => {
                if let Err(e) = st.app.agents_seen(&[agent.id]).await {
                    tracing::warn!(error = %e, "could not record a console as connected");
                }
            }
            incoming = rx.next() => {
                let text = match incoming {
                    Some(Ok(WsMessage::Text(t))) => t,
                    Some(Ok(_)) => continue,
                    _ => return,
                };
                let reply = match serde_json::from_str::<ConsoleFrame>(text.as_str()) {
                    Ok(ConsoleFrame::Watch { room_id: None }) => {
                        feed.watch(None);
                        watching = None;
                        json!({"type": "watching", "room_id": null})
                    }
                    Ok(ConsoleFrame::Watch { room_id: Some(room) }) => {
                        match readable_room(&st, &agent, room).await {
                            Ok(r) => {
                                feed.watch(Some(r.id));
                                watching = Some(r.id);
                                json!({"type": "watching", "room_id": r.id})
                            }
                            Err(e) => {
                                // Whatever was watched before is not any more: the console
                                // asked for another room.
                                feed.watch(None);
                                watching = None;
                                json!({"type": "error", "error": e.to_string()})
                            }
                        }
                    }
                    Ok(ConsoleFrame::Typing { consultation_id, typing }) => {
                        if !typists.entry(consultation_id).or_default().due(typing) {
                            continue;
                        }
                        match st.app.agent_typing(&agent, consultation_id, typing).await {
                            Ok(()) => continue,
                            Err(e) => json!({"type": "error", "error": e.to_string()}),
                        }
                    }
                    Ok(ConsoleFrame::Ping) => json!({"type": "pong"}),
                    Err(e) => json!({"type": "error", "error": format!("unreadable frame: {e}")}),
                };
                if send_json(&mut tx, &reply).await.is_err() {
                    return;
                }
            }
            event = feed.recv() => {
                let Some(first) = event else { return };
                // Everything already waiting is written in one go, flushed once.
                let mut next = Some(first);
                let mut queued = 0usize;
                while let Some(published) = next.take() {
                    match ending(&published.event, session) {
                        Some(end @ (Ending::SessionEnded | Ending::AccountChanged)) => {
                            let (kind, code) = match end {
                                Ending::AccountChanged => ("account_changed", ACCOUNT_CHANGED_CLOSE),
                                _ => ("session_ended", SESSION_ENDED_CLOSE),
                            };
                            let frame = json!({"type": kind}).to_string();
                            let _ = tx.feed(WsMessage::Text(frame.into())).await;
                            let _ = tx
                                .send(WsMessage::Close(Some(CloseFrame {
                                    code,
                                    reason: kind.into(),
                                })))
                                .await;
                            return;
                        }
                        Some(Ending::NotMine) => {}
                        None => {
                            if tx.feed(published.frame()).await.is_err() {
                                return;
                            }
                        }
                    }
                    queued += 1;
                    if queued < 64 {
                        next = feed.ready();
                    }
                }
                let missed = feed.missed();
                if missed > 0 {
                    // The console reloads its lists (and its room) when told it missed events;
                    // what an agent's console follows is read afresh too.
                    if follow(&st, &agent, ours.as_deref(), &feed).await.is_err() {
                        return;
                    }
                    let frame = json!({"type": "resync", "missed": missed}).to_string();
                    if tx.feed(WsMessage::Text(frame.into())).await.is_err() {
                        return;
                    }
                }
                if let Some(frame) = recheck_watch(&st, &agent, &feed, &mut watching).await
                    && tx.feed(WsMessage::Text(frame.to_string().into())).await.is_err()
                {
                    return;
                }
                if tx.flush().await.is_err() {
                    return;
                }
            }
        }
    }
}

/// After the feed stopped following the agent's open room (its consultation passed to someone
/// else), asks again whether the agent may read it: if so it is followed again and the console
/// told to reload what it may have missed meanwhile; if not, the console is told it left.
async fn recheck_watch(
    st: &AppState,
    agent: &AgentRecord,
    feed: &ConsoleFeed,
    watching: &mut Option<RoomId>,
) -> Option<serde_json::Value> {
    let room = (*watching)?;
    if feed.watched() == Some(room) {
        return None;
    }
    match readable_room(st, agent, room).await {
        Ok(r) => {
            feed.watch(Some(r.id));
            Some(json!({"type": "resync", "missed": 0}))
        }
        Err(_) => {
            *watching = None;
            Some(json!({"type": "watching", "room_id": null, "left": room}))
        }
    }
}

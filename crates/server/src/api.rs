//! The agent and admin API under `/api/v1`: login, consultations, rooms, profiles, links,
//! and the console's realtime feed.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use inflow::{Channel, Slot};
use sangdam_core::{
    ConsultationId, ConsultationState, EndType, ProfileEdit, ProfileId, RoomId, Transition,
    VerificationMethod, normalize_mobile,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use store::{
    AgentRecord, ConsultationRecord, NewMessage, ProfileRecord, Role, RoomRecord, Sender, Target,
};

use crate::auth::{
    AuthAgent, SESSION_MS, random_token, session_cookie, token_hash, verify_password,
};
use crate::bus::{ConsoleFeed, Event, Following};
use crate::error::ApiError;
use crate::state::{AppState, now_ms};
use crate::webchat::{check_body, send_json};

#[derive(Debug, Deserialize)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

/// `POST /api/v1/auth/login`: sets the session cookie.
pub async fn login(
    State(st): State<AppState>,
    body: Result<Json<LoginRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(req) = body?;
    if req.login.len() > 200 || req.password.len() > 1000 {
        return Err(ApiError::Unauthorized);
    }
    let agent = st.store.agent_by_login(req.login.trim()).await?;
    let Some(agent) = agent.filter(|a| verify_password(&req.password, &a.password_hash)) else {
        return Err(ApiError::invalid(
            "bad_credentials",
            "the login or the password is wrong",
        ));
    };
    let token = random_token();
    let now = now_ms();
    st.store
        .create_session(&token_hash(&token), agent.id, now, now + SESSION_MS)
        .await?;
    Ok((
        AppendHeaders([(SET_COOKIE, session_cookie(&token))]),
        Json(json!({"agent": agent})),
    )
        .into_response())
}

pub async fn logout(
    State(st): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let session = crate::auth::cookie_value(&headers, crate::auth::SESSION_COOKIE);
    if let Some(s) = session {
        st.store.delete_session(&token_hash(s)).await?;
    }
    Ok((
        AppendHeaders([(
            SET_COOKIE,
            format!(
                "{}=; Path=/; HttpOnly; Max-Age=0",
                crate::auth::SESSION_COOKIE
            ),
        )]),
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

pub async fn me(AuthAgent(agent): AuthAgent) -> Json<Value> {
    Json(json!({"agent": agent}))
}

/// A record of another site is reported as absent, never as forbidden: a caller must not
/// learn what exists elsewhere.
fn same_site<T>(
    agent: &AgentRecord,
    site: sangdam_core::SiteId,
    what: &'static str,
    v: T,
) -> Result<T, ApiError> {
    if agent.site_id == site {
        Ok(v)
    } else {
        Err(ApiError::NotFound(what))
    }
}

async fn own_consultation(
    st: &AppState,
    agent: &AgentRecord,
    id: &str,
) -> Result<ConsultationRecord, ApiError> {
    let id: ConsultationId = id.parse().map_err(|_| ApiError::NotFound("consultation"))?;
    let c = st.store.consultation(id).await?;
    same_site(agent, c.site_id, "consultation", c)
}

async fn own_room(st: &AppState, agent: &AgentRecord, id: &str) -> Result<RoomRecord, ApiError> {
    let id: RoomId = id.parse().map_err(|_| ApiError::NotFound("room"))?;
    let r = st.store.room(id).await?;
    same_site(agent, r.site_id, "room", r)
}

async fn own_profile(
    st: &AppState,
    agent: &AgentRecord,
    id: &str,
) -> Result<ProfileRecord, ApiError> {
    let id: ProfileId = id.parse().map_err(|_| ApiError::NotFound("profile"))?;
    let p = st.store.profile(id).await?;
    same_site(agent, p.site_id, "profile", p)
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub mine: Option<bool>,
    #[serde(default)]
    pub limit: Option<i64>,
}

impl ListQuery {
    fn filters(&self) -> Result<(Option<ConsultationState>, Option<Channel>), ApiError> {
        let state = self
            .state
            .as_deref()
            .map(str::parse::<ConsultationState>)
            .transpose()?;
        let channel = self
            .channel
            .as_deref()
            .map(|c| {
                c.parse::<Channel>()
                    .map_err(|e| ApiError::invalid("invalid_channel", e.to_string()))
            })
            .transpose()?;
        Ok((state, channel))
    }
}

/// `GET /api/v1/consultations?state=waiting&channel=kakao&mine=true`.
pub async fn list_consultations(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let (state, channel) = q.filters()?;
    let mine = q.mine.unwrap_or(false).then_some(agent.id);
    let limit = q.limit.unwrap_or(200).clamp(1, 1000);
    let list = st
        .store
        .list_consultations(agent.site_id, state, channel, mine, limit)
        .await?;
    Ok(Json(json!({"consultations": list})))
}

/// `GET /api/v1/rooms?state=waiting&channel=naver`: rooms with their latest consultation.
pub async fn list_rooms(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let (state, channel) = q.filters()?;
    let limit = q.limit.unwrap_or(200).clamp(1, 1000);
    let rooms: Vec<Value> = st
        .store
        .list_rooms(agent.site_id, state, channel, limit)
        .await?
        .into_iter()
        .map(|(room, latest)| json!({"room": room, "latest_consultation": latest}))
        .collect();
    Ok(Json(json!({"rooms": rooms})))
}

/// `GET /api/v1/consultations/{id}`: the consultation, its inflows and its messages.
pub async fn get_consultation(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let c = own_consultation(&st, &agent, &id).await?;
    let inflows = st.store.inflows_of_consultation(c.id).await?;
    let messages = st.store.consultation_messages(c.id).await?;
    Ok(Json(
        json!({"consultation": c, "inflows": inflows, "messages": messages}),
    ))
}

async fn change(
    st: &AppState,
    agent: &AgentRecord,
    id: &str,
    t: Transition,
) -> Result<Json<Value>, ApiError> {
    let c = own_consultation(st, agent, id).await?;
    let c = st
        .store
        .transition(c.id, t, Some(agent.id), now_ms())
        .await?;
    st.bus.publish(Event::Consultation {
        site_id: c.site_id,
        consultation: c.clone(),
    });
    Ok(Json(json!({"consultation": c})))
}

/// `POST /api/v1/consultations/{id}/take`: an agent takes a waiting consultation.
pub async fn take(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    change(&st, &agent, &id, Transition::Take).await
}

#[derive(Debug, Default, Deserialize)]
pub struct CloseRequest {
    #[serde(default)]
    pub end_type: Option<String>,
}

/// `POST /api/v1/consultations/{id}/close`.
pub async fn close(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    Path(id): Path<String>,
    body: Option<Json<CloseRequest>>,
) -> Result<Json<Value>, ApiError> {
    let req = body.map(|Json(b)| b).unwrap_or_default();
    let end = match req.end_type.as_deref() {
        Some(e) => e.parse::<EndType>()?,
        None if agent.role == Role::Agent => EndType::Agent,
        None => EndType::Manager,
    };
    change(&st, &agent, &id, Transition::Close(end)).await
}

#[derive(Debug, Deserialize)]
pub struct AgentMessage {
    pub body: String,
}

/// `POST /api/v1/consultations/{id}/messages`: an agent replies.
pub async fn send(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    Path(id): Path<String>,
    body: Result<Json<AgentMessage>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(req) = body?;
    let text = check_body(&req.body)?;
    let c = own_consultation(&st, &agent, &id).await?;
    if !c.state.is_open() {
        return Err(ApiError::Conflict("this consultation is closed".into()));
    }
    // A skill response carries at most three 1000-character texts: a longer reply could only
    // reach a Kakao user cut, so it is refused here, where the agent can still split it.
    if c.channel == Channel::Kakao && text.chars().count() > crate::channels::KAKAO_REPLY_MAX_CHARS
    {
        return Err(ApiError::invalid(
            "too_long",
            format!(
                "a reply to a KakaoTalk user has at most {} characters; split it into several",
                crate::channels::KAKAO_REPLY_MAX_CHARS
            ),
        ));
    }
    if c.state == ConsultationState::InProgress
        && c.agent_id != Some(agent.id)
        && !agent.role.sees_all()
    {
        return Err(ApiError::Forbidden(
            "another agent holds this consultation".into(),
        ));
    }
    let (message, _) = st
        .store
        .add_message(NewMessage {
            site: c.site_id,
            room: c.room_id,
            target: Target::Consultation(c.id),
            sender: Sender::Agent,
            agent: Some(agent.id),
            body: text,
            client_msg_id: None,
            now: now_ms(),
        })
        .await?;
    let room = st.store.room(c.room_id).await?;
    let delivery = crate::channels::deliver(&st, &room, &message).await;
    Ok(Json(json!({"message": message, "delivery": delivery})))
}

/// The rooms of a profile with their consultations, as the room view shows them.
async fn room_json(st: &AppState, room: &RoomRecord) -> Result<Value, ApiError> {
    let mut consultations = Vec::new();
    for c in st.store.consultations_of_room(room.id).await? {
        let inflows = st.store.inflows_of_consultation(c.id).await?;
        consultations.push(json!({
            "consultation_id": c.id,
            "state": c.state,
            "state_code": c.state_code,
            "channel": c.channel,
            "created_at": c.created_at,
            "closed_at": c.closed_at,
            "end_type": c.end_type,
            "agent_id": c.agent_id,
            "category_id": c.category_id,
            "division_id": c.division_id,
            "user_parameter": c.user_parameter,
            "custom": c.custom,
            "inflows": inflows,
        }));
    }
    Ok(json!({
        "room_id": room.id,
        "channel": room.channel,
        "customer_key": room.customer_key,
        "profile_id": room.profile_id,
        "created_at": room.created_at,
        "consultations": consultations,
        "journal": st.store.link_journal(room.id).await?,
    }))
}

/// `GET /api/v1/rooms/{id}`.
pub async fn get_room(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let room = own_room(&st, &agent, &id).await?;
    let mut v = room_json(&st, &room).await?;
    let site = st.store.site(agent.site_id).await?;
    let profile = st.store.profile(room.profile_id).await?;
    if let (Some(template), Some(obj)) = (site.info_url_template.as_deref(), v.as_object_mut())
        && let Ok(t) = inflow::Template::parse(template)
    {
        let open = st.store.open_consultation(room.id).await?;
        let latest = match open {
            Some(c) => Some(c),
            None => st.store.consultations_of_room(room.id).await?.pop(),
        };
        obj.insert(
            "info_url".into(),
            Value::String(crate::channels::render_info_url(
                &t,
                &room,
                &profile,
                latest.as_ref(),
            )),
        );
    }
    Ok(Json(v))
}

/// `GET /api/v1/rooms/{id}/messages?after=N`.
pub async fn room_messages(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    Path(id): Path<String>,
    Query(q): Query<crate::webchat::VisitorQuery>,
) -> Result<Json<Value>, ApiError> {
    let room = own_room(&st, &agent, &id).await?;
    let messages = st
        .store
        .room_messages(room.id, q.after.unwrap_or(0), 1000)
        .await?;
    Ok(Json(json!({"messages": messages})))
}

#[derive(Debug, Deserialize)]
pub struct LinkRequest {
    pub site_uid: String,
}

/// `GET /api/v1/rooms/{id}/link-preview?site_uid=X`: which profile the room would join.
pub async fn link_preview(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    Path(id): Path<String>,
    Query(q): Query<LinkRequest>,
) -> Result<Json<Value>, ApiError> {
    let room = own_room(&st, &agent, &id).await?;
    let site = st.store.site(agent.site_id).await?;
    sangdam_core::validate_site_uid(&q.site_uid, &site.settings)?;
    let target = st.store.profile_by_uid(agent.site_id, &q.site_uid).await?;
    let current = st.store.profile(room.profile_id).await?;
    Ok(Json(json!({
        "current_profile": current,
        "target_profile": target,
        "merges": target.as_ref().is_some_and(|t| t.id != current.id),
    })))
}

/// `PUT /api/v1/rooms/{id}/site_uid`: set or correct a room's ID (R2.5).
pub async fn link_room(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    Path(id): Path<String>,
    body: Result<Json<LinkRequest>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(req) = body?;
    let room = own_room(&st, &agent, &id).await?;
    let site = st.store.site(agent.site_id).await?;
    sangdam_core::validate_site_uid(&req.site_uid, &site.settings)?;
    let profile = st
        .store
        .link_room(
            room.id,
            &req.site_uid,
            &format!("agent:{}", agent.id),
            now_ms(),
        )
        .await?;
    let journal = st.store.link_journal(room.id).await?;
    Ok(Json(
        json!({"room_id": room.id, "profile_id": profile, "journal": journal}),
    ))
}

/// `POST /api/v1/links/{id}/undo`.
pub async fn undo_link(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound("link"))?;
    let entry = st
        .store
        .undo_link(agent.site_id, id, &format!("agent:{}", agent.id), now_ms())
        .await?;
    let room = st.store.room(entry.room_id).await?;
    Ok(Json(
        json!({"link": entry, "room_id": room.id, "profile_id": room.profile_id}),
    ))
}

/// The profile with custom values labelled by the site's slot descriptions.
async fn profile_json(st: &AppState, p: &ProfileRecord) -> Result<Value, ApiError> {
    let site = st.store.site(p.site_id).await?;
    let custom: Vec<Value> = p
        .custom
        .iter()
        .map(|(slot, value): (&Slot, &String)| {
            json!({"param": slot.name(), "label": site.settings.label(*slot), "value": value})
        })
        .collect();
    let rooms = st.store.rooms_of_profile(p.id).await?;
    let history: Vec<Value> = st
        .store
        .history_of_profile(p.id)
        .await?
        .into_iter()
        .map(|c| {
            json!({
                "consultation_id": c.id,
                "room_id": c.room_id,
                "channel": c.channel,
                "state": c.state,
                "state_code": c.state_code,
                "created_at": c.created_at,
                "closed_at": c.closed_at,
                "agent_id": c.agent_id,
            })
        })
        .collect();
    Ok(json!({
        "profile_id": p.id,
        "site_uid": p.site_uid,
        "verified": p.verified,
        "name": p.name,
        "phone": p.phone,
        "mobile": p.mobile,
        "mobile_verification": p.mobile_method.as_ref().map(|m| json!({"method": m, "verified_at": p.mobile_verified_at})),
        "email": p.email,
        "custom": custom,
        "rooms": rooms,
        "history": history,
    }))
}

/// `GET /api/v1/profiles/{id}`.
pub async fn get_profile(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let p = own_profile(&st, &agent, &id).await?;
    Ok(Json(profile_json(&st, &p).await?))
}

/// `PATCH /api/v1/profiles/{id}`: name, phone, e-mail. The verified mobile is refused.
pub async fn edit_profile(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    Path(id): Path<String>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(raw) = body?;
    let p = own_profile(&st, &agent, &id).await?;
    if raw.get("mobile").is_some() {
        return Err(sangdam_core::CoreError::MobileNotEditable.into());
    }
    let edit: ProfileEdit = serde_json::from_value(raw)
        .map_err(|e| ApiError::BadRequest(format!("unreadable profile edit: {e}")))?;
    let p = st.store.edit_profile(p.id, &edit, now_ms()).await?;
    Ok(Json(profile_json(&st, &p).await?))
}

#[derive(Debug, Deserialize)]
pub struct MobileVerification {
    pub mobile: String,
    pub method: String,
}

/// `POST /api/v1/profiles/{id}/mobile-verifications`: the site's server (an admin token)
/// records a completed verification; the only way a mobile number is ever set.
pub async fn verify_mobile(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    Path(id): Path<String>,
    body: Result<Json<MobileVerification>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(req) = body?;
    if agent.role != Role::Admin {
        return Err(ApiError::Forbidden(
            "only the site's server (an admin credential) records verifications".into(),
        ));
    }
    let p = own_profile(&st, &agent, &id).await?;
    let method: VerificationMethod = req.method.parse()?;
    let mobile = normalize_mobile(&req.mobile)?;
    let p = st
        .store
        .set_mobile(p.id, &mobile, method.as_str(), now_ms())
        .await?;
    Ok(Json(profile_json(&st, &p).await?))
}

/// `GET /api/v1/console/ws`: the live events of the agent's site. Managers and admins receive
/// every consultation and message event; agents those of the queue and of the consultations
/// they hold (R3.6), plus the messages of one room they have open (`{"type":"watch",
/// "room_id":N}`; `null` stops).
pub async fn console_ws(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    ws: WebSocketUpgrade,
) -> Response {
    ws.read_buffer_size(crate::WS_READ_BUFFER)
        .on_upgrade(move |socket| console_socket(st, agent, socket))
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ConsoleFrame {
    Watch { room_id: Option<RoomId> },
    Ping,
}

/// Reads what an agent's console follows from the store and gives it to the feed (managers and
/// admins follow everything: nothing to read).
async fn follow(st: &AppState, agent: &AgentRecord, feed: &ConsoleFeed) -> Result<(), ApiError> {
    if !agent.role.sees_all() {
        let list = st
            .store
            .followed_consultations(agent.site_id, agent.id)
            .await?;
        feed.follow(list.into_iter().map(|c| c.id));
    }
    Ok(())
}

async fn console_socket(st: AppState, agent: AgentRecord, socket: WebSocket) {
    let (mut tx, mut rx) = socket.split();
    // Subscribe before reading what the agent follows: what is published in between is held
    // by the feed and filtered once the list is in.
    let mut feed = st.bus.subscribe_console(
        agent.site_id,
        Following::new(agent.id, agent.role.sees_all()),
    );
    if follow(&st, &agent, &feed).await.is_err() {
        return;
    }
    if send_json(&mut tx, &json!({"type": "hello", "agent": agent}))
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            incoming = rx.next() => {
                let text = match incoming {
                    Some(Ok(WsMessage::Text(t))) => t,
                    Some(Ok(_)) => continue,
                    _ => return,
                };
                let reply = match serde_json::from_str::<ConsoleFrame>(text.as_str()) {
                    Ok(ConsoleFrame::Watch { room_id: None }) => {
                        feed.watch(None);
                        json!({"type": "watching", "room_id": null})
                    }
                    Ok(ConsoleFrame::Watch { room_id: Some(room) }) => {
                        match own_room(&st, &agent, &room.to_string()).await {
                            Ok(r) => {
                                feed.watch(Some(r.id));
                                json!({"type": "watching", "room_id": r.id})
                            }
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
                    if tx.feed(published.frame()).await.is_err() {
                        return;
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
                    if follow(&st, &agent, &feed).await.is_err() {
                        return;
                    }
                    let frame = json!({"type": "resync", "missed": missed}).to_string();
                    if tx.feed(WsMessage::Text(frame.into())).await.is_err() {
                        return;
                    }
                }
                if tx.flush().await.is_err() {
                    return;
                }
            }
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Health {
    pub status: &'static str,
}

/// `GET /healthz`: the server answers and its database too.
pub async fn healthz(State(st): State<AppState>) -> Result<Json<Health>, ApiError> {
    st.store.ping().await?;
    Ok(Json(Health { status: "ok" }))
}
